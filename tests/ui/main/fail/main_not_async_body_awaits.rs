// `#[patience::main]` on a plain `fn` whose body awaits: one error (add `async`), not a
// second one for the `.await`.
#[patience::main]
fn main() {
    let n = std::future::ready(1).await;
    let _ = n;
}
