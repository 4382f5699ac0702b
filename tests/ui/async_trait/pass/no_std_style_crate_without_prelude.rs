//! The expansion only names `::core` and `::std`: a crate root without the implicit
//! prelude, with unsafe code forbidden and warnings denied, compiles.

#![no_implicit_prelude]
#![forbid(unsafe_code)]
#![deny(warnings)]

extern crate patience;
extern crate std;

#[patience::async_trait]
trait Service {
    async fn call(&self, request: &str) -> usize;
}

struct Len;

#[patience::async_trait]
impl Service for Len {
    async fn call(&self, request: &str) -> usize {
        request.len()
    }
}

fn main() {
    let service: &dyn Service = &Len;
    let n = ::patience::block_on(service.call("four"));
    ::std::assert_eq!(n, 4);
}
