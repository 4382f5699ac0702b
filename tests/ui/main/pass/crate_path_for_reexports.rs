mod reexport {
    pub use ::patience as inner;
}

#[patience::main(crate = "crate::reexport::inner")]
async fn main() {
    assert_eq!(async { 9 }.await, 9);
}
