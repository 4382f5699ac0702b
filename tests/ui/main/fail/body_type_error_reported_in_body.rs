#[patience::main]
async fn main() {
    let x: u32 = "not a number";
    let _ = x;
}
