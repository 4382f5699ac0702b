#[patience::main]
async fn main() -> Result<(), std::num::ParseIntError> {
    let n: u32 = async { "7" }.await.parse()?;
    assert_eq!(n, 7);
    Ok(())
}
