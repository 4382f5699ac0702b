#[patience::async_trait(Sync)]
trait Service {
    async fn call(&self);
}

#[patience::async_trait(?Send, local)]
trait Other {
    async fn call(&self);
}

#[patience::async_trait(?Sync)]
trait Third {
    async fn call(&self);
}

#[patience::async_trait(?Send crate = "::patience")]
trait Fourth {
    async fn call(&self);
}

fn main() {}
