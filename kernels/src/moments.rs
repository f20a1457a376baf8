//! `variance`, `std_dev` and `standardize_columns`: the second moment.
//!
//! - Maths: `variance(x, ddof) = sum((x[i] - mean)^2) / (n - ddof)` (NumPy's
//!   `var(ddof=)`), `std_dev = sqrt(variance)`.
//! - Method: one pass over memory, in blocks of `m = ` 1024 (`f32`) or 512
//!   (`f64`) elements, each made of 4 sub-blocks of 256 or 128 (the layout of
//!   [`crate::reduce`]). A block's deviations `d = x - c` from a centre `c`
//!   give `S1 = sum(d)` and `S2 = sum(d^2)`: in each sub-block, vector `j`
//!   into `S1`'s accumulator `j % 4` and `S2`'s `j % 8`, each folded by
//!   halving as in [`crate::reduce`]; the 4 sub-blocks' sums are then added
//!   in pairs in `f64`. The block's mean is `c + S1/m` and its sum of
//!   squared deviations `M2_b = S2 - S1^2/m` (the corrected two-pass formula,
//!   clamped at 0). The centre comes from one of two places:
//!   - *Predicted* from the blocks before (their means' moving average plus
//!     its trend; in inputs longer than 64 elements, blocks 0 and 1 try the
//!     centre of the first 64), so the block is read once. The prediction
//!     is kept only if `m * (mean_b - c)^2 <= M2_b / 16`, tested on the
//!     computed sums as `17 * S1^2 <= m * S2` (`m * S2` finite): close
//!     enough for the bound below.
//!   - The block's *own*: in inputs of at most 64 elements, after a
//!     rejected prediction (the block is then read again), and until a
//!     block shows that its prediction would have passed (data whose level
//!     moves faster than the prediction follows). The block is then
//!     read a second time while it sits in L1: its first element plus the
//!     mean of the differences from it (so a constant block gets exactly its
//!     value), within a few ulps of the block's mean.
//!
//!   Blocks are merged with Chan's formula,
//!   `M2 += M2_b + delta^2 * n_a * m / (n_a + m)`, in `f64` for `f32` data
//!   and with double-double accumulators for `f64` data, so the merge error
//!   does not grow with the number of blocks. The running mean behind `delta`
//!   is a reference `mu0` (the first block's mean, moved by the rebases
//!   below) plus `q`, the accumulated `m * (mean_b - mu0)` over `n`: a shift
//!   that is harmless for a mean, and that keeps constant
//!   data exactly constant (every block mean equal, every prediction exact,
//!   every `delta` zero, the variance exactly 0). Never `E[x^2] - E[x]^2`;
//!   the result is never negative. Every choice depends only on computed
//!   values, so every backend makes the same ones and returns the same bits.
//! - Error bound: the sum of squared deviations `M2` is within
//!   `C * u * (M2 + n * |mean| * sigma)`, `sigma = sqrt(M2 / n)` the exact
//!   population std, `C =` [`crate::bounds::VARIANCE_F32`] /
//!   [`crate::bounds::VARIANCE_F64`]; so
//!   `|var - exact| <= C * u * (var + |mean| * sigma * n / (n - ddof))`
//!   (`var + |mean| * std` for `ddof = 0`). The `|mean|` term is the price of
//!   rounding the block and running means, and vanishes for centred data.
//!   `std_dev` is `sqrt` of the unrounded `f64` variance, so its relative
//!   error is about half the variance's where that is small, and up to all
//!   of it where the variance's bound nears the variance
//!   ([`crate::bounds::STD_DEV_F32`]).
//!
//!   Inside a block (first order in `u`; the counts are `f32`'s, with
//!   `f64`'s in parentheses): each `d^2` carries 3 roundings and a
//!   sub-block's sum 9 (8) more; adding the 4 sub-blocks' sums in pairs adds
//!   2 more for `f64` data (for `f32` data, 2 `f64` roundings: `2^-28 u`,
//!   negligible). So `|S2' - S2| <= 12u * S2` (13u); `S1` carries 13 (14),
//!   so `|S1' - S1| <= 13u * sum(|d|) <= 13u * sqrt(m * S2)`, and
//!   `S1^2/m` is off by at most `26u * sqrt(S2 * m * delta_b^2)` (28u),
//!   `delta_b = mean_b - c`.
//!   With the block's own centre, `m * delta_b^2` is negligible and `M2_b` is
//!   within `12u * M2_b` (`f64`: 13, plus 1 for the `f64` subtraction). With
//!   an accepted prediction, `m * delta_b^2 <= M2_b / 16` and
//!   `S2 = M2_b + m * delta_b^2 <= (17/16) M2_b`, so `M2_b` is within
//!   `a u M2_b`, `a = 12 * 17/16 + 26 * sqrt(17)/16 = 19.5` (`f64`:
//!   `13 * 17/16 + 28 * sqrt(17)/16 = 21.0`, and 22.2 with the subtraction
//!   and the roundings of `s1 * s1` and `/ m`, each below `u M2_b / 16`).
//!   The test runs on the rounded sums; that moves its threshold by `O(u)`
//!   relative, a second-order effect.
//!
//!   Across blocks, `S1`'s error also moves the block's mean, which enters
//!   Chan's `delta^2` term: `M2` changes by `2 (c_b - mean) dS1_b`, of which
//!   `2 (c_b - mean_b) dS1_b` is counted above. The rest sums (Cauchy-Schwarz)
//!   to at most `b u sqrt(B W)`, `W = sum(M2_b)` within the blocks,
//!   `B = M2 - W` between them, `b = 26 sqrt(17/16) = 26.8` (`f64`:
//!   `28 sqrt(17/16) = 28.9`).
//!   For `f32` data the merges run in `f64`: their roundings, counted as
//!   for `f64` below, are `2^-29 u` each; the plain `f64` sum of `M2` (two
//!   positive terms per block) stays within `0.02 u M2` for `n <= 2^32`
//!   (`0.55 u M2` with `standardize_columns`' 32-row blocks), and that of
//!   `dev` (whose partial sums the rebase rule below keeps within
//!   `n sqrt(M2_b / m) / 4` or `2^-10 n |R_b|`) adds a negligible part to
//!   the `|mean|` term; and rounding the result to `f32` adds `u` of it. So
//!   the total is at most `(a + sqrt(a^2 + b^2)) / 2 + 0.02 + 1 = 27.3`
//!   (27.9 for `standardize_columns`): `C = 28`.
//!
//!   For `f64` data the merges' own roundings count too. With `e_b` the
//!   offset of `mean_b` from the overall mean, `R_b` the running mean before
//!   block `b`, `w_b = n_a m / (n_a + m)` (at least `m / 2`), and
//!   `B = sum(w_b delta_b^2) = sum(m e_b^2)` (Chan's identity), each error in
//!   `delta_b` costs `2 w_b |delta_b|` times itself, and Cauchy-Schwarz over
//!   the blocks gives:
//!   - `u |delta_b|` from the last subtraction and the 3 roundings of
//!     `delta^2 * w`: `5u B`;
//!   - the roundings of `mean_b` and of the running mean, relative to
//!     `|mean| + |e_b|` and `|mean| + |R_b - mean|`: `4u n |mean| sigma`
//!     (the `|mean|` term), plus `2u B` and, by Hardy's inequality
//!     (`R_b - mean` is an average of the earlier `e_j`), `4u B`;
//!   - the roundings of earlier blocks' `m * (mean_j - mu0)`, carried in
//!     `dev`, relative to `|delta_j| + |q_j|` (`q = dev / n`, the running
//!     mean's offset from `mu0`): by Hardy again `4 sqrt(2) u B`, plus
//!     `u sqrt(B W)`;
//!   - the two roundings of `q` itself (`dev`'s value, then `/ n`),
//!     relative to `|q|`. Left alone, this is the term that grows: with a
//!     first block far from the others `|q|` stays large, and the errors sum
//!     like `log n` (like `sqrt(n)` for a slow drift). So `q` is kept only
//!     where `16 m q^2 <= M2_b`, which costs at most `u sqrt(B W)`, or where
//!     `|q| <= 2^-10 |R_b|`, which adds `2^-9` to the running mean's own
//!     rounding above and `2^-10` to the carried roundings (about 0.02 to
//!     `c`, under 0.01 to the `|mean|` term).
//!     Elsewhere `mu0` first moves to the running mean ([`advance`],
//!     `Acc::rebase`:
//!     `dev` changes to match, in double length, up to `O(u^2)` of the old
//!     `|q|`), after which `|q| <= u (2 |q_old| + |R_b|)` roughly, whose
//!     rounding is `O(u^2)`; the rebases' own `O(u^2)` shifts add up to
//!     about `7 u^2 sqrt(N) B` over `N` blocks, negligible.
//!   - the result: `M2`'s rounding to `f64` and the division by
//!     `n - ddof`, `2u` of the variance.
//!
//!   So `c = 16.7` multiplies `u B`, `b` grows to 30.9 and `a = 22.2`;
//!   `M2` is within `((a + c) + sqrt((a - c)^2 + b^2)) / 2 * u * M2`, 35.1,
//!   and with the result's `2u`, 37.1: `C = 38`. (The observed constants
//!   are about 3.)
//!
//!   A rebase changes only speed and bits, not the bound. Stationary data
//!   rebases about once (at its second or third block, if ever), flat runs
//!   (`M2_b = 0`) only when the mean has moved by `2^-10` of itself since;
//!   data with a trend, or with a first block far from the rest, rebases on
//!   most blocks, at up to about a quarter of `f64` `variance`'s speed.
//! - Special values: any NaN or infinity gives NaN. Finite data whose
//!   intermediate results overflow (the bounds exclude it) gives NaN where
//!   a block's sums of differences (`S1`, or the sum that finds its centre)
//!   overflow (values in one block more than about `MAX / m` apart, say
//!   `-1e308` next to `1e308`), otherwise `+inf`. That can happen where the
//!   exact variance is finite: once a block's `S2` overflows (squared
//!   deviations are summed in the element type, so for `f32` one deviation
//!   beyond `sqrt(MAX)`, about `1.85e19`, suffices), or once `delta^2`
//!   overflows, with block means more than about `sqrt(MAX)` apart.
//!   `ddof >= n` is rejected by the public API (here it gives NaN or
//!   infinity).
//! - `standardize_columns` computes each column's mean and population `std`
//!   with the same method transposed: the matrix is read row by row with
//!   columns in lanes, blocks of 32 rows (row `t` into accumulator `t % 8`)
//!   are centred and merged as above, so each column's `std` meets the same
//!   bound (its bits may differ from `std_dev` of the column copied out, whose
//!   blocks are laid out differently). It then writes `(x - mean) / std` in
//!   the element type; a column with `std == 0` becomes `0.0` (scikit-learn's
//!   `StandardScaler`), NaN propagates.

