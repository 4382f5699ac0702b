struct Client;

#[patience::async_trait]
impl Client {
    async fn get(&self) -> u8 {
        1
    }
}

fn main() {}
