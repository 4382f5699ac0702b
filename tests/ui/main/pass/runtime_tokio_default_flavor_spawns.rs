#[patience::main(runtime = "tokio")]
async fn main() {
    let handle = tokio::spawn(async { std::thread::current().id() });
    let _worker = handle.await.unwrap();
}
