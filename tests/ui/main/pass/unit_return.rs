use std::sync::atomic::{AtomicBool, Ordering};

static RAN: AtomicBool = AtomicBool::new(false);

#[patience::main]
async fn main() {
    let n = async { 40 }.await + 2;
    assert_eq!(n, 42);
    RAN.store(true, Ordering::SeqCst);
    assert!(RAN.load(Ordering::SeqCst));
}
