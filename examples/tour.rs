//! A tour of numkern: run it with `cargo run --release --example tour`.
//!
//! It walks through what a new user wants to know, in order:
//!
//! 1. what this CPU offers and which backend numkern picked;
//! 2. the NumPy walk-through numkern grew out of (`standardize_columns`, `mse`,
//!    and `ln`, `mean`, `std_dev`, `dot` for feature engineering), redone;
//! 3. reproducibility: every backend returns the same bits;
//! 4. speed and accuracy of every kernel, next to the plain Rust loop you
//!    would otherwise write, and the two matrix jobs on a 100 000 x 32 matrix.
//!
//! The whole tour takes well under a minute. Timings are the best of several
//! short runs, so they hold up on a busy machine, but they are still a tour,
//! not a benchmark: `cargo bench` has the careful numbers.

use std::hint::black_box;
use std::time::Instant;

use numkern::{bounds, Backend, Error, Kernels};
// The slow, high-precision reference numkern's tests use (a dev-dependency,
// never needed at run time). Its `Dd` is a double-double: about 106 bits.
use numkern_kernels::oracle::{self, Dd};

fn main() -> Result<(), Error> {
    let start = Instant::now();
    // Every backend this CPU can run, scalar first. `Kernels::new` only hands
    // out a backend after checking the CPU can run it.
    let backends = Kernels::available()
        .map(Kernels::new)
        .collect::<Result<Vec<_>, _>>()?;

    cpu_and_backend();
    numpy_walkthrough()?;
    reproducibility(&backends)?;
    kernel_tables(&backends)?;
    matrix_jobs(&backends)?;

    println!("\nTour finished in {:.1} s.", start.elapsed().as_secs_f64());
    Ok(())
}

// ---------------------------------------------------------------------------
// 1. The CPU and the backend
// ---------------------------------------------------------------------------

/// numkern detects the CPU once, on first use, and every free function
/// (`numkern::sum`, `numkern::mse`, ...) then runs the fastest backend it can.
/// The environment variable `NUMKERN_BACKEND` (scalar, portable, avx2, neon)
/// overrides the choice, for example to compare backends in production.
fn cpu_and_backend() {
    section("1. This CPU and the backend numkern chose");

    #[cfg(target_arch = "x86_64")]
    {
        let features = [
            ("sse2", is_x86_feature_detected!("sse2")),
            ("avx", is_x86_feature_detected!("avx")),
            ("avx2", is_x86_feature_detected!("avx2")),
            ("fma", is_x86_feature_detected!("fma")),
            ("avx512f", is_x86_feature_detected!("avx512f")),
        ];
        print_features("x86_64", &features);
        if is_x86_feature_detected!("avx512f") {
            println!("  (numkern's kernels are 256 bits wide: AVX-512 is present but not used)");
        }
    }
    #[cfg(target_arch = "aarch64")]
    print_features(
        "aarch64",
        &[("neon", std::arch::is_aarch64_feature_detected!("neon"))],
    );
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    println!("  CPU features:          (no run-time detection on this target)");

    let env = match numkern::backend_override() {
        Ok(Some(b)) => format!("NUMKERN_BACKEND={b}"),
        Ok(None) => "NUMKERN_BACKEND unset".to_string(),
        Err(e) => format!("NUMKERN_BACKEND ignored: {e}"),
    };
    println!("  numkern::backend():    {}   ({env})", numkern::backend());
    let names: Vec<&str> = Kernels::available().map(Backend::name).collect();
    println!("  Kernels::available():  {}", names.join(", "));
}

// ---------------------------------------------------------------------------
// 2. The NumPy walk-through, redone
// ---------------------------------------------------------------------------

