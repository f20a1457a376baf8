//! The no-panic proof (issue 6): a `#![no_std]` binary that calls every
//! public function of numkern (the free functions, every [`Kernels`] method
//! on every backend, and the `bytes` views) for `f32` and `f64`, on slices
//! whose start, length, `cols` and `ddof` come from `read_volatile`, so the
//! optimiser can assume nothing about them.
//!
//! The panic handler calls `numkern_panic_is_linked`, a function that exists
//! nowhere. After fat LTO, code that cannot be reached is gone; if any panic
//! path survives in anything called here (a bounds check, `unwrap`,
//! `chunks_exact(0)`, a division by zero, ...), the handler is reachable and
//! the link fails with an undefined reference to that symbol. So a
//! successful release link *is* the proof (see `check.sh`).
//!
//! The kernels are reached through the backend tables (function pointers),
//! so every backend's entry points are linked whichever one this CPU runs,
//! and each entry point is checked for arbitrary slices, not only for the
//! inputs the public API lets through. The public trait impls (`Backend`'s
//! `FromStr`/`Display`, `Error`'s `Display`/`Debug`) are called too.
//! (`backend_override` exists only with `std`, so it is not covered.)
//!
//! With `--features locate` the handler just loops, the binary links, and
//! `check.sh` lists the functions and source lines that still call into
//! `core::panicking`.
#![no_std]
#![no_main]

use core::hint::black_box;
use core::ptr::{addr_of, addr_of_mut, read_volatile};

use numkern::{bytes, Backend, Float, Kernels};

#[cfg(not(feature = "locate"))]
extern "C" {
    /// Defined nowhere, on purpose: referencing it fails the link.
    fn numkern_panic_is_linked() -> !;
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    #[cfg(not(feature = "locate"))]
    // SAFETY: never called in a passing build: the call exists only if a
    // panic path does, and then the link fails before anything runs.
    unsafe {
        numkern_panic_is_linked()
    }
    #[cfg(feature = "locate")]
    loop {
        core::hint::spin_loop();
    }
}

const CAP: usize = 64;

/// Element buffers: the kernels read `A`, `B` and write `O` (and `A`, in place).
static mut A32: [f32; CAP] = [1.5; CAP];
static mut B32: [f32; CAP] = [-0.25; CAP];
static mut O32: [f32; CAP] = [0.0; CAP];
static mut A64: [f64; CAP] = [1.5; CAP];
static mut B64: [f64; CAP] = [-0.25; CAP];
static mut O64: [f64; CAP] = [0.0; CAP];
/// Bytes for the `bytes` views (8-aligned storage).
static mut RAW: [u64; CAP] = [0x3ff8_0000_0000_0000; CAP];

/// Where each slice starts and how long it is, `cols`, `ddof`: read through
/// `read_volatile`, so unknown to the optimiser. `start + len <= CAP` holds
/// for the values stored here, which is all that makes the slices sound.
static mut START_A: usize = 1;
static mut LEN_A: usize = 36;
static mut START_B: usize = 3;
static mut LEN_B: usize = 36;
static mut START_O: usize = 0;
static mut LEN_O: usize = 6;
static mut COLS: usize = 6;
static mut DDOF: usize = 1;
static mut BYTE_START: usize = 4;
static mut BYTE_LEN: usize = 200;

fn param(p: *const usize) -> usize {
    // SAFETY: `p` points at one of the statics above, valid for reads.
    unsafe { read_volatile(p) }
}

/// `len` elements of `buf` from `start`, both unknown to the optimiser.
///
/// # Safety
/// `start + len <= CAP` (true of the stored parameters), and no other live
/// reference to the same elements.
unsafe fn slice_mut<'a, T>(buf: *mut [T; CAP], start: usize, len: usize) -> &'a mut [T] {
    // SAFETY: the caller guarantees the range lies inside `buf`.
    unsafe { core::slice::from_raw_parts_mut(buf.cast::<T>().add(start), len) }
}

/// Every `Kernels` method for one element type.
fn kernels_calls<T: Float>(
    k: Kernels,
    a: &mut [T],
    b: &[T],
    o: &mut [T],
    cols: usize,
    ddof: usize,
) {
    black_box(k.backend());
    let _ = black_box(k.sum(&*a));
    let _ = black_box(k.mean(&*a));
    let _ = black_box(k.variance(&*a, ddof));
    let _ = black_box(k.std_dev(&*a, ddof));
    let _ = black_box(k.dot(&*a, b));
    let _ = black_box(k.sse(&*a, b));
    let _ = black_box(k.mse(&*a, b));
    let _ = black_box(k.ln(&*a, o));
    let _ = black_box(k.matvec(&*a, cols, b, o));
    let _ = black_box(k.standardize_columns(a, cols));
    k.ln_in_place(a);
}

