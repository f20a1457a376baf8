//! The kernels behind [numkern](https://docs.rs/numkern): every kernel family
//! written once over the [`Vector`] lane trait and instantiated per backend.
//!
//! This crate is numkern's engine room; use `numkern` itself. Its layout:
//! - [`lanes`]: the lane traits ([`Vector`], [`Isa`], [`Element`]);
//! - [`reduce`]: the blocked summation layout that fixes every result bit;
//! - one module per kernel family ([`sum`], [`dot`], [`sq_err`], [`moments`], [`ln`]);
//! - one module per backend ([`scalar`], [`portable`], `avx2`, `neon`), each
//!   exposing a [`Tables`] of entry points;
//! - [`bounds`]: the documented error constants;
//! - `oracle` (feature `oracle`): the slow high-precision reference for tests,
//!   and the test hooks `ln::paths`, `lanes::reduce8_paths`,
//!   `moments::paths`, `reduce::paths` and `avx2::load_form_of`.
//!
//! Inlining: in optimised builds (any `opt-level` but 0, which `build.rs`
//! turns into `cfg(optimized)`), the generic bodies, the lane methods and
//! their closures are `#[inline(always)]`, so that each entry point compiles
//! to its backend's instructions. At `opt-level = 0` nothing is forced: a
//! debug build of the crate takes about a second instead of up to a minute,
//! and its kernels run slowly. Either way the results are the same bits.
//! For fast kernels in a debug build, set
//! `[profile.dev.package.numkern-kernels] opt-level = 3`.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs, clippy::undocumented_unsafe_blocks)]

#[cfg(feature = "std")]
extern crate std;

pub mod bounds;
pub mod dot;
pub mod lanes;
pub mod ln;
mod ln_hard;
mod ln_table;
mod ln_table64;
#[cfg(target_arch = "x86_64")]
mod ln_table_avx2;
pub mod moments;
pub mod reduce;
pub mod sq_err;
pub mod sum;

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub mod neon;
pub mod portable;
pub mod scalar;

#[cfg(feature = "oracle")]
pub mod oracle;

pub use lanes::{Element, Isa, Vector};

/// One backend's entry points for one element type.
///
/// The pointers are `unsafe fn` because a SIMD backend's entry points may
/// only run on a CPU that has its features; a `Table` is handed out only by
/// code that checked. Inputs are validated by the public API first; the
/// entry points never panic, and on inconsistent input they use the shorter
/// length.
#[derive(Clone, Copy, Debug)]
#[allow(clippy::type_complexity)]
pub struct Table<T: 'static> {
    /// [`sum::sum`].
    pub sum: unsafe fn(&[T]) -> T,
    /// [`sum::mean`].
    pub mean: unsafe fn(&[T]) -> T,
    /// [`moments::round_variance`] of [`moments::variance_unrounded`].
    pub variance: unsafe fn(&[T], usize) -> T,
    /// [`moments::round_std_dev`] of [`moments::variance_unrounded`].
    pub std_dev: unsafe fn(&[T], usize) -> T,
    /// [`dot::dot`].
    pub dot: unsafe fn(&[T], &[T]) -> T,
    /// [`sq_err::sse`].
    pub sse: unsafe fn(&[T], &[T]) -> T,
    /// [`sq_err::mse`].
    pub mse: unsafe fn(&[T], &[T]) -> T,
    /// [`ln`], out of place.
    pub ln: unsafe fn(&[T], &mut [T]),
    /// [`ln`], in place.
    pub ln_in_place: unsafe fn(&mut [T]),
    /// [`dot::matvec`].
    pub matvec: unsafe fn(&[T], usize, &[T], &mut [T]),
    /// [`moments::standardize_columns`].
    pub standardize_columns: unsafe fn(&mut [T], usize),
}

/// One backend's entry points for both element types.
#[derive(Clone, Copy, Debug)]
pub struct Tables {
    /// For `f32`.
    pub f32: Table<f32>,
    /// For `f64`.
    pub f64: Table<f64>,
}

