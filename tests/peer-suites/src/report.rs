//! Per-suite counts and the failures, printed and as a markdown report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::libtest::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Taken out of the file because it did not compile against patience.
    DoesNotCompile,
    /// Compiled, with a warning pointing into it.
    Warning,
    /// Ran and failed.
    Failed,
    /// Still running when the suite's time was up.
    TimedOut,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::DoesNotCompile => "does not compile",
            Kind::Warning => "warning",
            Kind::Failed => "failed",
            Kind::TimedOut => "timed out",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Failure {
    pub suite: String,
    /// The test's libtest name, or the item's description when it is not a test.
    pub test: String,
    pub kind: Kind,
    /// The first lines of the error or of the test's output.
    pub lines: String,
    pub is_test: bool,
}

impl Failure {
    pub fn new(suite: &str, test: &str, kind: Kind, text: &str, is_test: bool) -> Failure {
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(12)
            .collect();
        Failure {
            suite: suite.to_owned(),
            test: test.to_owned(),
            kind,
            lines: lines.join("\n"),
            is_test,
        }
    }
}

pub struct SuiteResult {
    pub label: String,
    pub failures: Vec<Failure>,
    pub passed: usize,
    pub skipped: usize,
    pub build_error: Option<String>,
    /// Skip-list entries that name no test of the suite (stale after a version bump).
    pub stale_skips: Vec<String>,
    /// The skip list's entries for this suite: test, reason.
    pub skip_reasons: Vec<(&'static str, &'static str)>,
}

impl SuiteResult {
    pub fn new(label: String, failures: Vec<Failure>) -> SuiteResult {
        SuiteResult {
            label,
            failures,
            passed: 0,
            skipped: 0,
            build_error: None,
            stale_skips: Vec::new(),
            skip_reasons: Vec::new(),
        }
    }

    /// Adds the test binary's outcomes. A test that passed but has a warning counts as
    /// failed (its warning is already among the failures).
    pub fn add_outcomes(&mut self, outcomes: BTreeMap<String, Outcome>) {
        for (name, outcome) in outcomes {
            let warned = self.failures.iter().any(|f| f.is_test && f.test == name);
            match outcome {
                Outcome::Passed if !warned => self.passed += 1,
                Outcome::Passed => {}
                Outcome::Failed(text) => {
                    self.failures.retain(|f| !(f.is_test && f.test == name));
                    self.failures
                        .push(Failure::new(&self.label, &name, Kind::Failed, &text, true));
                }
                Outcome::TimedOut => {
                    self.failures
                        .push(Failure::new(&self.label, &name, Kind::TimedOut, "", true));
                }
                Outcome::Ignored | Outcome::Skipped => self.skipped += 1,
            }
        }
    }

    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    pub fn ok(&self) -> bool {
        self.build_error.is_none() && self.failures.is_empty() && self.stale_skips.is_empty()
    }

    fn line(&self) -> String {
        match &self.build_error {
            Some(e) => format!(
                "{}: does not build: {}",
                self.label,
                e.lines().next().unwrap_or_default()
            ),
            None => format!(
                "{}: {} passed, {} failed, {} skipped",
                self.label,
                self.passed,
                self.failed(),
                self.skipped
            ),
        }
    }
}

/// A ported program's clippy warnings.
#[derive(Debug, Clone, Default)]
pub struct Warnings {
    /// Distinct warnings (lint, file, line) in the copy checked.
    pub count: usize,
    /// Distinct warnings in the unmodified program.
    pub unmodified: usize,
    /// The port's warnings the unmodified program does not have: summary, full text.
    pub new: Vec<(String, String)>,
    /// The warnings of the copy checked, by lint → how many.
    pub lints: BTreeMap<String, usize>,
}

impl Warnings {
    /// `clippy::clone_on_copy 3, clippy::needless_borrow 2`.
    fn lints_line(&self) -> String {
        let each: Vec<String> = self.lints.iter().map(|(k, v)| format!("{k} {v}")).collect();
        each.join(", ")
    }
}

