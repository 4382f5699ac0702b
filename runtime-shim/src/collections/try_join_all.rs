//! [`try_join_all`]: every `Ok` output of a runtime-sized set of fallible futures, in
//! input order, or the first error.

use alloc::vec::Vec;
use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::future::TryFuture;

use super::join_all::Join;

/// Future for [`try_join_all`]: resolves to the `Ok` outputs of all its futures in
/// input order, or to the first error.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct TryJoinAll<F: TryFuture> {
    join: Option<Join<F, F::Ok>>,
}

/// Runs a runtime-sized set of fallible futures concurrently in the current task and
/// returns all their `Ok` outputs, in input order, or the first error at once.
///
/// A drop-in for [`futures::future::try_join_all`](https://docs.rs/futures/0.3/futures/future/fn.try_join_all.html)
/// (the futures are [`TryFuture`]s: any future whose output is a `Result`) that stays
/// linear to millions of futures, like [`join_all`](super::join_all).
///
/// # Examples
///
/// ```
/// async fn parse(text: &str) -> Result<u32, std::num::ParseIntError> {
///     text.parse()
/// }
///
/// patience::block_on(async {
///     let numbers = patience::try_join_all(["1", "2", "3"].map(parse)).await;
///     assert_eq!(numbers, Ok(vec![1, 2, 3]));
///
///     let failed = patience::try_join_all(["1", "two", "3"].map(parse)).await;
///     assert!(failed.is_err());
/// });
/// ```
///
/// # Semantics
///
/// As [`join_all`](super::join_all), and:
///
/// - The first future to finish with `Err` (in poll order: on the first poll, input
///   order) ends the join: every other future, finished or not, is dropped before the
///   error is returned.
/// - If every future finishes with `Ok`, the output is `Ok` of their values in input
///   order. An empty `iter` gives `Ok(vec![])`.
///
/// # Cancellation safety
///
/// Dropping the join drops every unfinished future and every value kept so far.
/// Wakers the futures kept may be woken after that, from any thread: they then do
/// nothing.
///
/// # Cost
///
/// As [`join_all`](super::join_all#cost): `2n` future polls for `n` futures that each
/// finish after one wake-up, a few atomic operations per wake-up, no allocation per
/// wake-up. An error costs dropping the other futures.
pub fn try_join_all<I>(iter: I) -> TryJoinAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture<IntoFuture: TryFuture>,
{
    TryJoinAll {
        join: Some(Join::new(iter.into_iter().map(IntoFuture::into_future))),
    }
}

// As for `JoinAll`: the futures are pinned on the heap.
impl<F: TryFuture> Unpin for TryJoinAll<F> {}

impl<F: TryFuture> Future for TryJoinAll<F> {
    type Output = Result<Vec<F::Ok>, F::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let join = this
            .join
            .as_mut()
            .expect("`TryJoinAll` polled after completion");
        match join.poll_children(cx, TryFuture::try_poll) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(())) => {
                let join = this.join.take().expect("checked above");
                Poll::Ready(Ok(join.outputs()))
            }
            Poll::Ready(Err(error)) => {
                // Every other child goes before the error is returned.
                this.join = None;
                Poll::Ready(Err(error))
            }
        }
    }
}

impl<F> FromIterator<F> for TryJoinAll<F::IntoFuture>
where
    F: IntoFuture<IntoFuture: TryFuture>,
{
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> Self {
        try_join_all(iter)
    }
}

impl<F: TryFuture> fmt::Debug for TryJoinAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("TryJoinAll");
        if let Some(join) = &self.join {
            s.field("len", &join.count).field("running", &join.running);
        }
        s.finish_non_exhaustive()
    }
}
