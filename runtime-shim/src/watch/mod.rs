//! Finding the `select!` branch or `join!` child that blocks a thread, and what a stuck
//! program is waiting on (cargo feature `watch`).
//!
//! With the feature on, every child poll of `select!`, `select_biased!`, `join!` and
//! `try_join!`, and every top-level poll of [`block_on`](crate::block_on),
//! `#[patience::main]` and `#[patience::test]`, runs inside a frame that names it: the
//! macro, the branch or child, a short text of its expression and its `file:line:column`
//! in your source. A watchdog thread notices a poll that has not ended after the
//! slow-poll threshold (10 ms; `PATIENCE_WATCH_SLOW_MS`, or [`set_slow_threshold`]); when
//! it ends, it is reported with its duration and the chain of watched polls around it:
//!
//! ```text
//! patience::watch: slow poll (52.0 ms) on thread main: main at src/main.rs:4:1 → join! child 1 `fetch(b)` at src/main.rs:6:31 → select! branch 0 `rx.recv()` at src/fetch.rs:17:13
//! ```
//!
//! A [`block_on`](crate::block_on) parked with no wake-up for longer than the stuck
//! threshold (10 s; `PATIENCE_WATCH_STUCK_S`, or [`set_stuck_threshold`]) reports what it
//! waits on: the live watched selects and joins, each pending branch or child with its
//! location and the time since it was last polled. [`dump`] gives the same on demand,
//! from any thread and for any runtime.
//!
//! Reports go to the [hook](set_hook) as a [`Report`] (to send them to `tracing` or
//! `log`), or else to stderr, one line each.
//!
//! # Cost
//!
//! Without the feature, nothing: the expansions are the same as without this module.
//! With it, a child poll writes its frame (a few stores to a thread-local stack, no
//! clock read; the watchdog does the timing by sampling), a select or join that waits
//! makes one node for `dump` (an allocation, the first time it returns `Pending`), and
//! the watchdog thread wakes every few milliseconds. BENCHMARKS.md compares watched and
//! plain rows.

mod frames;
mod handle;
mod node;
mod report;
mod site;
mod watchdog;

use std::time::Duration;

pub use self::report::{Child, Dump, Place, Report, ReportKind, Waiting};

#[doc(hidden)]
pub use self::handle::{Polling, Watch, top};
#[cfg(feature = "watch")]
pub(crate) use self::handle::{Round, in_frame, parking};
#[cfg(feature = "watch")]
pub(crate) use self::site::at_caller;
#[doc(hidden)]
pub use self::site::{ChildSite, Site};

/// The live watched selects and joins that are waiting, on every thread: where each
/// sits, and each pending branch or child with the time since it was last polled.
///
/// Callable from any thread (a signal handler's thread, a debug endpoint), for any
/// runtime; its `Display` is a readable tree.
///
/// A dump is a snapshot, taken without stopping the threads it looks at: a select or
/// join is listed once a poll of it has returned `Pending`, so a select whose poll just
/// returned inside a join that is still in the same poll is listed before that join is.
///
/// ```
/// let dump = patience::watch::dump();
/// println!("{dump}");
/// ```
pub fn dump() -> Dump {
    report::dump(None)
}

/// Sends every report to `hook` instead of stderr (for example to `tracing::warn!`).
///
/// ```
/// patience::watch::set_hook(|report| {
///     // tracing::warn!(%report), log::warn!("{report}"), a counter, …
///     let _ = report.to_string();
/// });
/// # patience::watch::reset_hook();
/// ```
pub fn set_hook(hook: impl Fn(&Report) + Send + Sync + 'static) {
    report::set_hook(Some(std::boxed::Box::new(hook)));
}

/// Sends reports to stderr again (the default).
pub fn reset_hook() {
    report::set_hook(None);
}

/// Reports polls that take at least `threshold` (default 10 ms, or
/// `PATIENCE_WATCH_SLOW_MS`).
///
/// ```
/// patience::watch::set_slow_threshold(std::time::Duration::from_millis(50));
/// ```
pub fn set_slow_threshold(threshold: Duration) {
    watchdog::set_slow(threshold);
}

/// Reports a `block_on` parked for at least `threshold` (default 10 s, or
/// `PATIENCE_WATCH_STUCK_S`).
///
/// ```
/// patience::watch::set_stuck_threshold(std::time::Duration::from_secs(30));
/// ```
pub fn set_stuck_threshold(threshold: Duration) {
    watchdog::set_stuck(threshold);
}
