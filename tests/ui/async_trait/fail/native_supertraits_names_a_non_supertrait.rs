//! `native_supertraits(..)` names supertraits of the trait, and goes with `native`.

trait Named {
    fn name(&self) -> String;
}

#[patience::async_trait(native, native_supertraits(Writer))]
trait Greeter: Named {
    async fn greet(&self) -> String;
}

#[patience::async_trait(native_supertraits(Named))]
trait Boxed: Named {
    async fn boxed(&self) -> u8;
}

fn main() {}
