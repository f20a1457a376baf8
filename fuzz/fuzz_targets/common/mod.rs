//! Decoding and checking shared by the numkern fuzz targets.
//!
//! Every target reads its input through a [`Cursor`]: a [`Header`] first
//! (element type, start offset 0..8 of the slice within its buffer, how raw
//! bits become values), then the target's own lengths and parameters, then
//! the element values as raw bit patterns (so NaN, infinities, subnormals and
//! signed zeros all appear). A slice longer than the input's bytes is filled
//! by cycling through the values read, each step nudged by one ulp, so long
//! inputs (several blocks) come cheap.
//!
//! Checks, all against the documented contract:
//! - every backend in `Kernels::available()` and `Kernels::detected()` (what
//!   the free functions use) gives the bits of `Backend::Scalar`
//!   (any NaN matches any NaN);
//! - the `Result` variant is exactly the one the API docs give, computed here
//!   from the lengths alone;
//! - the scalar result is within the documented bound of the oracle
//!   (`numkern_kernels::bounds` constants, exact values from
//!   `numkern_kernels::oracle`) wherever the bound applies: finite input, no
//!   possible overflow (sum of |terms| below [`Elem::LIMIT`]).
//!
//! The bounds are relative (`C * u * S`); results in the subnormal range
//! carry an absolute error of up to half the smallest subnormal per rounding
//! (gradual underflow), which no relative bound can cover. The checks add
//! that absolute allowance, `(roundings) * ETA` with `ETA` the smallest
//! subnormal of the element type: it is negligible for any input whose terms
//! are normal numbers, so it hides nothing but underflow.

#![allow(dead_code)]

/// The fuzz entry point of a target that tests both element types: the
/// input's [`Header`] picks `f32` or `f64`, then `$run::<T>(&mut cursor,
/// header)` runs. Needs `#[macro_use]` on the `mod common` declaration.
#[allow(unused_macros)]
macro_rules! fuzz_both_types {
    ($run:ident) => {
        libfuzzer_sys::fuzz_target!(|data: &[u8]| {
            let mut c = Cursor::new(data);
            let h = c.header();
            if h.is_f64 {
                $run::<f64>(&mut c, h);
            } else {
                $run::<f32>(&mut c, h);
            }
        });
    };
}

use core::fmt::Debug;

use numkern::{bounds, Backend, Error, Float, Kernels};
use numkern_kernels::oracle::{self, Dd};

// ---------------------------------------------------------------------------
// Element types
// ---------------------------------------------------------------------------

/// What the targets need to know about `f32` and `f64`.
pub trait Elem:
    Float + Copy + Debug + core::fmt::LowerExp + PartialEq + PartialOrd + Default + 'static
{
    const NAME: &'static str;
    const BYTES: usize;
    const IS_F32: bool;
    /// Unit roundoff, `2^-24` or `2^-53`.
    const U: f64;
    const MANT_BITS: u32;
    const BIAS: i32;
    /// Largest finite value, as `f64`.
    const MAX: f64;
    /// Smallest positive normal, as `f64`.
    const MIN_POSITIVE: f64;
    /// Smallest positive subnormal, as `f64`.
    const ETA: f64;
    /// Below this, sums of |terms| cannot overflow anything on the way
    /// (the brief's 1e30 / 1e300).
    const LIMIT: f64;
    const C_SUM: f64;
    const C_DOT: f64;
    const C_SQ_ERR: f64;
    const C_VAR: f64;
    const C_STD: f64;
    const LN_ULP: f64;

    fn to64(self) -> f64;
    /// Rounds to nearest.
    fn from64(x: f64) -> Self;
    fn bits(self) -> u64;
    /// The low `BYTES * 8` bits as a value.
    fn from_bits64(b: u64) -> Self;
    /// Native-endian bytes to a value (`b.len() == BYTES`).
    fn from_ne(b: &[u8]) -> Self;

    fn is_nan(self) -> bool {
        self.to64().is_nan()
    }
    fn is_finite(self) -> bool {
        self.to64().is_finite()
    }
    fn is_inf(self) -> bool {
        self.to64().is_infinite()
    }
}

