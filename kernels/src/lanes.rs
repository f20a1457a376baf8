//! The lane trait every backend implements, and the scalar element trait.
//!
//! A [`Vector`] is a 256-bit *logical* vector: eight `f32` lanes or four `f64`
//! lanes, whatever the hardware register width. Every kernel family is written
//! once over these traits (see `sum.rs`, `dot.rs`, `moments.rs`, `sq_err.rs`,
//! `ln.rs`), so the order of every floating-point operation, and therefore
//! every result bit, is fixed by the generic body and not by the backend.
//!
//! Rules an implementation must keep so that backends stay bit-identical:
//! - every arithmetic method is the correctly rounded IEEE operation on each
//!   lane (no fused multiply-add, no approximations, no flush-to-zero);
//!   [`Vector::sub_on_fma`] may use a fused `x * 1 - c`, whose product is
//!   exact, so its one rounding is the subtraction's;
//!   [`Isa::ln_f32_fast`] is the one method a backend may implement with
//!   other operations (its contract says why that keeps results identical);
//! - [`Vector::reduce_add`] uses exactly the tree documented on it (and an
//!   override of [`Vector::reduce_add8`] returns its bits);
//! - an override of a whole loop ([`Vector::deviation_sums`],
//!   [`Vector::whole_blocks`]) runs the generic body's operations in the
//!   generic body's order, only scheduled its own way, and a schedule
//!   choice ([`Vector::DEFER_MERGE`]) changes when operations run, never
//!   which;
//! - lane `i` of a load is element `i` of the slice (no alignment peeling).
//!
//! Masks are vectors whose lanes are all-ones or all-zero bit patterns, as
//! SSE/AVX/NEON comparisons produce them.

use core::fmt::Debug;

/// The element types the kernels work on: `f32` and `f64`.
pub trait Element:
    Copy
    + Debug
    + PartialEq
    + PartialOrd
    + Default
    + core::ops::Add<Output = Self>
    + core::ops::Sub<Output = Self>
    + core::ops::Mul<Output = Self>
    + core::ops::Div<Output = Self>
    + 'static
{
    /// `-0.0`: the additive identity (`-0.0 + x == x` for every `x`, zeros included).
    const NEG_ZERO: Self;
    /// `0.0`.
    const ZERO: Self;
    /// `1.0`.
    const ONE: Self;
    /// The unit roundoff `u = 2^-p` (half an ulp of 1): `2^-24` or `2^-53`.
    const UNIT_ROUNDOFF: f64;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
    /// Rounds an `f64` to this type (round to nearest, ties to even).
    fn from_f64(x: f64) -> Self;
    /// `n` as this type (rounded if it has more bits than the significand).
    fn from_usize(n: usize) -> Self;
    /// The accumulator that block results are folded into: plain `f64` for
    /// `f32` data, a double-double (`f64` pair) for `f64` data (per lane
    /// first from 4 blocks on, [`Element::LANE_BLOCKS`]).
    type Acc: crate::reduce::Acc;
    /// Vectors each of the [`crate::reduce::K`] accumulators takes per block.
    const M: usize;
    /// Whether [`crate::reduce`] keeps the lanes apart across blocks (a
    /// double-double per lane, `f64`) instead of summing each block's lanes
    /// into [`Element::Acc`] (`f32`).
    const LANE_BLOCKS: bool;
}

impl Element for f32 {
    const NEG_ZERO: Self = -0.0;
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const UNIT_ROUNDOFF: f64 = 5.960464477539063e-8; // 2^-24
    type Acc = crate::reduce::PlainF64;
    const M: usize = 4;
    const LANE_BLOCKS: bool = false;
    #[cfg_attr(optimized, inline(always))]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[cfg_attr(optimized, inline(always))]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[cfg_attr(optimized, inline(always))]
    fn from_usize(n: usize) -> Self {
        n as f32
    }
}

