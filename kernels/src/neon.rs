//! The `neon` backend: the lane trait on AArch64 Advanced SIMD (NEON).
//!
//! A 256-bit logical vector is a pair of 128-bit `q` registers:
//! - [`F32x8`] is two `float32x4_t`, lanes `0..4` in the first and `4..8` in
//!   the second;
//! - [`F64x4`] is two `float64x2_t`, lanes `0..2` then `2..4`.
//!
//! Every lane-wise method applies the same instruction to both halves. The
//! arithmetic is the plain IEEE `fadd`/`fsub`/`fmul`/`fdiv` (never
//! `fmla`/`fmadd`, which would fuse a product into a sum); comparisons are
//! `fcmgt`/`fcmeq` (false on NaN), `select` is `bsl`, and loads and stores are
//! the unaligned-capable `ld1`/`st1`. [`Vector::reduce_add`] reproduces the
//! scalar halving tree exactly: the two registers are added lane-wise
//! (`l[i] + l[i + 4]`), then the low and high 64-bit halves of that
//! (`s[i] + s[i + 2]`), then the last two lanes with the scalar pairwise add
//! `faddp`. (The vector `vpaddq`/`vaddvq` forms add *adjacent* lanes first, a
//! different tree, and are not used.)
//!
//! NEON is part of the AArch64 baseline: every hard-float `aarch64-*` target
//! enables the `neon` target feature, so the entry points need no
//! `#[target_feature]` attribute and no run-time detection. The intrinsics are
//! still `#[target_feature(enable = "neon")]` functions, which Rust lets safe
//! code call only from a function that itself enables the feature, so each
//! method wraps them in `unsafe`, justified by the module's gate: it is
//! compiled only when the target enables `neon` (soft-float targets such as
//! `aarch64-unknown-none-softfloat` lack it and get the other backends). The floating-point control
//! register is left as the platform sets it (round to nearest, no
//! flush-to-zero), exactly as for the scalar backend.

use core::arch::aarch64::*;

use crate::lanes::{Isa, Vector};

/// Eight `f32` lanes in two NEON registers: lanes `0..4`, then `4..8`.
#[derive(Clone, Copy, Debug)]
pub struct F32x8(float32x4_t, float32x4_t);

/// Four `f64` lanes in two NEON registers: lanes `0..2`, then `2..4`.
#[derive(Clone, Copy, Debug)]
pub struct F64x4(float64x2_t, float64x2_t);

/// Lane-wise float methods: one intrinsic on each of the two registers.
macro_rules! lanewise {
    ($v:ident; $($name:ident => $f:ident),* $(,)?) => {$(
        #[cfg_attr(optimized, inline(always))]
        fn $name(self, o: Self) -> Self {
            // SAFETY: `neon` is enabled at compile time (the module is gated on
            // it); the intrinsic only computes on registers.
            unsafe { $v($f(self.0, o.0), $f(self.1, o.1)) }
        }
    )*};
}

/// Lane-wise comparisons: the unsigned mask reinterpreted as floats.
macro_rules! compare {
    ($v:ident, $to_f:ident; $($name:ident => $f:ident),* $(,)?) => {$(
        #[cfg_attr(optimized, inline(always))]
        fn $name(self, o: Self) -> Self {
            // SAFETY: `neon` is enabled at compile time (the module is gated on
            // it); the intrinsics only compute on registers.
            unsafe { $v($to_f($f(self.0, o.0)), $to_f($f(self.1, o.1))) }
        }
    )*};
}

/// Lane-wise integer methods on the bit patterns.
macro_rules! bitwise {
    ($v:ident, $to_u:ident, $to_f:ident; $($name:ident => $f:ident),* $(,)?) => {$(
        #[cfg_attr(optimized, inline(always))]
        fn $name(self, o: Self) -> Self {
            // SAFETY: `neon` is enabled at compile time (the module is gated on
            // it); the intrinsics only compute on registers.
            unsafe {
                $v(
                    $to_f($f($to_u(self.0), $to_u(o.0))),
                    $to_f($f($to_u(self.1), $to_u(o.1))),
                )
            }
        }
    )*};
}

impl Vector for F32x8 {
    type Elem = f32;
    const LANES: usize = 8;