use crate::lanes::{Element, Vector};
use crate::reduce::{
    block_len, block_sum, fold_vectors, full_block_sum, load_at, short_block_sum,
    with_whole_vectors, Acc, ByWholeVectors, K,
};

/// Sub-blocks (of [`block_len`] elements, [`crate::reduce`]'s layout) per
/// block: a block's sums are those of its sub-blocks, added in pairs.
const GROUP: usize = 4;

/// Elements per block: 1024 (`f32`) or 512 (`f64`).
#[cfg_attr(optimized, inline(always))]
pub const fn group_len<V: Vector>() -> usize {
    GROUP * block_len::<V>()
}

/// The running moments of the blocks pushed so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct Moments<A: Acc> {
    n: f64,
    /// The first block's mean, or the running mean at the last rebase
    /// ([`Acc::rebase`]): the running mean is `mu0 + dev / n`.
    mu0: f64,
    /// `sum(m_b * (mean_b - mu0))` over the blocks.
    dev: A,
    /// `sum(m_b * c_b + s1_b)`: the data's sum, for [`Moments::mean`].
    sum: A,
    m2: A,
}

/// For a running mean kept as `mu0 + dev / n`, `dev` the sum of the earlier
/// blocks' `m_b * (mean_b - mu0)`: returns `x` minus that mean, then adds
/// `m * (x - mu0)` to `dev`. The offset `q = dev / n` is rounded, which
/// costs `2u |q|`. Unless `16 m q^2 <= m2_b` (`m2_b` the block's own `M2`)
/// or `|q| <= 2^-10 |mu0 + q|`, `mu0` is first moved to the running mean
/// ([`Acc::rebase`]), after which `|q|` is at most about
/// `u (2 |q_old| + |mu0 + q|)` (module docs).
///
/// Once `dev` has overflowed (block means more than about `f64::MAX / m`
/// apart, whose variance overflows too), it is left infinite: every later
/// result is then infinite, not NaN.
#[cfg_attr(optimized, inline(always))]
pub fn advance<A: Acc>(dev: &mut A, mu0: &mut f64, x: f64, n: f64, m: f64, m2_b: f64) -> f64 {
    let mut q = dev.value() / n;
    // (A NaN `m2_b` fails the first test: harmless either way, the variance
    // is NaN.)
    let small = 16.0 * m * (q * q) <= m2_b || q.abs() * 1024.0 <= (*mu0 + q).abs();
    if !small && q.is_finite() {
        dev.rebase(mu0, n);
        q = dev.value() / n;
    }
    let delta = x - (*mu0 + q);
    if q.is_finite() {
        dev.add((x - *mu0) * m);
    }
    delta
}