impl Element for f64 {
    const NEG_ZERO: Self = -0.0;
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const UNIT_ROUNDOFF: f64 = 1.1102230246251565e-16; // 2^-53
    type Acc = crate::reduce::DoubleDouble;
    const M: usize = 4;
    const LANE_BLOCKS: bool = true;
    #[cfg_attr(optimized, inline(always))]
    fn to_f64(self) -> f64 {
        self
    }
    #[cfg_attr(optimized, inline(always))]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[cfg_attr(optimized, inline(always))]
    fn from_usize(n: usize) -> Self {
        n as f64
    }
}

/// A 256-bit logical vector of [`Vector::Elem`] (`f32x8` or `f64x4`).
///
/// All methods are `#[inline(always)]` in every implementation (in optimised
/// builds: `cfg(optimized)`, crate docs), so a generic body instantiated
/// inside a `#[target_feature]` entry point compiles to that feature set's
/// instructions.
pub trait Vector: Copy {
    /// The lane type.
    type Elem: Element;
    /// Number of lanes: 8 for `f32`, 4 for `f64`.
    const LANES: usize;

    /// Every lane set to `x`.
    fn splat(x: Self::Elem) -> Self;
    /// Every lane set to the bit pattern `bits` (for masks and bit constants);
    /// the low 32 bits are used for `f32` lanes.
    fn splat_bits(bits: u64) -> Self;

    /// Loads `LANES` elements starting at `ptr` (no alignment required).
    ///
    /// # Safety
    /// `ptr` must be valid for reading `LANES` elements.
    unsafe fn load(ptr: *const Self::Elem) -> Self;
    /// Stores the lanes to `LANES` elements starting at `ptr` (no alignment required).
    ///
    /// # Safety
    /// `ptr` must be valid for writing `LANES` elements.
    unsafe fn store(self, ptr: *mut Self::Elem);

    /// Loads `s.len() <= LANES` elements; missing lanes are `+0.0`.
    #[cfg_attr(optimized, inline(always))]
    fn load_partial(s: &[Self::Elem]) -> Self {
        let mut buf = [Self::Elem::ZERO; 8];
        for (d, v) in buf.iter_mut().zip(s) {
            *d = *v;
        }
        // SAFETY: `buf` holds 8 >= LANES elements.
        unsafe { Self::load(buf.as_ptr()) }
    }
    /// The first `N` vectors of `s` (elements `0 .. N * LANES`), each padded
    /// with `+0.0` past the end of `s`: vector `k` is [`Vector::load_partial`]
    /// of the at most `LANES` elements from `k * LANES`, all `+0.0` beyond
    /// `s`. A backend may load them with less work (one mask per vector
    /// from the length).
    #[cfg_attr(optimized, inline(always))]
    fn load_padded<const N: usize>(s: &[Self::Elem]) -> [Self; N] {
        let mut v = [Self::splat(Self::Elem::ZERO); N];
        for (k, vk) in v.iter_mut().enumerate() {
            let rest = s.get(k * Self::LANES..).unwrap_or(&[]);
            *vk = Self::load_partial(rest.get(..Self::LANES).unwrap_or(rest));
        }
        v
    }
    /// Whether [`crate::reduce::reduce_value`] sums inputs of at most
    /// [`crate::reduce::TINY`] elements by its straight-line path (every
    /// vector loaded by [`Vector::load_padded`], no branch on the length)
    /// rather than by the body made for the number of vectors: the same bits
    /// either way, a choice of schedule made per backend by measurement
    /// (`cargo bench --bench kernels '/16$'`).
    const TINY_PATH: bool = false;

    /// Stores the first `out.len() <= LANES` lanes to `out`.
    #[cfg_attr(optimized, inline(always))]
    fn store_partial(self, out: &mut [Self::Elem]) {
        let mut buf = [Self::Elem::NEG_ZERO; 8];
        // SAFETY: `buf` holds 8 >= LANES elements.
        unsafe { self.store(buf.as_mut_ptr()) };
        for (d, v) in out.iter_mut().zip(buf.iter()) {
            *d = *v;
        }
    }

