// Half-typed body: `#[patience::main]` keeps the body as written, so rustc's parser
// reports the mistake in the user's code.
#[patience::main]
async fn main() {
    let greeting = String::from("hi");
    greeting.
}
