//! `ln`: the natural logarithm, elementwise.
//!
//! - Method for `f64` (a table method in the style of Tang's, without fused
//!   multiply-adds): subnormals are first scaled by `2^54`. With the input's
//!   bits offset by `0x3fe6780000000000` (`0.70215`), integer arithmetic on the
//!   bits gives `x = 2^k * z` with `z` in `[0.702, 1.404)`, and the top 8
//!   mantissa bits of `bits - offset` pick one of 256 intervals of `z`. Each
//!   has `INVC` near `1/c` with 24 significant bits and `LOGC = -ln(INVC)`
//!   rounded to `f64` (`ln_table64.rs`, written by `scripts/ln_f64_table.py`):
//!   of the 24-bit values within `2^-12` of `1/c`, the one whose `LOGC` is
//!   closest to the exact value (Gal's accurate tables), so `LOGC` is within
//!   `2^-63.8` relative and needs no low part. Then:
//!   - `r = z * INVC - 1`, `|r| < 2^-8.8`, exactly as `r + r_err`: `z` split
//!     into 29 and 24 significant bits makes both products exact,
//!     `z_hi * INVC - 1` is exact by Sterbenz, and a Fast2Sum adds the parts.
//!   - `ln(x) = k*ln2_hi + LOGC + r + lo`, the first three added with two
//!     Fast2Sums (`k*ln2_hi` exact, `ln2_hi` having 32 significant bits), and
//!     `lo` gathers their errors, `r_err`, `k*ln2_lo` and
//!     `log1p(r) - r = r^3 * P(r) - r^2/2`, `P` the Taylor polynomial up to
//!     the `r^7` term (relative error below `2^-64`).
//!   - One final rounding of the sum. The interval holding 1.0 has `INVC = 1`,
//!     `LOGC = 0`, so results near 0 keep their relative accuracy; elsewhere
//!     `|ln x| >= 2^-10`, against which the small terms' roundings are below
//!     `0.01` ulp (see [`crate::bounds::LN_F64_ULP`]).
//!   - Only `+ - *` and bit operations: no division, no fused multiply-add,
//!     so every backend gives the same bits.
//! - `f32`, fast path (every lane positive, normal and finite): with the
//!   input's bits offset by `OFF = 0x3f338000`, `x = 2^k * z` with `z` in
//!   `[0.701, 1.402)`; the top 7 mantissa bits of `bits - OFF` pick one of
//!   128 intervals of `z`, whose `INVC = 1/c` (24 significant bits) and
//!   `LOGC = -ln(INVC)` (correctly rounded) come from a table of `f64` pairs
//!   (`ln_table.rs`, written by `scripts/ln_f32_table.py`).
//!   In `f64` lanes, `r = z * INVC - 1` is exact (24-bit times 24-bit
//!   significands, then Sterbenz), `|r| < 2^-8`, and
//!   `ln(x) = k*ln2 + LOGC + log1p(r)` with the degree-5 Taylor polynomial of
//!   `log1p`, whose relative error is below `|r|^5/6 < 2^-42.5`. No
//!   division, no fused multiply-add. The interval
//!   holding 1.0 has `INVC = 1`, `LOGC = 0`, so results near 0 keep their
//!   relative accuracy. The result's error is far below [`FAST_ULPS`]
//!   `f64` ulps, so a lane whose `f64` value is further than that from an
//!   `f32` rounding midpoint rounds correctly. A vector with any other lane
//!   (one lane in about 65536, so about one vector of 8 in 8192), or with a
//!   zero, negative, subnormal, infinite or NaN lane, takes the exact path
//!   below instead, all 8 lanes.
//! - `f32`, fast path on `avx2`: its own method in `f32` lanes, with fused
//!   multiply-adds and a rounding test that keeps only lanes whose correctly
//!   rounded result is certain (`crate::avx2`; about one lane in 8000 is
//!   deferred to the exact path). So its results are the same bits.
//! - Both `f32` fast paths are software-pipelined: vector `i + 1`'s fast path
//!   is issued before vector `i`'s verdict is acted on.
//! - `f32`, exact path: each lane is widened to `f64` (exactly), takes the
//!   `f64` method above, and is rounded once to `f32`. That is the correctly
//!   rounded result except where the `f64` value falls within an ulp of an
//!   `f32` rounding midpoint; such lanes are looked up in [`HARD_F32`] (five
//!   inputs in all 2^32, found by exhaustive search and confirmed with
//!   mpmath). So `f32` `ln` is correctly rounded everywhere, on every backend,
//!   which `tests/ln_exhaustive.rs` checks for all 2^32 inputs on each
//!   backend of the machine it runs on (in CI: `scalar`, `portable`, `avx2`;
//!   under qemu, aarch64's `scalar`, `portable` and `neon` on 1/32 of the
//!   inputs in every binade, and all 2^32 once, as the README says).
//! - Error bound: see [`crate::bounds::LN_F64_ULP`] and
//!   [`crate::bounds::LN_F32_ULP`].
//! - Special values (IEEE 754 / C99): `ln(+-0) = -inf`, `ln(x < 0) = NaN`,
//!   `ln(+inf) = +inf`, `ln(NaN) = NaN`, `ln(1) = +0`.