impl Elem for f32 {
    const NAME: &'static str = "f32";
    const BYTES: usize = 4;
    const IS_F32: bool = true;
    const U: f64 = 5.960464477539063e-8;
    const MANT_BITS: u32 = 23;
    const BIAS: i32 = 127;
    const MAX: f64 = f32::MAX as f64;
    const MIN_POSITIVE: f64 = f32::MIN_POSITIVE as f64;
    const ETA: f64 = f32::from_bits(1) as f64;
    const LIMIT: f64 = 1e30;
    const C_SUM: f64 = bounds::SUM_F32;
    const C_DOT: f64 = bounds::DOT_F32;
    const C_SQ_ERR: f64 = bounds::SQ_ERR_F32;
    const C_VAR: f64 = bounds::VARIANCE_F32;
    const C_STD: f64 = bounds::STD_DEV_F32;
    const LN_ULP: f64 = bounds::LN_F32_ULP;
    fn to64(self) -> f64 {
        self as f64
    }
    fn from64(x: f64) -> Self {
        x as f32
    }
    fn bits(self) -> u64 {
        self.to_bits() as u64
    }
    fn from_bits64(b: u64) -> Self {
        f32::from_bits(b as u32)
    }
    fn from_ne(b: &[u8]) -> Self {
        let mut a = [0u8; 4];
        a.copy_from_slice(b);
        f32::from_ne_bytes(a)
    }
}

impl Elem for f64 {
    const NAME: &'static str = "f64";
    const BYTES: usize = 8;
    const IS_F32: bool = false;
    const U: f64 = 1.1102230246251565e-16;
    const MANT_BITS: u32 = 52;
    const BIAS: i32 = 1023;
    const MAX: f64 = f64::MAX;
    const MIN_POSITIVE: f64 = f64::MIN_POSITIVE;
    const ETA: f64 = f64::from_bits(1);
    const LIMIT: f64 = 1e300;
    const C_SUM: f64 = bounds::SUM_F64;
    const C_DOT: f64 = bounds::DOT_F64;
    const C_SQ_ERR: f64 = bounds::SQ_ERR_F64;
    const C_VAR: f64 = bounds::VARIANCE_F64;
    const C_STD: f64 = bounds::STD_DEV_F64;
    const LN_ULP: f64 = bounds::LN_F64_ULP;
    fn to64(self) -> f64 {
        self
    }
    fn from64(x: f64) -> Self {
        x
    }
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn from_bits64(b: u64) -> Self {
        f64::from_bits(b)
    }
    fn from_ne(b: &[u8]) -> Self {
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        f64::from_ne_bytes(a)
    }
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/// Reads the fuzz input front to back; past its end every byte is 0.
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

/// What every target decodes first.
#[derive(Clone, Copy, Debug)]
pub struct Header {
    /// `f64` elements (else `f32`).
    pub is_f64: bool,
    /// Start of the slice within its buffer, in elements (0..8).
    pub offset: usize,
    /// How raw bits become values (see [`shape`]).
    pub mode: u8,
    /// How values are cycled past the end of the input (see [`Cursor::values`]).
    pub fill: u8,
}

/// Longest slice a target builds: more than 4 `variance` blocks of `f32`
/// (1024 elements each) and 8 of `f64` (512 each); more than 16 and 32 of
/// the other reductions' blocks (256 and 128).
pub const MAX_LEN: usize = 4200;

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos = self.pos.saturating_add(1);
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    /// Bytes left.
    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    pub fn header(&mut self) -> Header {
        let b = self.byte();
        Header {
            is_f64: b & 1 != 0,
            offset: ((b >> 1) & 7) as usize,
            mode: b >> 4,
            fill: self.byte(),
        }
    }

    /// A length: one byte below 0x80 gives 0..128 (most inputs: short slices
    /// and every tail shape); otherwise two bytes give 0..MAX_LEN.
    pub fn len(&mut self) -> usize {
        let b = self.byte();
        if b < 0x80 {
            b as usize
        } else {
            ((((b & 0x7f) as usize) << 8) | self.byte() as usize) % (MAX_LEN + 1)
        }
    }

