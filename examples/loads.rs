//! How the form of a 32-byte load changes streaming speed when the input
//! starts 16 bytes past a 64-byte boundary, where glibc by default puts every
//! block it maps from the system (typically a `Vec` of 128 KiB or more). Run it with
//! `cargo run --release --example loads` (x86_64 with AVX2 only).
//!
//! From 16 bytes off, every other 32-byte load crosses a 64-byte line. Three
//! ways to read the same vectors, summed into 8 accumulators (one stream,
//! like `sum`) or multiplied pairwise and summed (two streams, like `dot`):
//! - `32`: one unaligned 32-byte load per vector (what numkern's `avx2`
//!   loops do for aligned inputs, for inputs 16 bytes off outside the two
//!   ranges below, for inputs at the other offsets that read at most 2 KiB
//!   or more than 512 KiB, and for two slices either of which is aligned;
//!   two slices at different offsets, neither aligned, read in the first
//!   one's form);
//! - `2x16`: two 16-byte loads per vector (`vmovups xmm` then `vinsertf128`
//!   from memory), which never cross a line from 16 bytes off (what the
//!   loops do from 16 bytes off where they read 2 to 16 MiB);
//! - `perm`: aligned 32-byte loads, each vector made from two neighbours by
//!   `vperm2f128` (only from 16 bytes off). The loops do not shuffle each
//!   vector: from 16 bytes off up to 512 KiB read they add the aligned
//!   loads as they are, into accumulators whose halves are rotated to match
//!   (and from the other offsets, whose lanes are), shuffling
//!   only a block's first and last vectors (`load_form` in
//!   `kernels/src/avx2.rs`). A version with one
//!   `vperm2f128` per vector and slice, as here, took between 0.2% less and
//!   54% more time than one 32-byte load at 256 and 4 Ki elements (criterion,
//!   `sum`, `mean`, `dot`, `sse`, `mse`), with the loops' separate multiply
//!   and add.
//!
//! Each gives the same vectors, so any of them would leave every result bit
//! as it is. The figures are GB/s read (both streams counted), the best of
//! 15 rounds, at four sizes per stream: 16 KiB (L1), 256 KiB (L2), 8 MiB
//! (L3) and 128 MiB (DRAM).
//!
//! One run on the machine behind the README (Zen 3), GB/s:
//!
//! | size per stream | offset | streams | 32 | 2x16 | perm |
//! | ---: | ---: | ---: | ---: | ---: | ---: |
//! | 16 KiB | 0 | 1 | 224 | 116 | - |
//! | 16 KiB | 0 | 2 | 217 | 112 | - |
//! | 16 KiB | 16 | 1 | 122 | 116 | 148 |
//! | 16 KiB | 16 | 2 | 133 | 112 | 184 |
//! | 256 KiB | 0 | 1 | 118 | 113 | - |
//! | 256 KiB | 0 | 2 | 109 | 102 | - |
//! | 256 KiB | 16 | 1 | 117 | 113 | 116 |
//! | 256 KiB | 16 | 2 | 108 | 108 | 107 |
//! | 8 MiB | 0 | 1 | 101 | 100 | - |
//! | 8 MiB | 0 | 2 | 66 | 68 | - |
//! | 8 MiB | 16 | 1 | 93 | 102 | 88 |
//! | 8 MiB | 16 | 2 | 67 | 75 | 69 |
//! | 128 MiB | 0 | 1 | 20 | 24 | - |
//! | 128 MiB | 0 | 2 | 23 | 24 | - |
//! | 128 MiB | 16 | 1 | 22 | 23 | 22 |
//! | 128 MiB | 16 | 2 | 23 | 24 | 23 |

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;
    use std::hint::black_box;
    use std::time::Instant;

    /// A load form (module docs).
    #[derive(Clone, Copy, PartialEq)]
    pub enum Form {
        Plain,
        Halves,
        Perm,
    }

    /// One vector at `$p` by two 16-byte loads, in `asm!` so that LLVM does
    /// not merge them into one (a macro: a function with AVX enabled for its
    /// `ymm` operand was not inlined). Needs AVX, and `$p` valid for reading
    /// 32 bytes.
    macro_rules! halves {
        ($p:expr) => {{
            let y: __m256;
            core::arch::asm!(
                "vmovups {y:x}, [{p}]",
                "vinsertf128 {y}, {y}, [{p} + 16], 1",
                p = in(reg) $p,
                y = out(ymm_reg) y,
                options(pure, readonly, nostack, preserves_flags),
            );
            y
        }};
    }

    /// The vector at `p` (16 bytes past a 32-byte boundary) from the aligned
    /// vectors before and after it; `prev` holds the one before, and gets
    /// the one after.
    ///
    /// # Safety
    /// AVX; `p - 16` 32-byte aligned, 48 bytes from it readable.
    #[inline(always)]
    unsafe fn perm(prev: &mut __m256, p: *const f32) -> __m256 {
        // SAFETY: the caller's guarantee.
        let next = unsafe { _mm256_load_ps(p.add(4)) };
        let v = _mm256_permute2f128_ps::<0x21>(*prev, next);
        *prev = next;
        v
    }

    /// `sum(a)` (`b == None`) or `sum(a * b)` over `nv` vectors, 8
    /// accumulators, in the load form `form`.
    ///
    /// # Safety
    /// AVX2 and FMA; `a` (and `b`) valid for reading `nv` vectors; `nv` a
    /// multiple of 8. For `Perm`, each also 16 bytes past a 32-byte
    /// boundary, with the 16 bytes before it and the 16 after its last
    /// vector readable (from the same allocation).
    #[target_feature(enable = "avx2,fma")]
    unsafe fn stream(form: Form, a: *const f32, b: Option<*const f32>, nv: usize) -> __m256 {
        let mut acc = [_mm256_setzero_ps(); 8];
        // SAFETY: the caller's guarantee.
        unsafe {
            let (mut pa, mut pb) = match form {
                Form::Perm => (
                    _mm256_load_ps(a.sub(4)),
                    b.map_or(_mm256_setzero_ps(), |b| _mm256_load_ps(b.sub(4))),
                ),
                _ => (_mm256_setzero_ps(), _mm256_setzero_ps()),
            };
            for i in (0..nv).step_by(8) {
                for (k, acc) in acc.iter_mut().enumerate() {
                    let off = (i + k) * 8;
                    let load = |p: *const f32, prev: &mut __m256| match form {
                        Form::Plain => _mm256_loadu_ps(p.add(off)),
                        Form::Halves => halves!(p.add(off)),
                        Form::Perm => perm(prev, p.add(off)),
                    };
                    let x = load(a, &mut pa);
                    *acc = match b {
                        None => _mm256_add_ps(*acc, x),
                        Some(b) => _mm256_fmadd_ps(x, load(b, &mut pb), *acc),
                    };
                }
            }
        }
        let [a0, a1, a2, a3, a4, a5, a6, a7] = acc;
        let s = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
        _mm256_add_ps(
            s,
            _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)),
        )
    }

    /// A buffer of `bytes` bytes (a multiple of 256) starting `off` bytes
    /// (0 or 16) past a 64-byte boundary, with at least 48 bytes to spare on
    /// either side: the buffer and the index of its first element.
    fn buffer(bytes: usize, off: usize) -> (Vec<f32>, usize) {
        let v = vec![1.0f32; (bytes + 192) / 4];
        let start = (64 - v.as_ptr() as usize % 64) % 64 + 64 + off;
        (v, start / 4)
    }

    pub fn run() {
        if !(is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")) {
            println!("this CPU lacks AVX2 or FMA");
            return;
        }
        println!("GB/s read, best of 15 rounds (`examples/loads.rs`)\n");
        println!("| size per stream | offset | streams | 32 | 2x16 | perm |");
        println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (label, bytes) in [
            ("16 KiB", 16 << 10),
            ("256 KiB", 256 << 10),
            ("8 MiB", 8 << 20),
            ("128 MiB", 128 << 20),
        ] {
            for off in [0, 16] {
                let (xa, sa) = buffer(bytes, off);
                let (xb, sb) = buffer(bytes, off);
                // (Pointers into the whole buffers: `Perm` reads 16 bytes
                // before the first vector.)
                // SAFETY: `sa` and `sb` are in bounds (`buffer`).
                let (a, b) = unsafe { (xa.as_ptr().add(sa), xb.as_ptr().add(sb)) };
                let nv = bytes / 32;
                let reps = ((1usize << 28) / bytes).max(1);
                for streams in [1, 2] {
                    let bs = (streams == 2).then_some(b);
                    let mut cells = Vec::new();
                    for form in [Form::Plain, Form::Halves, Form::Perm] {
                        if form == Form::Perm && off != 16 {
                            cells.push("-".to_string());
                            continue;
                        }
                        let mut best = f64::MAX;
                        for _ in 0..15 {
                            let t = Instant::now();
                            for _ in 0..reps {
                                // SAFETY: AVX2 and FMA are present; each
                                // buffer holds `nv` vectors from its start
                                // (a multiple of 8) with at least 48 bytes
                                // to spare on either side, and starts 16
                                // bytes past a 32-byte boundary where `Perm`
                                // is used.
                                black_box(unsafe { stream(form, black_box(a), bs, nv) });
                            }
                            best = best.min(t.elapsed().as_secs_f64());
                        }
                        let gbs = (reps * bytes * streams) as f64 / best / 1e9;
                        cells.push(format!("{gbs:.0}"));
                    }
                    println!("| {label} | {off} | {streams} | {} |", cells.join(" | "));
                }
            }
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::run();
    #[cfg(not(target_arch = "x86_64"))]
    println!("this example measures x86_64 loads only");
}
