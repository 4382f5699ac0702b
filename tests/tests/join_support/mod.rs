//! Test helpers for the `join!` suites: gates opened by hand, drop flags, and a driver
//! that polls a future with a waker that counts its wake-ups.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

/// A set of `Gate` futures, each pending until opened by hand, that record how and when
/// they are polled.
#[derive(Clone)]
pub struct Board(Rc<RefCell<BoardState>>);

struct BoardState {
    open: Vec<bool>,
    wakers: Vec<Option<Waker>>,
    polls: Vec<usize>,
    log: Vec<usize>,
    finished: Vec<usize>,
}

impl Board {
    pub fn new(count: usize) -> Board {
        Board(Rc::new(RefCell::new(BoardState {
            open: vec![false; count],
            wakers: vec![None; count],
            polls: vec![0; count],
            log: Vec::new(),
            finished: Vec::new(),
        })))
    }

    /// A future that outputs `i` once gate `i` is opened.
    pub fn gate(&self, i: usize) -> Gate {
        Gate {
            i,
            board: self.clone(),
        }
    }

    /// Opens gate `i` and wakes the waker its last poll left.
    pub fn open(&self, i: usize) {
        let waker = {
            let mut state = self.0.borrow_mut();
            state.open[i] = true;
            state.wakers[i].take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Wakes gate `i`'s waker without opening it (a spurious wake-up).
    pub fn wake_only(&self, i: usize) {
        let waker = self.0.borrow().wakers[i].clone();
        waker.expect("gate was polled").wake();
    }

    /// A clone of the waker gate `i` was last polled with.
    pub fn waker_of(&self, i: usize) -> Waker {
        self.0.borrow().wakers[i].clone().expect("gate was polled")
    }

    /// Gate indices in the order they were polled.
    pub fn poll_log(&self) -> Vec<usize> {
        self.0.borrow().log.clone()
    }

    /// Like `poll_log`, then clears it.
    pub fn take_poll_log(&self) -> Vec<usize> {
        std::mem::take(&mut self.0.borrow_mut().log)
    }

    /// Gate indices in the order they finished.
    pub fn finish_order(&self) -> Vec<usize> {
        self.0.borrow().finished.clone()
    }

    /// How often gate `i` was polled.
    pub fn polls_of(&self, i: usize) -> usize {
        self.0.borrow().polls[i]
    }

    /// How often all gates together were polled.
    pub fn total_polls(&self) -> usize {
        self.0.borrow().polls.iter().sum()
    }
}

pub struct Gate {
    i: usize,
    board: Board,
}

impl Future for Gate {
    type Output = usize;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let mut state = self.board.0.borrow_mut();
        let i = self.i;
        state.polls[i] += 1;
        state.log.push(i);
        if state.open[i] {
            state.finished.push(i);
            return Poll::Ready(i);
        }
        match &state.wakers[i] {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => state.wakers[i] = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

/// Observes whether a value was dropped: hand out `guard()`s, ask `is_set()`.
#[derive(Clone, Default)]
pub struct DropFlag(Rc<Cell<bool>>);

impl DropFlag {
    pub fn guard(&self) -> DropGuard {
        DropGuard(self.0.clone())
    }

    pub fn is_set(&self) -> bool {
        self.0.get()
    }
}

pub struct DropGuard(Rc<Cell<bool>>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// Counts wake-ups of a task.
#[derive(Default)]
pub struct WakeCount(AtomicUsize);

impl Wake for WakeCount {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl WakeCount {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Polls one boxed future by hand with a waker that counts wake-ups.
pub struct Driver<'a, T> {
    future: Pin<Box<dyn Future<Output = T> + 'a>>,
    pub wakes: Arc<WakeCount>,
}

impl<'a, T> Driver<'a, T> {
    pub fn new(future: impl Future<Output = T> + 'a) -> Self {
        Driver {
            future: Box::pin(future),
            wakes: Arc::default(),
        }
    }

    pub fn poll(&mut self) -> Poll<T> {
        let waker = Waker::from(self.wakes.clone());
        self.poll_with(&waker)
    }

    pub fn poll_with(&mut self, waker: &Waker) -> Poll<T> {
        self.future.as_mut().poll(&mut Context::from_waker(waker))
    }
}
