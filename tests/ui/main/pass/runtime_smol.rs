#[patience::main(runtime = "smol")]
async fn main() {
    let value = futures::future::ready(3).await;
    assert_eq!(value, 3);
}
