#[patience::main]
fn main() {}
