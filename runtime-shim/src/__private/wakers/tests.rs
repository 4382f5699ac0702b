use super::*;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::task::Wake;
use std::vec::Vec;

struct CountWakes(AtomicUsize);
impl Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn listed<const K: usize, const W: usize>(woken: &Woken<'_, K, W>) -> Vec<usize> {
    (0..K).filter(|&i| woken.contains(i)).collect()
}

// A child count no other test uses (3 flag words), so the pool cannot hand this test a
// block another test holds or has stale wakers of.
const K: usize = 70;

#[test]
fn first_poll_lists_every_child_then_only_woken_ones() {
    let parent = Arc::new(CountWakes(AtomicUsize::new(0)));
    let waker = Waker::from(parent.clone());
    let cx = Context::from_waker(&waker);
    let mut wakers = ChildWakers::<K, 3>::new();
    let mut first = wakers.drain(&cx);
    assert_eq!(listed(&first), (0..K).collect::<Vec<_>>());
    let children: Vec<Waker> = [1, 2, 40, 69]
        .iter()
        .map(|&i| ManuallyDrop::into_inner(first.waker(i)))
        .collect();
    // Not stored yet: a child woken during the first poll sets its flag only, and
    // `before_pending` then wakes the task itself.
    children[0].wake_by_ref();
    assert_eq!(parent.0.load(Ordering::SeqCst), 0);
    first.before_pending();
    assert_eq!(parent.0.load(Ordering::SeqCst), 1);
    assert_eq!(listed(&wakers.drain(&cx)), vec![1]);
    assert!(listed(&wakers.drain(&cx)).is_empty());
    for c in &children {
        c.wake_by_ref();
    }
    // One task wake-up per flag word that went from empty to non-empty.
    assert_eq!(parent.0.load(Ordering::SeqCst), 4);
    assert_eq!(listed(&wakers.drain(&cx)), vec![1, 2, 40, 69]);
    // A clone woken by value (`wake`) works like `wake_by_ref`.
    let clone = children[0].clone();
    clone.wake();
    children[0].wake_by_ref();
    assert_eq!(parent.0.load(Ordering::SeqCst), 5);
    assert_eq!(listed(&wakers.drain(&cx)), vec![1]);
    drop(wakers);
    // The select is gone: kept wakers still work and wake nobody.
    for c in &children {
        c.wake_by_ref();
    }
    assert_eq!(parent.0.load(Ordering::SeqCst), 5);
    // The next select of this size reuses the block; stale flags are cleared and its
    // first poll lists every child; the stale wakers now reach its task.
    let mut next = ChildWakers::<K, 3>::new();
    let mut first = next.drain(&cx);
    assert_eq!(listed(&first).len(), K);
    first.before_pending();
    children[3].wake_by_ref();
    assert_eq!(parent.0.load(Ordering::SeqCst), 6);
    assert_eq!(listed(&next.drain(&cx)), vec![69]);
}

/// A task waker whose `clone` and `wake_by_ref` wake child 40 of the select (as the
/// `Waker` contract allows): waking child 5 re-enters the block's wake-up path on the
/// same thread, from inside the task waker's own code.
fn reentrant_waker() -> Waker {
    use core::task::RawWakerVTable;
    fn raw() -> RawWaker {
        RawWaker::new(core::ptr::null(), &REENTRANT)
    }
    fn wake_child() {
        let child = CHILD.with(|c| c.borrow().clone());
        if let Some(child) = child {
            child.wake();
        }
    }
    fn clone(_: *const ()) -> RawWaker {
        wake_child();
        raw()
    }
    fn wake(_: *const ()) {
        TASK_WAKES.with(|n| n.set(n.get() + 1));
        wake_child();
    }
    fn drop(_: *const ()) {}
    static REENTRANT: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);
    // SAFETY: the functions ignore the data pointer; they touch only thread-locals.
    unsafe { Waker::from_raw(raw()) }
}

std::thread_local! {
    static CHILD: core::cell::RefCell<Option<Waker>> = const { core::cell::RefCell::new(None) };
    static TASK_WAKES: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

#[test]
fn a_task_waker_that_wakes_another_child_while_waking_does_not_deadlock() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let waker = reentrant_waker();
        let cx = Context::from_waker(&waker);
        // 71 children (3 words): a size no other test uses.
        let mut wakers = ChildWakers::<71, 3>::new();
        let mut first = wakers.drain(&cx);
        let (five, forty) = (first.waker(5), first.waker(40));
        first.before_pending();
        CHILD.with(|c| *c.borrow_mut() = Some((*forty).clone()));
        // Child 5's wake-up wakes the task, whose waker wakes child 40, which wakes the
        // task again (nested, same thread), whose waker wakes child 40 (already
        // flagged: stops there).
        five.wake_by_ref();
        let wakes = TASK_WAKES.with(|n| n.get());
        CHILD.with(|c| *c.borrow_mut() = None);
        let listed = listed(&wakers.drain(&cx));
        done.send((wakes, listed)).unwrap();
    });
    let (wakes, listed) = finished
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("deadlock: the nested wake-up never returned");
    assert_eq!(wakes, 2);
    assert_eq!(listed, vec![5, 40]);
}

#[test]
fn blocks_given_back_on_another_thread_are_reused_here() {
    // Polled (leased) on this thread, dropped on another, many times over: the blocks
    // must come back through the global pool instead of piling up on the other thread.
    const KK: usize = 72 + 32; // 4 words: no other test uses this class
    let waker = Waker::noop();
    let cx = Context::from_waker(waker);
    let made_before = made();
    for _ in 0..200 {
        let mut wakers = ChildWakers::<KK, 4>::new();
        let _ = wakers.drain(&cx);
        std::thread::spawn(move || drop(wakers)).join().unwrap();
    }
    let made = made() - made_before;
    // At most the other threads' caches' worth (each exits at once, so 0) plus one.
    assert!(
        made <= 2,
        "{made} blocks made for 200 selects alive one at a time"
    );
}

/// Blocks of class 3 (4 words) in existence: those in the pools plus the ones leased.
fn made() -> usize {
    MADE.load(Ordering::SeqCst)
}

pub(super) static MADE: AtomicUsize = AtomicUsize::new(0);
