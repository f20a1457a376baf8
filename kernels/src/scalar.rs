//! The `scalar` backend: the lane trait on plain arrays.
//!
//! This is the reference every other backend must match bit for bit, and the
//! backend on targets without SIMD (Cortex-M, RISC-V, wasm without simd128).
//! Each method is the obvious loop over lanes; `reduce_add` spells out the
//! halving tree that the SIMD backends reproduce with shuffles.

use crate::lanes::{Isa, Vector};

/// Eight `f32` lanes in an array.
#[derive(Clone, Copy, Debug)]
pub struct F32x8(pub [f32; 8]);
/// Four `f64` lanes in an array.
#[derive(Clone, Copy, Debug)]
pub struct F64x4(pub [f64; 4]);

macro_rules! scalar_vector {
    ($v:ident, $e:ty, $bits:ty, $n:literal) => {
        impl $v {
            #[cfg_attr(optimized, inline(always))]
            fn map2(self, o: Self, f: impl Fn($e, $e) -> $e) -> Self {
                let mut r = self.0;
                for (r, o) in r.iter_mut().zip(o.0) {
                    *r = f(*r, o);
                }
                $v(r)
            }
            #[cfg_attr(optimized, inline(always))]
            fn map_bits2(self, o: Self, f: impl Fn($bits, $bits) -> $bits) -> Self {
                self.map2(o, |a, b| <$e>::from_bits(f(a.to_bits(), b.to_bits())))
            }
            #[cfg_attr(optimized, inline(always))]
            fn mask(b: bool) -> $e {
                <$e>::from_bits(if b { !0 } else { 0 })
            }
        }

        impl Vector for $v {
            type Elem = $e;
            const LANES: usize = $n;

            #[cfg_attr(optimized, inline(always))]
            fn splat(x: $e) -> Self {
                $v([x; $n])
            }
            #[cfg_attr(optimized, inline(always))]
            fn splat_bits(bits: u64) -> Self {
                $v([<$e>::from_bits(bits as $bits); $n])
            }
            #[cfg_attr(optimized, inline(always))]
            unsafe fn load(ptr: *const $e) -> Self {
                // SAFETY: the caller guarantees `ptr` is readable for LANES
                // elements; `read_unaligned` needs no alignment.
                $v(unsafe { ptr.cast::<[$e; $n]>().read_unaligned() })
            }
            #[cfg_attr(optimized, inline(always))]
            unsafe fn store(self, ptr: *mut $e) {
                // SAFETY: the caller guarantees `ptr` is writable for LANES elements.
                unsafe { ptr.cast::<[$e; $n]>().write_unaligned(self.0) }
            }
            #[cfg_attr(optimized, inline(always))]
            fn add(self, o: Self) -> Self {
                self.map2(o, |a, b| a + b)
            }
            #[cfg_attr(optimized, inline(always))]
            fn sub(self, o: Self) -> Self {
                self.map2(o, |a, b| a - b)
            }
            #[cfg_attr(optimized, inline(always))]
            fn mul(self, o: Self) -> Self {
                self.map2(o, |a, b| a * b)
            }
            #[cfg_attr(optimized, inline(always))]
            fn div(self, o: Self) -> Self {
                self.map2(o, |a, b| a / b)
            }
            #[cfg_attr(optimized, inline(always))]
            fn reduce_add(self) -> $e {
                let mut l = self.0;
                let mut half = $n / 2;
                while half > 0 {
                    for i in 0..half {
                        l[i] += l[i + half];
                    }
                    half /= 2;
                }
                l[0]
            }
            #[cfg_attr(optimized, inline(always))]
            fn lt(self, o: Self) -> Self {
                self.map2(o, |a, b| Self::mask(a < b))
            }
            #[cfg_attr(optimized, inline(always))]
            fn eq(self, o: Self) -> Self {
                self.map2(o, |a, b| Self::mask(a == b))
            }
            #[cfg_attr(optimized, inline(always))]
            fn select(mask: Self, a: Self, b: Self) -> Self {
                // Bitwise blend, as the SIMD backends do.
                let m = mask;
                a.map_bits2(m, |x, m| x & m)
                    .map_bits2(b.map_bits2(m, |y, m| y & !m), |x, y| x | y)
            }
            #[cfg_attr(optimized, inline(always))]
            fn any(mask: Self) -> bool {
                mask.0.iter().any(|m| m.is_sign_negative())
            }
            #[cfg_attr(optimized, inline(always))]
            fn and_bits(self, o: Self) -> Self {
                self.map_bits2(o, |a, b| a & b)
            }
            #[cfg_attr(optimized, inline(always))]
            fn or_bits(self, o: Self) -> Self {
                self.map_bits2(o, |a, b| a | b)
            }
            #[cfg_attr(optimized, inline(always))]
            fn shr_bits<const S: i32>(self) -> Self {
                self.map_bits2(self, |a, _| a >> S)
            }
            #[cfg_attr(optimized, inline(always))]
            fn add_bits(self, o: Self) -> Self {
                self.map_bits2(o, |a, b| a.wrapping_add(b))
            }
        }
    };
}

scalar_vector!(F32x8, f32, u32, 8);
scalar_vector!(F64x4, f64, u64, 4);

/// The scalar backend's marker type.
#[derive(Clone, Copy, Debug)]
pub struct Scalar;

impl Isa for Scalar {
    type F32 = F32x8;
    type F64 = F64x4;
    #[cfg_attr(optimized, inline(always))]
    fn widen(v: F32x8) -> (F64x4, F64x4) {
        let l = v.0;
        (
            F64x4([l[0] as f64, l[1] as f64, l[2] as f64, l[3] as f64]),
            F64x4([l[4] as f64, l[5] as f64, l[6] as f64, l[7] as f64]),
        )
    }
    #[cfg_attr(optimized, inline(always))]
    fn narrow(lo: F64x4, hi: F64x4) -> F32x8 {
        let (a, b) = (lo.0, hi.0);
        F32x8([
            a[0] as f32,
            a[1] as f32,
            a[2] as f32,
            a[3] as f32,
            b[0] as f32,
            b[1] as f32,
            b[2] as f32,
            b[3] as f32,
        ])
    }
}

crate::entry_points!(Scalar);
