//! Every backend against the scalar reference, bit for bit, and the scalar
//! reference against the oracle within the documented bounds.
//!
//! `backend_suite!` expands the same tests for each backend, so each test
//! shows up by backend name (`avx2::dot_f32_matches_scalar`). A backend this
//! CPU cannot run is skipped with a note on stderr, unless `NUMKERN_REQUIRE`
//! lists it, in which case its tests fail.

mod common;

use common::*;
use numkern::{Backend, Error, Kernels};
use proptest::prelude::*;

/// Cases per bit-identity property (`PROPTEST_CASES` overrides).
const BIT_CASES: u32 = 192;
/// Cases per oracle property.
const ORACLE_CASES: u32 = 512;

// ---------------------------------------------------------------------------
// Bit identity with the scalar backend (properties)
// ---------------------------------------------------------------------------

fn unary<T: TFloat>(b: Backend, what: &str, f: impl Fn(&Kernels, &[T]) -> Result<T, Error>) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    run(cases(BIT_CASES), slice::<T>(Kind::Any), |x| {
        let x = x.get();
        same_result(what, f(&k, x), f(&s, x))
    });
}

fn binary<T: TFloat>(b: Backend, what: &str, f: impl Fn(&Kernels, &[T], &[T]) -> Result<T, Error>) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    run(cases(BIT_CASES), slice_pair::<T>(Kind::Any), |(x, y)| {
        let (x, y) = (x.get(), y.get());
        same_result(what, f(&k, x, y), f(&s, x, y))
    });
}

/// `ln` out of place into a misaligned output, against scalar.
fn ln_matches<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    let strategy = (slice::<T>(Kind::Any), 0usize..8);
    run(cases(BIT_CASES), strategy, |(x, out_off)| {
        let x = x.get();
        let mut got = vec![T::NAN; x.len() + 8];
        let mut want = vec![T::NAN; x.len()];
        let out = &mut got[out_off..out_off + x.len()];
        k.ln(x, out).map_err(|e| e.to_string())?;
        s.ln(x, &mut want).map_err(|e| e.to_string())?;
        same_slice("ln", out, &want)
    });
}

/// `ln_in_place` against scalar's, and against this backend's out-of-place `ln`.
fn ln_in_place_matches<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    run(cases(BIT_CASES), slice::<T>(Kind::Any), |x| {
        let mut got = x.clone();
        let (off, len) = (x.off, x.len);
        k.ln_in_place(&mut got.buf[off..off + len]);
        let mut want = x.clone();
        s.ln_in_place(&mut want.buf[off..off + len]);
        same_slice("ln_in_place (whole buffer)", &got.buf, &want.buf)?;
        let mut out = vec![T::POS_ZERO; len];
        k.ln(x.get(), &mut out).map_err(|e| e.to_string())?;
        same_slice("ln_in_place vs ln", got.get(), &out)
    });
}

fn matvec_matches<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    let strategy = matrix::<T>(Kind::Any, 0)
        .prop_flat_map(|(x, cols)| (Just(x), Just(cols), slice_of_len::<T>(Kind::Any, cols)));
    run(cases(BIT_CASES), strategy, |(x, cols, w)| {
        let (x, w) = (x.get(), w.get());
        let rows = x.len() / cols;
        let mut got = vec![T::NAN; rows];
        let mut want = vec![T::NAN; rows];
        k.matvec(x, cols, w, &mut got).map_err(|e| e.to_string())?;
        s.matvec(x, cols, w, &mut want).map_err(|e| e.to_string())?;
        same_slice("matvec", &got, &want)?;
        for (r, row) in x.chunks_exact(cols).enumerate() {
            same_result(&format!("matvec row {r} vs dot"), Ok(got[r]), k.dot(row, w))?;
        }
        Ok(())
    });
}

fn standardize_matches<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    run(cases(BIT_CASES), matrix::<T>(Kind::Any, 0), |(x, cols)| {
        let (off, len) = (x.off, x.len);
        let mut got = x.buf.clone();
        let mut want = x.buf.clone();
        let rg = k.standardize_columns(&mut got[off..off + len], cols);
        let rw = s.standardize_columns(&mut want[off..off + len], cols);
        if rg != rw {
            return Err(format!("standardize_columns: {rg:?} vs scalar {rw:?}"));
        }
        same_slice("standardize_columns (whole buffer)", &got, &want)
    });
}

// ---------------------------------------------------------------------------
// Scalar against the oracle (properties)
// ---------------------------------------------------------------------------

fn oracle_unary<T: TFloat>(check: impl Fn(&Kernels, &[T]) -> Result<(), String>) {
    let s = scalar();
    run(cases(ORACLE_CASES), slice::<T>(Kind::Finite), |x| {
        check(&s, x.get())
    });
}

fn oracle_binary<T: TFloat>(check: impl Fn(&Kernels, &[T], &[T]) -> Result<(), String>) {
    let s = scalar();
    run(
        cases(ORACLE_CASES),
        slice_pair::<T>(Kind::Finite),
        |(x, y)| check(&s, x.get(), y.get()),
    );
}

fn oracle_ln<T: TFloat>(in_place: bool) {
    let s = scalar();
    run(cases(ORACLE_CASES), slice::<T>(Kind::Positive), |x| {
        let x = x.get();
        let mut out = x.to_vec();
        if in_place {
            s.ln_in_place(&mut out);
        } else {
            s.ln(x, &mut out).map_err(|e| e.to_string())?;
        }
        check_ln(x, &out)
    });
}

fn oracle_matvec<T: TFloat>() {
    let s = scalar();
    let strategy = matrix::<T>(Kind::Finite, 0)
        .prop_flat_map(|(x, cols)| (Just(x), Just(cols), slice_of_len::<T>(Kind::Finite, cols)));
    run(cases(ORACLE_CASES), strategy, |(x, cols, w)| {
        let (x, w) = (x.get(), w.get());
        let mut out = vec![T::NAN; x.len() / cols];
        s.matvec(x, cols, w, &mut out).map_err(|e| e.to_string())?;
        for (row, &o) in x.chunks_exact(cols).zip(&out) {
            check_dot(row, w, o)?;
        }
        Ok(())
    });
}

fn oracle_standardize<T: TFloat>() {
    let s = scalar();
    run(
        cases(ORACLE_CASES),
        matrix::<T>(Kind::Finite, 1),
        |(x, cols)| {
            let x = x.get();
            let mut got = x.to_vec();
            s.standardize_columns(&mut got, cols)
                .map_err(|e| e.to_string())?;
            check_standardized(x, cols, &got).map(|_| ())
        },
    );
}

// ---------------------------------------------------------------------------
// Deterministic tests
// ---------------------------------------------------------------------------

