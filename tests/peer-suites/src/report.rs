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

    fn ok(&self) -> bool {
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

/// Prints one line per suite, each failure's first line, and the total. True when
/// every suite built and nothing but listed skips failed.
pub fn print(results: &[SuiteResult]) -> bool {
    for r in results {
        println!("{}", r.line());
        for f in &r.failures {
            let first = f.lines.lines().next().unwrap_or_default();
            println!("    {} ({}): {first}", f.test, f.kind.describe());
        }
        for s in &r.stale_skips {
            println!("    skip list entry `{s}` names no test of this suite");
        }
    }
    let (p, f, s) = totals(results);
    let broken = results.iter().filter(|r| r.build_error.is_some()).count();
    if broken > 0 {
        println!("peer-suites: {broken} suite(s) do not build");
    }
    println!("peer-suites: {p} passed, {f} failed, {s} skipped");
    results.iter().all(SuiteResult::ok)
}

fn totals(results: &[SuiteResult]) -> (usize, usize, usize) {
    results.iter().fold((0, 0, 0), |(p, f, s), r| {
        (p + r.passed, f + r.failed(), s + r.skipped)
    })
}

/// The report: counts, then every failure with its first lines.
pub fn markdown(results: &[SuiteResult]) -> String {
    let mut md = String::from(
        "# Peer-suite failures\n\nWritten by `tests/peer-suites/run` (overwritten on each run). Paths are \
         in target/peer-suites/scratch; line numbers are the published file's (the rewrite keeps \
         every line in place).\n\n",
    );
    for r in results {
        writeln!(md, "- {}", r.line()).unwrap();
    }
    for r in results {
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
    md += "\n# Skipped (tests/peer-suites/src/suites.rs)\n\n";
    for r in results {
        for (test, reason) in &r.skip_reasons {
            writeln!(md, "- {} `{test}`: {reason}", r.label).unwrap();
        }
    }
    md
}
