#[patience::main(runtime = "async-std")]
async fn main() {}
