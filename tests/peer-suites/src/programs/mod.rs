//! Real programs, ported whole: a pinned crate's published package is copied into
//! `target/peer-suites/programs/NAME`, every `.rs` file gets the suites' rewrite (macro
//! paths only) and `Cargo.toml` points async-trait and tokio's `macros` at patience.
//! The port must be as clippy-clean as the unmodified copy (`NAME-unmodified`, same
//! toolchain, same locked dependencies) and pass the program's own tests. Both copies
//! start from the program's own published `Cargo.lock` when it ships one (the versions
//! its authors tested), else from the suites' lock.

mod cargo;
mod manifest;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::libtest;
use crate::report::{ProgramResult, Warnings};
use crate::rewrite::{self, Rules};
use crate::scratch::write_bytes_if_changed;
use crate::suites::Program;

/// How long one test binary (or the doc tests) may run.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What every program's run shares.
pub struct Context {
    /// `runtime-shim`, patience's crate, for the port's path dependency.
    pub patience: PathBuf,
    /// `target/peer-suites/programs`.
    pub dir: PathBuf,
    /// The cargo target directory, shared with the suites' scratch crate.
    pub target_dir: PathBuf,
    /// The fetch project's lock: a program that ships no `Cargo.lock` starts from it, so
    /// it builds the suites' dependency versions (tokio included).
    pub lock: String,
    /// The features of tokio's `full`.
    pub tokio_full: Vec<String>,
    /// `--baseline`: only the unmodified copy, clippy and tests.
    pub unmodified_only: bool,
}

/// The label printed for a program.
pub fn label(program: &Program) -> String {
    format!("{} {}", program.package, program.version)
}

/// Ports, lints and tests one program.
pub fn run(program: &'static Program, package: &Path, cx: &Context) -> ProgramResult {
    let mut result = ProgramResult::new(label(program), cx.unmodified_only);
    if let Err(e) = run_into(program, package, cx, &mut result) {
        result.tests.build_error = Some(e);
    }
    result
}

fn run_into(
    program: &'static Program,
    package: &Path,
    cx: &Context,
    result: &mut ProgramResult,
) -> Result<(), String> {
    let unmodified = cx.dir.join(format!("{}-unmodified", program.package));
    // The versions the program's authors tested when they shipped a lock; else the
    // suites' versions.
    let (lock, from) = match fs::read_to_string(package.join("Cargo.lock")) {
        Ok(own) => (own, "its own published Cargo.lock"),
        Err(_) => (cx.lock.clone(), "the suites' lock (it ships none)"),
    };
    result.lock = from;
    let stamp = stamp(program, &lock);
    materialize(package, &unmodified, &stamp, &lock, |rel, bytes| {
        if rel == Path::new("Cargo.toml") {
            let text = String::from_utf8_lossy(&bytes);
            return manifest::baseline(&text).map(String::into_bytes);
        }
        Ok(bytes)
    })?;
    let unmodified_lint = cargo::run(&unmodified, &["clippy", "--all-targets"], &cx.target_dir)?;
    if !unmodified_lint.success {
        return Err(format!(
            "the unmodified program does not build: {}",
            unmodified_lint.first_errors()
        ));
    }
    let unmodified_warnings: Vec<&cargo::Message> = unmodified_lint.warnings().collect();
    if cx.unmodified_only {
        result.warnings = Some(compare(&unmodified_warnings, &unmodified_warnings));
        return test(program, &unmodified, cx, result);
    }

    let port = cx.dir.join(program.package);
    make_port(package, &port, &unmodified, &stamp, &lock, cx, result)?;
    cargo::check_no_peer_macros(&port)?;

    let lint = cargo::run(&port, &["clippy", "--all-targets"], &cx.target_dir)?;
    if !lint.success {
        return Err(format!("clippy: {}", lint.first_errors()));
    }
    let port_warnings: Vec<&cargo::Message> = lint.warnings().collect();
    result.warnings = Some(compare(&port_warnings, &unmodified_warnings));
    test(program, &port, cx, result)
}

