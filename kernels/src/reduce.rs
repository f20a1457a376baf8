//! The blocked summation scheme shared by every reduction (`sum`, `dot`,
//! `sq_err`, `moments`). Its layout *is* the numeric contract, so it exists
//! only here. (`moments` uses the blocks and their lane tree, not [`reduce`]
//! itself: `variance` keeps the per-block path below at every length.)
//!
//! # Layout
//! The input is cut into blocks of `B = LANES * K * M` elements from index 0
//! (256 for `f32`, 128 for `f64`); the last block may be shorter. Inside a
//! block, vector `j` (elements `j*LANES ..`) is added into accumulator
//! `j % K`, lane by lane, in the element type; a last partial vector is padded
//! with zeros (a term's padding contributes exactly zero). At the end of the
//! block the `K` accumulators are folded by halving (`a[k] += a[k + K/2]`, ...).
//! - `f32` data, and `f64` inputs of fewer than 4 blocks (512 elements): the
//!   block's lanes are then added by [`Vector::reduce_add`]'s halving tree,
//!   and the block's result is added to an [`Acc`]: a plain `f64` for `f32`
//!   data, a double-double for `f64` data.
//! - `f64` inputs of at least 4 blocks: the lanes stay apart. The folded
//!   vectors of blocks `2j` and `2j + 1` are added (a last pair may be one
//!   block, whole or partial), and each pair goes lane by lane into a
//!   double-double per lane (Knuth's TwoSum in vector form). At the end the
//!   lanes' `hi` parts are added in pairs by TwoSum and the rest summed
//!   ([`reduce`]). This costs fewer additions per block than a sum across
//!   lanes and a scalar TwoSum, which kept the adders from matching two loads
//!   per cycle in L1. Below 4 blocks the final combination (a chain of about
//!   35 cycles) costs more than it saves.
//!
//! # Error bound
//! Inside a block every term passes through at most
//! `D = (M - 1) + log2(K) + log2(LANES)` roundings: `D = 9` for `f32`, `8`
//! for `f64`. Where the lanes stay apart, the lane tree is replaced by the
//! addition of a pair of blocks: `(M - 1) + log2(K) + 1 = 7`, within the
//! same `D = 8`. Across blocks the accumulator is
//! nearly exact: for `f32`, up to `2^32 / 256 = 2^24` additions in `f64` cost
//! at most `2^24 * 2^-53 = 2^-29` relative, `u / 32` for `f32`; for `f64`
//! each lane's double-double holds the sum of its pairs to
//! `O(n_blocks^2 u^2)` of `sum(|terms|)` (only the additions into `lo`
//! round), and adding the lanes' double-doubles and rounding the result costs
//! `u` of the result plus `O(n_blocks u^2)` of `sum(|terms|)`, as the single
//! double-double did up to the `O(u^2)` terms. So a reduction's error is at most
//! `(D + 1 + small) * u * sum(|terms|)` whatever `n`; the constants per
//! family, with the extra roundings of each term, are in [`crate::bounds`].

use crate::lanes::{Element, Vector};

/// Vector accumulators per block (a power of two).
pub const K: usize = 8;

/// Elements per block for vector type `V`.
#[cfg_attr(optimized, inline(always))]
pub const fn block_len<V: Vector>() -> usize {
    V::LANES * K * <V::Elem as Element>::M
}

/// An accumulator of block results (values in `f64`).
pub trait Acc: Copy + Default {
    /// Adds `x`.
    fn add(&mut self, x: f64);
    /// The accumulated value, rounded once to `f64`.
    fn value(&self) -> f64;
    /// The accumulator's state: `[value, 0.0]` (plain) or `[hi, lo]`
    /// (double-double), for comparing paths bit for bit.
    fn parts(&self) -> [f64; 2];
    /// `Self::default()` with `x` added: the same value, with less work.
    #[cfg_attr(optimized, inline(always))]
    fn single(x: f64) -> Self {
        let mut a = Self::default();
        a.add(x);
        a
    }
    /// `Self::single(x).value()`, the same bits, with less work where the
    /// accumulator can say so.
    #[cfg_attr(optimized, inline(always))]
    fn single_value(x: f64) -> f64 {
        Self::single(x).value()
    }
    /// An accumulator holding `hi + lo` (a double-double holds exactly that
    /// pair, not normalized: where lanes cancelled, `lo` may exceed an ulp of
    /// `hi`; only its value is read).
    #[cfg_attr(optimized, inline(always))]
    fn pair(hi: f64, lo: f64) -> Self {
        let mut a = Self::single(hi);
        a.add(lo);
        a
    }
    /// Moves the reference `mu0` of a running mean kept as
    /// `mu0 + self / n` to about that mean, changing `self` to match: the
    /// mean stays the same up to `O(u^2)` (double-double) or `2u` (plain)
    /// of `|self / n|`. Left unchanged where a step would overflow. (For
    /// `variance`'s merges: [`crate::moments::advance`].)
    fn rebase(&mut self, mu0: &mut f64, n: f64);
}

