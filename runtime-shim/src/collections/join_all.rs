//! [`join_all`]: every output of a runtime-sized set of futures, in input order.

use alloc::vec::Vec;
use core::convert::Infallible;
use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};

use super::children::Children;
use super::slab::Slot;

/// A child of a join: running, or finished with its output kept.
pub(super) enum Joined<F, T> {
    Running(F),
    Done(T),
}

impl<F, T> Slot for Joined<F, T> {
    type Future = F;
    fn future(&mut self) -> Option<&mut F> {
        match self {
            Joined::Running(future) => Some(future),
            Joined::Done(_) => None,
        }
    }
}

impl<F, T> Joined<F, T> {
    /// The output of a finished child.
    pub(super) fn output(self) -> T {
        match self {
            Joined::Done(output) => output,
            Joined::Running(_) => unreachable!("a join finished with a child running"),
        }
    }
}

/// The children of a join and how many are still running.
pub(super) struct Join<F, T> {
    pub(super) children: Children<Joined<F, T>>,
    pub(super) count: usize,
    pub(super) running: usize,
}

impl<F, T> Join<F, T> {
    pub(super) fn new(futures: impl Iterator<Item = F>) -> Join<F, T> {
        let (children, count) = Children::collect(futures.map(Joined::Running));
        Join {
            children,
            count,
            running: count,
        }
    }

    /// One poll: polls the woken children with `poll_child`, keeping their values.
    /// `Ready(Ok)` once every child has finished, `Ready(Err)` at the first error.
    pub(super) fn poll_children<E>(
        &mut self,
        cx: &Context<'_>,
        mut poll_child: impl FnMut(Pin<&mut F>, &mut Context<'_>) -> Poll<Result<T, E>>,
    ) -> Poll<Result<(), E>> {
        if self.running == 0 {
            return Poll::Ready(Ok(()));
        }
        self.children.begin(cx);
        while let Some((index, waker)) = self.children.next() {
            let Some(child) = self.children.slab.future(index) else {
                continue;
            };
            match poll_child(child, &mut Context::from_waker(&waker)) {
                Poll::Pending => {}
                Poll::Ready(Ok(value)) => {
                    self.children.slab.set(index, Joined::Done(value));
                    self.running -= 1;
                    if self.running == 0 {
                        return Poll::Ready(Ok(()));
                    }
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
            }
        }
        self.children.end(cx);
        Poll::Pending
    }

    /// The outputs in input order, once every child has finished.
    pub(super) fn outputs(self) -> Vec<T> {
        let mut outputs = Vec::with_capacity(self.count);
        outputs.extend(self.children.slab.into_finished().map(Joined::output));
        outputs
    }
}

/// Future for [`join_all`]: resolves to the outputs of all its futures, in input order.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct JoinAll<F: Future> {
    join: Option<Join<F, F::Output>>,
}

/// Runs a runtime-sized set of futures concurrently in the current task and returns
/// all their outputs, in input order.
///
/// A drop-in for [`futures::future::join_all`](https://docs.rs/futures/0.3/futures/future/fn.join_all.html)
/// that stays linear to millions of futures: each future gets its own waker, and after
/// the first poll only the futures that were woken are polled again.
///
/// # Examples
///
/// ```
/// async fn double(n: u64) -> u64 {
///     n * 2
/// }
///
/// patience::block_on(async {
///     let doubled = patience::join_all((1..=3).map(double)).await;
///     assert_eq!(doubled, [2, 4, 6]);
/// });
/// ```
///
/// The futures make progress together, each woken on its own:
///
/// ```
/// use futures::channel::oneshot;
/// use std::future::poll_fn;
/// use std::task::Poll;
///
/// /// Lets the task's other futures run once.
/// async fn yield_now() {
///     let mut yielded = false;
///     poll_fn(|cx| {
///         if yielded {
///             return Poll::Ready(());
///         }
///         yielded = true;
///         cx.waker().wake_by_ref();
///         Poll::Pending
///     })
///     .await
/// }
///
/// patience::block_on(async {
///     let (senders, receivers): (Vec<_>, Vec<_>) = (0..100).map(|_| oneshot::channel()).unzip();
///     let sending = async move {
///         // Answer the last receiver first.
///         for (i, tx) in senders.into_iter().enumerate().rev() {
///             tx.send(i).unwrap();
///             yield_now().await;
///         }
///     };
///     let (received, ()) = patience::join!(patience::join_all(receivers), sending);
///     let received: Vec<usize> = received.into_iter().map(Result::unwrap).collect();
///     assert_eq!(received, (0..100).collect::<Vec<_>>());
/// });
/// ```
///
/// # Semantics
///
/// - `iter` may yield anything [`IntoFuture`]; all of it is consumed (and each item
///   turned into a future) when `join_all` is called, before any future is polled.
/// - The output is a `Vec` of the outputs in the order of `iter`, whatever order the
///   futures finish in. An empty `iter` gives an empty `Vec` on the first poll.
/// - The first poll polls every future, in input order; later polls poll only the
///   futures woken since, in roughly the order they were woken (by group of 64 futures,
///   in input order within a group). The order does not depend on how many futures
///   there are (`futures`' `join_all` changes both order and algorithm at 30).
/// - A finished future is dropped at once; its output is kept until all have
///   finished. The futures are pinned in place: they need not be `Unpin`, and
///   [`JoinAll`] itself is always `Unpin`.
/// - One poll of the join polls at most 32 futures. If more are ready, it wakes its own
///   task and returns `Pending`, so one join never keeps a thread (or tokio's
///   cooperative budget) to itself; the executor polls it again soon.
/// - Polling the join after it returned its outputs panics.
///
/// # Cancellation safety
///
/// Dropping the join drops every unfinished future and every output kept so far: no
/// output is lost, because none has been returned. Wakers the futures kept may be
/// woken after that, from any thread: they then do nothing.
///
/// # Cost
///
/// Memory: the futures, each in a slot as large as the larger of the future and its
/// output, stored 64 to an allocation (so a large set needs few allocations and no
/// allocation per future); one 64-byte wake-up block per 64 futures; the output `Vec`
/// at the end. Nothing is allocated by a wake-up or by a poll, except the output `Vec`
/// by the poll that finishes.
///
/// Time: `n` futures that each finish after one wake-up cost exactly `2n` future polls,
/// in any wake-up order. A wake-up costs a few atomic operations (setting the future's
/// bit, and for the first future woken in its group since the last poll, a push onto a
/// lock-free stack), and the task is woken only by the first future woken since the
/// join's last poll. Cloning a future's waker costs one atomic increment.
pub fn join_all<I>(iter: I) -> JoinAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    JoinAll {
        join: Some(Join::new(iter.into_iter().map(IntoFuture::into_future))),
    }
}

// The futures are pinned in their slots on the heap, which do not move with the join;
// outputs are never pinned.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let this = self.get_mut();
        let join = this
            .join
            .as_mut()
            .expect("`JoinAll` polled after completion");
        match join.poll_children::<Infallible>(cx, |child, cx| child.poll(cx).map(Ok)) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(_) => {
                let join = this.join.take().expect("checked above");
                Poll::Ready(join.outputs())
            }
        }
    }
}

impl<F: IntoFuture> FromIterator<F> for JoinAll<F::IntoFuture> {
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> Self {
        join_all(iter)
    }
}

impl<F: Future> fmt::Debug for JoinAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("JoinAll");
        if let Some(join) = &self.join {
            s.field("len", &join.count).field("running", &join.running);
        }
        s.finish_non_exhaustive()
    }
}
