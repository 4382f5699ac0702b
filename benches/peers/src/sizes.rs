//! `size_of` of the futures each peer's `join!` and `select!` make for the same children.

use std::future::{Future, ready};
use std::mem::size_of_val;

/// A child with a bit of state of its own, so sizes are not all trivial.
pub async fn child(seed: u64) -> u64 {
    let buf = [seed as u8; 24];
    std::future::ready(()).await;
    buf.iter().map(|&b| u64::from(b)).sum()
}

pub fn size<F: Future>(f: &F) -> usize {
    size_of_val(f)
}

/// Rows: (what, peer, bytes).
pub fn rows() -> Vec<(&'static str, &'static str, usize)> {
    let mut out = vec![
        (
            "join of (ready(u64), child, child)",
            "tokio::join!",
            size(&async { tokio::join!(ready(1u64), child(2), child(3)) }),
        ),
        (
            "join of (ready(u64), child, child)",
            "futures::join!",
            size(&async { futures::join!(ready(1u64), child(2), child(3)) }),
        ),
        (
            "select of (ready(u64), child, child)",
            "tokio::select!",
            size(&async {
                tokio::select! {
                    a = ready(1u64) => a,
                    b = child(2) => b,
                    c = child(3) => c,
                }
            }),
        ),
    ];
    out.extend(crate::patience_rows::sizes());
    out
}

/// The size rows as a markdown table.
pub fn table() -> String {
    let mut out = String::from(
        "\n#### size_of the future of `async { join!/select!(...) }`\n\n| future | peer | bytes |\n|---|---|---:|\n",
    );
    for (what, peer, bytes) in rows() {
        out.push_str(&format!("| {what} | {peer} | {bytes} |\n"));
    }
    out
}
