//! `sse` and `mse`: squared-error reductions.
//!
//! - Maths: `sse(t, p) = sum((t[i] - p[i])^2)`; `mse = sse / n`.
//! - Accumulator: each difference and square is rounded to the element type,
//!   then summed as in [`crate::reduce`]; `mse` divides the accumulator by `n`
//!   before the last rounding.
//! - Error bound: `|sse - exact| <= C * u * sum((t[i] - p[i])^2)` with
//!   `C =` [`crate::bounds::SQ_ERR_F32`] / [`crate::bounds::SQ_ERR_F64`]
//!   (the same relative bound for `mse`), for every length, barring overflow.
//!   The bound is relative to the result itself: squared errors never cancel.
//! - Special values: NaN anywhere gives NaN; an infinite difference gives
//!   `+inf`; `inf - inf` gives NaN. The shorter length is used if they differ
//!   (the public API rejects that first).

use crate::lanes::{Element, Vector};
use crate::reduce::{reduce_value, Terms};

#[cfg_attr(optimized, inline(always))]
fn sse_value<V: Vector>(t: &[V::Elem], p: &[V::Elem]) -> (f64, usize) {
    let terms = Terms::squared_diffs(t, p);
    (reduce_value::<V>(terms), terms.len())
}

/// `sum((t[i] - p[i])^2)`.
#[cfg_attr(optimized, inline(always))]
pub fn sse<V: Vector>(t: &[V::Elem], p: &[V::Elem]) -> V::Elem {
    <V::Elem>::from_f64(sse_value::<V>(t, p).0)
}

/// `sse(t, p) / n` (NaN when empty; the public API reports that first).
#[cfg_attr(optimized, inline(always))]
pub fn mse<V: Vector>(t: &[V::Elem], p: &[V::Elem]) -> V::Elem {
    let (s, n) = sse_value::<V>(t, p);
    <V::Elem>::from_f64(s / n as f64)
}