/// A plain `f64` accumulator: for `f32` data, whose block results carry 24
/// bits, `f64` has 29 bits to spare.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainF64(f64);

impl PlainF64 {
    /// The accumulator holding `x` (for `avx2`'s [`Vector::whole_blocks`]).
    #[cfg(target_arch = "x86_64")]
    #[cfg_attr(optimized, inline(always))]
    pub(crate) const fn new(x: f64) -> Self {
        PlainF64(x)
    }
}

impl Acc for PlainF64 {
    #[cfg_attr(optimized, inline(always))]
    fn add(&mut self, x: f64) {
        self.0 += x;
    }
    #[cfg_attr(optimized, inline(always))]
    fn value(&self) -> f64 {
        self.0
    }
    #[cfg_attr(optimized, inline(always))]
    fn parts(&self) -> [f64; 2] {
        [self.0, 0.0]
    }
    /// Rounded as written (`mu1 - mu0` and `n * (mu1 - mu0)`): for `f32`
    /// data an error of `f64`'s `2u |q|`.
    #[cfg_attr(optimized, inline(always))]
    fn rebase(&mut self, mu0: &mut f64, n: f64) {
        let mu1 = *mu0 + self.0 / n;
        let dev = self.0 - n * (mu1 - *mu0);
        if mu1.is_finite() && dev.is_finite() {
            (*mu0, self.0) = (mu1, dev);
        }
    }
}

/// A double-double accumulator: `hi` holds the running sum, `lo` the exact
/// rounding errors of the additions into `hi` (Knuth's TwoSum), summed.
#[derive(Clone, Copy, Debug, Default)]
pub struct DoubleDouble {
    hi: f64,
    lo: f64,
}

impl Acc for DoubleDouble {
    #[cfg_attr(optimized, inline(always))]
    fn add(&mut self, x: f64) {
        let s = self.hi + x;
        self.lo += two_sum_err(self.hi, x, s);
        self.hi = s;
    }
    #[cfg_attr(optimized, inline(always))]
    fn single(x: f64) -> Self {
        // TwoSum of 0 + x is exact: its error term is zero.
        DoubleDouble {
            hi: 0.0 + x,
            lo: 0.0,
        }
    }
    /// `single(x)` holds `hi = 0.0 + x` and `lo = 0.0`, and [`Acc::value`]
    /// returns `hi + 0.0` for a finite `hi`, else `hi`. `0.0 + x` is never
    /// `-0.0` (round to nearest), and adding `+0.0` returns any other value
    /// unchanged, so both are `0.0 + x`: no test for finiteness, no second
    /// addition.
    #[cfg_attr(optimized, inline(always))]
    fn single_value(x: f64) -> f64 {
        0.0 + x
    }
    #[cfg_attr(optimized, inline(always))]
    fn pair(hi: f64, lo: f64) -> Self {
        DoubleDouble { hi, lo }
    }
    #[cfg_attr(optimized, inline(always))]
    fn parts(&self) -> [f64; 2] {
        [self.hi, self.lo]
    }
    #[cfg_attr(optimized, inline(always))]
    fn value(&self) -> f64 {
        // Once `hi` is infinite or NaN, `lo` holds NaN from inf - inf; the
        // sum is `hi` then (an overflow stays infinite, NaN stays NaN).
        if self.hi.is_finite() {
            self.hi + self.lo
        } else {
            self.hi
        }
    }
    /// In double length: the new reference is `mu1 = mu0 + self / n`
    /// rounded, `mu1 - mu0 = d_hi + d_lo` exactly (TwoSum), `n * d_hi =
    /// p + pe` exactly (Dekker's product, `d_hi` split by Veltkamp, `n` too
    /// unless it has at most 26 significant bits), and `self` loses `p`,
    /// `pe` and `n * d_lo` (the last rounded, an `O(u^2)` error).
    #[cfg_attr(optimized, inline(always))]
    fn rebase(&mut self, mu0: &mut f64, n: f64) {
        let mu1 = *mu0 + self.value() / n;
        let d_hi = mu1 - *mu0;
        let d_lo = two_sum_err(mu1, -*mu0, d_hi);
        let p = d_hi * n;
        let (dh, dl) = split(d_hi);
        let pe = if n.to_bits() & 0x7ff_ffff == 0 {
            (dh * n - p) + dl * n
        } else {
            let (nh, nl) = split(n);
            (((dh * nh - p) + dh * nl) + dl * nh) + dl * nl
        };
        let d_lo_n = d_lo * n;
        if mu1.is_finite() && pe.is_finite() && d_lo_n.is_finite() {
            self.add(-p);
            self.add(-pe);
            self.add(-d_lo_n);
            *mu0 = mu1;
        }
    }
}

/// The rounding error of `s = a + b` (Knuth's TwoSum).
#[cfg_attr(optimized, inline(always))]
fn two_sum_err(a: f64, b: f64, s: f64) -> f64 {
    let bb = s - a;
    (a - (s - bb)) + (b - bb)
}