/// The walk-through (`seed/numpy-mlops.md`) normalised a small data set,
/// engineered features with `np.log`, `np.mean`, `np.std` and `np.dot`, and
/// scored a model with the mean squared error. Here is each step with numkern.
fn numpy_walkthrough() -> Result<(), Error> {
    section("2. The NumPy walk-through, with numkern");

    // Preprocessing: `X_norm = (X - np.mean(X, axis=0)) / np.std(X, axis=0)`.
    // numkern works on row-major slices: pass the number of columns. It
    // standardises in place, with NumPy's population std (ddof = 0).
    let mut x = [10.0_f64, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0];
    numkern::standardize_columns(&mut x, 3)?;
    println!("  standardize_columns([[10,20,30],[40,50,60],[70,80,90]], cols = 3):");
    print_like_numpy(&x, 3);

    // Feature engineering. Incomes are skewed, so models see their log; then
    // the log-income is centred and scaled with its mean and std.
    let income = [28_000.0_f64, 41_000.0, 52_000.0, 67_500.0, 150_000.0];
    let mut log_income = [0.0; 5];
    numkern::ln(&income, &mut log_income)?;
    let mu = numkern::mean(&log_income)?;
    let sigma = numkern::std_dev(&log_income, 0)?;
    println!("\n  income       = {}", fmt_slice(&income, 0));
    println!("  ln(income)   = {}", fmt_slice(&log_income, 4));
    println!("  mean = {mu:.4}, std_dev = {sigma:.4}");

    // `np.dot(x, w)`: a linear model scores the last customer from three
    // features: z-scored ln(income), years as a customer, products held.
    let features = [(log_income[4] - mu) / sigma, 3.0, 2.0];
    let weights = [0.8, -0.15, 0.4];
    let score = numkern::dot(&features, &weights)?;
    println!(
        "  x = {}   (z-scored ln income, years, products)",
        fmt_slice(&features, 4)
    );
    println!("  w = {}", fmt_slice(&weights, 2));
    println!("  score = dot(x, w) = {score:.4}");

    // Evaluation: `np.mean((y_true - y_pred) ** 2)`.
    let y_true = [3.0_f64, -0.5, 2.0, 7.0];
    let y_pred = [2.5_f64, 0.0, 2.1, 7.8];
    let mse = numkern::mse(&y_true, &y_pred)?;
    println!("\n  mse([3, -0.5, 2, 7], [2.5, 0, 2.1, 7.8]) = {mse:.4}   (all digits: {mse})");
    println!("  The walk-through printed 0.4125: a slip. The squared errors are");
    println!("  0.25, 0.25, 0.01 and 0.64; they sum to 1.15, and 1.15 / 4 = 0.2875.");
    println!("  NumPy itself prints 0.2874999999999999: 2.1 and 7.8 are not exact in");
    println!("  binary, and that is the MSE of the values actually stored.");
    Ok(())
}

// ---------------------------------------------------------------------------
// 3. Reproducibility
// ---------------------------------------------------------------------------