    /// Lane-wise `self + o`.
    fn add(self, o: Self) -> Self;
    /// Lane-wise `self - o`.
    fn sub(self, o: Self) -> Self;
    /// Lane-wise `self - o`, the same bits as [`Vector::sub`]. A backend
    /// whose multiply-add units are separate from its adders may compute it
    /// there, as `self * 1 - o` rounded once, to free the adders for a
    /// kernel's sums.
    #[cfg_attr(optimized, inline(always))]
    fn sub_on_fma(self, o: Self) -> Self {
        self.sub(o)
    }
    /// Lane-wise `self * o` (rounded; never fused with a later add).
    fn mul(self, o: Self) -> Self;
    /// Lane-wise `self / o`.
    fn div(self, o: Self) -> Self;

    /// Sum of the lanes by halving: lanes `i` and `i + LANES/2` are added for
    /// `i < LANES/2`, then the same on the half, down to one lane. For `f32x8`:
    /// `((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))`; for `f64x4`: `(l0+l2)+(l1+l3)`.
    fn reduce_add(self) -> Self::Elem;

    /// [`Vector::reduce_add`] of each of eight vectors, the same bits, which
    /// a backend may compute together (fewer shuffles than eight trees).
    #[cfg_attr(optimized, inline(always))]
    fn reduce_add8(v: [Self; 8]) -> [Self::Elem; 8] {
        v.map(Self::reduce_add)
    }

    /// [`crate::reduce::reduce`]'s loop over its first `blocks` whole
    /// blocks of `terms`, from the accumulator's default: the accumulator
    /// after them, or `None` to run the generic loop. A backend may override
    /// it with its own schedule of the same operations, associated in the
    /// same order (every whole block's [`crate::reduce::full_block_sum`],
    /// added in turn), so the bits are the same. `None` also where
    /// `blocks * block_len` exceeds `terms.len()`.
    #[cfg_attr(optimized, inline(always))]
    fn whole_blocks(
        terms: crate::reduce::Terms<'_, Self::Elem>,
        blocks: usize,
    ) -> Option<<Self::Elem as Element>::Acc> {
        let _ = (terms, blocks);
        None
    }

    /// The loop of [`crate::reduce`] where it keeps the lanes apart
    /// ([`Element::LANE_BLOCKS`]) over the first `pairs` pairs of whole
    /// blocks of `terms`: each pair's folded vectors added, and that sum
    /// added into a double-double per lane by TwoSum, from `+0.0`. Returns
    /// the lanes' `(hi, lo)`, or `None` to run the generic loop. A backend
    /// may override it with its own schedule of the same operations in the
    /// same order, so the bits are the same. `None` also where
    /// `2 * pairs * block_len` exceeds `terms.len()`.
    #[cfg_attr(optimized, inline(always))]
    fn lane_pairs(
        terms: crate::reduce::Terms<'_, Self::Elem>,
        pairs: usize,
    ) -> Option<(Self, Self)> {
        let _ = (terms, pairs);
        None
    }

    /// Whether `variance` finishes each whole block it read with its
    /// prediction (the sums across lanes, the merge) after the next block's
    /// first sub-block, instead of at once: the same operations in the same
    /// order, so the same bits. A choice of schedule, made per backend by
    /// measurement (`cargo bench --bench kernels variance`).
    const DEFER_MERGE: bool = false;

    /// `variance`'s sums over one whole sub-block: `[S1, S2]`, folded to one
    /// vector each but not across lanes ([`crate::moments::deviation_sums`],
    /// the definition and the default). A backend may override it with its
    /// own schedule of the same operations, associated in the same order, so
    /// the bits are the same.
    ///
    /// # Safety
    /// `ptr` must be valid for reading
    /// [`crate::reduce::block_len`]`::<Self>()` elements.
    #[cfg_attr(optimized, inline(always))]
    unsafe fn deviation_sums(ptr: *const Self::Elem, c: Self) -> [Self; 2] {
        // SAFETY: the caller's guarantee, passed on.
        unsafe { crate::moments::deviation_sums::<Self>(ptr, c) }
    }