    /// A second length: usually `first` (the valid case), sometimes another.
    pub fn len_like(&mut self, first: usize) -> usize {
        match self.byte() % 8 {
            0 => self.len(),
            1 => first + 1,
            2 => first.saturating_sub(1),
            _ => first,
        }
    }

    /// `n` values: each from `T::BYTES` raw bytes shaped by `h.mode`; past
    /// the end of the input, the values read so far are cycled (zeros if
    /// none were read): repeated exactly if `h.fill` is even (constant
    /// columns, ties), else each pass `h.fill` units of the raw bits further.
    pub fn values<T: Elem>(&mut self, n: usize, h: Header) -> Vec<T> {
        let step = if h.fill.is_multiple_of(2) {
            0
        } else {
            h.fill as u64
        };
        let mut out: Vec<T> = Vec::with_capacity(n);
        let mut raw: Vec<u64> = Vec::new();
        for i in 0..n {
            let rest = self.rest();
            let r = if rest.len() >= T::BYTES {
                let mut b = [0u8; 8];
                b[..T::BYTES].copy_from_slice(&rest[..T::BYTES]);
                self.pos += T::BYTES;
                let r = u64::from_le_bytes(b);
                raw.push(r);
                r
            } else if raw.is_empty() {
                0
            } else {
                let k = raw.len();
                raw[i % k].wrapping_add((i / k) as u64 * step)
            };
            out.push(shape::<T>(r, h.mode));
        }
        out
    }
}

/// Interesting values, picked by [`shape`] mode 4.
fn special<T: Elem>(i: u64) -> T {
    let m = T::MAX;
    let v = match i % 16 {
        0 => 0.0,
        1 => -0.0,
        2 => f64::INFINITY,
        3 => f64::NEG_INFINITY,
        4 => f64::NAN,
        5 => T::MIN_POSITIVE,
        6 => T::ETA,
        7 => -T::ETA,
        8 => m,
        9 => -m,
        10 => 1.0,
        11 => -1.0,
        12 => 0.5,
        13 => 3.0,
        14 => T::MIN_POSITIVE - T::ETA, // largest subnormal
        _ => 1e10,
    };
    T::from64(v)
}

/// Raw bits to a value:
/// - 0: the bits as they are (any NaN, infinity, subnormal);
/// - 1: finite normal, exponent in [-20, 20] (where the bounds apply);
/// - 2: small integers (exact arithmetic, ties, cancellation);
/// - 3: 1e6 plus a small offset (catastrophic cancellation in variance);
/// - 4: special values;
/// - 5: tiny values, exponent near the bottom of the normal range (underflow);
/// - 6, 7: per value, one of modes 0..5 chosen by the value's own low bits;
/// - 8..: as 1 with a wider exponent range [-60, 60].
pub fn shape<T: Elem>(r: u64, mode: u8) -> T {
    let mant_mask = (1u64 << T::MANT_BITS) - 1;
    let sign = (r >> (T::BYTES * 8 - 1)) & 1 == 1;
    let finite = |exp: i32| -> T {
        let e = (exp + T::BIAS) as u64;
        let s = if sign { 1u64 << (T::BYTES * 8 - 1) } else { 0 };
        T::from_bits64(s | (e << T::MANT_BITS) | (r & mant_mask))
    };
    let top = (r >> T::MANT_BITS) as i64; // sign and exponent bits
    match mode {
        0 => T::from_bits64(r),
        1 => finite((top.rem_euclid(41) - 20) as i32),
        2 => T::from64((r as u8 as i8) as f64),
        3 => T::from64(1e6 + ((r & 0xffff) as f64 - 32768.0) / 4096.0),
        4 => special(r),
        5 => finite(1 - T::BIAS + top.rem_euclid(30) as i32),
        6 | 7 => shape((r >> 3) | (r & 7) << (T::BYTES * 8 - 3), (r & 7) as u8 % 6),
        _ => finite((top.rem_euclid(121) - 60) as i32),
    }
}

/// A buffer whose last `vals.len()` elements are `vals`, preceded by `offset`
/// sentinel elements: the slice ends at the end of the allocation (so
/// AddressSanitizer sees any read or write past it) and starts at any
/// alignment. Returns the buffer; the slice is `buf[offset..]`.
pub fn place<T: Elem>(vals: &[T], offset: usize) -> Vec<T> {
    let mut buf = Vec::with_capacity(offset + vals.len());
    buf.extend((0..offset).map(|_| sentinel::<T>()));
    buf.extend_from_slice(vals);
    buf
}

