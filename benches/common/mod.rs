//! Shared by `benches/kernels.rs` and `benches/peers.rs`: sizes, input data,
//! the element-type trait the plain loops need, the timing policy, and the
//! roof kernels ([`roof`], over the bytes of a slice: [`bytes`],
//! [`bytes_mut`]).
//!
//! (A folder module, so cargo does not take it for a bench target of its own.)

#![allow(dead_code)] // each bench uses a different part of this module

use std::cell::OnceCell;
use std::iter::Sum;
use std::time::Duration;

use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, SamplingMode, Throughput};
use numkern_kernels::Element;

pub mod roof;

/// The sizes every vector kernel runs at (elements): L1, L2, L3 and DRAM.
pub const SIZES: [usize; 6] = [16, 256, 4 << 10, 64 << 10, 1 << 20, 16 << 20];

/// The matrix jobs' shape (the seed walk-through's feature matrix).
pub const ROWS: usize = 100_000;
pub const COLS: usize = 32;

/// A second `matvec` shape, of long rows: longer than one accumulator round
/// (64 `f32`, 32 `f64`), so that each row is a `dot` of its own
/// ([`numkern_kernels::dot::matvec`]), and than 256 `f32` / 128 `f64`,
/// past which `avx2` reads a `dot` of two slices at different offsets in
/// the first one's load form (more than 2 KiB read); and of an odd length,
/// so that the rows start at every offset, and with `w` at [`misalign_b`]
/// take every load form. 64 rows: 250 KiB of `f32`, 500 KiB of `f64`.
pub const LONG_ROWS: usize = 64;
pub const LONG_COLS: usize = 1001;

/// `f32` / `f64` with what the plain loops and the data generators need.
pub trait F: numkern::Float + Element + bytemuck::Pod + Sum {
    /// `f32` or `f64`, as in the benchmark ids.
    const NAME: &'static str;
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
}

impl F for f32 {
    const NAME: &'static str = "f32";
    #[inline(always)]
    fn ln(self) -> f32 {
        f32::ln(self)
    }
    #[inline(always)]
    fn sqrt(self) -> f32 {
        f32::sqrt(self)
    }
}

impl F for f64 {
    const NAME: &'static str = "f64";
    #[inline(always)]
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    #[inline(always)]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
}

/// SplitMix64: a tiny deterministic generator (no `rand` dependency).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}

/// `n` values uniform in `[-1, 1)` (the reductions' input).
pub fn uniform<T: F>(n: usize, seed: u64) -> Vec<T> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| T::from_f64(r.uniform(-1.0, 1.0))).collect()
}

/// `n` positive values, log-uniform in `[e^-10, e^10]` (the input of `ln`).
pub fn positive<T: F>(n: usize, seed: u64) -> Vec<T> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|_| T::from_f64(r.uniform(-10.0, 10.0).exp()))
        .collect()
}

/// A row-major `ROWS x COLS` matrix whose columns have different centres and
/// spreads (column `c`: uniform in `c + [-(c+1), c+1)`), so no column is
/// constant and standardising it does real work.
pub fn matrix<T: F>(seed: u64) -> Vec<T> {
    let mut r = Rng::new(seed);
    let mut x = Vec::with_capacity(ROWS * COLS);
    for _ in 0..ROWS {
        for c in 0..COLS {
            let s = (c + 1) as f64;
            x.push(T::from_f64(c as f64 + s * r.uniform(-1.0, 1.0)));
        }
    }
    x
}

/// The matrix `matvec` and `standardize_columns` are timed on ([`matrix`],
/// seed 7), placed like every other input ([`Aligned`]).
pub fn bench_matrix<T: F>() -> Aligned<T> {
    Aligned::new(matrix::<T>(7))
}

/// The vector `matvec` multiplies [`bench_matrix`] by (`COLS` elements).
pub fn bench_weights<T: F>() -> Vec<T> {
    uniform(COLS, 11)
}

/// The long-row matrix ([`LONG_ROWS`] x [`LONG_COLS`], uniform in
/// `[-1, 1)`) at [`misalign`], and its `w` at [`misalign_b`].
pub fn long_rows<T: F>() -> (Aligned<T>, Aligned<T>) {
    (
        Aligned::new(uniform(LONG_ROWS * LONG_COLS, 13)),
        Aligned::at(uniform(LONG_COLS, 17), misalign_b()),
    )
}