use crate::lanes::{Isa, Vector};
use crate::ln_table::TABLE;
use crate::ln_table64::TABLE64;

/// `ln(2)` to 32 significant bits (fdlibm's split), so that `k * LN2_HI` is
/// exact for every exponent `k`...
#[allow(clippy::excessive_precision)]
const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3fe62e42_fee00000
/// ... and `ln(2) - LN2_HI`, rounded.
#[allow(clippy::excessive_precision)]
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3dea39ef_35793c76

/// A mask of the lanes of `x` that are not positive, normal and finite
/// (`min_positive` and `inf` are the type's; NaN fails `< inf`): the lanes
/// the fast paths leave to the general ones.
#[cfg_attr(optimized, inline(always))]
fn off_normal<V: Vector>(x: V, min_positive: V::Elem, inf: V::Elem) -> V {
    V::select(
        x.lt(V::splat(inf)),
        x.lt(V::splat(min_positive)),
        V::splat_bits(!0),
    )
}

/// `2^52`: an integer below `2^52` OR-ed into its mantissa reads as
/// `2^52 + integer`, exactly.
const TWO52: f64 = 4503599627370496.0;

/// The bits of `0.7021484375`: offsetting by it puts `1.0` in the middle of
/// one of the `f64` table's 256 intervals.
const OFF_T64: u64 = 0x3fe6_7800_0000_0000;

/// `ln` of each lane of `x`, by the table method (module docs): the two
/// pipeline stages (`ln_f64_stage`, then `ln_f64_finish`) in a row.
#[cfg_attr(optimized, inline(always))]
pub fn ln_f64x4<I: Isa>(x: I::F64) -> I::F64 {
    ln_f64_finish::<I>(ln_f64_stage::<I>(x))
}

/// `ln` of each lane of `x` when some lane is not positive, normal and
/// finite: subnormals scaled into the normal range, then the special values.
#[cfg_attr(optimized, inline(always))]
fn ln_f64x4_special<I: Isa>(x: I::F64) -> I::F64 {
    type V<I> = <I as Isa>::F64;
    let s = V::<I>::splat;
    // Subnormals: scale into the normal range, remember the exponent shift.
    let tiny = x.lt(s(f64::MIN_POSITIVE));
    let xs = V::<I>::select(tiny, x.mul(s(18014398509481984.0)), x); // 2^54
    let kadj = V::<I>::select(tiny, s(-54.0), s(0.0));
    let [k, z, invc, logc] = ln_table_start::<I>(xs);
    let res = ln_table_finish::<I>([k.add(kadj), z, invc, logc]);
    // Special values, in an order that lets later rules win.
    let zero = s(0.0);
    let res = V::<I>::select(x.lt(zero), s(f64::NAN), res);
    let res = V::<I>::select(x.eq(zero), s(f64::NEG_INFINITY), res);
    let res = V::<I>::select(x.eq(s(f64::INFINITY)), x, res);
    V::<I>::select(x.eq(x), res, x) // NaN in, NaN out
}

