//! Which backend runs: the one place that decides.
//!
//! The first call of a free function (or [`Kernels::detected`]) picks the best
//! available backend (`avx2`, then `neon`, then `portable` where `wide` has
//! SIMD for the target, then `scalar`), honouring `NUMKERN_BACKEND` under
//! `std`, and caches the choice in an atomic. Every later call pays one relaxed
//! load and one indirect call.
//!
//! Detection: on x86_64 AVX2 and FMA must be present and enabled by the OS
//! (`std`: `is_x86_feature_detected!`; `no_std`: CPUID and XGETBV directly).
//! When the build already enables them (`-C target-cpu=native`) no detection
//! runs. NEON is part of the aarch64 baseline.

use core::fmt;
use core::str::FromStr;
use core::sync::atomic::{AtomicU8, Ordering::Relaxed};

use numkern_kernels::Tables;

use crate::{Error, Kernels};

/// A family of kernel implementations. Every backend gives bit-identical
/// results; they differ only in speed and in where they can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// Plain arrays and scalar IEEE arithmetic: the reference, and the backend
    /// for targets without SIMD.
    Scalar,
    /// The `wide` crate: SIMD chosen when numkern is compiled (SSE2 on
    /// baseline x86_64, NEON on aarch64, simd128 on wasm).
    Portable,
    /// x86_64 AVX2 + FMA intrinsics, detected at run time.
    Avx2,
    /// aarch64 NEON intrinsics.
    Neon,
}

impl Backend {
    /// Every backend, in the order they are listed by [`Kernels::available`].
    pub const ALL: [Backend; 4] = [
        Backend::Scalar,
        Backend::Portable,
        Backend::Avx2,
        Backend::Neon,
    ];

    /// The backend's name as `NUMKERN_BACKEND` spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Backend::Scalar => "scalar",
            Backend::Portable => "portable",
            Backend::Avx2 => "avx2",
            Backend::Neon => "neon",
        }
    }

    const fn index(self) -> u8 {
        match self {
            Backend::Scalar => 0,
            Backend::Portable => 1,
            Backend::Avx2 => 2,
            Backend::Neon => 3,
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = Error;
    /// Parses `scalar`, `portable`, `avx2` or `neon` (ASCII case ignored).
    fn from_str(s: &str) -> Result<Backend, Error> {
        Backend::ALL
            .into_iter()
            .find(|b| b.name().eq_ignore_ascii_case(s.trim()))
            .ok_or(Error::UnknownBackend)
    }
}

/// The entry points compiled into this build for `b`, whether or not the CPU
/// can run them.
const fn compiled(b: Backend) -> Option<&'static Tables> {
    match b {
        Backend::Scalar => Some(&numkern_kernels::scalar::TABLES),
        Backend::Portable => Some(&numkern_kernels::portable::TABLES),
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => Some(&numkern_kernels::avx2::TABLES),
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Backend::Neon => Some(&numkern_kernels::neon::TABLES),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// The entry points for `b` if this CPU can run them.
pub(crate) fn usable(b: Backend) -> Option<&'static Tables> {
    let ok = match b {
        Backend::Avx2 => avx2_detected(),
        _ => true,
    };
    if ok {
        compiled(b)
    } else {
        None
    }
}

/// AVX2 and FMA present and enabled by the OS (cached after the first call).
fn avx2_detected() -> bool {
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx2",
        target_feature = "fma"
    ))]
    {
        true
    }
    #[cfg(all(
        target_arch = "x86_64",
        not(all(target_feature = "avx2", target_feature = "fma"))
    ))]
    {
        static AVX2: AtomicU8 = AtomicU8::new(0); // 0 unknown, 1 no, 2 yes
        match AVX2.load(Relaxed) {
            0 => {
                let yes = detect_avx2_fma();
                AVX2.store(if yes { 2 } else { 1 }, Relaxed);
                yes
            }
            v => v == 2,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(all(
    target_arch = "x86_64",
    feature = "std",
    not(all(target_feature = "avx2", target_feature = "fma"))
))]
fn detect_avx2_fma() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

#[cfg(all(
    target_arch = "x86_64",
    not(feature = "std"),
    not(all(target_feature = "avx2", target_feature = "fma"))
))]
fn detect_avx2_fma() -> bool {
    use core::arch::x86_64::{__cpuid, __cpuid_count, _xgetbv};
    // CPUID leaf 1 ECX: bit 12 FMA, bit 27 OSXSAVE, bit 28 AVX.
    let leaf1 = __cpuid(1);
    let fma = leaf1.ecx & (1 << 12) != 0;
    let osxsave = leaf1.ecx & (1 << 27) != 0;
    let avx = leaf1.ecx & (1 << 28) != 0;
    if !(fma && osxsave && avx) {
        return false;
    }
    // XCR0 bits 1 and 2: the OS saves XMM and YMM state.
    // SAFETY: OSXSAVE is set (checked above), so XGETBV is available and
    // XCR0 (register 0) is readable.
    let xcr0 = unsafe { _xgetbv(0) };
    if xcr0 & 0b110 != 0b110 {
        return false;
    }
    if __cpuid(0).eax < 7 {
        return false;
    }
    // CPUID leaf 7 sub-leaf 0 EBX bit 5: AVX2.
    __cpuid_count(7, 0).ebx & (1 << 5) != 0
}

