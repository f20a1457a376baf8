//! The public API: every `Error` variant, readable messages, backend names,
//! the seed walk-through's examples, and the empty-input and special-value
//! conventions.

mod common;

use common::*;
use numkern::{Backend, Error, Kernels};

fn all_kernels() -> Vec<Kernels> {
    Kernels::available()
        .map(|b| Kernels::new(b).expect("available backends construct"))
        .collect()
}

#[test]
fn length_mismatch() {
    let a = [1.0f64, 2.0, 3.0];
    let b = [1.0f64, 2.0];
    let lm = Error::LengthMismatch {
        expected: 3,
        found: 2,
    };
    assert_eq!(numkern::dot(&a, &b), Err(lm));
    assert_eq!(numkern::sse(&a, &b), Err(lm));
    assert_eq!(numkern::mse(&a, &b), Err(lm));
    assert_eq!(
        numkern::mse::<f32>(&[], &[1.0]),
        Err(Error::LengthMismatch {
            expected: 0,
            found: 1
        })
    );
    let mut out = [0.0f64; 2];
    assert_eq!(numkern::ln(&a, &mut out), Err(lm));
    // matvec: w against cols, then out against rows.
    let x = [1.0f64; 6]; // 2 x 3
    let mut out2 = [0.0f64; 2];
    assert_eq!(
        numkern::matvec(&x, 3, &b, &mut out2),
        Err(Error::LengthMismatch {
            expected: 3,
            found: 2
        })
    );
    let mut out3 = [0.0f64; 3];
    assert_eq!(
        numkern::matvec(&x, 3, &a, &mut out3),
        Err(Error::LengthMismatch {
            expected: 2,
            found: 3
        })
    );
    // The same through every backend's handle, f32 too.
    for k in all_kernels() {
        let a = [1.0f32; 5];
        let b = [1.0f32; 4];
        let lm = Err(Error::LengthMismatch {
            expected: 5,
            found: 4,
        });
        assert_eq!(k.dot(&a, &b), lm);
        assert_eq!(k.sse(&a, &b), lm);
        assert_eq!(k.mse(&a, &b), lm);
        assert_eq!(
            k.ln(&a, &mut [0.0f32; 4]),
            Err(Error::LengthMismatch {
                expected: 5,
                found: 4
            })
        );
        assert_eq!(
            k.matvec(&[1.0f32; 10], 5, &b, &mut [0.0f32; 2]),
            Err(Error::LengthMismatch {
                expected: 5,
                found: 4
            })
        );
        assert_eq!(
            k.matvec(&[1.0f32; 10], 5, &a, &mut [0.0f32; 1]),
            Err(Error::LengthMismatch {
                expected: 2,
                found: 1
            })
        );
    }
}

#[test]
fn empty() {
    let e: [f64; 0] = [];
    assert_eq!(numkern::mean(&e), Err(Error::Empty));
    assert_eq!(numkern::variance(&e, 0), Err(Error::Empty));
    assert_eq!(numkern::std_dev(&e, 0), Err(Error::Empty));
    assert_eq!(numkern::variance(&e, 1), Err(Error::Empty));
    assert_eq!(numkern::mse(&e, &e), Err(Error::Empty));
    // Zero rows: any multiple of cols that is 0.
    assert_eq!(
        numkern::standardize_columns::<f64>(&mut [], 3),
        Err(Error::Empty)
    );
    for k in all_kernels() {
        let e: [f32; 0] = [];
        assert_eq!(k.mean(&e), Err(Error::Empty));
        assert_eq!(k.variance(&e, 0), Err(Error::Empty));
        assert_eq!(k.std_dev(&e, 1), Err(Error::Empty));
        assert_eq!(k.mse(&e, &e), Err(Error::Empty));
        assert_eq!(k.standardize_columns::<f32>(&mut [], 1), Err(Error::Empty));
    }
}