/// One size's inputs, made on first use (a filtered-out size allocates
/// nothing) and shared by every kernel and implementation at that size. Each
/// starts on a 64-byte boundary ([`Aligned`]).
///
/// Where an input starts changes what the load ports deliver: on this
/// machine (Zen 3), 32-byte loads that cross a 64-byte line cost two, so
/// from L1 the load-only roof streams `f32` at about 55 elements/ns from a
/// 64-byte boundary but about 36 from 16 bytes past one (every other load
/// crosses a line). The allocator decides that for a plain `Vec` (glibc
/// gives 16-byte alignment; blocks it maps from the system start 16 bytes
/// past a page, others anywhere on a 16-byte boundary), so without this the roof, and every ratio to it, changed between
/// runs with nothing else changed. `NUMKERN_BENCH_MISALIGN=16` measures the
/// misaligned case instead.
pub struct Data<T> {
    pub n: usize,
    a: OnceCell<Aligned<T>>,
    b: OnceCell<Aligned<T>>,
    pos: OnceCell<Aligned<T>>,
}

/// A copy of some values starting at a 64-byte boundary plus
/// [`misalign`] bytes (inputs, and the benches' output buffers), or plus
/// the offset given ([`Aligned::at`]).
pub struct Aligned<T> {
    buf: Vec<T>,
    start: usize,
    n: usize,
}

/// Where inputs start relative to a 64-byte boundary, in bytes:
/// `NUMKERN_BENCH_MISALIGN` (0 to 63), 0 if unset. Any other value stops
/// the benchmark; element types it is not a multiple of the size of are
/// skipped ([`placeable`]).
pub fn misalign() -> usize {
    offset_var("NUMKERN_BENCH_MISALIGN").unwrap_or(0)
}

/// Where the second input of the kernels of two slices (`dot`, `sse`,
/// `mse`: [`Data::b`]) starts: `NUMKERN_BENCH_MISALIGN_B` (0 to 63), or
/// [`misalign`] if unset. So `NUMKERN_BENCH_MISALIGN=8
/// NUMKERN_BENCH_MISALIGN_B=16` times slices at different offsets.
pub fn misalign_b() -> usize {
    offset_var("NUMKERN_BENCH_MISALIGN_B").unwrap_or_else(misalign)
}

fn offset_var(name: &str) -> Option<usize> {
    let s = std::env::var(name).ok()?;
    match s.parse::<usize>() {
        Ok(m) if m < 64 => Some(m),
        _ => panic!("{name}={s:?}: expected 0 to 63"),
    }
}

/// Whether [`misalign`] and [`misalign_b`] can place `T`'s inputs: both
/// multiples of its size. Where they cannot, the benches skip that element
/// type and say so here (on stderr), so that `NUMKERN_BENCH_MISALIGN=4`
/// (or 12, 20, 28, ...) times the `f32` benchmarks alone.
pub fn placeable<T: F>() -> bool {
    let (m, mb, size) = (misalign(), misalign_b(), core::mem::size_of::<T>());
    let ok = m % size == 0 && mb % size == 0;
    if !ok {
        eprintln!(
            "{} benchmarks skipped: NUMKERN_BENCH_MISALIGN={m} (_B={mb}) is not a multiple of \
             its {size} bytes",
            T::NAME
        );
    }
    ok
}

impl<T: F> Aligned<T> {
    pub fn new(v: Vec<T>) -> Aligned<T> {
        Aligned::at(v, misalign())
    }
    /// A copy of `v` starting `off` bytes past a 64-byte boundary.
    pub fn at(v: Vec<T>, off: usize) -> Aligned<T> {
        let size = core::mem::size_of::<T>();
        let n = v.len();
        let mut buf = Vec::with_capacity(n + 128 / size);
        let addr = buf.as_ptr() as usize;
        let want = (64 - addr % 64 + off) % 64;
        assert_eq!(
            want % size,
            0,
            "NUMKERN_BENCH_MISALIGN(_B) must be a multiple of the element size"
        );
        let start = want / size;
        buf.resize(start, T::ZERO);
        buf.extend_from_slice(&v);
        Aligned { buf, start, n }
    }
    /// `n` zeros (an output buffer).
    pub fn zeros(n: usize) -> Aligned<T> {
        Aligned::new(vec![T::ZERO; n])
    }
    /// A copy of `x`.
    pub fn copy_of(x: &[T]) -> Aligned<T> {
        let mut a = Aligned::zeros(x.len());
        a.as_mut_slice().copy_from_slice(x);
        a
    }
    pub fn as_slice(&self) -> &[T] {
        &self.buf[self.start..self.start + self.n]
    }
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.buf[self.start..self.start + self.n]
    }
}

