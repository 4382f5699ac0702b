//! Helpers for the tests of `patience::watch`: a hook that collects reports, and a lock
//! that keeps tests from seeing each other's reports.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use patience::watch::Report;

static REPORTS: Mutex<Vec<Report>> = Mutex::new(Vec::new());
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs one test at a time, with reports collected (not printed) and the given
/// thresholds; returns the guard that keeps the others out. For plain `#[test]`s: it
/// blocks, so it must not be called inside a watched poll (see [`watched_async`]).
pub fn watched(slow: Duration, stuck: Duration) -> MutexGuard<'static, ()> {
    let guard = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    setup(slow, stuck);
    guard
}

/// [`watched`] for async tests: waits for the lock without blocking the poll it runs
/// in (a blocked poll would itself be reported).
pub async fn watched_async(slow: Duration, stuck: Duration) -> Serial {
    loop {
        match SERIAL.try_lock() {
            Ok(guard) => {
                setup(slow, stuck);
                return Serial(guard);
            }
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                setup(slow, stuck);
                return Serial(poisoned.into_inner());
            }
            Err(std::sync::TryLockError::WouldBlock) => yield_now().await,
        }
    }
}

/// Keeps the other tests out while an async test runs (held across its `.await`s on
/// purpose: the tests share the report hook).
#[must_use]
pub struct Serial(#[allow(dead_code)] MutexGuard<'static, ()>);

/// Returns `Pending` once, after waking itself.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return std::task::Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    })
    .await;
}

fn setup(slow: Duration, stuck: Duration) {
    patience::watch::set_slow_threshold(slow);
    patience::watch::set_stuck_threshold(stuck);
    patience::watch::set_hook(|report| {
        REPORTS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(report.clone());
    });
    take();
}

/// The reports collected since the last call.
pub fn take() -> Vec<Report> {
    std::mem::take(&mut *REPORTS.lock().unwrap_or_else(PoisonError::into_inner))
}

/// A future that blocks its thread for `ms` milliseconds on its first poll (the mistake
/// `patience::watch` is for), then is ready with `value`.
pub async fn blocking(ms: u64, value: u8) -> u8 {
    std::thread::sleep(Duration::from_millis(ms));
    value
}

/// A gate another thread opens: pending until then (a hand-made channel, so the tests
/// need no runtime's own).
#[derive(Clone, Default)]
pub struct Gate(std::sync::Arc<Mutex<(bool, Option<std::task::Waker>)>>);

impl Gate {
    /// Opens the gate and wakes whoever waits on it.
    pub fn open(&self) {
        let waker = {
            let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            state.0 = true;
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Waits until the gate is open.
    pub async fn wait(&self) -> u8 {
        std::future::poll_fn(|cx| {
            let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            if state.0 {
                std::task::Poll::Ready(1)
            } else {
                state.1 = Some(cx.waker().clone());
                std::task::Poll::Pending
            }
        })
        .await
    }

    /// Opens the gate from another thread after `ms` milliseconds.
    pub fn open_after(&self, ms: u64) -> std::thread::JoinHandle<()> {
        let gate = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(ms));
            gate.open();
        })
    }
}
