// `main` with an argument: our error alone (no E0752 from rustc), and the body is still
// type-checked with the argument in scope.
#[patience::main]
async fn main(port: u16) {
    let name: String = port;
    let _ = name;
}
