//! Helpers shared by the integration tests: a deterministic RNG, value
//! generators, proptest strategies for misaligned slices, bit comparison,
//! backend selection (`NUMKERN_REQUIRE`), and the documented error-bound
//! checks (constants from `numkern::bounds`, exact values from the oracle).
//!
//! Every test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

use std::fmt::Debug;
use std::iter::once;

use numkern::{bounds, Backend, Error, Kernels};
use numkern_kernels::oracle::{self, Dd};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

// ---------------------------------------------------------------------------
// Element types
// ---------------------------------------------------------------------------

/// What the tests need to know about `f32` and `f64`. The constants here are
/// facts about IEEE formats and pointers into `numkern::bounds`; no tolerance
/// is invented here.
pub trait TFloat:
    numkern::Float + Copy + Debug + PartialOrd + Default + Send + Sync + 'static
{
    const NAME: &'static str;
    /// Unit roundoff: 2^-24 or 2^-53.
    const U: f64;
    /// Elements per reduction block (see `kernels/src/reduce.rs`).
    const BLOCK: usize;
    /// `variance`'s block: [`Self::BLOCK`] times 4 (its sub-blocks).
    const VAR_BLOCK: usize;
    /// Explicit significand bits (23 or 52).
    const MANT_BITS: u32;
    /// Exponent bias (127 or 1023).
    const BIAS: i32;
    const IS_F32: bool;
    const NAN: Self;
    const INF: Self;
    const MAX: Self;
    const MIN_POSITIVE: Self;
    /// The smallest subnormal, as `f64`.
    const ETA: f64;
    const POS_ZERO: Self;
    // The documented constants of this type, from `numkern::bounds`.
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
    fn from_bits64(b: u64) -> Self;
    fn nan(self) -> bool {
        self.to64().is_nan()
    }
    fn finite(self) -> bool {
        self.to64().is_finite()
    }
    fn neg(self) -> Self {
        Self::from64(-self.to64())
    }
    /// `(-1)^neg * 2^exp * (1 + mant / 2^MANT_BITS)` for a normal exponent
    /// (clamped into the normal range); `mant` is reduced to its low bits.
    fn make(neg: bool, exp: i32, mant: u64) -> Self {
        let e = (exp + Self::BIAS).clamp(1, 2 * Self::BIAS) as u64;
        let m = mant & ((1u64 << Self::MANT_BITS) - 1);
        let sign = if neg {
            1u64 << (Self::MANT_BITS + Self::exp_bits())
        } else {
            0
        };
        Self::from_bits64(sign | (e << Self::MANT_BITS) | m)
    }
    fn exp_bits() -> u32 {
        if Self::IS_F32 {
            8
        } else {
            11
        }
    }
    /// The smallest positive subnormal.
    fn min_subnormal() -> Self {
        Self::from_bits64(1)
    }
    /// The largest subnormal.
    fn max_subnormal() -> Self {
        Self::from_bits64((1u64 << Self::MANT_BITS) - 1)
    }
    /// One ulp above 1.
    fn one_plus_ulp() -> Self {
        Self::from_bits64(Self::from64(1.0).bits() + 1)
    }
    /// One ulp below 1.
    fn one_minus_ulp() -> Self {
        Self::from_bits64(Self::from64(1.0).bits() - 1)
    }
}

impl TFloat for f32 {
    const NAME: &'static str = "f32";
    const U: f64 = <f32 as numkern_kernels::Element>::UNIT_ROUNDOFF;
    const BLOCK: usize = numkern_kernels::reduce::block_len::<numkern_kernels::scalar::F32x8>();
    const VAR_BLOCK: usize =
        numkern_kernels::moments::group_len::<numkern_kernels::scalar::F32x8>();
    const MANT_BITS: u32 = 23;
    const BIAS: i32 = 127;
    const IS_F32: bool = true;
    const NAN: Self = f32::NAN;
    const INF: Self = f32::INFINITY;
    const MAX: Self = f32::MAX;
    const MIN_POSITIVE: Self = f32::MIN_POSITIVE;
    const ETA: f64 = f32::from_bits(1) as f64;
    const POS_ZERO: Self = 0.0;
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
}

impl TFloat for f64 {
    const NAME: &'static str = "f64";
    const U: f64 = <f64 as numkern_kernels::Element>::UNIT_ROUNDOFF;
    const BLOCK: usize = numkern_kernels::reduce::block_len::<numkern_kernels::scalar::F64x4>();
    const VAR_BLOCK: usize =
        numkern_kernels::moments::group_len::<numkern_kernels::scalar::F64x4>();
    const MANT_BITS: u32 = 52;
    const BIAS: i32 = 1023;
    const IS_F32: bool = false;
    const NAN: Self = f64::NAN;
    const INF: Self = f64::INFINITY;
    const MAX: Self = f64::MAX;
    const MIN_POSITIVE: Self = f64::MIN_POSITIVE;
    const ETA: f64 = f64::from_bits(1);
    const POS_ZERO: Self = 0.0;
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
}

