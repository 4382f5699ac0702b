#[patience::main(runtime = "tokio", flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = tokio::spawn(async { 2 + 2 }).await.unwrap();
    assert_eq!(n, 4);
    assert_eq!(tokio::runtime::Handle::current().metrics().num_workers(), 2);
}