    #[cfg_attr(optimized, inline(always))]
    fn splat(x: f32) -> Self {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsic only computes on registers.
        let v = unsafe { vdupq_n_f32(x) };
        F32x8(v, v)
    }
    #[cfg_attr(optimized, inline(always))]
    fn splat_bits(bits: u64) -> Self {
        // SAFETY: as for `splat`.
        let v = unsafe { vreinterpretq_f32_u32(vdupq_n_u32(bits as u32)) };
        F32x8(v, v)
    }
    #[cfg_attr(optimized, inline(always))]
    unsafe fn load(ptr: *const f32) -> Self {
        // SAFETY: the caller guarantees `ptr` is readable for 8 `f32`s, so
        // `ptr` and `ptr + 4` are each readable for 4; `vld1q_f32` has no
        // alignment requirement beyond `f32`'s, which `*const f32` implies.
        // `neon` is enabled at compile time.
        unsafe { F32x8(vld1q_f32(ptr), vld1q_f32(ptr.add(4))) }
    }
    #[cfg_attr(optimized, inline(always))]
    unsafe fn store(self, ptr: *mut f32) {
        // SAFETY: the caller guarantees `ptr` is writable for 8 `f32`s, so
        // `ptr` and `ptr + 4` are each writable for 4; `vst1q_f32` has no
        // alignment requirement beyond `f32`'s. `neon` is enabled at compile
        // time.
        unsafe {
            vst1q_f32(ptr, self.0);
            vst1q_f32(ptr.add(4), self.1);
        }
    }

    lanewise!(F32x8; add => vaddq_f32, sub => vsubq_f32, mul => vmulq_f32, div => vdivq_f32);

    #[cfg_attr(optimized, inline(always))]
    fn reduce_add(self) -> f32 {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            // s[i] = l[i] + l[i + 4]
            let s = vaddq_f32(self.0, self.1);
            // t[i] = s[i] + s[i + 2]
            let t = vadd_f32(vget_low_f32(s), vget_high_f32(s));
            // t[0] + t[1]
            vpadds_f32(t)
        }
    }

    compare!(F32x8, vreinterpretq_f32_u32; lt => vcltq_f32, eq => vceqq_f32);

    #[cfg_attr(optimized, inline(always))]
    fn select(mask: Self, a: Self, b: Self) -> Self {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            F32x8(
                vbslq_f32(vreinterpretq_u32_f32(mask.0), a.0, b.0),
                vbslq_f32(vreinterpretq_u32_f32(mask.1), a.1, b.1),
            )
        }
    }
    #[cfg_attr(optimized, inline(always))]
    fn any(mask: Self) -> bool {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        let max = unsafe {
            vmaxvq_u32(vorrq_u32(
                vreinterpretq_u32_f32(mask.0),
                vreinterpretq_u32_f32(mask.1),
            ))
        };
        // The largest lane has its top bit set iff some lane has.
        max >> 31 != 0
    }

    bitwise!(F32x8, vreinterpretq_u32_f32, vreinterpretq_f32_u32;
        and_bits => vandq_u32, or_bits => vorrq_u32, add_bits => vaddq_u32);

    #[cfg_attr(optimized, inline(always))]
    fn shr_bits<const S: i32>(self) -> Self {
        // `ushr` takes immediates 1..=32: another `S` fails to compile.
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            F32x8(
                vreinterpretq_f32_u32(vshrq_n_u32::<S>(vreinterpretq_u32_f32(self.0))),
                vreinterpretq_f32_u32(vshrq_n_u32::<S>(vreinterpretq_u32_f32(self.1))),
            )
        }
    }
}

impl Vector for F64x4 {
    type Elem = f64;
    const LANES: usize = 4;

