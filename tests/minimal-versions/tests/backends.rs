//! patience's backends and macros with every direct dependency at its declared minimum
//! version (tests/minimal-versions/run pins them).

use std::future::{pending, ready};
use std::time::Duration;

#[patience::test(runtime = "tokio")]
async fn tokio_current_thread_runs_spawned_tasks_on_this_thread() {
    let here = std::thread::current().id();
    let there = tokio::spawn(async { std::thread::current().id() })
        .await
        .unwrap();
    assert_eq!(here, there);
}

#[patience::test(runtime = "tokio", flavor = "multi_thread", worker_threads = 2)]
async fn tokio_multi_thread_runs_spawned_tasks_on_workers() {
    let here = std::thread::current().id();
    let there = tokio::spawn(async { std::thread::current().id() })
        .await
        .unwrap();
    assert_ne!(here, there);
}

#[patience::test(runtime = "tokio", start_paused = true)]
async fn tokio_start_paused_lets_an_hour_pass_at_once() {
    let start = tokio::time::Instant::now();
    let real = std::time::Instant::now();
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(start.elapsed() >= Duration::from_secs(3600));
    assert!(real.elapsed() < Duration::from_secs(60));
}

#[patience::test(runtime = "smol")]
async fn smol_drives_its_timers() {
    smol::Timer::after(Duration::from_millis(1)).await;
}

#[patience::test]
async fn select_and_join_on_the_builtin_runtime() {
    let (a, b) = patience::join!(ready(1), async { 2 });
    let won = patience::select! {
        () = pending() => 0,
        n = ready(a + b) => n,
    };
    assert_eq!(won, 3);
    let sum: Result<(u8, u8), ()> = patience::try_join!(async { Ok(1) }, ready(Ok(2)));
    assert_eq!(sum, Ok((1, 2)));
}

#[patience::async_trait]
trait Double {
    async fn double(&self, n: u32) -> u32;
}

struct Doubler;

#[patience::async_trait]
impl Double for Doubler {
    async fn double(&self, n: u32) -> u32 {
        n * 2
    }
}

#[patience::test]
async fn async_trait_objects_work() {
    let d: Box<dyn Double + Sync> = Box::new(Doubler);
    assert_eq!(d.double(21).await, 42);
}