/// numkern's first promise: a result's bits depend only on the input, never
/// on the backend, the CPU or where the slice sits in memory. So a model
/// trained on a laptop scores identically on an AVX2 server and on an ARM
/// board, and a regression test can compare bits.
fn reproducibility(backends: &[Kernels]) -> Result<(), Error> {
    section("3. Reproducibility: the same bits from every backend");

    let n = 100_003;
    let mut rng = Rng(3);
    let x: Vec<f32> = (0..n).map(|_| rng.uniform(-1.0, 1.0) as f32).collect();
    let y: Vec<f32> = (0..n).map(|_| rng.uniform(-1.0, 1.0) as f32).collect();
    // The same values again, one element along a fresh buffer: another alignment.
    let mut xs = vec![0.0_f32; n + 1];
    let mut ys = vec![0.0_f32; n + 1];
    xs[1..].copy_from_slice(&x);
    ys[1..].copy_from_slice(&y);
    let (xs, ys) = (&xs[1..], &ys[1..]);

    println!("  f32 sum and dot of {n} random values; result bits in hex:");
    let mut header = vec!["".to_string()];
    header.extend(backends.iter().map(|k| k.backend().to_string()));
    header.push(format!("{} shifted", numkern::backend()));
    header.push("plain loop".to_string());
    let widths: Vec<usize> = header.iter().map(|h| h.len().max(10)).collect();
    print_row(&header, &widths);

    // `Reduction` (section 4) runs a kernel on any backend, or as a plain loop.
    let mut all_equal = true;
    for r in [Reduction::Sum, Reduction::Dot] {
        let mut bits = Vec::new();
        for k in backends {
            bits.push(r.run(k, &x, &y)?.to_bits());
        }
        bits.push(r.run(&Kernels::detected(), xs, ys)?.to_bits());
        all_equal &= bits.iter().all(|&b| b == bits[0]);
        bits.push(r.plain_run(&x, &y).to_bits());
        let mut row = vec![r.call().to_string()];
        row.extend(bits.iter().map(|b| format!("{b:#010x}")));
        print_row(&row, &widths);
    }
    println!("  shifted: the same values one element further into another buffer, so at");
    println!("  another alignment. The plain loop adds in another order: other bits.");
    println!(
        "  {}",
        if all_equal {
            "numkern: identical bits on every backend and at every address."
        } else {
            "MISMATCH: the backends disagree (please report this)."
        }
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 4. Every kernel: speed and accuracy
// ---------------------------------------------------------------------------

/// For each kernel, a small table: throughput in elements per nanosecond for
/// each backend and for the plain Rust loop (higher is better), whether every
/// backend gave the same bits, and the error against the oracle.
///
/// A reduction's error is shown as `|got - exact| / (u * S)`: `u` is the unit
/// roundoff (2^-24 for f32, 2^-53 for f64) and `S` the sum of the absolute
/// values of the terms. numkern documents a constant `C` (in
/// `numkern::bounds`) with `err <= C` for every length; a plain loop's error
/// grows with the length. For `ln` the error is the largest distance, in
/// ulps, over every element timed.
fn kernel_tables(backends: &[Kernels]) -> Result<(), Error> {
    section("4. Every kernel: elements/ns (higher is better) and error vs the oracle");
    println!("  err = |got - exact| / (u * S) for reductions, max ulps for ln;");
    println!("  C = the documented bound (numkern::bounds): err <= C at every length.");
    println!("  (Rounding the exact value once may cost up to 1 here, 0.5 ulp for ln.)");
    println!("  same = every backend gave the same bits. 4096 elements stay in cache;");
    println!("  1<<20 (4 MiB of f32, 8 MiB of f64 per array) are past L2 on most CPUs.");

    // Random inputs, generated once per type at the larger size; the smaller
    // size uses a prefix. x is in [0, 1), y in [-1, 1); ln gets positive
    // values spread over 2^-30 .. 2^30.
    let (small, big) = if quick() {
        (256, 1 << 12)
    } else {
        (4096, 1 << 20)
    };
    let sizes = [small, big];
    let d32 = Data::<f32>::new(big);
    let d64 = Data::<f64>::new(big);

    for r in Reduction::ALL {
        kernel_header(r.call(), r.plain());
        for n in sizes {
            reduction_row(backends, r, &d32.x[..n], &d32.y[..n])?;
        }
        for n in sizes {
            reduction_row(backends, r, &d64.x[..n], &d64.y[..n])?;
        }
    }
    for in_place in [false, true] {
        if in_place {
            kernel_header("ln_in_place(x)", "for v in x.iter_mut() { *v = v.ln() }");
        } else {
            kernel_header(
                "ln(x, out)",
                "for (o, v) in out.iter_mut().zip(x) { *o = v.ln() }",
            );
        }
        for n in sizes {
            ln_row(backends, in_place, &d32.pos[..n], &d32.ln_exact[..n]);
        }
        for n in sizes {
            ln_row(backends, in_place, &d64.pos[..n], &d64.ln_exact[..n]);
        }
    }
    println!(
        "\n  * std_dev has no constant of its own: from variance's bound,\n    \
         |std - exact| <= (C_var / 2 + 1) * u * (std + |mean|), so S = std + |mean|."
    );
    Ok(())
}

/// The reductions, as the tables list them.
#[derive(Clone, Copy)]
enum Reduction {
    Sum,
    Mean,
    Variance,
    StdDev,
    Dot,
    Sse,
    Mse,
}

impl Reduction {
    const ALL: [Reduction; 7] = [
        Reduction::Sum,
        Reduction::Mean,
        Reduction::Variance,
        Reduction::StdDev,
        Reduction::Dot,
        Reduction::Sse,
        Reduction::Mse,
    ];

    /// The numkern call, as the table's title shows it.
    fn call(self) -> &'static str {
        match self {
            Reduction::Sum => "sum(x)",
            Reduction::Mean => "mean(x)",
            Reduction::Variance => "variance(x, 0)",
            Reduction::StdDev => "std_dev(x, 0) *",
            Reduction::Dot => "dot(x, y)",
            Reduction::Sse => "sse(x, y)",
            Reduction::Mse => "mse(x, y)",
        }
    }

    /// The plain Rust it is compared with (the code is in `plain_run`).
    fn plain(self) -> &'static str {
        match self {
            Reduction::Sum => "x.iter().sum()",
            Reduction::Mean => "x.iter().sum() / n",
            Reduction::Variance => "two passes: m = mean, then sum of (v - m)^2, / n",
            Reduction::StdDev => "the two-pass variance, .sqrt()",
            Reduction::Dot => "x.iter().zip(y).map(|(a, b)| a * b).sum()",
            Reduction::Sse => "x.iter().zip(y).map(|(t, p)| (t - p) * (t - p)).sum()",
            Reduction::Mse => "the sse loop, / n",
        }
    }

    /// Runs the reduction on backend `k`.
    fn run<T: Elem>(self, k: &Kernels, x: &[T], y: &[T]) -> Result<T, Error> {
        match self {
            Reduction::Sum => Ok(k.sum(x)),
            Reduction::Mean => k.mean(x),
            Reduction::Variance => k.variance(x, 0),
            Reduction::StdDev => k.std_dev(x, 0),
            Reduction::Dot => k.dot(x, y),
            Reduction::Sse => k.sse(x, y),
            Reduction::Mse => k.mse(x, y),
        }
    }

    /// The loop a user would write without numkern.
    fn plain_run<T: Elem>(self, x: &[T], y: &[T]) -> T {
        let n = T::of(x.len() as f64);
        let sse = || x.iter().zip(y).map(|(&t, &p)| (t - p) * (t - p)).sum::<T>();
        let variance = || {
            let m = x.iter().sum::<T>() / n;
            x.iter().map(|&v| (v - m) * (v - m)).sum::<T>() / n
        };
        match self {
            Reduction::Sum => x.iter().sum(),
            Reduction::Mean => x.iter().sum::<T>() / n,
            Reduction::Variance => variance(),
            Reduction::StdDev => variance().sqrt(),
            Reduction::Dot => x.iter().zip(y).map(|(&a, &b)| a * b).sum(),
            Reduction::Sse => sse(),
            Reduction::Mse => sse() / n,
        }
    }

    /// The exact value (from the oracle's double-double arithmetic), the
    /// scale `S` and the documented constant `C` of the bound.
    fn exact<T: Elem>(self, x: &[T], y: &[T]) -> (Dd, f64, f64) {
        let len = x.len() as f64;
        let n = Dd::from(len);
        let xs = || x.iter().map(|&v| Dd::from(v.into()));
        let products = || {
            x.iter()
                .zip(y)
                .map(|(&a, &b)| Dd::from(a.into()).mul(Dd::from(b.into())))
        };
        let squares = || {
            x.iter().zip(y).map(|(&t, &p)| {
                let d = Dd::from(t.into()).sub(Dd::from(p.into()));
                d.mul(d)
            })
        };
        let moments = || {
            let mean = dd_sum(xs()).0.div(n);
            let m2 = dd_sum(xs().map(|v| v.sub(mean).mul(v.sub(mean)))).0;
            let var = m2.div(n);
            (mean.value().abs(), var, dd_sqrt(var))
        };
        match self {
            Reduction::Sum => {
                let (s, abs) = dd_sum(xs());
                (s, abs, T::SUM_C)
            }
            Reduction::Mean => {
                let (s, abs) = dd_sum(xs());
                (s.div(n), abs / len, T::SUM_C)
            }
            Reduction::Variance => {
                let (abs_mean, var, std) = moments();
                (var, var.value() + abs_mean * std.value(), T::VARIANCE_C)
            }
            Reduction::StdDev => {
                let (abs_mean, _, std) = moments();
                (std, std.value() + abs_mean, T::VARIANCE_C / 2.0 + 1.0)
            }
            Reduction::Dot => {
                let (s, abs) = dd_sum(products());
                (s, abs, T::DOT_C)
            }
            Reduction::Sse => {
                let (s, abs) = dd_sum(squares());
                (s, abs, T::SQ_ERR_C)
            }
            Reduction::Mse => {
                let (s, abs) = dd_sum(squares());
                (s.div(n), abs / len, T::SQ_ERR_C)
            }
        }
    }
}