/// Copies the package to `port`, rewriting every `.rs` file and adjusting `Cargo.toml`,
/// and records what changed.
fn make_port(
    package: &Path,
    port: &Path,
    unmodified: &Path,
    stamp: &str,
    lock: &str,
    cx: &Context,
    result: &mut ProgramResult,
) -> Result<(), String> {
    // `full` as the tokio the program resolves to has it (else the pinned tokio's).
    let tokio_full =
        cargo::feature_of(unmodified, "tokio", "full")?.unwrap_or_else(|| cx.tokio_full.clone());
    let mut files = BTreeSet::new();
    let mut changes = Vec::new();
    materialize(package, port, stamp, lock, |rel, bytes| {
        if rel == Path::new("Cargo.toml") {
            let text = String::from_utf8_lossy(&bytes);
            let (text, made) = manifest::port(&text, &cx.patience, &tokio_full)?;
            changes = made;
            return Ok(text.into_bytes());
        }
        if rel.extension().is_none_or(|e| e != "rs") {
            return Ok(bytes);
        }
        let text = String::from_utf8(bytes).map_err(|e| format!("{}: {e}", rel.display()))?;
        let out = rewrite::rewrite(&text, Rules::default())
            .map_err(|e| format!("rewriting {}: {e}", rel.display()))?;
        for (site, n) in out.sites {
            *result.sites.entry(site).or_insert(0) += n;
            files.insert(rel.to_path_buf());
        }
        Ok(out.text.into_bytes())
    })?;
    result.files_rewritten = files.len();
    result.manifest_changes = changes;
    Ok(())
}

/// The port's warnings against the unmodified program's: one warning is a (lint, file,
/// line), however many targets report it; those the unmodified program lacks are new.
fn compare(port: &[&cargo::Message], unmodified: &[&cargo::Message]) -> Warnings {
    let port: BTreeMap<_, _> = port.iter().map(|m| (m.key(), *m)).collect();
    let unmodified: BTreeSet<_> = unmodified.iter().map(|m| m.key()).collect();
    let mut lints = BTreeMap::new();
    for m in port.values() {
        let lint = m
            .code
            .clone()
            .unwrap_or_else(|| "(no lint name)".to_owned());
        *lints.entry(lint).or_insert(0) += 1;
    }
    Warnings {
        count: port.len(),
        unmodified: unmodified.len(),
        new: port
            .iter()
            .filter(|(k, _)| !unmodified.contains(*k))
            .map(|(_, m)| (m.summary(), m.rendered.clone()))
            .collect(),
        lints,
    }
}

/// Builds the program's tests, runs each binary, then the doc tests.
fn test(
    program: &'static Program,
    dir: &Path,
    cx: &Context,
    result: &mut ProgramResult,
) -> Result<(), String> {
    let built = cargo::run(dir, &["test", "--no-run"], &cx.target_dir)?;
    if !built.success {
        return Err(format!("the tests do not build: {}", built.first_errors()));
    }
    let mut all = BTreeMap::new();
    for binary in &built.binaries {
        let skips: Vec<&str> = program
            .skips
            .iter()
            .filter(|s| s.target == binary.target)
            .map(|s| s.test)
            .collect();
        let outcomes = libtest::run_in(&binary.executable, Some(dir), &skips, TIMEOUT)?;
        all.extend(
            outcomes
                .into_iter()
                .map(|(name, o)| (format!("{}: {name}", binary.target), o)),
        );
    }
    if built.binaries.iter().any(|b| b.target == "lib") {
        let mut cmd = std::process::Command::new(env!("CARGO"));
        cmd.current_dir(dir)
            .args(["test", "--doc", "--target-dir"])
            .arg(&cx.target_dir);
        let text = libtest::stdout_within(cmd, TIMEOUT)?;
        if !text.contains("test result:") {
            return Err("the doc tests did not run to the end (timed out, or do not build)".into());
        }
        all.extend(
            libtest::outcomes(&text)
                .into_iter()
                .map(|(name, o)| (format!("doc: {name}"), o)),
        );
    }
    result.tests.stale_skips = program
        .skips
        .iter()
        .map(|s| format!("{}: {}", s.target, s.test))
        .filter(|s| !all.contains_key(s))
        .collect();
    result.tests.skip_reasons = program.skips.iter().map(|s| (s.test, s.reason)).collect();
    result.tests.add_outcomes(all);
    Ok(())
}

/// What a copy was made from: when it changes, the copy is made anew.
fn stamp(program: &Program, lock: &str) -> String {
    let mut h = DefaultHasher::new();
    lock.hash(&mut h);
    format!(
        "{} {} (lock {:016x})\n",
        program.package,
        program.version,
        h.finish()
    )
}