/// The value in the padding in front of every slice (a NaN with a payload).
pub fn sentinel<T: Elem>() -> T {
    T::from_bits64(if T::IS_F32 {
        0x7fa5_a5a5
    } else {
        0x7ff5_a5a5_a5a5_a5a5
    })
}

/// Panics if anything wrote into the padding in front of the slice.
pub fn check_pad<T: Elem>(buf: &[T], offset: usize, what: &str) {
    for (i, v) in buf.iter().take(offset).enumerate() {
        assert_eq!(
            v.bits(),
            sentinel::<T>().bits(),
            "{what}: wrote before the slice (padding element {i} of {offset})"
        );
    }
}

// ---------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------

/// The reference.
pub fn scalar() -> Kernels {
    Kernels::new(Backend::Scalar).expect("scalar is always available")
}

/// Every other way in: each available backend and the detected one (the
/// free functions' choice).
pub fn others() -> Vec<Kernels> {
    let mut v: Vec<Kernels> = Kernels::available()
        .map(|b| {
            let k = Kernels::new(b).expect("an available backend must construct");
            assert_eq!(k.backend(), b);
            k
        })
        .collect();
    assert_eq!(
        v.first().map(|k| k.backend()),
        Some(Backend::Scalar),
        "available() lists scalar first"
    );
    v.push(Kernels::detected());
    v
}

/// Same bits, or both NaN.
pub fn same<T: Elem>(a: T, b: T) -> bool {
    a.bits() == b.bits() || (a.is_nan() && b.is_nan())
}

pub fn same_all<T: Elem>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(*x, *y))
}

pub fn same_res<T: Elem>(a: &Result<T, Error>, b: &Result<T, Error>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => same(*x, *y),
        (Err(x), Err(y)) => x == y,
        _ => false,
    }
}

/// Panics unless `got` has the `Err` of `expected` or is `Ok` when that is.
pub fn check_result<T: Debug>(what: &str, got: &Result<T, Error>, expected: Result<(), Error>) {
    match (got, expected) {
        (Ok(_), Ok(())) => {}
        (Err(g), Err(e)) if *g == e => {}
        _ => panic!("{what}: got {got:?}, the API docs say {expected:?}"),
    }
}

/// `Err(LengthMismatch)` unless the lengths agree.
pub fn same_len(expected: usize, found: usize) -> Result<(), Error> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::LengthMismatch { expected, found })
    }
}

// ---------------------------------------------------------------------------
// Bounds
// ---------------------------------------------------------------------------

pub fn to64<T: Elem>(x: &[T]) -> Vec<f64> {
    x.iter().map(|v| v.to64()).collect()
}

pub fn all_finite<T: Elem>(x: &[T]) -> bool {
    x.iter().all(|v| v.is_finite())
}

/// The bound applies: no partial sum can overflow.
fn fits<T: Elem>(s: f64) -> bool {
    s.is_finite() && s <= T::LIMIT
}

fn dd_neg(x: f64) -> Dd {
    Dd::from(-x)
}

/// Panics if `|err| > tol` (or either is NaN).
fn bound(what: &str, err: f64, tol: f64, detail: impl FnOnce() -> String) {
    if err > tol || err.is_nan() || tol.is_nan() {
        panic!(
            "{what}: error {err:e} > documented bound {tol:e}; {}",
            detail()
        );
    }
}

/// `sum(x)`: `|got - exact| <= C_SUM u sum|x| (+ ETA)`.
pub fn check_sum<T: Elem>(x: &[T], got: T) {
    if !all_finite(x) {
        return;
    }
    let x64 = to64(x);
    let (exact, s) = oracle::sum(&x64);
    if !fits::<T>(s) {
        return;
    }
    let (diff, _) = oracle::sum_terms(
        x64.iter()
            .map(|&v| Dd::from(v))
            .chain(Some(dd_neg(got.to64()))),
    );
    let tol = T::C_SUM * T::U * s + T::ETA;
    bound(
        &format!("sum {} n={}", T::NAME, x.len()),
        diff.abs(),
        tol,
        || format!("got {got:e} ({:#x}), exact {exact:e}, S {s:e}", got.bits()),
    );
}

