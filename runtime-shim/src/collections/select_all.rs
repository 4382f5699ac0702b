//! [`select_all`]: the first of a runtime-sized set of futures to finish, and the rest.

use alloc::vec::Vec;
use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};

use super::ready::{GROUP, ReadyQueue};

/// Future for [`select_all`]: resolves to the output of the first future to finish,
/// its index, and the other futures.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct SelectAll<F> {
    futures: Vec<F>,
    /// `None` once finished.
    queue: Option<ReadyQueue>,
}

/// Waits for the first of a runtime-sized set of futures to finish; returns its output,
/// its index, and the other futures, still unfinished, to keep polling or drop.
///
/// A drop-in for [`futures::future::select_all`](https://docs.rs/futures/0.3/futures/future/fn.select_all.html):
/// same signature and output, and the same order of the remaining futures (the winner
/// is removed with [`Vec::swap_remove`]). Unlike it, each future gets its own waker:
/// after the first poll only woken futures are polled, so waiting on a large set costs
/// O(1) per wake-up instead of a poll of every future.
///
/// The futures must be `Unpin` (they are moved into the returned `Vec`); pin
/// `!Unpin` ones with [`Box::pin`](alloc::boxed::Box::pin).
///
/// # Examples
///
/// ```
/// use std::future::{pending, ready};
/// use std::pin::Pin;
///
/// type Job = Pin<Box<dyn Future<Output = &'static str>>>;
///
/// patience::block_on(async {
///     let jobs: Vec<Job> = vec![Box::pin(pending()), Box::pin(ready("second")), Box::pin(pending())];
///     let (output, index, rest) = patience::select_all(jobs).await;
///     assert_eq!((output, index, rest.len()), ("second", 1, 2));
/// });
/// ```
///
/// # Semantics
///
/// - `iter` may yield anything [`IntoFuture`] whose future is `Unpin`; it is consumed
///   when `select_all` is called.
/// - The first poll polls the futures in input order and finishes at the first that is
///   ready; later polls poll only the futures woken since (in roughly the order they
///   were woken), and finish at the first ready one. At most 32 futures are polled per
///   poll; if more were woken, the select wakes its task and returns `Pending`.
/// - The output is `(output, index, rest)`: `index` is the winner's position in `iter`,
///   and `rest` holds the other futures in input order, except that the last one takes
///   the winner's place (`swap_remove`).
/// - After it has finished, the select holds no futures and polling it again returns
///   `Pending` forever, as `futures`' does.
///
/// # Panics
///
/// If `iter` is empty.
///
/// # Cancellation safety
///
/// Dropping the select drops every future. Nothing is lost: no output has been taken.
/// Wakers the futures kept may be woken after that, from any thread: they then do
/// nothing. The futures returned in `rest` have been polled with wakers of this select;
/// polled again elsewhere, they switch to the new wakers.
///
/// # Cost
///
/// The `Vec` of futures (collected from `iter`), one 64-byte wake-up block per 64
/// futures. A wake-up costs a few atomic operations and no allocation; `n` futures cost
/// `n` polls on the first poll, then one poll per woken future.
pub fn select_all<I>(iter: I) -> SelectAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture<IntoFuture: Unpin>,
{
    let futures: Vec<_> = iter.into_iter().map(IntoFuture::into_future).collect();
    assert!(
        !futures.is_empty(),
        "`select_all` needs at least one future"
    );
    let mut queue = ReadyQueue::new();
    for group in 0..futures.len().div_ceil(GROUP) {
        let in_group = (futures.len() - group * GROUP).min(GROUP);
        queue.mark(group, usize::MAX >> (GROUP - in_group));
    }
    SelectAll {
        futures,
        queue: Some(queue),
    }
}

impl<F> SelectAll<F> {
    /// The futures, in input order (as long as the select has not finished).
    pub fn into_inner(self) -> Vec<F> {
        self.futures
    }
}

impl<F: Future + Unpin> Future for SelectAll<F> {
    type Output = (F::Output, usize, Vec<F>);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(queue) = &mut this.queue else {
            return Poll::Pending;
        };
        queue.begin(cx);
        while let Some(index) = queue.next() {
            let Some(future) = this.futures.get_mut(index) else {
                continue;
            };
            let waker = queue.waker(index);
            if let Poll::Ready(output) = Pin::new(future).poll(&mut Context::from_waker(&waker)) {
                drop(this.futures.swap_remove(index));
                // The wakers the other futures keep now do nothing.
                this.queue = None;
                return Poll::Ready((output, index, core::mem::take(&mut this.futures)));
            }
        }
        queue.end(cx);
        Poll::Pending
    }
}

impl<F: IntoFuture<IntoFuture: Unpin>> FromIterator<F> for SelectAll<F::IntoFuture> {
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> Self {
        select_all(iter)
    }
}

impl<F> fmt::Debug for SelectAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectAll")
            .field("len", &self.futures.len())
            .finish_non_exhaustive()
    }
}
