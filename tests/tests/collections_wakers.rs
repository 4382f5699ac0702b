//! The collections' child wakers: kept after the collection is gone, woken from other
//! threads, cloned and compared, and a task waker that pushes into the set it wakes
//! for. These exercise the `unsafe` code (waker blocks, the task-waker cell): run them
//! under Miri too (`cargo +nightly miri test -p patience-tests --test collections_wakers`),
//! which also reports any block that is never freed.

#[allow(dead_code)] // Each test file uses part of the helpers.
mod collections_support;

use std::future::{Future, pending, poll_fn, ready};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;

use collections_support::{Board, Driver, scaled};
use futures::StreamExt as _;
use futures::channel::oneshot;
use patience::FutureSet;

#[test]
fn wakers_kept_after_the_collection_is_dropped_do_nothing() {
    let n = scaled(300);
    let board = Board::new(n);
    let mut driver = Driver::new(patience::join_all((0..n).map(|i| board.gate(i))));
    assert!(driver.poll_until_idle().is_none());
    let kept: Vec<Waker> = (0..n).map(|i| board.waker_of(i)).collect();
    board.open(0);
    assert!(driver.poll_until_idle().is_none());
    let wakes = driver.wakes.clone();
    let before = wakes.get();
    drop(driver);
    assert!(board.drops().iter().all(|&d| d == 1));
    for waker in &kept {
        waker.wake_by_ref();
        let clone = waker.clone();
        assert!(clone.will_wake(waker));
        clone.wake();
    }
    // Through the board's own clones too (woken by value).
    for i in 1..n {
        board.open(i);
    }
    assert_eq!(wakes.get(), before, "no wake-up reached the task");
    drop(kept);
}

#[test]
fn wakers_kept_after_the_collection_is_dropped_may_be_woken_from_other_threads() {
    let n = scaled(256);
    let (senders, receivers): (Vec<_>, Vec<_>) =
        (0..n).map(|_| oneshot::channel::<usize>()).unzip();
    let mut set: FutureSet<_> = receivers.into_iter().collect();
    let mut driver = Driver::new(poll_fn(move |cx| set.poll_next_unpin(cx)));
    assert!(driver.poll_until_idle().is_none());
    let wakes = driver.wakes.clone();
    let before = wakes.get();
    // The set goes away while other threads send (each send wakes a child's waker,
    // which the receiver kept) and then drop their senders.
    let start = Arc::new(Barrier::new(3));
    let mut halves = senders;
    let second = halves.split_off(n / 2);
    let threads: Vec<_> = [halves, second]
        .into_iter()
        .map(|senders| {
            let start = start.clone();
            thread::spawn(move || {
                start.wait();
                for (i, tx) in senders.into_iter().enumerate() {
                    let _ = tx.send(i);
                }
            })
        })
        .collect();
    start.wait();
    drop(driver);
    for t in threads {
        t.join().unwrap();
    }
    // Wakes that landed before the drop may have woken the task; none after.
    let after_drop = wakes.get();
    assert!(after_drop >= before);
    assert_eq!(wakes.get(), after_drop);
}

#[test]
fn children_completed_from_other_threads_lose_no_wake_up() {
    let rounds = if cfg!(miri) { 3 } else { 200 };
    let n = scaled(64);
    for _ in 0..rounds {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..n).map(|_| oneshot::channel::<usize>()).unzip();
        let sender = thread::spawn(move || {
            for (i, tx) in senders.into_iter().enumerate().rev() {
                tx.send(i).unwrap();
            }
        });
        let outputs = patience::block_on(patience::join_all(receivers));
        sender.join().unwrap();
        assert_eq!(
            outputs.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
            (0..n).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_future_set_drained_while_other_threads_complete_its_children_sees_every_output() {
    let n = scaled(400);
    let (senders, receivers): (Vec<_>, Vec<_>) =
        (0..n).map(|_| oneshot::channel::<usize>()).unzip();
    let threads: Vec<_> = split(senders, 4)
        .into_iter()
        .map(|part| {
            thread::spawn(move || {
                for (i, tx) in part {
                    tx.send(i).unwrap();
                }
            })
        })
        .collect();
    let mut set: FutureSet<_> = receivers.into_iter().collect();
    let mut seen = patience::block_on(async {
        let mut seen = Vec::new();
        while let Some(out) = set.next().await {
            seen.push(out.unwrap());
        }
        seen
    });
    for t in threads {
        t.join().unwrap();
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..n).collect::<Vec<_>>());
}

/// `items` numbered and dealt into `parts` vectors.
fn split<T>(items: Vec<T>, parts: usize) -> Vec<Vec<(usize, T)>> {
    let mut out: Vec<Vec<(usize, T)>> = (0..parts).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        out[i % parts].push((i, item));
    }
    out
}

#[test]
fn cloned_child_wakers_will_wake_the_original() {
    let checked = AtomicBool::new(false);
    let child = poll_fn(|cx| {
        let clone = cx.waker().clone();
        assert!(cx.waker().will_wake(&clone));
        assert!(clone.will_wake(cx.waker()));
        checked.store(true, Ordering::SeqCst);
        Poll::Ready(())
    });
    patience::block_on(patience::join_all([child]));
    assert!(checked.load(Ordering::SeqCst));
}

type Job = Pin<Box<dyn Future<Output = usize> + Send>>;

/// A task waker that, when woken, pushes a new future into the set it wakes for.
struct PushOnWake {
    set: Arc<Mutex<FutureSet<Job>>>,
    pushed: AtomicUsize,
}

impl Wake for PushOnWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        let k = self.pushed.fetch_add(1, Ordering::SeqCst);
        self.set.lock().unwrap().push(Box::pin(ready(1000 + k)));
    }
}

#[test]
fn a_task_waker_may_push_into_the_set_from_a_childs_wake_path() {
    let (tx, rx) = oneshot::channel::<usize>();
    let set = Arc::new(Mutex::new(FutureSet::<Job>::new()));
    set.lock()
        .unwrap()
        .push(Box::pin(async { rx.await.unwrap() }));
    set.lock().unwrap().push(Box::pin(pending()));
    let task = Arc::new(PushOnWake {
        set: set.clone(),
        pushed: AtomicUsize::new(0),
    });
    let waker = Waker::from(task.clone());
    let mut cx = Context::from_waker(&waker);
    assert!(set.lock().unwrap().poll_next_unpin(&mut cx).is_pending());
    // The send wakes the child's waker, which wakes the task, whose waker pushes into
    // the set: all inside the child waker's `wake`, with the set not borrowed.
    tx.send(7).unwrap();
    assert_eq!(task.pushed.load(Ordering::SeqCst), 1);
    let mut outputs = Vec::new();
    for _ in 0..2 {
        match set.lock().unwrap().poll_next_unpin(&mut cx) {
            Poll::Ready(Some(out)) => outputs.push(out),
            other => panic!("expected an output, got {other:?}"),
        }
    }
    outputs.sort_unstable();
    assert_eq!(outputs, [7, 1000]);
    assert_eq!(set.lock().unwrap().len(), 1);
    // The set holds the task's waker, which holds the set: break the cycle.
    set.lock().unwrap().clear();
}
