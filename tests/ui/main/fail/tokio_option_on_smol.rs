#[patience::test(runtime = "smol", start_paused = true)]
async fn paused() {}

fn main() {}