    #[cfg_attr(optimized, inline(always))]
    fn splat(x: f64) -> Self {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsic only computes on registers.
        let v = unsafe { vdupq_n_f64(x) };
        F64x4(v, v)
    }
    #[cfg_attr(optimized, inline(always))]
    fn splat_bits(bits: u64) -> Self {
        // SAFETY: as for `splat`.
        let v = unsafe { vreinterpretq_f64_u64(vdupq_n_u64(bits)) };
        F64x4(v, v)
    }
    #[cfg_attr(optimized, inline(always))]
    unsafe fn load(ptr: *const f64) -> Self {
        // SAFETY: the caller guarantees `ptr` is readable for 4 `f64`s, so
        // `ptr` and `ptr + 2` are each readable for 2; `vld1q_f64` has no
        // alignment requirement beyond `f64`'s, which `*const f64` implies.
        // `neon` is enabled at compile time.
        unsafe { F64x4(vld1q_f64(ptr), vld1q_f64(ptr.add(2))) }
    }
    #[cfg_attr(optimized, inline(always))]
    unsafe fn store(self, ptr: *mut f64) {
        // SAFETY: the caller guarantees `ptr` is writable for 4 `f64`s, so
        // `ptr` and `ptr + 2` are each writable for 2; `vst1q_f64` has no
        // alignment requirement beyond `f64`'s. `neon` is enabled at compile
        // time.
        unsafe {
            vst1q_f64(ptr, self.0);
            vst1q_f64(ptr.add(2), self.1);
        }
    }

    lanewise!(F64x4; add => vaddq_f64, sub => vsubq_f64, mul => vmulq_f64, div => vdivq_f64);

    #[cfg_attr(optimized, inline(always))]
    fn reduce_add(self) -> f64 {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            // s[i] = l[i] + l[i + 2]
            let s = vaddq_f64(self.0, self.1);
            // s[0] + s[1]
            vpaddd_f64(s)
        }
    }

    compare!(F64x4, vreinterpretq_f64_u64; lt => vcltq_f64, eq => vceqq_f64);

    #[cfg_attr(optimized, inline(always))]
    fn select(mask: Self, a: Self, b: Self) -> Self {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            F64x4(
                vbslq_f64(vreinterpretq_u64_f64(mask.0), a.0, b.0),
                vbslq_f64(vreinterpretq_u64_f64(mask.1), a.1, b.1),
            )
        }
    }
    #[cfg_attr(optimized, inline(always))]
    fn any(mask: Self) -> bool {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        let m = unsafe {
            let m = vorrq_u64(vreinterpretq_u64_f64(mask.0), vreinterpretq_u64_f64(mask.1));
            vgetq_lane_u64::<0>(m) | vgetq_lane_u64::<1>(m)
        };
        m >> 63 != 0
    }

    bitwise!(F64x4, vreinterpretq_u64_f64, vreinterpretq_f64_u64;
        and_bits => vandq_u64, or_bits => vorrq_u64, add_bits => vaddq_u64);

    #[cfg_attr(optimized, inline(always))]
    fn shr_bits<const S: i32>(self) -> Self {
        // `ushr` takes immediates 1..=64: another `S` fails to compile.
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            F64x4(
                vreinterpretq_f64_u64(vshrq_n_u64::<S>(vreinterpretq_u64_f64(self.0))),
                vreinterpretq_f64_u64(vshrq_n_u64::<S>(vreinterpretq_u64_f64(self.1))),
            )
        }
    }
}

/// The NEON backend's marker type.
#[derive(Clone, Copy, Debug)]
pub struct Neon;

impl Isa for Neon {
    type F32 = F32x8;
    type F64 = F64x4;
    #[cfg_attr(optimized, inline(always))]
    fn widen(v: F32x8) -> (F64x4, F64x4) {
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            (
                F64x4(vcvt_f64_f32(vget_low_f32(v.0)), vcvt_high_f64_f32(v.0)),
                F64x4(vcvt_f64_f32(vget_low_f32(v.1)), vcvt_high_f64_f32(v.1)),
            )
        }
    }
    #[cfg_attr(optimized, inline(always))]
    fn narrow(lo: F64x4, hi: F64x4) -> F32x8 {
        // `fcvtn`/`fcvtn2` round with the current mode: nearest, ties to even.
        // SAFETY: `neon` is enabled at compile time (the module is gated on
        // it); the intrinsics only compute on registers.
        unsafe {
            F32x8(
                vcvt_high_f32_f64(vcvt_f32_f64(lo.0), lo.1),
                vcvt_high_f32_f64(vcvt_f32_f64(hi.0), hi.1),
            )
        }
    }
}

crate::entry_points!(Neon);
