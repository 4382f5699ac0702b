//! [`FutureSet`]: a growable set of futures whose outputs come in completion order.

use alloc::collections::VecDeque;
use alloc::collections::vec_deque;
use alloc::vec::{self, Vec};
use core::fmt;
use core::future::{Future, poll_fn};
use core::iter::Flatten;
use core::pin::Pin;
use core::slice;
use core::task::{Context, Poll};

use futures_core::stream::{FusedStream, Stream};

use super::children::Children;

/// A set of futures run concurrently in the current task, yielding their outputs in the
/// order they finish; futures can be added at any time.
///
/// A drop-in for [`futures::stream::FuturesUnordered`](https://docs.rs/futures/0.3/futures/stream/struct.FuturesUnordered.html)
/// (`new`, `push`, `len`, `is_empty`, `clear`, `iter`, `iter_mut`, `into_iter`, and
/// [`Stream`] + [`FusedStream`]), with an inherent [`next`](FutureSet::next) so no
/// extension trait is needed, and an optional limit on how many run at once
/// ([`with_limit`](FutureSet::with_limit)).
///
/// # Examples
///
/// ```
/// use patience::FutureSet;
///
/// async fn square(n: u64) -> u64 {
///     n * n
/// }
///
/// patience::block_on(async {
///     let mut set = FutureSet::new();
///     for n in 1..=3 {
///         set.push(square(n));
///     }
///     let mut total = 0;
///     while let Some(squared) = set.next().await {
///         total += squared;
///         // Futures may be added while the set is being drained.
///         if squared == 9 {
///             set.push(square(4));
///         }
///     }
///     assert_eq!(total, 1 + 4 + 9 + 16);
/// });
/// ```
///
/// At most two at a time: the others wait, unpolled, in the order they were pushed.
///
/// ```
/// use patience::FutureSet;
///
/// patience::block_on(async {
///     let mut set = FutureSet::with_limit(2);
///     set.extend((0..5).map(|i| async move { i }));
///     assert_eq!(set.len(), 5);
///     let mut outputs = Vec::new();
///     while let Some(i) = set.next().await {
///         outputs.push(i);
///     }
///     outputs.sort();
///     assert_eq!(outputs, [0, 1, 2, 3, 4]);
/// });
/// ```
///
/// # Semantics
///
/// - [`push`](FutureSet::push) does not poll the future: the next poll of the set does
///   (futures pushed between polls are polled in the order pushed).
/// - [`next`](FutureSet::next) (or [`Stream::poll_next`]) polls the futures woken since
///   the previous poll (every new one on its first poll), in roughly the order they were
///   woken, and returns the output of the first that finishes, dropping it at once.
///   Futures not reached stay woken for the next call. It returns `None` when the set
///   is empty; pushing more after that is fine.
/// - One poll of the set polls at most 32 futures. If more were woken, it wakes its own
///   task and returns `Pending`, so the set never keeps a thread (or tokio's cooperative
///   budget) to itself. A future that wakes itself is polled once per poll of the set.
/// - With a limit, at most `limit` futures run (are polled) at once; futures pushed
///   beyond it wait in a queue, first in first out, and start as running ones finish.
///   [`len`](FutureSet::len) counts both.
/// - The futures are pinned in place: they need not be `Unpin`, and the set itself is
///   always `Unpin`.
///
/// # Cancellation safety
///
/// [`next`](FutureSet::next) is cancellation safe: dropping its future (for example
/// when another `select!` branch wins) loses no output, and the futures stay in the set.
/// Dropping the set drops every future in it. Wakers the futures kept may be woken
/// after that, from any thread: they then do nothing.
///
/// # Cost
///
/// Memory: one slot per future (the future's size, rounded up to a word), 64 slots to
/// an allocation (smaller allocations for the first few dozen), one 64-byte wake-up
/// block per 64 slots, and a word per finished-and-not-yet-reused slot. Slots of
/// finished futures are reused. Nothing is allocated by a wake-up or by a poll (a
/// [`push`](FutureSet::push) that needs a new slot may allocate).
///
/// Time: a wake-up costs a few atomic operations (setting the future's bit; for the
/// first future woken in its group of 64 since the last poll, a push onto a lock-free
/// stack; for the first since the last poll, waking the task). A poll of the set costs
/// O(1) plus the futures it polls; `n` futures that each finish after one wake-up cost
/// exactly `2n` future polls, in any wake-up order. Cloning a future's waker costs one
/// atomic increment.
pub struct FutureSet<F> {
    children: Children<Option<F>>,
    /// Slots whose future finished, to reuse.
    vacant: Vec<usize>,
    /// Slots made so far.
    slots: usize,
    /// Futures in slots (being polled).
    running: usize,
    /// Futures pushed beyond the limit, not started yet.
    waiting: VecDeque<F>,
    limit: usize,
    /// `poll_next` returned `None` and nothing was pushed since.
    terminated: bool,
}

