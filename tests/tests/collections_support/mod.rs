//! Helpers for the collections suites: gates opened by hand that count their polls and
//! drops, a counting task waker, and a deterministic shuffle.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use futures::task::{ArcWake, waker};

/// Scales a count down under Miri, which is slow.
pub fn scaled(n: usize) -> usize {
    if cfg!(miri) { (n / 50).max(8) } else { n }
}

#[derive(Default)]
struct GateState {
    open: bool,
    waker: Option<Waker>,
    polls: usize,
    drops: usize,
}

/// `n` gates: futures pending until opened, each recording its polls and drops.
#[derive(Clone)]
pub struct Board(Rc<RefCell<Vec<GateState>>>);

impl Board {
    pub fn new(n: usize) -> Board {
        Board(Rc::new(RefCell::new(
            (0..n).map(|_| GateState::default()).collect(),
        )))
    }

    /// A future that outputs `i` once gate `i` is open.
    pub fn gate(&self, i: usize) -> Gate {
        Gate {
            i,
            board: self.clone(),
        }
    }

    /// Opens gate `i` and wakes the waker its last poll left (if any).
    pub fn open(&self, i: usize) {
        let waker = {
            let mut gates = self.0.borrow_mut();
            gates[i].open = true;
            gates[i].waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// A clone of the waker gate `i` was last polled with.
    pub fn waker_of(&self, i: usize) -> Waker {
        self.0.borrow()[i].waker.clone().expect("gate was polled")
    }

    pub fn polls_of(&self, i: usize) -> usize {
        self.0.borrow()[i].polls
    }

    pub fn total_polls(&self) -> usize {
        self.0.borrow().iter().map(|g| g.polls).sum()
    }

    /// Gates dropped so far, each counted once per drop.
    pub fn drops(&self) -> Vec<usize> {
        self.0.borrow().iter().map(|g| g.drops).collect()
    }
}

pub struct Gate {
    i: usize,
    board: Board,
}

impl Gate {
    pub fn index(&self) -> usize {
        self.i
    }
}

impl Future for Gate {
    type Output = usize;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let mut gates = self.board.0.borrow_mut();
        let gate = &mut gates[self.i];
        gate.polls += 1;
        if gate.open {
            return Poll::Ready(self.i);
        }
        match &gate.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => gate.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.board.0.borrow_mut()[self.i].drops += 1;
    }
}

/// Counts wake-ups of a task.
#[derive(Default)]
pub struct WakeCount(AtomicUsize);

impl ArcWake for WakeCount {
    fn wake_by_ref(count: &Arc<Self>) {
        count.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl WakeCount {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Polls a future by hand with a waker that counts its wake-ups.
pub struct Driver<F> {
    pub future: Pin<Box<F>>,
    pub wakes: Arc<WakeCount>,
    waker: Waker,
}

impl<F: Future> Driver<F> {
    pub fn new(future: F) -> Self {
        let wakes = Arc::new(WakeCount::default());
        Driver {
            future: Box::pin(future),
            waker: waker(wakes.clone()),
            wakes,
        }
    }

    pub fn poll(&mut self) -> Poll<F::Output> {
        self.future
            .as_mut()
            .poll(&mut Context::from_waker(&self.waker))
    }

    /// Polls until the future finishes or stops waking its task; returns the output if
    /// it finished.
    pub fn poll_until_idle(&mut self) -> Option<F::Output> {
        loop {
            let before = self.wakes.get();
            if let Poll::Ready(out) = self.poll() {
                return Some(out);
            }
            if self.wakes.get() == before {
                return None;
            }
        }
    }
}

/// `0..n` in a shuffled order, the same on every run (splitmix64 draws).
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut draw = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (draw() % (i as u64 + 1)) as usize);
    }
    order
}
