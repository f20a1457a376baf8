//! numkern's peers (issues 3 and 5), in a package of their own
//! (`benches/peers/`, outside the workspace) so they never slow `cargo test`:
//! ndarray's `sum`/`mean`/`var`/`std`/`dot` (on `ArrayView1`s of the shared
//! inputs), NumKong's (the SimSIMD successor) `dot`, and `wide`'s
//! `f32x8::ln` / `f64x4::ln`, for `f32` and `f64`, at the sizes and with the
//! inputs of `benches/kernels.rs` (each on a 64-byte boundary).
//!
//! Ids follow `benches/kernels.rs`: `<kernel>/<dtype>/<peer>/<size>`, e.g.
//! `dot/f32/ndarray/4096`, `dot/f32/numkong/4096`, `variance/f64/ndarray/16`
//! (ndarray's `var(0.0)`), `ln/f32/wide/4096`, so `examples/bench_summary.rs`
//! finds them beside ours.
//!
//! Each group of `sum`, `mean`, `variance`, `std_dev` and `dot` also times
//! numkern's free function (`<kernel>/<dtype>/numkern/<size>`) just before
//! the peers, on the same inputs. The summary's ratios to ndarray and NumKong
//! use that time, not the one from `benches/kernels.rs`, which was taken
//! minutes earlier: from DRAM (16 Mi) this VM's bandwidth moves by tens of
//! percent between runs, so a ratio of two steps measured that drift as much
//! as the code.
//!
//! It moves within seconds too: in one run, numkern's `sum` and `mean` of
//! `f32` at 16 Mi (the same loop) took 2.57 and 1.91 ms. So at 1 Mi and
//! 16 Mi the ratios of `sum`, `mean` and `dot` to ndarray and of `dot` to
//! NumKong are also measured in pairs ([`paired`]): numkern's call and the
//! peer's, timed one after the other, [`PAIRED_ROUNDS`] times (the first of
//! the two alternates), and the median of the per-round ratios kept, with
//! its quartiles. So are, against the roof (`benches/common/roof.rs`, the
//! one `benches/kernels.rs` times; peer `roof`), `sum`, `dot` and
//! `variance` at those sizes and `matvec` on the benchmarks' matrix: from L3
//! and DRAM their unpaired ratios to the roof moved by up to a quarter
//! within and between runs. They go to `target/peers-paired.tsv`, or to the
//! file named by `NUMKERN_PAIRED_OUT` (empty: not measured), each line with
//! the backend numkern's free functions used; the summary uses them for
//! those cells. With `NUMKERN_PAIRED_ONLY` set (to any value), only the
//! accuracy and the paired ratios are measured (about 11 s here), no
//! criterion benchmark.
//!
//! `ln/<dtype>/wide/<n>` computes `out[i] = ln(x[i])` over `Data::pos()` (the
//! input of numkern's `ln`) into an output buffer, like numkern's out-of-place
//! `ln`: `f32x8::ln` / `f64x4::ln` on every full chunk of 8 / 4, the scalar
//! `ln` on the tail.
//!
//! `benches/run-all.sh` runs this package as a baseline build (ndarray and
//! NumKong compared like for like with numkern), then reruns only `/wide/`
//! built with `-C target-cpu=native` in its own target directory: issue 5
//! compares numkern's `ln` with `wide` built that way (`wide` picks its SIMD
//! at compile time; without the flag `f32x8` is two SSE halves).
//!
//! Before timing, it prints (stderr) and writes to `target/peers-accuracy.md`
//! how far each dot product is from the exact value on a fixed ill-conditioned
//! input, numkern's and the plain loop's beside the peers', and the largest
//! error in ulps of numkern's, `wide`'s and the `f32::ln` / `f64::ln` loop's
//! `ln` over 10^5 inputs spread over every binade (subnormals counted apart).
//!
//! ```text
//! cd benches/peers && CARGO_TARGET_DIR=../../target cargo bench
//! cd benches/peers && CARGO_TARGET_DIR=../../target cargo bench -- --warm-up-time 0.01 --measurement-time 0.05 '/4096$'
//! cd benches/peers && CARGO_TARGET_DIR=../../target NUMKERN_PAIRED_ONLY=1 cargo bench
//! ```
//!
//! NumKong notes: its `f32::dot` returns an `f64` (it accumulates in `f64`);
//! its kernels are C, chosen at run time from what the CPU offers (printed
//! below). We do not call `numkong::configure_thread()`: it may change the
//! thread's floating-point state (flush-to-zero), which numkern never does.

