//! `ln`: the natural logarithm, elementwise.
//!
//! - Method (`f64` lanes, after fdlibm's `e_log.c`): write `x = 2^k * m` with
//!   `m` in `[sqrt(2)/2, sqrt(2))` (subnormals are first scaled by `2^54`),
//!   `f = m - 1` (exact), `s = f / (2 + f)`; then
//!   `ln(1 + f) = f - f^2/2 + s * (f^2/2 + R(s^2))` with fdlibm's degree-14
//!   minimax `R`, and `ln(x) = k*ln2_hi - ((f^2/2 - (s*(f^2/2 + R) + k*ln2_lo)) - f)`,
//!   `ln2_hi` having 32 trailing zero bits so that `k*ln2_hi` is exact.
//!   Only `+ - * /` and bit operations: no table, no fused multiply-add, so
//!   every backend gives the same bits.
//! - `f32`: each lane is widened to `f64` (exactly), takes the `f64` path, and
//!   is rounded once to `f32`. That is the correctly rounded result except
//!   where the `f64` value falls within an ulp of an `f32` rounding midpoint;
//!   such lanes are looked up in [`HARD_F32`] (five inputs in all 2^32, found
//!   by exhaustive search and confirmed with mpmath), so `f32` `ln` is
//!   correctly rounded everywhere, on every backend.
//! - Error bound: see [`crate::bounds::LN_F64_ULP`] and
//!   [`crate::bounds::LN_F32_ULP`].
//! - Special values (IEEE 754 / C99): `ln(+-0) = -inf`, `ln(x < 0) = NaN`,
//!   `ln(+inf) = +inf`, `ln(NaN) = NaN`, `ln(1) = +0`.

use crate::lanes::{Isa, Vector};
use crate::reduce::{load_at, load_tail};

// fdlibm's coefficients, digit for digit as published.
#[allow(clippy::excessive_precision)]
const LG1: f64 = 6.666666666666735130e-01;
#[allow(clippy::excessive_precision)]
const LG2: f64 = 3.999999999940941908e-01;
#[allow(clippy::excessive_precision)]
const LG3: f64 = 2.857142874366239149e-01;
#[allow(clippy::excessive_precision)]
const LG4: f64 = 2.222219843214978396e-01;
#[allow(clippy::excessive_precision)]
const LG5: f64 = 1.818357216161805012e-01;
#[allow(clippy::excessive_precision)]
const LG6: f64 = 1.531383769920937332e-01;
#[allow(clippy::excessive_precision)]
const LG7: f64 = 1.479819860511658591e-01;
#[allow(clippy::excessive_precision)]
const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3fe62e42_fee00000
#[allow(clippy::excessive_precision)]
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3dea39ef_35793c76

/// `ln` of each lane of `x`.
#[inline(always)]
pub fn ln_f64x4<V: Vector<Elem = f64>>(x: V) -> V {
    let s = V::splat;
    // Fast path: every lane positive, normal and finite (NaN fails `< inf`).
    let bad = V::select(
        x.lt(s(f64::INFINITY)),
        x.lt(s(f64::MIN_POSITIVE)),
        V::splat_bits(!0),
    );
    if !V::any(bad) {
        return ln_normal(x, s(0.0));
    }
    // Subnormals: scale into the normal range, remember the exponent shift.
    let tiny = x.lt(s(f64::MIN_POSITIVE));
    let xs = V::select(tiny, x.mul(s(18014398509481984.0)), x); // 2^54
    let kadj = V::select(tiny, s(-54.0), s(0.0));
    let res = ln_normal(xs, kadj);
    // Special values, in an order that lets later rules win.
    let zero = s(0.0);
    let res = V::select(x.lt(zero), s(f64::NAN), res);
    let res = V::select(x.eq(zero), s(f64::NEG_INFINITY), res);
    let res = V::select(x.eq(s(f64::INFINITY)), x, res);
    V::select(x.eq(x), res, x) // NaN in, NaN out
}

/// `ln(xs) + kadj * ln(2)` for positive, normal, finite lanes `xs`.
#[inline(always)]
fn ln_normal<V: Vector<Elem = f64>>(xs: V, kadj: V) -> V {
    let s = V::splat;
    // Biased exponent as a float: OR the exponent field into 2^52's mantissa.
    let two52 = s(4503599627370496.0);
    let e = xs.shr_bits::<52>().or_bits(two52).sub(two52);
    // Mantissa in [1, 2).
    let m = xs
        .and_bits(V::splat_bits(0x000f_ffff_ffff_ffff))
        .or_bits(s(1.0));
    // Fold m into [sqrt(2)/2, sqrt(2)).
    let big = s(core::f64::consts::SQRT_2).lt(m);
    let m = V::select(big, m.mul(s(0.5)), m);
    let k = e
        .sub(s(1023.0))
        .add(kadj)
        .add(V::select(big, s(1.0), s(0.0)));
    let f = m.sub(s(1.0));
    let hfsq = s(0.5).mul(f).mul(f);
    let sv = f.div(s(2.0).add(f));
    let z = sv.mul(sv);
    let w = z.mul(z);
    let t1 = w.mul(s(LG2).add(w.mul(s(LG4).add(w.mul(s(LG6))))));
    let t2 = z.mul(s(LG1).add(w.mul(s(LG3).add(w.mul(s(LG5).add(w.mul(s(LG7))))))));
    let r = t2.add(t1);
    k.mul(s(LN2_HI))
        .sub(hfsq.sub(sv.mul(hfsq.add(r)).add(k.mul(s(LN2_LO)))).sub(f))
}

