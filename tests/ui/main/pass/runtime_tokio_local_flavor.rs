// `flavor = "local"`: tokio's LocalRuntime, where `spawn_local` takes `!Send` futures.
#[patience::main(runtime = "tokio", flavor = "local")]
async fn main() {
    let rc = std::rc::Rc::new(5);
    let n = tokio::task::spawn_local(async move { *rc * 2 }).await.unwrap();
    assert_eq!(n, 10);
}
