//! Prints the README's benchmark table from the last benchmark runs:
//!
//! ```text
//! cargo bench --bench kernels
//! (cd benches/peers && CARGO_TARGET_DIR=../../target cargo bench)
//! # ... and wide's ln again, built with -C target-cpu=native (see benches/run-all.sh)
//! python3 benches/numpy_bench.py            # writes target/numpy-bench.json
//! cargo run --release --example bench_summary > target/bench-summary.md
//! ```
//!
//! (`benches/run-all.sh` does all four.) It reads criterion's
//! `target/criterion/**/new/{benchmark,estimates}.json` (the id and the median
//! time per iteration) and NumPy's JSON, and prints the main markdown table:
//! per kernel, dtype and size, numkern's elements/ns and GB/s on the backend
//! the free functions use, and the ratio of that to the roof, the plain Rust
//! loop, ndarray, NumKong and NumPy (ours ÷ theirs, in elements/ns: above 1
//! numkern is faster; for the roof, the fraction of the practical limit
//! reached). The ndarray and NumKong ratios take numkern's time from
//! `benches/peers.rs` (`<kernel>/<dtype>/numkern/<size>`: the free function,
//! timed just before the peers on the same inputs), so that both sides of
//! a ratio are measured within seconds of each other; where the peers bench
//! also measured a ratio in alternating pairs (`--paired FILE`, default
//! `target/peers-paired.tsv`), the pairs' median, and those ratios follow
//! the main table with their quartiles. The same file's pairs against the
//! roof (`sum`, `dot`, `variance` at 1 Mi and 16 Mi, `matvec`) give those
//! × roof cells where the backend recorded with them (the one numkern's
//! free functions used) is the table's. Missing data prints
//! as `-`; a row without numkern's own time is left out.
//!
//! After it, the paired ratios' table, then a small `ln` table (issue 5): `ln` and `ln_in_place`, f32 and
//! f64, at 4 Ki and 1 Mi, numkern's elements/ns and the ratios to NumPy's
//! `np.log`, to `wide`'s `f32x8::ln` / `f64x4::ln` (`ln/<dtype>/wide/<n>`
//! from `benches/peers.rs`, built with `-C target-cpu=native`) and to the
//! `f32::ln` / `f64::ln` loop (`plain`). NumPy and `wide` are timed out of
//! place only, so the `ln_in_place` rows are compared with those same
//! timings; the std loop is timed both ways. Every row is printed; missing
//! data prints as `-`.
//!
//! Options: `--criterion DIR` (default `$CRITERION_HOME`, else
//! `$CARGO_TARGET_DIR/criterion`, else `target/criterion`), `--numpy FILE`
//! (default `target/numpy-bench.json`), `--paired FILE` (default
//! `$CARGO_TARGET_DIR/peers-paired.tsv`, else `target/peers-paired.tsv`), `--backend NAME` (default: what
//! `numkern::backend()` picks here, which honours `NUMKERN_BACKEND`), `--paired-only PEER`
//! (print only the paired ratios against `PEER`, e.g. `roof`, and nothing else).
//!
//! Standard library only: the JSON is read with a few hand-written scanners
//! that know exactly the shapes criterion and `benches/numpy_bench.py` write.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Sizes of the vector kernels (as in `benches/common/mod.rs`).
const SIZES: [usize; 6] = [16, 256, 4 << 10, 64 << 10, 1 << 20, 16 << 20];
const MATRIX: &str = "100000x32";
const MATRIX_ELEMENTS: usize = 100_000 * 32;

/// Rows of the table, in order: (kernel, label, sizes are the matrix's).
const KERNELS: [(&str, bool); 11] = [
    ("sum", false),
    ("mean", false),
    ("variance", false),
    ("std_dev", false),
    ("dot", false),
    ("sse", false),
    ("mse", false),
    ("ln", false),
    ("ln_in_place", false),
    ("matvec", true),
    ("standardize_columns", true),
];

