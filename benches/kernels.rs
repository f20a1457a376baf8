//! numkern's benchmark suite (issue 3): every kernel x {f32, f64} x backend x
//! size, next to the plain-Rust loop a user would write and the `roof` (a
//! kernel that only streams the same bytes through the load/store ports).
//!
//! Ids are `<kernel>/<dtype>/<impl>/<size>`, `impl` one of the backends of
//! `Kernels::available()` (`scalar`, `portable`, `avx2`, ...), `plain` or
//! `roof`: `sum/f32/avx2/4096`, `dot/f64/plain/1048576`, `ln/f32/roof/16`.
//! Also `matvec/<dtype>/<impl>/100000x32` and `.../64x1001` (long rows),
//! `standardize_columns/<dtype>/<impl>/100000x32`, and the dispatch cost at
//! n = 16: `dispatch/<dtype>/dispatched/16` (`numkern::dot`, the free
//! function) vs `dispatch/<dtype>/plain/16`.
//!
//! ```text
//! cargo bench --bench kernels                      # everything, ~5 min on 2 cores
//! cargo bench --bench kernels -- '^dot/f32/'       # criterion's regex filter
//! cargo bench --bench kernels -- --warm-up-time 0.01 --measurement-time 0.05 '/4096$'
//! cargo run --release --example bench_summary      # the README table
//! ```
//!
//! Throughput is reported in elements and bytes (`Throughput::ElementsAndBytes`,
//! elements first); the bytes count each element once per stream the ideal
//! algorithm moves (`common::streams`).

mod common;

use std::cell::RefCell;
use std::hint::black_box as bb;

use criterion::measurement::Measurement;
use criterion::{criterion_group, criterion_main, BatchSize, Bencher, BenchmarkId, Criterion};
use numkern::Kernels;

use common::{
    bytes, bytes_mut, configure, roof, throughput, Aligned, Data, Overrides, COLS, F, LONG_COLS,
    LONG_ROWS, ROWS, SIZES,
};

/// The kernels, in the order of the summary table.
const KERNELS: [&str; 9] = [
    "sum",
    "mean",
    "variance",
    "std_dev",
    "dot",
    "sse",
    "mse",
    "ln",
    "ln_in_place",
];

/// Who runs a kernel: one of numkern's backends, the plain loop, or the roof.
#[derive(Clone, Copy, Debug)]
enum Imp {
    Ours(Kernels),
    Plain,
    Roof,
}

impl Imp {
    fn name(self) -> &'static str {
        match self {
            Imp::Ours(k) => k.backend().name(),
            Imp::Plain => "plain",
            Imp::Roof => "roof",
        }
    }
}

fn imps() -> Vec<Imp> {
    let mut v: Vec<Imp> = Kernels::available()
        .map(|b| Imp::Ours(Kernels::new(b).expect("an available backend")))
        .collect();
    v.push(Imp::Plain);
    v.push(Imp::Roof);
    v
}

/// The loops a user writes without numkern: `iter().sum()`, zip-map-sum,
/// two-pass variance, `map(ln)`. Scalar, in order, as the compiler must keep
/// them (it may not reassociate float additions).
mod plain {
    use super::F;

    pub fn sum<T: F>(x: &[T]) -> T {
        x.iter().copied().sum()
    }
    pub fn mean<T: F>(x: &[T]) -> T {
        sum(x) / T::from_usize(x.len())
    }
    pub fn variance<T: F>(x: &[T]) -> T {
        let m = mean(x);
        x.iter().map(|&v| (v - m) * (v - m)).sum::<T>() / T::from_usize(x.len())
    }
    pub fn std_dev<T: F>(x: &[T]) -> T {
        variance(x).sqrt()
    }
    pub fn dot<T: F>(a: &[T], b: &[T]) -> T {
        a.iter().zip(b).map(|(&x, &y)| x * y).sum()
    }
    pub fn sse<T: F>(a: &[T], b: &[T]) -> T {
        a.iter().zip(b).map(|(&x, &y)| (x - y) * (x - y)).sum()
    }
    pub fn mse<T: F>(a: &[T], b: &[T]) -> T {
        sse(a, b) / T::from_usize(a.len())
    }
    pub fn ln<T: F>(x: &[T], out: &mut [T]) {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = v.ln();
        }
    }
    pub fn ln_in_place<T: F>(x: &mut [T]) {
        for v in x.iter_mut() {
            *v = v.ln();
        }
    }
    /// `X · w`, one zip-map-sum per row.
    pub fn matvec<T: F>(x: &[T], cols: usize, w: &[T], out: &mut [T]) {
        for (o, row) in out.iter_mut().zip(x.chunks_exact(cols)) {
            *o = dot(row, w);
        }
    }
    /// `(X - mean) / std` per column, the way one writes it by hand: column
    /// sums row by row, then the squared deviations, then the update.
    pub fn standardize_columns<T: F>(x: &mut [T], cols: usize) {
        let n = T::from_usize(x.len() / cols);
        let mut mean = vec![T::ZERO; cols];
        for row in x.chunks_exact(cols) {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m = *m + v;
            }
        }
        for m in &mut mean {
            *m = *m / n;
        }
        let mut std = vec![T::ZERO; cols];
        for row in x.chunks_exact(cols) {
            for ((s, &m), &v) in std.iter_mut().zip(&mean).zip(row) {
                *s = *s + (v - m) * (v - m);
            }
        }
        for s in &mut std {
            *s = (*s / n).sqrt();
        }
        for row in x.chunks_exact_mut(cols) {
            for ((v, &m), &s) in row.iter_mut().zip(&mean).zip(&std) {
                *v = (*v - m) / s;
            }
        }
    }
}