/// Every length 0..=1100 (every block boundary: blocks are 256 f32 / 128 f64
/// elements, vectors 8 / 4; `variance`'s 1024 / 512), and the lengths next to
/// `variance`'s block boundaries up to 8 blocks, at offset `len % 8`, every
/// reduction and `ln`, bit for bit against scalar; on finite data and on
/// wide data whose results overflow or turn NaN.
fn all_lengths<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    let mut rng = XorShift::new(0x5eed ^ T::BLOCK as u64);
    let long = (2..=8).flat_map(|m| [m * T::VAR_BLOCK - 1, m * T::VAR_BLOCK, m * T::VAR_BLOCK + 1]);
    let mut lengths: Vec<usize> = (0..=1100).chain(long).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let n = lengths.iter().max().map_or(0, |m| m + 8);
    let finite = (
        random_mixed::<T>(&mut rng, n, -12, 12),
        cancelling::<T>(&mut rng, n),
    );
    let wide: (Vec<T>, Vec<T>) = (
        (0..n)
            .map(|i| match i % 97 {
                13 => T::NAN,
                41 => T::INF,
                _ => rng.mixed::<T>(-(T::BIAS - 2), T::BIAS - 2),
            })
            .collect(),
        (0..n)
            .map(|_| rng.mixed::<T>(-(T::BIAS - 2), T::BIAS - 2))
            .collect(),
    );
    for (name, (a, c)) in [("finite", finite), ("wide", wide)] {
        for &len in &lengths {
            let off = len % 8;
            let x = &a[off..off + len];
            let y = &c[8 - off..8 - off + len];
            let ctx = |what: &str| format!("{name} data, len {len}, {what} {}", T::NAME);
            let check = |r: Result<(), String>| r.unwrap_or_else(|e| panic!("{e}"));
            check(same_result(&ctx("sum"), Ok(k.sum(x)), Ok(s.sum(x))));
            check(same_result(&ctx("mean"), k.mean(x), s.mean(x)));
            for ddof in [0, 1] {
                check(same_result(
                    &ctx("variance"),
                    k.variance(x, ddof),
                    s.variance(x, ddof),
                ));
                check(same_result(
                    &ctx("std_dev"),
                    k.std_dev(x, ddof),
                    s.std_dev(x, ddof),
                ));
            }
            check(same_result(&ctx("dot"), k.dot(x, y), s.dot(x, y)));
            check(same_result(&ctx("sse"), k.sse(x, y), s.sse(x, y)));
            check(same_result(&ctx("mse"), k.mse(x, y), s.mse(x, y)));
            let mut got = vec![T::POS_ZERO; len];
            let mut want = vec![T::POS_ZERO; len];
            // ln of |x| so that most results are numbers, not NaN.
            let ax: Vec<T> = x.iter().map(|v| T::from64(v.to64().abs())).collect();
            k.ln(&ax, &mut got).unwrap();
            s.ln(&ax, &mut want).unwrap();
            check(same_slice(&ctx("ln"), &got, &want));
            let mut inplace = ax.clone();
            k.ln_in_place(&mut inplace);
            check(same_slice(&ctx("ln_in_place"), &inplace, &want));
        }
    }
}

/// `sum`, `mean`, `dot`, `sse` and `mse` of long inputs placed 16 bytes past
/// a 32-byte boundary, where a `Vec` of 128 KiB or more typically starts:
/// lengths at, just inside and just outside the range of sizes read by
/// halves (2 to 16 MiB read), for one slice and for two, with odd tails
/// ([`inputs_off`]).
fn long_inputs_16_bytes_off<T: TFloat>(b: Backend) {
    let mib = (1 << 20) / std::mem::size_of::<T>();
    let lengths = [
        mib - 1,
        mib,
        mib + 37,
        2 * mib - 3,
        2 * mib,
        2 * mib + 1029,
        8 * mib,
        8 * mib + 3,
        16 * mib,
        16 * mib + 5,
    ];
    inputs_off::<T>(b, &lengths, &[(16, 16), (16, 0)]);
}

/// The same for short inputs, which half of the small `Vec`s start at (a
/// 16-byte aligned allocation): lengths around one block (256 `f32`) and at
/// the edges of the sizes read by aligned loads on `avx2` (up to 512 KiB
/// read: for two slices 64 Ki `f32` or 32 Ki `f64`, for one twice that).
fn short_inputs_16_bytes_off<T: TFloat>(b: Backend) {
    inputs_off::<T>(b, &SHORT_OFF_LENGTHS, &[(16, 16), (16, 0)]);
}

/// Lengths for [`short_inputs_16_bytes_off`] and [`short_inputs_other_offsets`].
const SHORT_OFF_LENGTHS: [usize; 13] = [
    255, 256, 257, 1000, 1031, 4096, 32768, 32769, 65535, 65536, 65537, 131072, 131075,
];

/// The same from the other offsets (such as `&v[1..]` of a 32-byte aligned
/// `v`): `f32` slices 4 to 28 bytes and `f64` slices 8 or 24 bytes past a
/// 32-byte boundary, which `avx2` reads by aligned loads from more than
/// 2 KiB up to 512 KiB read;
/// and slices at different offsets, which it reads in the first one's form
/// (the second's loads unaligned) unless the second is aligned, and then
/// whole.
fn short_inputs_other_offsets<T: TFloat>(b: Backend) {
    let offsets: &[(usize, usize)] = if std::mem::size_of::<T>() == 4 {
        &[
            (4, 4),
            (8, 8),
            (12, 12),
            (20, 20),
            (24, 24),
            (28, 28),
            (4, 8),
            (28, 0),
            (12, 16),
            (16, 4),
            (0, 20),
        ]
    } else {
        &[
            (8, 8),
            (24, 24),
            (8, 24),
            (24, 0),
            (8, 16),
            (16, 8),
            (0, 24),
        ]
    };
    inputs_off::<T>(b, &SHORT_OFF_LENGTHS, offsets);
}

/// `sum`, `mean`, `dot`, `sse` and `mse` of inputs of each of `lengths`
/// placed at each pair of `offsets` (bytes past a 32-byte boundary, of the
/// first slice and of the second), bit for bit against scalar. On `avx2` it
/// checks that the `asm!` loops read the vectors the way expected
/// (`load_form` in `kernels/src/avx2.rs`): both slices 16 bytes off, by
/// halves where 2 to 16 MiB are read; the first 16 bytes off and the second
/// not aligned, by aligned loads (of the first) up to 512 KiB; the first at
/// one of the other offsets (`f32` 4 to 28 bytes, `f64` 8 or 24) and the
/// second not aligned, by aligned loads from more than 2 KiB up to 512 KiB;
/// whole otherwise. Finite data, and the same data with an infinity (a third
/// of the way into the first slice) or a NaN (half way), at every length.
fn inputs_off<T: TFloat>(b: Backend, lengths: &[usize], offsets: &[(usize, usize)]) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    let size = std::mem::size_of::<T>();
    let n = lengths.iter().copied().max().unwrap_or(0);
    let mut rng = XorShift::new(0x16b ^ size as u64 ^ n as u64);
    // Each buffer with room to start its slice anywhere in 64 bytes.
    let pad = 64 / size;
    let mut a = random_mixed::<T>(&mut rng, n + pad, -12, 12);
    let c = random_mixed::<T>(&mut rng, n + pad, -12, 12);
    // The first element of `v` at `want` bytes past a 32-byte boundary.
    let start = |v: &[T], want: usize| ((want + 32 - v.as_ptr() as usize % 32) % 32) / size;
    // Where each kind of data has its special value in the first slice.
    type Special<T> = Option<(fn(usize) -> usize, T)>;
    let kinds: [(&str, Special<T>); 3] = [
        ("finite", None),
        ("infinite", Some((|len| len / 3, T::INF))),
        ("NaN", Some((|len| len / 2, T::NAN))),
    ];
    for (name, special) in kinds {
        for &len in lengths {
            for &(off_x, off_y) in offsets {
                let (i, j) = (start(&a, off_x), start(&c, off_y));
                // The special value in place (restored below).
                let saved = special.filter(|_| len > 0).map(|(at, v)| {
                    let p = i + at(len);
                    (p, std::mem::replace(&mut a[p], v))
                });
                let (x, y) = (&a[i..i + len], &c[j..j + len]);
                assert_eq!(
                    (x.as_ptr() as usize % 32, y.as_ptr() as usize % 32),
                    (off_x, off_y)
                );
                #[cfg(target_arch = "x86_64")]
                if b == Backend::Avx2 {
                    use numkern_kernels::avx2::{load_form_of as form, Loads};
                    use numkern_kernels::reduce::TermKind;
                    let want = |streams: usize, off_y: usize| {
                        let bytes = streams * len * size;
                        let aligned = bytes <= 512 << 10;
                        let rotated = aligned && bytes > 2048;
                        // Slices at different offsets by the first one's
                        // form, unless the second is aligned.
                        match (off_x, off_y) {
                            (16, 16) if ((2 << 20)..=(16 << 20)).contains(&bytes) => Loads::Halves,
                            (16, y) if y != 0 && aligned => Loads::Aligned,
                            (4, y) if y != 0 && rotated => Loads::Aligned4,
                            (8, y) if y != 0 && rotated => Loads::Aligned8,
                            (12, y) if y != 0 && rotated => Loads::Aligned12,
                            (20, y) if y != 0 && rotated => Loads::Aligned20,
                            (24, y) if y != 0 && rotated => Loads::Aligned24,
                            (28, y) if y != 0 && rotated => Loads::Aligned28,
                            _ => Loads::Whole,
                        }
                    };
                    let two = want(2, off_y);
                    assert_eq!(form(TermKind::Values, x, x), want(1, off_x), "{len}");
                    assert_eq!(form(TermKind::Products, x, y), two, "{len}");
                    assert_eq!(form(TermKind::SquaredDiffs, x, y), two, "{len}");
                }
                let ctx = |what: &str| {
                    format!(
                        "{name} data, len {len}, offsets {off_x}/{off_y}, {what} {}",
                        T::NAME
                    )
                };
                let check = |r: Result<(), String>| r.unwrap_or_else(|e| panic!("{e}"));
                check(same_result(&ctx("sum"), Ok(k.sum(x)), Ok(s.sum(x))));
                check(same_result(&ctx("mean"), k.mean(x), s.mean(x)));
                check(same_result(&ctx("dot"), k.dot(x, y), s.dot(x, y)));
                check(same_result(&ctx("sse"), k.sse(x, y), s.sse(x, y)));
                check(same_result(&ctx("mse"), k.mse(x, y), s.mse(x, y)));
                if let Some((p, v)) = saved {
                    a[p] = v;
                }
            }
        }
    }
}

