#[patience::main]
async fn main() -> Result<(), String> {
    let n = async { 1 }.await;
    if n == 2 {
        return Err(n);
    }
    Ok(())
}