/// `mean(x)`: `|got - exact| <= C_SUM u mean|x| (+ ETA)`.
pub fn check_mean<T: Elem>(x: &[T], got: T) {
    if x.is_empty() || !all_finite(x) {
        return;
    }
    let n = x.len() as f64;
    let x64 = to64(x);
    let (exact, s) = oracle::sum(&x64);
    if !fits::<T>(s) {
        return;
    }
    let n_got = Dd::from(n).mul(dd_neg(got.to64()));
    let (diff, _) = oracle::sum_terms(x64.iter().map(|&v| Dd::from(v)).chain(Some(n_got)));
    let tol = T::C_SUM * T::U * s / n + T::ETA;
    bound(
        &format!("mean {} n={}", T::NAME, x.len()),
        diff.abs() / n,
        tol,
        || format!("got {got:e}, exact {:e}, S {s:e}", exact / n),
    );
}

/// `dot(a, b)`: `|got - exact| <= C_DOT u sum|a_i b_i| (+ (n+1) ETA)`.
pub fn check_dot<T: Elem>(a: &[T], b: &[T], got: T) {
    if !all_finite(a) || !all_finite(b) {
        return;
    }
    let (mut a64, mut b64) = (to64(a), to64(b));
    let (exact, s) = oracle::dot(&a64, &b64);
    if !fits::<T>(s) || !exact.is_finite() {
        return;
    }
    a64.push(-got.to64());
    b64.push(1.0);
    let (diff, _) = oracle::dot(&a64, &b64);
    let tol = T::C_DOT * T::U * s + (a.len() as f64 + 1.0) * T::ETA;
    bound(
        &format!("dot {} n={}", T::NAME, a.len()),
        diff.abs(),
        tol,
        || format!("got {got:e}, exact {exact:e}, S {s:e}"),
    );
}

/// `sse` (or `mse` when `mean`): relative to the result itself
/// (`C_SQ_ERR u sse`), plus `(n+1) ETA` for squares in the subnormal range.
pub fn check_sq_err<T: Elem>(t: &[T], p: &[T], got: T, mean: bool) {
    if !all_finite(t) || !all_finite(p) || (mean && t.is_empty()) {
        return;
    }
    let (t64, p64) = (to64(t), to64(p));
    let (exact, s) = oracle::sse(&t64, &p64);
    if !fits::<T>(s) {
        return;
    }
    let n = if mean { t.len() as f64 } else { 1.0 };
    let terms = t64.iter().zip(&p64).map(|(&a, &b)| {
        let d = Dd::from(a).sub(Dd::from(b));
        d.mul(d)
    });
    let n_got = Dd::from(n).mul(dd_neg(got.to64()));
    let (diff, _) = oracle::sum_terms(terms.chain(Some(n_got)));
    let tol = (T::C_SQ_ERR * T::U * s + (t.len() as f64 + 1.0) * T::ETA) / n + T::ETA;
    let what = if mean { "mse" } else { "sse" };
    bound(
        &format!("{what} {} n={}", T::NAME, t.len()),
        diff.abs() / n,
        tol,
        || format!("got {got:e}, exact {:e}", exact / n),
    );
}

/// Exact `(mean, var, std, sum|x|)` with `var = M2 / (n - ddof)`.
pub fn exact_moments<T: Elem>(x: &[T], ddof: usize) -> (f64, f64, f64, f64) {
    let (mean, m2, abs) = oracle::moments(&to64(x));
    let var = m2 / (x.len() - ddof) as f64;
    (mean, var, var.sqrt(), abs)
}

/// The variance bound applies: finite data whose squared deviations cannot
/// overflow (`(2 sum|x|)^2` below the limit).
pub fn moments_fit<T: Elem>(var: f64, mean: f64, abs: f64) -> bool {
    var.is_finite() && mean.is_finite() && fits::<T>((2.0 * abs) * (2.0 * abs))
}

