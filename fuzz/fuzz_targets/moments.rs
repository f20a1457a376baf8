//! `variance` and `std_dev` with any `ddof`: every backend bit-identical to
//! scalar, `Empty` / `Ddof` exactly where documented, never negative, NaN for
//! NaN or infinite data, and the documented bound
//! `C_VAR u (var + |mean| std)` against the oracle's exact moments.
#![no_main]

use numkern::Error;

#[macro_use]
#[path = "common/mod.rs"]
mod common;
use common::*;

fuzz_both_types!(run);

/// `ddof` around the interesting values: 0, 1, 2, n-1, n, n+1, huge, any.
fn ddof(c: &mut Cursor, n: usize) -> usize {
    match c.byte() % 12 {
        0..=3 => 0,
        4 | 5 => 1,
        6 => 2,
        7 => n.saturating_sub(1),
        8 => n,
        9 => n + 1,
        10 => usize::MAX,
        _ => c.u16() as usize,
    }
}

fn run<T: Elem>(c: &mut Cursor, h: Header) {
    let n = c.len();
    let ddof = ddof(c, n);
    let vals = c.values::<T>(n, h);
    let buf = place(&vals, h.offset);
    let x = &buf[h.offset..];

    let expected = if n == 0 {
        Err(Error::Empty)
    } else if ddof >= n {
        Err(Error::Ddof { ddof, len: n })
    } else {
        Ok(())
    };
    let s = scalar();
    let var = s.variance(x, ddof);
    let std = s.std_dev(x, ddof);
    check_result("variance", &var, expected);
    check_result("std_dev", &std, expected);
    for k in others() {
        let (kv, ks) = (k.variance(x, ddof), k.std_dev(x, ddof));
        assert!(
            same_res(&kv, &var),
            "variance {} n={n} ddof={ddof}: {:?} gives {kv:?}, scalar {var:?}",
            T::NAME,
            k.backend()
        );
        assert!(
            same_res(&ks, &std),
            "std_dev {} n={n} ddof={ddof}: {:?} gives {ks:?}, scalar {std:?}",
            T::NAME,
            k.backend()
        );
    }
    assert!(
        same_res(&numkern::variance(x, ddof), &var),
        "free variance differs"
    );
    assert!(
        same_res(&numkern::std_dev(x, ddof), &std),
        "free std_dev differs"
    );
    check_pad(&buf, h.offset, "moments");

    let (Ok(v), Ok(sd)) = (var, std) else {
        return;
    };
    // Never negative (not even -0.0); NaN or infinity in the data gives NaN.
    for (what, g) in [("variance", v), ("std_dev", sd)] {
        assert!(
            g.is_nan() || g.bits() >> (T::BYTES * 8 - 1) == 0,
            "{what} {} n={n} ddof={ddof}: negative result {g:e}",
            T::NAME
        );
        if !all_finite(x) {
            assert!(
                g.is_nan(),
                "{what} {} n={n} ddof={ddof}: data with NaN/inf gives {g:e}, documented NaN",
                T::NAME
            );
        }
    }
    // Constant finite data: exactly +0.0, whatever the value (each block's
    // centre is exactly its value: kernels/src/moments.rs).
    if all_finite(x) && x.iter().all(|v| v.bits() == x[0].bits()) {
        for (what, g) in [("variance", v), ("std_dev", sd)] {
            assert_eq!(
                g.bits(),
                0,
                "{what} {} of {n} copies of {:e} (ddof={ddof}): got {g:e}, expected 0",
                T::NAME,
                x[0]
            );
        }
    }
    // The documented bounds.
    check_variance(x, ddof, v);
    check_std_dev(x, ddof, sd);
}
