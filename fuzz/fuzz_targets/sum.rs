//! `sum` and `mean`: every backend bit-identical to scalar, `Empty` exactly
//! for an empty slice, the documented bound, and the documented special values.
#![no_main]

use numkern::Error;

#[macro_use]
#[path = "common/mod.rs"]
mod common;
use common::*;

fuzz_both_types!(run);

fn run<T: Elem>(c: &mut Cursor, h: Header) {
    let n = c.len();
    let vals = c.values::<T>(n, h);
    let buf = place(&vals, h.offset);
    let x = &buf[h.offset..];

    let s = scalar();
    let sum = s.sum(x);
    let mean = s.mean(x);
    check_result(
        "mean",
        &mean,
        if n == 0 { Err(Error::Empty) } else { Ok(()) },
    );
    for k in others() {
        let (ks, km) = (k.sum(x), k.mean(x));
        assert!(
            same(ks, sum),
            "sum {} n={n}: {:?} gives {ks:e} ({:#x}), scalar {sum:e} ({:#x})",
            T::NAME,
            k.backend(),
            ks.bits(),
            sum.bits()
        );
        assert!(
            same_res(&km, &mean),
            "mean {} n={n}: {:?} gives {km:?}, scalar {mean:?}",
            T::NAME,
            k.backend()
        );
    }
    assert!(same(numkern::sum(x), sum), "free sum differs from scalar");
    assert!(same_res(&numkern::mean(x), &mean), "free mean differs");
    check_pad(&buf, h.offset, "sum");

    // Special values (kernels/src/sum.rs): NaN gives NaN; +inf with -inf
    // gives NaN; otherwise an infinity gives that infinity (barring overflow
    // of the finite part); zeros of any sign, and the empty slice, give +0.0.
    let nan = x.iter().any(|v| v.is_nan());
    let pinf = x.iter().any(|v| v.to64() == f64::INFINITY);
    let ninf = x.iter().any(|v| v.to64() == f64::NEG_INFINITY);
    let finite_abs: f64 = x
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| v.to64().abs())
        .sum();
    let expect_special = if nan || (pinf && ninf) {
        Some(f64::NAN)
    } else if (pinf || ninf) && finite_abs <= T::LIMIT {
        Some(if pinf {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        })
    } else if x.iter().all(|v| v.to64() == 0.0) {
        Some(0.0)
    } else {
        None
    };
    if let Some(e) = expect_special {
        let ok = |g: T| {
            if e.is_nan() {
                g.is_nan()
            } else {
                g.bits() == T::from64(e).bits()
            }
        };
        assert!(
            ok(sum),
            "sum {} n={n}: got {sum:e} ({:#x}), expected {e:e}",
            T::NAME,
            sum.bits()
        );
        if let Ok(m) = mean {
            assert!(
                ok(m),
                "mean {} n={n}: got {m:e} ({:#x}), expected {e:e}",
                T::NAME,
                m.bits()
            );
        }
    }

    check_sum(x, sum);
    if let Ok(m) = mean {
        check_mean(x, m);
    }
}
