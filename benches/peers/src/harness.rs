//! Interleaved, calibrated timing of several cases in one process.
//!
//! Each case is a closure that performs `iters` operations and returns how many child
//! polls they made. Every case is first calibrated to a fixed time per sample; then the
//! samples are taken round by round, with the case that goes first rotating each round,
//! so slow drifts of a noisy machine hit all cases alike. Only ratios between cases of
//! one run are meaningful.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// How long to measure.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Wall time of one sample of one case.
    pub sample: Duration,
    /// Samples per case.
    pub samples: usize,
}

impl Config {
    /// The default: 25 samples of 4 ms per case.
    pub fn full() -> Config {
        Config {
            sample: Duration::from_millis(4),
            samples: 25,
        }
    }

    /// A smoke run for CI: proves the cases run, measures nothing useful.
    pub fn smoke() -> Config {
        Config {
            sample: Duration::from_micros(200),
            samples: 3,
        }
    }
}

/// One measured case.
pub struct Case<'a> {
    /// Row label, e.g. `tokio::select!`.
    pub name: String,
    run: Box<dyn FnMut(u64) -> u64 + 'a>,
}

impl<'a> Case<'a> {
    /// A case that runs `iters` operations and returns the child polls they made.
    pub fn new(name: impl Into<String>, run: impl FnMut(u64) -> u64 + 'a) -> Case<'a> {
        Case {
            name: name.into(),
            run: Box::new(run),
        }
    }
}

/// The measured figures of one case.
#[derive(Clone, Debug)]
pub struct Row {
    /// Row label.
    pub name: String,
    /// Median time per operation, in nanoseconds.
    pub median_ns: f64,
    /// Fastest sample's time per operation, in nanoseconds.
    pub min_ns: f64,
    /// Child polls per operation.
    pub polls: f64,
}

fn calibrate(case: &mut Case<'_>, target: Duration) -> u64 {
    let mut iters = 1u64;
    loop {
        let start = Instant::now();
        black_box((case.run)(iters));
        let took = start.elapsed();
        if took >= target / 2 || iters >= 1 << 30 {
            let per = took.as_secs_f64() / iters as f64;
            return ((target.as_secs_f64() / per.max(1e-12)) as u64).max(1);
        }
        iters *= 4;
    }
}

/// Measures every case; returns rows in the order given.
pub fn measure(cases: &mut [Case<'_>], config: Config) -> Vec<Row> {
    let iters: Vec<u64> = cases
        .iter_mut()
        .map(|case| calibrate(case, config.sample))
        .collect();
    let n = cases.len();
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(config.samples); n];
    let mut polls = vec![0f64; n];
    for round in 0..config.samples {
        for k in 0..n {
            let i = (round + k) % n;
            let start = Instant::now();
            let p = black_box((cases[i].run)(iters[i]));
            let took = start.elapsed();
            times[i].push(took.as_nanos() as f64 / iters[i] as f64);
            polls[i] = p as f64 / iters[i] as f64;
        }
    }
    cases
        .iter()
        .zip(times)
        .zip(polls)
        .map(|((case, mut t), polls)| {
            t.sort_by(f64::total_cmp);
            Row {
                name: case.name.clone(),
                median_ns: t[t.len() / 2],
                min_ns: t[0],
                polls,
            }
        })
        .collect()
}

/// Formats rows as a markdown table; `reference` names the row ratios are taken to.
pub fn table(title: &str, rows: &[Row], reference: &str) -> String {
    let base = rows
        .iter()
        .find(|r| r.name == reference)
        .map_or(f64::NAN, |r| r.median_ns);
    let mut out = format!(
        "\n#### {title}\n\n| case | median ns/op | min ns/op | ratio to `{reference}` | child polls/op |\n|---|---:|---:|---:|---:|\n"
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {:.1} | {:.1} | {:.2} | {} |\n",
            r.name,
            r.median_ns,
            r.min_ns,
            r.median_ns / base,
            if r.polls > 0.0 {
                format!("{:.1}", r.polls)
            } else {
                "-".to_owned()
            }
        ));
    }
    out
}
