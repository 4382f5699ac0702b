//! `patience::watch` at work: one child blocks its thread, one branch waits on a
//! future nothing wakes. Run it with the feature on:
//!
//! ```sh
//! cargo run -p patience --example watch --features watch
//! ```
//!
//! It prints a slow-poll report naming the blocking child, then a stuck report listing
//! the waiting branch, and stops by itself after about a second.

use std::time::Duration;

use async_io::Timer;

/// Reads a configuration: the mistake `watch` is for, a blocking call inside `async`
/// code, which holds the thread for 120 ms.
async fn load_config() -> u32 {
    std::thread::sleep(Duration::from_millis(120));
    7
}

/// Waits for a signal that nothing ever sends.
async fn wait_for_shutdown() -> u32 {
    std::future::pending().await
}

#[patience::main]
async fn main() {
    // The defaults are 10 ms and 10 s (or PATIENCE_WATCH_SLOW_MS, PATIENCE_WATCH_STUCK_S).
    patience::watch::set_slow_threshold(Duration::from_millis(50));
    patience::watch::set_stuck_threshold(Duration::from_millis(400));

    let (config, _) = patience::join!(load_config(), Timer::after(Duration::from_millis(5)));
    let answer = patience::select! {
        code = wait_for_shutdown() => code,
        _ = Timer::after(Duration::from_secs(1)) => config * 6,
    };
    println!("answer: {answer}");
    println!("what still waits now: {}", patience::watch::dump());
}
