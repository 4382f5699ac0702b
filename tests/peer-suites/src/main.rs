//! The peer-suite runner: tokio's, futures' and async-trait's own published test files,
//! with their macro paths pointed at patience, built and run; and real programs ported
//! whole the same way (`programs/`). See `../run` for the design; `suites.rs` is the one
//! table to edit.

mod compile;
mod edits;
mod items;
mod libtest;
mod programs;
mod report;
mod rewrite;
mod scratch;
mod suites;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use report::{Failure, Kind, ProgramResult, SuiteResult};
use suites::{How, PENDING, PROGRAMS, SKIPS, SUITES, Suite};

/// How long one suite's test binary may run.
const TIMEOUT: Duration = Duration::from_secs(120);
/// Build rounds: each takes out what did not compile and builds again.
const ROUNDS: usize = 4;
/// Put at the top of a file that had items taken out: the imports and helpers only they
/// used would otherwise warn. Only these two lints: `unreachable_code` and the rest of
/// `unused` stay on, since patience's expansions must not trigger them.
const ALLOW_AFTER_REMOVAL: &str = "#![allow(unused_imports, dead_code)]";

const USAGE: &str = "usage: tests/peer-suites/run [--only SUBSTRING] [--suites | --programs] \
                     [--pending] [--report FILE.md] [--baseline]";

struct Args {
    only: Option<String>,
    report: Option<PathBuf>,
    /// The files unmodified, against the peers' own macros, with no skips.
    baseline: bool,
    /// Only the suites, or only the programs.
    suites: bool,
    programs: bool,
    /// Also the suites of `suites::PENDING`.
    pending: bool,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        only: None,
        report: None,
        baseline: false,
        suites: true,
        programs: true,
        pending: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => args.only = it.next(),
            "--report" => args.report = it.next().map(PathBuf::from),
            "--baseline" => args.baseline = true,
            "--suites" => args.programs = false,
            "--programs" => args.suites = false,
            "--pending" => args.pending = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    if !args.suites && !args.programs {
        return Err(format!(
            "--suites and --programs exclude each other\n{USAGE}"
        ));
    }
    Ok(args)
}

impl Args {
    fn wants(&self, label: &str) -> bool {
        self.only.as_deref().is_none_or(|o| label.contains(o))
    }
}

/// One suite while it is prepared: its files as rewritten, and what was taken out.
struct Prepared {
    label: String,
    target: String,
    /// Relative to the target's directory in the scratch crate → text.
    files: BTreeMap<PathBuf, String>,
    failures: Vec<Failure>,
    removed_skips: usize,
    build_error: Option<String>,
    exe: Option<PathBuf>,
}

fn main() {
    let started = Instant::now();
    let code = match real_main(started) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("peer-suites: {e}");
            2
        }
    };
    std::process::exit(code);
}

fn real_main(started: Instant) -> Result<i32, String> {
    let args = args()?;
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .map_err(|e| e.to_string())?;
    let work = repo.join("target/peer-suites");
    let located = scratch::locate_peers(&work)?;
    let results = if args.suites {
        run_suites(&args, &repo, &work, &located, started)?
    } else {
        Vec::new()
    };
    let programs = if args.programs {
        run_programs(&args, &repo, &work, &located, started)?
    } else {
        Vec::new()
    };
    let text = report::markdown(&results, &programs);
    let default = if args.baseline {
        "baseline.md"
    } else {
        "failures.md"
    };
    let out = args.report.clone().unwrap_or_else(|| work.join(default));
    fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "peer-suites: report in {} ({:.0?} in all)",
        out.display(),
        started.elapsed()
    );
    let ok = report::print(&results, &programs);
    Ok(if ok { 0 } else { 1 })
}

fn run_suites(
    args: &Args,
    repo: &Path,
    work: &Path,
    located: &scratch::Located,
    started: Instant,
) -> Result<Vec<SuiteResult>, String> {
    let scratch_dir = work.join(if args.baseline { "baseline" } else { "scratch" });
    let pending: &[Suite] = if args.pending { PENDING } else { &[] };
    let all: Vec<&'static Suite> = SUITES.iter().chain(pending).collect();
    let manifest = scratch::manifest(repo, args.baseline, &all);
    scratch::write_if_changed(&scratch_dir.join("Cargo.toml"), &manifest)?;
    scratch::write_if_changed(&scratch_dir.join("lib.rs"), "")?;

    let mut prepared: Vec<Prepared> = all
        .into_iter()
        .filter(|s| args.wants(&scratch::suite_label(s)))
        .map(|s| prepare(s, &located.dirs[s.peer.package], args.baseline))
        .collect();
    eprintln!(
        "peer-suites: {} suites prepared ({:.0?})",
        prepared.len(),
        started.elapsed()
    );
    build_all(&scratch_dir, &work.join("target"), &mut prepared)?;
    eprintln!("peer-suites: built ({:.0?})", started.elapsed());
    Ok(prepared
        .into_iter()
        .map(|p| run_suite(p, args.baseline))
        .collect())
}