/// As `benches/common/mod.rs`: how many times each element's bytes move.
fn streams(kernel: &str) -> usize {
    match kernel {
        "dot" | "sse" | "mse" | "ln" | "ln_in_place" => 2,
        "standardize_columns" => 3,
        _ => 1,
    }
}

// ---- tiny JSON scanners -------------------------------------------------

/// The text just after `"key"` and its colon, searching from the start of `s`.
fn after_key<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\"");
    let rest = &s[s.find(&pat)? + pat.len()..];
    let rest = rest.trim_start().strip_prefix(':')?;
    Some(rest.trim_start())
}

/// A JSON number at the start of `s`.
fn number(s: &str) -> Option<f64> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(s.len());
    s[..end].parse().ok()
}

/// A JSON string at the start of `s` (escapes kept simple: `\x` gives `x`).
fn string(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.strip_prefix('"')?.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

/// A string or a number at the start of `s`, as text (`"4096"` or `4096`).
fn scalar(s: &str) -> Option<String> {
    if s.starts_with('"') {
        string(s)
    } else {
        number(s)
            .map(|_| s[..s.find([',', '}', ' ', '\n', '\r', '\t']).unwrap_or(s.len())].to_string())
    }
}

// ---- inputs -------------------------------------------------------------

/// Every criterion result under `dir`: full id -> median ns per iteration.
fn criterion_results(dir: &Path) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if !p.is_dir() {
                continue;
            }
            if p.file_name().is_some_and(|n| n == "new") {
                if let Some((id, ns)) = criterion_result(&p) {
                    out.insert(id, ns);
                }
            } else {
                stack.push(p);
            }
        }
    }
    out
}

/// `(full_id, median ns)` from one `new/` folder.
fn criterion_result(new: &Path) -> Option<(String, f64)> {
    let bench = fs::read_to_string(new.join("benchmark.json")).ok()?;
    let est = fs::read_to_string(new.join("estimates.json")).ok()?;
    let id = string(after_key(&bench, "full_id")?)?;
    let ns = number(after_key(after_key(&est, "median")?, "point_estimate")?)?;
    (ns > 0.0).then_some((id, ns))
}

/// NumPy's results: (kernel, dtype, size) -> elements/ns.
fn numpy_results(path: &Path) -> HashMap<(String, String, String), f64> {
    let mut out = HashMap::new();
    let Ok(text) = fs::read_to_string(path) else {
        return out;
    };
    // Each result is a flat object; split on '{' and read the ones with a kernel.
    for obj in text.split('{') {
        let obj = obj.split('}').next().unwrap_or_default();
        let get = |k| after_key(obj, k).and_then(scalar);
        if let (Some(k), Some(d), Some(s), Some(e)) = (
            get("kernel"),
            get("dtype"),
            get("size"),
            after_key(obj, "elements_per_ns").and_then(number),
        ) {
            out.insert((k, d, s), e);
        }
    }
    out
}

// ---- the table ----------------------------------------------------------

fn size_label(size: &str) -> String {
    match size.parse::<usize>() {
        Ok(n) if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{}Mi", n >> 20),
        Ok(n) if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{}Ki", n >> 10),
        _ => size.to_string(),
    }
}

fn fmt_num(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        Some(v) if v.is_nan() || v.is_infinite() => "-".into(),
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) if v >= 10.0 => format!("{v:.1}"),
        Some(v) if v >= 0.1 => format!("{v:.2}"),
        Some(v) => format!("{v:.3}"),
    }
}

/// One paired ratio: [median, lower quartile, upper quartile], the rounds and
/// the backend of numkern's free functions, if recorded.
#[derive(Debug)]
struct PairedRatio {
    q: [f64; 3],
    rounds: Option<usize>,
    backend: Option<String>,
}

/// Paired ratios by (kernel, dtype, peer, size).
type Paired = HashMap<(String, String, String, String), PairedRatio>;

struct Ctx {
    crit: HashMap<String, f64>,
    numpy: HashMap<(String, String, String), f64>,
    /// `benches/peers.rs`' paired ratios.
    paired: Paired,
    backend: String,
}

