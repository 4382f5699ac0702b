//! Builds test targets of the scratch crate and reads cargo's JSON messages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// One compiler message about a test target.
#[derive(Debug, Clone)]
pub struct Diag {
    pub target: String,
    pub level: String,
    /// As rustc prints it.
    pub rendered: String,
    /// The file (relative to the scratch crate), line and byte offset in a suite's own
    /// files that the message points at, following macro expansions back to the call
    /// site.
    pub location: Option<(PathBuf, usize, usize)>,
}

/// What one `cargo test --no-run` gave.
pub struct Built {
    /// The test binaries that were built, by target name.
    pub executables: HashMap<String, PathBuf>,
    pub diags: Vec<Diag>,
    /// Errors in anything but a test target (patience itself, a dependency, cargo).
    pub other_errors: Vec<String>,
}

/// Builds the given test targets (`--keep-going`: every target that can be built is).
pub fn build(scratch: &Path, target_dir: &Path, targets: &[String]) -> Result<Built, String> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(scratch)
        .args([
            "build",
            "--keep-going",
            "--message-format=json",
            "--target-dir",
        ])
        .arg(target_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for t in targets {
        cmd.args(["--test", t]);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cargo test --no-run: {e}"))?;
    let mut built = Built {
        executables: HashMap::new(),
        diags: Vec::new(),
        other_errors: Vec::new(),
    };
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        read_message(scratch, targets, &msg, &mut built);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let failed_targets = targets
        .iter()
        .filter(|t| !built.executables.contains_key(*t));
    if failed_targets.clone().count() > 0
        && !built.diags.iter().any(|d| d.level == "error")
        && built.other_errors.is_empty()
    {
        let names: Vec<&String> = failed_targets.collect();
        built
            .other_errors
            .push(format!("cargo built no binary for {names:?}:\n{stderr}"));
    }
    Ok(built)
}

fn read_message(scratch: &Path, targets: &[String], msg: &Value, built: &mut Built) {
    let target = msg["target"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let is_ours = targets.contains(&target) && msg["target"]["kind"][0] == "test";
    match msg["reason"].as_str() {
        Some("compiler-artifact") if is_ours => {
            if let Some(exe) = msg["executable"].as_str() {
                built.executables.insert(target, PathBuf::from(exe));
            }
        }
        Some("compiler-message") => {
            let m = &msg["message"];
            let level = m["level"].as_str().unwrap_or_default().to_owned();
            let rendered = m["rendered"].as_str().unwrap_or_default().to_owned();
            if is_ours {
                let location = m["spans"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|s| s["is_primary"] == true)
                    .find_map(|s| locate(scratch, &target, s));
                if !(level == "error" || level == "warning")
                    || m["spans"].as_array().is_some_and(|s| s.is_empty())
                {
                    return; // "aborting due to ..." and "N warnings emitted"
                }
                built.diags.push(Diag {
                    target,
                    level,
                    rendered,
                    location,
                });
            } else if level == "error" {
                built.other_errors.push(format!("in {target}: {rendered}"));
            }
        }
        _ => {}
    }
}

/// The first span in the chain (the span, then the call site of each macro expansion)
/// that lies in this target's own directory.
fn locate(scratch: &Path, target: &str, span: &Value) -> Option<(PathBuf, usize, usize)> {
    let dir = Path::new("tests").join(target);
    let mut at = span;
    for _ in 0..32 {
        let file = Path::new(at["file_name"].as_str()?);
        let rel = file.strip_prefix(scratch).unwrap_or(file);
        if rel.starts_with(&dir) {
            let line = at["line_start"].as_u64()? as usize;
            return Some((rel.to_path_buf(), line, at["byte_start"].as_u64()? as usize));
        }
        at = &at["expansion"]["span"];
        if at.is_null() {
            return None;
        }
    }
    None
}
