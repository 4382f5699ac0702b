//! Runs a libtest binary and reads its plain output.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed(String),
    Ignored,
    /// In the skip list: not run.
    Skipped,
    /// Still running when the binary was stopped.
    TimedOut,
}

/// Every test the binary lists, with its outcome (skipped ones included).
pub fn run(
    exe: &Path,
    skips: &[&str],
    timeout: Duration,
) -> Result<BTreeMap<String, Outcome>, String> {
    run_in(exe, None, skips, timeout)
}

/// [`run`], with the binary started in `dir` (as cargo starts a package's tests, in its
/// root, with `CARGO_MANIFEST_DIR` set).
pub fn run_in(
    exe: &Path,
    dir: Option<&Path>,
    skips: &[&str],
    timeout: Duration,
) -> Result<BTreeMap<String, Outcome>, String> {
    let mut list = Command::new(exe);
    list.args(["--list", "--format", "terse"]);
    let mut cmd = Command::new(exe);
    if let Some(dir) = dir {
        for c in [&mut list, &mut cmd] {
            c.current_dir(dir).env("CARGO_MANIFEST_DIR", dir);
        }
    }
    let listed = list
        .output()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let mut results: BTreeMap<String, Outcome> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(|name| {
            let outcome = if skips.contains(&name) {
                Outcome::Skipped
            } else {
                Outcome::TimedOut
            };
            (name.to_owned(), outcome)
        })
        .collect();
    for s in skips {
        cmd.args(["--skip", s]);
    }
    cmd.arg("--exact").env("RUST_BACKTRACE", "0");
    let text = stdout_within(cmd, timeout).map_err(|e| format!("{}: {e}", exe.display()))?;
    read_outcomes(&text, &mut results);
    Ok(results)
}

/// The outcomes in the output of a libtest run (`cargo test --doc`, for one).
pub fn outcomes(text: &str) -> BTreeMap<String, Outcome> {
    let mut results = BTreeMap::new();
    read_outcomes(text, &mut results);
    results
}

/// Runs `cmd` and returns its standard output; it is stopped after `timeout` (and
/// what it printed until then is returned).
pub fn stdout_within(mut cmd: Command, timeout: Duration) -> Result<String, String> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(reader.join().unwrap_or_default())
}

fn read_outcomes(text: &str, results: &mut BTreeMap<String, Outcome>) {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, outcome)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        let name = name.strip_suffix(" - should panic").unwrap_or(name);
        let outcome = match outcome.trim() {
            "ok" => Outcome::Passed,
            "FAILED" => Outcome::Failed(String::new()),
            o if o.starts_with("ignored") => Outcome::Ignored,
            _ => continue,
        };
        results.insert(name.to_owned(), outcome);
    }
    // `---- name stdout ----` sections: the first lines of each failure's output.
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        else {
            continue;
        };
        let mut body = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("---- ") || *next == "failures:" {
                break;
            }
            body.push(lines.next().unwrap());
        }
        let first: Vec<&str> = body
            .into_iter()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("note: run with `RUST_BACKTRACE"))
            .take(8)
            .collect();
        if let Some(Outcome::Failed(msg)) = results.get_mut(name) {
            *msg = first.join("\n");
        }
    }
}
