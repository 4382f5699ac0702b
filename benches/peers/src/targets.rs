//! The project's speed and size targets, checked against this run's own ratios.

use crate::collections::{CollectionRow, Order, best_peer};
use crate::harness::Row;

/// One target and what this run measured for it.
pub struct Verdict {
    /// The target, in words.
    pub target: String,
    /// What was measured.
    pub measured: String,
    /// `Some(true)` if it holds, `Some(false)` if missed, `None` if not measured.
    pub holds: Option<bool>,
}

fn find<'a>(all: &'a [(String, Vec<Row>)], table_prefix: &str, row: &str) -> Option<&'a Row> {
    all.iter()
        .find(|(t, _)| t.starts_with(table_prefix))
        .and_then(|(_, rows)| rows.iter().find(|r| r.name == row))
}

fn ratio_target(
    all: &[(String, Vec<Row>)],
    table: &str,
    ours: &str,
    theirs: &str,
    at_most: f64,
) -> Verdict {
    let target = format!("{table}: `{ours}` ≤ {at_most}× `{theirs}`");
    match (find(all, table, ours), find(all, table, theirs)) {
        (Some(a), Some(b)) => {
            let r = a.median_ns / b.median_ns;
            Verdict {
                target,
                measured: format!("{r:.2}×"),
                holds: Some(r <= at_most),
            }
        }
        _ => Verdict {
            target,
            measured: "row missing".to_owned(),
            holds: None,
        },
    }
}

/// The peers' selects that poll in a fixed order on a new select (futures-concurrency's
/// race starts at its first future on its first poll).
const FIXED_ORDER_PEERS: [&str; 3] = [
    "futures-concurrency race",
    "futures::select_biased!",
    "tokio::select! biased",
];

/// `ours` at most `at_most` times the fastest of `peers` in `table`.
fn fastest_target(
    all: &[(String, Vec<Row>)],
    table: &str,
    ours: &str,
    peers: &[&str],
    at_most: f64,
) -> Verdict {
    let fastest = peers
        .iter()
        .filter_map(|peer| find(all, table, peer))
        .min_by(|a, b| a.median_ns.total_cmp(&b.median_ns));
    let target = format!(
        "{table}: `{ours}` ≤ {at_most}× the fastest of {}",
        peers.join(", ")
    );
    match (find(all, table, ours), fastest) {
        (Some(a), Some(b)) => {
            let r = a.median_ns / b.median_ns;
            Verdict {
                target,
                measured: format!("{r:.2}× (`{}`)", b.name),
                holds: Some(r <= at_most),
            }
        }
        _ => Verdict {
            target,
            measured: "row missing".to_owned(),
            holds: None,
        },
    }
}

/// Checks every target measurable in-process.
pub fn check(all: &[(String, Vec<Row>)], sizes: &[(&str, &str, usize)]) -> Vec<Verdict> {
    let mut v = vec![
        ratio_target(
            all,
            "block_on: ready",
            "patience::block_on",
            "futures::executor::block_on",
            1.0,
        ),
        ratio_target(
            all,
            "block_on: a future that yields",
            "patience::block_on",
            "futures::executor::block_on",
            1.0,
        ),
    ];
    // Cross-thread: within 1.1x of the best peer.
    if let Some((_, rows)) = all
        .iter()
        .find(|(t, _)| t.starts_with("block_on: cross-thread"))
    {
        let best = rows
            .iter()
            .filter(|r| r.name != "patience::block_on" && !r.name.starts_with("reference"))
            .min_by(|a, b| a.median_ns.total_cmp(&b.median_ns));
        let ours = rows.iter().find(|r| r.name == "patience::block_on");
        if let (Some(best), Some(ours)) = (best, ours) {
            let r = ours.median_ns / best.median_ns;
            v.push(Verdict {
                target: format!(
                    "block_on: cross-thread round trip ≤ 1.1× the best peer (`{}`)",
                    best.name
                ),
                measured: format!("{r:.2}×"),
                holds: Some(r <= 1.1),
            });
        }
    }
    for mode in ["hot", "wake"] {
        for k in [2, 8, 32] {
            let table = format!("select, K = {k}, {mode}");
            v.push(ratio_target(
                all,
                &table,
                "patience::select!",
                "tokio::select!",
                1.0,
            ));
            // The default within 1.1x, and `biased`/`round_robin` at or below, the
            // fastest of the peers' fixed-order selects.
            for (ours, at_most) in [
                ("patience::select!", 1.1),
                ("patience::select! biased", 1.0),
                ("patience::select! round_robin", 1.0),
            ] {
                v.push(fastest_target(
                    all,
                    &table,
                    ours,
                    &FIXED_ORDER_PEERS,
                    at_most,
                ));
            }
        }
    }
    v.push(ratio_target(
        all,
        "select, K = 32, wake",
        "patience::select! biased",
        crate::groups::FLOOR,
        1.1,
    ));
    if let Some(r) = find(all, "select, K = 32, wake", "patience::select!") {
        v.push(Verdict {
            target: "select, K = 32, wake: at most K + 1 = 33 child polls per select".to_owned(),
            measured: format!("{:.1}", r.polls),
            holds: Some(r.polls <= 33.0),
        });
    }
    // `patience::watch`: the watched expansions cost at most 1.5x the plain ones.
    for (table, plain) in [
        ("select, K = 8, hot", "patience::select!"),
        ("select, K = 8, wake", "patience::select!"),
        ("join, K = 8", "patience::join!"),
    ] {
        let watched = format!("{plain} (watch)");
        v.push(ratio_target(all, table, &watched, plain, 1.5));
    }
    v.push(ratio_target(
        all,
        "join, K = 2",
        "patience::join!",
        "tokio::join!",
        1.1,
    ));
    v.push(ratio_target(
        all,
        "join, K = 32",
        "patience::join!",
        "tokio::join!",
        0.5,
    ));
    if let Some(r) = find(all, "join, K = 32", "patience::join!") {
        v.push(Verdict {
            target: "join, K = 32: 2K = 64 child polls per join".to_owned(),
            measured: format!("{:.1}", r.polls),
            holds: Some(r.polls <= 64.0),
        });
    }
    for table in [crate::async_trait::TRIVIAL, crate::async_trait::DEEP] {
        use crate::async_trait::{NATIVE_DYN, NATIVE_STATIC, REFERENCE};
        v.push(ratio_target(all, table, NATIVE_STATIC, REFERENCE, 0.5));
        v.push(ratio_target(all, table, NATIVE_DYN, REFERENCE, 1.1));
    }
    for (what, ours, theirs) in [
        ("join of", "patience::join!", "tokio::join!"),
        ("select of", "patience::select!", "tokio::select!"),
    ] {
        let get = |peer: &str| {
            sizes
                .iter()
                .find(|(w, p, _)| w.starts_with(what) && *p == peer)
                .map(|r| r.2)
        };
        v.push(match (get(ours), get(theirs)) {
            (Some(a), Some(b)) => Verdict {
                target: format!("size: `{ours}` future ≤ `{theirs}` future"),
                measured: format!("{a} vs {b} bytes"),
                holds: Some(a <= b),
            },
            _ => Verdict {
                target: format!("size: `{ours}` future ≤ `{theirs}` future"),
                measured: "row missing".to_owned(),
                holds: None,
            },
        });
    }
    v
}

