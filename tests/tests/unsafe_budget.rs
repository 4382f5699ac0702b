//! The README's `unsafe` budget is the code's: every `unsafe` block and `unsafe impl` in
//! the runtime crate is counted, per file, against the README's table and totals, and
//! each one must have a `SAFETY` comment just before it. Test code (`tests.rs` files) is
//! not counted.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// How many lines above an `unsafe` its `SAFETY` comment may start.
const SAFETY_REACH: usize = 12;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line: what precedes a `//` comment (good enough for this crate, whose
/// strings hold no `//` before an `unsafe`).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

#[derive(Debug, Default, PartialEq)]
struct Counts {
    blocks: usize,
    impls: usize,
}

/// Per file (relative to `runtime-shim/src`): its `unsafe` blocks and impls, and the
/// places that lack a `SAFETY` comment.
fn count_sources() -> (BTreeMap<String, Counts>, Vec<String>) {
    let src = root().join("runtime-shim/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut counts = BTreeMap::new();
    let mut missing = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if name.ends_with("tests.rs") {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = code(line);
            let blocks = code.matches("unsafe {").count();
            let impls = code.matches("unsafe impl").count();
            if blocks + impls == 0 {
                continue;
            }
            let entry: &mut Counts = counts.entry(name.clone()).or_default();
            entry.blocks += blocks;
            entry.impls += impls;
            let from = i.saturating_sub(SAFETY_REACH);
            if !lines[from..=i].iter().any(|l| l.contains("SAFETY")) {
                missing.push(format!("{name}:{}", i + 1));
            }
        }
    }
    (counts, missing)
}

/// The README's section: its totals sentence and its table's block count per file.
fn readme_budget() -> (Counts, BTreeMap<String, usize>) {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("### The `unsafe` budget")
        .expect("README has the budget section");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n#").map_or(section.len(), |e| e + 4)];
    let total = |what: &str| -> usize {
        let at = section
            .find(what)
            .unwrap_or_else(|| panic!("README says how many {what}"));
        let before = section[..at].trim_end();
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().unwrap()
    };
    let totals = Counts {
        blocks: total(" `unsafe` blocks"),
        impls: total(" `unsafe impl`s"),
    };
    let mut table = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let file = cells[1].trim_matches('`').to_string();
        let blocks = cells[2].split_whitespace().next().unwrap().parse().unwrap();
        table.insert(file, blocks);
    }
    (totals, table)
}

#[test]
fn readme_unsafe_budget_matches_the_runtime_source() {
    let (counts, _) = count_sources();
    let (totals, table) = readme_budget();
    let blocks: BTreeMap<String, usize> =
        counts.iter().map(|(f, c)| (f.clone(), c.blocks)).collect();
    let with_blocks: BTreeMap<String, usize> = blocks.into_iter().filter(|&(_, n)| n > 0).collect();
    assert_eq!(
        with_blocks, table,
        "README's table (left: the source) is stale"
    );
    let sum = Counts {
        blocks: counts.values().map(|c| c.blocks).sum(),
        impls: counts.values().map(|c| c.impls).sum(),
    };
    assert_eq!(sum, totals, "README's totals (left: the source) are stale");
}

#[test]
fn every_unsafe_in_the_runtime_has_a_safety_comment() {
    let (_, missing) = count_sources();
    assert!(
        missing.is_empty(),
        "no SAFETY comment within {SAFETY_REACH} lines above: {missing:?}"
    );
}

#[test]
fn the_macro_crate_has_no_unsafe() {
    let mut files = Vec::new();
    rust_files(&root().join("macros/src"), &mut files);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = code(line);
            assert!(
                !code.contains("unsafe {") && !code.contains("unsafe impl"),
                "{}:{}: unsafe in the macro crate",
                file.display(),
                i + 1
            );
        }
    }
}
