//! Sets `cfg(optimized)` unless the crate is built at `opt-level = 0`.
//!
//! The kernels' generic bodies and lane methods are `#[inline(always)]` only
//! under that cfg (`#[cfg_attr(optimized, inline(always))]`). Optimised builds
//! need the forced inlining: it puts the generic bodies inside the
//! `#[target_feature]` entry points, so that they compile to that feature
//! set's instructions. Unoptimised builds do not, and forcing it there makes
//! each entry point one enormous function: a debug build of this crate took
//! 56 s for `wasm32` and 8 s for `x86_64`, against about a second without.
//! No cfg tells the two apart (the test profile here is `opt-level = 3` with
//! debug assertions), hence this script. Inlining never changes a result:
//! the same operations run in the same order either way.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(optimized)");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("OPT_LEVEL").map_or(true, |level| level != "0") {
        println!("cargo::rustc-cfg=optimized");
    }
}
