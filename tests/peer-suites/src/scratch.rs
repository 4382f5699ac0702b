//! The two generated cargo projects under `target/peer-suites/`: `fetch` (depends on the
//! pinned peers, only to locate their published sources with `cargo metadata`) and
//! `scratch` (one test target per suite, built against patience).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::suites::{
    BASELINE_DEPENDENCIES, CHECK_CFG, DEV_DEPENDENCIES, FEATURES, PENDING,
    PENDING_DEV_DEPENDENCIES, PROGRAMS, Peer, SUITES, Suite,
};

/// Writes `text` to `path` unless it already holds exactly that, so cargo's freshness
/// check (file times) sees no change on a warm run.
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    write_bytes_if_changed(path, text.as_bytes())
}

/// [`write_if_changed`] for any file.
pub fn write_bytes_if_changed(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every pinned package the runner reads: the suites' peers (pending suites' too) and
/// the programs.
fn packages() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    let peers = SUITES.iter().chain(PENDING).map(|s| s.peer);
    let programs = PROGRAMS.iter().map(|p| (p.package, p.version));
    for pair in peers.map(|p: &Peer| (p.package, p.version)).chain(programs) {
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    out
}

/// `cargo metadata` of the project at `manifest` (resolving, and downloading, what it
/// depends on).
pub fn cargo_metadata(manifest: &Path) -> Result<serde_json::Value, String> {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(manifest)
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata output: {e}"))
}

/// Where cargo unpacked the pinned packages.
pub struct Located {
    /// Package name → the directory of its published package.
    pub dirs: HashMap<&'static str, PathBuf>,
    /// The fetch project's `Cargo.lock`: the versions of everything they depend on.
    pub lock: String,
}

/// The directory of each pinned package (downloaded by cargo).
pub fn locate_peers(work: &Path) -> Result<Located, String> {
    let dir = work.join("fetch");
    let mut manifest = String::from(
        "[package]\nname = \"peer-suites-fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n",
    );
    for (package, version) in packages() {
        writeln!(manifest, "{package} = \"={version}\"").unwrap();
    }
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("lib.rs"), "")?;
    let meta = cargo_metadata(&dir.join("Cargo.toml"))?;
    let mut dirs = HashMap::new();
    for (name, version) in packages() {
        let package = meta["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == name && p["version"] == version)
            .ok_or_else(|| format!("cargo metadata lists no {name} {version}"))?;
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        dirs.insert(name, manifest.parent().unwrap().to_path_buf());
    }
    let lock_file = dir.join("Cargo.lock");
    let lock =
        fs::read_to_string(&lock_file).map_err(|e| format!("{}: {e}", lock_file.display()))?;
    Ok(Located { dirs, lock })
}

/// `tokio macros_select.rs`, as printed (`async-trait test.rs (native)` under the
/// native rules).
pub fn suite_label(suite: &Suite) -> String {
    let file = Path::new(suite.file).file_name().unwrap().to_string_lossy();
    let mode = if suite.rules.native { " (native)" } else { "" };
    format!("{} {file}{mode}", suite.peer.package)
}

/// The cargo test target of a suite: `tokio__macros_select` (`async_trait__test_native`
/// under the native rules).
pub fn target_name(suite: &Suite) -> String {
    let stem = Path::new(suite.file).file_stem().unwrap().to_string_lossy();
    let mode = if suite.rules.native { "_native" } else { "" };
    format!("{}__{stem}{mode}", suite.peer.package.replace('-', "_"))
}

/// The scratch crate's manifest: each of `suites` a `[[test]]`, patience by path (with
/// `baseline`, the peers' own macros instead: see [`BASELINE_DEPENDENCIES`]). The pending
/// suites' dependencies come in only when one of them is run.
pub fn manifest(repo: &Path, baseline: bool, suites: &[&Suite]) -> String {
    let mut m = String::from(
        "# Generated by tests/peer-suites; never committed.\n[package]\nname = \"peer-suites-scratch\"\n\
         version = \"0.0.0\"\nedition = \"2021\"\npublish = false\nautotests = false\n\n[workspace]\n\n\
         [lib]\npath = \"lib.rs\"\n\n[features]\n",
    );
    let quoted: Vec<String> = FEATURES.iter().map(|f| format!("{f:?}")).collect();
    writeln!(m, "default = [{}]", quoted.join(", ")).unwrap();
    for f in FEATURES {
        writeln!(m, "{f} = []").unwrap();
    }
    let cfgs: Vec<String> = CHECK_CFG.iter().map(|c| format!("'cfg({c})'")).collect();
    writeln!(
        m,
        "\n[lints.rust]\nunexpected_cfgs = {{ level = \"warn\", check-cfg = [{}] }}\n\n[dev-dependencies]",
        cfgs.join(", ")
    )
    .unwrap();
    let shim = repo.join("runtime-shim");
    writeln!(
        m,
        "patience = {{ path = {:?}, features = [\"tokio\", \"smol\"] }}",
        shim.display().to_string()
    )
    .unwrap();
    let pending = suites.iter().any(|s| {
        PENDING
            .iter()
            .any(|p| p.file == s.file && p.peer.package == s.peer.package)
    });
    let extra = PENDING_DEV_DEPENDENCIES.iter().filter(|_| pending);
    for (name, spec) in DEV_DEPENDENCIES.iter().chain(extra) {
        let spec = BASELINE_DEPENDENCIES
            .iter()
            .find(|(n, _)| baseline && n == name)
            .map_or(*spec, |(_, s)| *s);
        writeln!(m, "{name} = {spec}").unwrap();
    }
    for (name, spec) in BASELINE_DEPENDENCIES.iter().filter(|_| baseline) {
        if !DEV_DEPENDENCIES.iter().any(|(n, _)| n == name) {
            writeln!(m, "{name} = {spec}").unwrap();
        }
    }
    for suite in suites {
        let t = target_name(suite);
        write!(
            m,
            "\n[[test]]\nname = \"{t}\"\npath = \"tests/{t}/main.rs\"\n"
        )
        .unwrap();
    }
    m
}

/// The `.rs` files a suite's file declares with `mod name;` (next to it, as
/// `name.rs` or `name/**.rs`), as paths relative to the suite file's directory.
pub fn support_files(dir: &Path, src: &str) -> Vec<PathBuf> {
    let Ok(file) = syn::parse_file(src) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.content.is_some() {
            continue;
        }
        let name = m.ident.to_string();
        let flat = PathBuf::from(format!("{name}.rs"));
        if dir.join(&flat).is_file() {
            out.push(flat);
        } else {
            collect_rs(dir, Path::new(&name), &mut out);
        }
    }
    out
}

fn collect_rs(base: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(base.join(rel)) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let rel = rel.join(entry.file_name());
        if entry.path().is_dir() {
            collect_rs(base, &rel, out);
        } else if rel.extension().is_some_and(|e| e == "rs") {
            out.push(rel);
        }
    }
}
