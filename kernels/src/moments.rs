//! `variance`, `std_dev` and `standardize_columns`: the second moment.
//!
//! - Maths: `variance(x, ddof) = sum((x[i] - mean)^2) / (n - ddof)` (NumPy's
//!   `var(ddof=)`), `std_dev = sqrt(variance)`.
//! - Method: one pass over memory. Each block of 256 (`f32`) or 128 (`f64`)
//!   elements is read twice while it sits in L1: first its sum gives a centre
//!   `c` (the block mean, rounded), then the deviations `d = x - c` give
//!   `S1 = sum(d)` and `S2 = sum(d^2)` (8 and 4 lane accumulators, the layout
//!   of [`crate::reduce`]). The block's mean is `c + S1/m` and its sum of
//!   squared deviations `M2 = S2 - S1^2/m` (the corrected two-pass formula,
//!   clamped at 0). Blocks are merged with Chan's formula,
//!   `M2 += M2_b + delta^2 * n_a * m / (n_a + m)`, in `f64` for `f32` data
//!   and with double-double accumulators for `f64` data, so the merge error
//!   does not grow with the number of blocks. Never `E[x^2] - E[x]^2`; the
//!   result is never negative.
//! - Error bound: `|var - exact| <= C * u * (var + |mean| * std)` with `C =`
//!   [`crate::bounds::VARIANCE_F32`] / [`crate::bounds::VARIANCE_F64`], where
//!   `var`, `mean` and `std` are the exact values; `|mean| * std` is the price
//!   of rounding the running mean, and vanishes for centred data. `std_dev` is
//!   `sqrt` of the unrounded `f64` variance, so its relative error is about
//!   half the variance's.
//! - Special values: any NaN or infinity gives NaN. `ddof >= n` is rejected by
//!   the public API (here it gives NaN or infinity).
//! - `standardize_columns` computes each column's mean and population `std` with
//!   exactly this algorithm (a column gives the bits `variance` gives for the
//!   same values in a contiguous slice), then writes `(x - mean) / std` in the
//!   element type; a column with `std == 0` becomes `0.0` (scikit-learn's
//!   `StandardScaler`), NaN propagates.

use crate::lanes::{Element, Vector};
use crate::reduce::{block_len, block_sum, fold, load_at, load_tail, Acc, K};

/// The running moments of the blocks pushed so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct Moments<A: Acc> {
    n: f64,
    sum: A,
    m2: A,
}

impl<A: Acc> Moments<A> {
    /// Adds one block (at most `block_len::<V>()` elements).
    #[inline(always)]
    pub fn push_block<V: Vector<Elem = E>, E: Element<Acc = A>>(&mut self, blk: &[E]) {
        let len = blk.len();
        if len == 0 {
            return;
        }
        let m = len as f64;
        // Pass 1: the block's centre.
        let s = block_sum::<V>(
            0,
            len,
            // SAFETY: `block_sum` asks for full vectors only where `i + LANES <= len`.
            &|i| unsafe { load_at::<V>(blk, i) },
            &|i| load_tail::<V>(blk, i),
        );
        let c = s / E::from_usize(len);
        let cv = V::splat(c);
        // Pass 2: deviations from the centre; padded lanes hold `c`, so they
        // contribute exactly zero.
        let mut s1 = [V::splat(E::NEG_ZERO); K / 2];
        let mut s2 = [V::splat(E::NEG_ZERO); K];
        let mut i = 0;
        // Vector `j` of the block goes to `s2[j % K]` and `s1[j % (K/2)]`.
        while len - i >= K * V::LANES {
            for k in 0..K {
                // SAFETY: `i + (k + 1) * LANES <= i + K * LANES <= len`.
                let d = unsafe { load_at::<V>(blk, i + k * V::LANES) }.sub(cv);
                s1[k % (K / 2)] = s1[k % (K / 2)].add(d);
                s2[k] = s2[k].add(d.mul(d));
            }
            i += K * V::LANES;
        }
        // Fewer than K vectors left: vector k is whole, partial, or absent.
        for k in 0..K {
            let j = i + k * V::LANES;
            if j >= len {
                continue;
            }
            let v = if len >= j + V::LANES {
                // SAFETY: `j + LANES <= len`.
                unsafe { load_at::<V>(blk, j) }
            } else {
                let mut buf = [c; 8];
                for (d, x) in buf.iter_mut().zip(blk.get(j..).unwrap_or(&[])) {
                    *d = *x;
                }
                // SAFETY: `buf` holds 8 >= LANES elements.
                unsafe { V::load(buf.as_ptr()) }
            };
            let d = v.sub(cv);
            s1[k % (K / 2)] = s1[k % (K / 2)].add(d);
            s2[k] = s2[k].add(d.mul(d));
        }
        let s1 = fold(s1).to_f64();
        let s2 = fold(s2).to_f64();
        let c = c.to_f64();
        let mean_b = c + s1 / m;
        let mut m2_b = s2 - s1 * s1 / m;
        if m2_b < 0.0 {
            m2_b = 0.0;
        }
        if self.n > 0.0 {
            let mean_a = self.sum.value() / self.n;
            let delta = mean_b - mean_a;
            self.m2.add(delta * delta * (self.n * m / (self.n + m)));
        }
        self.m2.add(m2_b);
        self.sum.add(c * m);
        self.sum.add(s1);
        self.n += m;
    }