/// Veltkamp's split: `x = hi + lo` exactly, each part of at most 26
/// significant bits (for `|x| < 2^996`; beyond, NaN or infinities, which the
/// caller checks for).
#[cfg_attr(optimized, inline(always))]
fn split(x: f64) -> (f64, f64) {
    let c = 134_217_729.0 * x; // 2^27 + 1
    let hi = c - (c - x);
    (hi, x - hi)
}

/// Folds `N` accumulators (a power of two) by halving:
/// `a[k] += a[k + N/2]`, then the same on the first half, down to one.
#[cfg_attr(optimized, inline(always))]
pub fn fold_vectors<V: Vector, const N: usize>(mut a: [V; N]) -> V {
    let mut half = N / 2;
    while half > 0 {
        for k in 0..half {
            a[k] = a[k].add(a[k + half]);
        }
        half /= 2;
    }
    a[0]
}

/// Folds `N` accumulators (a power of two) by halving, then the lanes by
/// [`Vector::reduce_add`].
#[cfg_attr(optimized, inline(always))]
pub fn fold<V: Vector, const N: usize>(a: [V; N]) -> V::Elem {
    fold_vectors(a).reduce_add()
}

/// The sum of one block's terms, `len <= block_len::<V>()` elements from
/// `start`: `full(i)` gives the terms of elements `i .. i + LANES`, `tail(i)`
/// those of `i .. start + len` padded with exact zeros.
#[cfg_attr(optimized, inline(always))]
pub fn block_sum<V: Vector>(
    start: usize,
    len: usize,
    full: &impl Fn(usize) -> V,
    tail: &impl Fn(usize) -> V,
) -> V::Elem {
    block_vector(start, len, full, tail).reduce_add()
}

/// [`block_sum`] before the sum across lanes: the block's accumulators
/// folded to one vector.
#[cfg_attr(optimized, inline(always))]
pub fn block_vector<V: Vector>(
    start: usize,
    len: usize,
    full: &impl Fn(usize) -> V,
    tail: &impl Fn(usize) -> V,
) -> V {
    let mut a = [V::splat(<V::Elem as Element>::NEG_ZERO); K];
    let end = start + len;
    let mut i = start;
    while end - i >= K * V::LANES {
        for (k, acc) in a.iter_mut().enumerate() {
            *acc = acc.add(full(i + k * V::LANES));
        }
        i += K * V::LANES;
    }
    // Fewer than K vectors left: `whole` whole ones, then perhaps a partial
    // one, loaded before the (unrolled) loop so that it stays in registers.
    let whole = (end - i) / V::LANES;
    let last = i + whole * V::LANES;
    let part = if last < end { Some(tail(last)) } else { None };
    for (k, acc) in a.iter_mut().enumerate() {
        if k < whole {
            *acc = acc.add(full(i + k * V::LANES));
        } else if k == whole {
            if let Some(t) = part {
                *acc = acc.add(t);
            }
        }
    }
    fold_vectors(a)
}

/// The sum of one whole block from `start`: the layout of [`block_sum`] with
/// `len = block_len::<V>()`, written out so that the hot loop keeps its
/// accumulators in registers.
#[cfg_attr(optimized, inline(always))]
pub fn full_block_sum<V: Vector>(start: usize, full: &impl Fn(usize) -> V) -> V::Elem {
    full_block_vector(start, full).reduce_add()
}

/// [`full_block_sum`] before the sum across lanes.
#[cfg_attr(optimized, inline(always))]
pub fn full_block_vector<V: Vector>(start: usize, full: &impl Fn(usize) -> V) -> V {
    let mut a = [V::splat(<V::Elem as Element>::NEG_ZERO); K];
    let mut i = start;
    for _ in 0..<V::Elem as Element>::M {
        for (k, acc) in a.iter_mut().enumerate() {
            *acc = acc.add(full(i + k * V::LANES));
        }
        i += K * V::LANES;
    }
    fold_vectors(a)
}

/// A computation over `n <= K * LANES` elements whose body is instantiated
/// for `W = n / LANES`, the number of whole vectors (see
/// [`with_whole_vectors`]).
pub trait ByWholeVectors<V: Vector> {
    /// The result.
    type Out;
    /// The body for `W` whole vectors.
    fn run<const W: usize>(self) -> Self::Out;
}

/// Calls `f.run::<W>()` with `W = n / LANES` if `n <= K * LANES` (one
/// accumulator round), else returns `None`. Short inputs (firmware sizes,
/// matrix rows) then run a body in which the number of vectors is a
/// constant: no per-vector branch, no addition of an untouched accumulator.
#[cfg_attr(optimized, inline(always))]
pub fn with_whole_vectors<V: Vector, F: ByWholeVectors<V>>(n: usize, f: F) -> Option<F::Out> {
    const { assert!(K == 8) };
    if n > K * V::LANES {
        return None;
    }
    Some(match n / V::LANES {
        0 => f.run::<0>(),
        1 => f.run::<1>(),
        2 => f.run::<2>(),
        3 => f.run::<3>(),
        4 => f.run::<4>(),
        5 => f.run::<5>(),
        6 => f.run::<6>(),
        7 => f.run::<7>(),
        _ => f.run::<8>(),
    })
}

