#[patience::main(runtime = "tokio", flavor = "current_thread")]
async fn main() {
    let main_thread = std::thread::current().id();
    let spawned = tokio::spawn(async { std::thread::current().id() }).await.unwrap();
    assert_eq!(main_thread, spawned);
}
