#!/usr/bin/env python3
"""NumPy timings for numkern's summary table (issue 3).

Times what the seed walk-through (seed/numpy-mlops.md) does with NumPy, at the
sizes of benches/kernels.rs (16, 256, 4 Ki, 64 Ki, 1 Mi, 16 Mi elements), for
float32 and float64:

    sum       np.sum(a)                 mean  np.mean(a)
    variance  np.var(a)                 std_dev  np.std(a)
    dot       np.dot(a, b)              sse   np.sum((a - b) ** 2)
    mse       np.mean((a - b) ** 2)     ln    np.log(x, out=out)
    standardize_columns  (X - X.mean(axis=0)) / X.std(axis=0)   X: 100000 x 32
    matvec               X @ w

`ln` writes into a preallocated `out`, as numkern's `ln` does; the other
expressions are written as a NumPy user writes them (temporaries included).
Each case is timed with time.perf_counter: a batch of calls long enough to
dwarf the clock (>= 200 us), repeated, and the MEDIAN batch time per call is
kept. Results go to a JSON file (default target/numpy-bench.json):

    {"numpy": "2.x", "blas_threads": "1", "results": [
      {"kernel": "sum", "dtype": "f32", "size": 4096, "elements_per_ns": 3.1}, ...]}

`size` is the element count, or "100000x32" for the matrix jobs, whose
elements are the matrix's 3.2 M. Every array starts on a 64-byte boundary
(plus NUMKERN_BENCH_MISALIGN bytes, if set; NUMKERN_BENCH_MISALIGN_B for the
second input of dot, sse and mse), as the Rust benches' do.

Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE UNSET: this machine may set
them (see the machine docs) and they slow NumPy's BLAS down. The script drops
them from its own environment before importing numpy (OpenBLAS reads them when
it loads), and `benches/run-all.sh` also runs it under `env -u ...`. BLAS runs
single-threaded (OPENBLAS_NUM_THREADS=1 unless set), because numkern's kernels
are single-threaded.

    pip install numpy
    python3 benches/numpy_bench.py [OUT.json] [--quick] [--filter REGEX]

--quick times each case only a few times (a smoke test); --filter keeps the
cases whose id "kernel/dtype/numpy/size" matches REGEX.
"""

import functools
import json
import os
import re
import sys
import time

for _var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_var, None)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the environment is fixed)

SIZES = [16, 256, 4 << 10, 64 << 10, 1 << 20, 16 << 20]
ROWS, COLS = 100_000, 32
DTYPES = {"f32": np.float32, "f64": np.float64}


