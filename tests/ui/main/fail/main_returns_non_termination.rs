// `main` must return `()`, a `Result` or another `Termination` type: rustc's E0277, at the
// return type.
#[patience::main]
async fn main() -> u32 {
    0
}