/// [`block_sum`] of one block of `n <= K * LANES` elements from 0, `W = n /
/// LANES` of them whole vectors (`term(k)` gives vector `k`, and is called
/// only for `k < W`), the rest a padded vector (`tail()`): vector `k` into
/// accumulator `k`, the partial one into accumulator `W`, then [`fold`]. The
/// same operations in the same order as `block_sum(0, n, ..)`.
#[cfg_attr(optimized, inline(always))]
pub fn short_block_sum<V: Vector, const W: usize>(
    n: usize,
    term: impl Fn(usize) -> V,
    tail: impl Fn() -> V,
) -> V::Elem {
    let mut a = [V::splat(<V::Elem as Element>::NEG_ZERO); K];
    for (k, acc) in a.iter_mut().enumerate().take(W) {
        *acc = acc.add(term(k));
    }
    if W < K && W * V::LANES < n {
        a[W] = a[W].add(tail());
    }
    fold(a)
}

/// The terms of [`reduce`]'s input, for its short-input body.
struct Short<'a, F, T> {
    n: usize,
    full: &'a F,
    tail: &'a T,
}

impl<V: Vector, F: Fn(usize) -> V, T: Fn(usize) -> V> ByWholeVectors<V> for Short<'_, F, T> {
    type Out = V::Elem;
    #[cfg_attr(optimized, inline(always))]
    fn run<const W: usize>(self) -> V::Elem {
        let (full, tail) = (self.full, self.tail);
        // Forced inlining (in optimised builds, as everywhere in this crate:
        // `cfg(optimized)`, see `build.rs`): in the `target_feature` entry
        // points a closure
        // left to the inliner can become a call taking its vectors through
        // memory (the tail's did, for lengths with a partial vector).
        short_block_sum::<V, W>(
            self.n,
            #[cfg_attr(optimized, inline(always))]
            |k| full(k * V::LANES),
            #[cfg_attr(optimized, inline(always))]
            || tail(W * V::LANES),
        )
    }
}

/// Inputs of at most this many elements (two vectors of `f32`, four of
/// `f64`) take [`reduce_value`]'s straight-line path on the backends that
/// choose it ([`Vector::TINY_PATH`]): every vector loaded padded, no branch
/// on the length, the same bits.
pub const TINY: usize = 16;

/// The folded vector of one block of at most [`TINY`] terms, with no branch
/// on the length: every vector the block may hold is loaded padded
/// ([`Terms::padded`]) and the vectors folded by halving, `t0 + t1` (`f32`)
/// or `(t0 + t2) + (t1 + t3)` (`f64`).
///
/// These are [`block_vector`]'s operations on `0 .. n` in its order, with
/// one difference: an accumulator that no element reaches holds the
/// padding, `+0.0`, where [`block_vector`] leaves its `-0.0`. Adding either
/// zero to a lane leaves the lane unchanged unless the lane is itself a
/// zero, so the two can differ only in the sign of a zero lane, and then
/// only in the sign of a zero block sum; [`Acc::single`] adds that sum to
/// `+0.0`, which gives `+0.0` for both. So the accumulator is the same bit
/// for bit (`tiny_inputs_match_general` checks it on every backend), and so
/// is [`Acc::single_value`], which [`reduce_value`] takes instead: its bits
/// are those of `single(x).value()`.
#[cfg_attr(optimized, inline(always))]
fn tiny_vector<V: Vector>(terms: Terms<'_, V::Elem>) -> V {
    const { assert!(K >= 4 && 4 * V::LANES >= TINY) };
    if 2 * V::LANES >= TINY {
        fold_vectors(terms.padded::<V, 2>())
    } else {
        fold_vectors(terms.padded::<V, 4>())
    }
}

/// Blocks from which [`reduce`] keeps the lanes apart (for
/// [`Element::LANE_BLOCKS`] types): below, the final combination of the
/// lanes' double-doubles (a chain of about 35 cycles) costs more than the
/// cross-lane sums it saves.
const LANE_BLOCKS_FROM: usize = 4;

/// What [`reduce`] sums: one term per element, from one slice or from two
/// of the same length. The constructors make the two slices equally long
/// (for [`TermKind::Values`], the same slice twice), and unsafe code relies
/// on it: [`Terms::a`] and [`Terms::b`] always hold [`Terms::len`]
/// elements each.
#[derive(Clone, Copy, Debug)]
pub struct Terms<'a, E> {
    kind: TermKind,
    a: &'a [E],
    b: &'a [E],
}

/// The kinds of [`Terms`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    /// `a[i]` (`sum`, `mean`).
    Values,
    /// `a[i] * b[i]`, rounded (`dot`).
    Products,
    /// `d * d` for `d = a[i] - b[i]`, each rounded (`sse`, `mse`).
    SquaredDiffs,
}

