//! A user of a framework that re-exports patience's macros: this crate depends on
//! `patience-reexporter` only, so it builds only if the expansions name nothing through
//! `::patience` (`select!`, `join!` and the others find their crate through `$crate`;
//! `#[main]`/`#[test]` are told with `crate = "…"`). `cargo build`/`clippy` of the
//! workspace checks it; the unit tests run it.

#![forbid(unsafe_code)]
#![deny(warnings)]

use patience_reexporter::async_trait;

/// A service with a required and a default method.
#[async_trait]
pub trait Service: Sync {
    /// Answers one request.
    async fn call(&self, request: &str) -> usize;

    /// Answers two requests, one after the other.
    async fn call_twice(&self, first: &str, second: &str) -> usize {
        self.call(first).await + self.call(second).await
    }
}

/// Answers with the request's length.
pub struct Len;

#[async_trait]
impl Service for Len {
    async fn call(&self, request: &str) -> usize {
        request.len()
    }
}

/// A service whose futures need not be `Send`.
#[async_trait(?Send)]
pub trait LocalService {
    /// Answers one request with a shared string.
    async fn shared(&self) -> std::rc::Rc<str>;
}

#[async_trait(?Send)]
impl LocalService for Len {
    async fn shared(&self) -> std::rc::Rc<str> {
        std::rc::Rc::from("len")
    }
}

/// The first of two services to answer, and both answers joined.
pub async fn race_and_join(a: &dyn Service, b: &dyn Service) -> (usize, (usize, usize)) {
    let first = patience_reexporter::select! {
        n = a.call("one") => n,
        n = b.call("three") => n,
    };
    let biased = patience_reexporter::select_biased! {
        n = a.call("x") => n,
        n = b.call("yy") => n,
    };
    let both = patience_reexporter::join!(a.call("ab"), b.call("abc"));
    let tried: Result<(usize, usize), ()> =
        patience_reexporter::try_join!(async { Ok(first) }, async { Ok(biased) });
    (tried.map_or(0, |(f, b)| f + b), both)
}

/// A `main` through the re-export.
#[patience_reexporter::main(crate = "patience_reexporter::patience")]
pub async fn run() -> usize {
    race_and_join(&Len, &Len).await.0
}

/// A `native` trait through the re-export: its expansion names nothing through
/// `::patience` either.
#[async_trait(native)]
pub trait Lookup: Sync {
    /// The value's length, if the key is known.
    async fn lookup(&self, key: &str) -> Option<usize>;

    /// The length, or zero.
    async fn lookup_or_zero(&self, key: &str) -> usize {
        self.lookup(key).await.unwrap_or(0)
    }
}

impl Lookup for Len {
    async fn lookup(&self, key: &str) -> Option<usize> {
        (!key.is_empty()).then_some(key.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{DynLookup, Len, LocalService, Lookup, Service};

    #[patience_reexporter::test(crate = "patience_reexporter::patience")]
    async fn select_join_and_try_join_through_a_reexport() {
        let (first_plus_biased, both) = super::race_and_join(&Len, &Len).await;
        // Either branch may win the fair select; the biased one always takes "x".
        assert!(first_plus_biased == 3 + 1 || first_plus_biased == 5 + 1);
        assert_eq!(both, (2, 3));
    }

    #[test]
    fn main_through_a_reexport_runs_on_the_embedded_runtime() {
        assert!(super::run() >= 4);
    }
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Polls `future` until it is ready (these never wait on anything).
    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
            std::thread::yield_now();
        }
    }

    #[test]
    fn async_trait_through_a_reexport_dispatches_and_awaits() {
        let service: &dyn Service = &Len;
        assert_eq!(block_on(service.call("four")), 4);
        assert_eq!(block_on(service.call_twice("a", "bc")), 3);
        assert_eq!(&*block_on(Len.shared()), "len");
    }

    #[test]
    fn native_async_trait_through_a_reexport_has_a_companion() {
        assert_eq!(block_on(Len.lookup("abc")), Some(3));
        let lookup: Box<dyn DynLookup + Send> = Box::new(Len);
        assert_eq!(block_on(DynLookup::boxed(Len).lookup("x")), Some(1));
        assert_eq!(block_on(lookup.lookup_or_zero("")), 0);
        assert_eq!(block_on(lookup.lookup_or_zero("ab")), 2);
    }
}