/// The paired ratios' file (`benches/peers.rs`, `NUMKERN_PAIRED_OUT`): one
/// line per ratio, `kernel, dtype, peer, size, median, q1, q3, rounds`
/// (`rounds` absent from older files), tab-separated. A missing file gives
/// none.
fn paired_results(path: &Path) -> Paired {
    let text = fs::read_to_string(path).unwrap_or_default();
    let mut out = HashMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        // (Files written before the round count and the backend were
        // recorded have 7 or 8 fields; fields after the ninth are left for
        // later columns.)
        let (k, d, p, n, m, q1, q3) = match f[..] {
            [k, d, p, n, m, q1, q3, ..] => (k, d, p, n, m, q1, q3),
            _ => continue,
        };
        let rounds = f.get(7).and_then(|r| r.parse().ok());
        let backend = f.get(8).map(|b| b.to_string());
        if let (Ok(m), Ok(q1), Ok(q3)) = (m.parse(), q1.parse(), q3.parse()) {
            let r = PairedRatio {
                q: [m, q1, q3],
                rounds,
                backend,
            };
            out.insert((k.into(), d.into(), p.into(), n.into()), r);
        }
    }
    out
}

/// The paired ratios as a table (only those against the peer `only`, any
/// case, if given: then printed alone, not after the main table), or `None`
/// without any.
fn paired_table(ctx: &Ctx, only: Option<&str>) -> Option<String> {
    let mut keys: Vec<_> = ctx
        .paired
        .keys()
        .filter(|(_, _, p, _)| only.is_none_or(|o| o.eq_ignore_ascii_case(p)))
        .collect();
    if keys.is_empty() {
        return None;
    }
    // By kernel in the main table's order, then dtype, size, peer.
    let order = |k: &str| KERNELS.iter().position(|&(n, _)| n == k);
    keys.sort_by_key(|(k, d, p, n)| (order(k), d.clone(), n.parse::<usize>().ok(), p.clone()));
    let counts: Option<Vec<usize>> = keys.iter().map(|key| ctx.paired[*key].rounds).collect();
    let rounds = match counts.as_deref().map(|c| (c.iter().min(), c.iter().max())) {
        Some((Some(lo), Some(hi))) if lo == hi => format!("{lo}"),
        Some((Some(lo), Some(hi))) => format!("{lo}-{hi}"),
        _ => "an unrecorded number of".to_string(),
    };
    let mut backends: Vec<&str> = keys
        .iter()
        .filter_map(|key| ctx.paired[*key].backend.as_deref())
        .collect();
    backends.sort_unstable();
    backends.dedup();
    let on = match backends[..] {
        [] => String::new(),
        _ => format!(" (numkern on `{}`)", backends.join("`, `")),
    };
    let cell = if only.is_some() {
        ","
    } else {
        " is the main table's cell (× roof: where the backends match),"
    };
    let mut out = format!(
        "Paired ratios (`benches/peers.rs`){on}: numkern's free function and the peer (or \
         the roof) timed one right after the other, the first of the two alternating, in \
         each of {rounds} rounds; the median of the per-round ratios (ours ÷ theirs in \
         speed){cell} beside it the quartiles.\n\n\
         | kernel | dtype | size | peer | median | quartiles |\n\
         | --- | --- | ---: | --- | ---: | ---: |\n",
    );
    for key in keys {
        let [m, q1, q3] = ctx.paired[key].q;
        let (k, d, p, n) = key;
        let peer = if p == "numkong" {
            "NumKong"
        } else {
            p.as_str()
        };
        out.push_str(&format!(
            "| {k} | {d} | {} | {peer} | {} | {}-{} |\n",
            size_label(n),
            fmt_num(Some(m)),
            fmt_num(Some(q1)),
            fmt_num(Some(q3))
        ));
    }
    Some(out)
}

impl Ctx {
    /// Elements/ns of a criterion id, `elements` per iteration.
    fn crit(&self, id: &str, elements: usize) -> Option<f64> {
        self.crit.get(id).map(|ns| elements as f64 / ns)
    }
}

