//! A user of a framework that re-exports `#[async_trait]`: this crate depends on
//! `patience-reexporter` only, so it builds only if the expansion names nothing through
//! `::patience`. `cargo build`/`clippy` of the workspace checks it; the unit tests run it.

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

#[cfg(test)]
mod tests {
    use super::{Len, LocalService, Service};
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
}
