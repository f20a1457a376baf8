//! `dot`: any two lengths (`LengthMismatch` exactly when they differ), every
//! backend bit-identical to scalar, NaN / `0 * inf` give NaN, and the
//! documented bound `C_DOT u sum|a_i b_i|`.
#![no_main]

#[macro_use]
#[path = "common/mod.rs"]
mod common;
use common::*;

fuzz_both_types!(run);

fn run<T: Elem>(c: &mut Cursor, h: Header) {
    let na = c.len();
    let nb = c.len_like(na);
    let off_b = (c.byte() & 7) as usize;
    let va = c.values::<T>(na, h);
    let vb = c.values::<T>(nb, h);
    let (ba, bb) = (place(&va, h.offset), place(&vb, off_b));
    let (a, b) = (&ba[h.offset..], &bb[off_b..]);

    let s = scalar();
    let d = s.dot(a, b);
    check_result("dot", &d, same_len(na, nb));
    for k in others() {
        let kd = k.dot(a, b);
        assert!(
            same_res(&kd, &d),
            "dot {} n={na}/{nb}: {:?} gives {kd:?}, scalar {d:?}",
            T::NAME,
            k.backend()
        );
    }
    assert!(same_res(&numkern::dot(a, b), &d), "free dot differs");
    check_pad(&ba, h.offset, "dot a");
    check_pad(&bb, off_b, "dot b");

    let Ok(d) = d else { return };
    // NaN anywhere, or 0 * inf, gives NaN; both empty gives +0.0.
    let nan =
        a.iter().chain(b).any(|v| v.is_nan()) || a.iter().zip(b).any(|(x, y)| (*x * *y).is_nan());
    if nan {
        assert!(d.is_nan(), "dot {} n={na}: NaN term but got {d:e}", T::NAME);
    }
    if na == 0 {
        assert_eq!(d.bits(), 0, "dot of empty slices must be +0.0");
    }
    check_dot(a, b, d);
}