#[test]
fn ddof() {
    let x = [1.0f64, 2.0, 4.0];
    assert_eq!(
        numkern::variance(&x, 3),
        Err(Error::Ddof { ddof: 3, len: 3 })
    );
    assert_eq!(
        numkern::variance(&x, 7),
        Err(Error::Ddof { ddof: 7, len: 3 })
    );
    assert_eq!(
        numkern::std_dev(&x, 3),
        Err(Error::Ddof { ddof: 3, len: 3 })
    );
    assert_eq!(
        numkern::std_dev(&[1.0f32], 1),
        Err(Error::Ddof { ddof: 1, len: 1 })
    );
    assert!(numkern::variance(&x, 2).is_ok());
    assert!(numkern::variance(&[5.0f32], 0).is_ok());
    for k in all_kernels() {
        assert_eq!(
            k.variance(&[1.0f32, 2.0], 2),
            Err(Error::Ddof { ddof: 2, len: 2 })
        );
        assert_eq!(
            k.std_dev(&[1.0f32, 2.0], usize::MAX),
            Err(Error::Ddof {
                ddof: usize::MAX,
                len: 2
            })
        );
    }
}

#[test]
fn shape() {
    let x = [1.0f64; 6];
    let w = [1.0f64; 3];
    let mut out = [0.0f64; 2];
    assert_eq!(
        numkern::matvec(&x, 0, &[], &mut out),
        Err(Error::Shape { len: 6, cols: 0 })
    );
    assert_eq!(
        numkern::matvec(&x, 4, &w, &mut out),
        Err(Error::Shape { len: 6, cols: 4 })
    );
    let mut y = [1.0f64; 7];
    assert_eq!(
        numkern::standardize_columns(&mut y, 0),
        Err(Error::Shape { len: 7, cols: 0 })
    );
    assert_eq!(
        numkern::standardize_columns(&mut y, 3),
        Err(Error::Shape { len: 7, cols: 3 })
    );
    // cols == 0 on an empty matrix is a shape error, not Empty.
    assert_eq!(
        numkern::standardize_columns::<f32>(&mut [], 0),
        Err(Error::Shape { len: 0, cols: 0 })
    );
    assert_eq!(y, [1.0; 7], "a rejected matrix is left alone");
    for k in all_kernels() {
        assert_eq!(
            k.matvec(&[1.0f32; 5], 2, &[1.0, 1.0], &mut [0.0; 2]),
            Err(Error::Shape { len: 5, cols: 2 })
        );
        assert_eq!(
            k.standardize_columns(&mut [1.0f32; 5], 2),
            Err(Error::Shape { len: 5, cols: 2 })
        );
    }
}

/// A backend that is not compiled for this architecture.
fn foreign_backend() -> Backend {
    if cfg!(target_arch = "aarch64") {
        Backend::Avx2
    } else {
        Backend::Neon
    }
}

#[test]
fn unsupported_and_unknown_backend() {
    let b = foreign_backend();
    let e = Kernels::new(b).unwrap_err();
    assert_eq!(e, Error::Unsupported { backend: b });
    assert!(!Kernels::available().any(|a| a == b));
    assert!(e.to_string().contains(b.name()), "{e}");
    assert_eq!("foo".parse::<Backend>(), Err(Error::UnknownBackend));
    assert_eq!("".parse::<Backend>(), Err(Error::UnknownBackend));
    assert_eq!("avx".parse::<Backend>(), Err(Error::UnknownBackend));
}

#[test]
fn byte_views() {
    use numkern::bytes;
    let raw = [1.0f64, 2.0, 3.0, 4.0];
    let all: &[u8] = bytemuck::cast_slice(&raw);
    // Aligned, whole elements.
    assert_eq!(bytes::as_f64(all).unwrap(), &raw);
    assert_eq!(bytes::as_f32(all).unwrap().len(), 8);
    // Misaligned (by one byte): for both element types.
    assert_eq!(
        bytes::as_f32(&all[1..9]),
        Err(Error::Misaligned { align: 4 })
    );
    assert_eq!(
        bytes::as_f64(&all[1..9]),
        Err(Error::Misaligned { align: 8 })
    );
    // Ragged lengths.
    assert_eq!(
        bytes::as_f32(&all[..5]),
        Err(Error::ByteLength {
            len: 5,
            elem_size: 4
        })
    );
    assert_eq!(
        bytes::as_f64(&all[..12]),
        Err(Error::ByteLength {
            len: 12,
            elem_size: 8
        })
    );
    // The mutable views.
    let mut buf = [0.0f64; 4];
    let b: &mut [u8] = bytemuck::cast_slice_mut(&mut buf);
    assert_eq!(
        bytes::as_f32_mut(&mut b[4..9]).map(|s| s.len()),
        Err(Error::ByteLength {
            len: 5,
            elem_size: 4
        })
    );
    assert_eq!(
        bytes::as_f64_mut(&mut b[4..20]).map(|s| s.len()),
        Err(Error::Misaligned { align: 8 })
    );
    assert_eq!(
        bytes::as_f32_mut(&mut b[3..11]).map(|s| s.len()),
        Err(Error::Misaligned { align: 4 })
    );
    assert_eq!(bytes::as_f64_mut(&mut b[5..5]).map(|s| s.len()), Ok(0));
    bytes::as_f64_mut(b).unwrap()[2] = 7.5;
    assert_eq!(buf[2], 7.5);
    // An empty buffer is a valid empty view, aligned or not.
    assert_eq!(bytes::as_f32(&all[..0]).map(|s| s.len()), Ok(0));
    assert_eq!(bytes::as_f32(&all[1..1]).map(|s| s.len()), Ok(0));
    assert_eq!(bytes::as_f64(&all[3..3]).map(|s| s.len()), Ok(0));
}

