//! `ln` of `f64`: within `bounds::LN_F64_ULP` ulp everywhere, bit-identical
//! on every backend (here, those this machine runs).
//!
//! - `ln_f64_matches_mpmath` (always runs): 10,000 committed reference values
//!   from 200-bit mpmath (`tests/data/ln_f64_mpmath.txt`, made by
//!   `scripts/ln_f64_samples.py`): numkern within the bound, and the
//!   double-double oracle agreeing with mpmath to far below an ulp, which is
//!   what lets the large test trust the oracle.
//! - `ln_f64_1e8` (release, `--ignored`, CI runs it): 10^8 inputs, half
//!   spread over every binade (subnormals included) and half dense near 1,
//!   against the oracle on every backend this machine runs. Under emulation
//!   (CI's aarch64 run under qemu), `NUMKERN_LN_SAMPLE=k` runs the first
//!   `1/k` of them (the same inputs), and says how many.

use numkern::{bounds, Backend, Kernels};
use numkern_kernels::oracle::{self, Dd};

fn mpmath_samples() -> Vec<(f64, Dd)> {
    include_str!("data/ln_f64_mpmath.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let v: Vec<u64> = l
                .split_whitespace()
                .map(|h| u64::from_str_radix(h, 16).unwrap())
                .collect();
            (
                f64::from_bits(v[0]),
                Dd {
                    hi: f64::from_bits(v[1]),
                    lo: f64::from_bits(v[2]),
                },
            )
        })
        .collect()
}

fn all_backends() -> Vec<Kernels> {
    Kernels::available()
        .map(|b| Kernels::new(b).unwrap())
        .collect()
}

/// Asserts that backend `k`'s `ln` of `x` has the bits of scalar's, `want`.
fn same_as_scalar(k: &Kernels, x: &[f64], want: &[f64], got: &mut [f64]) {
    k.ln(x, got).unwrap();
    for ((g, w), xi) in got.iter().zip(want).zip(x) {
        assert_eq!(g.to_bits(), w.to_bits(), "{} at {xi:e}", k.backend());
    }
}

#[test]
fn ln_f64_matches_mpmath() {
    let samples = mpmath_samples();
    assert_eq!(samples.len(), 10_000);
    let x: Vec<f64> = samples.iter().map(|s| s.0).collect();
    let backends = all_backends();
    let mut want = vec![0.0; x.len()];
    backends[0].ln(&x, &mut want).unwrap();
    let mut worst = 0.0f64;
    for (i, &(xi, exact)) in samples.iter().enumerate() {
        let e = oracle::ulps(want[i], exact, false);
        assert!(
            e <= bounds::LN_F64_ULP,
            "ln({xi:e}) = {:e}: {e} ulp from mpmath",
            want[i]
        );
        worst = worst.max(e);
        let o = oracle::ln(xi);
        let d = o.sub(exact);
        assert!(
            (d.hi + d.lo).abs() <= 1e-28 * exact.hi.abs(),
            "oracle ln({xi:e}) is off mpmath by {:e}",
            d.hi + d.lo
        );
    }
    println!(
        "ln f64 vs mpmath: max {worst:.3} ulp over {} inputs",
        x.len()
    );
    let mut got = vec![0.0; x.len()];
    for k in &backends[1..] {
        same_as_scalar(k, &x, &want, &mut got);
    }
}

/// A small xorshift generator, so the inputs are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
#[ignore = "10^8 inputs against the double-double oracle: run in release with --ignored (CI does)"]
fn ln_f64_1e8() {
    const TOTAL: usize = 100_000_000;
    const CHUNK: usize = 1 << 16;
    let backends = all_backends();
    assert_eq!(backends[0].backend(), Backend::Scalar);
    let names: Vec<Backend> = backends.iter().map(|k| k.backend()).collect();
    println!("ln f64 on backends {names:?}");
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let k: usize = std::env::var("NUMKERN_LN_SAMPLE")
        .map_or(1, |v| v.parse().expect("NUMKERN_LN_SAMPLE: a whole number"));
    assert!(
        (1..=TOTAL / CHUNK).contains(&k),
        "NUMKERN_LN_SAMPLE: from 1 to {}",
        TOTAL / CHUNK
    );
    let chunks = TOTAL / CHUNK / k + 1;
    let worst = std::sync::Mutex::new((0.0f64, 0.0f64));
    std::thread::scope(|s| {
        for t in 0..threads {
            let (backends, worst) = (&backends, &worst);
            s.spawn(move || {
                let mut x = vec![0.0f64; CHUNK];
                let (mut want, mut got) = (vec![0.0f64; CHUNK], vec![0.0f64; CHUNK]);
                let mut local = (0.0f64, 0.0f64);
                let mut c = t;
                while c < chunks {
                    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (c as u64 + 1));
                    for (i, v) in x.iter_mut().enumerate() {
                        *v = if i % 2 == 0 {
                            // Any positive finite f64, subnormals included.
                            let b = rng.next() >> 1;
                            let y = f64::from_bits(b);
                            if y.is_finite() && y > 0.0 {
                                y
                            } else {
                                0.5
                            }
                        } else {
                            // 1 + d, |d| from 2^-52 to 1/2.
                            let e = (rng.next() % 52) as i32 + 1;
                            let m = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
                            let d = (2.0 * m - 1.0) * 2f64.powi(-e);
                            1.0 + d
                        };
                    }
                    backends[0].ln(&x, &mut want).unwrap();
                    for (i, &xi) in x.iter().enumerate() {
                        let e = oracle::ulps(want[i], oracle::ln(xi), false);
                        let near1 = i % 2 == 1;
                        if near1 {
                            local.1 = local.1.max(e);
                        } else {
                            local.0 = local.0.max(e);
                        }
                        assert!(
                            e <= bounds::LN_F64_ULP,
                            "ln({xi:e}) = {:e} is {e} ulp off",
                            want[i]
                        );
                    }
                    for k in &backends[1..] {
                        same_as_scalar(k, &x, &want, &mut got);
                    }
                    c += threads;
                }
                let mut w = worst.lock().unwrap();
                w.0 = w.0.max(local.0);
                w.1 = w.1.max(local.1);
            });
        }
    });
    let (spread, near1) = worst.into_inner().unwrap();
    println!(
        "ln f64 over {} inputs: max {spread:.4} ulp (all binades), {near1:.4} ulp (near 1)",
        chunks * CHUNK
    );
}
