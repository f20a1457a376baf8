//! `sum` and `mean`.
//!
//! - Maths: `sum(x) = x[0] + ... + x[n-1]`; `mean(x) = sum(x) / n`.
//! - Accumulator: blocks of 256 (`f32`) or 128 (`f64`) elements summed in the
//!   element type across `8 x LANES` lanes, block results folded into `f64`
//!   (`f32` data) or double-doubles (`f64` data, one per lane from 512
//!   elements); see [`crate::reduce`].
//! - Error bound: `|sum - exact| <= C * u * sum(|x|)` with
//!   `C =` [`crate::bounds::SUM_F32`] / [`crate::bounds::SUM_F64`] for every
//!   length, as long as no partial sum overflows (`sum(|x|) <= MAX` suffices).
//!   `mean` divides the accumulator by `n` before the last rounding, so the
//!   same `C` bounds `|mean - exact| / (sum(|x|) / n)`.
//! - Special values: any NaN gives NaN; `+inf` and `-inf` together give NaN;
//!   otherwise an infinity gives that infinity. An empty slice sums to `+0.0`,
//!   and so does a slice of zeros, whatever their signs.

use crate::lanes::{Element, Vector};
use crate::reduce::{reduce_value, Terms};

#[cfg_attr(optimized, inline(always))]
fn sum_value<V: Vector>(x: &[V::Elem]) -> f64 {
    reduce_value::<V>(Terms::values(x))
}

/// The sum of `x` (`+0.0` when empty).
#[cfg_attr(optimized, inline(always))]
pub fn sum<V: Vector>(x: &[V::Elem]) -> V::Elem {
    <V::Elem>::from_f64(sum_value::<V>(x))
}

/// The mean of `x` (NaN when empty; the public API reports empty input first).
#[cfg_attr(optimized, inline(always))]
pub fn mean<V: Vector>(x: &[V::Elem]) -> V::Elem {
    <V::Elem>::from_f64(sum_value::<V>(x) / x.len() as f64)
}