/// One table row: `group` is the benchmark group's kernel (`dispatch` for the
/// dispatch-cost row, whose "ours" is the free function `numkern::dot`).
fn row(
    ctx: &Ctx,
    label: &str,
    group: &str,
    dtype: &str,
    size: &str,
    elements: usize,
) -> Option<String> {
    let get = |imp: &str| ctx.crit(&format!("{group}/{dtype}/{imp}/{size}"), elements);
    let dispatch = group == "dispatch";
    // Without numkern's own time every ratio is `-`: leave the row out.
    let ours = get(if dispatch { "dispatched" } else { &ctx.backend })?;
    let numpy = ctx.numpy.get(&(group.into(), dtype.into(), size.into()));
    // ndarray and NumKong are compared with numkern's free function timed
    // beside them in `benches/peers.rs` (`numkern`), not with `ours`, timed
    // minutes earlier; without that time their ratios are `-`. Where the
    // peers bench measured the ratio in pairs, the pairs' median is used.
    let beside = get("numkern");
    let ratio = |us: Option<f64>, theirs: Option<f64>| fmt_num(us.zip(theirs).map(|(u, t)| u / t));
    let paired = |p: &str| {
        ctx.paired
            .get(&(group.into(), dtype.into(), p.into(), size.into()))
    };
    let peer = |p: &str| match paired(p) {
        Some(r) => fmt_num(Some(r.q[0])),
        None => ratio(beside, get(p)),
    };
    // The roof too, where measured in pairs; those pairs time the free
    // function, so they stand for `ours` only where it ran on this backend.
    let roof = match paired("roof") {
        Some(r) if r.backend.as_deref() == Some(ctx.backend.as_str()) => fmt_num(Some(r.q[0])),
        _ => ratio(Some(ours), get("roof")),
    };
    let ratios = [
        roof,
        ratio(Some(ours), get("plain")),
        peer("ndarray"),
        peer("numkong"),
        ratio(Some(ours), numpy.copied()),
    ];
    let streams = streams(if dispatch { "dot" } else { group });
    let bytes = if dtype == "f64" { 8 } else { 4 };
    let gbs = ours * (streams * bytes) as f64;
    Some(format!(
        "| {label} | {dtype} | {} | {} | {} | {} |",
        size_label(size),
        fmt_num(Some(ours)),
        fmt_num(Some(gbs)),
        ratios.join(" | ")
    ))
}

/// The `ln` table's rows: kernels and sizes (4 Ki and 1 Mi, issue 5's targets).
const LN_KERNELS: [&str; 2] = ["ln", "ln_in_place"];
const LN_SIZES: [usize; 2] = [4 << 10, 1 << 20];

/// One row of the `ln` table, and whether it had any data at all.
fn ln_row(ctx: &Ctx, kernel: &str, dtype: &str, n: usize) -> (String, bool) {
    let get = |k: &str, imp: &str| ctx.crit(&format!("{k}/{dtype}/{imp}/{n}"), n);
    let ours = get(kernel, &ctx.backend);
    // NumPy and wide are timed out of place only (`np.log(x, out=out)`, wide
    // into a buffer); the std loop both ways.
    let theirs = [
        ctx.numpy
            .get(&("ln".into(), dtype.into(), n.to_string()))
            .copied(),
        get("ln", "wide"),
        get(kernel, "plain"),
    ];
    let any = ours.is_some() || theirs.iter().any(Option::is_some);
    let ratios: Vec<String> = theirs
        .iter()
        .map(|t| fmt_num(ours.zip(*t).map(|(o, t)| o / t)))
        .collect();
    let row = format!(
        "| {kernel} | {dtype} | {} | {} | {} |",
        size_label(&n.to_string()),
        fmt_num(ours),
        ratios.join(" | ")
    );
    (row, any)
}

