// A generic `main` with arguments: one error for each, nothing from rustc.
#[patience::main]
async fn main<T: Default>(args: Vec<String>) {
    let _ = (T::default(), args);
}
