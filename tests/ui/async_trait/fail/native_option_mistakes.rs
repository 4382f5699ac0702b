//! `native` once, on the trait's attribute only (not on one method).

#[patience::async_trait(native, native)]
trait Twice {
    async fn call(&self) -> u8;
}

#[patience::async_trait(native)]
trait OnMethod {
    #[async_trait(native)]
    async fn call(&self) -> u8;
}

fn main() {}