const STAMP: &str = ".peer-suites-copy";

/// Copies the published package to `dst` through `transform` (each file by its path
/// relative to the package), writing only what changed so that a warm run rebuilds
/// nothing. The registry's bookkeeping files are left out; `lock` is the copy's
/// starting `Cargo.lock` (cargo then adds what the port's changes need).
fn materialize(
    src: &Path,
    dst: &Path,
    stamp: &str,
    lock: &str,
    mut transform: impl FnMut(&Path, Vec<u8>) -> Result<Vec<u8>, String>,
) -> Result<(), String> {
    let stamp_file = dst.join(STAMP);
    if dst.exists() && fs::read_to_string(&stamp_file).ok().as_deref() != Some(stamp) {
        fs::remove_dir_all(dst).map_err(|e| format!("{}: {e}", dst.display()))?;
    }
    let mut files = Vec::new();
    collect_files(src, Path::new(""), &mut files)?;
    for rel in files {
        let bytes = fs::read(src.join(&rel)).map_err(|e| format!("{}: {e}", rel.display()))?;
        let out = transform(&rel, bytes)?;
        write_bytes_if_changed(&dst.join(&rel), &out)?;
    }
    if !dst.join("Cargo.lock").exists() {
        write_bytes_if_changed(&dst.join("Cargo.lock"), lock.as_bytes())?;
    }
    write_bytes_if_changed(&stamp_file, stamp.as_bytes())
}

fn collect_files(base: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let dir = base.join(rel);
    let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let top = rel.as_os_str().is_empty();
        if top
            && (name.starts_with('.')
                || name == "Cargo.toml.orig"
                || name == "Cargo.lock"
                || name == "target")
        {
            continue;
        }
        let rel = rel.join(&*name);
        if entry.path().is_dir() {
            collect_files(base, &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

/// The shared context: patience's path, the scratch target directory, the fetch lock
/// and tokio's `full` feature list (from the pinned tokio's published manifest).
pub fn context(
    repo: &Path,
    work: &Path,
    located: &crate::scratch::Located,
    unmodified_only: bool,
) -> Result<Context, String> {
    let tokio = located
        .dirs
        .get("tokio")
        .ok_or("tokio is not among the pinned packages")?
        .join("Cargo.toml");
    let tokio = fs::read_to_string(&tokio).map_err(|e| format!("{}: {e}", tokio.display()))?;
    Ok(Context {
        patience: repo.join("runtime-shim"),
        dir: work.join("programs"),
        target_dir: work.join("target"),
        lock: located.lock.clone(),
        tokio_full: manifest::tokio_full(&tokio)?,
        unmodified_only,
    })
}

#[cfg(test)]
mod tests {
    use super::cargo::Message;
    use super::compare;

    fn warning(lint: &str, file: &str, line: u64) -> Message {
        Message {
            level: "warning".to_owned(),
            code: Some(lint.to_owned()),
            rendered: format!("warning: {lint}"),
            at: Some((file.to_owned(), line)),
        }
    }

    #[test]
    fn only_warnings_the_unmodified_program_lacks_are_new() {
        let old = [
            warning("clippy::a", "src/x.rs", 3),
            warning("clippy::b", "src/x.rs", 9),
        ];
        let port = [
            warning("clippy::a", "src/x.rs", 3),
            warning("clippy::a", "src/x.rs", 3), // the lib and its test target
            warning("clippy::a", "src/x.rs", 4), // same lint, another line
            warning("unused_imports", "tests/t.rs", 1),
        ];
        let w = compare(
            &port.iter().collect::<Vec<_>>(),
            &old.iter().collect::<Vec<_>>(),
        );
        assert_eq!((w.count, w.unmodified), (3, 2));
        let new: Vec<&str> = w.new.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            new,
            [
                "src/x.rs:4: warning: clippy::a",
                "tests/t.rs:1: warning: unused_imports"
            ]
        );
        assert_eq!(w.lints.get("clippy::a"), Some(&2));
    }

    #[test]
    fn the_same_warnings_are_none_new() {
        let old = [warning("clippy::a", "src/x.rs", 3)];
        let all: Vec<&Message> = old.iter().collect();
        assert!(compare(&all, &all).new.is_empty());
    }
}
