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
use crate::reduce::{
    load_at, load_tail, reduce, short_block_sum, with_whole_vectors, Acc, ByWholeVectors, Terms, K,
};

/// `sum(a[i] * b[i])` over `min(a.len(), b.len())` elements.
#[cfg_attr(optimized, inline(always))]
pub fn dot<V: Vector>(a: &[V::Elem], b: &[V::Elem]) -> V::Elem {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    // Inputs of at most one accumulator round (firmware sizes): the body for
    // the number of whole vectors, here rather than through `reduce`'s, which
    // measured slower for `dot` at n = 16 (the same operations either way).
    if let Some(d) = with_whole_vectors::<V, _>(n, ShortDot { a, b }) {
        return d;
    }
    let acc = reduce::<V>(Terms::products(a, b));
    <V::Elem>::from_f64(acc.value())
}

struct ShortDot<'a, E> {
    a: &'a [E],
    b: &'a [E],
}

impl<V: Vector> ByWholeVectors<V> for ShortDot<'_, V::Elem> {
    type Out = V::Elem;
    #[cfg_attr(optimized, inline(always))]
    fn run<const W: usize>(self) -> V::Elem {
        let (a, b) = (self.a, self.b);
        let s = short_block_sum::<V, W>(
            a.len(),
            // SAFETY: `short_block_sum` calls this only for `k < W`, so
            // `(k + 1) * LANES <= W * LANES <= n`; both slices are `n` long.
            #[cfg_attr(optimized, inline(always))]
            |k| unsafe { load_at::<V>(a, k * V::LANES).mul(load_at::<V>(b, k * V::LANES)) },
            #[cfg_attr(optimized, inline(always))]
            || load_tail::<V>(a, W * V::LANES).mul(load_tail::<V>(b, W * V::LANES)),
        );
        one_block_result(s)
    }
}

/// What [`dot`] returns for an input of one (partial) block whose sum is `s`:
/// the accumulator's rounding of it, back in the element type.
#[cfg_attr(optimized, inline(always))]
fn one_block_result<E: Element>(s: E) -> E {
    E::from_f64(E::Acc::single_value(s.to_f64()))
}

/// `out[r] = dot(x[r*cols .. (r+1)*cols], w)` for each whole row that fits
/// both `x` and `out`. The public API checks the shapes first.
#[cfg_attr(optimized, inline(always))]
pub fn matvec<V: Vector>(x: &[V::Elem], cols: usize, w: &[V::Elem], out: &mut [V::Elem]) {
    if cols == 0 {
        return;
    }
    if w.len() >= cols {
        // Rows of at most one accumulator round (the usual feature counts):
        // every row has the same number of whole vectors, so the row loop is
        // instantiated for it, with `w` loaded once.
        let rows = ShortRows { x, cols, w, out };
        if with_whole_vectors::<V, _>(cols, rows).is_some() {
            return;
        }
    }
    for (row, o) in x.chunks_exact(cols).zip(out.iter_mut()) {
        *o = dot::<V>(row, w);
    }
}

struct ShortRows<'a, E> {
    x: &'a [E],
    cols: usize,
    w: &'a [E],
    out: &'a mut [E],
}

impl<V: Vector> ByWholeVectors<V> for ShortRows<'_, V::Elem> {
    type Out = ();
    #[cfg_attr(optimized, inline(always))]
    fn run<const W: usize>(self) {
        let (cols, w) = (self.cols, &self.w[..self.cols]);
        let mut wv = [V::splat(<V::Elem as Element>::NEG_ZERO); K];
        for (k, v) in wv.iter_mut().enumerate().take(W) {
            // SAFETY: `(k + 1) * LANES <= W * LANES <= cols = w.len()`.
            *v = unsafe { load_at::<V>(w, k * V::LANES) };
        }
        let w_tail = load_tail::<V>(w, W * V::LANES);
        for (row, o) in self.x.chunks_exact(cols).zip(self.out.iter_mut()) {
            // The operations of `dot(row, w)`: one short block, then the
            // accumulator's rounding of it.
            let s = short_block_sum::<V, W>(
                cols,
                // SAFETY: `short_block_sum` calls this only for `k < W`, so
                // `(k + 1) * LANES <= W * LANES <= cols = row.len()`.
                #[cfg_attr(optimized, inline(always))]
                |k| unsafe { load_at::<V>(row, k * V::LANES) }.mul(wv[k]),
                #[cfg_attr(optimized, inline(always))]
                || load_tail::<V>(row, W * V::LANES).mul(w_tail),
            );
            *o = one_block_result(s);
        }
    }
}
