//! Benchmarks `patience` side by side with its peers in one process.
//!
//! `cargo run --release -p peers` prints markdown tables (median and min time per
//! operation, the ratio to a reference row of the same run, child polls per
//! operation). `-- --smoke` runs every case briefly, for CI; it proves nothing about
//! speed.

mod blockon;
mod gate;
mod groups;
mod harness;
mod patience_rows;

use harness::{Config, table};

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let config = if smoke {
        Config::smoke()
    } else {
        Config::full()
    };
    let started = std::time::Instant::now();
    let mut report = String::new();

    for (title, rows) in blockon::run(config) {
        report.push_str(&table(&title, &rows, "reference: thread-park block_on"));
    }

    for (_, k, mode, rows) in groups::select(config) {
        report.push_str(&table(
            &format!("select, K = {k}, {mode:?}"),
            &rows,
            groups::LIMIT,
        ));
    }
    for (_, k, rows) in groups::join(config) {
        report.push_str(&table(
            &format!("join, K = {k}, woken one at a time"),
            &rows,
            groups::LIMIT,
        ));
    }

    println!("{report}");
    eprintln!("benchmarks took {:.1?}", started.elapsed());
}
