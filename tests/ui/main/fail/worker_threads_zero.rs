#[patience::main(runtime = "tokio", worker_threads = 0)]
async fn main() {}