/// `standardize_columns` and `matvec` for every row count 0..=1100 (every
/// 32-row and 128/256-element block boundary) and column counts on both sides
/// of the lane widths and of a 64-column group, bit for bit against scalar.
fn all_row_counts<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    let mut rng = XorShift::new(0xc0de ^ T::BLOCK as u64);
    let data: Vec<T> = (0..1100 * 9 + 8)
        .map(|i| T::from64(((i % 7) as f64 - 3.0) * 1e3 + rng.normalish()))
        .collect();
    let w = random_mixed::<T>(&mut rng, 130, -4, 4);
    let shapes = (0..=1100usize)
        .flat_map(|rows| [1, 3, 5, 9].map(|cols| (rows, cols)))
        .chain((0..=40).flat_map(|rows| [63, 64, 65, 130].map(|cols| (rows, cols))));
    for (rows, cols) in shapes {
        let off = rows % 8;
        let x = &data[off..off + rows * cols];
        let ctx = format!("{} rows x {cols} cols {}", rows, T::NAME);
        let (mut got, mut want) = (x.to_vec(), x.to_vec());
        let (rg, rw) = (
            k.standardize_columns(&mut got, cols),
            s.standardize_columns(&mut want, cols),
        );
        assert_eq!(rg, rw, "{b} standardize_columns {ctx}");
        same_slice(&format!("{b} standardize_columns {ctx}"), &got, &want)
            .unwrap_or_else(|e| panic!("{e}"));
        let (mut og, mut ow) = (vec![T::NAN; rows], vec![T::NAN; rows]);
        k.matvec(x, cols, &w[..cols], &mut og).unwrap();
        s.matvec(x, cols, &w[..cols], &mut ow).unwrap();
        same_slice(&format!("{b} matvec {ctx}"), &og, &ow).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// `ln` special values at every position of a vector and of a tail.
fn ln_special_values<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let mut vals = vec![
        T::POS_ZERO,
        T::POS_ZERO.neg(),
        T::from64(-1.0),
        T::min_subnormal().neg(),
        T::MAX.neg(),
        T::INF.neg(),
        T::INF,
        T::NAN,
        T::NAN.neg(),
        T::from64(1.0),
        T::min_subnormal(),
        T::from_bits64(3),
        T::max_subnormal(),
        T::MIN_POSITIVE,
        T::MAX,
        T::one_plus_ulp(),
        T::one_minus_ulp(),
    ];
    vals.extend(hand_picked::<T>().into_iter().filter(|v| v.to64() > 0.0));
    let n = vals.len();
    for rot in 0..n {
        let mut v = vals.clone();
        v.rotate_left(rot);
        for len in 1..=n {
            for off in [0, 3, 7] {
                let x = Slice::from_vec(v[..len].to_vec(), off);
                let mut out = x.clone();
                k.ln(x.get(), &mut out.buf[off..off + len]).unwrap();
                let out = out.get();
                for (&xi, &oi) in x.get().iter().zip(out) {
                    let xv = xi.to64();
                    let ctx = || format!("{b} ln {} of {xi:?}: got {oi:?}", T::NAME);
                    if xv == 0.0 {
                        assert!(oi.bits() == T::INF.neg().bits(), "{}: want -inf", ctx());
                    } else if xv < 0.0 || xi.nan() {
                        assert!(oi.nan(), "{}: want NaN", ctx());
                    } else if xv == f64::INFINITY {
                        assert!(oi.bits() == T::INF.bits(), "{}: want +inf", ctx());
                    } else if xv == 1.0 {
                        assert!(oi.bits() == 0, "{}: want +0", ctx());
                    } else {
                        check_ln(&[xi], &[oi]).unwrap_or_else(|e| panic!("{b}: {e}"));
                    }
                }
            }
        }
    }
}

/// Subnormal inputs: accurate to the documented ulp bound.
fn ln_subnormals<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let top = (1u64 << T::MANT_BITS) - 1;
    let mut rng = XorShift::new(77);
    let mut x: Vec<T> = (1..=64).map(T::from_bits64).collect();
    x.extend((0..T::MANT_BITS).map(|i| T::from_bits64(1 << i)));
    x.extend((0..100_000).map(|_| T::from_bits64(1 + rng.next_u64() % top)));
    x.push(T::max_subnormal());
    let mut out = vec![T::POS_ZERO; x.len()];
    k.ln(&x, &mut out).unwrap();
    check_ln(&x, &out).unwrap_or_else(|e| panic!("{b}: {e}"));
}

