//! Benchmarks `patience` side by side with its peers in one process.
//!
//! `cargo run --release -p peers` prints markdown tables (median and min time per
//! operation, the ratio to a reference row of the same run, child polls per
//! operation). `-- --smoke` runs every case briefly, for CI; it proves nothing about
//! speed.

mod blockon;
mod harness;

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

    println!("{report}");
    eprintln!("benchmarks took {:.1?}", started.elapsed());
}