#[test]
fn errors_display_readably() {
    let cases: Vec<(Error, Vec<&str>)> = vec![
        (
            Error::LengthMismatch {
                expected: 17,
                found: 42,
            },
            vec!["17", "42"],
        ),
        (Error::Empty, vec![]),
        (Error::Ddof { ddof: 5, len: 3 }, vec!["5", "3"]),
        (Error::Shape { len: 10, cols: 4 }, vec!["10", "4"]),
        (
            Error::Unsupported {
                backend: Backend::Neon,
            },
            vec!["neon"],
        ),
        (Error::UnknownBackend, vec![]),
        (Error::Misaligned { align: 8 }, vec!["8"]),
        (
            Error::ByteLength {
                len: 13,
                elem_size: 4,
            },
            vec!["13", "4"],
        ),
    ];
    for (e, needles) in cases {
        let s = e.to_string();
        assert!(s.len() > 10, "{e:?} displays as {s:?}");
        assert!(
            !s.contains("{") && !s.contains("Error"),
            "{e:?} displays as {s:?}"
        );
        for n in needles {
            assert!(
                s.contains(n),
                "{e:?} displays as {s:?}, which does not mention {n}"
            );
        }
        // It is a std error.
        let _: &dyn std::error::Error = &e;
    }
    // Errors from real calls carry the real numbers.
    let e = numkern::dot(&[1.0f32; 1000], &[1.0f32; 999]).unwrap_err();
    assert!(
        e.to_string().contains("1000") && e.to_string().contains("999"),
        "{e}"
    );
}

#[test]
fn backend_names_round_trip() {
    for b in Backend::ALL {
        let name = b.to_string();
        assert_eq!(name, b.name());
        assert_eq!(name.parse::<Backend>(), Ok(b));
        assert_eq!(name.to_uppercase().parse::<Backend>(), Ok(b));
        assert_eq!(format!("  {name}\n").parse::<Backend>(), Ok(b));
    }
    let names: Vec<&str> = Backend::ALL.iter().map(|b| b.name()).collect();
    assert_eq!(names, ["scalar", "portable", "avx2", "neon"]);
}

#[test]
fn available_and_detected() {
    let avail: Vec<Backend> = Kernels::available().collect();
    assert_eq!(
        avail.first(),
        Some(&Backend::Scalar),
        "scalar first: {avail:?}"
    );
    assert!(avail.contains(&Backend::Portable), "{avail:?}");
    for b in &avail {
        assert_eq!(Kernels::new(*b).unwrap().backend(), *b);
    }
    assert_eq!(numkern::backend(), Kernels::detected().backend());
    assert!(avail.contains(&numkern::backend()));
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
        assert!(
            avail.contains(&Backend::Avx2),
            "this CPU has AVX2 and FMA: {avail:?}"
        );
    }
    #[cfg(target_arch = "aarch64")]
    assert!(avail.contains(&Backend::Neon), "{avail:?}");
}

