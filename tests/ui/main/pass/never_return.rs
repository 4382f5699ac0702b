#[patience::main]
async fn main() -> ! {
    let code = async { 0 }.await;
    std::process::exit(code)
}