/// Elements `i..` of `x` (fewer than `LANES`), padded with `fill`.
#[cfg_attr(optimized, inline(always))]
fn load_padded<V: Vector>(x: &[V::Elem], i: usize, fill: V::Elem) -> V {
    let mut buf = [fill; 8];
    for (d, v) in buf.iter_mut().zip(x.get(i..).unwrap_or(&[])) {
        *d = *v;
    }
    // SAFETY: `buf` holds 8 >= LANES elements.
    unsafe { V::load(buf.as_ptr()) }
}

impl<A: Acc> Moments<A> {
    /// Merges a block of `m` elements given its centre `c`, `s1 = sum(x - c)`
    /// and `s2 = sum((x - c)^2)` (Chan's formula, see the module docs), and
    /// returns the block's mean `c + s1 / m`.
    #[cfg_attr(optimized, inline(always))]
    pub fn push_stats(&mut self, m: f64, c: f64, s1: f64, s2: f64) -> f64 {
        let mean_b = c + s1 / m;
        let mut m2_b = s2 - s1 * s1 / m;
        if m2_b < 0.0 {
            m2_b = 0.0;
        }
        if self.n > 0.0 {
            // `mu0` moves to the running mean unless its offset `q` has
            // `|q| <= sqrt(M2_b / m) / 4` or `|q| <= 2^-10 |mu0 + q|`
            // (module docs).
            let delta = advance(&mut self.dev, &mut self.mu0, mean_b, self.n, m, m2_b);
            self.m2.add(delta * delta * (self.n * m / (self.n + m)));
        } else {
            self.mu0 = mean_b;
        }
        self.m2.add(m2_b);
        // The block's sum `m * c + s1`, with `m * c` added exactly: `c` split
        // into two halves of at most 27 significant bits, `m <= 1024`.
        let c_hi = f64::from_bits(c.to_bits() & 0xffff_ffff_f800_0000);
        self.sum.add(c_hi * m);
        self.sum.add((c - c_hi) * m);
        self.sum.add(s1);
        self.n += m;
        mean_b
    }

    /// `M2 / (n - ddof)` in `f64`.
    #[cfg_attr(optimized, inline(always))]
    pub fn variance(&self, ddof: usize) -> f64 {
        self.m2.value() / (self.n - ddof as f64)
    }

    /// The mean in `f64`: within [`crate::bounds::MOMENTS_MEAN`]` * u * (std + |mean|)`.
    #[cfg_attr(optimized, inline(always))]
    pub fn mean(&self) -> f64 {
        self.sum.value() / self.n
    }
}

/// Pass 1 of a block: its centre, the mean of `x - x[0]` added to `x[0]`: a
/// constant block gets exactly its value (no rounded centre whose error could
/// even overflow when squared), any other a centre within a few ulps of its
/// mean. The sum of `x - x[0]` is taken per sub-block (the layout of
/// [`crate::reduce`]), the sub-blocks' sums added in pairs in `f64`. `None`
/// for an empty block.
#[cfg_attr(optimized, inline(always))]
fn centre<V: Vector>(blk: &[V::Elem]) -> Option<V::Elem> {
    let c0 = *blk.first()?;
    let n = blk.len();
    if n <= block_len::<V>() {
        // One sub-block: its sum and the division in the element type.
        return Some(c0 + sub_sum::<V>(blk, c0) / <V::Elem>::from_usize(n));
    }
    let mut sums = [-0.0f64; GROUP];
    // (Only a last sub-block can be short here: the general loop serves it,
    // and keeps the short bodies' code out of this one.)
    for (s, sb) in sums.iter_mut().zip(blk.chunks(block_len::<V>())) {
        *s = sub_sum_by::<V>(sb, c0, false).to_f64();
    }
    Some(c0 + <V::Elem>::from_f64(pairwise(sums) / n as f64))
}

/// `sum(x - c0)` over a sub-block, in [`crate::reduce`]'s layout.
#[cfg_attr(optimized, inline(always))]
fn sub_sum<V: Vector>(sb: &[V::Elem], c0: V::Elem) -> V::Elem {
    sub_sum_by::<V>(sb, c0, true)
}

/// [`sub_sum`]; with `short`, a sub-block of at most one accumulator round
/// (inputs of at most 64 `f32` or 32 `f64` elements, and for `f32` the
/// 64-element prefix) takes the body made for its number of whole vectors
/// ([`ShortSum`]), the same operations as the general loop's.
#[cfg_attr(optimized, inline(always))]
fn sub_sum_by<V: Vector>(sb: &[V::Elem], c0: V::Elem, short: bool) -> V::Elem {
    let c0v = V::splat(c0);
    if short && sb.len() < block_len::<V>() {
        if let Some(s) = with_whole_vectors::<V, _>(sb.len(), ShortSum { sb, c0 }) {
            return s;
        }
    }
    // (The closures are inlined by force in optimised builds: in the
    // `target_feature` entry points a closure left to the inliner can become
    // a call.)
    sub_sum_loop::<V>(
        sb.len(),
        // SAFETY: both sums ask for full vectors only where `i + LANES <= len`.
        #[cfg_attr(optimized, inline(always))]
        |i| unsafe { load_at::<V>(sb, i) }.sub(c0v),
        #[cfg_attr(optimized, inline(always))]
        |i| load_padded::<V>(sb, i, c0).sub(c0v),
    )
}

/// [`sub_sum_by`]'s general loops, over `len` elements.
#[cfg_attr(optimized, inline(always))]
fn sub_sum_loop<V: Vector>(
    len: usize,
    full: impl Fn(usize) -> V,
    tail: impl Fn(usize) -> V,
) -> V::Elem {
    if len == block_len::<V>() {
        return full_block_sum::<V>(0, &full);
    }
    block_sum::<V>(0, len, &full, &tail)
}

/// [`sub_sum`] of at most `K * LANES` elements, by [`short_block_sum`]:
/// the same operations as [`block_sum`]'s.
struct ShortSum<'a, E> {
    sb: &'a [E],
    c0: E,
}

impl<V: Vector> ByWholeVectors<V> for ShortSum<'_, V::Elem> {
    type Out = V::Elem;
    #[cfg_attr(optimized, inline(always))]
    fn run<const W: usize>(self) -> V::Elem {
        let (sb, c0) = (self.sb, self.c0);
        // `W = sb.len() / LANES` ([`with_whole_vectors`], the only caller).
        debug_assert!(W * V::LANES <= sb.len());
        let c0v = V::splat(c0);
        short_block_sum::<V, W>(
            sb.len(),
            // SAFETY: called only for `k < W`, so
            // `(k + 1) * LANES <= W * LANES <= sb.len()`.
            #[cfg_attr(optimized, inline(always))]
            |k| unsafe { load_at::<V>(sb, k * V::LANES) }.sub(c0v),
            #[cfg_attr(optimized, inline(always))]
            || load_padded::<V>(sb, W * V::LANES, c0).sub(c0v),
        )
    }
}

