//! Behaviour of `#[patience::main]` and `#[patience::test]` on each runtime.

use std::time::Duration;

#[patience::test]
async fn test_attribute_runs_the_body_on_the_builtin_runtime() {
    let (tx, rx) = futures::channel::oneshot::channel();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(10));
        tx.send(7).unwrap();
    });
    assert_eq!(rx.await.unwrap(), 7);
}

#[patience::test]
#[should_panic(expected = "expected failure")]
async fn should_panic_test_panics_inside_the_body() {
    async {}.await;
    panic!("expected failure");
}

#[patience::test]
async fn result_returning_test_can_use_question_mark() -> Result<(), std::num::ParseIntError> {
    let n: i32 = async { "12" }.await.parse()?;
    assert_eq!(n, 12);
    Ok(())
}

#[patience::main(runtime = "tokio")]
async fn spawn_inside_tokio_main() -> u32 {
    tokio::spawn(async { 40 + 2 }).await.unwrap()
}

#[test]
fn tokio_backend_can_tokio_spawn_inside_main() {
    assert_eq!(spawn_inside_tokio_main(), 42);
}

#[patience::test(runtime = "tokio")]
async fn tokio_test_defaults_to_current_thread() {
    let here = std::thread::current().id();
    let there = tokio::spawn(async { std::thread::current().id() })
        .await
        .unwrap();
    assert_eq!(here, there);
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[patience::test(runtime = "tokio", flavor = "multi_thread", worker_threads = 3)]
async fn tokio_multi_thread_uses_the_requested_workers() {
    assert_eq!(tokio::runtime::Handle::current().metrics().num_workers(), 3);
    let here = std::thread::current().id();
    let there = tokio::spawn(async { std::thread::current().id() })
        .await
        .unwrap();
    assert_ne!(here, there, "spawned tasks run on worker threads");
}

#[patience::test(runtime = "smol")]
async fn smol_backend_drives_its_timers() {
    let start = std::time::Instant::now();
    smol::Timer::after(Duration::from_millis(20)).await;
    assert!(start.elapsed() >= Duration::from_millis(20));
}

#[patience::main]
async fn nested_entry() {}

#[patience::test]
#[should_panic(expected = "inside another block_on")]
async fn calling_a_main_fn_inside_a_test_panics_clearly() {
    nested_entry();
}

#[patience::test(runtime = "tokio", start_paused = true)]
async fn start_paused_freezes_the_clock_and_an_hour_long_sleep_completes_at_once() {
    let virtual_start = tokio::time::Instant::now();
    let real_start = std::time::Instant::now();
    // A paused clock does not move with real time...
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(tokio::time::Instant::now(), virtual_start);
    // ...and jumps to the next timer when the runtime has nothing else to do.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(virtual_start.elapsed() >= Duration::from_secs(3600));
    assert!(real_start.elapsed() < Duration::from_secs(60));
}

#[patience::test(runtime = "tokio", flavor = "current_thread", start_paused = false)]
async fn start_paused_false_leaves_the_clock_running() {
    let start = tokio::time::Instant::now();
    std::thread::sleep(Duration::from_millis(20));
    assert!(start.elapsed() >= Duration::from_millis(20));
}

#[patience::test(runtime = "tokio", flavor = "local")]
async fn local_flavor_runs_non_send_tasks_with_spawn_local() {
    let shared = std::rc::Rc::new(std::cell::Cell::new(1));
    let inner = shared.clone();
    tokio::task::spawn_local(async move { inner.set(inner.get() + 41) })
        .await
        .unwrap();
    assert_eq!(shared.get(), 42);
}

#[patience::test(runtime = "tokio", name = "peer-suite")]
async fn name_names_the_tokio_runtime() {
    assert_eq!(tokio::runtime::Handle::current().name(), Some("peer-suite"));
}
