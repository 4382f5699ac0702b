// A generic test: one error.
#[patience::test]
async fn works_for_any<T: Default>() {
    let _ = T::default();
}

fn main() {}
