#[patience::main]
struct NotAFunction;

fn main() {}