/// `out[r]` is `dot(row r, w)` bit for bit, for shapes around the block sizes.
fn matvec_rows_are_dots<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let mut rng = XorShift::new(99);
    for cols in [1, 2, 3, 4, 7, 8, 9, 31, 127, 128, 129, 255, 256, 257, 600] {
        for rows in [0, 1, 2, 5] {
            let x = Slice::from_vec(random_mixed::<T>(&mut rng, rows * cols, -8, 8), cols % 8);
            let w = Slice::from_vec(cancelling::<T>(&mut rng, cols), (cols + 3) % 8);
            let mut out = vec![T::NAN; rows];
            k.matvec(x.get(), cols, w.get(), &mut out).unwrap();
            for (r, row) in x.get().chunks_exact(cols).enumerate() {
                same_result(
                    &format!("{b} matvec {} {rows}x{cols} row {r}", T::NAME),
                    Ok(out[r]),
                    k.dot(row, w.get()),
                )
                .unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
}

/// Random matrices of many shapes, standardised, against the oracle within
/// the tolerance derived in `common::check_standardized`.
fn standardize_against_oracle<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let mut rng = XorShift::new(1234);
    let (mut checked, mut all) = (0, 0);
    for rows in [1, 2, 3, 7, 100, 255, 256, 257, 600, 1000] {
        for cols in [1, 3, 8, 17] {
            // Each column its own offset and spread.
            let params: Vec<(f64, f64)> = (0..cols)
                .map(|_| {
                    (
                        rng.normalish() * 10f64.powi(rng.range(0, 6) as i32),
                        10f64.powi(rng.range(-3, 3) as i32),
                    )
                })
                .collect();
            let x: Vec<T> = (0..rows * cols)
                .map(|i| {
                    let (m, sd) = params[i % cols];
                    T::from64(m + sd * rng.normalish())
                })
                .collect();
            let mut got = x.clone();
            k.standardize_columns(&mut got, cols).unwrap();
            checked += check_standardized(&x, cols, &got)
                .unwrap_or_else(|e| panic!("{b} {rows}x{cols}: {e}"));
            all += cols;
        }
    }
    // Columns far from 0 against their spread (up to 1e5 means, 1e-3
    // spreads) are promised no precision in `f32`; most must still be checked.
    println!(
        "{b} standardize {}: {checked} of {all} columns checked",
        T::NAME
    );
    assert!(
        4 * checked >= 3 * all,
        "{b} {}: only {checked} of {all} columns checked",
        T::NAME
    );
}

/// Zero-variance columns become exactly +0.0; the others stay finite (and a
/// single row is all zero-variance columns). Constants: hand-picked ones and
/// random ones over many binades, at row counts around and well past the
/// block sizes (the blocks of a column are merged with Chan's formula).
fn standardize_zero_variance<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let mut rng = XorShift::new(4321);
    let mut constants: Vec<T> = [
        0.0,
        -0.0,
        0.1,
        -3.7,
        1.0 / 3.0,
        1e8 + 1.0,
        123456.789,
        1e-30,
        -2.5e20,
    ]
    .iter()
    .map(|&c| T::from64(c))
    .collect();
    constants.extend((0..24).map(|_| rng.mixed::<T>(-20, 20)));
    for rows in [
        1, 2, 3, 5, 8, 9, 100, 127, 128, 129, 255, 256, 257, 300, 385, 513, 641, 1000, 2000,
    ] {
        let cols = constants.len() + 1;
        let mut x = Vec::with_capacity(rows * cols);
        for _ in 0..rows {
            x.extend(constants.iter().copied());
            x.push(T::from64(rng.normalish()));
        }
        k.standardize_columns(&mut x, cols).unwrap();
        for (i, &v) in x.iter().enumerate() {
            let c = i % cols;
            if c < constants.len() || rows == 1 {
                assert!(
                    v.bits() == 0,
                    "{b} {}: constant column {c} (every value {:?}, bits {:#x}), {rows} rows: row {} is {v:?}, want 0.0",
                    T::NAME,
                    constants.get(c).copied().unwrap_or(T::NAN),
                    constants.get(c).map_or(0, |v| v.bits()),
                    i / cols
                );
            } else {
                assert!(v.finite(), "{b}: non-constant column gave {v:?}");
            }
        }
    }
}