/// The first half of `ln` by the table method, for positive, normal, finite
/// lanes `xs`: up to the table lookup, `[k, z, invc, logc]`.
#[cfg_attr(optimized, inline(always))]
fn ln_table_start<I: Isa>(xs: I::F64) -> [I::F64; 4] {
    type V<I> = <I as Isa>::F64;
    let s = V::<I>::splat;
    let b = V::<I>::splat_bits;
    // t = bits - OFF_T64 + 2^62: no wrap for positive normal finite inputs;
    // bits 52.. hold k + 1024, bits 44..52 the interval, bits ..52 the
    // reduced argument's offset from OFF_T64.
    let t = xs.add_bits(b((1u64 << 62).wrapping_sub(OFF_T64)));
    let z = t.and_bits(b(0x000f_ffff_ffff_ffff)).add_bits(b(OFF_T64));
    let k = t.shr_bits::<52>().or_bits(s(TWO52)).sub(s(TWO52 + 1024.0));
    let (invc, logc) = I::lookup_pair64(&TABLE64, t.shr_bits::<44>());
    [k, z, invc, logc]
}

/// The second half: `ln` from [`ln_table_start`]'s values (`k` may have
/// been adjusted for scaled subnormals).
#[cfg_attr(optimized, inline(always))]
fn ln_table_finish<I: Isa>([k, z, invc, logc]: [I::F64; 4]) -> I::F64 {
    type V<I> = <I as Isa>::F64;
    let s = V::<I>::splat;
    let b = V::<I>::splat_bits;
    // r = z * invc - 1 as r + r_err: z split into 29 and 24 significant
    // bits makes both products exact, and `z_hi * invc - 1` is exact by
    // Sterbenz. Fast2Sum then gives r_err exactly if |ra| >= |rb| (and in the
    // interval of 1.0, where invc = 1 and r = z - 1 is exact, r_err = 0);
    // otherwise |r| < 2^-26.5 and r_err is off by at most 2^-78, negligible
    // against |ln x| >= 2^-10 (the table's header).
    let z_hi = z.and_bits(b(!0x00ff_ffff));
    let ra = z_hi.mul(invc).sub(s(1.0));
    let rb = z.sub(z_hi).mul(invc);
    let r = ra.add(rb);
    let r_err = rb.sub(r.sub(ra));
    // log1p(r) - r = r^3 * P(r) - r^2/2, P from the Taylor series of log1p
    // up to its r^7 term: |r| < 2^-8.8 leaves a relative error below
    // |r|^7/8 < 2^-64. (r^3 first: a shorter dependency chain.)
    let r2 = r.mul(r);
    let p01 = s(1.0 / 3.0).add(r.mul(s(-0.25)));
    let p23 = s(0.2).add(r.mul(s(-1.0 / 6.0)));
    let p = p01.add(r2.mul(p23.add(r2.mul(s(1.0 / 7.0)))));
    let tail = r2.mul(r).mul(p).sub(r2.mul(s(0.5)));
    // k*ln2_hi (exact) + logc + r as s2 + e1 + e2, by two Fast2Sums: for
    // k != 0, |k*ln2_hi| >= ln2 > |logc| + |r|; for k = 0, k*ln2_hi = 0 and
    // |logc| >= |r| or logc = 0 (the table's header).
    let kh = k.mul(s(LN2_HI));
    let s1 = kh.add(logc);
    let e1 = logc.sub(s1.sub(kh));
    let s2 = s1.add(r);
    let e2 = r.sub(s2.sub(s1));
    let lo = r_err.add(e1).add(e2.add(k.mul(s(LN2_LO)))).add(tail);
    s2.add(lo)
}

/// How close, in `f64` ulps, an `f64` result may come to an `f32` rounding
/// midpoint before the `f32` result is looked up in [`HARD_F32`]. The `f64`
/// method's error is below [`crate::bounds::LN_F64_ULP`] (0.52) ulp, so only
/// results within 1 ulp of a midpoint can round the wrong way; 2 leaves a
/// margin. The exhaustive test checks
/// every `f32` input.
const MIDPOINT_ULPS: u64 = 2;

