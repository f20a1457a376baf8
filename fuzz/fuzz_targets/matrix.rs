//! `matvec` and `standardize_columns` on arbitrary shapes: valid, ragged
//! (`len % cols != 0`), `cols = 0`, no rows, mismatched `w` / `out`.
//! Errors exactly as documented; every backend bit-identical to scalar;
//! `out[r]` bit-equal to `dot(row r, w)`; standardised columns: zero
//! variance gives exactly `0.0`, NaN / infinity give NaN, finite
//! non-overflowing columns give finite values within the tolerance that the
//! `mean` and `std_dev` bounds imply.
#![no_main]

use numkern::{bounds, Error, Kernels};
use numkern_kernels::oracle;

#[macro_use]
#[path = "common/mod.rs"]
mod common;
use common::*;

fuzz_both_types!(run);

/// `(len, cols)`: mostly whole rows (up to 3 row blocks of 32, up to 3
/// column groups of 64), sometimes ragged, `cols = 0`, or any length.
fn shape(c: &mut Cursor) -> (usize, usize) {
    let rows = (c.byte() % 80) as usize;
    let cb = c.byte();
    let cols = if cb < 0xa0 {
        (cb % 10) as usize
    } else {
        (cb - 0xa0) as usize * 2 + 10 // 10..200
    };
    let rows = rows.min(3000_usize.checked_div(cols).unwrap_or(rows));
    let len = rows * cols;
    match c.byte() % 16 {
        0 => (len + 1, cols),
        1 => (len.saturating_sub(1), cols),
        2 => (c.len(), cols),
        3 => (len, 0),
        4 => (0, cols),
        _ => (len, cols),
    }
}

fn shape_err(len: usize, cols: usize) -> Result<usize, Error> {
    if cols == 0 || !len.is_multiple_of(cols) {
        Err(Error::Shape { len, cols })
    } else {
        Ok(len / cols)
    }
}

fn run<T: Elem>(c: &mut Cursor, h: Header) {
    let (len, cols) = shape(c);
    let rows_or_guess = len.checked_div(cols).unwrap_or(len);
    let nw = c.len_like(cols);
    let n_out = c.len_like(rows_or_guess);
    let vx = c.values::<T>(len, h);
    let vw = c.values::<T>(nw, h);
    let bx = place(&vx, h.offset);
    let x = &bx[h.offset..];
    let bw = place(&vw, 0);
    let w = &bw[..];

    matvec(x, cols, w, n_out, h.offset);
    standardize(x, cols, h.offset);
}

fn matvec<T: Elem>(x: &[T], cols: usize, w: &[T], n_out: usize, off: usize) {
    let len = x.len();
    let expected = shape_err(len, cols).and_then(|rows| {
        same_len(cols, w.len())?;
        same_len(rows, n_out)
    });
    let run = |k: &Kernels| {
        let mut ob = place(&vec![sentinel::<T>(); n_out], off);
        let r = k.matvec(x, cols, w, &mut ob[off..]);
        check_pad(&ob, off, "matvec out");
        (r, ob.split_off(off))
    };
    let s = scalar();
    let (r, out) = run(&s);
    check_result("matvec", &r, expected);
    for k in others() {
        let (kr, ko) = run(&k);
        assert_eq!(
            kr,
            r,
            "matvec {}: {:?} result differs",
            T::NAME,
            k.backend()
        );
        if r.is_ok() {
            assert!(
                same_all(&ko, &out),
                "matvec {} {}x{cols}: {:?} differs from scalar",
                T::NAME,
                len / cols,
                k.backend()
            );
            for (i, (row, o)) in x.chunks_exact(cols).zip(&ko).enumerate() {
                let d = k.dot(row, w).expect("row and w have cols elements");
                assert!(
                    same(*o, d),
                    "matvec {} {:?}: out[{i}] = {o:e} but dot(row {i}, w) = {d:e}",
                    T::NAME,
                    k.backend()
                );
            }
        }
    }
    let mut free = vec![T::default(); n_out];
    assert_eq!(numkern::matvec(x, cols, w, &mut free), r);
    if r.is_ok() {
        assert!(same_all(&free, &out), "free matvec differs");
    }
}

