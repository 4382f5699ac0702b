// `#[patience::test]` on a plain `fn` whose body awaits: one error (add `async`).
#[patience::test]
fn awaits() {
    let n = std::future::ready(1).await;
    assert_eq!(n, 1);
}

fn main() {}