mod common;

use std::fmt::Write as _;
use std::hint::black_box as bb;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ndarray::ArrayView1;
use numkern_kernels::oracle;
use wide::{f32x8, f64x4};

use common::{
    bytes, configure, roof, throughput, Aligned, Data, Overrides, Rng, COLS, F, ROWS, SIZES,
};

/// The peers' entry points for one element type (ndarray's need
/// `num_traits` bounds our `F` does not carry, so each type spells them out).
trait Peer: F {
    fn nd_sum(x: &ArrayView1<'_, Self>) -> Self;
    fn nd_mean(x: &ArrayView1<'_, Self>) -> Option<Self>;
    fn nd_var(x: &ArrayView1<'_, Self>) -> Self;
    fn nd_std(x: &ArrayView1<'_, Self>) -> Self;
    fn nd_dot(x: &ArrayView1<'_, Self>, y: &ArrayView1<'_, Self>) -> Self;
    /// NumKong's dot, as an `f64` (its `f32` dot returns one).
    fn nk_dot(x: &[Self], y: &[Self]) -> Option<f64>;
    /// `out[i] = ln(x[i])` with `wide`: its vector `ln` on every full chunk
    /// of lanes, the scalar `ln` on the tail.
    fn wide_ln(x: &[Self], out: &mut [Self]);
    /// The bit pattern of the largest finite value, as a `u64`.
    const MAX_BITS: u64;
    /// The value with bit pattern `bits` (below `2^32` for `f32`).
    fn from_raw(bits: u64) -> Self;
    fn subnormal(self) -> bool;
}

macro_rules! peer {
    ($t:ty, $w:ty, $lanes:literal) => {
        impl Peer for $t {
            fn nd_sum(x: &ArrayView1<'_, $t>) -> $t {
                x.sum()
            }
            fn nd_mean(x: &ArrayView1<'_, $t>) -> Option<$t> {
                x.mean()
            }
            fn nd_var(x: &ArrayView1<'_, $t>) -> $t {
                x.var(0.0)
            }
            fn nd_std(x: &ArrayView1<'_, $t>) -> $t {
                x.std(0.0)
            }
            fn nd_dot(x: &ArrayView1<'_, $t>, y: &ArrayView1<'_, $t>) -> $t {
                x.dot(y)
            }
            fn nk_dot(x: &[$t], y: &[$t]) -> Option<f64> {
                <$t as numkong::Dot>::dot(x, y).map(|v| v as f64)
            }
            const MAX_BITS: u64 = <$t>::MAX.to_bits() as u64;
            fn from_raw(bits: u64) -> $t {
                <$t>::from_bits(bits as _)
            }
            fn subnormal(self) -> bool {
                self.is_subnormal()
            }
            fn wide_ln(x: &[$t], out: &mut [$t]) {
                assert_eq!(x.len(), out.len(), "wide_ln: lengths differ");
                let mut xs = x.chunks_exact($lanes);
                let mut os = out.chunks_exact_mut($lanes);
                for (xc, oc) in (&mut xs).zip(&mut os) {
                    let v = <$w>::new(xc.try_into().expect("a full chunk"));
                    oc.copy_from_slice(&v.ln().to_array());
                }
                for (&v, o) in xs.remainder().iter().zip(os.into_remainder()) {
                    *o = v.ln();
                }
            }
        }
    };
}
peer!(f32, f32x8, 8);
peer!(f64, f64x4, 4);

/// An ndarray reduction of one array.
type Reduction<T> = fn(&ArrayView1<'_, T>) -> T;
/// numkern's free function for the same reduction (`None` for an error).
type Ours<T> = fn(&[T]) -> Option<T>;

/// Every peer kernel at every size, for one element type.
fn peers<T: Peer>(c: &mut Criterion, o: Overrides) {
    for n in SIZES {
        let d = Data::<T>::new(n);
        // Views of the same (aligned) inputs as every other implementation's;
        // made on first use, so a filtered-out size allocates nothing.
        let xa = || ArrayView1::from(d.a());
        let ya = || ArrayView1::from(d.b());
        // numkern's side as a function pointer too, so that both pay one
        // indirect call.
        let one: [(&str, Reduction<T>, Ours<T>); 3] = [
            ("sum", T::nd_sum, |x| Some(numkern::sum(x))),
            ("variance", T::nd_var, |x| numkern::variance(x, 0).ok()),
            ("std_dev", T::nd_std, |x| numkern::std_dev(x, 0).ok()),
        ];
        for (kernel, f, ours) in one {
            let mut g = c.benchmark_group(format!("{kernel}/{}", T::NAME));
            configure(&mut g, n, o);
            g.throughput(throughput::<T>(kernel, n));
            g.bench_function(BenchmarkId::new("numkern", n), |b| {
                let x = d.a();
                b.iter(|| ours(bb(x)))
            });
            g.bench_function(BenchmarkId::new("ndarray", n), |b| {
                let x = xa();
                b.iter(|| f(bb(&x)))
            });
            g.finish();
        }

        let mut g = c.benchmark_group(format!("mean/{}", T::NAME));
        configure(&mut g, n, o);
        g.throughput(throughput::<T>("mean", n));
        g.bench_function(BenchmarkId::new("numkern", n), |b| {
            let x = d.a();
            b.iter(|| numkern::mean(bb(x)))
        });
        g.bench_function(BenchmarkId::new("ndarray", n), |b| {
            let x = xa();
            b.iter(|| T::nd_mean(bb(&x)))
        });
        g.finish();

        let mut g = c.benchmark_group(format!("dot/{}", T::NAME));
        configure(&mut g, n, o);
        g.throughput(throughput::<T>("dot", n));
        g.bench_function(BenchmarkId::new("numkern", n), |b| {
            let (x, y) = (d.a(), d.b());
            b.iter(|| numkern::dot(bb(x), bb(y)))
        });
        g.bench_function(BenchmarkId::new("ndarray", n), |b| {
            let (x, y) = (xa(), ya());
            b.iter(|| T::nd_dot(bb(&x), bb(&y)))
        });
        g.bench_function(BenchmarkId::new("numkong", n), |b| {
            let (x, y) = (d.a(), d.b());
            b.iter(|| T::nk_dot(bb(x), bb(y)))
        });
        g.finish();

        let mut g = c.benchmark_group(format!("ln/{}", T::NAME));
        configure(&mut g, n, o);
        g.throughput(throughput::<T>("ln", n));
        g.bench_function(BenchmarkId::new("wide", n), |b| {
            let x = d.pos();
            let mut out = Aligned::<T>::zeros(n);
            let out = out.as_mut_slice();
            b.iter(|| T::wide_ln(bb(x), bb(&mut *out)))
        });
        g.finish();
    }
}

/// Sizes at which [`paired`] measures (L3 and DRAM).
const PAIRED_SIZES: [usize; 2] = [1 << 20, 16 << 20];
/// Rounds of [`paired_ratio`]: each times numkern's call and the peer's once.
const PAIRED_ROUNDS: usize = 61;

/// Speed ratio, numkern ÷ peer (the peer's time over numkern's), of one
/// round each of `ours` and `theirs`, timed one right after the other, the
/// first of the two alternating; after three untimed rounds, over
/// [`PAIRED_ROUNDS`] rounds: the lower quartile, the median, the upper
/// quartile.
fn paired_ratio<A, B>(mut ours: impl FnMut() -> A, mut theirs: impl FnMut() -> B) -> [f64; 3] {
    fn time<R>(f: &mut impl FnMut() -> R) -> f64 {
        let t = Instant::now();
        bb(f());
        t.elapsed().as_secs_f64()
    }
    for _ in 0..3 {
        bb(ours());
        bb(theirs());
    }
    let mut r: Vec<f64> = (0..PAIRED_ROUNDS)
        .map(|i| {
            if i % 2 == 0 {
                let a = time(&mut ours);
                time(&mut theirs) / a
            } else {
                let b = time(&mut theirs);
                b / time(&mut ours)
            }
        })
        .collect();
    r.sort_by(f64::total_cmp);
    let at = |q: usize| r[(PAIRED_ROUNDS - 1) * q / 4];
    [at(1), at(2), at(3)]
}

/// The paired ratios (module docs) for one element type, as lines of
/// [`paired_line`].
fn paired<T: Peer>(tsv: &mut String) {
    for n in PAIRED_SIZES {
        let d = Data::<T>::new(n);
        let (x, y) = (d.a(), d.b());
        let (xa, ya) = (ArrayView1::from(x), ArrayView1::from(y));
        let rows = [
            (
                "sum",
                "ndarray",
                paired_ratio(|| numkern::sum(bb(x)), || T::nd_sum(bb(&xa))),
            ),
            (
                "mean",
                "ndarray",
                paired_ratio(|| numkern::mean(bb(x)), || T::nd_mean(bb(&xa))),
            ),
            (
                "dot",
                "ndarray",
                paired_ratio(
                    || numkern::dot(bb(x), bb(y)),
                    || T::nd_dot(bb(&xa), bb(&ya)),
                ),
            ),
            (
                "dot",
                "numkong",
                paired_ratio(|| numkern::dot(bb(x), bb(y)), || T::nk_dot(bb(x), bb(y))),
            ),
            (
                "sum",
                "roof",
                paired_ratio(|| numkern::sum(bb(x)), || roof::load1(bb(bytes(x)))),
            ),
            (
                "dot",
                "roof",
                paired_ratio(
                    || numkern::dot(bb(x), bb(y)),
                    || roof::load2(bb(bytes(x)), bb(bytes(y))),
                ),
            ),
            (
                "variance",
                "roof",
                paired_ratio(
                    || numkern::variance(bb(x), 0),
                    || roof::load1(bb(bytes(x))),
                ),
            ),
        ];
        for (kernel, peer, ratio) in rows {
            paired_line(tsv, kernel, T::NAME, peer, &n.to_string(), ratio);
        }
    }
    // `matvec` on the benchmarks' matrix against the roof that streams it.
    let x = common::bench_matrix::<T>();
    let x = x.as_slice();
    let w: Vec<T> = common::bench_weights();
    let mut out = Aligned::<T>::zeros(ROWS);
    let out = out.as_mut_slice();
    let ratio = paired_ratio(
        || numkern::matvec(bb(x), COLS, bb(&w), bb(&mut *out)),
        || roof::load1(bb(bytes(x))),
    );
    paired_line(tsv, "matvec", T::NAME, "roof", &format!("{ROWS}x{COLS}"), ratio);
}

/// One line of the paired ratios' file: `kernel, dtype, peer, size, median,
/// lower quartile, upper quartile, rounds, backend` (the one numkern's free
/// functions used), tab-separated.
fn paired_line(tsv: &mut String, kernel: &str, dtype: &str, peer: &str, size: &str, r: [f64; 3]) {
    let [q1, median, q3] = r;
    let backend = numkern::backend().name();
    let _ = writeln!(
        tsv,
        "{kernel}\t{dtype}\t{peer}\t{size}\t{median:.4}\t{q1:.4}\t{q3:.4}\t{PAIRED_ROUNDS}\t{backend}"
    );
}

/// A fixed ill-conditioned dot product of length `n` (even): random pairs
/// spread over `2^spread` in magnitude, each repeated with `y` negated and
/// nudged by a relative `2^-nudge`, so the products cancel to a small
/// remainder; then the pairs are shuffled (with a fixed seed) so no layout
/// sees the cancelling partners side by side.
fn ill_conditioned<T: F>(n: usize, spread: i32, nudge: i32, seed: u64) -> (Vec<T>, Vec<T>) {
    let mut r = Rng::new(seed);
    let half = n / 2;
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for _ in 0..half {
        let ex = (r.unit() * spread as f64) as i32 - spread / 2;
        let ey = (r.unit() * spread as f64) as i32 - spread / 2;
        x.push(T::from_f64(r.uniform(-1.0, 1.0) * 2f64.powi(ex)));
        y.push(T::from_f64(r.uniform(-1.0, 1.0) * 2f64.powi(ey)));
    }
    for i in 0..half {
        let nudge = 1.0 + r.uniform(-1.0, 1.0) * 2f64.powi(-nudge);
        x.push(x[i]);
        y.push(T::from_f64(-y[i].to_f64() * nudge));
    }
    for i in (1..x.len()).rev() {
        let j = r.below(i + 1);
        x.swap(i, j);
        y.swap(i, j);
    }
    (x, y)
}

/// Prints and returns one markdown table: each dot product's result and its
/// error against the oracle, also in units of `u * sum(|x[i] y[i]|)` (the
/// constant `C` of numkern's documented bound `C u S`: 12 for `f32` `dot`,
/// 11 for `f64`).
fn accuracy() -> String {
    let mut md = String::from(
        "| dtype | n | condition S / abs(dot) | method | result | abs. error | rel. error | error / (u·S) |\n\
         | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n",
    );
    fn rows<T: Peer>(md: &mut String, n: usize, spread: i32, nudge: i32) {
        let (x, y) = ill_conditioned::<T>(n, spread, nudge, 42);
        let x64: Vec<f64> = x.iter().map(|v| v.to_f64()).collect();
        let y64: Vec<f64> = y.iter().map(|v| v.to_f64()).collect();
        let (exact, s) = oracle::dot(&x64, &y64);
        let u = T::UNIT_ROUNDOFF;
        let plain: T = x.iter().zip(&y).map(|(&a, &b)| a * b).sum();
        let results = [
            ("numkern", numkern::dot(&x, &y).ok().map(|v| v.to_f64())),
            ("plain loop", Some(plain.to_f64())),
            (
                "ndarray",
                Some(T::nd_dot(&ArrayView1::from(&x[..]), &ArrayView1::from(&y[..])).to_f64()),
            ),
            ("numkong", T::nk_dot(&x, &y)),
        ];
        for (name, got) in results {
            let Some(got) = got else { continue };
            let err = (got - exact).abs();
            let _ = writeln!(
                md,
                "| {} | {n} | {:.1e} | {name} | {got:.9e} | {err:.2e} | {:.2e} | {:.3} |",
                T::NAME,
                s / exact.abs(),
                err / exact.abs(),
                err / (u * s),
            );
        }
    }
    for n in [4 << 10, 1 << 20] {
        rows::<f32>(&mut md, n, 12, 12);
    }
    for n in [4 << 10, 1 << 20] {
        rows::<f64>(&mut md, n, 24, 30);
    }
    md
}

/// How many inputs the `ln` accuracy pass tries, per element type.
const LN_PROBES: usize = 100_000;

/// `n` positive finite inputs for the `ln` accuracy pass: three in four are
/// random bit patterns of positive finite values, so every binade gets its
/// share (the subnormal ones included: ~1/255 of them for `f32`, ~1/2046 for
/// `f64`); one in four is uniform in `[0.5, 2)`, near 1, where `ln` is small
/// and a careless reduction loses the most.
fn ln_inputs<T: Peer>(n: usize, seed: u64) -> Vec<T> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|i| {
            if i % 4 == 3 {
                T::from_f64(r.uniform(0.5, 2.0))
            } else {
                T::from_raw(1 + r.next_u64() % T::MAX_BITS)
            }
        })
        .collect()
}

/// Prints and returns one markdown table: for numkern's `ln`, `wide`'s
/// vector `ln` and the `f32::ln` / `f64::ln` loop, the largest error in ulps
/// (of the exact value's binade, against `oracle::ln`) over the normal inputs
/// of `ln_inputs`, and how many subnormal inputs come out wrong (more than 1
/// ulp off, or not finite: `wide` returns -inf for every subnormal `f32`,
/// whose infinite error would otherwise hide everything else).
fn ln_accuracy() -> String {
    let mut md = String::from(
        "| dtype | method | max ulp over normal inputs | at x | subnormal inputs wrong (> 1 ulp or not finite) |\n\
         | --- | --- | ---: | ---: | ---: |\n",
    );
    fn rows<T: Peer>(md: &mut String) {
        let f32_ulps = T::NAME == "f32";
        let x = ln_inputs::<T>(LN_PROBES, 5);
        let exact: Vec<oracle::Dd> = x.iter().map(|v| oracle::ln(v.to_f64())).collect();
        let mut ours = vec![T::ZERO; x.len()];
        let mut wide = vec![T::ZERO; x.len()];
        let ours_ok = numkern::ln(&x, &mut ours).is_ok();
        T::wide_ln(&x, &mut wide);
        let plain: Vec<T> = x.iter().map(|&v| v.ln()).collect();
        let subnormals = x.iter().filter(|v| v.subnormal()).count();
        let results = [
            ("numkern", ours_ok.then_some(ours)),
            ("wide", Some(wide)),
            (
                if f32_ulps {
                    "f32::ln loop"
                } else {
                    "f64::ln loop"
                },
                Some(plain),
            ),
        ];
        for (name, got) in results {
            let Some(got) = got else { continue };
            let (mut worst, mut at, mut wrong) = (0.0f64, T::ZERO, 0usize);
            for ((&v, &g), &e) in x.iter().zip(&got).zip(&exact) {
                // A NaN result for a positive input is as wrong as it gets.
                let u = oracle::ulps(g.to_f64(), e, f32_ulps);
                let u = if u.is_nan() { f64::INFINITY } else { u };
                if v.subnormal() {
                    wrong += usize::from(u > 1.0);
                } else if u > worst {
                    (worst, at) = (u, v);
                }
            }
            let _ = writeln!(
                md,
                "| {} | {name} | {worst:.3} | {:.6e} | {wrong} of {subnormals} |",
                T::NAME,
                at.to_f64(),
            );
        }
    }
    rows::<f32>(&mut md);
    rows::<f64>(&mut md);
    md
}

fn all(c: &mut Criterion) {
    let o = Overrides::from_args();
    eprintln!(
        "numkern uses {}; NumKong capabilities {:#x}, dynamic dispatch: {}",
        numkern::backend(),
        numkong::capabilities::available(),
        numkong::capabilities::uses_dynamic_dispatch()
    );
    // Only the element types `NUMKERN_BENCH_MISALIGN` (and `_B`) can place.
    let (f32s, f64s) = (common::placeable::<f32>(), common::placeable::<f64>());
    let dot = accuracy();
    eprintln!("\ndot accuracy against the oracle (exact to ~2^-100):\n\n{dot}");
    let ln = ln_accuracy();
    eprintln!(
        "ln accuracy against the oracle, {LN_PROBES} inputs per type over every binade \
         (3/4 random positive finite bit patterns, 1/4 uniform in [0.5, 2)):\n\n{ln}"
    );
    let md = format!(
        "Error of the dot product on a fixed ill-conditioned input:\n\n{dot}\n\
         Error of `ln` in ulps against the oracle, {LN_PROBES} inputs per type spread over \
         every binade (3/4 random positive finite bit patterns, subnormals included; \
         1/4 uniform in [0.5, 2)); subnormal inputs are counted apart:\n\n{ln}"
    );
    let path = common::target_dir().join("peers-accuracy.md");
    if let Err(e) = std::fs::write(&path, &md) {
        eprintln!("could not write {}: {e}", path.display());
    }
    match std::env::var("NUMKERN_PAIRED_OUT") {
        Ok(p) if p.is_empty() => {}
        p => {
            let path = p.map_or_else(
                |_| common::target_dir().join("peers-paired.tsv"),
                Into::into,
            );
            let mut tsv = String::new();
            if f32s {
                paired::<f32>(&mut tsv);
            }
            if f64s {
                paired::<f64>(&mut tsv);
            }
            eprintln!(
                "\npaired ratios, numkern ÷ peer, {PAIRED_ROUNDS} rounds (kernel, dtype, peer, \
                 size, median, quartiles, rounds):\n\n{tsv}"
            );
            if let Err(e) = std::fs::write(&path, &tsv) {
                eprintln!("could not write {}: {e}", path.display());
            }
        }
    }
    // Only the accuracy and the paired ratios (the README's paired roof
    // table): the criterion benchmarks are skipped.
    if std::env::var_os("NUMKERN_PAIRED_ONLY").is_some() {
        return;
    }
    if f32s {
        peers::<f32>(c, o);
    }
    if f64s {
        peers::<f64>(c, o);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(10_000).without_plots();
    targets = all
}
criterion_main!(benches);