/// One program: what was rewritten, its warnings, its tests.
pub struct ProgramResult {
    pub label: String,
    /// `--baseline`: the unmodified program was checked, not the port.
    pub unmodified: bool,
    /// What was rewritten → how many times.
    pub sites: BTreeMap<String, usize>,
    pub files_rewritten: usize,
    pub manifest_changes: Vec<String>,
    /// Which `Cargo.lock` the copies started from.
    pub lock: &'static str,
    /// None when clippy did not get to run.
    pub warnings: Option<Warnings>,
    /// The program's tests, counted as a suite's (a port that does not build is its
    /// `build_error`).
    pub tests: SuiteResult,
}

impl ProgramResult {
    pub fn new(label: String, unmodified: bool) -> ProgramResult {
        ProgramResult {
            tests: SuiteResult::new(format!("program {label}"), Vec::new()),
            label,
            unmodified,
            sites: BTreeMap::new(),
            files_rewritten: 0,
            manifest_changes: Vec::new(),
            lock: "",
            warnings: None,
        }
    }

    fn ok(&self) -> bool {
        self.tests.ok() && self.warnings.as_ref().is_some_and(|w| w.new.is_empty())
    }

    fn clippy(&self) -> String {
        let Some(w) = &self.warnings else {
            return "clippy did not run".to_owned();
        };
        match (self.unmodified, w.count, w.new.len()) {
            (true, 0, _) => "clippy clean".to_owned(),
            (true, n, _) => format!("clippy {n} warnings"),
            (false, 0, _) => "clippy clean (0 new warnings)".to_owned(),
            (false, n, 0) => {
                format!("clippy {n} warnings, each also in the unmodified program (0 new)")
            }
            (false, n, new) => format!(
                "clippy {new} NEW warnings ({n} in all; the unmodified program has {})",
                w.unmodified
            ),
        }
    }

    fn line(&self) -> String {
        let name = if self.unmodified {
            format!("program {} (unmodified)", self.label)
        } else {
            format!("program {}", self.label)
        };
        match &self.tests.build_error {
            Some(e) => format!(
                "{name}: does not build: {}",
                e.lines().next().unwrap_or_default()
            ),
            None => format!(
                "{name}: {}, tests {} passed, {} failed, {} skipped",
                self.clippy(),
                self.tests.passed,
                self.tests.failed(),
                self.tests.skipped
            ),
        }
    }

    /// `27 sites in 12 files: #[tokio::test] 11, …`.
    fn sites_line(&self) -> String {
        let total: usize = self.sites.values().sum();
        let each: Vec<String> = self.sites.iter().map(|(k, v)| format!("{k} {v}")).collect();
        format!(
            "rewritten: {total} sites in {} files ({})",
            self.files_rewritten,
            each.join(", ")
        )
    }
}

/// Prints one line per suite and per program, each failure's first line, and the
/// total. True when every suite and program built, nothing but listed skips failed, and
/// no port has a clippy warning its unmodified program does not.
pub fn print(results: &[SuiteResult], programs: &[ProgramResult]) -> bool {
    for r in results {
        println!("{}", r.line());
        print_failures(r);
    }
    for p in programs {
        println!("{}", p.line());
        if !p.unmodified && p.tests.build_error.is_none() {
            println!("    {}", p.sites_line());
        }
        if let Some(w) = p.warnings.as_ref().filter(|w| w.count > 0) {
            println!("    warnings: {}", w.lints_line());
        }
        for (summary, _) in p.warnings.iter().flat_map(|w| &w.new) {
            println!("    new warning: {summary}");
        }
        print_failures(&p.tests);
    }
    let all: Vec<&SuiteResult> = results
        .iter()
        .chain(programs.iter().map(|p| &p.tests))
        .collect();
    let (p, f, s) = totals(&all);
    let broken = results.iter().filter(|r| r.build_error.is_some()).count();
    if broken > 0 {
        println!("peer-suites: {broken} suite(s) do not build");
    }
    let broken = programs
        .iter()
        .filter(|r| r.tests.build_error.is_some())
        .count();
    if broken > 0 {
        println!("peer-suites: {broken} program(s) do not build");
    }
    println!("peer-suites: {p} passed, {f} failed, {s} skipped");
    results.iter().all(SuiteResult::ok) && programs.iter().all(ProgramResult::ok)
}

