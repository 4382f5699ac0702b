#[patience::async_trait(crate = patience)]
trait Unquoted {
    async fn call(&self);
}

#[patience::async_trait(crate = "not a path")]
trait NotAPath {
    async fn call(&self);
}

#[patience::async_trait(crate)]
trait NoValue {
    async fn call(&self);
}

#[patience::async_trait]
trait OnMethod {
    #[async_trait(?Send, crate = "::patience")]
    async fn call(&self);
}

fn main() {}