impl<'a, E: Element> Terms<'a, E> {
    /// The elements of `x`.
    #[cfg_attr(optimized, inline(always))]
    pub fn values(x: &'a [E]) -> Self {
        Terms {
            kind: TermKind::Values,
            a: x,
            b: x,
        }
    }
    /// Terms of `kind` (over the shorter length; [`TermKind::Values`]:
    /// `a`'s), for the test hooks.
    #[cfg(feature = "oracle")]
    #[cfg_attr(optimized, inline(always))]
    pub fn of(kind: TermKind, a: &'a [E], b: &'a [E]) -> Self {
        match kind {
            TermKind::Values => Self::values(a),
            _ => Self::pair(kind, a, b),
        }
    }
    /// `a[i] * b[i]` over the shorter length.
    #[cfg_attr(optimized, inline(always))]
    pub fn products(a: &'a [E], b: &'a [E]) -> Self {
        Self::pair(TermKind::Products, a, b)
    }
    /// `(t[i] - p[i])^2` over the shorter length.
    #[cfg_attr(optimized, inline(always))]
    pub fn squared_diffs(t: &'a [E], p: &'a [E]) -> Self {
        Self::pair(TermKind::SquaredDiffs, t, p)
    }
    #[cfg_attr(optimized, inline(always))]
    fn pair(kind: TermKind, a: &'a [E], b: &'a [E]) -> Self {
        let n = a.len().min(b.len());
        Terms {
            kind,
            a: &a[..n],
            b: &b[..n],
        }
    }
    /// The number of terms.
    #[cfg_attr(optimized, inline(always))]
    pub fn len(&self) -> usize {
        self.a.len()
    }
    /// Whether there are no terms.
    #[cfg_attr(optimized, inline(always))]
    pub fn is_empty(&self) -> bool {
        self.a.is_empty()
    }
    /// The kind of term.
    #[cfg_attr(optimized, inline(always))]
    pub fn kind(&self) -> TermKind {
        self.kind
    }
    /// The first slice (the only one for [`TermKind::Values`]).
    #[cfg_attr(optimized, inline(always))]
    pub fn a(&self) -> &'a [E] {
        self.a
    }
    /// The second slice, as long as the first ([`TermKind::Values`]: the
    /// first again).
    #[cfg_attr(optimized, inline(always))]
    pub fn b(&self) -> &'a [E] {
        self.b
    }
    /// The term of each lane of `load(a)` and `load(b)`, two vectors of the
    /// same elements of `a` and `b`.
    #[cfg_attr(optimized, inline(always))]
    fn term<V: Vector<Elem = E>>(&self, load: impl Fn(&'a [E]) -> V) -> V {
        self.combine(
            load(self.a),
            #[cfg_attr(optimized, inline(always))]
            || load(self.b),
        )
    }
    /// The term of each lane of `a` and `b()`, vectors of the same elements
    /// of `a` and `b` (`b` is not called for [`TermKind::Values`]).
    #[cfg_attr(optimized, inline(always))]
    fn combine<V: Vector<Elem = E>>(&self, a: V, b: impl FnOnce() -> V) -> V {
        match self.kind {
            TermKind::Values => a,
            TermKind::Products => a.mul(b()),
            TermKind::SquaredDiffs => {
                let d = a.sub(b());
                d.mul(d)
            }
        }
    }
    /// The terms of elements `i .. i + LANES`.
    ///
    /// # Safety
    /// `i + LANES <= self.len()`.
    #[cfg_attr(optimized, inline(always))]
    unsafe fn full<V: Vector<Elem = E>>(&self, i: usize) -> V {
        self.term(
            // SAFETY: the caller's guarantee; both slices have `len()`
            // elements.
            #[cfg_attr(optimized, inline(always))]
            |s| unsafe { load_at::<V>(s, i) },
        )
    }
    /// The terms of the first `N` vectors of elements, padded with exact
    /// zeros past the end ([`Vector::load_padded`]).
    #[cfg_attr(optimized, inline(always))]
    fn padded<V: Vector<Elem = E>, const N: usize>(&self) -> [V; N] {
        let mut a = V::load_padded::<N>(self.a);
        if self.kind != TermKind::Values {
            let b = V::load_padded::<N>(self.b);
            for (ak, bk) in a.iter_mut().zip(b) {
                *ak = self.combine(
                    *ak,
                    #[cfg_attr(optimized, inline(always))]
                    || bk,
                );
            }
        }
        a
    }
    /// The terms of elements `i ..` (fewer than `LANES`), padded with exact
    /// zeros (the terms of `+0.0` elements).
    #[cfg_attr(optimized, inline(always))]
    fn tail<V: Vector<Elem = E>>(&self, i: usize) -> V {
        self.term(
            #[cfg_attr(optimized, inline(always))]
            |s| load_tail::<V>(s, i),
        )
    }
}

/// Sums `terms` block by block into the type's [`Acc`]. A backend may run
/// the loop over whole blocks itself ([`Vector::whole_blocks`]).
#[cfg_attr(optimized, inline(always))]
pub fn reduce<V: Vector>(terms: Terms<'_, V::Elem>) -> <V::Elem as Element>::Acc {
    reduce_by::<V>(
        terms,
        // SAFETY: `reduce_by` and its helpers ask for full vectors only where
        // `i + LANES <= terms.len()`.
        #[cfg_attr(optimized, inline(always))]
        |i| unsafe { terms.full::<V>(i) },
        #[cfg_attr(optimized, inline(always))]
        |i| terms.tail::<V>(i),
    )
}

