//! Compile-time costs, measured by building scratch crates with cargo.
//!
//! - Per use: a crate with 40 uses of a macro at K branches is rebuilt (only that
//!   crate: its dependencies are built once beforehand), and the rebuild time of a
//!   baseline crate with the same 40 functions written without the macro is
//!   subtracted. Each variant is built three times, in three rounds that each build
//!   every variant once; the fastest build counts. The table gives wall time and CPU
//!   time (cargo's and rustc's threads, from `/proc/self/stat`): CPU time does not count
//!   waiting for a core, so it is the steadier of the two when other work shares the
//!   machine (wall-clock ratios for the same code ranged from 0.37 to 0.59 in one
//!   afternoon of such sharing).
//! - Clean build: a crate that depends only on `patience` (default features), and one
//!   that depends only on tokio with `rt,macros`, each built from an empty target dir,
//!   twice, alternating; the faster build of each counts.
//!
//! Every build runs with `CARGO_INCREMENTAL=0`. With incremental compilation (the debug
//! default for path dependencies and the scratch crates), a rebuild after the comment
//! that forces it reuses the cached type checking and code generation of the unchanged
//! functions, so the fastest of three rebuilds measured little but macro expansion and
//! the cache: 40 uses of a 32-branch `patience::select!` rebuilt in 0.6 s that way and
//! in 6 s from scratch. A crate from a registry is never built incrementally either.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const USES: usize = 40;

fn scratch_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/compile-cost")
}

fn patience_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../runtime-shim")
        .canonicalize()
        .expect("runtime-shim exists")
        .display()
        .to_string()
}

/// User plus system CPU time of this process's waited-for children (and theirs), from
/// `/proc/self/stat` (Linux; 100 ticks a second); `None` elsewhere.
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name: state is field 3, cutime 16 and cstime 17.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// One build: wall time, and CPU time (all of cargo's and rustc's threads) where known.
/// CPU time does not count waiting for a core, so it varies less than wall time on a
/// machine that other work shares.
fn cargo_build_cost(dir: &Path, target_dir: &Path) -> (Duration, Option<Duration>) {
    let before = children_cpu();
    let wall = cargo_build(dir, target_dir);
    let cpu = match (before, children_cpu()) {
        (Some(before), Some(after)) => Some(after.saturating_sub(before)),
        _ => None,
    };
    (wall, cpu)
}

fn cargo_build(dir: &Path, target_dir: &Path) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--lib", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .expect("run cargo");
    assert!(status.success(), "cargo build failed in {}", dir.display());
    start.elapsed()
}

/// The prelude every generated crate shares: a gate future to race or join.
const PRELUDE: &str = r#"
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
pub struct Gate<'a>(&'a core::cell::Cell<bool>, usize);
impl Future for Gate<'_> {
    type Output = usize;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<usize> {
        if self.0.get() { Poll::Ready(self.1) } else { Poll::Pending }
    }
}
pub fn gate(s: &[core::cell::Cell<bool>], i: usize) -> Gate<'_> { Gate(&s[i], i) }
"#;

/// The source of one variant: `body(k)` is the body of each of the 40 functions.
fn source(k: usize, body: &dyn Fn(usize) -> String) -> String {
    let mut src = String::from(PRELUDE);
    for u in 0..USES {
        let _ = writeln!(
            src,
            "pub async fn use_{u}(s: &[core::cell::Cell<bool>]) -> usize {{ {} }}",
            body(k)
        );
    }
    src
}

fn branches(k: usize, f: impl Fn(usize) -> String) -> String {
    (0..k).map(f).collect::<Vec<_>>().join(" ")
}

