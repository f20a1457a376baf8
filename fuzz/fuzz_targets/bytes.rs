//! The `bytes` module: any bytes at any byte offset, as `f32` and `f64`,
//! shared and mutable views. `Misaligned` exactly when the start is not
//! aligned for the element type, `ByteLength` exactly when the length is not
//! a whole number of elements (either one when both hold), and otherwise a
//! view of the very same memory with the native-endian values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use numkern::{bytes, Error};

#[path = "common/mod.rs"]
mod common;
use common::*;

fuzz_target!(|data: &[u8]| {
    let mut c = Cursor::new(data);
    let off = (c.byte() & 15) as usize;
    let body = c.rest();
    // An 8-aligned backing store whose bytes `off..off + len` are the input:
    // `off` sets the alignment of the view, the input its length.
    let mut store = vec![0u64; (off + body.len()).div_ceil(8)];
    let all = as_bytes_mut(&mut store);
    let b = &mut all[off..off + body.len()];
    b.copy_from_slice(body);
    check::<f32>(b);
    b.copy_from_slice(body);
    check::<f64>(b);
});

/// The bytes of a `u64` slice (no dependency on bytemuck needed here).
fn as_bytes_mut(v: &mut [u64]) -> &mut [u8] {
    let len = core::mem::size_of_val(v);
    // SAFETY: u64 has no padding; any byte pattern is a valid u8; the
    // returned slice borrows `v` mutably for its whole lifetime.
    unsafe { core::slice::from_raw_parts_mut(v.as_mut_ptr().cast::<u8>(), len) }
}

fn expected<T>(b: &[u8]) -> (bool, bool) {
    let misaligned = !(b.as_ptr() as usize).is_multiple_of(core::mem::align_of::<T>());
    let slop = !b.len().is_multiple_of(core::mem::size_of::<T>());
    (misaligned, slop)
}

fn check_err<T>(what: &str, b_len: usize, misaligned: bool, slop: bool, e: Error) {
    let mis = Error::Misaligned {
        align: core::mem::align_of::<T>(),
    };
    let len = Error::ByteLength {
        len: b_len,
        elem_size: core::mem::size_of::<T>(),
    };
    let ok = (misaligned && e == mis) || (slop && e == len);
    assert!(
        ok,
        "{what}: {b_len} bytes, misaligned {misaligned}, slop {slop}: got {e:?}"
    );
}

trait View: Elem {
    fn shared(b: &[u8]) -> Result<&[Self], Error>;
    fn mutable(b: &mut [u8]) -> Result<&mut [Self], Error>;
}
impl View for f32 {
    fn shared(b: &[u8]) -> Result<&[f32], Error> {
        bytes::as_f32(b)
    }
    fn mutable(b: &mut [u8]) -> Result<&mut [f32], Error> {
        bytes::as_f32_mut(b)
    }
}
impl View for f64 {
    fn shared(b: &[u8]) -> Result<&[f64], Error> {
        bytes::as_f64(b)
    }
    fn mutable(b: &mut [u8]) -> Result<&mut [f64], Error> {
        bytes::as_f64_mut(b)
    }
}

fn check<T: View>(b: &mut [u8]) {
    let (misaligned, slop) = expected::<T>(b);
    let blen = b.len();
    let ptr = b.as_ptr() as usize;
    let decoded: Vec<T> = b.chunks_exact(T::BYTES).map(T::from_ne).collect();
    let what = format!("as_{}", T::NAME);
    match T::shared(b) {
        Ok(v) => {
            // An empty buffer is an empty view at any address (one that
            // need not be the buffer's: a reference must be aligned).
            assert!(
                !slop && (!misaligned || blen == 0),
                "{what}: Ok for {blen} bytes at {ptr:#x}"
            );
            assert!(
                blen == 0 || v.as_ptr() as usize == ptr,
                "{what}: not a view of the same memory"
            );
            assert!(
                same_all(v, &decoded),
                "{what}: values differ from the bytes"
            );
            // A view at any alignment sums like an aligned copy (the contract).
            assert!(same(numkern::sum(v), numkern::sum(&decoded)));
        }
        Err(e) => {
            assert!(
                blen > 0,
                "{what}: an empty buffer gives {e:?}, not an empty view"
            );
            check_err::<T>(&what, blen, misaligned, slop, e)
        }
    }
    let shared_ok = T::shared(b).is_ok();
    match T::mutable(b) {
        Ok(v) => {
            assert!(shared_ok, "{what}_mut: Ok where the shared view failed");
            assert!(
                blen == 0 || v.as_ptr() as usize == ptr,
                "{what}_mut: not the same memory"
            );
            assert!(same_all(v, &decoded), "{what}_mut: values differ");
            if let Some(first) = v.first_mut() {
                *first = T::from64(1.0);
            }
            numkern::ln_in_place(v);
            if blen >= T::BYTES {
                let back = T::from_ne(&b[..T::BYTES]);
                assert_eq!(back.bits(), 0, "{what}_mut: write through the view lost");
            }
        }
        Err(e) => {
            assert!(!shared_ok, "{what}_mut: {e:?} where the shared view was Ok");
            check_err::<T>(&format!("{what}_mut"), blen, misaligned, slop, e);
        }
    }
}