/// Times `imp` running `kernel` on `d`'s inputs. `out` is the size's scratch
/// buffer (`ln`'s output and its roof's store target), made on first use.
fn run<T: F, M: Measurement>(
    b: &mut Bencher<'_, M>,
    kernel: &str,
    imp: Imp,
    d: &Data<T>,
    out: &RefCell<Aligned<T>>,
) {
    // The inputs this kernel reads, fetched (and on first use made) outside
    // the timed loops.
    let (x, y, p): (&[T], &[T], &[T]) = match kernel {
        "sum" | "mean" | "variance" | "std_dev" => (d.a(), &[], &[]),
        "dot" | "sse" | "mse" => (d.a(), d.b(), &[]),
        _ => (&[], &[], d.pos()),
    };
    match (kernel, imp) {
        ("sum", Imp::Ours(k)) => b.iter(|| k.sum(bb(x))),
        ("sum", Imp::Plain) => b.iter(|| plain::sum(bb(x))),
        ("mean", Imp::Ours(k)) => b.iter(|| k.mean(bb(x))),
        ("mean", Imp::Plain) => b.iter(|| plain::mean(bb(x))),
        ("variance", Imp::Ours(k)) => b.iter(|| k.variance(bb(x), 0)),
        ("variance", Imp::Plain) => b.iter(|| plain::variance(bb(x))),
        ("std_dev", Imp::Ours(k)) => b.iter(|| k.std_dev(bb(x), 0)),
        ("std_dev", Imp::Plain) => b.iter(|| plain::std_dev(bb(x))),
        ("sum" | "mean" | "variance" | "std_dev", Imp::Roof) => {
            b.iter(|| roof::load1(bb(bytes(x))))
        }
        ("dot", Imp::Ours(k)) => b.iter(|| k.dot(bb(x), bb(y))),
        ("dot", Imp::Plain) => b.iter(|| plain::dot(bb(x), bb(y))),
        ("sse", Imp::Ours(k)) => b.iter(|| k.sse(bb(x), bb(y))),
        ("sse", Imp::Plain) => b.iter(|| plain::sse(bb(x), bb(y))),
        ("mse", Imp::Ours(k)) => b.iter(|| k.mse(bb(x), bb(y))),
        ("mse", Imp::Plain) => b.iter(|| plain::mse(bb(x), bb(y))),
        ("dot" | "sse" | "mse", Imp::Roof) => b.iter(|| roof::load2(bb(bytes(x)), bb(bytes(y)))),
        ("ln", imp) => {
            let mut out = out.borrow_mut();
            if out.as_slice().len() != d.n {
                *out = Aligned::zeros(d.n);
            }
            let out = out.as_mut_slice();
            match imp {
                Imp::Ours(k) => b.iter(|| k.ln(bb(p), bb(&mut *out))),
                Imp::Plain => b.iter(|| plain::ln(bb(p), bb(&mut *out))),
                Imp::Roof => b.iter(|| roof::copy(bb(bytes(p)), bb(bytes_mut(&mut *out)))),
            }
        }
        // In place: every call gets a fresh copy of the positive input (made
        // outside the timed region), or the second call would take logs of
        // logs, negative numbers and NaN.
        ("ln_in_place", imp) => {
            let batch = BatchSize::NumIterations(common::batch_for(d.n));
            let fresh = || Aligned::copy_of(p);
            match imp {
                Imp::Ours(k) => {
                    b.iter_batched_ref(fresh, |v| k.ln_in_place(v.as_mut_slice()), batch)
                }
                Imp::Plain => {
                    b.iter_batched_ref(fresh, |v| plain::ln_in_place(v.as_mut_slice()), batch)
                }
                Imp::Roof => {
                    b.iter_batched_ref(fresh, |v| roof::rmw(bytes_mut(v.as_mut_slice())), batch)
                }
            }
        }
        _ => unreachable!("no benchmark for {kernel}"),
    }
}

