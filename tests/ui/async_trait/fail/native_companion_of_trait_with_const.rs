//! A trait with an associated const has no companion: using its name says why.

#[patience::async_trait(native)]
trait Limits {
    const MAX: usize;

    async fn clamp(&self, value: usize) -> usize;
}

struct Ten;

impl Limits for Ten {
    const MAX: usize = 10;

    async fn clamp(&self, value: usize) -> usize {
        value.min(Self::MAX)
    }
}

fn main() {
    let _limits = DynLimits::boxed(Ten);
}
