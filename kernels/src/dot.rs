//! `dot` and `matvec`.
//!
//! - Maths: `dot(a, b) = a[0]*b[0] + ... + a[n-1]*b[n-1]`; `matvec` gives
//!   `out[r] = dot(row r of X, w)` for a row-major `X`, bit for bit.
//! - Accumulator: each product is rounded to the element type (no fused
//!   multiply-add: not every backend has a true one), then summed as in
//!   [`crate::reduce`].
//! - Error bound: `|dot - exact| <= C * u * sum(|a[i]*b[i]|)` with
//!   `C =` [`crate::bounds::DOT_F32`] / [`crate::bounds::DOT_F64`], for every
//!   length, barring overflow.
//! - Special values: NaN anywhere gives NaN; `0 * inf` gives NaN (IEEE).
//!   Mismatched lengths are rejected by the public API; here the shorter
//!   length is used.

use crate::lanes::{Element, Vector};
use crate::reduce::{load_at, load_tail, reduce, Acc};

/// `sum(a[i] * b[i])` over `min(a.len(), b.len())` elements.
#[inline(always)]
pub fn dot<V: Vector>(a: &[V::Elem], b: &[V::Elem]) -> V::Elem {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let acc = reduce::<V>(
        n,
        #[inline(always)]
        // SAFETY: `reduce` asks for full vectors only where `i + LANES <= n`,
        // and both slices have `n` elements.
        |i| unsafe { load_at::<V>(a, i).mul(load_at::<V>(b, i)) },
        #[inline(always)]
        |i| load_tail::<V>(a, i).mul(load_tail::<V>(b, i)),
    );
    <V::Elem>::from_f64(acc.value())
}

/// `out[r] = dot(x[r*cols .. (r+1)*cols], w)` for each whole row that fits
/// both `x` and `out`. The public API checks the shapes first.
#[inline(always)]
pub fn matvec<V: Vector>(x: &[V::Elem], cols: usize, w: &[V::Elem], out: &mut [V::Elem]) {
    if cols == 0 {
        return;
    }
    for (row, o) in x.chunks_exact(cols).zip(out.iter_mut()) {
        *o = dot::<V>(row, w);
    }
}
