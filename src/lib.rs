//! numkern: SIMD numeric kernels whose results you can reproduce.
//!
//! Sum, mean, variance and standard deviation, natural log, dot product,
//! squared-error reductions (SSE, MSE), matrix times vector and column
//! standardisation over `f32`/`f64` slices, `#![no_std]`, without allocation
//! and without panics. AVX2 (detected at run time), NEON, a portable backend on
//! `wide`, and a scalar reference all return **the same bits** for the same
//! input, on every CPU and for every slice alignment.
//!
//! ```
//! let y_true = [3.0_f64, -0.5, 2.0, 7.0];
//! let y_pred = [2.5_f64, 0.0, 2.1, 7.8];
//! let mse = numkern::mse(&y_true, &y_pred)?;
//! assert!((mse - 0.2875).abs() < 1e-15);
//!
//! // NumPy's (X - X.mean(axis=0)) / X.std(axis=0), in place:
//! let mut x = [10.0_f32, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0];
//! numkern::standardize_columns(&mut x, 3)?;
//! assert!((x[0] + 1.2247449).abs() < 1e-6 && x[4] == 0.0);
//! # Ok::<(), numkern::Error>(())
//! ```
//!
//! # The contract
//! - **Bit-identical backends.** A result's bits depend only on the input
//!   values and the length (NaN payloads aside).
//! - **Error bounds that do not grow with `n`.** Each reduction is within
//!   `C * u * S` of the exact value, `u` the unit roundoff (`2^-24`, `2^-53`),
//!   `S` the sum of the absolute values of its terms, with `C` from
//!   [`numkern_kernels::bounds`] (at most 41) for every length up to `2^32`
//!   (the `f32` derivation's limit; see [`numkern_kernels::bounds`]).
//! - **Stable variance**, one pass over memory, never negative.
//! - **No panics, no allocation**: bad input is an [`Error`]. (With the `std`
//!   feature, the first call reads `NUMKERN_BACKEND` through `std::env`,
//!   which allocates.)
//!
//! # Special values
//! NaN in, NaN out for every reduction; infinities follow IEEE arithmetic
//! (`inf - inf` is NaN; variance of data with an infinity is NaN). Empty input
//! gives `sum = 0`, `sse = 0`, `dot = 0`, and [`Error::Empty`] where the result
//! is undefined (`mean`, `variance`, `std_dev`, `mse`, `standardize_columns`).
//!
//! # Choosing a backend
//! The free functions use [`backend()`]: the fastest this CPU runs, or the one
//! named by the environment variable `NUMKERN_BACKEND`
//! (`scalar|portable|avx2|neon`, with `std`). [`Kernels`] gives a handle on
//! any available backend.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs, clippy::undocumented_unsafe_blocks)]

#[cfg(feature = "std")]
extern crate std;

pub mod bytes;
mod dispatch;
mod error;

#[cfg(feature = "std")]
pub use dispatch::backend_override;
pub use dispatch::Backend;
pub use error::Error;
pub use numkern_kernels::bounds;

use numkern_kernels::{Table, Tables};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// The element types numkern works on: `f32` and `f64` (sealed).
pub trait Float:
    sealed::Sealed + numkern_kernels::Element + Send + Sync + core::fmt::Display
{
    #[doc(hidden)]
    fn table(t: &'static Tables) -> &'static Table<Self>;
}

impl Float for f32 {
    #[inline(always)]
    fn table(t: &'static Tables) -> &'static Table<f32> {
        &t.f32
    }
}

impl Float for f64 {
    #[inline(always)]
    fn table(t: &'static Tables) -> &'static Table<f64> {
        &t.f64
    }
}

/// A handle on one backend's kernels. Holding one proves the CPU can run
/// them: the only ways to get one check that.
///
/// ```
/// use numkern::{Backend, Kernels};
/// let x = [1.0_f32, 2.0, 3.0, 4.0];
/// for b in Kernels::available() {
///     let k = Kernels::new(b)?;
///     assert_eq!(k.backend(), b);
///     assert_eq!(k.sum(&x), 10.0); // the same bits on every backend
/// }
/// # Ok::<(), numkern::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Kernels {
    backend: Backend,
    tables: &'static Tables,
}

fn same_len(expected: usize, found: usize) -> Result<(), Error> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::LengthMismatch { expected, found })
    }
}

