//! `crate = ".."` takes any path to the `patience` crate, here a re-export in a module of
//! this crate (as a framework would do), and combines with `?Send`.

#![forbid(unsafe_code)]
#![deny(warnings)]

mod framework {
    pub use ::patience;
}

#[patience::async_trait(crate = "crate::framework::patience")]
trait Service {
    async fn call(&self, request: &str) -> usize;
}

#[patience::async_trait(?Send, crate = "crate::framework::patience")]
trait Local {
    async fn local(&self) -> std::rc::Rc<str>;
}

struct Len;

#[patience::async_trait(crate = "crate::framework::patience")]
impl Service for Len {
    async fn call(&self, request: &str) -> usize {
        request.len()
    }
}

#[patience::async_trait(crate = "crate::framework::patience", ?Send)]
impl Local for Len {
    async fn local(&self) -> std::rc::Rc<str> {
        std::rc::Rc::from("len")
    }
}

fn main() {
    assert_eq!(patience::block_on(Len.call("four")), 4);
    assert_eq!(&*patience::block_on(Len.local()), "len");
}
