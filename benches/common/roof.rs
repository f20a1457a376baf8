//! The roof: kernels that only move the bytes, no arithmetic worth the name.
//! On x86_64 with AVX2: 256-bit loads into a wrapping `_mm256_add_epi32` over
//! 8 independent accumulators (two-input kernels: 4 loads from each stream
//! per iteration); stores (for `ln`) pass the loaded vector through an XOR
//! with an opaque zero so the compiler can neither drop nor `memcpy` them.
//! Elsewhere, portable `u32` loops the compiler vectorises.

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    use std::sync::OnceLock;
    static AVX2: OnceLock<bool> = OnceLock::new();
    *AVX2.get_or_init(|| std::arch::is_x86_feature_detected!("avx2"))
}

/// Wrapping sum of `x` as `u32` words (the tail under 32 bytes bytewise).
pub fn load1(x: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: AVX2 was detected on this CPU.
        return unsafe { avx2::load1(x) };
    }
    portable::load1(x)
}

/// Wrapping sum of both inputs, streamed side by side.
pub fn load2(a: &[u8], b: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: AVX2 was detected on this CPU.
        return unsafe { avx2::load2(a, b) };
    }
    portable::load2(a, b)
}

/// `dst = src` through registers.
pub fn copy(src: &[u8], dst: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: AVX2 was detected on this CPU.
        return unsafe { avx2::copy(src, dst) };
    }
    portable::copy(src, dst)
}

/// Loads and stores back every byte of `x` (values unchanged).
pub fn rmw(x: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: AVX2 was detected on this CPU.
        return unsafe { avx2::rmw(x) };
    }
    portable::rmw(x)
}

mod portable {
    use std::hint::black_box;