/// `(s[0] + s[1]) + (s[2] + s[3])`: the fixed order in which a block's
/// sub-block results are added (absent sub-blocks hold `-0.0`, which adds
/// exactly).
#[cfg_attr(optimized, inline(always))]
fn pairwise(s: [f64; GROUP]) -> f64 {
    const { assert!(GROUP == 4) };
    (s[0] + s[1]) + (s[2] + s[3])
}

/// Pass 2 of a block given a centre `c`: `(sum(x - c), sum((x - c)^2))`.
/// Each sub-block's two sums, folded to one vector each ([`sub_deviations`]),
/// are reduced across lanes together ([`Vector::reduce_add8`]), and the
/// sub-blocks' results added in pairs in `f64` ([`pairwise`]).
#[cfg_attr(optimized, inline(always))]
fn deviations<V: Vector>(blk: &[V::Elem], c: V::Elem) -> (f64, f64) {
    // `[s1, s2]` per sub-block; absent ones stay `-0.0`.
    let mut v = [[V::splat(<V::Elem as Element>::NEG_ZERO); 2]; GROUP];
    if blk.len() == group_len::<V>() {
        // (The loop of `whole_deviations`, written out: calling it here made
        // `f64` `variance` on `avx2` 32% slower at 1 Mi, measured A/B.)
        let cv = V::splat(c);
        // Whole sub-blocks only: no length checks in the hot loop.
        for (g, pair) in v.iter_mut().enumerate() {
            // SAFETY: `(g + 1) * block_len <= GROUP * block_len = len`.
            *pair = unsafe { whole_sub_deviations::<V>(blk, g * block_len::<V>(), cv) };
        }
    } else if blk.len() <= block_len::<V>() {
        // One sub-block (short inputs, or a last block that short): the same
        // sums without the batch, as `-0.0 + x = x` exactly.
        let [s1, s2] = sub_deviations::<V>(blk, c);
        return (s1.reduce_add().to_f64(), s2.reduce_add().to_f64());
    } else {
        // (Only a last sub-block can be short here: the loop serves it, and
        // keeps the short bodies' code out of this one.)
        for (pair, sb) in v.iter_mut().zip(blk.chunks(block_len::<V>())) {
            *pair = sub_deviations_by::<V>(sb, c, false);
        }
    }
    lane_sums::<V>(v)
}

/// [`deviations`] of a whole block before the sums across lanes: each
/// sub-block's `[s1, s2]`, folded to one vector each.
///
/// # Safety
/// `blk.len() == group_len::<V>()`.
#[cfg_attr(optimized, inline(always))]
unsafe fn whole_deviations<V: Vector>(blk: &[V::Elem], c: V::Elem) -> [[V; 2]; GROUP] {
    // SAFETY: the caller's guarantee, passed on.
    unsafe {
        let first = first_deviations::<V>(blk, c);
        other_deviations::<V>(blk, c, first)
    }
}

/// [`whole_deviations`] of the first sub-block.
///
/// # Safety
/// `blk.len() == group_len::<V>()`.
#[cfg_attr(optimized, inline(always))]
unsafe fn first_deviations<V: Vector>(blk: &[V::Elem], c: V::Elem) -> [V; 2] {
    debug_assert_eq!(blk.len(), group_len::<V>());
    // SAFETY: `block_len <= group_len = len`.
    unsafe { whole_sub_deviations::<V>(blk, 0, V::splat(c)) }
}

/// [`whole_deviations`], given the first sub-block's (`first`).
///
/// # Safety
/// `blk.len() == group_len::<V>()`.
#[cfg_attr(optimized, inline(always))]
unsafe fn other_deviations<V: Vector>(
    blk: &[V::Elem],
    c: V::Elem,
    first: [V; 2],
) -> [[V; 2]; GROUP] {
    debug_assert_eq!(blk.len(), group_len::<V>());
    let cv = V::splat(c);
    let mut v = [first; GROUP];
    for (g, pair) in v.iter_mut().enumerate().skip(1) {
        // SAFETY: `(g + 1) * block_len <= GROUP * block_len = len`.
        *pair = unsafe { whole_sub_deviations::<V>(blk, g * block_len::<V>(), cv) };
    }
    v
}

/// The end of [`deviations`]: the sub-blocks' vectors reduced across lanes
/// together ([`Vector::reduce_add8`]), and the sub-blocks' results added in
/// pairs ([`pairwise`]).
#[cfg_attr(optimized, inline(always))]
fn lane_sums<V: Vector>(v: [[V; 2]; GROUP]) -> (f64, f64) {
    let [[a0, b0], [a1, b1], [a2, b2], [a3, b3]] = v;
    let r = V::reduce_add8([a0, b0, a1, b1, a2, b2, a3, b3]).map(<V::Elem as Element>::to_f64);
    (
        pairwise([r[0], r[2], r[4], r[6]]),
        pairwise([r[1], r[3], r[5], r[7]]),
    )
}

/// Adds `d = v - c` to `s1[k % (K/2)]` and `d^2` to `s2[k % K]`.
#[cfg_attr(optimized, inline(always))]
fn push<V: Vector>(s1: &mut [V; K / 2], s2: &mut [V; K], k: usize, v: V, cv: V) {
    let d = v.sub_on_fma(cv);
    s1[k % (K / 2)] = s1[k % (K / 2)].add(d);
    s2[k % K] = s2[k % K].add(d.mul(d));
}

/// [`sub_deviations`] of the whole sub-block at `start`, through the
/// backend's [`Vector::deviation_sums`].
///
/// # Safety
/// `start + block_len::<V>() <= blk.len()`.
#[cfg_attr(optimized, inline(always))]
unsafe fn whole_sub_deviations<V: Vector>(blk: &[V::Elem], start: usize, cv: V) -> [V; 2] {
    // SAFETY: `blk[start..start + block_len]` is in bounds (the caller's
    // guarantee).
    unsafe { V::deviation_sums(blk.as_ptr().add(start), cv) }
}

