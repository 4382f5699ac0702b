//! Compiles `patience-macros`' code into this crate, read from `macros/src`: the macros
//! crate is a proc-macro crate, whose functions no other crate can call.
//!
//! - `modules.rs`: every top-level module of `macros/src/lib.rs` (but its tests),
//!   declared here with `#[path]` into `macros/src`;
//! - `entry_points.rs`: each `#[proc_macro…]` function of `lib.rs`, with the same name
//!   and body, over `proc_macro2::TokenStream` (the body's `.into()` conversions
//!   dropped).
//!
//! Reading both from `lib.rs` keeps this crate in step when a module or a macro is
//! added or renamed there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let src = Path::new(&manifest)
        .join("../macros/src")
        .canonicalize()
        .unwrap();
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    println!("cargo::rerun-if-changed={}", src.join("lib.rs").display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("modules.rs"), modules(&src, &lib)).unwrap();
    std::fs::write(out.join("entry_points.rs"), entry_points(&lib)).unwrap();
}

fn modules(src: &Path, lib: &str) -> String {
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
    out
}

/// The lines from each `#[proc_macro…]` attribute's next line to the function's closing
/// `}` (rustfmt puts it alone at the start of a line), with `.into()` removed.
fn entry_points(lib: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in lib.lines() {
        if line.starts_with("#[proc_macro") {
            inside = true;
            continue;
        }
        if inside {
            out.push_str(&line.replace(".into()", ""));
            out.push('\n');
            if line == "}" {
                inside = false;
            }
        }
    }
    assert!(
        out.contains("pub fn select("),
        "no entry points found in lib.rs"
    );
    out
}
