#![deny(warnings)]

/// Documented, public, with an inner attribute that must be lifted onto the fn.
#[patience::main]
#[inline(never)]
pub async fn compute() -> u32 {
    #![allow(unused_mut)]
    let mut x = async { 20 }.await;
    x + 1
}

#[patience::main]
async fn main() {
    assert_eq!(std::thread::spawn(compute).join().unwrap(), 21);
}