    /// Lane-wise `self < o` as a mask (false where either is NaN).
    fn lt(self, o: Self) -> Self;
    /// Lane-wise `self == o` as a mask (false where either is NaN).
    fn eq(self, o: Self) -> Self;
    /// Lane-wise `mask ? a : b`; `mask` lanes are all-ones or all-zero.
    fn select(mask: Self, a: Self, b: Self) -> Self;
    /// True if any lane of `mask` has its sign (top) bit set.
    fn any(mask: Self) -> bool;

    /// Bitwise AND of the lane bit patterns.
    fn and_bits(self, o: Self) -> Self;
    /// Bitwise OR of the lane bit patterns.
    fn or_bits(self, o: Self) -> Self;
    /// Logical right shift of each lane's bit pattern (as `u32` or `u64`) by `S`.
    fn shr_bits<const S: i32>(self) -> Self;
    /// Wrapping integer addition of the lane bit patterns (as `u32` or `u64`).
    fn add_bits(self, o: Self) -> Self;
}

/// A backend: its two vector types and the conversions between them.
pub trait Isa: Copy {
    /// Eight `f32` lanes.
    type F32: Vector<Elem = f32>;
    /// Four `f64` lanes.
    type F64: Vector<Elem = f64>;
    /// Lanes 0..4 and 4..8 of `v`, each converted exactly to `f64`.
    fn widen(v: Self::F32) -> (Self::F64, Self::F64);
    /// Lanes of `lo` then `hi`, each rounded to `f32` (nearest, ties to even).
    fn narrow(lo: Self::F64, hi: Self::F64) -> Self::F32;

    /// Table lookup: for each lane of `idx`, whose bit pattern read as a
    /// `u32` is `b`, the pair `table[b & (N - 1)]`. Returns the first and the
    /// second members of the eight pairs, each as lanes 0..4 and 4..8. `N`
    /// must be a power of two (checked at compile time), so every index is in
    /// bounds.
    #[cfg_attr(optimized, inline(always))]
    #[allow(clippy::type_complexity)]
    fn lookup_pair<const N: usize>(
        table: &[[f64; 2]; N],
        idx: Self::F32,
    ) -> ((Self::F64, Self::F64), (Self::F64, Self::F64)) {
        const { assert!(N.is_power_of_two()) };
        let mut lanes = [0.0f32; 8];
        idx.store_partial(&mut lanes);
        let at = |i: usize, j: usize| table[lanes[i].to_bits() as usize & (N - 1)][j];
        let v = |l: usize, j: usize| {
            Self::F64::load_partial(&[at(l, j), at(l + 1, j), at(l + 2, j), at(l + 3, j)])
        };
        ((v(0, 0), v(4, 0)), (v(0, 1), v(4, 1)))
    }

    /// Table lookup for four lanes: for each lane of `idx`, whose bit pattern
    /// read as a `u64` is `b`, the pair `table[b & (N - 1)]`. Returns the
    /// first and the second members of the four pairs. `N` must be a power of
    /// two (checked at compile time), so every index is in bounds.
    #[cfg_attr(optimized, inline(always))]
    fn lookup_pair64<const N: usize>(
        table: &[[f64; 2]; N],
        idx: Self::F64,
    ) -> (Self::F64, Self::F64) {
        const { assert!(N.is_power_of_two()) };
        let mut lanes = [0.0f64; 4];
        idx.store_partial(&mut lanes);
        let at = |l: usize| table[lanes[l].to_bits() as usize & (N - 1)];
        let (e0, e1, e2, e3) = (at(0), at(1), at(2), at(3));
        (
            Self::F64::load_partial(&[e0[0], e1[0], e2[0], e3[0]]),
            Self::F64::load_partial(&[e0[1], e1[1], e2[1], e3[1]]),
        )
    }

