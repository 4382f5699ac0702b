#[patience::main]
async fn sum(a: u32, (b, c): (u32, u32), mut extra: Vec<u32>) -> u32 {
    extra.push(async { a + b + c }.await);
    extra.iter().sum()
}

fn main() {
    assert_eq!(sum(1, (2, 3), vec![10]), 16);
}