/// The collections targets: at n = 10,000 in random order at most 0.5x the best peer's
/// time; time per child at 1,000,000 within 1.5x of that at 10,000; peak heap bytes per
/// child no more than the best peer's.
pub fn collections(rows: &[CollectionRow]) -> Vec<Verdict> {
    let find = |peer: &str, n: usize, order: Order| {
        rows.iter()
            .find(|r| r.peer == peer && r.n == n && r.order == order)
    };
    let missing = |target: String| Verdict {
        target,
        measured: "row missing".to_owned(),
        holds: None,
    };
    let mut v = Vec::new();
    for ours in ["patience::join_all", "patience::FutureSet"] {
        let target = format!("collections, n = 10000, random: `{ours}` ≤ 0.5× the best peer");
        v.push(
            match (
                find(ours, 10_000, Order::Random),
                best_peer(rows, 10_000, Order::Random, |r| r.ns_per_child),
            ) {
                (Some(a), Some(b)) => Verdict {
                    measured: format!("{:.2}× `{}`", a.ns_per_child / b.ns_per_child, b.peer),
                    holds: Some(a.ns_per_child <= 0.5 * b.ns_per_child),
                    target,
                },
                _ => missing(target),
            },
        );
        for order in [Order::InOrder, Order::Random] {
            let target = format!(
                "collections, {}: `{ours}` ns/child at n = 1000000 ≤ 1.5× at n = 10000",
                order.slug()
            );
            v.push(
                match (find(ours, 1_000_000, order), find(ours, 10_000, order)) {
                    (Some(big), Some(small)) => Verdict {
                        measured: format!("{:.2}×", big.ns_per_child / small.ns_per_child),
                        holds: Some(big.ns_per_child <= 1.5 * small.ns_per_child),
                        target,
                    },
                    _ => missing(target),
                },
            );
        }
        for n in [10_000, 1_000_000] {
            let target = format!(
                "collections, n = {n}, random: `{ours}` peak bytes/child ≤ the best peer's"
            );
            v.push(
                match (
                    find(ours, n, Order::Random),
                    best_peer(rows, n, Order::Random, |r| r.peak_bytes_per_child),
                ) {
                    (Some(a), Some(b)) => Verdict {
                        measured: format!(
                            "{:.1} vs {:.1} (`{}`)",
                            a.peak_bytes_per_child, b.peak_bytes_per_child, b.peer
                        ),
                        holds: Some(a.peak_bytes_per_child <= b.peak_bytes_per_child),
                        target,
                    },
                    _ => missing(target),
                },
            );
        }
    }
    v
}

/// The verdicts as a markdown table.
pub fn table(verdicts: &[Verdict]) -> String {
    let mut out = String::from(
        "\n#### Targets in this run\n\n| target | measured | holds |\n|---|---:|---|\n",
    );
    for v in verdicts {
        let holds = match v.holds {
            Some(true) => "yes",
            Some(false) => "**NO, missed**",
            None => "not measured",
        };
        out.push_str(&format!("| {} | {} | {holds} |\n", v.target, v.measured));
    }
    out
}