type Variant = (&'static str, Box<dyn Fn(usize) -> String>);

fn variants() -> Vec<Variant> {
    vec![
        (
            "baseline (no macro: the children awaited in turn)",
            Box::new(|k| format!("0 {}", branches(k, |i| format!("+ gate(s, {i}).await")))),
        ),
        (
            "patience::select!",
            Box::new(|k| {
                format!(
                    "patience::select! {{ {} }}",
                    branches(k, |i| format!("v = gate(s, {i}) => v,"))
                )
            }),
        ),
        (
            "tokio::select!",
            Box::new(|k| {
                format!(
                    "tokio::select! {{ {} }}",
                    branches(k, |i| format!("v = gate(s, {i}) => v,"))
                )
            }),
        ),
        (
            "patience::join!",
            Box::new(|k| {
                format!(
                    "let o = patience::join!({}); 0 {}",
                    branches(k, |i| format!("gate(s, {i}),")),
                    branches(k, |i| format!("+ o.{i}"))
                )
            }),
        ),
        (
            "tokio::join!",
            Box::new(|k| {
                format!(
                    "let o = tokio::join!({}); 0 {}",
                    branches(k, |i| format!("gate(s, {i}),")),
                    branches(k, |i| format!("+ o.{i}"))
                )
            }),
        ),
    ]
}

fn write_crate(dir: &Path, deps: &str, lib: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{deps}", dir.file_name().unwrap().to_string_lossy()),
    )
    .expect("write Cargo.toml");
    std::fs::write(dir.join("src/lib.rs"), lib).expect("write lib.rs");
}

