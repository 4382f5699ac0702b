//! The watchdog thread: it keeps the coarse clock, notices polls that have not ended,
//! and `block_on`s parked for too long.
//!
//! It starts with the first watched poll and wakes every few milliseconds (a fifth of the
//! slow-poll threshold, between 1 and 50 ms). Each turn it:
//! - stores the time since the watch started in [`NOW_MS`], which watched polls copy
//!   into their nodes (a load and a store: no clock read on the polling thread);
//! - for every thread with a watched poll in progress, compares the thread's sequence
//!   number with the last turn's: unchanged since longer than the threshold means the
//!   innermost poll is slow, and the frame is flagged (the thread reports it when the
//!   poll ends, with its duration);
//! - for every thread whose `block_on` is parked, reports once that it is stuck when
//!   it has been parked longer than the stuck threshold.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Once, PoisonError};
use std::time::{Duration, Instant};
use std::vec::Vec;

use super::frames::{ALL, MAX_DEPTH, ThreadFrames};
use super::report;

/// Milliseconds since the watch started, as of the watchdog's last turn.
pub(crate) static NOW_MS: AtomicU64 = AtomicU64::new(0);

/// The slow-poll threshold, in microseconds.
static SLOW_US: AtomicU64 = AtomicU64::new(0);
/// The stuck threshold, in milliseconds.
static STUCK_MS: AtomicU64 = AtomicU64::new(0);

static START: Once = Once::new();
static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// The instant the watch started.
pub(crate) fn epoch() -> Instant {
    *EPOCH.get_or_init(Instant::now)
}

/// Milliseconds since the watch started, read from the clock.
pub(crate) fn now_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The current slow-poll threshold.
pub(crate) fn slow_threshold() -> Duration {
    thresholds();
    Duration::from_micros(SLOW_US.load(Ordering::Relaxed))
}

/// The current stuck threshold.
pub(crate) fn stuck_threshold() -> Duration {
    thresholds();
    Duration::from_millis(STUCK_MS.load(Ordering::Relaxed))
}

pub(crate) fn set_slow(threshold: Duration) {
    thresholds();
    let us = u64::try_from(threshold.as_micros())
        .unwrap_or(u64::MAX)
        .max(1);
    SLOW_US.store(us, Ordering::Relaxed);
}

pub(crate) fn set_stuck(threshold: Duration) {
    thresholds();
    let ms = u64::try_from(threshold.as_millis())
        .unwrap_or(u64::MAX)
        .max(1);
    STUCK_MS.store(ms, Ordering::Relaxed);
}

/// Reads the environment once: `PATIENCE_WATCH_SLOW_MS` (default 10) and
/// `PATIENCE_WATCH_STUCK_S` (default 10).
fn thresholds() {
    static ENV: Once = Once::new();
    ENV.call_once(|| {
        let read = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|&v| v > 0)
                .unwrap_or(default)
        };
        SLOW_US.store(
            read("PATIENCE_WATCH_SLOW_MS", 10) * 1_000,
            Ordering::Relaxed,
        );
        STUCK_MS.store(
            read("PATIENCE_WATCH_STUCK_S", 10) * 1_000,
            Ordering::Relaxed,
        );
    });
}

/// Starts the watchdog thread, once per process.
pub(crate) fn ensure_started() {
    START.call_once(|| {
        epoch();
        thresholds();
        let spawned = std::thread::Builder::new()
            .name("patience-watch".into())
            .spawn(run);
        if let Err(error) = spawned {
            std::eprintln!("patience::watch: could not start the watchdog thread: {error}");
        }
    });
}

/// What the watchdog remembers of one thread's record between turns.
struct Seen {
    frames: &'static ThreadFrames,
    seq: u64,
    child: u32,
    since_ms: u64,
}

fn run() {
    let mut seen: Vec<Seen> = Vec::new();
    loop {
        let interval =
            (slow_threshold() / 5).clamp(Duration::from_millis(1), Duration::from_millis(50));
        std::thread::sleep(interval);
        let now = now_ms();
        NOW_MS.store(now, Ordering::Relaxed);
        refresh(&mut seen);
        for entry in &mut seen {
            check_slow(entry, now);
            check_stuck(entry.frames, now);
        }
    }
}

/// Adds the records made since the last turn.
fn refresh(seen: &mut Vec<Seen>) {
    let all = ALL.lock().unwrap_or_else(PoisonError::into_inner);
    for frames in &all[seen.len()..] {
        seen.push(Seen {
            frames,
            seq: u64::MAX,
            child: u32::MAX,
            since_ms: 0,
        });
    }
}

fn check_slow(entry: &mut Seen, now: u64) {
    let thread = entry.frames;
    // Acquire: pairs with the thread's Release bump, so the frames read below are at
    // least as new as that sequence number.
    let seq = thread.seq.load(Ordering::Acquire);
    let depth = thread.depth.load(Ordering::Relaxed);
    let Some(slot) = depth
        .checked_sub(1)
        .filter(|&d| d < MAX_DEPTH)
        .map(|d| &thread.frames[d])
    else {
        entry.seq = seq;
        return;
    };
    // The same frame polling the same child as last turn: the same poll (a frame polls
    // each child at most once, and every push and pop changes `seq`).
    let child = slot.child.load(Ordering::Relaxed);
    if seq != entry.seq || child != entry.child {
        (entry.seq, entry.child, entry.since_ms) = (seq, child, now);
        return;
    }
    let slow_ms = u64::try_from(slow_threshold().as_millis()).unwrap_or(u64::MAX);
    if now.saturating_sub(entry.since_ms) >= slow_ms && !slot.slow.load(Ordering::Relaxed) {
        slot.since_ms.store(entry.since_ms, Ordering::Relaxed);
        slot.slow_child.store(child, Ordering::Relaxed);
        // Release: the thread that sees the flag sees `since_ms` and `slow_child`.
        slot.slow.store(true, Ordering::Release);
        // Flag each stretch once: time afresh from here.
        entry.child = u32::MAX;
    }
}

fn check_stuck(thread: &ThreadFrames, now: u64) {
    let parked = thread.parked_since_ms.load(Ordering::Acquire);
    if parked == 0 {
        return;
    }
    let stuck_ms = u64::try_from(stuck_threshold().as_millis()).unwrap_or(u64::MAX);
    let for_ms = now.saturating_sub(parked);
    if for_ms >= stuck_ms && !thread.stuck_reported.swap(true, Ordering::Relaxed) {
        report::stuck(thread, Duration::from_millis(for_ms));
    }
}
