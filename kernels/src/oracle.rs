//! The oracle: slow, simple, high-precision references for tests and fuzzing.
//!
//! Everything is done in double-double arithmetic (an unevaluated sum
//! `hi + lo` of two `f64`s, about 106 bits) with error-free transformations:
//! Knuth's TwoSum for additions and `fma`-based TwoProd for products
//! (`libm::fma` is correctly rounded on every target). For the inputs the
//! tests use, the oracle's own error is below `2^-100` relative to the sum of
//! the absolute terms, far below any bound it checks.
//!
//! Each function returns an `f64` (the double-double rounded once), and the
//! reductions also return `S`, the sum of the absolute values of their terms,
//! which scales the documented bounds.

/// A double-double number `hi + lo` with `|lo| <= ulp(hi) / 2`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dd {
    /// Leading part.
    pub hi: f64,
    /// Trailing part.
    pub lo: f64,
}

#[inline]
fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd {
        hi: s,
        lo: (a - (s - bb)) + (b - bb),
    }
}

#[inline]
fn two_prod(a: f64, b: f64) -> Dd {
    let p = a * b;
    Dd {
        hi: p,
        lo: libm::fma(a, b, -p),
    }
}

// Named methods rather than operator traits keep the oracle's arithmetic
// visible at each call site.
#[allow(clippy::should_implement_trait)]
impl Dd {
    /// `x` exactly.
    pub fn from(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }
    /// `self + o`, to about `2^-104` relative.
    pub fn add(self, o: Dd) -> Dd {
        let s = two_sum(self.hi, o.hi);
        let t = two_sum(self.lo, o.lo);
        let s = two_sum(s.hi, s.lo + t.hi);
        two_sum(s.hi, s.lo + t.lo)
    }
    /// `self - o`.
    pub fn sub(self, o: Dd) -> Dd {
        self.add(Dd {
            hi: -o.hi,
            lo: -o.lo,
        })
    }
    /// `self * o`, to about `2^-104` relative.
    pub fn mul(self, o: Dd) -> Dd {
        let p = two_prod(self.hi, o.hi);
        two_sum(p.hi, p.lo + (self.hi * o.lo + self.lo * o.hi))
    }
    /// `self / o`, to about `2^-104` relative (long division, two steps).
    pub fn div(self, o: Dd) -> Dd {
        let q1 = self.hi / o.hi;
        let r = self.sub(o.mul(Dd::from(q1)));
        let q2 = r.hi / o.hi;
        let r = r.sub(o.mul(Dd::from(q2)));
        let q3 = r.hi / o.hi;
        two_sum(q1, q2).add(Dd::from(q3))
    }
    /// Rounded to one `f64`.
    pub fn value(self) -> f64 {
        self.hi + self.lo
    }
}

/// Exact-to-`2^-100` sum of `f64` terms, and the sum of their absolute values.
pub fn sum_terms(terms: impl Iterator<Item = Dd>) -> (f64, f64) {
    let mut s = Dd::default();
    let mut abs = Dd::default();
    for t in terms {
        s = s.add(t);
        abs = abs.add(if t.hi < 0.0 {
            Dd {
                hi: -t.hi,
                lo: -t.lo,
            }
        } else {
            t
        });
    }
    (s.value(), abs.value())
}

/// `(sum(x), sum(|x|))`.
pub fn sum(x: &[f64]) -> (f64, f64) {
    sum_terms(x.iter().map(|&v| Dd::from(v)))
}

/// `(dot(a, b), sum(|a[i] b[i]|))`, products exact.
pub fn dot(a: &[f64], b: &[f64]) -> (f64, f64) {
    sum_terms(a.iter().zip(b).map(|(&x, &y)| two_prod(x, y)))
}

/// `(sse(t, p), sse(t, p))`: differences exact, squares to `2^-104`.
pub fn sse(t: &[f64], p: &[f64]) -> (f64, f64) {
    sum_terms(t.iter().zip(p).map(|(&a, &b)| {
        let d = two_sum(a, -b);
        d.mul(d)
    }))
}

/// `(mean, M2, sum(|x|))` where `M2 = sum((x - mean)^2)`, two-pass in
/// double-double.
pub fn moments(x: &[f64]) -> (f64, f64, f64) {
    let n = Dd::from(x.len() as f64);
    let mut s = Dd::default();
    let mut abs = Dd::default();
    for &v in x {
        s = s.add(Dd::from(v));
        abs = abs.add(Dd::from(v.abs()));
    }
    let mean = s.div(n);
    let mut m2 = Dd::default();
    for &v in x {
        let d = Dd::from(v).sub(mean);
        m2 = m2.add(d.mul(d));
    }
    (mean.value(), m2.value(), abs.value())
}

/// `ln(2)` as a double-double.
const LN2: Dd = Dd {
    hi: core::f64::consts::LN_2,
    lo: 2.3190468138462996e-17,
};

/// `ln(x)` for finite `x > 0`, to about `2^-100` relative: `x = 2^k m` with
/// `m` in `[sqrt(1/2), sqrt(2))`, `ln(m) = 2 atanh(s)` with `s = (m-1)/(m+1)`
/// summed as a series in double-double until the terms vanish.
pub fn ln(x: f64) -> Dd {
    if x == 1.0 {
        return Dd::default();
    }
    let (mut m, mut k) = (x, 0i32);
    if m < f64::MIN_POSITIVE {
        m *= 18014398509481984.0; // 2^54, exact
        k -= 54;
    }
    let bits = m.to_bits();
    k += ((bits >> 52) & 0x7ff) as i32 - 1023;
    m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > core::f64::consts::SQRT_2 {
        m *= 0.5;
        k += 1;
    }
    let one = Dd::from(1.0);
    let md = Dd::from(m);
    let s = md.sub(one).div(md.add(one));
    let s2 = s.mul(s);
    let mut term = s;
    let mut acc = Dd::default();
    let mut j = 1.0;
    while term.hi != 0.0 && (term.hi / j).abs() > 1e-40 * acc.hi.abs().max(1e-300) {
        acc = acc.add(term.div(Dd::from(j)));
        term = term.mul(s2);
        j += 2.0;
    }
    let lnm = acc.add(acc);
    LN2.mul(Dd::from(k as f64)).add(lnm)
}

/// The distance of `got` from `exact` in ulps of the `f64` nearest `exact`
/// (`f32` ulps if `f32_ulps`). Equal infinities and NaN pairs give 0.
pub fn ulps(got: f64, exact: Dd, f32_ulps: bool) -> f64 {
    let e = exact.value();
    if got.is_nan() && e.is_nan() || got == e && got.is_infinite() {
        return 0.0;
    }
    // The ulp of the binade that holds the exact value.
    let (p, emin) = if f32_ulps { (24, -126) } else { (53, -1022) };
    let exp = (((e.abs().to_bits() >> 52) & 0x7ff) as i32 - 1023).max(emin);
    let ulp = libm::ldexp(1.0, exp - (p - 1));
    let diff = Dd::from(got).sub(exact);
    (diff.hi + diff.lo).abs() / ulp
}