fn rows(len: usize, cols: usize) -> Result<usize, Error> {
    if cols == 0 || !len.is_multiple_of(cols) {
        Err(Error::Shape { len, cols })
    } else {
        Ok(len / cols)
    }
}

impl Kernels {
    /// The kernels of `backend`, or [`Error::Unsupported`] if it cannot run here.
    pub fn new(backend: Backend) -> Result<Kernels, Error> {
        dispatch::usable(backend)
            .map(|tables| Kernels { backend, tables })
            .ok_or(Error::Unsupported { backend })
    }

    /// The kernels the free functions use (see [`backend()`]).
    #[inline]
    pub fn detected() -> Kernels {
        dispatch::chosen()
    }

    /// Every backend usable on this CPU, scalar first.
    pub fn available() -> impl Iterator<Item = Backend> {
        Backend::ALL
            .into_iter()
            .filter(|b| dispatch::usable(*b).is_some())
    }

    /// Which backend these kernels are.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    #[inline(always)]
    fn t<T: Float>(&self) -> &'static Table<T> {
        T::table(self.tables)
    }

    /// See [`sum`].
    #[inline]
    pub fn sum<T: Float>(&self, x: &[T]) -> T {
        // SAFETY (for every call through a table below): `self.tables` came
        // from `dispatch::usable` or `dispatch::chosen`, which hand out only
        // backends this CPU can run; the inputs were validated as the entry
        // points expect.
        #[allow(clippy::undocumented_unsafe_blocks)]
        unsafe {
            (self.t::<T>().sum)(x)
        }
    }

    /// See [`mean`].
    #[inline]
    pub fn mean<T: Float>(&self, x: &[T]) -> Result<T, Error> {
        if x.is_empty() {
            return Err(Error::Empty);
        }
        // SAFETY: as in `sum`.
        Ok(unsafe { (self.t::<T>().mean)(x) })
    }

    fn check_ddof(len: usize, ddof: usize) -> Result<(), Error> {
        if len == 0 {
            Err(Error::Empty)
        } else if ddof >= len {
            Err(Error::Ddof { ddof, len })
        } else {
            Ok(())
        }
    }

    /// See [`variance`].
    #[inline]
    pub fn variance<T: Float>(&self, x: &[T], ddof: usize) -> Result<T, Error> {
        Self::check_ddof(x.len(), ddof)?;
        // SAFETY: as in `sum`.
        Ok(unsafe { (self.t::<T>().variance)(x, ddof) })
    }

    /// See [`std_dev`].
    #[inline]
    pub fn std_dev<T: Float>(&self, x: &[T], ddof: usize) -> Result<T, Error> {
        Self::check_ddof(x.len(), ddof)?;
        // SAFETY: as in `sum`.
        Ok(unsafe { (self.t::<T>().std_dev)(x, ddof) })
    }

    /// See [`dot`].
    #[inline]
    pub fn dot<T: Float>(&self, a: &[T], b: &[T]) -> Result<T, Error> {
        same_len(a.len(), b.len())?;
        // SAFETY: as in `sum`.
        Ok(unsafe { (self.t::<T>().dot)(a, b) })
    }

    /// See [`sse`].
    #[inline]
    pub fn sse<T: Float>(&self, y_true: &[T], y_pred: &[T]) -> Result<T, Error> {
        same_len(y_true.len(), y_pred.len())?;
        // SAFETY: as in `sum`.
        Ok(unsafe { (self.t::<T>().sse)(y_true, y_pred) })
    }

    /// See [`mse`].
    #[inline]
    pub fn mse<T: Float>(&self, y_true: &[T], y_pred: &[T]) -> Result<T, Error> {
        same_len(y_true.len(), y_pred.len())?;
        if y_true.is_empty() {
            return Err(Error::Empty);
        }
        // SAFETY: as in `sum`.
        Ok(unsafe { (self.t::<T>().mse)(y_true, y_pred) })
    }

    /// See [`ln`].
    #[inline]
    pub fn ln<T: Float>(&self, x: &[T], out: &mut [T]) -> Result<(), Error> {
        same_len(x.len(), out.len())?;
        // SAFETY: as in `sum`.
        unsafe { (self.t::<T>().ln)(x, out) };
        Ok(())
    }

    /// See [`ln_in_place`].
    #[inline]
    pub fn ln_in_place<T: Float>(&self, x: &mut [T]) {
        // SAFETY: as in `sum`.
        unsafe { (self.t::<T>().ln_in_place)(x) }
    }

    /// See [`matvec`].
    #[inline]
    pub fn matvec<T: Float>(
        &self,
        x: &[T],
        cols: usize,
        w: &[T],
        out: &mut [T],
    ) -> Result<(), Error> {
        let rows = rows(x.len(), cols)?;
        same_len(cols, w.len())?;
        same_len(rows, out.len())?;
        // SAFETY: as in `sum`.
        unsafe { (self.t::<T>().matvec)(x, cols, w, out) };
        Ok(())
    }

    /// See [`standardize_columns`].
    #[inline]
    pub fn standardize_columns<T: Float>(&self, x: &mut [T], cols: usize) -> Result<(), Error> {
        if rows(x.len(), cols)? == 0 {
            return Err(Error::Empty);
        }
        // SAFETY: as in `sum`.
        unsafe { (self.t::<T>().standardize_columns)(x, cols) };
        Ok(())
    }
}