/// One table row for a reduction: time it on every backend and as a plain
/// loop, check the backends agree, and measure both errors.
fn reduction_row<T: Elem>(
    backends: &[Kernels],
    r: Reduction,
    x: &[T],
    y: &[T],
) -> Result<(), Error> {
    let n = x.len();
    let mut cells = vec![T::NAME.to_string(), n.to_string()];
    let mut results = Vec::new();
    for k in backends {
        let rate = rate(n, || r.run(k, black_box(x), black_box(y)));
        cells.push(format!("{rate:.2}"));
        results.push(r.run(k, x, y)?);
    }
    let plain_rate = rate(n, || r.plain_run(black_box(x), black_box(y)));
    cells.push(format!("{plain_rate:.2}"));

    let (exact, s, c) = r.exact(x, y);
    let err = |got: T| dd_abs_diff(got.into(), exact) / (T::U * s);
    let same = results.iter().all(|v| v.bits() == results[0].bits());
    cells.push(if same { "yes" } else { "NO" }.to_string());
    cells.push(fmt_err(err(results[0])));
    cells.push(format!("{c}"));
    cells.push(fmt_err(err(r.plain_run(x, y))));
    print_row(&cells, &table_widths(backends.len()));
    Ok(())
}

/// One table row for `ln` (or `ln_in_place`). The in-place version gets a
/// fresh copy of the input before every (timed) call.
fn ln_row<T: Elem>(backends: &[Kernels], in_place: bool, x: &[T], exact: &[Dd]) {
    let n = x.len();
    let mut cells = vec![T::NAME.to_string(), n.to_string()];
    let mut out = vec![T::default(); n];
    let mut first: Option<Vec<T>> = None;
    let mut same = true;
    for k in backends {
        let rate = if in_place {
            rate_in_place(x, &mut out, |buf| k.ln_in_place(buf))
        } else {
            rate(n, || k.ln(black_box(x), black_box(&mut out[..])))
        };
        cells.push(format!("{rate:.2}"));
        // `out` now holds ln(x) from this backend.
        match &first {
            None => first = Some(out.clone()),
            Some(f) => same &= f.iter().zip(&out).all(|(a, b)| a.bits() == b.bits()),
        }
    }
    let plain_rate = if in_place {
        rate_in_place(x, &mut out, |buf| plain_ln_in_place(buf))
    } else {
        rate(n, || plain_ln(black_box(x), black_box(&mut out[..])))
    };
    cells.push(format!("{plain_rate:.2}"));
    let plain_ulps = max_ulps(&out, exact);

    cells.push(if same { "yes" } else { "NO" }.to_string());
    cells.push(fmt_err(max_ulps(first.as_deref().unwrap_or(&[]), exact)));
    cells.push(format!("{}", T::LN_ULP));
    cells.push(fmt_err(plain_ulps));
    print_row(&cells, &table_widths(backends.len()));
}

