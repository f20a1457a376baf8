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
use crate::reduce::{fold, load_at, load_tail, reduce, Acc, K};

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
    if cols <= K * V::LANES && w.len() >= cols {
        // Rows shorter than one accumulator round (up to 64 f32 or 32 f64
        // columns, the usual feature counts): the number of whole vectors is
        // the same for every row, so the row kernel is instantiated for it.
        match cols / V::LANES {
            0 => return short_rows::<V, 0>(x, cols, w, out),
            1 => return short_rows::<V, 1>(x, cols, w, out),
            2 => return short_rows::<V, 2>(x, cols, w, out),
            3 => return short_rows::<V, 3>(x, cols, w, out),
            4 => return short_rows::<V, 4>(x, cols, w, out),
            5 => return short_rows::<V, 5>(x, cols, w, out),
            6 => return short_rows::<V, 6>(x, cols, w, out),
            7 => return short_rows::<V, 7>(x, cols, w, out),
            8 => return short_rows::<V, 8>(x, cols, w, out),
            _ => {}
        }
    }
    for (row, o) in x.chunks_exact(cols).zip(out.iter_mut()) {
        *o = dot::<V>(row, w);
    }
}

/// [`matvec`] for rows of `cols <= K * LANES` elements, `W = cols / LANES`
/// of them whole vectors: the same operations as [`dot`] on each row (one
/// partial block: vector `k` into accumulator `k`, a partial last vector into
/// accumulator `W`, then the fold), with `W` known at compile time so that no
/// per-row branch or addition of an untouched accumulator remains, and `w`
/// loaded once.
#[inline(always)]
fn short_rows<V: Vector, const W: usize>(
    x: &[V::Elem],
    cols: usize,
    w: &[V::Elem],
    out: &mut [V::Elem],
) {
    let zero = V::splat(<V::Elem as Element>::NEG_ZERO);
    let mut wv = [zero; K];
    for (k, v) in wv.iter_mut().enumerate().take(W) {
        // SAFETY: `(k + 1) * LANES <= W * LANES <= cols <= w.len()`.
        *v = unsafe { load_at::<V>(w, k * V::LANES) };
    }
    let part = W * V::LANES < cols;
    let w_tail = load_tail::<V>(&w[..cols], W * V::LANES);
    for (row, o) in x.chunks_exact(cols).zip(out.iter_mut()) {
        let mut a = [zero; K];
        for k in 0..W {
            // SAFETY: `(k + 1) * LANES <= W * LANES <= cols = row.len()`.
            a[k] = a[k].add(unsafe { load_at::<V>(row, k * V::LANES) }.mul(wv[k]));
        }
        if W < K && part {
            a[W] = a[W].add(load_tail::<V>(row, W * V::LANES).mul(w_tail));
        }
        let acc = <V::Elem as Element>::Acc::single(fold(a).to_f64());
        *o = <V::Elem>::from_f64(acc.value());
    }
}
