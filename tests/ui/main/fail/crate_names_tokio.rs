// tokio's `crate` option names tokio; patience's names patience.
#[patience::main(runtime = "tokio", crate = "tokio1")]
async fn main() {}
