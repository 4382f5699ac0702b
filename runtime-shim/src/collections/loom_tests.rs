//! Model checks of the wake-up protocol (the ready stack and the task-waker cell) with
//! loom, on the real code. Run with:
//!
//! ```text
//! RUSTFLAGS="--cfg patience_loom" CARGO_TARGET_DIR=target/loom cargo test -p patience --lib --release collections::loom_tests
//! ```
//!
//! loom explores every interleaving (and every outcome the orderings allow) of a child's
//! waker woken on another thread against the collection's polls, with the task's waker
//! changing meanwhile.

use alloc::sync::Arc;
use alloc::task::Wake;
use core::task::{Context, Waker};

use loom::thread;

use super::ready::ReadyQueue;
use super::sync::{AtomicUsize, Ordering};

/// A task waker that counts its wake-ups.
struct Task(AtomicUsize);

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn task() -> (Arc<Task>, Waker) {
    let task = Arc::new(Task(AtomicUsize::new(0)));
    let waker = Waker::from(task.clone());
    (task, waker)
}

/// A queue with one child, polled once (pending) with `waker`; returns the child's
/// kept waker (a clone, as a child stores it).
fn polled_once(queue: &mut ReadyQueue, waker: &Waker) -> Waker {
    queue.mark(0, 1);
    let cx = Context::from_waker(waker);
    queue.begin(&cx);
    assert_eq!(queue.next(), Some(0));
    let child = (*queue.waker(0)).clone();
    assert_eq!(queue.next(), None);
    queue.end(&cx);
    child
}

#[test]
fn a_wake_up_from_another_thread_is_never_lost_while_the_task_waker_changes() {
    loom::model(|| {
        let (first, first_waker) = task();
        let (second, second_waker) = task();
        let mut queue = ReadyQueue::new();
        let child = polled_once(&mut queue, &first_waker);
        let producer = thread::spawn(move || child.wake());
        // A poll racing the wake-up, by a task with another waker (the collection moved).
        queue.begin(&Context::from_waker(&second_waker));
        let polled = queue.next();
        producer.join().unwrap();
        if polled.is_none() {
            // Not seen by that poll: then the wake-up must reach the task that polled
            // last, and its next poll must see the child.
            assert!(second.0.load(Ordering::SeqCst) > 0, "lost wake-up");
            queue.begin(&Context::from_waker(&second_waker));
            assert_eq!(queue.next(), Some(0));
        }
        drop(first);
    });
}

#[test]
fn a_wake_up_racing_a_poll_with_the_same_waker_is_never_lost() {
    loom::model(|| {
        let (task, waker) = task();
        let mut queue = ReadyQueue::new();
        let child = polled_once(&mut queue, &waker);
        let producer = thread::spawn(move || child.wake_by_ref());
        queue.begin(&Context::from_waker(&waker));
        let polled = queue.next();
        producer.join().unwrap();
        if polled.is_none() {
            assert!(task.0.load(Ordering::SeqCst) > 0, "lost wake-up");
            queue.begin(&Context::from_waker(&waker));
            assert_eq!(queue.next(), Some(0));
        }
    });
}

#[test]
fn two_wakers_on_two_threads_wake_the_task_or_are_seen() {
    loom::model(|| {
        let (task, waker) = task();
        let mut queue = ReadyQueue::new();
        queue.mark(0, 0b11);
        let cx = Context::from_waker(&waker);
        queue.begin(&cx);
        assert_eq!(
            (queue.next(), queue.next(), queue.next()),
            (Some(0), Some(1), None)
        );
        let (a, b) = ((*queue.waker(0)).clone(), (*queue.waker(1)).clone());
        let threads = [
            thread::spawn(move || a.wake()),
            thread::spawn(move || b.wake()),
        ];
        for t in threads {
            t.join().unwrap();
        }
        assert!(task.0.load(Ordering::SeqCst) > 0, "nobody woke the task");
        queue.begin(&cx);
        let mut seen = [queue.next(), queue.next()];
        seen.sort();
        assert_eq!(seen, [Some(0), Some(1)]);
    });
}

#[test]
fn a_waker_woken_and_dropped_while_the_collection_is_dropped_is_harmless() {
    loom::model(|| {
        let (_task, waker) = task();
        let mut queue = ReadyQueue::new();
        let child = polled_once(&mut queue, &waker);
        let producer = thread::spawn(move || child.wake());
        drop(queue);
        producer.join().unwrap();
    });
}