impl<T: F> Data<T> {
    pub fn new(n: usize) -> Data<T> {
        Data {
            n,
            a: OnceCell::new(),
            b: OnceCell::new(),
            pos: OnceCell::new(),
        }
    }
    /// Uniform in `[-1, 1)`.
    pub fn a(&self) -> &[T] {
        self.a
            .get_or_init(|| Aligned::new(uniform(self.n, 1 + self.n as u64)))
            .as_slice()
    }
    /// Uniform in `[-1, 1)`, independent of `a`; at [`misalign_b`].
    pub fn b(&self) -> &[T] {
        self.b
            .get_or_init(|| Aligned::at(uniform(self.n, 2 + 3 * self.n as u64), misalign_b()))
            .as_slice()
    }
    /// Positive, for `ln`.
    pub fn pos(&self) -> &[T] {
        self.pos
            .get_or_init(|| Aligned::new(positive(self.n, 3 + 5 * self.n as u64)))
            .as_slice()
    }
}

/// Which timing knobs the command line set; those the groups leave alone,
/// so `-- --warm-up-time 0.01 --measurement-time 0.05` makes a smoke run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Overrides {
    warm_up: bool,
    measurement: bool,
    samples: bool,
}

impl Overrides {
    pub fn from_args() -> Overrides {
        let mut o = Overrides::default();
        for a in std::env::args() {
            let a = a.split('=').next().unwrap_or_default();
            match a {
                "--warm-up-time" => o.warm_up = true,
                "--measurement-time" => o.measurement = true,
                "--sample-size" => o.samples = true,
                "--quick" => {
                    o.samples = true;
                    o.measurement = true;
                }
                _ => {}
            }
        }
        o
    }
}

/// The timing policy, by the number of elements one call touches: 10
/// samples, 100 ms warm-up and 300 ms measurement up to 64 Ki; from 1 Mi on,
/// flat sampling (10 samples of a fixed iteration count: criterion's minimum
/// sample count, and about 10 iterations for a slow kernel instead of the 55
/// linear sampling needs) and, from 16 Mi on, 200 ms / 500 ms so DRAM is
/// warmed up. The whole `cargo bench --bench kernels` then takes about five
/// minutes on two cores.
pub fn configure<M: Measurement>(g: &mut BenchmarkGroup<'_, M>, elements: usize, o: Overrides) {
    let (warm, meas, mode) = if elements <= 64 << 10 {
        (100, 300, SamplingMode::Auto)
    } else if elements < 16 << 20 {
        (100, 300, SamplingMode::Flat)
    } else {
        (200, 500, SamplingMode::Flat)
    };
    if !o.samples {
        g.sample_size(10);
    }
    if !o.warm_up {
        g.warm_up_time(Duration::from_millis(warm));
    }
    if !o.measurement {
        g.measurement_time(Duration::from_millis(meas));
    }
    g.sampling_mode(mode);
}

/// How many times each element's bytes cross the load/store ports in one
/// call, in the ideal single-pass algorithm: one input stream (`sum`), two
/// (`dot`, or `ln`: read `x`, write `out`), three for `standardize_columns`
/// (a pass for the moments, then read and write). Also in
/// `examples/bench_summary.rs` (GB/s column).
pub fn streams(kernel: &str) -> usize {
    match kernel {
        "dot" | "sse" | "mse" | "ln" | "ln_in_place" => 2,
        "standardize_columns" => 3,
        _ => 1,
    }
}

/// Elements and bytes of one call, for criterion's throughput.
pub fn throughput<T>(kernel: &str, elements: usize) -> Throughput {
    Throughput::ElementsAndBytes {
        elements: elements as u64,
        bytes: (elements * streams(kernel) * size_of::<T>()) as u64,
    }
}

/// The number of in-place calls per timed batch (each on a fresh copy of the
/// input, made untimed): enough that the clock's overhead vanishes, few
/// enough that the batch's copies stay in L2.
pub fn batch_for(n: usize) -> u64 {
    (32usize << 10).checked_div(n).unwrap_or(1).max(1) as u64
}

/// Where criterion writes (`target/criterion`), and so where our side files go.
pub fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(Into::into)
        .unwrap_or_else(|| "target".into())
}

/// The bytes of `x`, for the roof kernels ([`roof`]).
pub fn bytes<T: F>(x: &[T]) -> &[u8] {
    bytemuck::cast_slice(x)
}

/// The bytes of `x`, writable.
pub fn bytes_mut<T: F>(x: &mut [T]) -> &mut [u8] {
    bytemuck::cast_slice_mut(x)
}