fn plain_ln<T: Elem>(x: &[T], out: &mut [T]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = v.ln();
    }
}

fn plain_ln_in_place<T: Elem>(x: &mut [T]) {
    for v in x.iter_mut() {
        *v = v.ln();
    }
}

/// The largest distance from the oracle, in ulps of the element type.
fn max_ulps<T: Elem>(got: &[T], exact: &[Dd]) -> f64 {
    got.iter()
        .zip(exact)
        .map(|(&g, &e)| oracle::ulps(g.into(), e, T::IS_F32))
        .fold(0.0, f64::max)
}

// ---------------------------------------------------------------------------
// 4b. The matrix jobs
// ---------------------------------------------------------------------------

/// The walk-through's two matrix jobs at a realistic size: standardising a
/// 100 000 x 32 f32 feature matrix in place, and scoring it with a linear
/// model, `X · w`. The plain versions are what you would write by hand: a
/// zip-map-sum per row, and per-column sums gathered row by row.
fn matrix_jobs(backends: &[Kernels]) -> Result<(), Error> {
    let rows: usize = if quick() { 1_000 } else { 100_000 };
    const COLS: usize = 32;
    section(&format!(
        "4b. The matrix jobs on a {rows} x {COLS} f32 matrix (row-major)"
    ));

    // Column j holds values around 10 j, spread by j + 1: features on different scales.
    let mut rng = Rng(7);
    let x: Vec<f32> = (0..rows * COLS)
        .map(|i| {
            let j = (i % COLS) as f64;
            (10.0 * j + (j + 1.0) * rng.uniform(-1.0, 1.0)) as f32
        })
        .collect();
    let w: Vec<f32> = (0..COLS).map(|_| rng.uniform(-1.0, 1.0) as f32).collect();
    let mut out = vec![0.0_f32; rows];
    let mut buf = vec![0.0_f32; rows * COLS];
    let n = x.len();

    let header = ["", "matvec ms", "el/ns", "standardize ms", "el/ns"].map(String::from);
    let widths = [10, 10, 8, 15, 8];
    print_row(&header, &widths);
    let row = |name: &str, matvec: f64, standardize: f64| {
        let ms = |rate: f64| format!("{:.3}", n as f64 / rate / 1e6);
        let cells = [
            name.to_string(),
            ms(matvec),
            format!("{matvec:.2}"),
            ms(standardize),
            format!("{standardize:.2}"),
        ];
        print_row(&cells, &widths);
    };

    let mut first: Option<(Vec<f32>, Vec<f32>)> = None;
    let mut same = true;
    for k in backends {
        let mv = rate(n, || k.matvec(black_box(&x), COLS, black_box(&w), &mut out));
        let st = rate_in_place(&x, &mut buf, |b| k.standardize_columns(b, COLS));
        row(k.backend().name(), mv, st);
        // `out` and `buf` hold this backend's results.
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        match &first {
            None => first = Some((out.clone(), buf.clone())),
            Some((o, b)) => same &= bits(o) == bits(&out) && bits(b) == bits(&buf),
        }
    }
    let mv = rate(n, || {
        plain_matvec(black_box(&x), COLS, black_box(&w), &mut out)
    });
    let st = rate_in_place(&x, &mut buf, |b| plain_standardize(b, COLS));
    row("plain", mv, st);
    println!(
        "  Same bits from every backend: {}",
        if same {
            "yes"
        } else {
            "NO (please report this)"
        }
    );
    Ok(())
}

