//! The one error type of every fallible function.

use core::fmt;

use crate::Backend;

/// Why a numkern function rejected its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// Two slices that must have the same length do not (`dot`, `sse`, `mse`,
    /// the output of `ln` and `matvec`, and `matvec`'s `w` against `cols`).
    LengthMismatch {
        /// The length required (the first slice's, or the shape's).
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// The input is empty and the result would be undefined (`mean`,
    /// `variance`, `std_dev`, `mse`, `standardize_columns`).
    Empty,
    /// `ddof >= n`: the variance divisor `n - ddof` would be zero or negative.
    Ddof {
        /// The `ddof` asked for.
        ddof: usize,
        /// The number of elements.
        len: usize,
    },
    /// A row-major matrix whose length is not a whole number of rows, or `cols == 0`.
    Shape {
        /// The slice's length.
        len: usize,
        /// The number of columns given.
        cols: usize,
    },
    /// The backend cannot run here: not compiled for this target, or the CPU
    /// (or the OS) lacks its features.
    Unsupported {
        /// The backend asked for.
        backend: Backend,
    },
    /// A backend name that is none of `scalar`, `portable`, `avx2`, `neon`.
    UnknownBackend,
    /// A byte buffer not aligned for the element type.
    Misaligned {
        /// The alignment the element type needs.
        align: usize,
    },
    /// A byte buffer whose length is not a whole number of elements.
    ByteLength {
        /// The buffer's length in bytes.
        len: usize,
        /// The element size in bytes.
        elem_size: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::LengthMismatch { expected, found } => write!(
                f,
                "length mismatch: expected {expected} elements, found {found}"
            ),
            Error::Empty => f.write_str("empty input: the result is undefined"),
            Error::Ddof { ddof, len } => write!(
                f,
                "ddof = {ddof} needs more than {ddof} elements, found {len}"
            ),
            Error::Shape { len, cols } => write!(
                f,
                "bad matrix shape: {len} elements are not a whole number of rows of {cols} columns"
            ),
            Error::Unsupported { backend } => write!(
                f,
                "backend {backend} is not available on this CPU or target"
            ),
            Error::UnknownBackend => {
                f.write_str("unknown backend name (expected scalar, portable, avx2 or neon)")
            }
            Error::Misaligned { align } => write!(
                f,
                "byte buffer is not aligned to {align} bytes for its element type"
            ),
            Error::ByteLength { len, elem_size } => write!(
                f,
                "byte buffer of {len} bytes is not a whole number of {elem_size}-byte elements"
            ),
        }
    }
}

impl core::error::Error for Error {}
