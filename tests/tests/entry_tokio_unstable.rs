//! `unhandled_panic`, which needs tokio's unstable API: `.ci/run` runs this file with
//! `RUSTFLAGS="--cfg tokio_unstable"`; without that flag it compiles to nothing.
#![cfg(tokio_unstable)]

#[patience::test(runtime = "tokio", unhandled_panic = "shutdown_runtime")]
#[should_panic(expected = "configured to shut down on unhandled panic")]
async fn shutdown_runtime_turns_a_panic_in_a_spawned_task_into_a_failure() {
    let _ = tokio::spawn(async { panic!("spawned task fails") }).await;
    unreachable!("the runtime shuts down before the join handle resolves");
}

#[patience::test(runtime = "tokio", unhandled_panic = "ignore")]
async fn ignore_leaves_a_panic_in_a_spawned_task_to_its_join_handle() {
    let joined = tokio::spawn(async { panic!("spawned task fails") }).await;
    assert!(joined.unwrap_err().is_panic());
}