/// The backend the free functions use: the fastest this CPU runs, unless
/// `NUMKERN_BACKEND` names another (with `std`). Chosen on first use, then fixed.
pub fn backend() -> Backend {
    Kernels::detected().backend()
}

/// The sum of `x`; `+0.0` for an empty slice.
///
/// Within `C * u * sum(|x|)` of the exact sum, `C =` [`bounds::SUM_F32`] or
/// [`bounds::SUM_F64`], for every length up to `2^32` (NumPy's pairwise sum grows with
/// `log n`). NaN gives NaN; infinities follow IEEE addition.
///
/// ```
/// assert_eq!(numkern::sum(&[1.0_f32, 2.0, 3.5]), 6.5);
/// assert_eq!(numkern::sum::<f64>(&[]), 0.0);
/// ```
#[inline]
pub fn sum<T: Float>(x: &[T]) -> T {
    Kernels::detected().sum(x)
}

/// The arithmetic mean of `x`; [`Error::Empty`] for an empty slice.
///
/// Within `C * u * mean(|x|)` of the exact mean, `C` as for [`sum`].
///
/// ```
/// assert_eq!(numkern::mean(&[1.0_f64, 2.0, 6.0])?, 3.0);
/// assert_eq!(numkern::mean::<f32>(&[]), Err(numkern::Error::Empty));
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn mean<T: Float>(x: &[T]) -> Result<T, Error> {
    Kernels::detected().mean(x)
}

/// The variance `sum((x - mean)^2) / (n - ddof)`, as NumPy's `var(ddof=)`:
/// `ddof = 0` for the population variance, `1` for the sample variance.
///
/// Computed stably in one pass over memory (blocks centred on a predicted
/// centre that passes a closeness test, or on their own mean; merged with
/// Chan's formula), never negative, within
/// `C * u * (var + |mean| * sigma * n / (n - ddof))` of the exact value, with
/// `sigma` the exact population standard deviation (so `var + |mean| * std`
/// for `ddof = 0`) and `C =` [`bounds::VARIANCE_F32`] or [`bounds::VARIANCE_F64`]. [`Error::Empty`] for
/// an empty slice, [`Error::Ddof`] when `ddof >= n`; NaN or infinity in the
/// data gives NaN. Finite data whose intermediate results overflow (outside
/// the bound) gives `+inf`, or NaN where a block's sums of differences
/// overflow (values in one block of 1024 (`f32`) or 512 (`f64`) elements
/// more than about `MAX / 1024` or `MAX / 512` apart, say `-1e308` next to
/// `1e308`).
/// Otherwise `+inf` comes from differences beyond the type's range, from a
/// block's sum of squared deviations beyond it (squares are summed in the
/// element type: for `f32`, one value more than `sqrt(MAX)`, about
/// `1.85e19`, from its block's centre suffices, even where the exact
/// variance is finite: `3.6e35` for 1000 zeros and one `1.9e19`), or from
/// squared differences of block means beyond `f64`'s.
///
/// ```
/// let x = [2.0_f64, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
/// assert_eq!(numkern::variance(&x, 0)?, 4.0);
/// assert_eq!(numkern::variance(&x, 8), Err(numkern::Error::Ddof { ddof: 8, len: 8 }));
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn variance<T: Float>(x: &[T], ddof: usize) -> Result<T, Error> {
    Kernels::detected().variance(x, ddof)
}