    fn word(c: &[u8]) -> u32 {
        u32::from_ne_bytes([c[0], c[1], c[2], c[3]])
    }
    pub fn load1(x: &[u8]) -> u32 {
        let w = x.chunks_exact(4);
        let t: u32 = w.remainder().iter().map(|&v| v as u32).sum();
        w.fold(t, |s, c| s.wrapping_add(word(c)))
    }
    pub fn load2(a: &[u8], b: &[u8]) -> u32 {
        load1(a).wrapping_add(load1(b))
    }
    pub fn copy(src: &[u8], dst: &mut [u8]) {
        let z = black_box(0u8);
        for (d, &s) in dst.iter_mut().zip(src) {
            *d = s ^ z;
        }
    }
    pub fn rmw(x: &mut [u8]) {
        let z = black_box(0u8);
        for v in x.iter_mut() {
            *v ^= z;
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use core::arch::x86_64::*;
    use std::hint::black_box;

    /// `_mm256_loadu_si256` at byte offset `o` of pointer `p`.
    macro_rules! ld {
        ($p:expr, $o:expr) => {
            _mm256_loadu_si256($p.add($o).cast())
        };
    }
    /// `_mm256_storeu_si256` at byte offset `o` of pointer `p`.
    macro_rules! st {
        ($p:expr, $o:expr, $v:expr) => {
            _mm256_storeu_si256($p.add($o).cast(), $v)
        };
    }

    /// The wrapping sum of the eight accumulators' 64 words.
    #[target_feature(enable = "avx2")]
    fn fold(a: [__m256i; 8]) -> u32 {
        let s = _mm256_add_epi32(
            _mm256_add_epi32(_mm256_add_epi32(a[0], a[1]), _mm256_add_epi32(a[2], a[3])),
            _mm256_add_epi32(_mm256_add_epi32(a[4], a[5]), _mm256_add_epi32(a[6], a[7])),
        );
        let mut l = [0u32; 8];
        // SAFETY: `l` is 32 writable bytes; storeu has no alignment need.
        unsafe { _mm256_storeu_si256(l.as_mut_ptr().cast(), s) };
        l.iter().fold(0u32, |s, &w| s.wrapping_add(w))
    }

    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn load1(x: &[u8]) -> u32 {
        let (p, n) = (x.as_ptr(), x.len());
        let mut a = [_mm256_setzero_si256(); 8];
        let mut i = 0;
        // SAFETY (every load): 32 bytes at `p + i + k*32`, and the loop
        // conditions keep `i + (k+1)*32 <= n`.
        unsafe {
            while i + 256 <= n {
                a[0] = _mm256_add_epi32(a[0], ld!(p, i));
                a[1] = _mm256_add_epi32(a[1], ld!(p, i + 32));
                a[2] = _mm256_add_epi32(a[2], ld!(p, i + 64));
                a[3] = _mm256_add_epi32(a[3], ld!(p, i + 96));
                a[4] = _mm256_add_epi32(a[4], ld!(p, i + 128));
                a[5] = _mm256_add_epi32(a[5], ld!(p, i + 160));
                a[6] = _mm256_add_epi32(a[6], ld!(p, i + 192));
                a[7] = _mm256_add_epi32(a[7], ld!(p, i + 224));
                i += 256;
            }
            while i + 32 <= n {
                a[0] = _mm256_add_epi32(a[0], ld!(p, i));
                i += 32;
            }
        }
        let tail = super::portable::load1(x.get(i..).unwrap_or_default());
        fold(a).wrapping_add(tail)
    }

    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn load2(x: &[u8], y: &[u8]) -> u32 {
        let n = x.len().min(y.len());
        let (px, py) = (x.as_ptr(), y.as_ptr());
        let mut a = [_mm256_setzero_si256(); 8];
        let mut i = 0;
        // SAFETY (every load): 32 bytes at `i + k*32`, with
        // `i + (k+1)*32 <= n`, in inputs of `n` bytes or more.
        unsafe {
            while i + 128 <= n {
                a[0] = _mm256_add_epi32(a[0], ld!(px, i));
                a[1] = _mm256_add_epi32(a[1], ld!(py, i));
                a[2] = _mm256_add_epi32(a[2], ld!(px, i + 32));
                a[3] = _mm256_add_epi32(a[3], ld!(py, i + 32));
                a[4] = _mm256_add_epi32(a[4], ld!(px, i + 64));
                a[5] = _mm256_add_epi32(a[5], ld!(py, i + 64));
                a[6] = _mm256_add_epi32(a[6], ld!(px, i + 96));
                a[7] = _mm256_add_epi32(a[7], ld!(py, i + 96));
                i += 128;
            }
            while i + 32 <= n {
                a[0] = _mm256_add_epi32(a[0], ld!(px, i));
                a[1] = _mm256_add_epi32(a[1], ld!(py, i));
                i += 32;
            }
        }
        let tail = super::portable::load2(
            x.get(i..n).unwrap_or_default(),
            y.get(i..n).unwrap_or_default(),
        );
        fold(a).wrapping_add(tail)
    }

    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn copy(src: &[u8], dst: &mut [u8]) {
        let n = src.len().min(dst.len());
        let (ps, pd) = (src.as_ptr(), dst.as_mut_ptr());
        let z = black_box(_mm256_setzero_si256());
        let mut i = 0;
        // SAFETY (every load and store): 32 bytes at `i + k*32`, with
        // `i + (k+1)*32 <= n`, in buffers of `n` bytes or more.
        unsafe {
            while i + 128 <= n {
                let v0 = _mm256_xor_si256(ld!(ps, i), z);
                let v1 = _mm256_xor_si256(ld!(ps, i + 32), z);
                let v2 = _mm256_xor_si256(ld!(ps, i + 64), z);
                let v3 = _mm256_xor_si256(ld!(ps, i + 96), z);
                st!(pd, i, v0);
                st!(pd, i + 32, v1);
                st!(pd, i + 64, v2);
                st!(pd, i + 96, v3);
                i += 128;
            }
            while i + 32 <= n {
                st!(pd, i, _mm256_xor_si256(ld!(ps, i), z));
                i += 32;
            }
        }
        super::portable::copy(
            src.get(i..n).unwrap_or_default(),
            dst.get_mut(i..n).unwrap_or_default(),
        );
    }

    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn rmw(x: &mut [u8]) {
        let n = x.len();
        let p = x.as_mut_ptr();
        let z = black_box(_mm256_setzero_si256());
        let mut i = 0;
        // SAFETY (every load and store): 32 bytes at `i + k*32`, with
        // `i + (k+1)*32 <= n`, within `x`.
        unsafe {
            while i + 128 <= n {
                let v0 = _mm256_xor_si256(ld!(p, i), z);
                let v1 = _mm256_xor_si256(ld!(p, i + 32), z);
                let v2 = _mm256_xor_si256(ld!(p, i + 64), z);
                let v3 = _mm256_xor_si256(ld!(p, i + 96), z);
                st!(p, i, v0);
                st!(p, i + 32, v1);
                st!(p, i + 64, v2);
                st!(p, i + 96, v3);
                i += 128;
            }
            while i + 32 <= n {
                st!(p, i, _mm256_xor_si256(ld!(p, i), z));
                i += 32;
            }
        }
        super::portable::rmw(x.get_mut(i..).unwrap_or_default());
    }
}