/// The seed: `(X - X.mean(axis=0)) / X.std(axis=0)` of
/// `[[10,20,30],[40,50,60],[70,80,90]]` is `-1.22474487, 0, 1.22474487`
/// down every column (exactly `∓sqrt(3/2)`).
fn seed_standardize<T: TFloat>() {
    let x: Vec<T> = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
        .iter()
        .map(|&v| T::from64(v))
        .collect();
    let z = 1.5f64.sqrt();
    assert!((z - 1.224_744_87).abs() < 5e-9);
    for k in all_kernels() {
        let mut y = x.clone();
        k.standardize_columns(&mut y, 3).unwrap();
        let checked =
            check_standardized(&x, 3, &y).unwrap_or_else(|e| panic!("{}: {e}", k.backend()));
        assert_eq!(checked, 3);
        for c in 0..3 {
            // The same tolerance, stated on the seed's printed values.
            assert!(y[c].to64() < -1.2247 && y[c].to64() > -1.2248, "{:?}", y);
            assert_eq!(y[3 + c].to64(), 0.0, "{y:?}");
            assert!(
                y[6 + c].to64() > 1.2247 && y[6 + c].to64() < 1.2248,
                "{:?}",
                y
            );
        }
        let mut y2 = x.clone();
        numkern::standardize_columns(&mut y2, 3).unwrap();
        same_slice("free function vs handle", &y2, &y).unwrap();
    }
}

#[test]
fn seed_standardize_f32() {
    seed_standardize::<f32>()
}

#[test]
fn seed_standardize_f64() {
    seed_standardize::<f64>()
}

/// The seed's MSE: squared errors 0.25, 0.25, 0.01, 0.64, so 0.2875 (the
/// seed printed 0.4125, a slip).
fn seed_mse<T: TFloat>() {
    let t: Vec<T> = [3.0, -0.5, 2.0, 7.0]
        .iter()
        .map(|&v| T::from64(v))
        .collect();
    let p: Vec<T> = [2.5, 0.0, 2.1, 7.8].iter().map(|&v| T::from64(v)).collect();
    for k in all_kernels() {
        let m = k.mse(&t, &p).unwrap();
        // Against the exact MSE of the values as stored in T...
        check_mse(&t, &p, m).unwrap_or_else(|e| panic!("{}: {e}", k.backend()));
        // ...and against 0.2875 itself: the bound is C u mse.
        let tol = T::C_SQ_ERR * T::U * 0.2875;
        assert!(
            (m.to64() - 0.2875).abs() <= tol,
            "{}: mse {m:?}",
            k.backend()
        );
        let s = k.sse(&t, &p).unwrap();
        assert!(
            (s.to64() - 1.15).abs() <= T::C_SQ_ERR * T::U * 1.15,
            "sse {s:?}"
        );
    }
    assert!(same_bits(
        numkern::mse(&t, &p).unwrap(),
        scalar().mse(&t, &p).unwrap()
    ));
}

#[test]
fn seed_mse_f32() {
    seed_mse::<f32>()
}

#[test]
fn seed_mse_f64() {
    seed_mse::<f64>()
}

#[test]
fn empty_input_conventions() {
    for k in all_kernels() {
        assert_eq!(k.sum::<f32>(&[]).to_bits(), 0.0f32.to_bits());
        assert_eq!(k.sum::<f64>(&[]).to_bits(), 0.0f64.to_bits());
        assert_eq!(k.dot::<f32>(&[], &[]).unwrap().to_bits(), 0);
        assert_eq!(k.dot::<f64>(&[], &[]).unwrap().to_bits(), 0);
        assert_eq!(k.sse::<f32>(&[], &[]).unwrap().to_bits(), 0);
        assert_eq!(k.sse::<f64>(&[], &[]).unwrap().to_bits(), 0);
        // Zeros of any sign sum to +0.0.
        assert_eq!(k.sum(&[-0.0f32; 300]).to_bits(), 0);
        assert_eq!(k.sum(&[-0.0f64; 300]).to_bits(), 0);
        // Empty in-place and out-of-place ln, empty matvec (0 rows).
        k.ln_in_place::<f64>(&mut []);
        assert_eq!(k.ln::<f32>(&[], &mut []), Ok(()));
        assert_eq!(k.matvec::<f64>(&[], 3, &[1.0; 3], &mut []), Ok(()));
    }
    assert_eq!(numkern::sum::<f32>(&[]), 0.0);
    assert_eq!(numkern::dot::<f64>(&[], &[]), Ok(0.0));
    assert_eq!(numkern::sse::<f64>(&[], &[]), Ok(0.0));
}