/// How close, in `f64` ulps, a result of the generic fast `f32` path may come to an
/// `f32` rounding midpoint before the lane is recomputed on the exact path.
/// The fast path's error is below `2^-42.5` relative plus a few roundings,
/// under `2^10.5` ulps; `2^12` leaves a margin. A lane falls this close with
/// probability about `2 * 2^12 / 2^29 = 2^-16`.
pub const FAST_ULPS: u64 = 4096;

/// A mask of the lanes of `y` (normal `f64`s) within `ulps` (an integer
/// below `2^27`) of an `f32` rounding midpoint. The 29 bits that rounding to
/// `f32` drops, read as an integer `d`, are `2^28` at the midpoint; adding
/// `2^28 + ulps` (mod `2^29`) maps `[2^28 - ulps, 2^28 + ulps]` onto
/// `[0, 2 ulps]`, which is OR-ed into the mantissa of `2^52` and compared as
/// a normal `f64` (so that a caller's denormals-are-zero mode cannot change
/// the verdict).
#[cfg_attr(optimized, inline(always))]
fn near_f32_midpoint<V: Vector<Elem = f64>>(y: V, ulps: u64) -> V {
    y.add_bits(V::splat_bits((1 << 28) + ulps))
        .and_bits(V::splat_bits(0x1fff_ffff))
        .or_bits(V::splat(TWO52))
        .lt(V::splat(TWO52 + (2 * ulps + 1) as f64))
}

/// The offset that centres the reduced argument `z` on 1 (see the module docs).
pub(crate) const OFF: u32 = 0x3f33_8000;
pub(crate) const LN2: f64 = core::f64::consts::LN_2;

/// The fast `f32` path (module docs), for lanes that are positive, normal and
/// finite: `ln` of lanes 0..4 and 4..8 in `f64`, within [`FAST_ULPS`].
#[cfg_attr(optimized, inline(always))]
fn ln_f32_fast<I: Isa>(x: I::F32) -> (I::F64, I::F64) {
    type V<I> = <I as Isa>::F32;
    // t = bits - OFF + 2^30: no wrap for positive normal finite inputs, and
    // the same low 30 bits as bits - OFF.
    let t = x.add_bits(V::<I>::splat_bits(u64::from(
        0x4000_0000u32.wrapping_sub(OFF),
    )));
    let idx = t.shr_bits::<16>(); // lookups keep the low 7 bits
    let z = t
        .and_bits(V::<I>::splat_bits(0x007f_ffff))
        .add_bits(V::<I>::splat_bits(u64::from(OFF)));
    // k + 128 in [2, 256], made a float by OR-ing it into the mantissa of 2^23.
    let k = t
        .shr_bits::<23>()
        .or_bits(V::<I>::splat(8388608.0))
        .sub(V::<I>::splat(8388608.0 + 128.0));
    let ((ic_lo, ic_hi), (logc_lo, logc_hi)) = I::lookup_pair(&TABLE, idx);
    let ((z_lo, z_hi), (k_lo, k_hi)) = (I::widen(z), I::widen(k));
    (
        ln_f32_fast_tail(z_lo, ic_lo, logc_lo, k_lo),
        ln_f32_fast_tail(z_hi, ic_hi, logc_hi, k_hi),
    )
}