/// [`reduce`]'s accumulator's value ([`Acc::value`]). Inputs of at most
/// [`TINY`] terms take the straight-line path where the backend chooses it
/// ([`Vector::TINY_PATH`]), with the value taken by [`Acc::single_value`]:
/// the same bits as `reduce(terms).value()`.
#[cfg_attr(optimized, inline(always))]
pub fn reduce_value<V: Vector>(terms: Terms<'_, V::Elem>) -> f64 {
    if V::TINY_PATH && terms.len() <= TINY {
        return <V::Elem as Element>::Acc::single_value(
            tiny_vector::<V>(terms).reduce_add().to_f64(),
        );
    }
    reduce::<V>(terms).value()
}

/// [`reduce`], with `terms`' vectors from `full` and `tail`.
#[cfg_attr(optimized, inline(always))]
fn reduce_by<V: Vector>(
    terms: Terms<'_, V::Elem>,
    full: impl Fn(usize) -> V,
    tail: impl Fn(usize) -> V,
) -> <V::Elem as Element>::Acc {
    let n = terms.len();
    let b = block_len::<V>();
    if n < b {
        return <V::Elem as Element>::Acc::single(short_sum(n, &full, &tail).to_f64());
    }
    if <V::Elem as Element>::LANE_BLOCKS && n >= LANE_BLOCKS_FROM * b {
        return reduce_lanes::<V>(terms, &full, &tail);
    }
    let blocks = n / b;
    let mut acc = match V::whole_blocks(terms, blocks) {
        Some(acc) => acc,
        None => whole_blocks_by(blocks, &full),
    };
    let i = blocks * b;
    if i < n {
        acc.add(block_sum(i, n - i, &full, &tail).to_f64());
    }
    acc
}

/// The accumulator after the first `blocks` whole blocks of the terms that
/// `full` gives, from its default: each block's [`full_block_sum`], added in
/// turn (the generic [`Vector::whole_blocks`]).
#[cfg_attr(optimized, inline(always))]
fn whole_blocks_by<V: Vector>(
    blocks: usize,
    full: &impl Fn(usize) -> V,
) -> <V::Elem as Element>::Acc {
    let b = block_len::<V>();
    let mut acc = <V::Elem as Element>::Acc::default();
    let mut i = 0;
    while i < blocks * b {
        acc.add(full_block_sum(i, full).to_f64());
        i += b;
    }
    acc
}

/// The sum of one partial block, `n < block_len` terms from 0 (firmware-sized
/// inputs): no block loop, and within one accumulator round the body made
/// for the length.
#[cfg_attr(optimized, inline(always))]
fn short_sum<V: Vector>(
    n: usize,
    full: &impl Fn(usize) -> V,
    tail: &impl Fn(usize) -> V,
) -> V::Elem {
    match with_whole_vectors::<V, _>(n, Short { n, full, tail }) {
        Some(s) => s,
        None => block_sum(0, n, full, tail),
    }
}

/// [`reduce`] with the lanes kept apart ([`Element::LANE_BLOCKS`], `f64`,
/// at least [`LANE_BLOCKS_FROM`] blocks): the folded vectors of blocks `2j`
/// and `2j + 1` are added (one rounding), and each such pair into a
/// double-double per lane (TwoSum, [`two_sum_err`], lane by lane); a last
/// pair may be one block, whole or partial. At the end the four lanes' `hi`
/// parts are added in pairs by TwoSum, and their errors and the `lo` parts
/// summed plainly.
#[cfg_attr(optimized, inline(always))]
fn reduce_lanes<V: Vector>(
    terms: Terms<'_, V::Elem>,
    full: &impl Fn(usize) -> V,
    tail: &impl Fn(usize) -> V,
) -> <V::Elem as Element>::Acc {
    let n = terms.len();
    let b = block_len::<V>();
    // The whole pairs of blocks, by the backend's own loop where it has one
    // (`Vector::lane_pairs`: the same operations).
    let pairs = n / (2 * b);
    let (mut hi, mut lo) =
        V::lane_pairs(terms, pairs).unwrap_or_else(|| lane_pairs_by(pairs, full));
    // Then at most one whole block and a partial one: the last pair.
    let mut i = 2 * pairs * b;
    let mut first: Option<V> = None;
    if n - i >= b {
        first = Some(full_block_vector(i, full));
        i += b;
    }
    if i < n {
        let v = block_vector(i, n - i, full, tail);
        first = Some(match first {
            None => v,
            Some(f) => f.add(v),
        });
    }
    if let Some(f) = first {
        lane_two_sum(&mut hi, &mut lo, f);
    }
    let (mut h, mut l) = (
        [<V::Elem as Element>::ZERO; 8],
        [<V::Elem as Element>::ZERO; 8],
    );
    hi.store_partial(&mut h[..V::LANES]);
    lo.store_partial(&mut l[..V::LANES]);
    let (h, l) = (h.map(|x| x.to_f64()), l.map(|x| x.to_f64()));
    // The four lanes (`f64x4`; `LANE_BLOCKS` is set for `f64` only): the
    // `hi` parts added in pairs by TwoSum, their errors and the `lo` parts
    // summed plainly (`O(n_blocks u^2)` of `sum(|terms|)`). A lane that is infinite or
    // NaN makes `hi` so, and `Acc::value` then returns `hi` alone.
    const { assert!(V::LANES == 4 || !<V::Elem as Element>::LANE_BLOCKS) };
    /// `a + b` and its rounding error.
    #[cfg_attr(optimized, inline(always))]
    fn two_sum(a: f64, b: f64) -> (f64, f64) {
        let s = a + b;
        (s, two_sum_err(a, b, s))
    }
    let (s01, e01) = two_sum(h[0], h[1]);
    let (s23, e23) = two_sum(h[2], h[3]);
    let (s, e) = two_sum(s01, s23);
    let lo = ((l[0] + l[1]) + (l[2] + l[3])) + ((e01 + e23) + e);
    <V::Elem as Element>::Acc::pair(s, lo)
}