impl<F> FutureSet<F> {
    /// An empty set, without a limit.
    pub fn new() -> FutureSet<F> {
        FutureSet::with_limit(usize::MAX)
    }

    /// An empty set that runs at most `limit` futures at once.
    ///
    /// # Panics
    ///
    /// If `limit` is 0.
    pub fn with_limit(limit: usize) -> FutureSet<F> {
        assert!(limit > 0, "a `FutureSet`'s limit must be at least 1");
        FutureSet {
            children: Children::new(),
            vacant: Vec::new(),
            slots: 0,
            running: 0,
            waiting: VecDeque::new(),
            limit,
            terminated: false,
        }
    }

    /// Adds a future to the set. It is first polled by the next poll of the set (or,
    /// beyond the limit, once a running future finishes).
    pub fn push(&mut self, future: F) {
        self.terminated = false;
        if self.running < self.limit {
            self.start(future);
        } else {
            self.waiting.push_back(future);
        }
    }

    fn start(&mut self, future: F) {
        self.running += 1;
        match self.vacant.pop() {
            Some(index) => self.children.put(index, Some(future)),
            None => {
                self.children.push(Some(future));
                // Room for every slot to be vacant: finishing allocates nothing.
                self.slots += 1;
                self.vacant.reserve(self.slots - self.vacant.len());
            }
        }
    }

    /// The number of futures in the set (running and waiting).
    pub fn len(&self) -> usize {
        self.running + self.waiting.len()
    }

    /// Whether the set holds no future.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most futures that run at once (`usize::MAX`: no limit).
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Drops every future in the set, keeping its limit.
    pub fn clear(&mut self) {
        *self = FutureSet::with_limit(self.limit);
    }

    /// The futures in the set: running ones, then waiting ones in order.
    pub fn iter(&self) -> Iter<'_, F> {
        Iter {
            running: self.children.slab.slots(),
            waiting: self.waiting.iter(),
            left: self.len(),
        }
    }

    /// The futures in the set, mutably: running ones, then waiting ones in order.
    pub fn iter_mut(&mut self) -> IterMut<'_, F>
    where
        F: Unpin,
    {
        IterMut {
            left: self.len(),
            running: self.children.slab.slots_mut(),
            waiting: self.waiting.iter_mut(),
        }
    }
}

impl<F: Future> FutureSet<F> {
    /// Waits for the next future to finish and returns its output, or `None` if the set
    /// is empty.
    ///
    /// Cancellation safe: see [`FutureSet`].
    pub async fn next(&mut self) -> Option<F::Output> {
        poll_fn(|cx| self.poll_next_output(cx)).await
    }

    fn poll_next_output(&mut self, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        if self.running == 0 {
            // Nothing waits either: futures wait only while `running == limit`.
            self.terminated = true;
            return Poll::Ready(None);
        }
        self.children.begin(cx);
        while let Some((index, waker)) = self.children.next() {
            let Some(child) = self.children.slab.future(index) else {
                continue;
            };
            if let Poll::Ready(output) = child.poll(&mut Context::from_waker(&waker)) {
                self.children.slab.set(index, None);
                self.vacant.push(index);
                self.running -= 1;
                if let Some(next) = self.waiting.pop_front() {
                    self.start(next);
                }
                return Poll::Ready(Some(output));
            }
        }
        self.children.end(cx);
        Poll::Pending
    }
}

