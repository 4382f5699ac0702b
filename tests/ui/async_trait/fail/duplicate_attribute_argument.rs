#[patience::async_trait(?Send, ?Send)]
trait Twice {
    async fn call(&self);
}

#[patience::async_trait(Send, ?Send)]
trait Contradicting {
    async fn call(&self);
}

#[patience::async_trait(crate = "::patience", crate = "::patience")]
trait TwoCrates {
    async fn call(&self);
}

fn main() {}