/// Every vector kernel at every size, for one element type.
fn vectors<T: F>(c: &mut Criterion, o: Overrides) {
    let imps = imps();
    for n in SIZES {
        let d = Data::<T>::new(n);
        let out = RefCell::new(Aligned::zeros(0));
        for kernel in KERNELS {
            let mut g = c.benchmark_group(format!("{kernel}/{}", T::NAME));
            configure(&mut g, n, o);
            g.throughput(throughput::<T>(kernel, n));
            for &imp in &imps {
                g.bench_function(BenchmarkId::new(imp.name(), n), |b| {
                    run(b, kernel, imp, &d, &out)
                });
            }
            g.finish();
        }
    }
}

/// `matvec` of a `rows x cols` matrix `x` by `w` (`inputs`, called where a
/// benchmark runs, so that a filtered-out shape makes nothing), for every
/// implementation, in `g`. The roof streams `x` once.
fn matvec_shape<'a, T: F, M: Measurement>(
    g: &mut criterion::BenchmarkGroup<'_, M>,
    o: Overrides,
    imps: &[Imp],
    (rows, cols): (usize, usize),
    inputs: impl Fn() -> (&'a [T], &'a [T]),
) {
    let mut out = Aligned::<T>::zeros(rows);
    let out = out.as_mut_slice();
    configure(g, rows * cols, o);
    g.throughput(throughput::<T>("matvec", rows * cols));
    for &imp in imps {
        g.bench_function(
            BenchmarkId::new(imp.name(), format!("{rows}x{cols}")),
            |b| {
                let (x, w) = inputs();
                match imp {
                    Imp::Ours(k) => b.iter(|| k.matvec(bb(x), cols, bb(w), bb(&mut *out))),
                    Imp::Plain => b.iter(|| plain::matvec(bb(x), cols, bb(w), bb(&mut *out))),
                    Imp::Roof => b.iter(|| roof::load1(bb(bytes(x)))),
                }
            },
        );
    }
}

/// `matvec` ([`matvec_shape`]) and `standardize_columns` on the seed's
/// 100 000 x 32 matrix, and `matvec` on [`common::long_rows`] too. The
/// standardize roof streams the matrix once and then loads and stores it
/// (the ideal two-pass job). Standardising runs in place on one copy over
/// and over: after the first call the columns are already standardised,
/// which costs exactly the same work.
fn matrices<T: F>(c: &mut Criterion, o: Overrides) {
    let imps = imps();
    let size = format!("{ROWS}x{COLS}");
    let n = ROWS * COLS;
    let cell = std::cell::OnceCell::<Aligned<T>>::new();
    let x = || cell.get_or_init(common::bench_matrix::<T>).as_slice();
    let w: Vec<T> = common::bench_weights();
    let long = std::cell::OnceCell::<(Aligned<T>, Aligned<T>)>::new();
    let mut g = c.benchmark_group(format!("matvec/{}", T::NAME));
    matvec_shape(&mut g, o, &imps, (ROWS, COLS), || (x(), &w[..]));
    matvec_shape(&mut g, o, &imps, (LONG_ROWS, LONG_COLS), || {
        let (x, w) = long.get_or_init(common::long_rows::<T>);
        (x.as_slice(), w.as_slice())
    });
    g.finish();

    let mut xs = Aligned::<T>::zeros(0);
    let mut g = c.benchmark_group(format!("standardize_columns/{}", T::NAME));
    configure(&mut g, n, o);
    g.throughput(throughput::<T>("standardize_columns", n));
    for &imp in &imps {
        g.bench_function(BenchmarkId::new(imp.name(), &size), |b| {
            if xs.as_slice().is_empty() {
                xs = Aligned::copy_of(x());
            }
            let xs = xs.as_mut_slice();
            match imp {
                Imp::Ours(k) => b.iter(|| k.standardize_columns(bb(&mut *xs), COLS)),
                Imp::Plain => b.iter(|| plain::standardize_columns(bb(&mut *xs), COLS)),
                Imp::Roof => b.iter(|| {
                    let s = roof::load1(bb(bytes(xs)));
                    roof::rmw(bb(bytes_mut(xs)));
                    s
                }),
            }
        });
    }
    g.finish();
}

/// What one call costs at n = 16 through the free function, which loads the
/// cached backend choice and calls through its table, against the plain loop
/// (inlined, no call at all).
fn dispatch<T: F>(c: &mut Criterion, o: Overrides) {
    let d = Data::<T>::new(16);
    let mut g = c.benchmark_group(format!("dispatch/{}", T::NAME));
    configure(&mut g, 16, o);
    g.throughput(throughput::<T>("dot", 16));
    let (x, y) = (d.a(), d.b());
    g.bench_function(BenchmarkId::new("dispatched", 16), |b| {
        b.iter(|| numkern::dot(bb(x), bb(y)))
    });
    g.bench_function(BenchmarkId::new("plain", 16), |b| {
        b.iter(|| plain::dot(bb(x), bb(y)))
    });
    g.finish();
}