/// The sums of a whole sub-block of `block_len::<V>()` elements from `ptr`
/// (the definition, and the default of [`Vector::deviation_sums`]): with
/// `d = x - c`, vector `j` adds `d` to `S1`'s accumulator `j % (K/2)` and
/// `d * d` to `S2`'s `j % K`; each is folded by halving
/// ([`fold_vectors`]). The same layout as the partial sub-blocks' loop
/// (`sub_deviations`), with a constant trip count and accumulators of its
/// own (only constant indices, so they stay in registers), and no tail
/// code.
///
/// # Safety
/// `ptr` must be valid for reading `block_len::<V>()` elements.
#[cfg_attr(optimized, inline(always))]
pub unsafe fn deviation_sums<V: Vector>(ptr: *const V::Elem, cv: V) -> [V; 2] {
    let zero = V::splat(<V::Elem as Element>::NEG_ZERO);
    let (mut s1, mut s2) = ([zero; K / 2], [zero; K]);
    for r in 0..<V::Elem as Element>::M {
        for k in 0..K {
            // SAFETY: `(r * K + k + 1) * LANES <= block_len` (the caller's
            // guarantee).
            let v = unsafe { V::load(ptr.add((r * K + k) * V::LANES)) };
            push(&mut s1, &mut s2, k, v, cv);
        }
    }
    [fold_vectors(s1), fold_vectors(s2)]
}

/// One sub-block of [`deviations`] (at most `block_len::<V>()` elements, at
/// least one): `sum(x - c)` and `sum((x - c)^2)`, folded to one vector each
/// but not yet across lanes. Vector `j` of the sub-block goes to
/// `s2[j % K]` and `s1[j % (K/2)]`; padded lanes hold `c`, so they
/// contribute exactly zero (for a finite `c`; an infinite or NaN one makes
/// every sum NaN anyway).
#[cfg_attr(optimized, inline(always))]
fn sub_deviations<V: Vector>(blk: &[V::Elem], c: V::Elem) -> [V; 2] {
    sub_deviations_by::<V>(blk, c, true)
}

/// [`sub_deviations`]; with `short`, a sub-block of at most one
/// accumulator round takes the body made for its number of whole vectors
/// ([`ShortDeviations`]), the same operations as the general loop's.
#[cfg_attr(optimized, inline(always))]
fn sub_deviations_by<V: Vector>(blk: &[V::Elem], c: V::Elem, short: bool) -> [V; 2] {
    let len = blk.len();
    let cv = V::splat(c);
    if len == block_len::<V>() {
        // SAFETY: `0 + block_len = len`.
        return unsafe { whole_sub_deviations::<V>(blk, 0, cv) };
    }
    if short {
        if let Some(r) = with_whole_vectors::<V, _>(len, ShortDeviations { blk, c }) {
            return r;
        }
    }
    let zero = V::splat(<V::Elem as Element>::NEG_ZERO);
    let (mut s1, mut s2) = ([zero; K / 2], [zero; K]);
    let mut i = 0;
    while len - i >= K * V::LANES {
        for k in 0..K {
            // SAFETY: `i + (k + 1) * LANES <= i + K * LANES <= len`.
            let v = unsafe { load_at::<V>(blk, i + k * V::LANES) };
            push(&mut s1, &mut s2, k, v, cv);
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
            load_padded::<V>(blk, j, c)
        };
        push(&mut s1, &mut s2, k, v, cv);
    }
    [fold_vectors(s1), fold_vectors(s2)]
}

/// [`sub_deviations`] of at most `K * LANES` elements (one accumulator
/// round), with the number of whole vectors `W` a constant: vector `k < W`
/// pushed as `k`, a partial one as `W`, as the general loop does.
struct ShortDeviations<'a, E> {
    blk: &'a [E],
    c: E,
}

impl<V: Vector> ByWholeVectors<V> for ShortDeviations<'_, V::Elem> {
    type Out = [V; 2];
    #[cfg_attr(optimized, inline(always))]
    fn run<const W: usize>(self) -> [V; 2] {
        let (blk, c) = (self.blk, self.c);
        // `W = blk.len() / LANES` ([`with_whole_vectors`], the only caller).
        debug_assert!(W * V::LANES <= blk.len());
        let cv = V::splat(c);
        let zero = V::splat(<V::Elem as Element>::NEG_ZERO);
        let (mut s1, mut s2) = ([zero; K / 2], [zero; K]);
        for k in 0..W {
            // SAFETY: `(k + 1) * LANES <= W * LANES <= blk.len()`.
            let v = unsafe { load_at::<V>(blk, k * V::LANES) };
            push(&mut s1, &mut s2, k, v, cv);
        }
        if W < K && W * V::LANES < blk.len() {
            push(
                &mut s1,
                &mut s2,
                W,
                load_padded::<V>(blk, W * V::LANES, c),
                cv,
            );
        }
        [fold_vectors(s1), fold_vectors(s2)]
    }
}

/// A predicted centre `c` is kept for a block of `m` elements when
/// `m * (mean_b - c)^2 <= M2_b / ACCEPT` (see the module docs for what this
/// costs in the bound, and `tests/accuracy.rs` for data on both sides).
const ACCEPT: f64 = 16.0;

/// Whether a predicted centre passes: `m (s1/m)^2 <= (s2 - s1^2/m) / ACCEPT`,
/// i.e. `(ACCEPT + 1) s1^2 <= m s2`, with `m s2` finite (then `s1^2` is
/// too). An overflow or a NaN rejects, and the block is redone from its own
/// centre: for `f64` data `s2` can be finite while `m s2` and `s1^2` are
/// not, and `inf <= inf` must not pass.
#[cfg_attr(optimized, inline(always))]
fn accepts(m: f64, s1: f64, s2: f64) -> bool {
    let ms2 = m * s2;
    ms2 <= f64::MAX && (ACCEPT + 1.0) * (s1 * s1) <= ms2
}

/// Elements whose own centre blocks 0 and 1 try as their prediction, in
/// inputs longer than this: their mean is within `sigma / 4` of a block's, what
/// [`accepts`] asks, about 95% of the time for independent data.
const PREFIX: usize = 64;

