//! Runs cargo on a program's copy and reads its JSON messages.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A compiler message about the program's own code.
#[derive(Debug, Clone)]
pub struct Message {
    pub level: String,
    /// `clippy::needless_return`, `unused_imports`, …
    pub code: Option<String>,
    pub rendered: String,
    /// The primary span's file (relative to the program's root) and line.
    pub at: Option<(String, u64)>,
}

impl Message {
    /// What makes two warnings the same one, in the port and in the unmodified program
    /// (the rewrite keeps every line in place).
    pub fn key(&self) -> (String, String, u64) {
        let (file, line) = self.at.clone().unwrap_or_default();
        (self.code.clone().unwrap_or_default(), file, line)
    }

    /// `src/server.rs:169: clippy::foo: first line of the message`.
    pub fn summary(&self) -> String {
        let first = self.rendered.lines().next().unwrap_or_default();
        match &self.at {
            Some((file, line)) => format!("{file}:{line}: {first}"),
            None => first.to_owned(),
        }
    }
}

/// A test binary cargo built for the program.
#[derive(Debug, Clone)]
pub struct TestBinary {
    /// `lib`, `bin NAME`, `test NAME`, …
    pub target: String,
    pub executable: PathBuf,
}

/// What one cargo command gave.
pub struct Run {
    pub success: bool,
    /// The program's own warnings and errors (not its dependencies').
    pub messages: Vec<Message>,
    pub binaries: Vec<TestBinary>,
    /// Errors outside the program's code (a dependency, patience, cargo itself).
    pub other_errors: Vec<String>,
}

impl Run {
    pub fn warnings(&self) -> impl Iterator<Item = &Message> {
        self.messages.iter().filter(|m| m.level == "warning")
    }

    /// The first errors, for a report line.
    pub fn first_errors(&self) -> String {
        let own = self.messages.iter().filter(|m| m.level == "error");
        let lines: Vec<String> = own
            .map(|m| m.rendered.clone())
            .chain(self.other_errors.iter().cloned())
            .take(3)
            .collect();
        if lines.is_empty() {
            "cargo failed with no error message".to_owned()
        } else {
            lines.join("\n")
        }
    }
}

/// `cargo ARGS --message-format=json --target-dir TARGET` in `dir`.
pub fn run(dir: &Path, args: &[&str], target_dir: &Path) -> Result<Run, String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .args(["--message-format=json", "--target-dir"])
        .arg(target_dir)
        .output()
        .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
    let mut run = Run {
        success: out.status.success(),
        messages: Vec::new(),
        binaries: Vec::new(),
        other_errors: Vec::new(),
    };
    let manifest = dir.join("Cargo.toml");
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Ok(msg) = serde_json::from_str::<Value>(line) {
            read(&manifest, &msg, &mut run);
        }
    }
    if !run.success
        && run.messages.iter().all(|m| m.level != "error")
        && run.other_errors.is_empty()
    {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
        run.other_errors
            .push(tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
    }
    Ok(run)
}

fn read(manifest: &Path, msg: &Value, run: &mut Run) {
    let own = msg["manifest_path"].as_str().map(Path::new) == Some(manifest);
    match msg["reason"].as_str() {
        Some("compiler-artifact") if own && msg["profile"]["test"] == true => {
            if let Some(exe) = msg["executable"].as_str() {
                let kind = msg["target"]["kind"][0].as_str().unwrap_or_default();
                let name = msg["target"]["name"].as_str().unwrap_or_default();
                let target = if kind == "lib" {
                    "lib".to_owned()
                } else {
                    format!("{kind} {name}")
                };
                run.binaries.push(TestBinary {
                    target,
                    executable: PathBuf::from(exe),
                });
            }
        }
        Some("compiler-message") => {
            let m = &msg["message"];
            let level = m["level"].as_str().unwrap_or_default().to_owned();
            let rendered = m["rendered"].as_str().unwrap_or_default().to_owned();
            let spans = m["spans"].as_array().cloned().unwrap_or_default();
            if !own {
                if level == "error" {
                    run.other_errors.push(rendered);
                }
                return;
            }
            if !(level == "error" || level == "warning") || spans.is_empty() {
                return; // "aborting due to …", "N warnings emitted"
            }
            let at = spans.iter().find(|s| s["is_primary"] == true).map(|s| {
                (
                    s["file_name"].as_str().unwrap_or_default().to_owned(),
                    s["line_start"].as_u64().unwrap_or_default(),
                )
            });
            run.messages.push(Message {
                level,
                code: m["code"]["code"].as_str().map(str::to_owned),
                rendered,
                at,
            });
        }
        _ => {}
    }
}

/// `cargo metadata` of the program at `dir`.
fn metadata(dir: &Path) -> Result<Value, String> {
    crate::scratch::cargo_metadata(&dir.join("Cargo.toml"))
}

/// What the feature `feature` of the program's dependency `package` (as resolved at
/// `dir`) turns on; None if the program does not depend on it.
pub fn feature_of(dir: &Path, package: &str, feature: &str) -> Result<Option<Vec<String>>, String> {
    let meta = metadata(dir)?;
    let Some(found) = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == package)
    else {
        return Ok(None);
    };
    let list = found["features"][feature]
        .as_array()
        .ok_or_else(|| format!("{package} has no feature `{feature}`"))?;
    Ok(Some(
        list.iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
    ))
}

/// `cargo metadata` of the program: fails if tokio's `macros` feature is on or the
/// program depends on async-trait, since a macro path the rewrite missed would then
/// still compile (and test the peer instead of patience).
pub fn check_no_peer_macros(dir: &Path) -> Result<(), String> {
    let meta = metadata(dir)?;
    let root = meta["resolve"]["root"].as_str().unwrap_or_default();
    for node in meta["resolve"]["nodes"].as_array().into_iter().flatten() {
        let id = node["id"].as_str().unwrap_or_default();
        let features: Vec<&str> = node["features"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if is_package(id, "tokio") && features.contains(&"macros") {
            return Err(format!(
                "tokio's `macros` feature is enabled in the port ({id}): a missed rewrite would still compile"
            ));
        }
        if id == root {
            for dep in node["deps"].as_array().into_iter().flatten() {
                let pkg = dep["pkg"].as_str().unwrap_or_default();
                if is_package(pkg, "async-trait") {
                    return Err("the port still depends on async-trait".to_owned());
                }
            }
        }
    }
    Ok(())
}

/// Whether a cargo package id names `package` (ids look like
/// `registry+https://…#tokio@1.54.1` or, older, `tokio 1.54.1 (registry+…)`).
fn is_package(id: &str, package: &str) -> bool {
    let name = match id.rsplit_once('#') {
        Some((_, tail)) => tail.split('@').next().unwrap_or_default(),
        None => id.split(' ').next().unwrap_or_default(),
    };
    name == package
}

#[cfg(test)]
mod tests {
    use super::is_package;

    #[test]
    fn package_ids_of_both_formats_are_read() {
        assert!(is_package(
            "registry+https://github.com/rust-lang/crates.io-index#tokio@1.54.1",
            "tokio"
        ));
        assert!(!is_package(
            "registry+https://github.com/rust-lang/crates.io-index#tokio-macros@2.7.2",
            "tokio"
        ));
        assert!(is_package("tokio 1.54.1 (registry+https://x)", "tokio"));
    }
}