def time_per_call(fn, budget, quick):
    """Median seconds per call of fn() over repeated timed batches."""
    fn()  # warm up: page in the inputs, load the code
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        dt = time.perf_counter() - t0
        if dt >= 2e-4 or number >= 1 << 20:
            break
        number *= 4
    repeats = 3 if quick else max(7, min(101, int(budget / max(dt, 1e-9))))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    times.sort()
    return times[len(times) // 2]


# (kernel, inputs, expression): "ab" gives two uniform [-1, 1) vectors,
# "pos" a positive vector (log-uniform in [e^-10, e^10]) and an output buffer.
VECTOR = [
    ("sum", "ab", lambda a, b: np.sum(a)),
    ("mean", "ab", lambda a, b: np.mean(a)),
    ("variance", "ab", lambda a, b: np.var(a)),
    ("std_dev", "ab", lambda a, b: np.std(a)),
    ("dot", "ab", lambda a, b: np.dot(a, b)),
    ("sse", "ab", lambda a, b: np.sum((a - b) ** 2)),
    ("mse", "ab", lambda a, b: np.mean((a - b) ** 2)),
    ("ln", "pos", lambda x, out: np.log(x, out=out)),
]
MATRIX = [
    ("standardize_columns", lambda X, w: (X - X.mean(axis=0)) / X.std(axis=0)),
    ("matvec", lambda X, w: X @ w),
]


# Where arrays start relative to a 64-byte boundary, in bytes: as
# benches/common/mod.rs places numkern's and the Rust peers' inputs
# (NUMKERN_BENCH_MISALIGN, 0 unless set).
MISALIGN = int(os.environ.get("NUMKERN_BENCH_MISALIGN") or "0")
assert 0 <= MISALIGN < 64, "NUMKERN_BENCH_MISALIGN: expected 0 to 63"
# The second input of dot, sse and mse (NUMKERN_BENCH_MISALIGN_B, MISALIGN
# unless set), as the Rust benches' `Data::b`.
MISALIGN_B = int(os.environ.get("NUMKERN_BENCH_MISALIGN_B") or str(MISALIGN))
assert 0 <= MISALIGN_B < 64, "NUMKERN_BENCH_MISALIGN_B: expected 0 to 63"


def aligned(a, off=MISALIGN):
    """A copy of `a` whose data starts `off` bytes past a 64-byte boundary
    (NumPy's own allocations are only 16-byte aligned, so where an array
    starts would otherwise change its load speed from run to run)."""
    assert off % a.itemsize == 0, \
        "NUMKERN_BENCH_MISALIGN(_B): not a multiple of the element size"
    buf = np.empty(a.nbytes + 128, dtype=np.uint8)
    start = (off - buf.ctypes.data) % 64
    out = buf[start:start + a.nbytes].view(a.dtype).reshape(a.shape)
    out[...] = a
    return out


def inputs(kind, n, dtype, rng):
    if kind == "ab":
        return (aligned(rng.uniform(-1.0, 1.0, n).astype(dtype)),
                aligned(rng.uniform(-1.0, 1.0, n).astype(dtype), MISALIGN_B))
    x = aligned(np.exp(rng.uniform(-10.0, 10.0, n)).astype(dtype))
    return x, aligned(np.empty_like(x))


def matrix(dtype, rng):
    """Column c uniform in c + [-(c+1), c+1), as in benches/common/mod.rs."""
    c = np.arange(COLS)
    X = (c + (c + 1) * rng.uniform(-1.0, 1.0, (ROWS, COLS))).astype(dtype)
    return aligned(X), aligned(rng.uniform(-1.0, 1.0, COLS).astype(dtype))


def cases(dtype):
    """(kernel, size, elements, make): make() builds the inputs and returns
    the call to time, so filtered-out cases allocate nothing."""
    rng = np.random.default_rng(1)
    for n in SIZES:
        for kernel, kind, expr in VECTOR:
            yield kernel, n, n, lambda kind=kind, n=n, expr=expr: (
                functools.partial(expr, *inputs(kind, n, dtype, rng)))
    for kernel, expr in MATRIX:
        yield kernel, f"{ROWS}x{COLS}", ROWS * COLS, lambda expr=expr: (
            functools.partial(expr, *matrix(dtype, rng)))


def main(argv):
    out_path = "target/numpy-bench.json"
    quick = False
    pattern = None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--quick":
            quick = True
        elif a == "--filter":
            pattern = re.compile(args.pop(0))
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            out_path = a
    results = []
    start = time.perf_counter()
    for dname, dtype in DTYPES.items():
        item = np.dtype(dtype).itemsize
        if MISALIGN % item or MISALIGN_B % item:
            print(f"{dname} skipped: NUMKERN_BENCH_MISALIGN={MISALIGN} (_B={MISALIGN_B}) "
                  f"is not a multiple of its {item} bytes", file=sys.stderr)
            continue
        for kernel, size, elements, make in cases(dtype):
            bench_id = f"{kernel}/{dname}/numpy/{size}"
            if pattern is not None and not pattern.search(bench_id):
                continue
            fn = make()
            # Roughly 0.3 s per case in cache, fewer repeats of slow ones.
            secs = time_per_call(fn, 0.3, quick)
            del fn
            eps = elements / (secs * 1e9)
            results.append({"kernel": kernel, "dtype": dname, "size": size,
                            "elements_per_ns": eps})
            print(f"{bench_id:40s} {secs * 1e9:14.1f} ns  {eps:8.3f} elements/ns",
                  file=sys.stderr)
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    with open(out_path, "w") as f:
        json.dump({"numpy": np.__version__,
                   "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                   "results": results}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(results)} results to {out_path} "
          f"in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