/// NaN in a column makes that column NaN and leaves the others finite.
fn standardize_nan_column<T: TFloat>(b: Backend) {
    let Some(k) = kernels_or_skip(b) else { return };
    let mut rng = XorShift::new(5);
    for rows in [1, 2, 9, 256, 300] {
        for cols in [1, 2, 5] {
            for nan_col in 0..cols {
                let nan_row = rows / 2;
                let mut x: Vec<T> = (0..rows * cols)
                    .map(|_| T::from64(rng.normalish()))
                    .collect();
                x[nan_row * cols + nan_col] = T::NAN;
                k.standardize_columns(&mut x, cols).unwrap();
                for (i, v) in x.iter().enumerate() {
                    if i % cols == nan_col {
                        assert!(
                            v.nan(),
                            "{b} {}: {rows}x{cols}, NaN column {nan_col}: element {i} is {v:?}",
                            T::NAME
                        );
                    } else {
                        assert!(v.finite(), "{b} {}: {rows}x{cols}, NaN column {nan_col}: element {i} of another column is {v:?}", T::NAME);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The suite, per backend
// ---------------------------------------------------------------------------

/// The `f32` and `f64` functions `$f32` and `$f64` of the test-path module
/// `$p` (exported under feature `oracle`; `$what` names them in the panic
/// for a backend without them) for backend `$b`, as plain `fn`
/// pointers: `avx2`'s, which need the CPU features, behind wrappers that
/// check them first.
macro_rules! backend_paths {
    ($b:expr, $p:ident, $what:literal, $f32:ident($($a:ident: $ta:ty),*) -> $r32:ty,
        $f64:ident($($c:ident: $tc:ty),*) -> $r64:ty) => {{
        #[cfg(target_arch = "x86_64")]
        fn avx2_f32($($a: $ta),*) -> $r32 {
            assert!(is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"));
            // SAFETY: AVX2 and FMA were detected just above.
            unsafe { $p::avx2::$f32($($a),*) }
        }
        #[cfg(target_arch = "x86_64")]
        fn avx2_f64($($c: $tc),*) -> $r64 {
            assert!(is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"));
            // SAFETY: AVX2 and FMA were detected just above.
            unsafe { $p::avx2::$f64($($c),*) }
        }
        let paths: (fn($($ta),*) -> $r32, fn($($tc),*) -> $r64) = match $b {
            Backend::Scalar => ($p::scalar::$f32, $p::scalar::$f64),
            Backend::Portable => ($p::portable::$f32, $p::portable::$f64),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => (avx2_f32, avx2_f64),
            #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
            Backend::Neon => ($p::neon::$f32, $p::neon::$f64),
            #[allow(unreachable_patterns)]
            _ => panic!("no {} paths exported for {}", $what, $b),
        };
        paths
    }};
}

/// `Vector::reduce_add8`'s batched trees against `reduce_add` on each
/// vector, on backend `b`, bit for bit (NaN payloads aside): random
/// mixed-exponent lanes with zeros of both signs, infinities, NaNs and
/// subnormals mixed in. `variance` reduces its sub-blocks' sums across lanes
/// this way.
fn reduce_add8_matches(b: Backend) {
    use numkern_kernels::lanes::reduce8_paths as p;
    if kernels_or_skip(b).is_none() {
        return;
    }
    let (f32s, f64s) = backend_paths!(b, p, "reduce_add8",
        f32(x: &[f32; 64]) -> ([f32; 8], [f32; 8]),
        f64(x: &[f64; 32]) -> ([f64; 8], [f64; 8]));
    fn lane<T: TFloat>(rng: &mut XorShift) -> T {
        match rng.below(16) {
            0 => T::from64(0.0),
            1 => T::from64(-0.0),
            2 => T::INF,
            3 => T::from64(f64::NEG_INFINITY),
            4 => T::NAN,
            5 => T::from_bits64(rng.next_u64() & ((1u64 << T::MANT_BITS) - 1)), // subnormal or 0
            _ => rng.mixed::<T>(-30, 30),
        }
    }
    let mut rng = XorShift::new(0xadd8);
    for case in 0..20_000 {
        let x: [f32; 64] = core::array::from_fn(|_| lane::<f32>(&mut rng));
        let (batched, one) = f32s(&x);
        for (i, (g, w)) in batched.iter().zip(one.iter()).enumerate() {
            assert!(
                g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
                "{b} f32 case {case}, vector {i}: batched {g:e}, alone {w:e}"
            );
        }
        let y: [f64; 32] = core::array::from_fn(|_| lane::<f64>(&mut rng));
        let (batched, one) = f64s(&y);
        for (i, (g, w)) in batched.iter().zip(one.iter()).enumerate() {
            assert!(
                g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
                "{b} f64 case {case}, vector {i}: batched {g:e}, alone {w:e}"
            );
        }
    }
}

/// Data and a centre for `variance`'s sub-block sums, case `case`: `len`
/// values of mixed exponents around a random level; in every fourth case
/// about one value in `special_in / 5` is a zero of either sign, an infinity,
/// a NaN or a subnormal; the centre is zero (case 0 mod 8), NaN (5 mod 8)
/// or one of the values. `len` must be at least 1.
fn sums_input<T: TFloat>(
    rng: &mut XorShift,
    len: usize,
    case: usize,
    special_in: usize,
) -> (Vec<T>, T) {
    let level = rng.mixed::<T>(-20, 20).to64();
    let special = case % 4 == 3;
    let x: Vec<T> = (0..len)
        .map(|_| match rng.below(if special { special_in } else { 1 }) {
            1 => T::from64(0.0),
            2 => T::from64(-0.0),
            3 => T::INF,
            4 => T::NAN,
            5 => T::from_bits64(rng.next_u64() & ((1u64 << T::MANT_BITS) - 1)),
            _ => T::from64(level + rng.mixed::<T>(-10, 10).to64()),
        })
        .collect();
    let c = match case % 8 {
        0 => T::from64(0.0),
        5 => T::NAN,
        _ => x[rng.below(x.len())],
    };
    (x, c)
}

/// `Vector::deviation_sums` (the `avx2` backend's own, in `asm!`) against
/// its generic definition on backend `b`, bit for bit (NaN payloads aside),
/// sub-block by sub-block: data of mixed exponents, around the centre or far
/// from it, with zeros of both signs, infinities, NaNs and subnormals mixed
/// into some sub-blocks, and centres that are data values, zero or NaN.
fn deviation_sums_match(b: Backend) {
    use numkern_kernels::moments::paths as p;
    if kernels_or_skip(b).is_none() {
        return;
    }
    let (f32s, f64s) = backend_paths!(b, p, "deviation_sums",
        f32(x: &[f32], c: f32, generic: bool, out: &mut [f32]) -> (),
        f64(x: &[f64], c: f64, generic: bool, out: &mut [f64]) -> ());
    /// 64 cases of 8 sub-blocks of `T` (`len` elements each) through `f`,
    /// both ways.
    fn check<T: TFloat>(
        b: Backend,
        f: impl Fn(&[T], T, bool, &mut [T]),
        len: usize,
        lanes: usize,
        rng: &mut XorShift,
    ) {
        for case in 0..64 {
            let (x, c) = sums_input::<T>(rng, len * 8, case, 24);
            let (mut own, mut generic) = (
                vec![T::from64(0.0); 16 * lanes],
                vec![T::from64(0.0); 16 * lanes],
            );
            f(&x, c, false, &mut own);
            f(&x, c, true, &mut generic);
            for (i, (g, w)) in own.iter().zip(generic.iter()).enumerate() {
                assert!(
                    g.bits() == w.bits() || (g.nan() && w.nan()),
                    "{b} {} case {case}, sub-block {}, sum {} lane {}: own {:e}, generic {:e}",
                    T::NAME,
                    i / (2 * lanes),
                    ["S1", "S2"][i / lanes % 2],
                    i % lanes,
                    g.to64(),
                    w.to64(),
                );
            }
        }
    }
    let mut rng = XorShift::new(0xde5);
    check::<f32>(b, f32s, 256, 8, &mut rng);
    check::<f64>(b, f64s, 128, 4, &mut rng);
}

/// `variance` and `std_dev` against scalar, bit for bit, on data whose
/// level jumps at chosen blocks (a step, or one block up and back), so
/// that a block read with its prediction fails it right after one that
/// passed. Where a backend finishes each block after reading the next one's
/// first sub-block (`Vector::DEFER_MERGE`, `avx2`'s `f32`), that read is
/// then thrown away and the block redone from its own centre, even where
/// (after one block up) its prediction would pass; a jump inside a block, a
/// NaN, and drifts across the blocks (which the prediction follows) cover
/// the other turns. (Cases 20 and 21 end before their jump at block 5:
/// drift alone.)
fn variance_level_jumps(b: Backend) {
    use numkern_kernels::moments::paths as p;
    let Some(k) = kernels_or_skip(b) else { return };
    let s = scalar();
    let (f32s, f64s) = backend_paths!(b, p, "moments state",
        state_f32(x: &[f32]) -> [f64; 8],
        state_f64(x: &[f64]) -> [f64; 8]);
    fn check<T: TFloat>(
        k: &Kernels,
        s: &Kernels,
        state: impl Fn(&[T]) -> [f64; 8],
        scalar_state: impl Fn(&[T]) -> [f64; 8],
        rng: &mut XorShift,
    ) {
        let m = T::VAR_BLOCK;
        for case in 0..24 {
            let blocks = 4 + case % 5;
            let len = blocks * m + [0, 1, m / 2][case % 3];
            let jump_at = [2 * m, 3 * m, 2 * m + m / 3, 5 * m][case / 6 % 4];
            let scale = [1e3, 1.0, 1e-3][case / 2 % 3];
            // A drift across the blocks, which the prediction follows.
            let drift = [0.0, 1e-4, 2e-3][case / 3 % 3];
            let x: Vec<T> = (0..len)
                .map(|i| {
                    // A step up, or (odd cases) one block up and back:
                    // the block after it then passes its prediction.
                    let up = i >= jump_at && (case % 2 == 0 || i < jump_at + m);
                    let level = if up { 50.0 } else { 0.0 } + drift * i as f64;
                    let v = T::from64((level + rng.unit() - 0.5) * scale);
                    if case == 7 && i == 3 * m + 5 {
                        T::NAN
                    } else {
                        v
                    }
                })
                .collect();
            // The `f64` state first: rounding to `f32` could hide a
            // different centre's last bits.
            let (got, want) = (state(&x), scalar_state(&x));
            for (i, (g, w)) in got.iter().zip(want.iter()).enumerate() {
                assert!(
                    same_bits(*g, *w),
                    "moments state {}, case {case}, field {i}: got {g:e}, want {w:e} (scalar)",
                    T::NAME
                );
            }
            for ddof in [0, 1] {
                let what = format!("variance ddof {ddof} {}, case {case}", T::NAME);
                same_result(&what, k.variance(&x, ddof), s.variance(&x, ddof))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let what = format!("std_dev {}, case {case}", T::NAME);
            same_result(&what, k.std_dev(&x, 0), s.std_dev(&x, 0))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let mut rng = XorShift::new(0x1e7e1);
    check::<f32>(&k, &s, f32s, p::scalar::state_f32, &mut rng);
    check::<f64>(&k, &s, f64s, p::scalar::state_f64, &mut rng);
}

/// `variance` and `std_dev` of inputs of at most `moments::SHORT` (64)
/// elements, which the entry points send to their own small function
/// (`moments::short_variance_unrounded`), against the general code
/// (`variance_unrounded_<t>`, rounded as the entry points round it) on
/// backend `b`, bit for bit: every length from 1 to 65, `ddof` 0 and 1, on
/// centred data, data far from 0, constant data, zeros of both signs,
/// values near `MAX`, and with a NaN or an infinity.
fn variance_short_match(b: Backend) {
    use numkern_kernels as nk;
    use numkern_kernels::moments::{round_std_dev, round_variance, SHORT};
    let Some(k) = kernels_or_skip(b) else { return };
    let (f32s, f64s) = backend_paths!(b, nk, "variance_unrounded",
        variance_unrounded_f32(x: &[f32], ddof: usize) -> f64,
        variance_unrounded_f64(x: &[f64], ddof: usize) -> f64);
    fn check<T: TFloat>(k: &Kernels, general: impl Fn(&[T], usize) -> f64, rng: &mut XorShift) {
        assert_eq!(SHORT, 64);
        for n in 1..=SHORT + 1 {
            for mode in 0..7 {
                let x: Vec<T> = (0..n)
                    .map(|i| {
                        let r = rng.unit() - 0.5;
                        T::from64(match mode {
                            0 => r,
                            1 => 1e6 + r,
                            2 => 3.25,
                            3 if i % 2 == 0 => 0.0,
                            3 => -0.0,
                            4 => T::MAX.to64() * (0.5 + r / 4.0),
                            5 if i == n / 2 => f64::NAN,
                            6 if i == n - 1 => f64::INFINITY,
                            _ => r * 1e-3,
                        })
                    })
                    .collect();
                for ddof in [0, 1].into_iter().filter(|&d| d < n) {
                    let what = format!("{} n {n} mode {mode} ddof {ddof}", T::NAME);
                    let v = general(&x, ddof);
                    same_result(
                        &format!("variance {what}"),
                        k.variance(&x, ddof),
                        Ok(round_variance::<T>(v)),
                    )
                    .unwrap_or_else(|e| panic!("{e}"));
                    same_result(
                        &format!("std_dev {what}"),
                        k.std_dev(&x, ddof),
                        Ok(round_std_dev::<T>(v)),
                    )
                    .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }
    let mut rng = XorShift::new(0x5407);
    check::<f32>(&k, f32s, &mut rng);
    check::<f64>(&k, f64s, &mut rng);
}

/// `Vector::whole_blocks` (`reduce`'s loop over whole blocks: the `avx2`
/// backend's own, in `asm!`) against the generic loop on backend `b`: the
/// accumulator's parts, by [`own_loop_matches`] over 1 to 6 whole blocks.
/// The backend must run its own loop where it has one (`avx2`), and have
/// none elsewhere.
fn whole_blocks_match(b: Backend) {
    use numkern_kernels::reduce::paths as p;
    use numkern_kernels::reduce::TermKind;
    if kernels_or_skip(b).is_none() {
        return;
    }
    let (f32s, f64s) = backend_paths!(b, p, "whole_blocks",
        f32(kind: TermKind, a: &[f32], b: &[f32], own: bool) -> Option<[f64; 2]>,
        f64(kind: TermKind, a: &[f64], b: &[f64], own: bool) -> Option<[f64; 2]>);
    let has_own = matches!(b, Backend::Avx2);
    let mut rng = XorShift::new(0xb10c);
    own_loop_matches::<f32, _>(b, has_own, 1, 6, f32s, |r| r.to_vec(), &mut rng);
    own_loop_matches::<f64, _>(b, has_own, 1, 6, f64s, |r| r.to_vec(), &mut rng);
}

/// `Vector::lane_pairs` (`reduce`'s loop over whole pairs of blocks where
/// it keeps a double-double per lane: the `avx2` backend's own for `f64`, in
/// `asm!`) against the generic loop on backend `b`: every lane's `hi` and
/// `lo`, by [`own_loop_matches`] over 1 to 4 whole pairs. The backend must
/// run its own loop where it has one (`avx2`, `f64` only), and have none
/// elsewhere.
fn lane_pairs_match(b: Backend) {
    use numkern_kernels::reduce::paths as p;
    use numkern_kernels::reduce::TermKind;
    if kernels_or_skip(b).is_none() {
        return;
    }
    let (f32s, f64s) = backend_paths!(b, p, "lane_pairs",
        lanes_f32(kind: TermKind, a: &[f32], b: &[f32], own: bool) -> Option<[[f64; 8]; 2]>,
        lanes_f64(kind: TermKind, a: &[f64], b: &[f64], own: bool) -> Option<[[f64; 8]; 2]>);
    let lanes = |r: &[[f64; 8]; 2]| r.concat();
    let mut rng = XorShift::new(0x1a9e);
    own_loop_matches::<f32, _>(b, false, 2, 4, f32s, lanes, &mut rng);
    let has_own = matches!(b, Backend::Avx2);
    own_loop_matches::<f64, _>(b, has_own, 2, 4, f64s, lanes, &mut rng);
}

/// A loop of a backend's own (`f(kind, x, y, true)`, `None` if it has none)
/// against the generic one (`f(kind, x, y, false)`), bit for bit (NaN
/// aside), on every value that `parts` lists of their results: every kind of
/// term, 1 to `units` whole units of `blocks` blocks with no rest, a rest of
/// one element or of a unit less one (which the loops leave out), on mixed
/// exponents, with zeros of both signs and subnormals, with one infinity,
/// with one NaN, and on all `-0.0` (which leaves every part `+0.0`); each
/// with both slices at every offset from a 32-byte boundary that `T` allows
/// (`f32`: 0, 4, ..., 28 bytes; `f64`: 0, 8, 16, 24), each of which but 0 the
/// `avx2` loops read by aligned loads from more than 2 KiB read (so in all
/// but the shortest cases), and with the first at each offset and the
/// second 8 bytes further (or at 8 where that is 0), which `avx2` reads in
/// the first one's form. `has_own`: whether the backend must have a loop of
/// its own for `T`.
fn own_loop_matches<T: TFloat, R>(
    b: Backend,
    has_own: bool,
    blocks: usize,
    units: usize,
    f: impl Fn(numkern_kernels::reduce::TermKind, &[T], &[T], bool) -> Option<R>,
    parts: impl Fn(&R) -> Vec<f64>,
    rng: &mut XorShift,
) {
    use numkern_kernels::reduce::TermKind;
    let unit = blocks * T::BLOCK;
    for kind in [TermKind::Values, TermKind::Products, TermKind::SquaredDiffs] {
        for count in 1..=units {
            for case in 0..15 {
                let len = count * unit + [0, 1, unit - 1][case / 5];
                let (mode, mode_y) = (case % 5, (case + case / 5) % 5);
                let (x0, y0) = (
                    terms_data::<T>(rng, len, mode),
                    terms_data::<T>(rng, len, mode_y),
                );
                // Both slices at each offset, and the second also at
                // another, never aligned (8 bytes further, or 8).
                let offsets = (0..32).step_by(std::mem::size_of::<T>()).flat_map(|off| {
                    [
                        (off, off),
                        (off, if off == 24 { 8 } else { (off + 8) % 32 }),
                    ]
                });
                for (off, off_y) in offsets {
                    let (x, y) = (placed(&x0, off), placed(&y0, off_y));
                    let (x, y) = (x.as_slice(), y.as_slice());
                    let generic = parts(&f(kind, x, y, false).expect("the generic loop"));
                    let Some(own) = f(kind, x, y, true) else {
                        assert!(!has_own, "{b} {} runs no loop of its own", T::NAME);
                        continue;
                    };
                    assert!(has_own, "{b} {} has a loop of its own", T::NAME);
                    let own = parts(&own);
                    assert_eq!(own.len(), generic.len());
                    for (part, (o, g)) in own.iter().zip(&generic).enumerate() {
                        assert!(
                            same_bits(*o, *g),
                            "{b} {} {kind:?}, {count} x {unit} elements, case {case}, \
                         {off}/{off_y} bytes off, value {part}: own {o:e}, generic {g:e}",
                            T::NAME,
                        );
                    }
                    if mode == 4 && (mode_y == 4 || kind == TermKind::Values) {
                        let bits: Vec<u64> = own.iter().map(|v| v.to_bits()).collect();
                        assert_eq!(bits, vec![0; own.len()], "{b} {kind:?}: +0.0 expected");
                    }
                }
            }
        }
    }
}

/// A copy of `v` that starts `off` bytes past a 32-byte boundary (`off` a
/// multiple of the element's size), in a buffer of its own.
struct Placed<T> {
    buf: Vec<T>,
    start: usize,
}

impl<T> Placed<T> {
    fn as_slice(&self) -> &[T] {
        &self.buf[self.start..]
    }
}

/// `v` copied `off` bytes past a 32-byte boundary ([`Placed`]).
fn placed<T: TFloat>(v: &[T], off: usize) -> Placed<T> {
    let size = std::mem::size_of::<T>();
    let mut buf = vec![T::from64(0.0); v.len() + 32 / size];
    let start = ((off + 32 - buf.as_ptr() as usize % 32) % 32) / size;
    buf[start..start + v.len()].copy_from_slice(v);
    buf.truncate(start + v.len());
    assert_eq!(buf[start..].as_ptr() as usize % 32, off);
    Placed { buf, start }
}

/// Data for comparing two paths of `reduce` (`len` elements): mode 0 mixed
/// exponents; 1 the same with zeros of both signs and subnormals mixed in;
/// 2 and 3 one infinity or one NaN; 4 all `-0.0` (whose sum is `+0.0`).
fn terms_data<T: TFloat>(rng: &mut XorShift, len: usize, mode: usize) -> Vec<T> {
    let mut x: Vec<T> = (0..len)
        .map(|_| match (mode, rng.below(16)) {
            (4, _) => T::from64(-0.0),
            (1, 0) => T::from64(0.0),
            (1, 1) => T::from64(-0.0),
            (1, 2) => T::from_bits64(rng.next_u64() & ((1u64 << T::MANT_BITS) - 1)),
            _ => T::from64(rng.mixed::<T>(-10, 10).to64()),
        })
        .collect();
    match mode {
        2 if len > 0 => x[rng.below(len)] = T::INF,
        3 if len > 0 => x[rng.below(len)] = T::NAN,
        _ => {}
    }
    x
}

/// `reduce_value`'s straight-line path for at most 16 terms (`sum`, `mean`,
/// `sse`, `mse`) against the path that every other length under one block
/// takes, on backend `b`, bit for bit (NaN payloads aside), the
/// accumulator's parts and its value (`Acc::single_value` against
/// `Acc::value`) compared: every kind of term, every length from 0 to 16,
/// data from [`terms_data`] in every pairing of modes, and inputs whose
/// `f32` vectors' lanes cancel exactly in `sum` (`x[i + 8] = -x[i]`; all
/// `-0.0` is mode 4), where the two paths' zero lanes may differ in sign.
fn tiny_inputs_match(b: Backend) {
    use numkern_kernels::reduce::paths as p;
    use numkern_kernels::reduce::{TermKind, TINY};
    if kernels_or_skip(b).is_none() {
        return;
    }
    let (f32s, f64s) = backend_paths!(b, p, "tiny",
        tiny_f32(kind: TermKind, a: &[f32], b: &[f32], tiny: bool) -> [f64; 3],
        tiny_f64(kind: TermKind, a: &[f64], b: &[f64], tiny: bool) -> [f64; 3]);
    fn check<T: TFloat>(
        b: Backend,
        f: impl Fn(TermKind, &[T], &[T], bool) -> [f64; 3],
        rng: &mut XorShift,
    ) {
        assert_eq!(TINY, 16);
        for kind in [TermKind::Values, TermKind::Products, TermKind::SquaredDiffs] {
            for len in 0..=TINY {
                for case in 0..30 {
                    let (mode, mode_y) = (case % 5, (case / 5) % 5);
                    let (mut x, y) = (
                        terms_data::<T>(rng, len, mode),
                        terms_data::<T>(rng, len, mode_y),
                    );
                    if case >= 25 {
                        for i in 8..len {
                            x[i] = T::from64(-x[i - 8].to64());
                        }
                    }
                    let (tiny, general) = (f(kind, &x, &y, true), f(kind, &x, &y, false));
                    for (part, (t, g)) in tiny.iter().zip(general.iter()).enumerate() {
                        assert!(
                            same_bits(*t, *g),
                            "{b} {} {kind:?}, n {len}, case {case}, part {part}: \
                             straight-line {t:e}, general {g:e}",
                            T::NAME,
                        );
                    }
                    if mode == 4 && (mode_y == 4 || kind == TermKind::Values) {
                        assert_eq!(
                            tiny.map(f64::to_bits),
                            [0; 3],
                            "{b} {kind:?}: +0.0 expected"
                        );
                    }
                }
            }
        }
    }
    let mut rng = XorShift::new(0x7119);
    check::<f32>(b, f32s, &mut rng);
    check::<f64>(b, f64s, &mut rng);
}

/// `variance`'s sums over a sub-block of at most one accumulator round
/// (short inputs; for `f32` also the 64-element prefix) by the bodies made
/// for the number of whole vectors, against the general loop, on backend
/// `b`, bit for bit (NaN payloads aside): every length up to 80 elements
/// (past one round, where both take the loop), data from [`sums_input`].
fn short_sub_blocks_match(b: Backend) {
    use numkern_kernels::moments::paths as p;
    if kernels_or_skip(b).is_none() {
        return;
    }
    let (f32s, f64s) = backend_paths!(b, p, "short sub-block",
        short_f32(x: &[f32], c: f32, short: bool, out: &mut [f32]) -> (),
        short_f64(x: &[f64], c: f64, short: bool, out: &mut [f64]) -> ());
    fn check<T: TFloat>(b: Backend, f: impl Fn(&[T], T, bool, &mut [T]), rng: &mut XorShift) {
        for len in 1..=80 {
            for case in 0..16 {
                let (x, c) = sums_input::<T>(rng, len, case, 12);
                // `1 + 2 * LANES` of the 17 are written (LANES <= 8); the
                // rest stay equal.
                let (mut short, mut general) = ([T::from64(0.0); 17], [T::from64(0.0); 17]);
                f(&x, c, true, &mut short);
                f(&x, c, false, &mut general);
                for (i, (g, w)) in short.iter().zip(general.iter()).enumerate() {
                    assert!(
                        g.bits() == w.bits() || (g.nan() && w.nan()),
                        "{b} {} length {len} case {case}, output {i}: short {:e}, loop {:e}",
                        T::NAME,
                        g.to64(),
                        w.to64(),
                    );
                }
            }
        }
    }
    let mut rng = XorShift::new(0x5b0);
    check::<f32>(b, f32s, &mut rng);
    check::<f64>(b, f64s, &mut rng);
}

macro_rules! backend_suite {
    ($name:ident, $backend:expr) => {
        backend_suite!(@suite $name, $backend, {});
    };
    // The scalar backend is the reference: it is also checked against the oracle.
    ($name:ident, $backend:expr, with_oracle) => {
        backend_suite!(@suite $name, $backend, {
            #[test] fn sum_f32_within_bound() { oracle_unary::<f32>(|k, x| check_sum(x, k.sum(x))) }
            #[test] fn sum_f64_within_bound() { oracle_unary::<f64>(|k, x| check_sum(x, k.sum(x))) }
            #[test] fn mean_f32_within_bound() { oracle_unary::<f32>(|k, x| k.mean(x).map_or(Ok(()), |m| check_mean(x, m))) }
            #[test] fn mean_f64_within_bound() { oracle_unary::<f64>(|k, x| k.mean(x).map_or(Ok(()), |m| check_mean(x, m))) }
            #[test] fn variance_f32_within_bound() {
                oracle_unary::<f32>(|k, x| (0..2).try_for_each(|d| k.variance(x, d).map_or(Ok(()), |v| check_variance(x, d, v))))
            }
            #[test] fn variance_f64_within_bound() {
                oracle_unary::<f64>(|k, x| (0..2).try_for_each(|d| k.variance(x, d).map_or(Ok(()), |v| check_variance(x, d, v))))
            }
            #[test] fn std_dev_f32_within_bound() {
                oracle_unary::<f32>(|k, x| (0..2).try_for_each(|d| k.std_dev(x, d).map_or(Ok(()), |v| check_std_dev(x, d, v))))
            }
            #[test] fn std_dev_f64_within_bound() {
                oracle_unary::<f64>(|k, x| (0..2).try_for_each(|d| k.std_dev(x, d).map_or(Ok(()), |v| check_std_dev(x, d, v))))
            }
            #[test] fn dot_f32_within_bound() { oracle_binary::<f32>(|k, a, b| check_dot(a, b, k.dot(a, b).unwrap())) }
            #[test] fn dot_f64_within_bound() { oracle_binary::<f64>(|k, a, b| check_dot(a, b, k.dot(a, b).unwrap())) }
            #[test] fn sse_f32_within_bound() { oracle_binary::<f32>(|k, a, b| check_sse(a, b, k.sse(a, b).unwrap())) }
            #[test] fn sse_f64_within_bound() { oracle_binary::<f64>(|k, a, b| check_sse(a, b, k.sse(a, b).unwrap())) }
            #[test] fn mse_f32_within_bound() { oracle_binary::<f32>(|k, a, b| k.mse(a, b).map_or(Ok(()), |m| check_mse(a, b, m))) }
            #[test] fn mse_f64_within_bound() { oracle_binary::<f64>(|k, a, b| k.mse(a, b).map_or(Ok(()), |m| check_mse(a, b, m))) }
            #[test] fn ln_f32_within_bound() { oracle_ln::<f32>(false) }
            #[test] fn ln_f64_within_bound() { oracle_ln::<f64>(false) }
            #[test] fn ln_in_place_f32_within_bound() { oracle_ln::<f32>(true) }
            #[test] fn ln_in_place_f64_within_bound() { oracle_ln::<f64>(true) }
            #[test] fn matvec_f32_within_bound() { oracle_matvec::<f32>() }
            #[test] fn matvec_f64_within_bound() { oracle_matvec::<f64>() }
            #[test] fn standardize_columns_f32_within_bound() { oracle_standardize::<f32>() }
            #[test] fn standardize_columns_f64_within_bound() { oracle_standardize::<f64>() }
        });
    };
    (@suite $name:ident, $backend:expr, { $($extra:tt)* }) => {
        mod $name {
            use super::*;

            const B: Backend = $backend;

            #[test] fn sum_f32_matches_scalar() { unary::<f32>(B, "sum", |k, x| Ok(k.sum(x))) }
            #[test] fn sum_f64_matches_scalar() { unary::<f64>(B, "sum", |k, x| Ok(k.sum(x))) }
            #[test] fn mean_f32_matches_scalar() { unary::<f32>(B, "mean", |k, x| k.mean(x)) }
            #[test] fn mean_f64_matches_scalar() { unary::<f64>(B, "mean", |k, x| k.mean(x)) }
            #[test] fn variance_ddof0_f32_matches_scalar() { unary::<f32>(B, "variance ddof 0", |k, x| k.variance(x, 0)) }
            #[test] fn variance_ddof0_f64_matches_scalar() { unary::<f64>(B, "variance ddof 0", |k, x| k.variance(x, 0)) }
            #[test] fn variance_ddof1_f32_matches_scalar() { unary::<f32>(B, "variance ddof 1", |k, x| k.variance(x, 1)) }
            #[test] fn variance_ddof1_f64_matches_scalar() { unary::<f64>(B, "variance ddof 1", |k, x| k.variance(x, 1)) }
            #[test] fn std_dev_ddof0_f32_matches_scalar() { unary::<f32>(B, "std_dev ddof 0", |k, x| k.std_dev(x, 0)) }
            #[test] fn std_dev_ddof0_f64_matches_scalar() { unary::<f64>(B, "std_dev ddof 0", |k, x| k.std_dev(x, 0)) }
            #[test] fn std_dev_ddof1_f32_matches_scalar() { unary::<f32>(B, "std_dev ddof 1", |k, x| k.std_dev(x, 1)) }
            #[test] fn std_dev_ddof1_f64_matches_scalar() { unary::<f64>(B, "std_dev ddof 1", |k, x| k.std_dev(x, 1)) }
            #[test] fn dot_f32_matches_scalar() { binary::<f32>(B, "dot", |k, a, b| k.dot(a, b)) }
            #[test] fn dot_f64_matches_scalar() { binary::<f64>(B, "dot", |k, a, b| k.dot(a, b)) }
            #[test] fn sse_f32_matches_scalar() { binary::<f32>(B, "sse", |k, a, b| k.sse(a, b)) }
            #[test] fn sse_f64_matches_scalar() { binary::<f64>(B, "sse", |k, a, b| k.sse(a, b)) }
            #[test] fn mse_f32_matches_scalar() { binary::<f32>(B, "mse", |k, a, b| k.mse(a, b)) }
            #[test] fn mse_f64_matches_scalar() { binary::<f64>(B, "mse", |k, a, b| k.mse(a, b)) }
            #[test] fn ln_f32_matches_scalar() { ln_matches::<f32>(B) }
            #[test] fn ln_f64_matches_scalar() { ln_matches::<f64>(B) }
            #[test] fn ln_in_place_f32_matches_scalar() { ln_in_place_matches::<f32>(B) }
            #[test] fn ln_in_place_f64_matches_scalar() { ln_in_place_matches::<f64>(B) }
            #[test] fn matvec_f32_matches_scalar() { matvec_matches::<f32>(B) }
            #[test] fn matvec_f64_matches_scalar() { matvec_matches::<f64>(B) }
            #[test] fn standardize_columns_f32_matches_scalar() { standardize_matches::<f32>(B) }
            #[test] fn standardize_columns_f64_matches_scalar() { standardize_matches::<f64>(B) }

            #[test] fn all_lengths_f32_match_scalar() { all_lengths::<f32>(B) }
            #[test] fn all_lengths_f64_match_scalar() { all_lengths::<f64>(B) }
            #[test] fn long_inputs_16_bytes_off_f32_match_scalar() { long_inputs_16_bytes_off::<f32>(B) }
            #[test] fn long_inputs_16_bytes_off_f64_match_scalar() { long_inputs_16_bytes_off::<f64>(B) }
            #[test] fn short_inputs_16_bytes_off_f32_match_scalar() { short_inputs_16_bytes_off::<f32>(B) }
            #[test] fn short_inputs_16_bytes_off_f64_match_scalar() { short_inputs_16_bytes_off::<f64>(B) }
            #[test] fn short_inputs_other_offsets_f32_match_scalar() { short_inputs_other_offsets::<f32>(B) }
            #[test] fn short_inputs_other_offsets_f64_match_scalar() { short_inputs_other_offsets::<f64>(B) }
            #[test] fn all_row_counts_f32_match_scalar() { all_row_counts::<f32>(B) }
            #[test] fn all_row_counts_f64_match_scalar() { all_row_counts::<f64>(B) }
            #[test] fn ln_f32_special_values() { ln_special_values::<f32>(B) }
            #[test] fn ln_f64_special_values() { ln_special_values::<f64>(B) }
            #[test] fn ln_f32_subnormals_within_bound() { ln_subnormals::<f32>(B) }
            #[test] fn ln_f64_subnormals_within_bound() { ln_subnormals::<f64>(B) }
            #[test] fn matvec_f32_rows_are_dots() { matvec_rows_are_dots::<f32>(B) }
            #[test] fn matvec_f64_rows_are_dots() { matvec_rows_are_dots::<f64>(B) }
            #[test] fn standardize_columns_f32_against_oracle() { standardize_against_oracle::<f32>(B) }
            #[test] fn standardize_columns_f64_against_oracle() { standardize_against_oracle::<f64>(B) }
            #[test] fn standardize_columns_f32_zero_variance() { standardize_zero_variance::<f32>(B) }
            #[test] fn standardize_columns_f64_zero_variance() { standardize_zero_variance::<f64>(B) }
            #[test] fn standardize_columns_f32_nan_column() { standardize_nan_column::<f32>(B) }
            #[test] fn standardize_columns_f64_nan_column() { standardize_nan_column::<f64>(B) }
            #[test] fn reduce_add8_matches_reduce_add() { reduce_add8_matches(B) }
            #[test] fn deviation_sums_match_generic() { deviation_sums_match(B) }
            #[test] fn short_sub_blocks_match_loop() { short_sub_blocks_match(B) }
            #[test] fn whole_blocks_match_generic() { whole_blocks_match(B) }
            #[test] fn tiny_inputs_match_general() { tiny_inputs_match(B) }
            #[test] fn lane_pairs_match_generic() { lane_pairs_match(B) }
            #[test] fn variance_level_jumps_match_scalar() { variance_level_jumps(B) }
            #[test] fn variance_short_matches_general() { variance_short_match(B) }

            $($extra)*
        }
    };
}

backend_suite!(scalar, Backend::Scalar, with_oracle);
backend_suite!(portable, Backend::Portable);
#[cfg(target_arch = "x86_64")]
backend_suite!(avx2, Backend::Avx2);
#[cfg(target_arch = "aarch64")]
backend_suite!(neon, Backend::Neon);

/// Which backends run here; fails if one that `NUMKERN_REQUIRE` names is missing.
#[test]
fn backends_report() {
    let available: Vec<Backend> = Kernels::available().collect();
    let names: Vec<String> = available.iter().map(|b| b.to_string()).collect();
    println!(
        "numkern backends available here: [{}]; selected: {}",
        names.join(", "),
        numkern::backend()
    );
    for b in required_backends() {
        assert!(
            available.contains(&b),
            "NUMKERN_REQUIRE lists {b}, but the backends available here are [{}]",
            names.join(", ")
        );
    }
}