pub fn to64<T: TFloat>(x: &[T]) -> Vec<f64> {
    x.iter().map(|v| v.to64()).collect()
}

// ---------------------------------------------------------------------------
// Bits
// ---------------------------------------------------------------------------

/// Bit equality, except that any NaN equals any NaN (payloads may differ).
pub fn same_bits<T: TFloat>(a: T, b: T) -> bool {
    (a.nan() && b.nan()) || a.bits() == b.bits()
}

/// `Ok` if both results are the same error, or values with the same bits.
pub fn same_result<T: TFloat>(
    what: &str,
    got: Result<T, Error>,
    want: Result<T, Error>,
) -> Result<(), String> {
    let ok = match (&got, &want) {
        (Ok(a), Ok(b)) => same_bits(*a, *b),
        (Err(a), Err(b)) => a == b,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what}: got {} want {} (scalar)",
            show_result(&got),
            show_result(&want)
        ))
    }
}

fn show_result<T: TFloat>(r: &Result<T, Error>) -> String {
    match r {
        Ok(v) => format!("{v:?} (bits {:#x})", v.bits()),
        Err(e) => format!("Err({e:?})"),
    }
}

/// `Ok` if the slices have the same length and elementwise the same bits.
pub fn same_slice<T: TFloat>(what: &str, got: &[T], want: &[T]) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!("{what}: lengths {} and {}", got.len(), want.len()));
    }
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        if !same_bits(*a, *b) {
            return Err(format!(
                "{what}: element {i} of {}: got {a:?} (bits {:#x}) want {b:?} (bits {:#x})",
                got.len(),
                a.bits(),
                b.bits()
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Deterministic random numbers
// ---------------------------------------------------------------------------

/// xorshift64* : small, fast, deterministic.
#[derive(Clone, Debug)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        // Any seed works; mix it so that small seeds give unrelated streams.
        let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xd1b5_4a32_d192_ed03;
        if s == 0 {
            s = 1;
        }
        let mut r = XorShift(s);
        for _ in 0..4 {
            r.next_u64();
        }
        r
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform in `lo..hi` (`hi > lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo) as u64) as i64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn coin(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }
    /// Approximately standard normal (sum of 4 uniforms, rescaled).
    pub fn normalish(&mut self) -> f64 {
        let s: f64 = (0..4).map(|_| self.unit()).sum::<f64>() - 2.0;
        s * 3f64.sqrt()
    }
    /// A random value `±2^e * (1.m)` with `e` uniform in `emin..=emax`:
    /// mixed signs, magnitudes spread over many binades.
    pub fn mixed<T: TFloat>(&mut self, emin: i32, emax: i32) -> T {
        let e = self.range(emin as i64, emax as i64 + 1) as i32;
        T::make(self.coin(), e, self.next_u64())
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------

/// A few ordinary hand-picked values.
pub fn hand_picked<T: TFloat>() -> Vec<T> {
    [
        1.0,
        2.0,
        3.0,
        -1.0,
        0.5,
        -0.25,
        0.1,
        -0.3,
        10.0,
        1e3,
        -7.5,
        std::f64::consts::PI,
        std::f64::consts::E,
        1e-3,
        123.456,
        -98765.4321,
    ]
    .iter()
    .map(|&v| T::from64(v))
    .collect()
}

/// Edge values: ±0, smallest and largest subnormals, MIN_POSITIVE, MAX,
/// ±inf, NaN, values next to 1, powers of two.
pub fn edge_values<T: TFloat>() -> Vec<T> {
    let mut v = vec![
        T::POS_ZERO,
        T::POS_ZERO.neg(),
        T::min_subnormal(),
        T::min_subnormal().neg(),
        T::max_subnormal(),
        T::from_bits64(3),
        T::MIN_POSITIVE,
        T::MIN_POSITIVE.neg(),
        T::MAX,
        T::MAX.neg(),
        T::INF,
        T::INF.neg(),
        T::NAN,
        T::NAN.neg(),
        T::from64(1.0),
        T::from64(-1.0),
        T::one_plus_ulp(),
        T::one_minus_ulp(),
    ];
    for e in [-100, -20, -3, -1, 1, 2, 10, 24, 53, 100] {
        v.push(T::from64(2f64.powi(e)));
    }
    v
}

/// Only the finite edge values.
pub fn finite_edge_values<T: TFloat>() -> Vec<T> {
    edge_values::<T>()
        .into_iter()
        .filter(|v| v.finite())
        .collect()
}

/// `n` values `start, start + step, ...` (computed in f64, rounded once).
pub fn evenly_spaced<T: TFloat>(n: usize, start: f64, step: f64) -> Vec<T> {
    (0..n).map(|i| T::from64(start + step * i as f64)).collect()
}

/// `n` random values with mixed signs and magnitudes over `emin..=emax` binades.
pub fn random_mixed<T: TFloat>(rng: &mut XorShift, n: usize, emin: i32, emax: i32) -> Vec<T> {
    (0..n).map(|_| rng.mixed::<T>(emin, emax)).collect()
}

/// Heavy cancellation: pairs `x, -x` of large magnitude plus a few small
/// values, shuffled. The exact sum is tiny next to the sum of magnitudes.
pub fn cancelling<T: TFloat>(rng: &mut XorShift, n: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    while v.len() + 2 <= n {
        if rng.below(8) == 0 {
            v.push(rng.mixed::<T>(-10, 0));
        } else {
            let x = rng.mixed::<T>(10, 30);
            v.push(x);
            v.push(x.neg());
        }
    }
    while v.len() < n {
        v.push(rng.mixed::<T>(-10, 0));
    }
    rng.shuffle(&mut v);
    v
}

/// Values `offset + noise * N(0,1)` rounded to `T` (for variance: a large mean
/// next to a small spread).
pub fn offset_noise<T: TFloat>(rng: &mut XorShift, n: usize, offset: f64, noise: f64) -> Vec<T> {
    (0..n)
        .map(|_| T::from64(offset + noise * rng.normalish()))
        .collect()
}

/// `offset + N(0, 1)` noise whose level takes a random step every 32
/// elements, scaled so that over one `variance` block
/// ([`TFloat::VAR_BLOCK`] elements) it moves by `per_block * N(0, 1)`: with
/// `per_block` near 1/4 the block means move by about a quarter of the
/// noise's std from block to block, the distance `variance`'s acceptance
/// test allows a predicted centre, so that predictions land on both sides
/// of it.
pub fn wandering<T: TFloat>(rng: &mut XorShift, n: usize, offset: f64, per_block: f64) -> Vec<T> {
    let step = per_block * (32.0 / T::VAR_BLOCK as f64).sqrt();
    let mut level = offset;
    (0..n)
        .map(|i| {
            if i % 32 == 0 {
                level += step * rng.normalish();
            }
            T::from64(level + rng.normalish())
        })
        .collect()
}

/// `N(0, 1)` noise, its first [`TFloat::BLOCK`] elements (a quarter of a
/// `variance` block) shifted by `far`: a first block whose mean is far from
/// the rest's, which makes `variance`'s merges move their running mean's
/// reference (rebase), and, in shorter inputs, a block with a far part.
pub fn far_first_block<T: TFloat>(rng: &mut XorShift, n: usize, far: f64) -> Vec<T> {
    (0..n)
        .map(|i| T::from64(if i < T::BLOCK { far } else { 0.0 } + rng.normalish()))
        .collect()
}

/// `N(0, 1)` noise on a level redrawn uniformly in `[-10, 10)` every
/// `period` elements: steps that a predicted centre cannot follow.
pub fn steps<T: TFloat>(rng: &mut XorShift, n: usize, period: usize) -> Vec<T> {
    let mut level = 0.0;
    (0..n)
        .map(|i| {
            if i % period == 0 {
                level = 20.0 * rng.unit() - 10.0;
            }
            T::from64(level + rng.normalish())
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Proptest: misaligned slices in buffers
// ---------------------------------------------------------------------------

/// A slice `buf[off .. off + len]`; the rest of `buf` is NaN, so reading
/// outside the slice would show in the result.
#[derive(Clone, Debug)]
pub struct Slice<T> {
    pub buf: Vec<T>,
    pub off: usize,
    pub len: usize,
}

impl<T: TFloat> Slice<T> {
    pub fn get(&self) -> &[T] {
        &self.buf[self.off..self.off + self.len]
    }
    pub fn from_vec(v: Vec<T>, off: usize) -> Slice<T> {
        let len = v.len();
        let mut buf = vec![T::NAN; off];
        buf.extend(v);
        buf.extend(std::iter::repeat_n(T::NAN, 8 - off));
        Slice { buf, off, len }
    }
}

/// What the elements of a generated buffer look like.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Finite, mixed signs, magnitudes within `2^±24` (f32) / `2^±150` (f64),
    /// plus small integers; no product, square or sum leaves the normal range
    /// at the lengths generated, so the documented bounds apply.
    Moderate,
    /// A per-buffer offset plus a small spread (variance's hard case), finite.
    Offset,
    /// Any finite value: subnormals, MAX, everything (results may overflow).
    Wide,
    /// Moderate values with NaN, ±inf, ±0, subnormals, MAX sprinkled in.
    Specials,
    /// `Moderate` or `Offset`: finite inputs on which every bound applies.
    Finite,
    /// Positive finite values over every binade, subnormals included (for `ln`).
    Positive,
    /// A mixture of all the above, for bit-identity tests.
    Any,
}

fn moderate_elem<T: TFloat>() -> BoxedStrategy<T> {
    let emax = if T::IS_F32 { 24 } else { 150 };
    prop_oneof![
        6 => (any::<bool>(), -emax..=emax, any::<u64>()).prop_map(|(s, e, m)| T::make(s, e, m)),
        2 => (any::<bool>(), -2i32..=3, any::<u64>()).prop_map(|(s, e, m)| T::make(s, e, m)),
        2 => (-8i32..=8).prop_map(|i| T::from64(i as f64)),
    ]
    .boxed()
}

fn wide_elem<T: TFloat>() -> BoxedStrategy<T> {
    prop_oneof![
        3 => any::<u64>().prop_map(|b| {
            let v = T::from_bits64(b);
            if v.finite() { v } else { T::MAX }
        }),
        1 => prop::sample::select(finite_edge_values::<T>()),
        2 => moderate_elem::<T>(),
    ]
    .boxed()
}

fn special_elem<T: TFloat>() -> BoxedStrategy<T> {
    prop_oneof![
        40 => moderate_elem::<T>(),
        1 => prop::sample::select(edge_values::<T>()),
    ]
    .boxed()
}

/// A vector of `len` elements of kind `kind`.
pub fn values<T: TFloat>(kind: Kind, len: usize) -> BoxedStrategy<Vec<T>> {
    use prop::collection::vec;
    match kind {
        Kind::Moderate => vec(moderate_elem::<T>(), len).boxed(),
        Kind::Wide => vec(wide_elem::<T>(), len).boxed(),
        Kind::Specials => vec(special_elem::<T>(), len).boxed(),
        Kind::Offset => {
            let emax = if T::IS_F32 { 20 } else { 120 };
            (
                any::<bool>(),
                0..=emax,
                any::<u64>(),
                1..=(T::MANT_BITS as i32),
                vec((-1000i32..=1000, any::<u64>()), len),
            )
                .prop_map(|(s, e, m, shift, noise)| {
                    let base = T::make(s, e, m).to64();
                    let scale = base.abs() * 2f64.powi(-shift) / 1000.0;
                    noise
                        .into_iter()
                        .map(|(k, frac)| {
                            let jitter = (frac >> 11) as f64 / (1u64 << 53) as f64;
                            T::from64(base + (k as f64 + jitter) * scale)
                        })
                        .collect()
                })
                .boxed()
        }
        Kind::Finite => prop_oneof![
            3 => values::<T>(Kind::Moderate, len),
            1 => values::<T>(Kind::Offset, len),
        ]
        .boxed(),
        Kind::Positive => vec(
            prop_oneof![
                3 => any::<u64>().prop_map(|b| {
                    // Positive, finite, exponent field uniform: every binade.
                    let v = T::from_bits64(b & ((1u64 << (T::MANT_BITS + T::exp_bits())) - 1));
                    if v.finite() { v } else { T::MAX }
                }),
                1 => (-3i32..=3, any::<u64>()).prop_map(|(e, m)| T::make(false, e, m)),
                1 => prop::sample::select(
                    finite_edge_values::<T>().into_iter().filter(|v| v.to64() > 0.0).collect::<Vec<_>>()
                ),
            ],
            len,
        )
        .boxed(),
        Kind::Any => prop_oneof![
            4 => values::<T>(Kind::Moderate, len),
            2 => values::<T>(Kind::Offset, len),
            2 => values::<T>(Kind::Wide, len),
            3 => values::<T>(Kind::Specials, len),
        ]
        .boxed(),
    }
}

/// Lengths: mostly 0..300, sometimes up to ~5000.
pub fn lengths() -> BoxedStrategy<usize> {
    prop_oneof![8 => 0usize..300, 1 => 300usize..5000].boxed()
}

/// `(buffer, offset, len)`: a slice starting at an offset drawn from 0..8
/// elements (each case its own; over a run's cases, every one).
pub fn slice<T: TFloat>(kind: Kind) -> BoxedStrategy<Slice<T>> {
    lengths()
        .prop_flat_map(move |len| slice_of_len::<T>(kind, len))
        .boxed()
}

pub fn slice_of_len<T: TFloat>(kind: Kind, len: usize) -> BoxedStrategy<Slice<T>> {
    (values::<T>(kind, len), 0usize..8)
        .prop_map(|(v, off)| Slice::from_vec(v, off))
        .boxed()
}

/// Two slices of the same length, each at its own offset.
pub fn slice_pair<T: TFloat>(kind: Kind) -> BoxedStrategy<(Slice<T>, Slice<T>)> {
    lengths()
        .prop_flat_map(move |len| (slice_of_len::<T>(kind, len), slice_of_len::<T>(kind, len)))
        .boxed()
}

/// A row-major matrix: `(slice, cols)`, rows mostly small, sometimes many
/// (crossing blocks), at an offset drawn as in [`slice_of_len`].
pub fn matrix<T: TFloat>(kind: Kind, min_rows: usize) -> BoxedStrategy<(Slice<T>, usize)> {
    let rows = prop_oneof![6 => min_rows..40usize, 2 => 40usize..300, 1 => 300usize..700];
    let cols = prop_oneof![4 => 1usize..9, 1 => 9usize..70];
    (rows, cols)
        .prop_flat_map(move |(r, c)| (slice_of_len::<T>(kind, r * c), Just(c)))
        .boxed()
}

/// The number of cases: `default`, or `PROPTEST_CASES` if set (for deeper runs).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Runs a property over `cases` inputs (shrinking on failure) and panics with
/// the minimal failing input.
pub fn run<S>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&strategy, |v| test(v).map_err(TestCaseError::fail)) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------

/// The backends named in `NUMKERN_REQUIRE` (comma-separated, e.g.
/// `scalar,portable,avx2`). An unknown name panics: a typo in CI must not
/// silently require nothing.
pub fn required_backends() -> Vec<Backend> {
    let Ok(v) = std::env::var("NUMKERN_REQUIRE") else {
        return Vec::new();
    };
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Backend>()
                .unwrap_or_else(|e| panic!("NUMKERN_REQUIRE names {s:?}: {e}"))
        })
        .collect()
}

/// The kernels of `b`, or `None` (with a note on stderr) if `b` cannot run
/// here. Panics instead if `NUMKERN_REQUIRE` lists `b`.
pub fn kernels_or_skip(b: Backend) -> Option<Kernels> {
    match Kernels::new(b) {
        Ok(k) => Some(k),
        Err(e) => {
            if required_backends().contains(&b) {
                panic!("backend {b} is listed in NUMKERN_REQUIRE but not available: {e}");
            }
            eprintln!("skipping {b}: not available here");
            None
        }
    }
}

/// The scalar reference.
pub fn scalar() -> Kernels {
    Kernels::new(Backend::Scalar).expect("the scalar backend is always available")
}

// ---------------------------------------------------------------------------
// Error bounds (constants from numkern::bounds, exact values from the oracle)
// ---------------------------------------------------------------------------

/// `|err| / scale` with `0/0 = 0` (an exact result where the bound is 0).
fn ratio(err: f64, scale: f64) -> f64 {
    if err == 0.0 {
        0.0
    } else {
        err / scale
    }
}

/// The bounds hold "barring overflow": when the sum of the absolute terms is
/// finite in `T` (then no partial sum overflows).
fn fits<T: TFloat>(s: f64) -> bool {
    s.is_finite() && s <= T::MAX.to64()
}

fn all_finite<T: TFloat>(x: &[T]) -> bool {
    x.iter().all(|v| v.finite())
}

/// The observed constant of `sum(x) = got`: `|got - exact| / (u * sum|x|)`,
/// or `None` where the bound does not apply (non-finite input or exact value).
/// The difference is computed by the oracle itself (`sum(x) - got` in
/// double-double), so the oracle's final rounding does not enter.
pub fn sum_ratio<T: TFloat>(x: &[T], got: T) -> Option<f64> {
    if !all_finite(x) {
        return None;
    }
    let x = to64(x);
    let (_, s) = oracle::sum(&x);
    if !fits::<T>(s) {
        return None;
    }
    if !got.finite() {
        return Some(f64::INFINITY);
    }
    let (diff, _) = oracle::sum_terms(
        x.iter()
            .map(|&v| Dd::from(v))
            .chain(once(Dd::from(-got.to64()))),
    );
    Some(ratio(diff.abs(), T::U * s))
}

/// As [`sum_ratio`] for `mean(x) = got`, scaled by `mean|x| = sum|x| / n`:
/// `n * (mean - got) = sum(x) - n * got` exactly in double-double.
pub fn mean_ratio<T: TFloat>(x: &[T], got: T) -> Option<f64> {
    if x.is_empty() || !all_finite(x) {
        return None;
    }
    let n = x.len() as f64;
    let x = to64(x);
    let (_, s) = oracle::sum(&x);
    if !fits::<T>(s) {
        return None;
    }
    if !got.finite() {
        return Some(f64::INFINITY);
    }
    let n_got = Dd::from(n).mul(Dd::from(-got.to64()));
    let (diff, _) = oracle::sum_terms(x.iter().map(|&v| Dd::from(v)).chain(once(n_got)));
    Some(ratio(diff.abs() / n, T::U * s / n))
}

/// `|got - dot(a, b)| / (u * sum|a_i b_i|)`.
pub fn dot_ratio<T: TFloat>(a: &[T], b: &[T], got: T) -> Option<f64> {
    if !all_finite(a) || !all_finite(b) {
        return None;
    }
    let (a, b) = (to64(a), to64(b));
    let (_, s) = oracle::dot(&a, &b);
    if !fits::<T>(s) {
        return None;
    }
    if !got.finite() {
        return Some(f64::INFINITY);
    }
    // dot(a ++ [-got], b ++ [1]) = exact - got, computed by the oracle.
    let mut a1 = a;
    let mut b1 = b;
    a1.push(-got.to64());
    b1.push(1.0);
    let (diff, _) = oracle::dot(&a1, &b1);
    Some(ratio(diff.abs(), T::U * s))
}

/// `|got - sse| / (u * sse)`, or for `mse` (`mean = true`) the same relative
/// error of `got` against `sse / n`.
pub fn sq_err_ratio<T: TFloat>(t: &[T], p: &[T], got: T, mean: bool) -> Option<f64> {
    if !all_finite(t) || !all_finite(p) || (mean && t.is_empty()) {
        return None;
    }
    let (t, p) = (to64(t), to64(p));
    let (_, s) = oracle::sse(&t, &p);
    if !fits::<T>(s) {
        return None;
    }
    if !got.finite() {
        return Some(f64::INFINITY);
    }
    let n = if mean { t.len() as f64 } else { 1.0 };
    // The oracle's squares, as it forms them (exact differences, squares in
    // double-double), minus n * got.
    let terms = t.iter().zip(&p).map(|(&a, &b)| {
        let d = Dd::from(a).sub(Dd::from(b));
        d.mul(d)
    });
    let n_got = Dd::from(n).mul(Dd::from(-got.to64()));
    let (diff, _) = oracle::sum_terms(terms.chain(once(n_got)));
    Some(ratio(diff.abs() / n, T::U * s / n))
}

/// The exact statistics of `x` from the oracle: `(mean, var, std)` with
/// `var = M2 / (n - ddof)`.
pub fn exact_moments<T: TFloat>(x: &[T], ddof: usize) -> (f64, f64, f64) {
    let (mean, m2, _) = oracle::moments(&to64(x));
    let var = m2 / (x.len() - ddof) as f64;
    (mean, var, var.sqrt())
}

/// The variance bound applies barring overflow: every squared deviation and
/// their sum stay finite in `T` (`(2 sum|x|)^2 <= MAX` suffices).
fn moments_fit<T: TFloat>(x: &[T], var: f64, mean: f64) -> bool {
    let (_, abs) = oracle::sum(&to64(x));
    var.is_finite() && mean.is_finite() && fits::<T>((2.0 * abs) * (2.0 * abs))
}

/// The scale of the documented variance bound: `var + |mean| * sigma * n / (n - ddof)`
/// with `sigma = sqrt(M2 / n)` the population std (`bounds::VARIANCE_F32`):
/// the bound is on `M2 = sum((x - mean)^2)`, `C u (M2 + n |mean| sigma)`,
/// divided by `n - ddof`.
pub fn variance_scale(n: usize, ddof: usize, mean: f64, var: f64) -> f64 {
    let d = (n - ddof) as f64;
    let sigma = (var * d / n as f64).sqrt();
    var + mean.abs() * sigma * n as f64 / d
}

/// `|got - var| / (u * variance_scale)`, exact values from
/// `oracle::moments` (its `M2` is rounded once to f64: at most `2^-53 var`,
/// a negligible part of the bound).
pub fn variance_ratio<T: TFloat>(x: &[T], ddof: usize, got: T) -> Option<f64> {
    if x.len() <= ddof || !all_finite(x) {
        return None;
    }
    let (mean, var, _) = exact_moments(x, ddof);
    if !moments_fit(x, var, mean) {
        return None;
    }
    if !got.finite() {
        return Some(f64::INFINITY);
    }
    // Less the underflow allowance (`variance_underflow`, a few smallest
    // subnormals: nothing for data whose squared deviations are normal).
    // Constant data (`var == 0`) must give exactly 0: no allowance there.
    let allow = if var > 0.0 {
        variance_underflow::<T>(x.len(), ddof)
    } else {
        0.0
    };
    Some(ratio(
        ((got.to64() - var).abs() - allow).max(0.0),
        T::U * variance_scale(x.len(), ddof, mean, var),
    ))
}

/// The absolute allowance for underflow ("barring underflow" in
/// `numkern::bounds` and the README; `std_dev`'s docs give its root): where
/// squared deviations fall below `MIN_POSITIVE`, each rounds to a subnormal
/// with an absolute error of up to `ETA / 2`, which no relative bound
/// covers; `(n + 2) / (n - ddof) ETA + ETA` in all, as the fuzz checks
/// allow: 2 to 4 `ETA` for `ddof = 0`, nothing for data whose squared
/// deviations are normal numbers.
pub fn variance_underflow<T: TFloat>(n: usize, ddof: usize) -> f64 {
    (n as f64 + 2.0) / (n - ddof) as f64 * T::ETA + T::ETA
}

/// `std_dev`'s documented bound, `C_STD u S` with
/// `S = variance_scale / std` (`bounds::STD_DEV_F32`, whose docs derive it
/// from the variance bound: the kernel takes `sqrt` of its f64 variance
/// `v'`, `|v' - var| <= e_v = C_VAR u variance_scale`, and
/// `|sqrt(v') - std| = |v' - var| / (sqrt(v') + std) <= e_v / std`; the
/// root's two roundings add at most `2u (std + e_v / std)`, within the
/// constant's margin), plus what the variance's underflow allowance `a`
/// moves the root by, `min(sqrt(a), a / std)`, and `ETA` (`std_dev`'s docs
/// give `sqrt(a)`: about `6.5e-23` for `f32`, `3.8e-162` for `f64`). When
/// `std == 0` (constant data) `got` must be exactly 0.
pub fn check_std_dev<T: TFloat>(x: &[T], ddof: usize, got: T) -> Result<(), String> {
    if x.len() <= ddof || !all_finite(x) {
        return Ok(());
    }
    let (mean, var, std) = exact_moments(x, ddof);
    if !moments_fit(x, var, mean) {
        return Ok(());
    }
    let tol = if std == 0.0 {
        0.0
    } else {
        let a = variance_underflow::<T>(x.len(), ddof);
        T::C_STD * T::U * variance_scale(x.len(), ddof, mean, var) / std
            + a.sqrt().min(a / std)
            + T::ETA
    };
    let err = (got.to64() - std).abs();
    if err <= tol {
        Ok(())
    } else {
        Err(format!(
            "std_dev {} (n = {}, ddof = {ddof}): got {got:?}, exact {std:e}, error {err:e} > bound {tol:e}",
            T::NAME,
            x.len()
        ))
    }
}

fn check_ratio(
    what: &str,
    n: usize,
    r: Option<f64>,
    c: f64,
    detail: impl FnOnce() -> String,
) -> Result<(), String> {
    match r {
        Some(r) if r > c || r.is_nan() => Err(format!(
            "{what} (n = {n}): error is {r} u S, documented bound {c} u S; {}",
            detail()
        )),
        _ => Ok(()),
    }
}

pub fn check_sum<T: TFloat>(x: &[T], got: T) -> Result<(), String> {
    check_ratio(
        &format!("sum {}", T::NAME),
        x.len(),
        sum_ratio(x, got),
        T::C_SUM,
        || format!("got {got:?}, exact {:e}", oracle::sum(&to64(x)).0),
    )
}

pub fn check_mean<T: TFloat>(x: &[T], got: T) -> Result<(), String> {
    check_ratio(
        &format!("mean {}", T::NAME),
        x.len(),
        mean_ratio(x, got),
        T::C_SUM,
        || {
            format!(
                "got {got:?}, exact {:e}",
                oracle::sum(&to64(x)).0 / x.len() as f64
            )
        },
    )
}

pub fn check_dot<T: TFloat>(a: &[T], b: &[T], got: T) -> Result<(), String> {
    check_ratio(
        &format!("dot {}", T::NAME),
        a.len(),
        dot_ratio(a, b, got),
        T::C_DOT,
        || format!("got {got:?}, exact {:e}", oracle::dot(&to64(a), &to64(b)).0),
    )
}

pub fn check_sse<T: TFloat>(t: &[T], p: &[T], got: T) -> Result<(), String> {
    check_ratio(
        &format!("sse {}", T::NAME),
        t.len(),
        sq_err_ratio(t, p, got, false),
        T::C_SQ_ERR,
        || format!("got {got:?}, exact {:e}", oracle::sse(&to64(t), &to64(p)).0),
    )
}

pub fn check_mse<T: TFloat>(t: &[T], p: &[T], got: T) -> Result<(), String> {
    check_ratio(
        &format!("mse {}", T::NAME),
        t.len(),
        sq_err_ratio(t, p, got, true),
        T::C_SQ_ERR,
        || {
            format!(
                "got {got:?}, exact {:e}",
                oracle::sse(&to64(t), &to64(p)).0 / t.len() as f64
            )
        },
    )
}

pub fn check_variance<T: TFloat>(x: &[T], ddof: usize, got: T) -> Result<(), String> {
    check_ratio(
        &format!("variance {} ddof {ddof}", T::NAME),
        x.len(),
        variance_ratio(x, ddof, got),
        T::C_VAR,
        || {
            let (m, v, s) = exact_moments(x, ddof);
            format!("got {got:?}, exact var {v:e} (mean {m:e}, std {s:e})")
        },
    )
}

/// Ulps of `got = ln(x)` from the exact value, `None` unless `x` is finite
/// and > 0.
pub fn ln_ulps<T: TFloat>(x: T, got: T) -> Option<f64> {
    let xv = x.to64();
    if !(xv.is_finite() && xv > 0.0) {
        return None;
    }
    Some(oracle::ulps(got.to64(), oracle::ln(xv), T::IS_F32))
}

pub fn check_ln<T: TFloat>(x: &[T], got: &[T]) -> Result<(), String> {
    for (i, (&xi, &gi)) in x.iter().zip(got).enumerate() {
        if let Some(u) = ln_ulps(xi, gi) {
            if u > T::LN_ULP || u.is_nan() {
                return Err(format!(
                    "ln {} of {xi:?} (bits {:#x}, element {i}): got {gi:?}, exact {:e}, {u} ulp > {}",
                    T::NAME,
                    xi.bits(),
                    oracle::ln(xi.to64()).value(),
                    T::LN_ULP
                ));
            }
        }
    }
    Ok(())
}

/// Checks a standardised matrix against the oracle.
///
/// Tolerance derivation. For a column with exact mean `m`, std `s` (ddof 0)
/// and `z = (x - m) / s`, the kernel uses a mean `m'` of `mean` quality,
/// `|m' - m| <= e_m = MOMENTS_MEAN u (s + |m|)` (`bounds::MOMENTS_MEAN`), and a std `s' = s (1 + eps)` of
/// `std_dev` quality, `|eps| <= rho = C_STD u (s + |m|) / s` (see
/// [`check_std_dev`], `ddof = 0`); then it rounds `x - m'` and the quotient once
/// each: `got = (x - m')(1 + d) / s'` with `|d| <= 2u + u^2`. Hence
/// `got - z = ((x - m)(d - eps) + (m - m')(1 + d)) / (s (1 + eps))` and
/// `|got - z| <= (|z| (2u + u^2 + rho) + (e_m / s)(1 + 2u + u^2)) / (1 - rho)`.
/// A zero-variance column must be exactly 0.0 (its variance bound is 0).
/// Columns with NaN or infinities, whose moments could overflow, or with
/// `rho >= 1` (no precision promised) are not checked; the count of those
/// that are is returned, for callers to show the check was not vacuous.
pub fn check_standardized<T: TFloat>(orig: &[T], cols: usize, got: &[T]) -> Result<usize, String> {
    let rows = orig.len() / cols;
    let mut checked = 0;
    for c in 0..cols {
        let col: Vec<T> = orig.iter().skip(c).step_by(cols).copied().collect();
        let out: Vec<T> = got.iter().skip(c).step_by(cols).copied().collect();
        if !all_finite(&col) {
            continue;
        }
        let x = to64(&col);
        let (m, m2, _) = oracle::moments(&x);
        let var = m2 / rows as f64;
        let s = var.sqrt();
        if !moments_fit(&col, var, m) {
            continue;
        }
        if var == 0.0 {
            if let Some((r, v)) = out.iter().enumerate().find(|(_, v)| v.bits() != 0) {
                return Err(format!(
                    "standardize {}: column {c} of {cols} ({rows} rows) has zero variance but row {r} is {v:?}, not 0.0",
                    T::NAME
                ));
            }
            checked += 1;
            continue;
        }
        let u = T::U;
        let e_m = bounds::MOMENTS_MEAN * u * (s + m.abs());
        let rho = T::C_STD * u * (s + m.abs()) / s;
        if rho >= 1.0 {
            continue; // no precision is promised for such a column
        }
        for (r, (&xi, &gi)) in x.iter().zip(&out).enumerate() {
            let z = (xi - m) / s;
            let tol = (z.abs() * (2.0 * u + u * u + rho) + (e_m / s) * (1.0 + 2.0 * u + u * u))
                / (1.0 - rho);
            let err = (gi.to64() - z).abs();
            if err > tol || gi.nan() {
                return Err(format!(
                    "standardize {}: column {c} of {cols} ({rows} rows), row {r}: x = {xi:e}, got {gi:?}, exact {z:e}, error {err:e} > tolerance {tol:e} (mean {m:e}, std {s:e})",
                    T::NAME
                ));
            }
        }
        checked += 1;
    }
    Ok(checked)
}