/// Expands, inside a backend module, to entry points `<kernel>_f32` /
/// `<kernel>_f64` that instantiate every generic family on the backend's
/// [`Isa`], each carrying the given attributes (e.g. `#[target_feature]`), and
/// a `pub static TABLES: Tables` that points at them. (Also
/// `variance_unrounded_<t>`, public, and the private `variance_short_<t>`,
/// with the same attributes, which the variance and the standard deviation
/// both call.)
#[macro_export]
#[doc(hidden)]
macro_rules! entry_points {
    ($isa:ty $(, #[$attr:meta])*) => {
        type V32 = <$isa as $crate::Isa>::F32;
        type V64 = <$isa as $crate::Isa>::F64;
        $crate::entry_points!(@ty f32, V32, $isa, $(#[$attr])*;
            sum_f32, mean_f32, variance_f32, std_dev_f32, variance_unrounded_f32,
            variance_short_f32, dot_f32,
            sse_f32, mse_f32, matvec_f32, standardize_columns_f32);
        $crate::entry_points!(@ty f64, V64, $isa, $(#[$attr])*;
            sum_f64, mean_f64, variance_f64, std_dev_f64, variance_unrounded_f64,
            variance_short_f64, dot_f64,
            sse_f64, mse_f64, matvec_f64, standardize_columns_f64);

        /// `ln` of `f32`s.
        $(#[$attr])*
        pub fn ln_f32(x: &[f32], out: &mut [f32]) { $crate::ln::ln_f32::<$isa>(x, out) }
        /// `ln` of `f32`s in place.
        $(#[$attr])*
        pub fn ln_in_place_f32(x: &mut [f32]) { $crate::ln::ln_in_place_f32::<$isa>(x) }
        /// `ln` of `f64`s.
        $(#[$attr])*
        pub fn ln_f64(x: &[f64], out: &mut [f64]) { $crate::ln::ln_f64::<$isa>(x, out) }
        /// `ln` of `f64`s in place.
        $(#[$attr])*
        pub fn ln_in_place_f64(x: &mut [f64]) { $crate::ln::ln_in_place_f64::<$isa>(x) }

        /// This backend's entry points.
        pub static TABLES: $crate::Tables = $crate::Tables {
            f32: $crate::Table {
                sum: sum_f32, mean: mean_f32, variance: variance_f32, std_dev: std_dev_f32,
                dot: dot_f32, sse: sse_f32, mse: mse_f32, ln: ln_f32,
                ln_in_place: ln_in_place_f32, matvec: matvec_f32,
                standardize_columns: standardize_columns_f32,
            },
            f64: $crate::Table {
                sum: sum_f64, mean: mean_f64, variance: variance_f64, std_dev: std_dev_f64,
                dot: dot_f64, sse: sse_f64, mse: mse_f64, ln: ln_f64,
                ln_in_place: ln_in_place_f64, matvec: matvec_f64,
                standardize_columns: standardize_columns_f64,
            },
        };
    };
    (@ty $t:ty, $v:ty, $isa:ty, $(#[$attr:meta])*;
        $sum:ident, $mean:ident, $var:ident, $std:ident, $varu:ident, $vars:ident, $dot:ident,
        $sse:ident, $mse:ident, $matvec:ident, $stdz:ident) => {
        /// The sum.
        $(#[$attr])*
        pub fn $sum(x: &[$t]) -> $t { $crate::sum::sum::<$v>(x) }
        /// The mean.
        $(#[$attr])*
        pub fn $mean(x: &[$t]) -> $t { $crate::sum::mean::<$v>(x) }
        /// The variance.
        $(#[$attr])*
        pub fn $var(x: &[$t], ddof: usize) -> $t {
            $crate::moments::round_variance($crate::moments::unrounded_by_length(
                x,
                ddof,
                |x, d| $vars(x, d),
                |x, d| $varu(x, d),
            ))
        }
        /// The standard deviation.
        $(#[$attr])*
        pub fn $std(x: &[$t], ddof: usize) -> $t {
            $crate::moments::round_std_dev($crate::moments::unrounded_by_length(
                x,
                ddof,
                |x, d| $vars(x, d),
                |x, d| $varu(x, d),
            ))
        }
        /// `moments::variance_unrounded`: one copy of the moments code, not
        /// inlined, serves both the variance and the standard deviation for
        /// inputs longer than `moments::SHORT`. (A copy inlined into each
        /// nearly doubled this crate's build time; the call costs about a
        /// nanosecond.) Public: as a private function only ever called with
        /// longer inputs, LLVM narrowed its code, which measured slower; the
        /// tests also compare the short path with it.
        $(#[$attr])*
        #[inline(never)]
        pub fn $varu(x: &[$t], ddof: usize) -> f64 {
            $crate::moments::variance_unrounded::<$v>(x, ddof)
        }
        /// The same for inputs of at most `moments::SHORT` elements, which
        /// the variance and the standard deviation send here: its own small
        /// function, so that neither they nor the longer inputs pay for the
        /// setup of the general one, or for this one's.
        $(#[$attr])*
        #[inline(never)]
        fn $vars(x: &[$t], ddof: usize) -> f64 {
            match $crate::moments::short_variance_unrounded::<$v>(x, ddof) {
                Some(v) => v,
                None => $varu(x, ddof),
            }
        }
        /// The dot product.
        $(#[$attr])*
        pub fn $dot(a: &[$t], b: &[$t]) -> $t { $crate::dot::dot::<$v>(a, b) }
        /// The sum of squared errors.
        $(#[$attr])*
        pub fn $sse(t: &[$t], p: &[$t]) -> $t { $crate::sq_err::sse::<$v>(t, p) }
        /// The mean squared error.
        $(#[$attr])*
        pub fn $mse(t: &[$t], p: &[$t]) -> $t { $crate::sq_err::mse::<$v>(t, p) }
        /// Matrix times vector.
        $(#[$attr])*
        pub fn $matvec(x: &[$t], cols: usize, w: &[$t], out: &mut [$t]) {
            $crate::dot::matvec::<$v>(x, cols, w, out)
        }
        /// Column standardisation in place.
        $(#[$attr])*
        pub fn $stdz(x: &mut [$t], cols: usize) {
            $crate::moments::standardize_columns::<$v>(x, cols)
        }
    };
}
