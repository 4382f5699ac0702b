//! What a watched expansion holds and calls: a [`Watch`] in the select's or join's
//! state, a [`Polling`] frame for each of its polls, and [`top`] around a whole task.
//!
//! The expansion of a watched select or join, per poll:
//!
//! ```text
//! let mut polling = watch.begin();       // pushes the frame
//! polling.child(i);                      // before polling child i: one store
//! … poll child i …
//! polling.after(i, ready);               // after it: nothing unless it finished
//! polling.pending();                     // before returning Pending
//! // dropping `polling` pops the frame, and reports a child the watchdog found slow
//! ```

use core::future::Future;
use core::pin::pin;
use core::sync::atomic::Ordering;
use core::time::Duration;

use super::frames::{self, FrameSlot, NO_CHILD, ThreadFrames};
use super::node::{self, Node};
use super::report;
use super::site::Site;
use super::watchdog::{self, NOW_MS};
use crate::__private::mask::Mask;

/// The watch part of a watched select's or join's state (`W == words(children)`).
pub struct Watch<const W: usize> {
    site: &'static Site,
    /// Taken the first time the select or join returns `Pending`.
    node: Option<&'static Node>,
    /// The children that finished before the node was taken.
    done: Mask<W>,
    /// What this poll's children store in the node (see `Node::stamp`).
    stamp: u64,
}

impl<const W: usize> Watch<W> {
    /// Watches the select or join described by `site`.
    #[inline]
    pub const fn new(site: &'static Site) -> Self {
        Watch {
            site,
            node: None,
            done: Mask::EMPTY,
            stamp: 0,
        }
    }

    /// Starts one poll of the select or join: its frame is on the thread's stack until
    /// the returned value is dropped.
    #[inline]
    pub fn begin(&mut self) -> Polling<'_, W> {
        let frames = frames::current();
        let depth = frames.map_or(0, |frames| frames.push(self.site.id()));
        let now_ms = NOW_MS.load(Ordering::Relaxed);
        if let Some(node) = self.node {
            self.stamp = node.stamp(now_ms);
        }
        Polling {
            watch: self,
            frames,
            slot: frames.and_then(|frames| frames.slot(depth)),
            depth,
            now_ms,
        }
    }
}

impl<const W: usize> Drop for Watch<W> {
    fn drop(&mut self) {
        if let Some(node) = self.node.take() {
            node::give_back(node);
        }
    }
}

/// One poll of a watched select or join (see [`Watch::begin`]).
pub struct Polling<'a, const W: usize> {
    watch: &'a mut Watch<W>,
    frames: Option<&'static ThreadFrames>,
    /// This poll's frame (`None` beyond the recorded depth).
    slot: Option<&'static FrameSlot>,
    depth: usize,
    /// The watchdog's clock when the poll began: when its children were last polled.
    now_ms: u64,
}

impl<const W: usize> Polling<'_, W> {
    /// Child `index` is polled now.
    #[inline]
    pub fn child(&mut self, index: usize) {
        if let Some(slot) = self.slot {
            // Relaxed: the watchdog compares it with what it saw a turn ago; any value
            // it reads is one this thread stored for this frame.
            slot.child
                .store(index.try_into().unwrap_or(NO_CHILD - 1), Ordering::Relaxed);
        }
        if let Some(node) = self.watch.node {
            node.polled(index, self.watch.stamp);
        }
    }

    /// Child `index` was polled; `ready`: it finished (its value is the select's, or
    /// the join stored it), so `dump` stops listing it.
    #[inline]
    pub fn after(&mut self, index: usize, ready: bool) {
        if ready {
            match self.watch.node {
                Some(node) => node.finished(index),
                None => self.watch.done.insert(index),
            }
        }
    }

    /// To call before the select or join returns `Pending`: makes it visible to `dump`
    /// and to the stuck report.
    #[inline]
    pub fn pending(&mut self) {
        if self.watch.node.is_none() {
            self.take_node();
        }
    }

    #[cold]
    fn take_node(&mut self) {
        let Some(frames) = self.frames else {
            return;
        };
        let watch = &mut *self.watch;
        let children = watch.site.children().len();
        let path = &frames.frames[..self.depth.min(frames::MAX_DEPTH)];
        let node = node::take(
            watch.site.id(),
            frames.index,
            path,
            children,
            watch.done.words(),
            self.now_ms,
        );
        watch.stamp = node.stamp(self.now_ms);
        node.publish();
        watch.node = Some(node);
    }
}

impl<const W: usize> Drop for Polling<'_, W> {
    #[inline]
    fn drop(&mut self) {
        if let Some(frames) = self.frames {
            leave(frames, self.depth);
        }
    }
}

/// Pops the frame at `depth`, reporting it first if the watchdog flagged it.
#[inline]
fn leave(frames: &ThreadFrames, depth: usize) {
    if let Some((since, child)) = frames.finished(depth) {
        report_slow(frames, depth, since, child);
    }
    frames.pop(depth);
}

#[cold]
fn report_slow(frames: &ThreadFrames, depth: usize, since: u64, child: u32) {
    let duration = watchdog::now_ms().saturating_sub(since);
    let mut chain = frames.chain(depth);
    if let Some(last) = chain.last_mut() {
        last.1 = child;
    }
    report::slow(&frames.name(), &chain, Duration::from_millis(duration));
}

/// Runs `poll` inside a top-level frame for `site`, reporting it if it was slow.
#[inline]
pub(crate) fn in_frame<R>(site: &'static Site, poll: impl FnOnce() -> R) -> R {
    let frames = frames::current();
    let depth = frames.map(|frames| frames.push(site.id()));
    let result = poll();
    if let (Some(frames), Some(depth)) = (frames, depth) {
        leave(frames, depth);
    }
    result
}

/// Runs every poll of `future` inside a top-level frame for `site` (`#[main]`,
/// `#[test]` on tokio or smol), on any runtime.
pub async fn top<F: Future>(site: &'static Site, future: F) -> F::Output {
    let mut future = pin!(future);
    core::future::poll_fn(move |cx| in_frame(site, || future.as_mut().poll(cx))).await
}

/// Around a `block_on` park: the watchdog reports a stuck `block_on` from these.
#[cfg(feature = "watch")]
pub(crate) fn parking(parked: bool) {
    if let Some(frames) = frames::current() {
        if parked {
            frames.stuck_reported.store(false, Ordering::Relaxed);
        }
        let since = if parked { watchdog::now_ms().max(1) } else { 0 };
        frames.parked_since_ms.store(since, Ordering::Release);
    }
}