/// `(hi, lo) += v`: TwoSum, as `DoubleDouble::add`, in each lane.
#[cfg_attr(optimized, inline(always))]
fn lane_two_sum<V: Vector>(hi: &mut V, lo: &mut V, v: V) {
    let s = hi.add(v);
    let bb = s.sub(*hi);
    *lo = lo.add(hi.sub(s.sub(bb)).add(v.sub(bb)));
    *hi = s;
}

/// [`reduce_lanes`]' loop over the first `pairs` pairs of whole blocks,
/// from `+0.0` (the generic [`Vector::lane_pairs`]): block `2j`'s folded
/// vector plus block `2j + 1`'s, into the lanes' double-doubles.
#[cfg_attr(optimized, inline(always))]
fn lane_pairs_by<V: Vector>(pairs: usize, full: &impl Fn(usize) -> V) -> (V, V) {
    let b = block_len::<V>();
    let zero = V::splat(<V::Elem as Element>::ZERO);
    let (mut hi, mut lo) = (zero, zero);
    // One block per iteration, block `2j`'s vector waiting for block
    // `2j + 1`'s: on `portable`, a loop over pairs, two blocks an
    // iteration, measured 12-26% slower for `dot`.
    let end = 2 * pairs * b;
    let (mut i, mut first) = (0, None);
    while i < end {
        let v = full_block_vector(i, full);
        match first.take() {
            None => first = Some(v),
            Some(f) => lane_two_sum(&mut hi, &mut lo, f.add(v)),
        }
        i += b;
    }
    (hi, lo)
}

/// Loads the vector at element `i` of `x`.
///
/// # Safety
/// `i + LANES <= x.len()`.
#[cfg_attr(optimized, inline(always))]
pub unsafe fn load_at<V: Vector>(x: &[V::Elem], i: usize) -> V {
    debug_assert!(i + V::LANES <= x.len());
    // SAFETY: the caller guarantees `i + LANES <= x.len()`.
    unsafe { V::load(x.as_ptr().add(i)) }
}

/// Loads elements `i..` of `x` (fewer than `LANES`), padded with `+0.0`.
#[cfg_attr(optimized, inline(always))]
pub fn load_tail<V: Vector>(x: &[V::Elem], i: usize) -> V {
    V::load_partial(x.get(i..).unwrap_or(&[]))
}

/// [`Vector::whole_blocks`] and [`Vector::lane_pairs`] beside the generic
/// loops, on each backend, for the tests: a backend's own loop must give the
/// same accumulator, bit for bit.
#[cfg(feature = "oracle")]
pub mod paths {
    use super::{
        block_len, lane_pairs_by, short_sum, tiny_vector, whole_blocks_by, Acc, TermKind, Terms,
        TINY,
    };
    use crate::lanes::{Element, Vector};

    /// The accumulator's [`Acc::parts`] after the whole blocks of
    /// `Terms::of(kind, a, b)` (a shorter tail is left out): with `own`, by
    /// the backend's own loop ([`Vector::whole_blocks`]; `None` where it has
    /// none), else by the generic loop.
    #[cfg_attr(optimized, inline(always))]
    fn parts<V: Vector>(
        kind: TermKind,
        a: &[V::Elem],
        b: &[V::Elem],
        own: bool,
    ) -> Option<[f64; 2]> {
        let terms = Terms::of(kind, a, b);
        let blocks = terms.len() / block_len::<V>();
        if own {
            return V::whole_blocks(terms, blocks).map(|acc| acc.parts());
        }
        // SAFETY: `whole_blocks_by` asks for full vectors inside the whole
        // blocks only, so `i + LANES <= terms.len()`.
        let full = |i| unsafe { terms.full::<V>(i) };
        Some(whole_blocks_by(blocks, &full).parts())
    }

