// `#[patience::test]` in every form must compile (they run in the behaviour tests;
// here the file is built as a plain binary, where `#[test]` items are left out).
#[patience::test]
async fn plain() {}

#[patience::test]
#[should_panic(expected = "boom")]
async fn panics() {
    panic!("boom");
}

#[patience::test]
async fn fallible() -> Result<(), String> {
    Ok(())
}

#[patience::test(runtime = "tokio", flavor = "multi_thread", worker_threads = 2)]
async fn on_tokio() {}

#[patience::test(runtime = "smol")]
async fn on_smol() {}

fn main() {}
