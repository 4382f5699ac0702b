#[patience::main(runtime = "tokio", runtime = "smol")]
async fn main() {}
