#!/usr/bin/env python3
"""Reference values of ln(x) for f64 inputs, from 200-bit mpmath.

Writes tests/data/ln_f64_mpmath.txt: 10,000 deterministic inputs (half spread
over every binade of the positive f64s, subnormals included; half dense near
1, where ln(x) ~ x - 1 is hardest), each with ln(x) as a double-double
"hi lo" (hi the correctly rounded f64, lo the rounded remainder), all as hex
bit patterns. tests/ln_f64.rs checks numkern's ln against it and checks that
the double-double oracle agrees with it. Needs `pip install mpmath`.
"""
import random

import mpmath

from fpbits import bits_of_f64, f64_of_bits

mpmath.mp.prec = 200


def main():
    rng = random.Random(20261125)
    xs = []
    # Spread: a random exponent (subnormals included), a random mantissa.
    while len(xs) < 5000:
        b = rng.getrandbits(63)
        x = f64_of_bits(b)
        if 0.0 < x < float("inf"):
            xs.append(x)
    # Near 1: 1 + d with |d| from 2^-52 to 2^-1, both signs.
    while len(xs) < 10000:
        d = rng.uniform(-1.0, 1.0) * 2.0 ** (-rng.randint(1, 52))
        x = 1.0 + d
        if x > 0.0:
            xs.append(x)
    with open("tests/data/ln_f64_mpmath.txt", "w") as f:
        f.write("# ln(x) for f64 x from 200-bit mpmath: \"x-bits hi-bits lo-bits\" (hex),\n")
        f.write("# ln(x) = hi + lo with hi correctly rounded. By scripts/ln_f64_samples.py.\n")
        for x in xs:
            y = mpmath.log(mpmath.mpf(x))
            hi = float(y)  # mpmath rounds to nearest
            lo = float(y - mpmath.mpf(hi))
            f.write(f"{bits_of_f64(x):016x} {bits_of_f64(hi):016x} {bits_of_f64(lo):016x}\n")


if __name__ == "__main__":
    main()
