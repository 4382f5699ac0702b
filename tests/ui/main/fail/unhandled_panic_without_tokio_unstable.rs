// tokio's `Builder::unhandled_panic` exists only with `--cfg tokio_unstable`.
#[patience::main(runtime = "tokio", flavor = "current_thread", unhandled_panic = "shutdown_runtime")]
async fn main() {}
