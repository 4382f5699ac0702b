//! Declares every top-level module of `macros/src/lib.rs` (but its tests) as a module
//! of this crate, read from `macros/src` with `#[path]`: the macros crate is a
//! proc-macro crate, whose functions no other crate can call, so this crate compiles
//! its modules as a plain library. Reading the list from `lib.rs` keeps the two in
//! step when a module is added.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let src = Path::new(&manifest)
        .join("../macros/src")
        .canonicalize()
        .unwrap();
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    println!("cargo::rerun-if-changed={}", src.join("lib.rs").display());
    let mut out = String::new();
    let mut cfg_test = false;
    for line in lib.lines().map(str::trim) {
        if line == "#[cfg(test)]" {
            cfg_test = true;
            continue;
        }
        let module = line
            .strip_prefix("mod ")
            .or_else(|| line.strip_prefix("pub(crate) mod "))
            .and_then(|rest| rest.strip_suffix(';'));
        if let Some(name) = module.filter(|_| !cfg_test) {
            let file = src.join(format!("{name}.rs"));
            let path = if file.exists() {
                file
            } else {
                src.join(name).join("mod.rs")
            };
            writeln!(
                out,
                "#[path = {:?}]\nmod {name};",
                path.display().to_string()
            )
            .unwrap();
        }
        cfg_test = false;
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("modules.rs");
    std::fs::write(dest, out).unwrap();
}