fn print_failures(r: &SuiteResult) {
    for f in &r.failures {
        let first = f.lines.lines().next().unwrap_or_default();
        println!("    {} ({}): {first}", f.test, f.kind.describe());
    }
    for s in &r.stale_skips {
        println!("    skip list entry `{s}` names no test of this suite");
    }
}

fn totals(results: &[&SuiteResult]) -> (usize, usize, usize) {
    results.iter().fold((0, 0, 0), |(p, f, s), r| {
        (p + r.passed, f + r.failed(), s + r.skipped)
    })
}

/// The report: counts, then every failure with its first lines, then each program.
pub fn markdown(results: &[SuiteResult], programs: &[ProgramResult]) -> String {
    let mut md = String::from(
        "# Peer-suite failures\n\nWritten by `tests/peer-suites/run` (overwritten on each run). Paths are \
         in target/peer-suites/scratch; line numbers are the published file's (the rewrite keeps \
         every line in place).\n\n",
    );
    for r in results {
        writeln!(md, "- {}", r.line()).unwrap();
    }
    for p in programs {
        writeln!(md, "- {}", p.line()).unwrap();
    }
    for r in results {
        failures_md(&mut md, r);
    }
    for p in programs {
        program_md(&mut md, p);
    }
    md += "\n# Skipped (tests/peer-suites/src/suites.rs)\n\n";
    for r in results.iter().chain(programs.iter().map(|p| &p.tests)) {
        for (test, reason) in &r.skip_reasons {
            writeln!(md, "- {} `{test}`: {reason}", r.label).unwrap();
        }
    }
    md
}

fn failures_md(md: &mut String, r: &SuiteResult) {
    if let Some(e) = &r.build_error {
        writeln!(
            md,
            "\n## {}: does not build\n\n```text\n{}\n```",
            r.label,
            e.trim_end()
        )
        .unwrap();
    }
    for f in &r.failures {
        writeln!(
            md,
            "\n## {} `{}` ({})\n\n```text\n{}\n```",
            f.suite,
            f.test,
            f.kind.describe(),
            f.lines
        )
        .unwrap();
    }
    for s in &r.stale_skips {
        writeln!(md, "\n## {}: skip list entry `{s}` names no test", r.label).unwrap();
    }
}

/// A program's section: what the port changed, its new warnings, its failures.
fn program_md(md: &mut String, p: &ProgramResult) {
    writeln!(
        md,
        "\n# Program {} (in target/peer-suites/programs)\n\n{}\n",
        p.label,
        p.line()
    )
    .unwrap();
    if !p.unmodified {
        writeln!(
            md,
            "{}\n\nDependency versions: {}.\n\nCargo.toml:\n",
            p.sites_line(),
            p.lock
        )
        .unwrap();
        for c in &p.manifest_changes {
            writeln!(md, "- {c}").unwrap();
        }
    }
    if let Some(w) = p.warnings.as_ref().filter(|w| w.count > 0) {
        writeln!(md, "\nClippy warnings: {}.", w.lints_line()).unwrap();
    }
    for (summary, text) in p.warnings.iter().flat_map(|w| &w.new) {
        writeln!(
            md,
            "\n## New warning: {summary}\n\n```text\n{}\n```",
            text.trim_end()
        )
        .unwrap();
    }
    failures_md(md, &p.tests);
}
