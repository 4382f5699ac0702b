#[patience::async_trait]
trait Service {
    #[async_trait(?Send)]
    fn name(&self) -> &'static str;

    #[async_trait(?Sync)]
    async fn call(&self);
}

fn main() {}