/// The standard deviation, `sqrt(variance(x, ddof))` (the root taken before
/// the last rounding), within `C * u * (std + |mean| * sigma * n / ((n - ddof) * std))`
/// of the exact value, `C =` [`bounds::STD_DEV_F32`] or [`bounds::STD_DEV_F64`]
/// (the variance's constant plus 3: where the variance's error is small
/// against the variance, about half that; its docs say when it is not).
/// Barring underflow: for tiny data, whose squared deviations underflow,
/// add about `6.5e-23` (`f32`) or `3.8e-162` (`f64`) to the bound, the
/// square root of the variance's absolute error there (more when `ddof` is
/// near `n`). Errors as for [`variance`].
///
/// ```
/// let x = [2.0_f32, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
/// assert_eq!(numkern::std_dev(&x, 0)?, 2.0);
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn std_dev<T: Float>(x: &[T], ddof: usize) -> Result<T, Error> {
    Kernels::detected().std_dev(x, ddof)
}

/// The dot product `sum(a[i] * b[i])`; [`Error::LengthMismatch`] if the
/// lengths differ, `0` when both are empty.
///
/// Within `C * u * sum(|a[i] * b[i]|)` of the exact value, `C =`
/// [`bounds::DOT_F32`] or [`bounds::DOT_F64`], for every length.
///
/// ```
/// assert_eq!(numkern::dot(&[1.0_f32, 2.0, 3.0], &[4.0, 5.0, 6.0])?, 32.0);
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn dot<T: Float>(a: &[T], b: &[T]) -> Result<T, Error> {
    Kernels::detected().dot(a, b)
}

/// The sum of squared errors `sum((y_true[i] - y_pred[i])^2)`;
/// [`Error::LengthMismatch`] if the lengths differ, `0` when both are empty.
///
/// Within `C * u * sse` of the exact value, `C =` [`bounds::SQ_ERR_F32`] or
/// [`bounds::SQ_ERR_F64`].
///
/// ```
/// assert_eq!(numkern::sse(&[1.0_f64, 2.0], &[1.5, 1.0])?, 1.25);
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn sse<T: Float>(y_true: &[T], y_pred: &[T]) -> Result<T, Error> {
    Kernels::detected().sse(y_true, y_pred)
}

/// The mean squared error `sse / n`; [`Error::LengthMismatch`] if the lengths
/// differ, [`Error::Empty`] if they are empty. Bound as for [`sse`].
///
/// ```
/// // The seed walk-through's example (it printed 0.4125 by mistake):
/// let mse = numkern::mse(&[3.0_f64, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.1, 7.8])?;
/// assert!((mse - 0.2875).abs() < 1e-15);
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn mse<T: Float>(y_true: &[T], y_pred: &[T]) -> Result<T, Error> {
    Kernels::detected().mse(y_true, y_pred)
}