/// The variance's absolute bound: `M2` is within `C_VAR u (M2 + n |mean|
/// sigma)`, `sigma = sqrt(M2 / n)` the exact population std, so
/// `|var - exact| <= C_VAR u (var + |mean| sigma n / (n - ddof))`, which is
/// `C_VAR u (var + |mean| std)` for `ddof = 0` (kernels/src/moments.rs);
/// plus the underflow allowance (one `ETA` per squared deviation, and the
/// roundings of the result).
pub fn var_tol<T: Elem>(n: usize, ddof: usize, mean: f64, var: f64) -> f64 {
    let (n, d) = (n as f64, (n - ddof) as f64);
    let sigma = (var * d / n).sqrt();
    T::C_VAR * T::U * (var + mean.abs() * sigma * n / d) + (n + 2.0) / d * T::ETA + T::ETA
}

pub fn check_variance<T: Elem>(x: &[T], ddof: usize, got: T) {
    if x.len() <= ddof || !all_finite(x) {
        return;
    }
    let (mean, var, std, abs) = exact_moments(x, ddof);
    if !moments_fit::<T>(var, mean, abs) {
        return;
    }
    let tol = var_tol::<T>(x.len(), ddof, mean, var);
    bound(
        &format!("variance {} n={} ddof={ddof}", T::NAME, x.len()),
        (got.to64() - var).abs(),
        tol,
        || format!("got {got:e}, exact var {var:e}, mean {mean:e}, std {std:e}"),
    );
}

/// `std_dev`: within `C_STD u (std + |mean| sigma n / ((n - ddof) std))`
/// (src/lib.rs; `sigma` the population std, the last term 0 for constant
/// data), plus what the variance's underflow allowance moves the root by.
pub fn std_tol<T: Elem>(n: usize, ddof: usize, mean: f64, var: f64) -> f64 {
    let (nf, d) = (n as f64, (n - ddof) as f64);
    let std = var.sqrt();
    let sigma = (var * d / nf).sqrt();
    let mean_term = if std > 0.0 {
        mean.abs() * sigma * nf / (d * std)
    } else {
        0.0
    };
    let underflow = (nf + 2.0) / d * T::ETA + T::ETA;
    // `|sqrt(v') - std| <= min(sqrt(a), a / std)` for `|v' - var| <= a`
    // (`a / 0` is `+inf`: `sqrt(a)` for constant data).
    T::C_STD * T::U * (std + mean_term) + underflow.sqrt().min(underflow / std) + T::ETA
}

pub fn check_std_dev<T: Elem>(x: &[T], ddof: usize, got: T) {
    if x.len() <= ddof || !all_finite(x) {
        return;
    }
    let (mean, var, std, abs) = exact_moments(x, ddof);
    if !moments_fit::<T>(var, mean, abs) {
        return;
    }
    let tol = std_tol::<T>(x.len(), ddof, mean, var);
    bound(
        &format!("std_dev {} n={} ddof={ddof}", T::NAME, x.len()),
        (got.to64() - std).abs(),
        tol,
        || format!("got {got:e}, exact std {std:e}, var {var:e}, mean {mean:e}"),
    );
}

/// `ln(x) = got`: special values exactly, finite positive `x` within
/// `LN_*_ULP` ulps of the oracle.
pub fn check_ln<T: Elem>(x: T, got: T) {
    let v = x.to64();
    let g = got.to64();
    let ok = if v.is_nan() {
        g.is_nan()
    } else if v == 0.0 {
        g == f64::NEG_INFINITY
    } else if v < 0.0 {
        g.is_nan()
    } else if v == f64::INFINITY {
        g == f64::INFINITY
    } else if v == 1.0 {
        got.bits() == 0 // +0.0
    } else {
        let u = oracle::ulps(g, oracle::ln(v), T::IS_F32);
        u <= T::LN_ULP
    };
    if !ok {
        panic!(
            "ln {}({v:e} = {:#x}): got {g:e} ({:#x}), exact {:e}",
            T::NAME,
            x.bits(),
            got.bits(),
            if v > 0.0 && v.is_finite() {
                oracle::ln(v).value()
            } else {
                f64::NAN
            }
        );
    }
}
