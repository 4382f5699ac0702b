//! The `native` expansion only names `::core` and `::std`: a crate root without the implicit
//! prelude, with unsafe code forbidden and warnings denied, compiles.

#![no_implicit_prelude]
#![forbid(unsafe_code)]
#![deny(warnings)]

extern crate patience;
extern crate std;

#[patience::async_trait(native)]
trait Service: ::std::marker::Sync {
    async fn call(&self, request: &str) -> usize;
}

struct Len;

impl Service for Len {
    async fn call(&self, request: &str) -> usize {
        request.len()
    }
}

fn main() {
    let service: &dyn DynService = &Len;
    let n = ::patience::block_on(service.call("four"));
    ::std::assert_eq!(n, 4);
    ::std::assert_eq!(::patience::block_on(Len.call("two")), 3);
}
