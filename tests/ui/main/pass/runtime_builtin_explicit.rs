#[patience::main(runtime = "builtin")]
async fn main() {
    assert_eq!(async { 1 }.await, 1);
}
