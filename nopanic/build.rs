//! The binary is `#![no_std]` and `#![no_main]`. On Linux the C runtime's
//! startup code calls its `main`, so libc is linked explicitly; on bare-metal
//! targets `main` is the ELF entry point (no linker script is needed: the
//! binary is only linked, never run).
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-lc");
    } else {
        println!("cargo:rustc-link-arg-bins=--entry=main");
    }
}
