//! `sse` and `mse`: any two lengths (`LengthMismatch` first, then `Empty`
//! for `mse`), every backend bit-identical to scalar, never negative, the
//! documented special values, and the bound `C_SQ_ERR u sse`.
#![no_main]

use numkern::Error;

#[macro_use]
#[path = "common/mod.rs"]
mod common;
use common::*;

fuzz_both_types!(run);

fn run<T: Elem>(c: &mut Cursor, h: Header) {
    let nt = c.len();
    let np = c.len_like(nt);
    let off_p = (c.byte() & 7) as usize;
    let vt = c.values::<T>(nt, h);
    let vp = c.values::<T>(np, h);
    let (bt, bp) = (place(&vt, h.offset), place(&vp, off_p));
    let (t, p) = (&bt[h.offset..], &bp[off_p..]);

    let s = scalar();
    let sse = s.sse(t, p);
    let mse = s.mse(t, p);
    check_result("sse", &sse, same_len(nt, np));
    check_result(
        "mse",
        &mse,
        same_len(nt, np).and(if nt == 0 { Err(Error::Empty) } else { Ok(()) }),
    );
    for k in others() {
        let (ks, km) = (k.sse(t, p), k.mse(t, p));
        assert!(
            same_res(&ks, &sse),
            "sse {} n={nt}/{np}: {:?} gives {ks:?}, scalar {sse:?}",
            T::NAME,
            k.backend()
        );
        assert!(
            same_res(&km, &mse),
            "mse {} n={nt}/{np}: {:?} gives {km:?}, scalar {mse:?}",
            T::NAME,
            k.backend()
        );
    }
    assert!(same_res(&numkern::sse(t, p), &sse), "free sse differs");
    assert!(same_res(&numkern::mse(t, p), &mse), "free mse differs");
    check_pad(&bt, h.offset, "sse t");
    check_pad(&bp, off_p, "sse p");

    let Ok(sse) = sse else { return };
    // Special values (kernels/src/sq_err.rs): NaN anywhere or inf - inf gives
    // NaN; otherwise an infinite difference (or square) gives +inf.
    let diffs: Vec<T> = t.iter().zip(p).map(|(a, b)| *a - *b).collect();
    let expect = if diffs.iter().any(|d| d.is_nan()) {
        Some(f64::NAN)
    } else if diffs.iter().any(|d| (*d * *d).is_inf()) {
        Some(f64::INFINITY)
    } else {
        None
    };
    let results = [("sse", Some(sse)), ("mse", mse.ok())];
    for (what, g) in results.into_iter().filter_map(|(w, g)| g.map(|g| (w, g))) {
        assert!(
            g.is_nan() || g.bits() >> (T::BYTES * 8 - 1) == 0,
            "{what} {} n={nt}: negative result {g:e}",
            T::NAME
        );
        match expect {
            Some(e) if e.is_nan() => {
                assert!(
                    g.is_nan(),
                    "{what} {} n={nt}: NaN expected, got {g:e}",
                    T::NAME
                )
            }
            Some(e) => assert!(
                g.to64() == e,
                "{what} {} n={nt}: +inf expected, got {g:e}",
                T::NAME
            ),
            None => {}
        }
    }
    if nt == 0 {
        assert_eq!(sse.bits(), 0, "sse of empty slices must be +0.0");
    }
    check_sq_err(t, p, sse, false);
    if let Ok(m) = mse {
        check_sq_err(t, p, m, true);
    }
}