fn plain_matvec(x: &[f32], cols: usize, w: &[f32], out: &mut [f32]) {
    for (row, o) in x.chunks_exact(cols).zip(out) {
        *o = row.iter().zip(w).map(|(a, b)| a * b).sum();
    }
}

fn plain_standardize(x: &mut [f32], cols: usize) {
    let rows = (x.len() / cols) as f32;
    let mut mean = vec![0.0_f32; cols];
    for row in x.chunks_exact(cols) {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += v;
        }
    }
    mean.iter_mut().for_each(|m| *m /= rows);
    let mut std = vec![0.0_f32; cols];
    for row in x.chunks_exact(cols) {
        for ((s, m), v) in std.iter_mut().zip(&mean).zip(row) {
            *s += (v - m) * (v - m);
        }
    }
    std.iter_mut().for_each(|s| *s = (*s / rows).sqrt());
    for row in x.chunks_exact_mut(cols) {
        for ((v, m), s) in row.iter_mut().zip(&mean).zip(&std) {
            *v = if *s == 0.0 { 0.0 } else { (*v - m) / s };
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers: element types, test data, the oracle, timing, printing
// ---------------------------------------------------------------------------

/// What the tour needs of f32 and f64 beyond `numkern::Float`.
trait Elem:
    numkern::Float + Into<f64> + Default + std::iter::Sum<Self> + for<'a> std::iter::Sum<&'a Self>
{
    const NAME: &'static str;
    /// The unit roundoff: 2^-24 or 2^-53.
    const U: f64;
    const IS_F32: bool;
    const SUM_C: f64;
    const DOT_C: f64;
    const SQ_ERR_C: f64;
    const VARIANCE_C: f64;
    const LN_ULP: f64;
    /// Rounds an `f64` to this type.
    fn of(v: f64) -> Self;
    fn bits(self) -> u64;
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
}

impl Elem for f32 {
    const NAME: &'static str = "f32";
    const U: f64 = f32::EPSILON as f64 / 2.0;
    const IS_F32: bool = true;
    const SUM_C: f64 = bounds::SUM_F32;
    const DOT_C: f64 = bounds::DOT_F32;
    const SQ_ERR_C: f64 = bounds::SQ_ERR_F32;
    const VARIANCE_C: f64 = bounds::VARIANCE_F32;
    const LN_ULP: f64 = bounds::LN_F32_ULP;
    fn of(v: f64) -> f32 {
        v as f32
    }
    fn bits(self) -> u64 {
        self.to_bits().into()
    }
    fn ln(self) -> f32 {
        f32::ln(self)
    }
    fn sqrt(self) -> f32 {
        f32::sqrt(self)
    }
}

impl Elem for f64 {
    const NAME: &'static str = "f64";
    const U: f64 = f64::EPSILON / 2.0;
    const IS_F32: bool = false;
    const SUM_C: f64 = bounds::SUM_F64;
    const DOT_C: f64 = bounds::DOT_F64;
    const SQ_ERR_C: f64 = bounds::SQ_ERR_F64;
    const VARIANCE_C: f64 = bounds::VARIANCE_F64;
    const LN_ULP: f64 = bounds::LN_F64_ULP;
    fn of(v: f64) -> f64 {
        v
    }
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
}

/// The inputs of the kernel tables, and the exact logarithms of `pos`.
struct Data<T> {
    x: Vec<T>,
    y: Vec<T>,
    pos: Vec<T>,
    ln_exact: Vec<Dd>,
}

impl<T: Elem> Data<T> {
    fn new(n: usize) -> Data<T> {
        let mut rng = Rng(if T::IS_F32 { 32 } else { 64 });
        let x: Vec<T> = (0..n).map(|_| T::of(rng.uniform(0.0, 1.0))).collect();
        let y: Vec<T> = (0..n).map(|_| T::of(rng.uniform(-1.0, 1.0))).collect();
        let pos: Vec<T> = (0..n)
            .map(|_| {
                let exponent = rng.uniform(-30.0, 31.0).floor() as i32;
                T::of(rng.uniform(1.0, 2.0) * 2f64.powi(exponent))
            })
            .collect();
        let ln_exact = pos.iter().map(|&v| oracle::ln(v.into())).collect();
        Data {
            x,
            y,
            pos,
            ln_exact,
        }
    }
}

/// A small deterministic generator (SplitMix64): the tour prints the same
/// numbers on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)`.
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// The sum of `terms` in double-double, and the sum of their absolute values.
/// (The oracle's own `sum_terms` rounds its result to one `f64`, which would
/// blur the error of an `f64` result by up to `u * |exact|`.)
fn dd_sum(terms: impl Iterator<Item = Dd>) -> (Dd, f64) {
    terms.fold((Dd::default(), 0.0), |(s, abs), t| {
        (s.add(t), abs + t.value().abs())
    })
}

/// `sqrt(x)` in double-double: one Newton step from the `f64` root.
fn dd_sqrt(x: Dd) -> Dd {
    let r = x.hi.sqrt();
    if r == 0.0 {
        return Dd::default();
    }
    let residual = x.sub(Dd::from(r).mul(Dd::from(r)));
    Dd::from(r).add(Dd::from(residual.value() / (2.0 * r)))
}

/// `|got - exact|`, computed without rounding `exact` first.
fn dd_abs_diff(got: f64, exact: Dd) -> f64 {
    Dd::from(got).sub(exact).value().abs()
}

/// How many times each measurement is repeated, and how long each run lasts.
/// `NUMKERN_TOUR_QUICK=1` shrinks every size and repeat count, for runs under
/// an emulator (CI runs the tour on aarch64 under qemu, where timings mean
/// nothing anyway).
fn quick() -> bool {
    std::env::var_os("NUMKERN_TOUR_QUICK").is_some_and(|v| v != "0")
}
fn runs() -> usize {
    if quick() {
        1
    } else {
        9
    }
}
const RUN_SECS: f64 = 0.005;

/// Elements per nanosecond of `f` on `n` elements: the best of `runs()` runs,
/// each calling `f` enough times to last about `RUN_SECS`.
fn rate<R>(n: usize, mut f: impl FnMut() -> R) -> f64 {
    // Find the number of calls per run; this also warms caches and clocks.
    let mut calls = 1_usize;
    loop {
        let t = Instant::now();
        for _ in 0..calls {
            black_box(f());
        }
        let secs = t.elapsed().as_secs_f64();
        if secs > 1e-3 {
            calls = ((calls as f64 * RUN_SECS / secs).ceil() as usize).max(1);
            break;
        }
        calls *= 2;
    }
    let mut best = f64::INFINITY;
    for _ in 0..runs() {
        let t = Instant::now();
        for _ in 0..calls {
            black_box(f());
        }
        best = best.min(t.elapsed().as_secs_f64() / calls as f64);
    }
    n as f64 / (best * 1e9)
}

/// As [`rate`], for a function that overwrites its input: `buf` gets a fresh
/// copy of `src` before every call, and only the calls are timed. On return
/// `buf` holds `f(src)`.
fn rate_in_place<T: Copy, R>(src: &[T], buf: &mut [T], mut f: impl FnMut(&mut [T]) -> R) -> f64 {
    buf.copy_from_slice(src);
    black_box(f(buf));
    let mut best = f64::INFINITY;
    for _ in 0..runs() {
        let (mut secs, mut calls) = (0.0, 0);
        while secs < RUN_SECS {
            buf.copy_from_slice(src);
            let t = Instant::now();
            black_box(f(black_box(&mut *buf)));
            secs += t.elapsed().as_secs_f64();
            calls += 1;
        }
        best = best.min(secs / calls as f64);
    }
    src.len() as f64 / (best * 1e9)
}

fn section(title: &str) {
    println!("\n== {title} ==");
}

fn print_features(arch: &str, features: &[(&str, bool)]) {
    let list: Vec<String> = features
        .iter()
        .map(|(name, on)| format!("{name} {}", if *on { "yes" } else { "no" }))
        .collect();
    println!("  {arch} features:       {}", list.join(", "));
}

/// The column widths of the kernel tables.
fn table_widths(backends: usize) -> Vec<usize> {
    let mut w = vec![6, 9];
    w.extend(std::iter::repeat_n(9, backends + 1));
    w.extend([5, 8, 6, 10]);
    w
}

/// A kernel table's title and column headers.
fn kernel_header(call: &str, plain: &str) {
    println!("\n  {call:<16} plain Rust: {plain}");
    let mut cells = vec!["type".to_string(), "n".to_string()];
    cells.extend(Kernels::available().map(|b| b.name().to_string()));
    let backends = cells.len() - 2;
    cells.extend(["plain", "same", "err", "C", "plain err"].map(String::from));
    print_row(&cells, &table_widths(backends));
}

/// Prints one row: the first cell left-aligned, the others right-aligned.
fn print_row(cells: &[String], widths: &[usize]) {
    let mut line = String::from("  ");
    for (i, (cell, &w)) in cells.iter().zip(widths).enumerate() {
        if i == 0 {
            line.push_str(&format!("{cell:<w$}"));
        } else {
            line.push_str(&format!(" {cell:>w$}"));
        }
    }
    println!("{line}");
}

/// An error figure: three decimals while small, whole numbers when large.
fn fmt_err(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if v < 1e-3 {
        format!("{v:.1e}")
    } else if v < 100.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.0}")
    }
}

fn fmt_slice(x: &[f64], decimals: usize) -> String {
    let items: Vec<String> = x.iter().map(|v| format!("{v:.decimals$}")).collect();
    format!("[{}]", items.join(", "))
}

/// Prints a row-major matrix as NumPy prints a float array: 8 decimals,
/// trailing zeros dropped, every column aligned on the decimal point.
fn print_like_numpy(x: &[f64], cols: usize) {
    let parts: Vec<(String, String)> = x
        .iter()
        .map(|v| {
            let s = format!("{v:.8}");
            let s = s.trim_end_matches('0');
            let (int, frac) = s.split_once('.').unwrap_or((s, ""));
            (int.to_string(), frac.to_string())
        })
        .collect();
    let iw = parts.iter().map(|(i, _)| i.len()).max().unwrap_or(0);
    let fw = parts.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    let rows = parts.len() / cols;
    for (r, row) in parts.chunks(cols).enumerate() {
        let cells: Vec<String> = row
            .iter()
            .map(|(i, f)| format!("{i:>iw$}.{f:<fw$}"))
            .collect();
        let open = if r == 0 { "[[" } else { " [" };
        let close = if r + 1 == rows { "]]" } else { "]" };
        println!("  {open}{}{close}", cells.join(" "));
    }
}
