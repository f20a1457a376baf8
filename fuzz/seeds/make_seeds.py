#!/usr/bin/env python3
"""Writes the committed seed corpora, fuzz/corpus/<target>/seed-*.

Each seed follows the decoding in fuzz_targets/common/mod.rs: a header byte
(bit 0: f64; bits 1-3: start offset; bits 4-7: value mode), the target's
lengths and parameters, then raw little-endian element bits. Run from fuzz/:
    python3 seeds/make_seeds.py
"""
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")
rng = random.Random(6)


def header(f64, offset, mode, fill=1):
    """Byte 1: type, offset, value mode; byte 2: fill (odd: nudge cycled values)."""
    return bytes([(1 if f64 else 0) | (offset << 1) | (mode << 4), fill])


def length(n):
    """One byte below 128, else two (see Cursor::len)."""
    if n < 0x80:
        return bytes([n])
    return bytes([0x80 | (n >> 8), n & 0xFF])


def vals(f64, xs):
    return b"".join(struct.pack("<d" if f64 else "<f", x) for x in xs)


def rnd(f64, n, lo=-100.0, hi=100.0):
    return vals(f64, [rng.uniform(lo, hi) for _ in range(n)])


SPECIALS = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e-45, 1.0, -1.0, 3.0e38]

seeds = {
    "sum": [
        header(False, 3, 0) + length(19) + rnd(False, 19),
        header(True, 1, 0) + length(9) + vals(True, [x if x != 1e-45 else 5e-324 for x in SPECIALS]),
        header(False, 0, 1) + length(300) + rnd(False, 40),  # cycled past one block
        header(True, 5, 3) + length(130) + rnd(True, 16),
    ],
    "moments": [
        header(False, 2, 1) + length(33) + bytes([0]) + rnd(False, 33),
        header(True, 0, 3) + length(200) + bytes([5]) + rnd(True, 30),  # ddof 1, offset data
        header(True, 7, 0) + length(4) + bytes([8]) + rnd(True, 4),  # ddof = n
        header(False, 1, 4) + length(12) + bytes([10]) + rnd(False, 12),  # ddof = MAX, specials
    ],
    "dot": [
        header(False, 0, 1) + length(17) + bytes([3, 5]) + rnd(False, 34),
        header(True, 3, 0) + length(9) + bytes([0, 7]) + length(8) + rnd(True, 17),  # mismatch
        header(False, 4, 6) + length(270) + bytes([4, 1]) + rnd(False, 60),
        header(True, 1, 5) + length(6) + bytes([2, 0]) + rnd(True, 12),  # tiny values
    ],
    "sq_err": [
        header(True, 0, 1) + length(11) + bytes([4, 3]) + rnd(True, 22),
        header(False, 6, 0) + length(0) + bytes([3, 0]),  # empty: sse 0, mse Empty
        header(False, 2, 2) + length(40) + bytes([1, 5]) + rnd(False, 41),  # p longer by one
        header(True, 5, 4) + length(140) + bytes([3, 2]) + rnd(True, 20),
    ],
    "ln": [
        header(False, 1, 0) + length(11) + bytes([3, 2]) + vals(False, SPECIALS + [0.5, 2.0]),
        header(True, 0, 0) + length(9) + bytes([4, 0]) + vals(True, [x if x != 1e-45 else 5e-324 for x in SPECIALS]),
        header(False, 3, 8) + length(29) + bytes([5, 7]) + rnd(False, 29, 0.0, 1e6),
        header(True, 2, 1) + length(7) + bytes([1, 1]) + rnd(True, 7, 0.0, 10.0),  # out one longer
    ],
    "bytes": [
        bytes([0]) + vals(True, [1.0, -2.5, 3.0]),
        bytes([3]) + vals(False, [1.0, 2.0, 3.0]) + b"\x01",
        bytes([4]) + vals(False, [1.5, float("nan")]),
        bytes([9]) + b"\x00\x01\x02",
    ],
    "matrix": [
        # rows, cols byte, shape mode, w len mode, out len mode, then values
        header(False, 0, 1) + bytes([4, 3, 5, 3, 3]) + rnd(False, 15),
        header(True, 2, 1) + bytes([40, 0xA0 + 30, 7, 3, 3]) + rnd(True, 64),  # 40 x 70: 2 row blocks, 2 column groups
        header(False, 1, 2) + bytes([5, 4, 0, 3, 3]) + rnd(False, 25),  # ragged
        header(True, 3, 4) + bytes([6, 7, 3, 3, 3]) + rnd(True, 20),  # cols = 0
        header(False, 5, 0, 0) + bytes([9, 6, 5, 3, 3]) + vals(False, [7.0, 0.1, -3e-39, 1e30, -2.5, 0.0]),  # constant columns (fill 0)
    ],
}

# Multi-block `variance` inputs, from their own generator so that the seeds
# above keep their bytes: blocks are 1024 (`f32`) and 512 (`f64`) elements.
rng2 = random.Random(7)
seeds["moments"] += [
    # f32, 2 whole blocks and a partial one: 48 offset values (mode 3,
    # about 1e6 in steps of 1/4096), cycled with a nudge of 255 units each
    # pass (fill 255, about one f32 ulp there), so the passes differ.
    header(False, 0, 3, 255) + length(2600) + bytes([0])
    + b"".join(struct.pack("<I", rng2.getrandbits(32)) for _ in range(48)),
    # f64, 3 whole blocks and a partial one, ddof 1: a sawtooth (mode 2
    # reads the low byte as a signed integer: 0..120, repeated exactly by
    # fill 0), whose period does not divide a block, so block means differ.
    header(True, 2, 2, 0) + length(1700) + bytes([5])
    + b"".join(struct.pack("<Q", i) for i in range(0, 121)),
]

for target, items in seeds.items():
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for i, data in enumerate(items):
        assert len(data) < 1024, (target, i, len(data))
        with open(os.path.join(d, f"seed-{i}"), "wb") as f:
            f.write(data)
    print(target, [len(x) for x in items])