/// How close, in `f64` ulps, an `f64` result may come to an `f32` rounding
/// midpoint before the `f32` result is looked up in [`HARD_F32`]. The `f64`
/// path's error is below 1 ulp, so only results within 1 ulp of a midpoint
/// can round the wrong way; 2 leaves a margin. The exhaustive test checks
/// every `f32` input.
const MIDPOINT_ULPS: f64 = 2.0;

/// A mask of the lanes of `y` (normal `f64`s) within [`MIDPOINT_ULPS`] of an
/// `f32` rounding midpoint: the 29 bits that rounding to `f32` drops, read as
/// an integer (OR-ed into the mantissa of `2^52`), minus `2^28`, the midpoint.
#[inline(always)]
fn near_f32_midpoint<V: Vector<Elem = f64>>(y: V) -> V {
    let two52 = V::splat(4503599627370496.0);
    let dist = y
        .and_bits(V::splat_bits(0x1fff_ffff))
        .or_bits(two52)
        .sub(V::splat(4503599627370496.0 + 268435456.0));
    dist.and_bits(V::splat_bits(0x7fff_ffff_ffff_ffff))
        .lt(V::splat(MIDPOINT_ULPS + 0.5))
}

/// The `f32` inputs whose `f64` result lies so close to an `f32` rounding
/// midpoint that it rounds the wrong way, with their correctly rounded
/// results, as `(input bits, result bits)` sorted by input. Found by the
/// exhaustive search in `tests/ln_exhaustive.rs`, each confirmed with mpmath.
pub const HARD_F32: &[(u32, u32)] = &crate::ln_hard::HARD_F32;

/// Patches the lanes of `r` whose input is in [`HARD_F32`].
#[cold]
#[inline(never)]
fn patch_hard<V: Vector<Elem = f32>>(x: V, r: V) -> V {
    let (mut xs, mut rs) = ([0.0f32; 8], [0.0f32; 8]);
    x.store_partial(&mut xs);
    r.store_partial(&mut rs);
    for (xv, rv) in xs.iter().zip(rs.iter_mut()) {
        if let Ok(i) = HARD_F32.binary_search_by_key(&xv.to_bits(), |e| e.0) {
            if let Some(e) = HARD_F32.get(i) {
                *rv = f32::from_bits(e.1);
            }
        }
    }
    V::load_partial(&rs)
}

/// `ln` of each lane of an `f32x8`, correctly rounded: through `f64`, with
/// the rare results near an `f32` midpoint checked against [`HARD_F32`].
#[inline(always)]
pub fn ln_f32x8<I: Isa>(x: I::F32) -> I::F32 {
    let (lo, hi) = I::widen(x);
    let (ylo, yhi) = (ln_f64x4(lo), ln_f64x4(hi));
    let r = I::narrow(ylo, yhi);
    let near = near_f32_midpoint(ylo).or_bits(near_f32_midpoint(yhi));
    if <I::F64 as Vector>::any(near) {
        patch_hard(x, r)
    } else {
        r
    }
}

/// Applies `f` to `x` vector by vector into `out` (`min` of the lengths).
#[inline(always)]
pub fn map<V: Vector>(x: &[V::Elem], out: &mut [V::Elem], f: impl Fn(V) -> V) {
    let n = x.len().min(out.len());
    let (x, out) = (&x[..n], &mut out[..n]);
    let mut i = 0;
    while n - i >= V::LANES {
        // SAFETY: `i + LANES <= n` and both slices have `n` elements.
        unsafe { f(load_at::<V>(x, i)).store(out.as_mut_ptr().add(i)) };
        i += V::LANES;
    }
    if i < n {
        f(load_tail::<V>(x, i)).store_partial(out.get_mut(i..).unwrap_or(&mut []));
    }
}

/// Applies `f` to `x` in place, vector by vector.
#[inline(always)]
pub fn map_in_place<V: Vector>(x: &mut [V::Elem], f: impl Fn(V) -> V) {
    let n = x.len();
    let mut i = 0;
    while n - i >= V::LANES {
        // SAFETY: `i + LANES <= n`; the load completes before the store.
        unsafe {
            let p = x.as_mut_ptr().add(i);
            f(V::load(p)).store(p);
        }
        i += V::LANES;
    }
    if i < n {
        let tail = x.get_mut(i..).unwrap_or(&mut []);
        f(V::load_partial(tail)).store_partial(tail);
    }
}

/// Natural log of `f64`s, out of place.
#[inline(always)]
pub fn ln_f64<V: Vector<Elem = f64>>(x: &[f64], out: &mut [f64]) {
    map::<V>(
        x,
        out,
        #[inline(always)]
        |v| ln_f64x4::<V>(v),
    );
}

/// Natural log of `f64`s, in place.
#[inline(always)]
pub fn ln_in_place_f64<V: Vector<Elem = f64>>(x: &mut [f64]) {
    map_in_place::<V>(
        x,
        #[inline(always)]
        |v| ln_f64x4::<V>(v),
    );
}

/// Natural log of `f32`s, out of place.
#[inline(always)]
pub fn ln_f32<I: Isa>(x: &[f32], out: &mut [f32]) {
    map::<I::F32>(
        x,
        out,
        #[inline(always)]
        |v| ln_f32x8::<I>(v),
    );
}

/// Natural log of `f32`s, in place.
#[inline(always)]
pub fn ln_in_place_f32<I: Isa>(x: &mut [f32]) {
    map_in_place::<I::F32>(
        x,
        #[inline(always)]
        |v| ln_f32x8::<I>(v),
    );
}