fn standardize<T: Elem>(x: &[T], cols: usize, off: usize) {
    let len = x.len();
    let expected = match shape_err(len, cols) {
        Ok(0) => Err(Error::Empty),
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    };
    let run = |k: &Kernels| {
        let mut b = place(x, off);
        let r = k.standardize_columns(&mut b[off..], cols);
        check_pad(&b, off, "standardize_columns");
        (r, b.split_off(off))
    };
    let s = scalar();
    let (r, out) = run(&s);
    check_result("standardize_columns", &r, expected);
    for k in others() {
        let (kr, ko) = run(&k);
        assert_eq!(
            kr,
            r,
            "standardize {}: {:?} result differs",
            T::NAME,
            k.backend()
        );
        assert!(
            same_all(&ko, &out),
            "standardize {} {}x{cols}: {:?} differs from scalar",
            T::NAME,
            len.checked_div(cols).unwrap_or(0),
            k.backend()
        );
    }
    let mut free = x.to_vec();
    assert_eq!(numkern::standardize_columns(&mut free, cols), r);
    assert!(same_all(&free, &out), "free standardize_columns differs");
    if r.is_ok() {
        check_columns(x, cols, &out);
    }
}

/// Per column: zero variance gives exactly `+0.0`; NaN or infinity gives NaN
/// (the column's variance, hence its `std`, is NaN); otherwise, barring
/// overflow, finite results within the tolerance implied by the documented
/// bounds (src/lib.rs): the column `std` `s'` within `e_s` of `std_dev`'s
/// bound, the mean `m'` within `e_m = MOMENTS_MEAN u (s + |m|)`, then
/// `x - m'` and the quotient rounded once each (`|d| <= 2u + u^2`). With
/// `s' = s (1 + eps)`, `|eps| <= rho = e_s / s`:
/// `got - z = ((x - m)(d - eps) + (m - m')(1 + d)) / (s (1 + eps))`, so
/// `|got - z| <= (|z| (|d| + rho) + (e_m / s)(1 + |d|)) / (1 - rho)`.
fn check_columns<T: Elem>(orig: &[T], cols: usize, got: &[T]) {
    let rows = orig.len() / cols;
    for c in 0..cols {
        let col: Vec<T> = orig.iter().skip(c).step_by(cols).copied().collect();
        let out: Vec<T> = got.iter().skip(c).step_by(cols).copied().collect();
        let at = |r: usize| format!("standardize {} {rows}x{cols}, column {c}, row {r}", T::NAME);
        if !all_finite(&col) {
            if let Some(r) = out.iter().position(|v| !v.is_nan()) {
                panic!(
                    "{}: column has NaN/inf, got {:e}, expected NaN",
                    at(r),
                    out[r]
                );
            }
            continue;
        }
        let x = to64(&col);
        let (m, m2, abs) = oracle::moments(&x);
        let var = m2 / rows as f64;
        let s = var.sqrt();
        // A constant column has std 0 and becomes +0.0, whatever its value
        // (its centre is exactly its value: kernels/src/moments.rs).
        if col.iter().all(|v| v.to64() == x[0]) {
            if let Some(r) = out.iter().position(|v| v.bits() != 0) {
                panic!(
                    "{}: constant column (value {:e}) must become 0.0, got {:e}",
                    at(r),
                    x[0],
                    out[r]
                );
            }
            continue;
        }
        let fit = moments_fit::<T>(var, m, abs);
        if !fit {
            continue;
        }
        if let Some(r) = out.iter().position(|v| !v.is_finite()) {
            panic!("{}: finite column gives {:e}", at(r), out[r]);
        }
        let u = T::U;
        let e_m = bounds::MOMENTS_MEAN * u * (s + m.abs()) + T::ETA;
        let rho = std_tol::<T>(rows, 0, m, var) / s;
        if rho >= 1.0 {
            continue; // no precision is promised for such a column
        }
        for (r, (&xi, &gi)) in x.iter().zip(&out).enumerate() {
            let z = (xi - m) / s;
            let tol = (z.abs() * (2.0 * u + u * u + rho) + (e_m / s) * (1.0 + 2.0 * u + u * u))
                / (1.0 - rho)
                + T::ETA;
            let err = (gi.to64() - z).abs();
            if err > tol || err.is_nan() {
                panic!(
                    "{}: x = {xi:e}, got {gi:e}, exact {z:e}, error {err:e} > tolerance {tol:e} (mean {m:e}, std {s:e})",
                    at(r)
                );
            }
        }
    }
}
