//! The `portable` backend: the lane trait on the [`wide`] crate.
//!
//! `wide` picks its instructions at compile time from the target features the
//! crate is built with: SSE2 on baseline `x86_64`, AVX/AVX2 when built with
//! `-C target-cpu=native` (or another `-C target-cpu`/`-C target-feature`),
//! NEON on `aarch64`, `simd128` on wasm, and plain arrays elsewhere. This is
//! the compile-time backend: it needs no run-time detection, and it is what
//! every target gets without a dedicated run-time-dispatched backend. Every
//! method is the plain IEEE operation per lane (never `wide`'s `mul_add`), and
//! [`Vector::reduce_add`] spells out the documented halving tree rather than
//! relying on `wide`'s own horizontal sum, so results match the `scalar`
//! backend bit for bit.

use crate::lanes::{Isa, Vector};
use wide::bytemuck;

/// Eight `f32` lanes in a `wide::f32x8`.
#[derive(Clone, Copy, Debug)]
pub struct F32x8(wide::f32x8);
/// Four `f64` lanes in a `wide::f64x4`.
#[derive(Clone, Copy, Debug)]
pub struct F64x4(wide::f64x4);

macro_rules! portable_vector {
    ($v:ident, $w:ty, $e:ty, $bits:ty, $ubits:ty, $n:literal) => {
        impl Vector for $v {
            type Elem = $e;
            const LANES: usize = $n;

            #[cfg_attr(optimized, inline(always))]
            fn splat(x: $e) -> Self {
                $v(<$w>::splat(x))
            }
            #[cfg_attr(optimized, inline(always))]
            fn splat_bits(bits: u64) -> Self {
                $v(<$w>::from_bits(<$ubits>::splat(bits as $bits)))
            }
            #[cfg_attr(optimized, inline(always))]
            unsafe fn load(ptr: *const $e) -> Self {
                // SAFETY: the caller guarantees `ptr` is readable for LANES
                // elements; `read_unaligned` needs no alignment.
                $v(<$w>::new(unsafe { ptr.cast::<[$e; $n]>().read_unaligned() }))
            }
            #[cfg_attr(optimized, inline(always))]
            unsafe fn store(self, ptr: *mut $e) {
                // SAFETY: the caller guarantees `ptr` is writable for LANES
                // elements; `write_unaligned` needs no alignment.
                unsafe { ptr.cast::<[$e; $n]>().write_unaligned(self.0.to_array()) }
            }
            #[cfg_attr(optimized, inline(always))]
            fn add(self, o: Self) -> Self {
                $v(self.0 + o.0)
            }
            #[cfg_attr(optimized, inline(always))]
            fn sub(self, o: Self) -> Self {
                $v(self.0 - o.0)
            }
            #[cfg_attr(optimized, inline(always))]
            fn mul(self, o: Self) -> Self {
                $v(self.0 * o.0)
            }
            #[cfg_attr(optimized, inline(always))]
            fn div(self, o: Self) -> Self {
                $v(self.0 / o.0)
            }
            #[cfg_attr(optimized, inline(always))]
            fn reduce_add(self) -> $e {
                self.halving_sum()
            }
            #[cfg_attr(optimized, inline(always))]
            fn lt(self, o: Self) -> Self {
                $v(self.0.simd_lt(o.0))
            }
            #[cfg_attr(optimized, inline(always))]
            fn eq(self, o: Self) -> Self {
                $v(self.0.simd_eq(o.0))
            }
            #[cfg_attr(optimized, inline(always))]
            fn select(mask: Self, a: Self, b: Self) -> Self {
                // A blend (blendv on the sign bit, or and/andnot/or): the same
                // as the scalar bitwise blend, since mask lanes are all-ones
                // or all-zero.
                $v(mask.0.select(a.0, b.0))
            }
            #[cfg_attr(optimized, inline(always))]
            fn any(mask: Self) -> bool {
                // `to_bitmask` collects the sign bits on every target.
                mask.0.to_bitmask() != 0
            }
            #[cfg_attr(optimized, inline(always))]
            fn and_bits(self, o: Self) -> Self {
                $v(self.0 & o.0)
            }
            #[cfg_attr(optimized, inline(always))]
            fn or_bits(self, o: Self) -> Self {
                $v(self.0 | o.0)
            }
            #[cfg_attr(optimized, inline(always))]
            fn shr_bits<const S: i32>(self) -> Self {
                $v(<$w>::from_bits(self.0.to_bits() >> (S as u32)))
            }
            #[cfg_attr(optimized, inline(always))]
            fn add_bits(self, o: Self) -> Self {
                // Integer lane addition wraps in `wide`, as in SIMD hardware.
                $v(<$w>::from_bits(self.0.to_bits() + o.0.to_bits()))
            }
        }
    };
}

portable_vector!(F32x8, wide::f32x8, f32, u32, wide::u32x8, 8);
portable_vector!(F64x4, wide::f64x4, f64, u64, wide::u64x4, 4);

impl F32x8 {
    /// `((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))`: the high half is added to the
    /// low half as vectors, the last two halvings in scalar.
    #[cfg_attr(optimized, inline(always))]
    fn halving_sum(self) -> f32 {
        let [lo, hi]: [wide::f32x4; 2] = bytemuck::cast(self.0);
        let s = (lo + hi).to_array();
        (s[0] + s[2]) + (s[1] + s[3])
    }
}

impl F64x4 {
    /// `(l0+l2)+(l1+l3)`: the high half is added to the low half as vectors,
    /// the last halving in scalar.
    #[cfg_attr(optimized, inline(always))]
    fn halving_sum(self) -> f64 {
        let [lo, hi]: [wide::f64x2; 2] = bytemuck::cast(self.0);
        let s = (lo + hi).to_array();
        s[0] + s[1]
    }
}

/// The portable backend's marker type.
#[derive(Clone, Copy, Debug)]
pub struct Portable;

impl Isa for Portable {
    type F32 = F32x8;
    type F64 = F64x4;
    #[cfg_attr(optimized, inline(always))]
    fn widen(v: F32x8) -> (F64x4, F64x4) {
        // `wide` has no f32 -> f64 lane conversion; through arrays, which
        // the compiler turns into `cvtps2pd`/`fcvtl` where it can.
        let l = v.0.to_array();
        (
            F64x4(wide::f64x4::new([
                l[0] as f64,
                l[1] as f64,
                l[2] as f64,
                l[3] as f64,
            ])),
            F64x4(wide::f64x4::new([
                l[4] as f64,
                l[5] as f64,
                l[6] as f64,
                l[7] as f64,
            ])),
        )
    }
    #[cfg_attr(optimized, inline(always))]
    fn narrow(lo: F64x4, hi: F64x4) -> F32x8 {
        let (a, b) = (lo.0.to_array(), hi.0.to_array());
        F32x8(wide::f32x8::new([
            a[0] as f32,
            a[1] as f32,
            a[2] as f32,
            a[3] as f32,
            b[0] as f32,
            b[1] as f32,
            b[2] as f32,
            b[3] as f32,
        ]))
    }
}

crate::entry_points!(Portable);