/// `out[i] = ln(x[i])`, the natural logarithm; [`Error::LengthMismatch`] if
/// `out` is not as long as `x`.
///
/// `f32`: correctly rounded (within [`bounds::LN_F32_ULP`] = 0.5 ulp). A
/// fast path evaluates it: in `f64` (a 128-entry table and a short
/// polynomial, error below `2^-42`), or on `avx2` in `f32` lanes with fused
/// multiply-adds and double-length bookkeeping (a 16-entry table, error
/// about `2^-38`). A vector of 8 holding a lane whose result may lie too
/// near an `f32` rounding midpoint (about one vector in 8192, or in 1000 on
/// `avx2`), or a special value, is redone with the `f64` method below and a
/// table of five hard cases; either way the result is the correctly
/// rounded value, so every backend gives the same bits.
/// `tests/ln_exhaustive.rs` checks the 2^32 inputs on each backend (both
/// paths, lane by lane): in CI all of them on `scalar`, `portable` and
/// `avx2`, and 1/32 (one chunk of 2^16 consecutive inputs in every 32, in
/// every binade) on aarch64's `scalar`, `portable` and `neon` under qemu;
/// the README says which aarch64 backends had all 2^32 checked once.
/// `f64`: a 256-entry table with double-length bookkeeping and one final
/// rounding, within [`bounds::LN_F64_ULP`] = 0.52 ulp (0.5012 the most seen
/// over 10^8 inputs against a double-double oracle checked with mpmath).
/// Special values follow C99: `ln(±0) = -inf`, `ln(x < 0) = NaN`,
/// `ln(+inf) = +inf`, `ln(NaN) = NaN`, `ln(1) = +0`; subnormals are accurate.
///
/// ```
/// let mut out = [0.0_f64; 3];
/// numkern::ln(&[1.0, core::f64::consts::E, 0.0], &mut out)?;
/// assert_eq!(out, [0.0, 1.0, f64::NEG_INFINITY]);
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn ln<T: Float>(x: &[T], out: &mut [T]) -> Result<(), Error> {
    Kernels::detected().ln(x, out)
}

/// `x[i] = ln(x[i])` in place; as [`ln`].
///
/// ```
/// let mut x = [1.0_f32, 1.0e-40, -1.0];
/// numkern::ln_in_place(&mut x);
/// assert_eq!(x[0], 0.0);
/// assert!((x[1] - (-92.1034)).abs() < 1e-3); // a subnormal input
/// assert!(x[2].is_nan());
/// ```
#[inline]
pub fn ln_in_place<T: Float>(x: &mut [T]) {
    Kernels::detected().ln_in_place(x)
}

/// `out = X · w` for a row-major `X` of `cols` columns (NumPy's `np.dot(X, w)`):
/// `out[r]` is bit for bit [`dot`] of row `r` and `w`.
///
/// [`Error::Shape`] if `cols == 0` or `x.len()` is not a multiple of `cols`;
/// [`Error::LengthMismatch`] if `w.len() != cols` or `out.len()` is not the
/// number of rows.
///
/// ```
/// let x = [1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0]; // 2 x 3
/// let mut out = [0.0; 2];
/// numkern::matvec(&x, 3, &[1.0, 0.0, -1.0], &mut out)?;
/// assert_eq!(out, [-2.0, -2.0]);
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn matvec<T: Float>(x: &[T], cols: usize, w: &[T], out: &mut [T]) -> Result<(), Error> {
    Kernels::detected().matvec(x, cols, w, out)
}

/// Standardises each column of the row-major `x` in place:
/// NumPy's `(X - X.mean(axis=0)) / X.std(axis=0)` (population `std`, `ddof = 0`).
///
/// Each column's `std` meets [`std_dev`]'s bound and its mean
/// [`bounds::MOMENTS_MEAN`]` * u * (std + |mean|)`; both are rounded to the
/// element type, in which `(x - mean) / std` is then computed (the
/// difference and the quotient rounded once each). A
/// column whose `std` is 0 becomes `0.0` (scikit-learn's `StandardScaler`);
/// NaN propagates. [`Error::Shape`] as for [`matvec`]; [`Error::Empty`] for no rows.
///
/// ```
/// let mut x = [10.0_f64, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0];
/// numkern::standardize_columns(&mut x, 3)?;
/// assert!((x[0] + 1.224744871391589).abs() < 1e-15);
/// assert_eq!(x[3], 0.0);
/// # Ok::<(), numkern::Error>(())
/// ```
#[inline]
pub fn standardize_columns<T: Float>(x: &mut [T], cols: usize) -> Result<(), Error> {
    Kernels::detected().standardize_columns(x, cols)
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