/// The moments of `x`, block by block, each block read once (a predicted
/// centre that passes [`accepts`]) or twice (its own centre from
/// [`centre`], then the deviations), the second time from L1; a block whose
/// prediction fails is read three times. (With [`Vector::DEFER_MERGE`], the
/// block after one that fails is read once more, three times in all.)
///
/// The prediction for block `b` is made after block `b - 2` is merged, so
/// that it does not wait for the previous block's sums: the moving average
/// `e` of the block means (weight 1/8) plus 9 times `slope`, a moving average
/// (weight 1/8) of the steps of `e` up to the previous block. The 9 is the
/// two blocks ahead plus the seven blocks that `e` lags behind a linear
/// trend, so sorted data is predicted too. Blocks 0 and 1, which have no
/// such prediction, try the centre of the first [`PREFIX`] elements, which
/// waits for no block (so that inputs longer than that are mostly read once,
/// plus those elements; shorter ones take their own centre).
/// After a rejection, blocks take their own centres until one shows that
/// its prediction would have passed.
#[cfg_attr(optimized, inline(always))]
fn moments<V: Vector>(x: &[V::Elem]) -> Moments<<V::Elem as Element>::Acc> {
    // The centres blocks `b` and `b + 1` try: for blocks 0 and 1, the
    // centre of the first `PREFIX` elements (if there are more).
    let pred = match x.get(..PREFIX) {
        Some(prefix) if x.len() > PREFIX => centre::<V>(prefix),
        _ => None,
    };
    let mut run = Run::<V> {
        mo: Moments::default(),
        pred,
        pred_next: pred,
        predicting: true,
        ema: None,
        prev: 0.0,
        slope: 0.0,
    };
    // With `DEFER_MERGE`, a whole block read with its prediction, whose sums
    // across lanes and merge wait until the next block's first sub-block
    // has been read (with that block's prediction, in the hope that this one
    // passes): that long chain of dependent operations then runs beside the
    // loads instead of holding them up. The same operations in the same
    // order either way; where the waiting block fails its test, the next
    // block has been read for nothing.
    let mut pending: Option<Pending<'_, V>> = None;
    let whole = group_len::<V>();
    for blk in x.chunks(whole) {
        if let Some((pb, pp, raw)) = pending.take() {
            let next = match run.pred_next {
                Some(p) if blk.len() == whole => {
                    // `pb` is finished after this block's first sub-block.
                    // SAFETY: `blk.len() == whole`.
                    let first = unsafe { first_deviations::<V>(blk, p) };
                    run.finish(pb, pp, raw);
                    // (Read before `pb`'s test is known: branching on it
                    // here measured 2-4% slower.)
                    // SAFETY: `blk.len() == whole`.
                    let rest = unsafe { other_deviations::<V>(blk, p, first) };
                    Some((p, rest))
                }
                _ => {
                    run.finish(pb, pp, raw);
                    None
                }
            };
            match next {
                // `pb` passed: this block's read stands.
                Some((p, raw)) if run.predicting => {
                    pending = Some((blk, p, raw));
                    continue;
                }
                // Otherwise this block starts over, as it would have.
                _ => {}
            }
        }
        match run.pred {
            Some(p) if V::DEFER_MERGE && run.predicting && blk.len() == whole => {
                // SAFETY: `blk.len() == whole`.
                pending = Some((blk, p, unsafe { whole_deviations::<V>(blk, p) }));
            }
            Some(p) if run.predicting => {
                let (s1, s2) = deviations::<V>(blk, p);
                run.block(blk, Some((p, s1, s2)));
            }
            _ => run.block(blk, None),
        }
    }
    if let Some((pb, pp, raw)) = pending {
        run.finish(pb, pp, raw);
    }
    run.mo
}

/// A whole block waiting in [`moments`]: the block, the prediction it was
/// read with, and its sub-blocks' sums ([`whole_deviations`]).
type Pending<'a, V> = (
    &'a [<V as Vector>::Elem],
    <V as Vector>::Elem,
    [[V; 2]; GROUP],
);

/// A block (not empty) from its own centre: the centre ([`centre`]) and the
/// sums of the deviations from it ([`deviations`]). [`Run::own_centre`] and
/// [`short_variance_unrounded`] both take it.
#[cfg_attr(optimized, inline(always))]
fn own_sums<V: Vector>(blk: &[V::Elem]) -> (V::Elem, f64, f64) {
    // (`centre` is `None` only for an empty block.)
    let c = centre::<V>(blk).unwrap_or(<V::Elem as Element>::ZERO);
    let (s1, s2) = deviations::<V>(blk, c);
    (c, s1, s2)
}

/// The state of [`moments`]' loop over the blocks.
struct Run<V: Vector> {
    mo: Moments<<V::Elem as Element>::Acc>,
    /// The centres the next two blocks try.
    pred: Option<V::Elem>,
    pred_next: Option<V::Elem>,
    /// Whether the next block tries its prediction.
    predicting: bool,
    /// The predictor: `e` (`None` before the first merge), its value one
    /// block before, and the trend per block.
    ema: Option<f64>,
    prev: f64,
    slope: f64,
}

impl<V: Vector> Run<V> {
    /// [`Run::block`] for a whole block read with its prediction `p`, from
    /// its sub-blocks' vectors.
    #[cfg_attr(optimized, inline(always))]
    fn finish(&mut self, blk: &[V::Elem], p: V::Elem, raw: [[V; 2]; GROUP]) {
        let (s1, s2) = lane_sums::<V>(raw);
        self.block(blk, Some((p, s1, s2)));
    }
    /// Block `blk` (not empty) from its own centre: the centre and the sums
    /// from it. Sets `predicting` to whether the prediction would have passed
    /// (the next block then tries its own).
    #[cfg_attr(optimized, inline(always))]
    fn own_centre(&mut self, blk: &[V::Elem]) -> (V::Elem, f64, f64) {
        let m = blk.len() as f64;
        let (c, s1, s2) = own_sums::<V>(blk);
        if let Some(p) = self.pred {
            // Would `p` have passed? `m (mean_b - p)^2 <= M2_b / ACCEPT`.
            let shift = (c.to_f64() - p.to_f64()) + s1 / m;
            self.predicting = ACCEPT * m * (shift * shift) <= s2 - s1 * s1 / m;
        }
        (c, s1, s2)
    }
    /// Block `blk` (not empty), given the sums from its prediction `p`
    /// (`tried`: `(p, s1, s2)`) if it tried it: takes its own centre where
    /// that fails or was not tried, merges it, and makes the prediction of
    /// the block after the next.
    #[cfg_attr(optimized, inline(always))]
    fn block(&mut self, blk: &[V::Elem], tried: Option<(V::Elem, f64, f64)>) {
        let m = blk.len() as f64;
        if let Some((_, s1, s2)) = tried {
            self.predicting = accepts(m, s1, s2);
        }
        let (c, s1, s2) = match tried {
            Some(t) if self.predicting => t,
            _ => self.own_centre(blk),
        };
        let full = group_len::<V>() as f64;
        let mean_b = if m == full {
            // The same operations: a constant `m`, a power of two, lets `/ m`
            // become the exact `* (1 / m)`.
            self.mo.push_stats(full, c.to_f64(), s1, s2)
        } else {
            self.mo.push_stats(m, c.to_f64(), s1, s2)
        };
        let e = match self.ema {
            None => {
                self.prev = mean_b;
                mean_b
            }
            Some(e) => {
                // The slope takes the step before this one, so it does not
                // wait for this block.
                self.slope += ((e - self.prev) - self.slope) * 0.125;
                self.prev = e;
                e + (mean_b - e) * 0.125
            }
        };
        self.ema = Some(e);
        let next = Some(<V::Elem>::from_f64(e + 9.0 * self.slope));
        (self.pred, self.pred_next) = (self.pred_next, next);
    }
}

