//! Views of byte buffers as `f32`/`f64` slices, without copying.
//!
//! Data read from a file, a socket or a memory-mapped model arrives as bytes.
//! These functions reinterpret them in place (native endianness) and say
//! clearly why they cannot: the buffer is not aligned for the element type
//! ([`Error::Misaligned`]) or is not a whole number of elements
//! ([`Error::ByteLength`]).
//!
//! ```
//! let raw: [f32; 3] = [1.0, 2.0, 3.0];
//! let bytes: &[u8] = bytemuck::cast_slice(&raw);
//! let x = numkern::bytes::as_f32(bytes).unwrap();
//! assert_eq!(numkern::sum(x), 6.0);
//! assert_eq!(
//!     numkern::bytes::as_f32(&bytes[..5]),
//!     Err(numkern::Error::ByteLength { len: 5, elem_size: 4 })
//! );
//! ```

use bytemuck::PodCastError;

use crate::Error;

fn map_err<T>(e: PodCastError, len: usize) -> Error {
    match e {
        PodCastError::OutputSliceWouldHaveSlop | PodCastError::SizeMismatch => Error::ByteLength {
            len,
            elem_size: core::mem::size_of::<T>(),
        },
        PodCastError::TargetAlignmentGreaterAndInputNotAligned
        | PodCastError::AlignmentMismatch => Error::Misaligned {
            align: core::mem::align_of::<T>(),
        },
    }
}

macro_rules! views {
    ($t:ty, $shared:ident, $mutable:ident) => {
        #[doc = concat!("`bytes` as a slice of `", stringify!($t), "`; an empty buffer is an empty slice at any address.")]
        pub fn $shared(bytes: &[u8]) -> Result<&[$t], Error> {
            if bytes.is_empty() {
                return Ok(&[]);
            }
            bytemuck::try_cast_slice(bytes).map_err(|e| map_err::<$t>(e, bytes.len()))
        }
        #[doc = concat!("`bytes` as a mutable slice of `", stringify!($t), "`; an empty buffer is an empty slice at any address.")]
        pub fn $mutable(bytes: &mut [u8]) -> Result<&mut [$t], Error> {
            if bytes.is_empty() {
                return Ok(&mut []);
            }
            let len = bytes.len();
            bytemuck::try_cast_slice_mut(bytes).map_err(|e| map_err::<$t>(e, len))
        }
    };
}

views!(f32, as_f32, as_f32_mut);
views!(f64, as_f64, as_f64_mut);