fn run_programs(
    args: &Args,
    repo: &Path,
    work: &Path,
    located: &scratch::Located,
    started: Instant,
) -> Result<Vec<ProgramResult>, String> {
    let cx = programs::context(repo, work, located, args.baseline)?;
    let mut out = Vec::new();
    for program in PROGRAMS.iter().filter(|p| args.wants(&programs::label(p))) {
        out.push(programs::run(program, &located.dirs[program.package], &cx));
        eprintln!(
            "peer-suites: program {} done ({:.0?})",
            programs::label(program),
            started.elapsed()
        );
    }
    Ok(out)
}

/// Reads a suite's published files, rewrites them and applies the skip list's removals.
fn prepare(suite: &'static Suite, package: &Path, baseline: bool) -> Prepared {
    let label = scratch::suite_label(suite);
    let target = scratch::target_name(suite);
    let mut p = Prepared {
        label,
        target,
        files: BTreeMap::new(),
        failures: Vec::new(),
        removed_skips: 0,
        build_error: None,
        exe: None,
    };
    let main = package.join(suite.file);
    let dir = main.parent().unwrap();
    let src = match fs::read_to_string(&main) {
        Ok(s) => s,
        Err(e) => {
            p.build_error = Some(format!(
                "{} is not in the published package: {e}",
                suite.file
            ));
            return p;
        }
    };
    let mut sources = vec![(PathBuf::from("main.rs"), src.clone())];
    for rel in scratch::support_files(dir, &src) {
        match fs::read_to_string(dir.join(&rel)) {
            Ok(text) => sources.push((rel, text)),
            Err(e) => p.build_error = Some(format!("{}: {e}", rel.display())),
        }
    }
    for (rel, text) in sources {
        if baseline {
            p.files.insert(rel, text);
            continue;
        }
        match rewrite::rewrite(&text, suite.rules) {
            Ok(out) => {
                p.files.insert(rel, out.text);
            }
            Err(e) => p.build_error = Some(format!("rewriting {}: {e}", rel.display())),
        }
    }
    if !baseline {
        remove_listed(&mut p);
    }
    p
}

/// Takes out the skip list's `How::Remove` entries.
fn remove_listed(p: &mut Prepared) {
    let names: Vec<&str> = SKIPS
        .iter()
        .filter(|s| s.suite == p.label && s.how == How::Remove)
        .map(|s| s.test)
        .collect();
    if names.is_empty() {
        return;
    }
    let main = PathBuf::from("main.rs");
    let src = p.files[&main].clone();
    let result = items::units(&src).and_then(|units| {
        let chosen: Vec<&items::Unit> = units
            .iter()
            .filter(|u| u.is_test && names.contains(&u.name.as_str()))
            .collect();
        p.removed_skips = chosen.len();
        items::remove(
            &src,
            &chosen,
            "in the skip list (tests/peer-suites/src/suites.rs)",
        )
    });
    match result {
        Ok(text) => {
            p.files.insert(main, text);
        }
        Err(e) => p.build_error = Some(format!("removing skipped tests: {e}")),
    }
}

fn write_files(scratch: &Path, p: &Prepared) -> Result<(), String> {
    for (rel, text) in &p.files {
        scratch::write_if_changed(&scratch.join("tests").join(&p.target).join(rel), text)?;
    }
    Ok(())
}

/// Builds every suite; a suite whose build fails has what did not compile taken out
/// (each reported as a failure) and is built again, up to [`ROUNDS`] times.
fn build_all(scratch: &Path, target_dir: &Path, prepared: &mut [Prepared]) -> Result<(), String> {
    for p in prepared.iter() {
        write_files(scratch, p)?;
    }
    let mut pending: Vec<String> = prepared
        .iter()
        .filter(|p| p.build_error.is_none())
        .map(|p| p.target.clone())
        .collect();
    for round in 1..=ROUNDS {
        if pending.is_empty() {
            break;
        }
        let built = compile::build(scratch, target_dir, &pending)?;
        if !built.other_errors.is_empty() {
            return Err(format!(
                "the scratch crate's dependencies do not build:\n{}",
                built.other_errors.join("\n")
            ));
        }
        let mut again = Vec::new();
        for p in prepared.iter_mut().filter(|p| pending.contains(&p.target)) {
            let diags: Vec<&compile::Diag> = built
                .diags
                .iter()
                .filter(|d| d.target == p.target)
                .collect();
            if let Some(exe) = built.executables.get(&p.target) {
                p.exe = Some(exe.clone());
                p.failures.extend(warnings(p, &diags));
                continue;
            }
            if round == ROUNDS {
                p.build_error = Some(first_errors(&diags));
            } else if quarantine(p, &diags) {
                write_files(scratch, p)?;
                again.push(p.target.clone());
            }
        }
        pending = again;
    }
    Ok(())
}

