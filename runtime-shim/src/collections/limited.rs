//! Bounded forms for big inputs: at most `limit` futures alive at once, the next taken
//! from the iterator as one finishes. [`join_all_limited`] returns the outputs in input
//! order, [`buffer_unordered`] yields them in completion order.

use alloc::vec::Vec;
use core::fmt;
use core::future::{Future, IntoFuture, poll_fn};
use core::iter::Fuse;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::stream::{FusedStream, Stream};

use super::children::Children;
use super::future_set::FutureSet;

/// Future for [`join_all_limited`]: resolves to the outputs of all the iterator's
/// futures, in input order, having run at most `limit` at once.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct JoinAllLimited<I: Iterator<Item: IntoFuture>> {
    inputs: Fuse<I>,
    limit: usize,
    children: Children<Option<<I::Item as IntoFuture>::IntoFuture>>,
    /// By slot: the input index of the future in it.
    origin: Vec<usize>,
    vacant: Vec<usize>,
    running: usize,
    /// By input index; `None` until that future finishes.
    outputs: Vec<Option<<I::Item as IntoFuture>::Output>>,
    finished: bool,
}

/// Runs the futures of `iter` with at most `limit` alive at once, and returns all their
/// outputs in input order.
///
/// Futures are taken from `iter` (and made with [`IntoFuture::into_future`]) only when
/// there is room: `limit` at the start, then one each time one finishes. So an input of
/// a million items costs the memory of `limit` futures, plus the outputs. This is what
/// `futures`' `stream::iter(..).buffered(n).collect()` and a semaphore around a
/// `JoinSet` are used for.
///
/// # Examples
///
/// ```
/// use std::cell::Cell;
///
/// let alive = Cell::new(0);
/// let most = Cell::new(0);
/// let fetch = |id: u32| {
///     let (alive, most) = (&alive, &most);
///     async move {
///         alive.set(alive.get() + 1);
///         most.set(most.get().max(alive.get()));
///         async_io::Timer::after(std::time::Duration::from_millis(1)).await;
///         alive.set(alive.get() - 1);
///         id * 10
///     }
/// };
///
/// let outputs = patience::block_on(patience::join_all_limited((0..20).map(fetch), 4));
/// assert_eq!(outputs, (0..20).map(|id| id * 10).collect::<Vec<_>>());
/// assert_eq!(most.get(), 4);
/// ```
///
/// # Semantics
///
/// As [`join_all`](super::join_all), except that futures are created from `iter` lazily,
/// at most `limit` are alive (created and not yet finished) at once, and a new one is
/// started, and polled in the same poll if the budget allows, as soon as one finishes.
///
/// # Panics
///
/// If `limit` is 0.
///
/// # Cancellation safety
///
/// Dropping the join drops the running futures, the outputs kept so far and the rest
/// of the iterator.
///
/// # Cost
///
/// As [`join_all`](super::join_all#cost), for `limit` futures: their slots are reused.
/// Outputs are kept in a `Vec<Option<T>>` that grows with the input, and is turned into
/// the returned `Vec<T>` in place.
pub fn join_all_limited<I>(iter: I, limit: usize) -> JoinAllLimited<I::IntoIter>
where
    I: IntoIterator<Item: IntoFuture>,
{
    assert!(limit > 0, "`join_all_limited`'s limit must be at least 1");
    JoinAllLimited {
        inputs: iter.into_iter().fuse(),
        limit,
        children: Children::new(),
        origin: Vec::new(),
        vacant: Vec::new(),
        running: 0,
        outputs: Vec::new(),
        finished: false,
    }
}

impl<I: Iterator<Item: IntoFuture>> JoinAllLimited<I> {
    /// Starts futures from the input while there is room.
    fn refill(&mut self) {
        while self.running < self.limit {
            let Some(input) = self.inputs.next() else {
                return;
            };
            let future = Some(input.into_future());
            let origin = self.outputs.len();
            self.outputs.push(None);
            self.running += 1;
            match self.vacant.pop() {
                Some(slot) => {
                    self.children.put(slot, future);
                    self.origin[slot] = origin;
                }
                None => {
                    let slot = self.children.push(future);
                    self.origin.resize(slot + 1, 0);
                    self.origin[slot] = origin;
                }
            }
        }
    }
}

// The futures are pinned on the heap; the iterator and outputs are never pinned.
impl<I: Iterator<Item: IntoFuture>> Unpin for JoinAllLimited<I> {}