/// `avx2`'s own `f32` `ln` fast path (`f32` lanes, fused, `Isa::ln_f32_fast`)
/// against the generic one (`f64` lanes) on the same backend, in the same
/// loop: the benchmark that justifies hand-writing it (`ln_generic/f32/avx2/N`
/// beside `ln/f32/avx2/N`).
#[cfg(target_arch = "x86_64")]
fn ln_generic(c: &mut Criterion, o: Overrides) {
    if Kernels::new(numkern::Backend::Avx2).is_err() {
        return;
    }
    let mut g = c.benchmark_group("ln_generic/f32");
    for n in [4096, 1 << 20] {
        let d = Data::<f32>::new(n);
        let (p, mut out) = (d.pos(), Aligned::<f32>::zeros(n));
        let out = out.as_mut_slice();
        configure(&mut g, n, o);
        g.throughput(throughput::<f32>("ln", n));
        g.bench_function(BenchmarkId::new("avx2", n), |b| {
            // SAFETY: AVX2 and FMA were detected just above.
            b.iter(|| unsafe { numkern_kernels::ln::paths::avx2::ln_generic(bb(p), bb(&mut *out)) })
        });
    }
    g.finish();
}

/// `avx2`'s own `Vector::deviation_sums` (`variance`'s sub-block sums, in
/// `asm!`) against the generic definition on the same backend, over the
/// whole sub-blocks of an input: the benchmark that justifies hand-writing
/// it (`deviation_sums/f32/avx2/N` beside `deviation_sums/f32/avx2_generic/N`).
///
/// # Safety
/// `f` may be called whenever the CPU has AVX2 and FMA (it is
/// `numkern_kernels::moments::paths::avx2::f32` or `f64`); it is called only
/// once they are found.
#[cfg(target_arch = "x86_64")]
unsafe fn deviation_sums<T: F>(
    c: &mut Criterion,
    o: Overrides,
    f: unsafe fn(&[T], T, bool, &mut [T]),
) {
    if Kernels::new(numkern::Backend::Avx2).is_err() {
        return;
    }
    let mut g = c.benchmark_group(format!("deviation_sums/{}", T::NAME));
    for n in [4096, 1 << 16] {
        let d = Data::<T>::new(n);
        // 2 sums of LANES lanes per sub-block of 256 (`f32`) or 128 (`f64`).
        let (x, mut out) = (d.a(), Aligned::<T>::zeros(n / 16));
        let out = out.as_mut_slice();
        configure(&mut g, n, o);
        g.throughput(throughput::<T>("variance", n));
        for (name, generic) in [("avx2", false), ("avx2_generic", true)] {
            g.bench_function(BenchmarkId::new(name, n), |b| {
                // SAFETY: AVX2 and FMA were detected above, all `f` needs
                // (this function's contract).
                b.iter(|| unsafe { f(bb(x), bb(T::ZERO), generic, bb(&mut *out)) })
            });
        }
    }
    g.finish();
}

fn all(c: &mut Criterion) {
    let o = Overrides::from_args();
    eprintln!(
        "numkern backends here: {:?}; the free functions use {}",
        Kernels::available().map(|b| b.name()).collect::<Vec<_>>(),
        numkern::backend()
    );
    // Only the element types `NUMKERN_BENCH_MISALIGN` (and `_B`) can place.
    let (f32s, f64s) = (common::placeable::<f32>(), common::placeable::<f64>());
    type Group = fn(&mut Criterion, Overrides);
    let groups: [(bool, Group); 6] = [
        (f32s, dispatch::<f32>),
        (f64s, dispatch::<f64>),
        (f32s, vectors::<f32>),
        (f64s, vectors::<f64>),
        (f32s, matrices::<f32>),
        (f64s, matrices::<f64>),
    ];
    for (placed, group) in groups {
        if placed {
            group(c, o);
        }
    }
    #[cfg(target_arch = "x86_64")]
    if f32s {
        ln_generic(c, o);
    }
    #[cfg(target_arch = "x86_64")]
    {
        use numkern_kernels::moments::paths::avx2 as p;
        // SAFETY: these paths need only AVX2 and FMA.
        unsafe {
            if f32s {
                deviation_sums::<f32>(c, o, p::f32);
            }
            if f64s {
                deviation_sums::<f64>(c, o, p::f64);
            }
        }
    }
}

criterion_group! {
    name = benches;
    // 10 samples per benchmark leave nothing for 100 000 bootstrap resamples
    // to add but time; no HTML report (nothing reads it).
    config = Criterion::default().nresamples(10_000).without_plots();
    targets = all
}
criterion_main!(benches);
