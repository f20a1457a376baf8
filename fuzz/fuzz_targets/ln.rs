//! `ln` and `ln_in_place`: `LengthMismatch` exactly when `out` is not as long
//! as `x`, every backend bit-identical to scalar, `ln_in_place` equal to `ln`,
//! special values exactly (C99), and finite positive inputs within
//! `LN_F32_ULP` / `LN_F64_ULP` of the oracle.
#![no_main]

#[macro_use]
#[path = "common/mod.rs"]
mod common;
use common::*;

fuzz_both_types!(run);

fn run<T: Elem>(c: &mut Cursor, h: Header) {
    let n = c.len();
    let n_out = c.len_like(n);
    let off_out = (c.byte() & 7) as usize;
    let vals = c.values::<T>(n, h);
    let buf = place(&vals, h.offset);
    let x = &buf[h.offset..];
    let fresh_out = || place(&vec![sentinel::<T>(); n_out], off_out);

    let s = scalar();
    let mut ref_buf = fresh_out();
    let r = s.ln(x, &mut ref_buf[off_out..]);
    check_result("ln", &r, same_len(n, n_out));
    check_pad(&ref_buf, off_out, "ln out");
    let reference = &ref_buf[off_out..];

    let mut kernels = others();
    kernels.insert(0, s);
    for k in kernels {
        let mut ob = fresh_out();
        let kr = k.ln(x, &mut ob[off_out..]);
        assert_eq!(kr, r, "ln {}: {:?} result differs", T::NAME, k.backend());
        check_pad(&ob, off_out, "ln out");
        if r.is_ok() {
            assert!(
                same_all(&ob[off_out..], reference),
                "ln {} n={n}: {:?} differs from scalar\n x   = {:?}\n got = {:?}\n ref = {:?}",
                T::NAME,
                k.backend(),
                x,
                &ob[off_out..],
                reference
            );
        }
        // In place: the same bits as out of place.
        let mut ip = place(x, h.offset);
        k.ln_in_place(&mut ip[h.offset..]);
        check_pad(&ip, h.offset, "ln_in_place");
        let mut want = vec![T::default(); n];
        k.ln(x, &mut want).expect("equal lengths");
        assert!(
            same_all(&ip[h.offset..], &want),
            "ln_in_place {} n={n}: {:?} differs from ln",
            T::NAME,
            k.backend()
        );
    }
    let mut free = fresh_out();
    assert_eq!(numkern::ln(x, &mut free[off_out..]), r);
    if r.is_ok() {
        assert!(same_all(&free[off_out..], reference), "free ln differs");
        for (&xi, &gi) in x.iter().zip(reference) {
            check_ln(xi, gi);
        }
    }
    assert!(same_all(&buf[h.offset..], &vals), "ln changed its input");
}