impl<I: Iterator<Item: IntoFuture>> Future for JoinAllLimited<I> {
    type Output = Vec<<I::Item as IntoFuture>::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        assert!(!this.finished, "`JoinAllLimited` polled after completion");
        this.refill();
        this.children.begin(cx);
        while let Some((slot, waker)) = this.children.next() {
            let Some(child) = this.children.slab.future(slot) else {
                continue;
            };
            if let Poll::Ready(output) = child.poll(&mut Context::from_waker(&waker)) {
                this.children.slab.set(slot, None);
                this.outputs[this.origin[slot]] = Some(output);
                this.vacant.push(slot);
                this.running -= 1;
                // The next one is queued behind the woken ones: polled in this poll
                // if the budget allows.
                this.refill();
            }
        }
        if this.running > 0 {
            this.children.end(cx);
            return Poll::Pending;
        }
        this.finished = true;
        let outputs = core::mem::take(&mut this.outputs);
        Poll::Ready(outputs.into_iter().map(|o| o.expect("finished")).collect())
    }
}

impl<I: Iterator<Item: IntoFuture>> fmt::Debug for JoinAllLimited<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinAllLimited")
            .field("limit", &self.limit)
            .field("running", &self.running)
            .field("taken", &self.outputs.len())
            .finish_non_exhaustive()
    }
}

/// Stream for [`buffer_unordered`]: the outputs of the iterator's futures in completion
/// order, with at most `limit` alive at once.
#[must_use = "streams do nothing unless polled"]
pub struct BufferUnordered<I: Iterator<Item: IntoFuture>> {
    inputs: Fuse<I>,
    set: FutureSet<<I::Item as IntoFuture>::IntoFuture>,
    limit: usize,
}

/// Runs the futures of `iter` with at most `limit` alive at once, and yields their
/// outputs in the order they finish.
///
/// The counterpart of `futures`' `stream::iter(iter).buffer_unordered(limit)`: futures
/// are taken from `iter` only when there is room (`limit` at the start, then one each
/// time one finishes). Read it with the inherent [`next`](BufferUnordered::next) or as
/// a [`Stream`].
///
/// # Examples
///
/// ```
/// patience::block_on(async {
///     let mut squares = patience::buffer_unordered((1..=100u64).map(|n| async move { n * n }), 8);
///     let mut total = 0;
///     while let Some(square) = squares.next().await {
///         total += square;
///     }
///     assert_eq!(total, 338_350);
/// });
/// ```
///
/// # Semantics
///
/// As a [`FutureSet`] that the stream fills from `iter`: each poll first starts futures
/// from `iter` while fewer than `limit` are alive, then polls the woken ones (at most 32)
/// and returns the first output. It ends (`None`) once `iter` is exhausted and every
/// future has finished.
///
/// # Panics
///
/// If `limit` is 0.
///
/// # Cancellation safety
///
/// [`next`](BufferUnordered::next) is cancellation safe: dropping its future loses no
/// output. Dropping the stream drops the running futures and the rest of `iter`.
///
/// # Cost
///
/// As [`FutureSet`], for `limit` futures: slots are reused, so once `limit` slots exist
/// nothing is allocated by a wake-up or a poll, and memory does not grow with the length
/// of `iter`.
pub fn buffer_unordered<I>(iter: I, limit: usize) -> BufferUnordered<I::IntoIter>
where
    I: IntoIterator<Item: IntoFuture>,
{
    assert!(limit > 0, "`buffer_unordered`'s limit must be at least 1");
    BufferUnordered {
        inputs: iter.into_iter().fuse(),
        set: FutureSet::new(),
        limit,
    }
}

impl<I: Iterator<Item: IntoFuture>> BufferUnordered<I> {
    /// Waits for the next future to finish and returns its output, or `None` once all
    /// have finished.
    pub async fn next(&mut self) -> Option<<I::Item as IntoFuture>::Output> {
        poll_fn(|cx| self.poll_next_output(cx)).await
    }

    fn poll_next_output(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<<I::Item as IntoFuture>::Output>> {
        while self.set.len() < self.limit {
            match self.inputs.next() {
                Some(input) => self.set.push(input.into_future()),
                None => break,
            }
        }
        Pin::new(&mut self.set).poll_next(cx)
    }
}

// As for `JoinAllLimited`.
impl<I: Iterator<Item: IntoFuture>> Unpin for BufferUnordered<I> {}

impl<I: Iterator<Item: IntoFuture>> Stream for BufferUnordered<I> {
    type Item = <I::Item as IntoFuture>::Output;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_output(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (low, high) = self.inputs.size_hint();
        let len = self.set.len();
        (
            len.saturating_add(low),
            high.and_then(|h| h.checked_add(len)),
        )
    }
}

impl<I: Iterator<Item: IntoFuture>> FusedStream for BufferUnordered<I> {
    fn is_terminated(&self) -> bool {
        self.set.is_terminated()
    }
}

impl<I: Iterator<Item: IntoFuture>> fmt::Debug for BufferUnordered<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferUnordered")
            .field("limit", &self.limit)
            .field("set", &self.set)
            .finish_non_exhaustive()
    }
}