    /// The lanes' double-doubles, `[hi, lo]` (a vector's lanes each, then
    /// zeros), after the whole pairs of blocks of `Terms::of(kind, a, b)`
    /// (the rest is left out): with `own`, by the backend's own loop
    /// ([`Vector::lane_pairs`]; `None` where it has none), else by the
    /// generic loop.
    #[cfg_attr(optimized, inline(always))]
    fn lane_parts<V: Vector>(
        kind: TermKind,
        a: &[V::Elem],
        b: &[V::Elem],
        own: bool,
    ) -> Option<[[f64; 8]; 2]> {
        let terms = Terms::of(kind, a, b);
        let pairs = terms.len() / (2 * block_len::<V>());
        let (hi, lo) = if own {
            V::lane_pairs(terms, pairs)?
        } else {
            // SAFETY: `lane_pairs_by` asks for full vectors inside the
            // whole pairs of blocks only, so `i + LANES <= terms.len()`.
            let full = |i| unsafe { terms.full::<V>(i) };
            lane_pairs_by(pairs, &full)
        };
        let mut out = [[0.0; 8]; 2];
        for (v, o) in [hi, lo].into_iter().zip(&mut out) {
            let mut e = [<V::Elem as Element>::ZERO; 8];
            v.store_partial(&mut e[..V::LANES]);
            *o = e.map(|x| x.to_f64());
        }
        Some(out)
    }

    /// The accumulator's [`Acc::parts`] and its value for the terms
    /// `Terms::of(kind, a, b)`, at most [`TINY`] of them (more are left
    /// out): with `tiny`, by [`reduce_value`](super::reduce_value)'s
    /// straight-line path ([`tiny_vector`], value by [`Acc::single_value`]),
    /// whether or not the backend takes it there, else by the path every
    /// other length under one block takes (value by [`Acc::value`]).
    #[cfg_attr(optimized, inline(always))]
    fn tiny_parts<V: Vector>(kind: TermKind, a: &[V::Elem], b: &[V::Elem], tiny: bool) -> [f64; 3] {
        let terms = Terms::of(kind, a, b);
        let n = terms.len().min(TINY);
        // SAFETY: `short_sum` asks for full vectors only where
        // `i + LANES <= n <= terms.len()`.
        let full = |i| unsafe { terms.full::<V>(i) };
        let tail = |i| terms.tail::<V>(i);
        let tiny = tiny && terms.len() <= TINY;
        let s = if tiny {
            tiny_vector::<V>(terms).reduce_add()
        } else {
            short_sum(n, &full, &tail)
        }
        .to_f64();
        type A<V> = <<V as Vector>::Elem as Element>::Acc;
        let acc = A::<V>::single(s);
        let value = if tiny {
            A::<V>::single_value(s)
        } else {
            acc.value()
        };
        let [hi, lo] = acc.parts();
        [hi, lo, value]
    }

    macro_rules! backend_paths {
        ($name:ident, $isa:ty, $(#[$attr:meta])* ; $($uns:ident)?) => {
            /// The accumulators on this backend.
            pub mod $name {
                use crate::lanes::Isa;
                use crate::reduce::TermKind;
                /// Of `f32` terms (blocks of 256 elements).
                $(#[$attr])*
                pub $($uns)? fn f32(kind: TermKind, a: &[f32], b: &[f32], own: bool) -> Option<[f64; 2]> {
                    super::parts::<<$isa as Isa>::F32>(kind, a, b, own)
                }
                /// Of `f64` terms (blocks of 128 elements).
                $(#[$attr])*
                pub $($uns)? fn f64(kind: TermKind, a: &[f64], b: &[f64], own: bool) -> Option<[f64; 2]> {
                    super::parts::<<$isa as Isa>::F64>(kind, a, b, own)
                }
                /// The lanes' double-doubles after whole pairs of `f32` blocks.
                $(#[$attr])*
                pub $($uns)? fn lanes_f32(kind: TermKind, a: &[f32], b: &[f32], own: bool) -> Option<[[f64; 8]; 2]> {
                    super::lane_parts::<<$isa as Isa>::F32>(kind, a, b, own)
                }
                /// The lanes' double-doubles after whole pairs of `f64` blocks.
                $(#[$attr])*
                pub $($uns)? fn lanes_f64(kind: TermKind, a: &[f64], b: &[f64], own: bool) -> Option<[[f64; 8]; 2]> {
                    super::lane_parts::<<$isa as Isa>::F64>(kind, a, b, own)
                }
                /// Of at most 16 `f32` terms.
                $(#[$attr])*
                pub $($uns)? fn tiny_f32(kind: TermKind, a: &[f32], b: &[f32], tiny: bool) -> [f64; 3] {
                    super::tiny_parts::<<$isa as Isa>::F32>(kind, a, b, tiny)
                }
                /// Of at most 16 `f64` terms.
                $(#[$attr])*
                pub $($uns)? fn tiny_f64(kind: TermKind, a: &[f64], b: &[f64], tiny: bool) -> [f64; 3] {
                    super::tiny_parts::<<$isa as Isa>::F64>(kind, a, b, tiny)
                }
            }
        };
    }
    crate::lanes::for_each_backend!(backend_paths);
}
