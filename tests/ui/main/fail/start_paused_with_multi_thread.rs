// A main runs on tokio's multi-thread flavor unless told otherwise, and tokio pauses
// time only on a current-thread runtime.
#[patience::main(runtime = "tokio", start_paused = true)]
async fn main() {}