/// The fastest backend this CPU can run.
fn best() -> Backend {
    if avx2_detected() {
        Backend::Avx2
    } else if compiled(Backend::Neon).is_some() {
        Backend::Neon
    } else if cfg!(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    )) {
        Backend::Portable
    } else {
        Backend::Scalar
    }
}

/// The backend named by `NUMKERN_BACKEND`, if set: `Ok(None)` when unset or
/// empty, an error when the name is unknown or the backend cannot run here.
/// The free functions ignore a bad value after saying so once on stderr.
#[cfg(feature = "std")]
pub fn backend_override() -> Result<Option<Backend>, Error> {
    match std::env::var("NUMKERN_BACKEND") {
        Ok(v) if !v.trim().is_empty() => {
            let b: Backend = v.parse()?;
            usable(b).ok_or(Error::Unsupported { backend: b })?;
            Ok(Some(b))
        }
        _ => Ok(None),
    }
}

/// 0 until the first call; then 1 + the chosen backend's index.
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// Kernels for each backend index, for those compiled in.
const BY_INDEX: [Option<Kernels>; 4] = {
    let mut out = [None; 4];
    let mut i = 0;
    while i < 4 {
        let b = Backend::ALL[i];
        if let Some(tables) = compiled(b) {
            out[i] = Some(Kernels { backend: b, tables });
        }
        i += 1;
    }
    out
};

/// What the free functions use: one relaxed load after the first call.
#[inline]
pub(crate) fn chosen() -> Kernels {
    let v = CHOSEN.load(Relaxed);
    if let Some(Some(k)) = BY_INDEX.get((v as usize).wrapping_sub(1)) {
        return *k;
    }
    choose()
}

#[cold]
fn choose() -> Kernels {
    let b = pick();
    CHOSEN.store(b.index() + 1, Relaxed);
    match compiled(b) {
        Some(tables) => Kernels { backend: b, tables },
        None => Kernels {
            backend: Backend::Scalar,
            tables: &numkern_kernels::scalar::TABLES,
        },
    }
}

#[cfg(feature = "std")]
fn pick() -> Backend {
    match backend_override() {
        Ok(Some(b)) => b,
        Ok(None) => best(),
        Err(e) => {
            let fallback = best();
            // `writeln!`, not `eprintln!`, which panics if stderr fails.
            use std::io::Write;
            let _ = std::writeln!(
                std::io::stderr(),
                "numkern: ignoring NUMKERN_BACKEND={:?}: {e}; using {fallback}",
                std::env::var("NUMKERN_BACKEND").unwrap_or_default()
            );
            fallback
        }
    }
}

#[cfg(not(feature = "std"))]
fn pick() -> Backend {
    best()
}