// The running futures are pinned in their slots on the heap, which do not move with
// the set; waiting futures are not pinned yet.
impl<F> Unpin for FutureSet<F> {}

impl<F: Future> Stream for FutureSet<F> {
    type Item = F::Output;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        self.get_mut().poll_next_output(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len(), Some(self.len()))
    }
}

impl<F: Future> FusedStream for FutureSet<F> {
    fn is_terminated(&self) -> bool {
        self.terminated
    }
}

impl<F> Default for FutureSet<F> {
    fn default() -> Self {
        FutureSet::new()
    }
}

impl<F> Extend<F> for FutureSet<F> {
    fn extend<I: IntoIterator<Item = F>>(&mut self, iter: I) {
        let mut iter = iter.into_iter();
        // Into vacant slots first, one at a time.
        while !self.vacant.is_empty() && self.running < self.limit {
            match iter.next() {
                Some(future) => self.push(future),
                None => return,
            }
        }
        // Then new slots, marked a group at a time.
        let room = self.limit - self.running;
        let added = self.children.extend(iter.by_ref().take(room).map(Some));
        self.terminated &= added == 0;
        self.running += added;
        self.slots += added;
        self.vacant.reserve(self.slots - self.vacant.len());
        // Beyond the limit: they wait.
        for future in iter {
            self.push(future);
        }
    }
}

impl<F> FromIterator<F> for FutureSet<F> {
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> Self {
        let mut set = FutureSet::new();
        set.extend(iter);
        set
    }
}

impl<F> fmt::Debug for FutureSet<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FutureSet")
            .field("running", &self.running)
            .field("waiting", &self.waiting.len())
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

/// Defines an iterator over a set's futures: the slots of the running ones, then the
/// waiting ones.
macro_rules! futures_iter {
    ($(#[$doc:meta])* $name:ident<$($l:lifetime,)? F>, $slots:ty, $waiting:ty, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<$($l,)? F> {
            running: Flatten<$slots>,
            waiting: $waiting,
            left: usize,
        }

        impl<$($l,)? F> Iterator for $name<$($l,)? F> {
            type Item = $item;

            fn next(&mut self) -> Option<$item> {
                // `flatten` skips vacant slots (`None`).
                let next = self.running.by_ref().flatten().next();
                let next = next.or_else(|| self.waiting.next())?;
                self.left -= 1;
                Some(next)
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                (self.left, Some(self.left))
            }
        }

        impl<$($l,)? F> ExactSizeIterator for $name<$($l,)? F> {}
    };
}

futures_iter!(
    /// The futures of a [`FutureSet`], by reference ([`FutureSet::iter`]).
    Iter<'a, F>,
    slice::Iter<'a, Vec<Option<F>>>,
    vec_deque::Iter<'a, F>,
    &'a F
);
futures_iter!(
    /// The futures of a [`FutureSet`], mutably ([`FutureSet::iter_mut`]).
    IterMut<'a, F>,
    slice::IterMut<'a, Vec<Option<F>>>,
    vec_deque::IterMut<'a, F>,
    &'a mut F
);
futures_iter!(
    /// The futures of a [`FutureSet`], by value (`FutureSet::into_iter`): running ones,
    /// then waiting ones in order.
    IntoIter<F>,
    vec::IntoIter<Vec<Option<F>>>,
    vec_deque::IntoIter<F>,
    F
);

impl<F: Unpin> IntoIterator for FutureSet<F> {
    type Item = F;
    type IntoIter = IntoIter<F>;

    fn into_iter(self) -> IntoIter<F> {
        IntoIter {
            left: self.len(),
            running: self.children.slab.into_slots(),
            waiting: self.waiting.into_iter(),
        }
    }
}

impl<'a, F> IntoIterator for &'a FutureSet<F> {
    type Item = &'a F;
    type IntoIter = Iter<'a, F>;

    fn into_iter(self) -> Iter<'a, F> {
        self.iter()
    }
}

impl<'a, F: Unpin> IntoIterator for &'a mut FutureSet<F> {
    type Item = &'a mut F;
    type IntoIter = IterMut<'a, F>;

    fn into_iter(self) -> IterMut<'a, F> {
        self.iter_mut()
    }
}