/// `sum((x - mean)^2) / (n - ddof)` as an `f64`, which [`round_variance`]
/// and [`round_std_dev`] finish. (The entry points call it through one
/// non-inlined function per backend, shared by the variance and the standard
/// deviation, see `crate::entry_points!`, for inputs longer than [`SHORT`];
/// shorter ones go to [`short_variance_unrounded`].)
#[cfg_attr(optimized, inline(always))]
pub fn variance_unrounded<V: Vector>(x: &[V::Elem], ddof: usize) -> f64 {
    moments::<V>(x).variance(ddof)
}

/// The longest inputs that [`short_variance_unrounded`] takes.
pub const SHORT: usize = PREFIX;

/// The unrounded variance of `x` by `short` (inputs of at most [`SHORT`]
/// elements) or `long`: the one choice both the variance and the standard
/// deviation entry points make (`crate::entry_points!`).
#[cfg_attr(optimized, inline(always))]
pub fn unrounded_by_length<E>(
    x: &[E],
    ddof: usize,
    short: impl FnOnce(&[E], usize) -> f64,
    long: impl FnOnce(&[E], usize) -> f64,
) -> f64 {
    if x.len() <= SHORT {
        short(x, ddof)
    } else {
        long(x, ddof)
    }
}

/// [`variance_unrounded`] for inputs of at most [`SHORT`] elements (`None`
/// for longer ones): one block from its own centre, the operations that the
/// general code runs for such an input, without the state of its loop over
/// blocks, so the same bits. The entry points send such inputs here, to a
/// small function of its own (`crate::entry_points!`), so that they skip
/// the setup of the general one.
#[cfg_attr(optimized, inline(always))]
pub fn short_variance_unrounded<V: Vector>(x: &[V::Elem], ddof: usize) -> Option<f64> {
    if x.len() > SHORT {
        return None;
    }
    let mut mo = Moments::<<V::Elem as Element>::Acc>::default();
    if !x.is_empty() {
        let (c, s1, s2) = own_sums::<V>(x);
        mo.push_stats(x.len() as f64, c.to_f64(), s1, s2);
    }
    Some(mo.variance(ddof))
}

/// The variance: [`variance_unrounded`] rounded to the element type.
#[cfg_attr(optimized, inline(always))]
pub fn round_variance<E: Element>(v: f64) -> E {
    E::from_f64(v)
}

/// The standard deviation: the square root of [`variance_unrounded`], taken
/// before rounding to the element type.
#[cfg_attr(optimized, inline(always))]
pub fn round_std_dev<E: Element>(v: f64) -> E {
    E::from_f64(libm::sqrt(v))
}

/// Rows per block in [`standardize_columns`]: row `t` of a block goes to
/// accumulator `t % K`, so each lane sees 4 additions and a 3-level fold.
const ROW_BLOCK: usize = 4 * K;
/// Columns whose running moments are kept at once (on the stack).
const COL_GROUP: usize = 64;

/// The column moments of one block of rows for the `LANES` columns starting
/// at `col`: centre, `sum(d)`, `sum(d^2)` per lane, as `push_stats` takes them.
/// `load(r)` gives row `r`'s lanes (padded past the last column).
#[cfg_attr(optimized, inline(always))]
fn column_block<V: Vector>(rows: usize, load: &impl Fn(usize) -> V) -> (V, V, V) {
    let zero = V::splat(<V::Elem as Element>::NEG_ZERO);
    // The centre: row 0 plus the mean of the rows' differences from it (see
    // [`centre`]).
    let c0 = load(0);
    let mut a = [zero; K];
    let mut r = 0;
    while rows - r >= K {
        for (k, acc) in a.iter_mut().enumerate() {
            *acc = acc.add(load(r + k).sub(c0));
        }
        r += K;
    }
    for (k, acc) in a.iter_mut().enumerate() {
        if r + k < rows {
            *acc = acc.add(load(r + k).sub(c0));
        }
    }
    let c = c0.add(fold_vectors(a).div(V::splat(<V::Elem>::from_usize(rows))));
    let (mut s1, mut s2) = ([zero; K / 2], [zero; K]);
    let mut r = 0;
    while r < rows {
        for k in 0..K {
            if r + k < rows {
                let d = load(r + k).sub(c);
                s1[k % (K / 2)] = s1[k % (K / 2)].add(d);
                s2[k] = s2[k].add(d.mul(d));
            }
        }
        r += K;
    }
    (c, fold_vectors(s1), fold_vectors(s2))
}

/// Standardises each column of the row-major `x` (`cols` columns) in place:
/// `(x - mean) / std` with the population `std`; zero-`std` columns become 0.
/// Rows past the last whole row are left alone (the public API rejects them).
///
/// Row-wise, with columns in lanes: for each group of up to 64 columns, blocks
/// of 32 rows are read twice while in L1 (own centre, then deviations, as in
/// `variance` without a prediction, but with the block's rows, not its
/// elements, spread over the accumulators), each column's blocks merged with
/// Chan's formula; then one
/// pass writes the result. Memory is read twice and written once.
#[cfg_attr(optimized, inline(always))]
pub fn standardize_columns<V: Vector>(x: &mut [V::Elem], cols: usize) {
    if cols == 0 {
        return;
    }
    let rows = x.len() / cols;
    let lanes = V::LANES;
    let mut g0 = 0;
    while g0 < cols {
        let gw = if cols - g0 < COL_GROUP {
            cols - g0
        } else {
            COL_GROUP
        };
        let mut st = [Moments::<<V::Elem as Element>::Acc>::default(); COL_GROUP];
        let mut r0 = 0;
        while r0 < rows {
            let nb = if rows - r0 < ROW_BLOCK {
                rows - r0
            } else {
                ROW_BLOCK
            };
            let mut j = 0;
            while j < gw {
                let w = if gw - j < lanes { gw - j } else { lanes };
                let base = r0 * cols + g0 + j;
                let xs: &[V::Elem] = x;
                let (c, s1, s2) = if w == lanes {
                    // SAFETY: row `r0 + r < rows` holds columns
                    // `g0 + j .. g0 + j + LANES <= cols`, inside `x`.
                    column_block::<V>(nb, &|r| unsafe { load_at::<V>(xs, base + r * cols) })
                } else {
                    column_block::<V>(nb, &|r| {
                        let at = base + r * cols;
                        V::load_partial(xs.get(at..at + w).unwrap_or(&[]))
                    })
                };
                let (mut cs, mut s1s, mut s2s) = (
                    [<V::Elem>::ZERO; 8],
                    [<V::Elem>::ZERO; 8],
                    [<V::Elem>::ZERO; 8],
                );
                c.store_partial(&mut cs);
                s1.store_partial(&mut s1s);
                s2.store_partial(&mut s2s);
                for l in 0..w {
                    if let Some(m) = st.get_mut(j + l) {
                        m.push_stats(nb as f64, cs[l].to_f64(), s1s[l].to_f64(), s2s[l].to_f64());
                    }
                }
                j += lanes;
            }
            r0 += nb;
        }
        // Write pass: (x - mean) / std per strip of LANES columns.
        let mut j = 0;
        while j < gw {
            let w = if gw - j < lanes { gw - j } else { lanes };
            let (mut means, mut stds) = ([<V::Elem>::ZERO; 8], [<V::Elem>::ONE; 8]);
            for l in 0..w {
                if let Some(m) = st.get(j + l) {
                    means[l] = <V::Elem>::from_f64(m.mean());
                    stds[l] = <V::Elem>::from_f64(libm::sqrt(m.variance(0)));
                }
            }
            let mean = V::load_partial(&means);
            let std = V::load_partial(&stds);
            let zero = V::splat(<V::Elem>::ZERO);
            let std_is_zero = std.eq(zero);
            for r in 0..rows {
                let at = r * cols + g0 + j;
                let z = |v: V| V::select(std_is_zero, zero, v.sub(mean).div(std));
                if w == lanes {
                    // SAFETY: row `r < rows` holds columns
                    // `g0 + j .. g0 + j + LANES <= cols`, inside `x`.
                    unsafe {
                        let p = x.as_mut_ptr().add(at);
                        z(V::load(p)).store(p);
                    }
                } else if let Some(s) = x.get_mut(at..at + w) {
                    z(V::load_partial(s)).store_partial(s);
                }
            }
            j += lanes;
        }
        g0 += gw;
    }
}

