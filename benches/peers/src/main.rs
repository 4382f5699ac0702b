//! Benchmarks `patience` side by side with its peers in one process.
//!
//! `cargo run --release -p peers` prints markdown tables (median and min time per
//! operation, the ratio to a reference row of the same run, child polls per
//! operation), the future sizes, and whether each target of the project holds in this
//! run. `-- --write` also rewrites `BENCHMARKS.md` and the charts in
//! `benches/charts/`. `-- --compile` adds the compile-time costs (slow: it builds
//! scratch crates with cargo). `-- --compile-only` skips every timing group and prints
//! only the compile-time tables (per use, and clean builds). `-- --collections-only`
//! runs only the collections group. `-- --smoke` runs every case briefly, for CI; it proves nothing
//! about speed.

mod async_trait;
mod blockon;
mod chart;
mod collections;
mod collections_alloc;
mod compile;
mod gate;
mod groups;
mod harness;
mod patience_rows;
mod sizes;
mod targets;

use std::collections::BTreeMap;
use std::path::Path;

use harness::{Config, Row, table};

fn series_of(results: &[(usize, Vec<Row>)]) -> Vec<chart::Series> {
    let mut by_peer: BTreeMap<String, Vec<(usize, f64)>> = BTreeMap::new();
    let mut order = Vec::new();
    for (k, rows) in results {
        for r in rows {
            if !by_peer.contains_key(&r.name) {
                order.push(r.name.clone());
            }
            by_peer
                .entry(r.name.clone())
                .or_default()
                .push((*k, r.median_ns));
        }
    }
    order
        .into_iter()
        .map(|name| chart::Series {
            points: by_peer.remove(&name).unwrap_or_default(),
            name,
        })
        .collect()
}

/// The tables of one group, for `--only`.
fn groups_only(group: &str, config: Config) -> Vec<(String, Vec<Row>)> {
    match group {
        "blockon" => blockon::run(config),
        "select" => groups::select(config)
            .into_iter()
            .map(|(k, mode, rows)| (format!("select, K = {k}, {}", mode.describe()), rows))
            .collect(),
        "join" => groups::join(config)
            .into_iter()
            .map(|(k, rows)| (format!("join, K = {k}, children woken one at a time"), rows))
            .collect(),
        other => panic!("--only {other}: expected blockon, select or join"),
    }
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let write = std::env::args().any(|a| a == "--write");
    let compile_cost = std::env::args().any(|a| a == "--compile");
    if std::env::args().any(|a| a == "--compile-only") {
        println!("{}", compile::run());
        return;
    }
    let config = if smoke {
        Config::smoke()
    } else {
        Config::full()
    };
    // `--only blockon|select|join`: one group, for quick looks while tuning (no files
    // written, no verdicts).
    let only: Option<String> = std::env::args().skip_while(|a| a != "--only").nth(1);
    if let Some(group) = &only {
        for (title, rows) in groups_only(group, config) {
            print!("{}", table(&title, &rows, groups::LIMIT));
        }
        return;
    }
    if std::env::args().any(|a| a == "--collections-only") {
        let rows = collections::run(config, smoke);
        println!("{}", collections::tables(&rows));
        println!("{}", targets::table(&targets::collections(&rows)));
        return;
    }
    let started = std::time::Instant::now();
    let mut report = String::new();
    let mut all: Vec<(String, Vec<Row>)> = Vec::new();

    for (title, rows) in blockon::run(config) {
        report.push_str(&table(&title, &rows, blockon::REFERENCE));
        all.push((title, rows));
    }

    for (title, rows) in async_trait::run_group(config) {
        report.push_str(&table(&title, &rows, async_trait::REFERENCE));
        all.push((title, rows));
    }

    let mut charts = Vec::new();
    let select = groups::select(config);
    for mode in groups::Mode::ALL {
        let mut per_k = Vec::new();
        for (k, m, rows) in &select {
            if *m == mode {
                let title = format!("select, K = {k}, {}", mode.describe());
                report.push_str(&table(&title, rows, groups::LIMIT));
                all.push((title, rows.clone()));
                per_k.push((*k, rows.clone()));
            }
        }
        charts.push((
            format!("select-{}.svg", mode.slug()),
            chart::svg(
                &format!("select, {}: ns per select", mode.describe()),
                &series_of(&per_k),
            ),
        ));
    }
    let join = groups::join(config);
    let mut per_k = Vec::new();
    for (k, rows) in &join {
        let title = format!("join, K = {k}, children woken one at a time");
        report.push_str(&table(&title, rows, groups::LIMIT));
        all.push((title, rows.clone()));
        per_k.push((*k, rows.clone()));
    }
    charts.push((
        "join.svg".to_owned(),
        chart::svg(
            "join, children woken one at a time: ns per join",
            &series_of(&per_k),
        ),
    ));

    let collections = collections::run(config, smoke);
    report.push_str(&collections::tables(&collections));
    charts.extend(collections::charts(&collections));

    report.push_str(&sizes::table());
    let mut verdicts = targets::check(&all, &sizes::rows());
    verdicts.extend(targets::collections(&collections));
    report.push_str(&targets::table(&verdicts));
    if compile_cost {
        report.push_str(&compile::run());
    }

    println!("{report}");
    let took = started.elapsed();
    eprintln!("benchmarks took {took:.1?}");

    if write {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let chart_dir = root.join("benches/charts");
        std::fs::create_dir_all(&chart_dir).expect("create benches/charts");
        let mut links = String::new();
        for (name, svg) in &charts {
            std::fs::write(chart_dir.join(name), svg).expect("write chart");
            links.push_str(&format!("![{name}](benches/charts/{name})\n\n"));
        }
        let doc = format!(
            "# Benchmarks\n\nMade by `cargo run --release -p peers -- --write{}` (this file and \
             the charts are its output; do not edit by hand). Every peer runs in the same process \
             on the same children; cases are interleaved and calibrated to {:?} per sample, {} \
             samples each. Release builds of this workspace use one codegen unit, and the \
             children's `poll` is never inlined, for every peer alike (see \
             `benches/peers/src/gate.rs`). The machine is shared and noisy: compare ratios within \
             one run, not absolute times across runs. Child polls and sizes are exact and are \
             also asserted in `cargo test` (`tests/tests/costs.rs`).\n\n{links}## Tables\n\
             {report}\nThis run took {took:.1?}.\n",
            if compile_cost { " --compile" } else { "" },
            config.sample,
            config.samples
        );
        std::fs::write(root.join("BENCHMARKS.md"), doc).expect("write BENCHMARKS.md");
    }
}
