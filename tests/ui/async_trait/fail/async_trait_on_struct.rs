#[patience::async_trait]
struct Client {
    port: u16,
}

fn main() {}