/// `k*ln2 + logc + log1p(z*invc - 1)` in `f64` lanes.
#[cfg_attr(optimized, inline(always))]
fn ln_f32_fast_tail<V: Vector<Elem = f64>>(z: V, invc: V, logc: V, k: V) -> V {
    let s = V::splat;
    let r = z.mul(invc).sub(s(1.0)); // exact
    let r2 = r.mul(r);
    let a = r.mul(s(1.0 / 3.0)).add(s(-0.5));
    let b = r.mul(s(0.2)).add(s(-0.25));
    let p = b.mul(r2).add(a).mul(r2).add(r);
    k.mul(s(LN2)).add(logc).add(p)
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

/// `ln` of each lane of an `f32x8`, correctly rounded, given a fast path's
/// results and deferral mask for `x`: the fast results where no lane is
/// deferred, else the exact path (module docs).
#[cfg_attr(optimized, inline(always))]
fn ln_f32x8_with<I: Isa>(x: I::F32, (y, defer): (I::F32, I::F32)) -> I::F32 {
    if !<I::F32 as Vector>::any(defer) {
        return y;
    }
    ln_f32x8_exact::<I>(x)
}

/// The generic fast path behind [`Isa::ln_f32_fast`]: the results, rounded
/// to `f32`, and the mask of the lanes it defers. If any lane is not
/// positive, normal and finite, every lane is deferred (and the results are
/// zeros).
#[cfg_attr(optimized, inline(always))]
pub(crate) fn ln_f32_fast_checked<I: Isa>(x: I::F32) -> (I::F32, I::F32) {
    if <I::F32 as Vector>::any(off_normal(x, f32::MIN_POSITIVE, f32::INFINITY)) {
        return (I::F32::splat(0.0), I::F32::splat_bits(!0));
    }
    let (ylo, yhi) = ln_f32_fast::<I>(x);
    // The two `f64` masks as one `f32` mask: -1 or 1 in each lane, narrowed.
    let sign = |near: I::F64| I::F64::select(near, I::F64::splat(-1.0), I::F64::splat(1.0));
    let near = I::narrow(
        sign(near_f32_midpoint(ylo, FAST_ULPS)),
        sign(near_f32_midpoint(yhi, FAST_ULPS)),
    );
    (I::narrow(ylo, yhi), near.lt(I::F32::splat(0.0)))
}

/// `ln` of each lane of an `f32x8`, correctly rounded: through the `f64`
/// path, with the rare results near an `f32` midpoint checked against
/// [`HARD_F32`].
#[cfg_attr(optimized, inline(always))]
pub fn ln_f32x8_exact<I: Isa>(x: I::F32) -> I::F32 {
    let (lo, hi) = I::widen(x);
    let (ylo, yhi) = (ln_f64x4::<I>(lo), ln_f64x4::<I>(hi));
    let r = I::narrow(ylo, yhi);
    let near = near_f32_midpoint(ylo, MIDPOINT_ULPS).or_bits(near_f32_midpoint(yhi, MIDPOINT_ULPS));
    if <I::F64 as Vector>::any(near) {
        patch_hard(x, r)
    } else {
        r
    }
}

/// The first stage of `ln` of four `f64`s: the input, and the first half
/// of the table method ([`ln_table_start`]) if every lane is positive,
/// normal and finite.
#[cfg_attr(optimized, inline(always))]
#[allow(clippy::type_complexity)]
fn ln_f64_stage<I: Isa>(x: I::F64) -> (I::F64, Option<[I::F64; 4]>) {
    if <I::F64 as Vector>::any(off_normal(x, f64::MIN_POSITIVE, f64::INFINITY)) {
        (x, None)
    } else {
        (x, Some(ln_table_start::<I>(x)))
    }
}

/// The second stage: `ln` of the first stage's input.
#[cfg_attr(optimized, inline(always))]
fn ln_f64_finish<I: Isa>((x, st): (I::F64, Option<[I::F64; 4]>)) -> I::F64 {
    match st {
        Some(st) => ln_table_finish::<I>(st),
        None => ln_f64x4_special::<I>(x),
    }
}

/// Applies `finish(stage(v))` to the `n` elements at `src`, vector by
/// vector, writing them at `dst`, software-pipelined: vector `i + 1`'s first
/// stage is issued before vector `i`'s second, so that the two dependency
/// chains overlap instead of queueing one after the other. Each vector gets
/// the same operations as without the pipelining, the partial last vector
/// included (padded).
///
/// # Safety
/// `src` must be valid for reading and `dst` for writing `n` elements; they
/// may be the same (in place: each vector is read before it, or any later
/// one, is written) but must not overlap otherwise.
#[cfg_attr(optimized, inline(always))]
unsafe fn map_pipelined<V: Vector, S>(
    src: *const V::Elem,
    dst: *mut V::Elem,
    n: usize,
    stage: impl Fn(V) -> S,
    finish: impl Fn(S) -> V,
) {
    let nv = n / V::LANES;
    // SAFETY: every vector read or written lies within the first
    // `nv * LANES <= n` elements (caller's guarantee for the rest).
    unsafe {
        if nv > 0 {
            let mut st = stage(V::load(src));
            for i in 1..nv {
                let next = stage(V::load(src.add(i * V::LANES)));
                finish(st).store(dst.add((i - 1) * V::LANES));
                st = next;
            }
            finish(st).store(dst.add((nv - 1) * V::LANES));
        }
        let i = nv * V::LANES;
        if i < n {
            let mut buf = [<V::Elem as crate::lanes::Element>::ZERO; 8];
            core::ptr::copy_nonoverlapping(src.add(i), buf.as_mut_ptr(), n - i);
            finish(stage(V::load(buf.as_ptr()))).store(buf.as_mut_ptr());
            core::ptr::copy_nonoverlapping(buf.as_ptr(), dst.add(i), n - i);
        }
    }
}

/// `ln` of the `n` `f64`s at `src`, written at `dst`, in the two pipelined
/// stages.
///
/// # Safety
/// As for [`map_pipelined`].
#[cfg_attr(optimized, inline(always))]
unsafe fn ln_f64_at<I: Isa>(src: *const f64, dst: *mut f64, n: usize) {
    // SAFETY: the caller's guarantee.
    unsafe {
        map_pipelined::<I::F64, _>(
            src,
            dst,
            n,
            #[cfg_attr(optimized, inline(always))]
            |v| ln_f64_stage::<I>(v),
            #[cfg_attr(optimized, inline(always))]
            |st| ln_f64_finish::<I>(st),
        )
    }
}

/// Natural log of `f64`s, out of place (`min` of the lengths).
#[cfg_attr(optimized, inline(always))]
pub fn ln_f64<I: Isa>(x: &[f64], out: &mut [f64]) {
    // SAFETY: both slices hold at least that many elements and, being a
    // shared and a mutable borrow, do not overlap.
    unsafe { ln_f64_at::<I>(x.as_ptr(), out.as_mut_ptr(), x.len().min(out.len())) };
}

/// Natural log of `f64`s, in place.
#[cfg_attr(optimized, inline(always))]
pub fn ln_in_place_f64<I: Isa>(x: &mut [f64]) {
    let (n, p) = (x.len(), x.as_mut_ptr());
    // SAFETY: `p` is valid for reading and writing `n` elements; in place is
    // allowed.
    unsafe { ln_f64_at::<I>(p, p, n) };
}

/// `ln` of the `n` `f32`s at `src`, written at `dst`, with the fast path
/// `fast` (the backend's [`Isa::ln_f32_fast`], or the generic one for its
/// benchmark; a closure inlined by force in optimised builds, so that it is inlined into the
/// backend's entry point and its `target_feature`s), pipelined: the fast path
/// of vector `i + 1` is issued before vector `i`'s verdict is acted on.
///
/// # Safety
/// As for [`map_pipelined`].
#[cfg_attr(optimized, inline(always))]
unsafe fn ln_f32_at<I: Isa>(
    src: *const f32,
    dst: *mut f32,
    n: usize,
    fast: impl Fn(I::F32) -> (I::F32, I::F32),
) {
    // SAFETY: the caller's guarantee.
    unsafe {
        map_pipelined::<I::F32, _>(
            src,
            dst,
            n,
            #[cfg_attr(optimized, inline(always))]
            |v| (v, fast(v)),
            #[cfg_attr(optimized, inline(always))]
            |(v, f)| ln_f32x8_with::<I>(v, f),
        )
    }
}

/// [`ln_f32_at`] from `x` into `out`, the shorter length.
#[cfg_attr(optimized, inline(always))]
fn ln_f32_into<I: Isa>(x: &[f32], out: &mut [f32], fast: impl Fn(I::F32) -> (I::F32, I::F32)) {
    // SAFETY: both slices hold at least that many elements, and `out`, a
    // unique borrow, cannot overlap `x`.
    unsafe { ln_f32_at::<I>(x.as_ptr(), out.as_mut_ptr(), x.len().min(out.len()), fast) }
}

/// Natural log of `f32`s, out of place.
#[cfg_attr(optimized, inline(always))]
pub fn ln_f32<I: Isa>(x: &[f32], out: &mut [f32]) {
    ln_f32_into::<I>(
        x,
        out,
        #[cfg_attr(optimized, inline(always))]
        |v| I::ln_f32_fast(v),
    );
}

/// Natural log of `f32`s, in place.
#[cfg_attr(optimized, inline(always))]
pub fn ln_in_place_f32<I: Isa>(x: &mut [f32]) {
    let (n, p) = (x.len(), x.as_mut_ptr());
    // SAFETY: as in `ln_in_place_f64`.
    unsafe {
        ln_f32_at::<I>(
            p,
            p,
            n,
            #[cfg_attr(optimized, inline(always))]
            |v| I::ln_f32_fast(v),
        )
    };
}

/// The two `f32` paths one by one, on each backend, for the exhaustive test:
/// each lane's result depends only on its own input, so checking every input
/// on each path covers every way lanes can share a vector.
#[cfg(feature = "oracle")]
pub mod paths {
    use super::*;

    /// The exact path alone (`ln_f32x8_exact`), 8 inputs at a time.
    #[cfg_attr(optimized, inline(always))]
    fn exact_on<I: Isa>(x: &[f32; 8]) -> [f32; 8] {
        let mut out = [0.0; 8];
        ln_f32x8_exact::<I>(I::F32::load_partial(x)).store_partial(&mut out);
        out
    }

    /// The fast path alone, for positive, normal, finite inputs: each lane's
    /// result, and whether the kernel defers it to the exact path (the same
    /// verdict `ln_f32x8_with` acts on).
    #[cfg_attr(optimized, inline(always))]
    fn fast_on<I: Isa>(x: &[f32; 8]) -> ([f32; 8], [bool; 8]) {
        let (y, defer) = I::ln_f32_fast(I::F32::load_partial(x));
        let (mut out, mut n) = ([0.0f32; 8], [0.0f32; 8]);
        y.store_partial(&mut out);
        defer.store_partial(&mut n);
        (out, n.map(|m| m.to_bits() != 0))
    }

    /// `ln` of `f32`s (the shorter length) with the generic fast path
    /// instead of the backend's own [`Isa::ln_f32_fast`], in the same loop:
    /// the benchmark that justifies a hand-written override.
    #[cfg_attr(optimized, inline(always))]
    fn ln_generic_on<I: Isa>(x: &[f32], out: &mut [f32]) {
        ln_f32_into::<I>(
            x,
            out,
            #[cfg_attr(optimized, inline(always))]
            |v| ln_f32_fast_checked::<I>(v),
        );
    }

    macro_rules! backend_paths {
        ($name:ident, $isa:ty, $(#[$attr:meta])* ; $($uns:ident)?) => {
            /// The two paths on this backend.
            pub mod $name {
                /// The exact path on 8 inputs.
                $(#[$attr])*
                pub $($uns)? fn exact(x: &[f32; 8]) -> [f32; 8] {
                    super::exact_on::<$isa>(x)
                }
                /// The fast path on 8 inputs: results and deferral flags.
                $(#[$attr])*
                pub $($uns)? fn fast(x: &[f32; 8]) -> ([f32; 8], [bool; 8]) {
                    super::fast_on::<$isa>(x)
                }
                /// `ln` of `f32`s through the generic fast path.
                $(#[$attr])*
                pub $($uns)? fn ln_generic(x: &[f32], out: &mut [f32]) {
                    super::ln_generic_on::<$isa>(x, out)
                }
            }
        };
    }
    crate::lanes::for_each_backend!(backend_paths);
}