/// `variance`'s sub-block sums by two routes on each backend, for the tests
/// (both routes must give the same bits): [`Vector::deviation_sums`] beside
/// its generic definition ([`deviation_sums`]), which the benchmark that
/// justifies a backend's own also uses (`cargo bench --bench kernels
/// deviation_sums`); and a short sub-block's sums by the bodies made for
/// its number of whole vectors beside the general loop.
#[cfg(feature = "oracle")]
pub mod paths {
    use crate::lanes::Vector;
    use crate::reduce::block_len;

    /// The sums of each whole sub-block of `x` (a shorter tail is left out)
    /// with centre `c`, written to `out` (`S1`'s lanes, then `S2`'s, per
    /// sub-block; it must hold `2 * LANES` elements per sub-block), by the
    /// backend's version or, with `generic`, the definition.
    #[cfg_attr(optimized, inline(always))]
    fn sums<V: Vector>(x: &[V::Elem], c: V::Elem, generic: bool, out: &mut [V::Elem]) {
        let cv = V::splat(c);
        let subs = x.chunks_exact(block_len::<V>());
        for (sb, o) in subs.zip(out.chunks_exact_mut(2 * V::LANES)) {
            // SAFETY: `sb` holds `block_len` elements.
            let [s1, s2] = unsafe {
                if generic {
                    super::deviation_sums::<V>(sb.as_ptr(), cv)
                } else {
                    V::deviation_sums(sb.as_ptr(), cv)
                }
            };
            let (o1, o2) = o.split_at_mut(V::LANES);
            s1.store_partial(o1);
            s2.store_partial(o2);
        }
    }

    /// A sub-block's sums as [`super::centre`] (`sum(x - c)`, first) and
    /// [`super::deviations`] (`S1`'s lanes, then `S2`'s) take them, for
    /// `x` of at most one sub-block (`out` holds `1 + 2 * LANES`
    /// elements): with `short`, as the library runs them (the bodies for
    /// inputs of at most one accumulator round), else by the general loop.
    #[cfg_attr(optimized, inline(always))]
    fn short_sums<V: Vector>(x: &[V::Elem], c: V::Elem, short: bool, out: &mut [V::Elem]) {
        assert!(x.len() <= block_len::<V>() && out.len() > 2 * V::LANES);
        out[0] = super::sub_sum_by::<V>(x, c, short);
        let [s1, s2] = super::sub_deviations_by::<V>(x, c, short);
        let (o1, o2) = out[1..1 + 2 * V::LANES].split_at_mut(V::LANES);
        s1.store_partial(o1);
        s2.store_partial(o2);
    }

    /// The state [`super::moments`] leaves for `x`, in `f64` before any
    /// rounding to the element type: the [`Acc::parts`](crate::reduce::Acc::parts)
    /// of `M2`, of the sum and of `dev` (the running mean's offset), then
    /// the running mean's reference `mu0` and the count.
    #[cfg_attr(optimized, inline(always))]
    fn state<V: Vector>(x: &[V::Elem]) -> [f64; 8] {
        use crate::reduce::Acc;
        let mo = super::moments::<V>(x);
        let ([m0, m1], [s0, s1], [d0, d1]) = (mo.m2.parts(), mo.sum.parts(), mo.dev.parts());
        [m0, m1, s0, s1, d0, d1, mo.mu0, mo.n]
    }

    macro_rules! backend_paths {
        ($name:ident, $isa:ty, $(#[$attr:meta])* ; $($uns:ident)?) => {
            /// The sums on this backend.
            pub mod $name {
                use crate::lanes::Isa;
                /// The state `moments` leaves for `f32` data, in `f64`:
                /// the parts of `M2`, the sum and `dev`, then `mu0` and the
                /// count.
                $(#[$attr])*
                pub $($uns)? fn state_f32(x: &[f32]) -> [f64; 8] {
                    super::state::<<$isa as Isa>::F32>(x)
                }
                /// The same for `f64` data.
                $(#[$attr])*
                pub $($uns)? fn state_f64(x: &[f64]) -> [f64; 8] {
                    super::state::<<$isa as Isa>::F64>(x)
                }
                /// Of `f32` sub-blocks (256 elements each).
                $(#[$attr])*
                pub $($uns)? fn f32(x: &[f32], c: f32, generic: bool, out: &mut [f32]) {
                    super::sums::<<$isa as Isa>::F32>(x, c, generic, out)
                }
                /// Of `f64` sub-blocks (128 elements each).
                $(#[$attr])*
                pub $($uns)? fn f64(x: &[f64], c: f64, generic: bool, out: &mut [f64]) {
                    super::sums::<<$isa as Isa>::F64>(x, c, generic, out)
                }
                /// Of one short `f32` sub-block, by the short bodies
                /// (`short`) or the general loop.
                $(#[$attr])*
                pub $($uns)? fn short_f32(x: &[f32], c: f32, short: bool, out: &mut [f32]) {
                    super::short_sums::<<$isa as Isa>::F32>(x, c, short, out)
                }
                /// Of one short `f64` sub-block, by the short bodies
                /// (`short`) or the general loop.
                $(#[$attr])*
                pub $($uns)? fn short_f64(x: &[f64], c: f64, short: bool, out: &mut [f64]) {
                    super::short_sums::<<$isa as Isa>::F64>(x, c, short, out)
                }
            }
        };
    }
    crate::lanes::for_each_backend!(backend_paths);
}
