// tokio's `start_paused` (needs tokio's `test-util`) and `name` options.
#[patience::main(runtime = "tokio", flavor = "current_thread", start_paused = true, name = "ui")]
async fn main() {
    let real = std::time::Instant::now();
    tokio::time::sleep(std::time::Duration::from_secs(86_400)).await;
    assert!(real.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!(tokio::runtime::Handle::current().name(), Some("ui"));
}