fn first_errors(diags: &[&compile::Diag]) -> String {
    diags
        .iter()
        .filter(|d| d.level == "error")
        .take(3)
        .map(|d| d.rendered.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Takes out the items holding this round's errors. False (and a build error recorded)
/// when an error points at no item of the suite's files.
fn quarantine(p: &mut Prepared, diags: &[&compile::Diag]) -> bool {
    let mut by_file: BTreeMap<PathBuf, Vec<&compile::Diag>> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.level == "error") {
        let Some((file, _, _)) = &d.location else {
            p.build_error = Some(first_errors(&[d]));
            return false;
        };
        let rel = file
            .strip_prefix(Path::new("tests").join(&p.target))
            .unwrap_or(file)
            .to_path_buf();
        by_file.entry(rel).or_default().push(d);
    }
    for (rel, errs) in by_file {
        let Some(src) = p.files.get(&rel).cloned() else {
            p.build_error = Some(first_errors(&errs));
            return false;
        };
        let units = match items::units(&src) {
            Ok(u) => u,
            Err(e) => {
                p.build_error = Some(format!("{}: {e}", rel.display()));
                return false;
            }
        };
        let mut chosen: Vec<&items::Unit> = Vec::new();
        for d in &errs {
            let (_, line, byte) = d.location.as_ref().unwrap();
            let Some(unit) = items::enclosing(&units, *line, *byte) else {
                p.build_error = Some(first_errors(&[d]));
                return false;
            };
            if !chosen.iter().any(|c| c.name == unit.name) {
                chosen.push(unit);
                p.failures.push(Failure::new(
                    &p.label,
                    &unit.name,
                    Kind::DoesNotCompile,
                    &d.rendered,
                    unit.is_test,
                ));
            }
        }
        match items::remove(
            &src,
            &chosen,
            "does not compile against patience (see the report)",
        ) {
            Ok(text) => {
                // What only the removed items used would otherwise warn (and count).
                let text = if text.starts_with(ALLOW_AFTER_REMOVAL) {
                    text
                } else {
                    format!("{ALLOW_AFTER_REMOVAL} {text}")
                };
                p.files.insert(rel, text);
            }
            Err(e) => {
                p.build_error = Some(e);
                return false;
            }
        }
    }
    true
}

/// Warnings in a suite's own files: the peers build their tests with `-D warnings`, so
/// each one is a failure of the item it points at.
fn warnings(p: &Prepared, diags: &[&compile::Diag]) -> Vec<Failure> {
    let mut out: Vec<Failure> = Vec::new();
    for d in diags.iter().filter(|d| d.level == "warning") {
        let name = d.location.as_ref().and_then(|(file, line, byte)| {
            let rel = file
                .strip_prefix(Path::new("tests").join(&p.target))
                .unwrap_or(file);
            let units = items::units(p.files.get(rel)?).ok()?;
            items::enclosing(&units, *line, *byte).map(|u| (u.name.clone(), u.is_test))
        });
        let (name, is_test) = name.unwrap_or_else(|| ("(no item)".to_owned(), false));
        if !out.iter().any(|f| f.test == name) {
            out.push(Failure::new(
                &p.label,
                &name,
                Kind::Warning,
                &d.rendered,
                is_test,
            ));
        }
    }
    out
}

fn run_suite(p: Prepared, baseline: bool) -> SuiteResult {
    let skips: Vec<&str> = SKIPS
        .iter()
        .filter(|s| !baseline && s.suite == p.label && s.how == How::Run)
        .map(|s| s.test)
        .collect();
    let mut result = SuiteResult::new(p.label.clone(), p.failures);
    result.skipped = p.removed_skips;
    result.skip_reasons = SKIPS
        .iter()
        .filter(|s| !baseline && s.suite == p.label)
        .map(|s| (s.test, s.reason))
        .collect();
    if let Some(e) = p.build_error {
        result.build_error = Some(e);
        return result;
    }
    let Some(exe) = p.exe else {
        result.build_error = Some("no test binary was built".to_owned());
        return result;
    };
    match libtest::run(&exe, &skips, TIMEOUT) {
        Ok(outcomes) => {
            result.stale_skips = skips
                .iter()
                .filter(|s| !outcomes.contains_key(**s))
                .map(|s| s.to_string())
                .collect();
            result.add_outcomes(outcomes);
        }
        Err(e) => result.build_error = Some(e),
    }
    result
}
