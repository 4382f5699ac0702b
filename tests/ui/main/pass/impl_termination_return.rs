use std::process::{ExitCode, Termination};

#[patience::main]
async fn main() -> impl Termination {
    let code = async { 0u8 }.await;
    ExitCode::from(code)
}
