//! Model checks of the waker blocks: `RUSTFLAGS="--cfg patience_loom" cargo test -p
//! patience --lib --release loom`.

use super::*;
use crate::block_on::Signal;
use loom::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::vec::Vec;

/// A select of two children on this thread, completed by two other threads that each
/// publish their child's value (a relaxed store) and wake the child's waker. The select
/// parks between polls (as `block_on` does) and polls only woken children: if a
/// wake-up were lost, or a woken flag drained without its child's value becoming
/// visible, it would park for good and loom would report the deadlock.
#[test]
fn loom_child_wake_ups_from_two_threads_are_never_lost() {
    loom::model(|| {
        let signal = Arc::new(Signal::new());
        let waker = Waker::from(signal.clone());
        let cx = Context::from_waker(&waker);
        let ready = loom::sync::Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
        let mut wakers = ChildWakers::<2, 1>::new();
        let mut done = [false; 2];
        let mut threads = Vec::new();
        loop {
            let mut woken = wakers.drain(&cx);
            if threads.is_empty() {
                for i in 0..2 {
                    let child = (*woken.waker(i)).clone();
                    let ready = ready.clone();
                    threads.push(loom::thread::spawn(move || {
                        ready[i].store(true, Ordering::Relaxed);
                        child.wake();
                    }));
                }
            }
            for (i, done) in done.iter_mut().enumerate() {
                if woken.contains(i) && ready[i].load(Ordering::Relaxed) {
                    *done = true;
                }
            }
            if done == [true; 2] {
                break;
            }
            woken.before_pending();
            drop(woken);
            signal.wait();
        }
        for thread in threads {
            thread.join().unwrap();
        }
    });
}

/// The select moves to another task between polls (a new task waker), while a child
/// wakes on another thread: the wake-up reaches one of the two tasks' wakers and the
/// select, polled by the new task, sees the child.
#[test]
fn loom_a_wake_up_during_a_change_of_task_waker_reaches_the_select() {
    loom::model(|| {
        let first = Arc::new(Signal::new());
        let second = Arc::new(Signal::new());
        let (first_waker, second_waker) = (Waker::from(first.clone()), Waker::from(second.clone()));
        let ready = loom::sync::Arc::new(AtomicBool::new(false));
        let mut wakers = ChildWakers::<1, 1>::new();
        let first_cx = Context::from_waker(&first_waker);
        let mut woken = wakers.drain(&first_cx);
        let child = (*woken.waker(0)).clone();
        woken.before_pending();
        drop(woken);
        let thread = {
            let ready = ready.clone();
            loom::thread::spawn(move || {
                ready.store(true, Ordering::Relaxed);
                child.wake();
            })
        };
        // From now on the select is polled with the second task's waker.
        let cx = Context::from_waker(&second_waker);
        loop {
            let mut woken = wakers.drain(&cx);
            if woken.contains(0) && ready.load(Ordering::Relaxed) {
                break;
            }
            woken.before_pending();
            drop(woken);
            second.wait();
        }
        thread.join().unwrap();
    });
}