/// Every free function for one element type.
fn free_calls<T: Float>(a: &mut [T], b: &[T], o: &mut [T], cols: usize, ddof: usize) {
    let _ = black_box(numkern::sum(&*a));
    let _ = black_box(numkern::mean(&*a));
    let _ = black_box(numkern::variance(&*a, ddof));
    let _ = black_box(numkern::std_dev(&*a, ddof));
    let _ = black_box(numkern::dot(&*a, b));
    let _ = black_box(numkern::sse(&*a, b));
    let _ = black_box(numkern::mse(&*a, b));
    let _ = black_box(numkern::ln(&*a, o));
    let _ = black_box(numkern::matvec(&*a, cols, b, o));
    let _ = black_box(numkern::standardize_columns(a, cols));
    numkern::ln_in_place(a);
}

fn run<T: Float>(a: *mut [T; CAP], b: *mut [T; CAP], o: *mut [T; CAP]) {
    let cols = param(addr_of!(COLS));
    let ddof = param(addr_of!(DDOF));
    // SAFETY: the stored parameters keep every range inside its buffer, and
    // `a`, `b`, `o` are distinct statics touched by nothing else meanwhile.
    let (a, b, o) = unsafe {
        (
            slice_mut(a, param(addr_of!(START_A)), param(addr_of!(LEN_A))),
            slice_mut(b, param(addr_of!(START_B)), param(addr_of!(LEN_B))),
            slice_mut(o, param(addr_of!(START_O)), param(addr_of!(LEN_O))),
        )
    };
    free_calls(a, b, o, cols, ddof);
    black_box(Kernels::detected());
    kernels_calls(Kernels::detected(), a, b, o, cols, ddof);
    for backend in Backend::ALL {
        if let Ok(k) = Kernels::new(black_box(backend)) {
            kernels_calls(k, a, b, o, cols, ddof);
        }
    }
}

fn bytes_calls() {
    let (start, len) = (param(addr_of!(BYTE_START)), param(addr_of!(BYTE_LEN)));
    // SAFETY: `start + len <= 8 * CAP` for the stored parameters; nothing
    // else touches RAW meanwhile.
    let raw: &mut [u8] =
        unsafe { core::slice::from_raw_parts_mut(addr_of_mut!(RAW).cast::<u8>().add(start), len) };
    let _ = black_box(bytes::as_f32(raw).map(numkern::sum));
    let _ = black_box(bytes::as_f64(raw).map(numkern::sum));
    if let Ok(x) = bytes::as_f32_mut(raw) {
        numkern::ln_in_place(x);
    }
    if let Ok(x) = bytes::as_f64_mut(raw) {
        numkern::ln_in_place(x);
    }
}

/// Formats into a fixed buffer, dropping what does not fit.
struct Sink {
    buf: [u8; 256],
    len: usize,
}

impl core::fmt::Write for Sink {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for b in s.bytes() {
            if let Some(d) = self.buf.get_mut(self.len) {
                *d = b;
            }
            self.len = self.len.wrapping_add(1);
        }
        Ok(())
    }
}

/// A backend name for `FromStr`, of unknown length.
static mut NAME: [u8; 8] = *b"AVX2    ";
static mut NAME_LEN: usize = 6;

/// The public trait impls: `Backend`'s `FromStr`, `Display` and `name`,
/// `Error`'s `Display` and `Debug`.
fn trait_calls() {
    use core::fmt::Write;
    let mut w = Sink {
        buf: [0; 256],
        len: 0,
    };
    // SAFETY: NAME_LEN <= 8 as stored; nothing writes NAME.
    let name = unsafe {
        core::slice::from_raw_parts(addr_of!(NAME).cast::<u8>(), param(addr_of!(NAME_LEN)))
    };
    if let Ok(s) = core::str::from_utf8(name) {
        match s.parse::<Backend>() {
            Ok(b) => {
                let _ = write!(w, "{b} {b:?}");
                black_box(b.name());
            }
            Err(e) => {
                let _ = write!(w, "{e} {e:?}");
            }
        }
    }
    for b in Backend::ALL {
        if let Err(e) = Kernels::new(b) {
            let _ = write!(w, "{e}");
        }
    }
    let e = numkern::Error::Shape {
        len: param(addr_of!(LEN_A)),
        cols: param(addr_of!(COLS)),
    };
    let _ = write!(w, "{e}");
    black_box(&w.buf);
    black_box(w.len);
}

/// Called by the C runtime. Returns 0 (the calls' results go to `black_box`).
#[no_mangle]
pub extern "C" fn main(_argc: i32, _argv: *const *const u8) -> i32 {
    black_box(numkern::backend());
    for b in Kernels::available() {
        black_box(b);
    }
    run::<f32>(addr_of_mut!(A32), addr_of_mut!(B32), addr_of_mut!(O32));
    run::<f64>(addr_of_mut!(A64), addr_of_mut!(B64), addr_of_mut!(O64));
    bytes_calls();
    trait_calls();
    #[cfg(feature = "canary")]
    {
        // SAFETY: reading a static; the index is bounds-checked (that check
        // is the panic path this feature exists for).
        let a = unsafe { &*addr_of!(A32) };
        black_box(a[param(addr_of!(LEN_A)) * 2]);
    }
    0
}