/// Measures everything; returns a markdown report.
pub fn run() -> String {
    let root = scratch_root();
    let deps = format!(
        "patience = {{ path = {:?} }}\ntokio = {{ version = \"1\", default-features = false, features = [\"rt\", \"macros\"] }}\n",
        patience_path()
    );
    let dir = root.join("per-use");
    let target = root.join("per-use-target");
    write_crate(&dir, &deps, PRELUDE);
    eprintln!("compile cost: building the dependencies once...");
    cargo_build(&dir, &target);

    let mut out = format!(
        "\n#### Compile cost per use (debug build of one crate with {USES} uses, not incremental, baseline subtracted)\n\n| macro | K | rebuild ms | ms per use over baseline | ratio to tokio | CPU ms per use | CPU ratio |\n|---|---:|---:|---:|---:|---:|---:|\n"
    );
    let mut select32 = None;
    let mut select32_cpu = None;
    for k in [8, 32] {
        // Three rounds, each building every variant once, in turn: a stretch of load on
        // the (shared) machine then slows one build of each variant, not all three
        // builds of one. The fastest build of each variant counts.
        let variants = variants();
        let mut times: Vec<(&str, Duration)> = variants
            .iter()
            .map(|(name, _)| (*name, Duration::MAX))
            .collect();
        let mut cpu_times: Vec<Option<Duration>> = vec![Some(Duration::MAX); variants.len()];
        for round in 0..3 {
            for (((_, body), (_, best)), best_cpu) in
                variants.iter().zip(&mut times).zip(&mut cpu_times)
            {
                // A comment that changes every round, so cargo always rebuilds.
                let src = format!("{}\n// round {round}\n", source(k, &**body));
                std::fs::write(dir.join("src/lib.rs"), src).expect("write");
                let (wall, cpu) = cargo_build_cost(&dir, &target);
                *best = (*best).min(wall);
                *best_cpu = best_cpu.zip(cpu).map(|(a, b)| a.min(b));
            }
        }
        let cpu_ms: Vec<Option<f64>> = cpu_times
            .iter()
            .map(|t| t.map(|t| t.as_secs_f64() * 1e3))
            .collect();
        let cpu_per_use = |i: usize| {
            cpu_ms[i]
                .zip(cpu_ms[0])
                .map(|(ms, base)| (ms - base) / USES as f64)
        };
        let base = times[0].1.as_secs_f64() * 1e3;
        let per_use = |name: &str| {
            times
                .iter()
                .find(|t| t.0 == name)
                .map(|t| (t.1.as_secs_f64() * 1e3 - base) / USES as f64)
        };
        for (i, (name, t)) in times.iter().enumerate() {
            let ms = t.as_secs_f64() * 1e3;
            let (cpu_per, cpu_ratio) = if name.starts_with("baseline") {
                ("-".to_owned(), "-".to_owned())
            } else {
                let peer = if name.contains("select") {
                    "tokio::select!"
                } else {
                    "tokio::join!"
                };
                let peer_index = times.iter().position(|t| t.0 == peer);
                match (cpu_per_use(i), peer_index.and_then(cpu_per_use)) {
                    (Some(mine), Some(theirs)) => {
                        if k == 32 && *name == "patience::select!" {
                            select32_cpu = Some(mine / theirs);
                        }
                        (format!("{mine:.2}"), format!("{:.2}", mine / theirs))
                    }
                    _ => ("?".to_owned(), "?".to_owned()),
                }
            };
            let (per, ratio) = if name.starts_with("baseline") {
                ("-".to_owned(), "-".to_owned())
            } else {
                let mine = (ms - base) / USES as f64;
                let peer = if name.contains("select") {
                    "tokio::select!"
                } else {
                    "tokio::join!"
                };
                let theirs = per_use(peer).unwrap_or(f64::NAN);
                if k == 32 && *name == "patience::select!" {
                    select32 = Some(mine / theirs);
                }
                (format!("{mine:.2}"), format!("{:.2}", mine / theirs))
            };
            let _ = writeln!(
                out,
                "| {name} | {k} | {ms:.0} | {per} | {ratio} | {cpu_per} | {cpu_ratio} |"
            );
        }
    }

    if let Some(r) = select32 {
        let _ = writeln!(
            out,
            "\nTarget: a 32-branch `select!` costs at most 0.5× `tokio::select!`'s per-use compile time: {r:.2}× ({}).",
            if r <= 0.5 { "holds" } else { "**NO, missed**" }
        );
    }
    if let Some(r) = select32_cpu {
        let _ = writeln!(
            out,
            "By CPU time (steadier on a shared machine): {r:.2}× ({}).",
            if r <= 0.5 { "holds" } else { "**NO, missed**" }
        );
    }
    out.push_str("\n#### Clean build of the dependency tree (debug, empty target dir, best of 2)\n\n| crate depended on | seconds |\n|---|---:|\n");
    let peers = [
        ("patience (default features)", format!("patience = {{ path = {:?} }}\n", patience_path())),
        (
            "tokio with rt,macros",
            "tokio = { version = \"1\", default-features = false, features = [\"rt\", \"macros\"] }\n".to_owned(),
        ),
    ];
    let slug = |name: &str| {
        if name.starts_with("patience") {
            "clean-patience"
        } else {
            "clean-tokio"
        }
    };
    for (name, deps) in &peers {
        let dir = root.join(slug(name));
        write_crate(&dir, deps, "pub fn nothing() {}\n");
        // Fetch first so the timing does not include downloads.
        let _ = Command::new(env!("CARGO"))
            .arg("fetch")
            .current_dir(&dir)
            .status();
    }
    // Two rounds, alternating, so that a burst of load on the machine does not fall on
    // one peer's only build; the faster build of each counts.
    let mut clean = vec![f64::INFINITY; peers.len()];
    for _round in 0..2 {
        for ((name, _), best) in peers.iter().zip(&mut clean) {
            let dir = root.join(slug(name));
            let target = root.join(format!("{}-target", slug(name)));
            let _ = std::fs::remove_dir_all(&target);
            *best = best.min(cargo_build(&dir, &target).as_secs_f64());
        }
    }
    for ((name, _), t) in peers.iter().zip(&clean) {
        let _ = writeln!(out, "| {name} | {t:.1} |");
    }
    if let [ours, tokio] = clean[..] {
        let _ = writeln!(
            out,
            "\nTarget: patience with default features builds from clean no slower than tokio with `rt,macros`: {:.2}× ({}).",
            ours / tokio,
            if ours <= tokio {
                "holds"
            } else {
                "**NO, missed**"
            }
        );
    }
    out
}
