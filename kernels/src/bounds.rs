//! Every documented error bound, in one table. Tests assert these very
//! constants; the family docs link here.
//!
//! A reduction's bound reads `|computed - exact| <= C * u * S`, where `u` is
//! the unit roundoff of the element type (`2^-24` for `f32`, `2^-53` for
//! `f64`) and `S` the sum of the absolute values of the terms, for every
//! length up to `2^32` (the derivation is in [`crate::reduce`]), barring
//! overflow of an intermediate result and underflow (a result in the
//! subnormal range carries an absolute error of a few smallest subnormals,
//! which no relative bound covers; for `std_dev`, see [`STD_DEV_F32`]).
//! `ln` bounds are in ulps
//! of the correctly rounded result.

/// `sum` and `mean` of `f32`: 9 roundings inside a block, 1/32 for the `f64`
/// block accumulator (for `n <= 2^32`), 1 for the final rounding, rounded
/// up.
pub const SUM_F32: f64 = 11.0;
/// `sum` and `mean` of `f64`: at most 8 roundings inside a block (7 where
/// [`crate::reduce`] keeps the lanes apart), the double-double accumulators'
/// `u` (plus `O(n_blocks u^2)`), and 1 for `mean`'s division.
pub const SUM_F64: f64 = 10.0;
/// `dot` of `f32`: one more rounding per term (the product) than `sum`.
pub const DOT_F32: f64 = 12.0;
/// `dot` of `f64`: one more rounding per term (the product) than `sum`.
pub const DOT_F64: f64 = 11.0;
/// `sse`/`mse` of `f32`: the difference and the square add up to 3
/// roundings per term (relative to the exact square) on top of `sum`'s.
pub const SQ_ERR_F32: f64 = 14.0;
/// `sse`/`mse` of `f64`: as for `f32`, plus `mse`'s division.
pub const SQ_ERR_F64: f64 = 14.0;
/// `variance` of `f32`: `|var - exact| <= C u (var + |mean| sigma n / (n - ddof))`,
/// `sigma` the exact population std: 27.3 by the count in [`crate::moments`]
/// (`19.5u M2_b` inside a block with an accepted predicted centre, the error
/// of each block's `S1` carried into the merge, the `f64` merges' plain sums,
/// and the result's rounding to `f32`), rounded up.
pub const VARIANCE_F32: f64 = 28.0;
/// `variance` of `f64`: as for `f32`, with the merges' roundings, which are
/// in `f64` too, the 2 roundings of adding a block's sub-block sums, and the result's
/// two (`M2`'s value and the division): 37.1 by the count in
/// [`crate::moments`], rounded up.
pub const VARIANCE_F64: f64 = 38.0;
/// The column means `standardize_columns` subtracts, relative to
/// `std + |mean|` (exact values): block sums are `m * c + sum(x - c)` with
/// `m * c` exact, so only the deviations' sum (9 roundings, plus 1 for each
/// deviation) and the final division count.
pub const MOMENTS_MEAN: f64 = 12.0;
/// `std_dev` of `f32`, relative to
/// `S = std + |mean| * sigma * n / ((n - ddof) * std)` (exact values,
/// `sigma` the population std: `S = std + |mean|` for `ddof = 0`). The root
/// `sqrt(v')` of the variance `v'` (in `f64`, `|v' - var| <= e_v =
/// VARIANCE_F32 u std S`) is off by `|v' - var| / (sqrt(v') + std) <= e_v /
/// std`, and its roundings (in `f64`, then to `f32`) add at most
/// `2u (std + e_v / std)`: in all `(VARIANCE_F32 (1 + 2u) + 2) u S`, rounded
/// up. Where `e_v` is small against `var`, `sqrt(v')` is near `std` and the
/// first term about half as large; but where `|mean|` is some `1 / (C u)`
/// standard deviations from 0 (about `6e5` of them for `f32`), `e_v` may
/// reach `var` and `v'` be near 0, and then only the whole `e_v / std` holds.
/// Tiny data: the variance's absolute error of a few smallest subnormals
/// (module docs) adds, under the root, up to about its square root
/// (`6.5e-23` for `f32`, `3.8e-162` for `f64`; more when `ddof` is near
/// `n`).
pub const STD_DEV_F32: f64 = VARIANCE_F32 + 3.0;
/// `std_dev` of `f64`: as for `f32`, with `VARIANCE_F64`.
pub const STD_DEV_F64: f64 = VARIANCE_F64 + 3.0;
/// `ln` of `f64`: ulps from the exact value. The table method of
/// [`crate::ln`] rounds once at the end, 0.5 ulp; the terms before it carry
/// under 0.01 ulp: `LOGC`'s error (`2^-63.8` relative, with
/// `|LOGC| <= 2.1 |ln x|` when `k = 0`), the polynomial's (`2^-64` relative
/// to `r`) and the roundings of the small terms (each below `2^-53 * r^2`,
/// against `|ln x| >= 2^-10`, or `>= |r|/2` in the interval of 1.0). The
/// largest seen over 10^8 inputs in `tests/ln_f64.rs` is 0.5012.
pub const LN_F64_ULP: f64 = 0.52;
/// `ln` of `f32`: correctly rounded, so at most half an ulp from the exact
/// value, on every backend; checked for all 2^32 inputs by
/// `tests/ln_exhaustive.rs` on each of the two paths (the table-driven fast
/// path wherever it does not defer; the `f64` path, rounded once, with the
/// five inputs it rounds the wrong way fixed from a table), on the backends
/// of the machine it runs on (CI: all inputs on `scalar`, `portable` and
/// `avx2`; 1/32 of them on aarch64's backends under qemu, where `neon` and
/// `portable` had all 2^32 checked once, as the README says).
pub const LN_F32_ULP: f64 = 0.5;