    /// The fast path of `f32` `ln` (see `crate::ln`): each lane's result, and
    /// a mask of the lanes deferred to the exact path. A lane's result is
    /// meaningful only where it is not deferred, and is then the correctly
    /// rounded `ln`. The generic body defers a lane whose `f64` result lies
    /// within `crate::ln::FAST_ULPS` of an `f32` rounding midpoint, and every
    /// lane if any lane is not positive, normal and finite. A backend may
    /// override this with any method whose undeferred lanes are correctly
    /// rounded (the `avx2` backend computes in `f32` lanes with fused
    /// multiply-adds): the result is then the same on every backend, and
    /// `tests/ln_exhaustive.rs` checks every input on each backend's path.
    #[cfg_attr(optimized, inline(always))]
    fn ln_f32_fast(x: Self::F32) -> (Self::F32, Self::F32) {
        crate::ln::ln_f32_fast_checked::<Self>(x)
    }
}

/// Invokes `$m!(name, backend type, attributes of its entry points; unsafe?)`
/// once for each backend this target builds: the tests' hooks into single
/// paths (`crate::ln::paths`, [`reduce8_paths`], `crate::moments::paths`,
/// `crate::reduce::paths`) are made per backend this way.
#[cfg(feature = "oracle")]
macro_rules! for_each_backend {
    ($m:ident) => {
        $m!(scalar, crate::scalar::Scalar, ;);
        $m!(portable, crate::portable::Portable, ;);
        #[cfg(target_arch = "x86_64")]
        $m!(
            avx2,
            crate::avx2::Avx2,
            /// # Safety
            /// The CPU must support AVX2 and FMA.
            #[target_feature(enable = "avx2,fma")];
            unsafe
        );
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        $m!(neon, crate::neon::Neon, ;);
    };
}
#[cfg(feature = "oracle")]
pub(crate) use for_each_backend;

/// [`Vector::reduce_add8`] beside [`Vector::reduce_add`] on each vector, on
/// each backend, for the tests: a backend's batched trees must give the
/// same bits.
#[cfg(feature = "oracle")]
pub mod reduce8_paths {
    use super::Vector;

    /// Both reductions of the 8 vectors held in `x` (`8 * LANES`
    /// elements, vector `i` from `x[i * LANES]`): `(batched, one by one)`.
    #[cfg_attr(optimized, inline(always))]
    fn both<V: Vector>(x: &[V::Elem]) -> ([V::Elem; 8], [V::Elem; 8]) {
        let mut v = [V::load_partial(&[]); 8];
        let mut one = [V::load_partial(&[]).reduce_add(); 8];
        for ((vi, oi), xi) in v
            .iter_mut()
            .zip(one.iter_mut())
            .zip(x.chunks_exact(V::LANES))
        {
            *vi = V::load_partial(xi);
            *oi = vi.reduce_add();
        }
        (V::reduce_add8(v), one)
    }

    macro_rules! backend_paths {
        ($name:ident, $isa:ty, $(#[$attr:meta])* ; $($uns:ident)?) => {
            /// Both reductions on this backend.
            pub mod $name {
                use crate::lanes::Isa;
                /// Of 8 `f32x8` vectors (64 elements).
                $(#[$attr])*
                pub $($uns)? fn f32(x: &[f32; 64]) -> ([f32; 8], [f32; 8]) {
                    super::both::<<$isa as Isa>::F32>(x)
                }
                /// Of 8 `f64x4` vectors (32 elements).
                $(#[$attr])*
                pub $($uns)? fn f64(x: &[f64; 32]) -> ([f64; 8], [f64; 8]) {
                    super::both::<<$isa as Isa>::F64>(x)
                }
            }
        };
    }
    crate::lanes::for_each_backend!(backend_paths);
}