    /// `M2 / (n - ddof)` in `f64`.
    #[inline(always)]
    pub fn variance(&self, ddof: usize) -> f64 {
        self.m2.value() / (self.n - ddof as f64)
    }

    /// The mean in `f64`.
    #[inline(always)]
    pub fn mean(&self) -> f64 {
        self.sum.value() / self.n
    }
}

#[inline(always)]
fn moments<V: Vector>(x: &[V::Elem]) -> Moments<<V::Elem as Element>::Acc> {
    let mut mo = Moments::default();
    for blk in x.chunks(block_len::<V>()) {
        mo.push_block::<V, V::Elem>(blk);
    }
    mo
}

/// `sum((x - mean)^2) / (n - ddof)`.
#[inline(always)]
pub fn variance<V: Vector>(x: &[V::Elem], ddof: usize) -> V::Elem {
    <V::Elem>::from_f64(moments::<V>(x).variance(ddof))
}

/// `sqrt(variance(x, ddof))`, the square root taken before rounding to the
/// element type.
#[inline(always)]
pub fn std_dev<V: Vector>(x: &[V::Elem], ddof: usize) -> V::Elem {
    <V::Elem>::from_f64(libm::sqrt(moments::<V>(x).variance(ddof)))
}

/// Standardises each column of the row-major `x` (`cols` columns) in place:
/// `(x - mean) / std` with the population `std`; zero-`std` columns become 0.
/// Rows past the last whole row are left alone (the public API rejects them).
#[inline(always)]
pub fn standardize_columns<V: Vector>(x: &mut [V::Elem], cols: usize) {
    if cols == 0 {
        return;
    }
    let rows = x.len() / cols;
    let b = block_len::<V>();
    let mut buf = [<V::Elem>::ZERO; 256];
    for col in 0..cols {
        let mut mo = Moments::default();
        let mut r = 0;
        while r < rows {
            let len = if rows - r < b { rows - r } else { b };
            let blk = buf.get_mut(..len).unwrap_or(&mut []);
            for (k, d) in blk.iter_mut().enumerate() {
                *d = x.get((r + k) * cols + col).copied().unwrap_or_default();
            }
            mo.push_block::<V, V::Elem>(blk);
            r += len;
        }
        let mean = <V::Elem>::from_f64(mo.mean());
        let std = <V::Elem>::from_f64(libm::sqrt(mo.variance(0)));
        let zero_std = std == <V::Elem>::ZERO;
        for v in x.iter_mut().skip(col).step_by(cols).take(rows) {
            *v = if zero_std {
                <V::Elem>::ZERO
            } else {
                (*v - mean) / std
            };
        }
    }
}