/// The `ln` table, or `None` when none of its cells has data.
fn ln_table(ctx: &Ctx) -> Option<String> {
    let mut any = false;
    let mut out = format!(
        "ln (issue 5): numkern's `ln` on `{}` beside NumPy's `np.log`, `wide`'s \
         `f32x8::ln` / `f64x4::ln` (built with `-C target-cpu=native`) and the \
         `f32::ln` / `f64::ln` loop; ratios are ours ÷ theirs in elements/ns. \
         NumPy and `wide` are timed out of place only, so the `ln_in_place` rows \
         are compared with those timings. `-`: not measured.\n\n\
         | kernel | dtype | size | elements/ns | × NumPy np.log | × wide | × std loop |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: |\n",
        ctx.backend
    );
    for kernel in LN_KERNELS {
        for dtype in ["f32", "f64"] {
            for n in LN_SIZES {
                let (row, has) = ln_row(ctx, kernel, dtype, n);
                any |= has;
                out.push_str(&row);
                out.push('\n');
            }
        }
    }
    any.then_some(out)
}

fn main() {
    let mut crit_dir = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| "target".into())
                .join("criterion")
        });
    let mut numpy = PathBuf::from("target/numpy-bench.json");
    let mut paired = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| "target".into())
        .join("peers-paired.tsv");
    let mut backend = numkern::backend().name().to_string();
    let mut paired_only = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--criterion", Some(v)) => crit_dir = v.into(),
            ("--numpy", Some(v)) => numpy = v.into(),
            ("--paired", Some(v)) => paired = v.into(),
            ("--backend", Some(v)) => backend = v,
            ("--paired-only", Some(v)) => paired_only = Some(v),
            _ => {
                eprintln!(
                    "usage: bench_summary [--criterion DIR] [--numpy FILE] [--paired FILE] \
                     [--backend NAME] [--paired-only PEER]"
                );
                std::process::exit(2);
            }
        }
    }
    let ctx = Ctx {
        crit: criterion_results(&crit_dir),
        numpy: numpy_results(&numpy),
        paired: paired_results(&paired),
        backend,
    };
    if let Some(peer) = paired_only {
        match paired_table(&ctx, Some(&peer)) {
            Some(t) => print!("{t}"),
            None => {
                eprintln!("no paired ratios against {peer} in {}", paired.display());
                std::process::exit(1);
            }
        }
        return;
    }
    eprintln!(
        "{} criterion results from {}, {} NumPy results from {}",
        ctx.crit.len(),
        crit_dir.display(),
        ctx.numpy.len(),
        numpy.display()
    );

    let mut rows = Vec::new();
    for (kernel, is_matrix) in KERNELS {
        for dtype in ["f32", "f64"] {
            let sizes: Vec<(String, usize)> = if is_matrix {
                vec![(MATRIX.into(), MATRIX_ELEMENTS)]
            } else {
                SIZES.iter().map(|&n| (n.to_string(), n)).collect()
            };
            for (size, elements) in sizes {
                rows.extend(row(&ctx, kernel, kernel, dtype, &size, elements));
            }
        }
    }
    // The dispatch cost: `numkern::dot` (the free function) at n = 16.
    for dtype in ["f32", "f64"] {
        rows.extend(row(&ctx, "dot, dispatched", "dispatch", dtype, "16", 16));
    }

    println!(
        "numkern on `{}`; elements/ns and GB/s are numkern's (median of criterion's samples); \
         the other columns are ratios, ours ÷ theirs in elements/ns (above 1: numkern is faster; \
         × roof: the fraction of the load-port roof reached). × ndarray and × NumKong compare \
         the free function with the peer timed just before it in the same step \
         (`benches/peers.rs`), not the elements/ns column; where a paired measurement \
         exists (the table after this one), its median, and so for × roof (`sum`, `dot`, \
         `variance` at 1 Mi and 16 Mi, `matvec`). `-`: not measured.\n",
        ctx.backend
    );
    println!(
        "| kernel | dtype | size | elements/ns | GB/s | × roof | × plain | × ndarray | × NumKong | × NumPy |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in &rows {
        println!("{r}");
    }
    if let Some(t) = paired_table(&ctx, None) {
        print!("\n{t}");
    }
    if let Some(t) = ln_table(&ctx) {
        print!("\n{t}");
    }
    if rows.is_empty() {
        eprintln!("no benchmark results found: run benches/run-all.sh (or cargo bench) first");
    }
}