/// The documented special values: NaN in, NaN out; infinities follow IEEE.
/// 2000 elements take `f64`'s per-lane accumulators (`kernels/src/reduce.rs`),
/// with an infinity and a NaN in any lane.
fn special_values<T: TFloat>() {
    let (inf, nan, one) = (T::INF, T::NAN, T::from64(1.0));
    for k in all_kernels() {
        for n in [300usize, 2000] {
            let zeros = vec![T::from64(-0.0); n];
            assert!(same_bits(k.sum(&zeros), T::POS_ZERO), "zeros sum to +0.0");
            let mut big = vec![one; n];
            (big[0], big[n / 2 + 1]) = (T::MAX, T::MAX);
            assert!(same_bits(k.sum(&big), inf), "a sum that overflows is +inf");
        }
        for n in [1usize, 5, 300, 2000] {
            // At 2000: lanes 0, 1, 2 and 3 of the `f64` vectors.
            for pos in [0, n / 2, n / 2 + 1, n / 2 + 2, n - 1]
                .into_iter()
                .filter(|&p| p < n)
            {
                let mut x = vec![one; n];
                x[pos] = nan;
                assert!(k.sum(&x).nan() && k.mean(&x).unwrap().nan());
                assert!(k.variance(&x, 0).unwrap().nan() && k.std_dev(&x, 0).unwrap().nan());
                assert!(k.dot(&x, &x).unwrap().nan() && k.sse(&x, &vec![one; n]).unwrap().nan());
                x[pos] = inf;
                assert!(same_bits(k.sum(&x), inf), "sum with +inf");
                assert!(same_bits(k.mean(&x).unwrap(), inf));
                assert!(
                    k.variance(&x, 0).unwrap().nan(),
                    "variance with an infinity is NaN"
                );
                assert!(same_bits(k.sse(&x, &vec![one; n]).unwrap(), inf));
                x[pos] = inf.neg();
                assert!(same_bits(k.sum(&x), inf.neg()), "sum with -inf");
                if n > 1 {
                    x[(pos + 1) % n] = inf;
                    assert!(k.sum(&x).nan(), "inf + -inf");
                    assert!(k.sse(&x, &x).unwrap().nan(), "inf - inf");
                }
            }
        }
        assert!(k.dot(&[T::POS_ZERO], &[inf]).unwrap().nan(), "0 * inf");
    }
}

#[test]
fn special_values_f32() {
    special_values::<f32>()
}

#[test]
fn special_values_f64() {
    special_values::<f64>()
}

/// Free functions are the detected backend's methods, bit for bit.
#[test]
fn free_functions_are_the_detected_kernels() {
    let k = Kernels::detected();
    let mut rng = XorShift::new(8);
    let x = random_mixed::<f64>(&mut rng, 1001, -5, 5);
    let y = random_mixed::<f64>(&mut rng, 1001, -5, 5);
    assert!(same_bits(numkern::sum(&x), k.sum(&x)));
    assert!(same_bits(numkern::mean(&x).unwrap(), k.mean(&x).unwrap()));
    assert!(same_bits(
        numkern::variance(&x, 1).unwrap(),
        k.variance(&x, 1).unwrap()
    ));
    assert!(same_bits(
        numkern::std_dev(&x, 0).unwrap(),
        k.std_dev(&x, 0).unwrap()
    ));
    assert!(same_bits(
        numkern::dot(&x, &y).unwrap(),
        k.dot(&x, &y).unwrap()
    ));
    assert!(same_bits(
        numkern::sse(&x, &y).unwrap(),
        k.sse(&x, &y).unwrap()
    ));
    assert!(same_bits(
        numkern::mse(&x, &y).unwrap(),
        k.mse(&x, &y).unwrap()
    ));
    let (mut a, mut b) = (vec![0.0; 1001], vec![0.0; 1001]);
    numkern::ln(&x, &mut a).unwrap();
    k.ln(&x, &mut b).unwrap();
    same_slice("ln", &a, &b).unwrap();
    numkern::ln_in_place(&mut b);
    k.ln_in_place(&mut a);
    same_slice("ln_in_place", &a, &b).unwrap();
    let (mut o1, mut o2) = (vec![0.0; 7], vec![0.0; 7]);
    numkern::matvec(&x[..1001 / 7 * 7], 143, &y[..143], &mut o1).unwrap();
    k.matvec(&x[..1001 / 7 * 7], 143, &y[..143], &mut o2)
        .unwrap();
    same_slice("matvec", &o1, &o2).unwrap();
}
