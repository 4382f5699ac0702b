// A test with an argument: one error, and the body is still type-checked.
#[patience::test]
async fn handles_a_port(port: u16) {
    let name: String = port;
    let _ = name;
}

fn main() {}
