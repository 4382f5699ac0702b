//! The block_on group: a ready future, a future that yields 1,000 times, and a
//! cross-thread wake round trip.

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use crate::harness::{Case, Config, Row, measure};

/// Name of the reference row of the block_on group.
pub const REFERENCE: &str = "reference: thread-park block_on";

/// The reference: the smallest correct thread-parking `block_on` (one `Arc` per call).
pub fn park_block_on<F: Future>(future: F) -> F::Output {
    struct Unparker(Thread);
    impl Wake for Unparker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unparker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        thread::park();
    }
}

/// Pending `left` times, waking itself each time; counts its polls.
struct Yield {
    left: u32,
    polls: u64,
}

impl Future for Yield {
    type Output = u64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        self.polls += 1;
        if self.left == 0 {
            return Poll::Ready(self.polls);
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Set by the helper thread just before it wakes a `RoundTrip`.
static WOKEN: AtomicBool = AtomicBool::new(false);

/// Hands its waker to another thread and stays pending until that thread has woken it.
struct RoundTrip<'a> {
    to_helper: &'a mpsc::Sender<Waker>,
    polls: u64,
}

impl Future for RoundTrip<'_> {
    type Output = u64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        self.polls += 1;
        if self.polls == 1 {
            WOKEN.store(false, Ordering::SeqCst);
            self.to_helper.send(cx.waker().clone()).unwrap();
            return Poll::Pending;
        }
        if WOKEN.load(Ordering::SeqCst) {
            Poll::Ready(self.polls)
        } else {
            Poll::Pending
        }
    }
}

macro_rules! block_on_cases {
    ($cases:ident, $tokio:ident, |$i:ident| $make:expr) => {
        $cases.push(Case::new(REFERENCE, |iters| {
            let mut polls = 0;
            for $i in 0..iters {
                polls += park_block_on($make);
            }
            polls
        }));
        $cases.push(Case::new("patience::block_on", |iters| {
            let mut polls = 0;
            for $i in 0..iters {
                polls += patience::block_on($make);
            }
            polls
        }));
        $cases.push(Case::new("futures::executor::block_on", |iters| {
            let mut polls = 0;
            for $i in 0..iters {
                polls += futures::executor::block_on($make);
            }
            polls
        }));
        $cases.push(Case::new("pollster::block_on", |iters| {
            let mut polls = 0;
            for $i in 0..iters {
                polls += pollster::block_on($make);
            }
            polls
        }));
        $cases.push(Case::new("tokio current_thread block_on", |iters| {
            let mut polls = 0;
            for $i in 0..iters {
                polls += $tokio.block_on($make);
            }
            polls
        }));
    };
}

/// Runs the group; returns (title, rows) per case kind.
pub fn run(config: Config) -> Vec<(String, Vec<Row>)> {
    let tokio_rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut out = Vec::new();

    let mut cases = Vec::new();
    block_on_cases!(cases, tokio_rt, |_i| std::future::ready(1u64));
    out.push((
        "block_on: ready future".to_owned(),
        measure(&mut cases, config),
    ));
    drop(cases);

    let mut cases = Vec::new();
    block_on_cases!(cases, tokio_rt, |_i| Yield {
        left: 1000,
        polls: 0
    });
    out.push((
        "block_on: a future that yields 1,000 times (per block_on)".to_owned(),
        measure(&mut cases, config),
    ));
    drop(cases);

    let (to_helper, wakers) = mpsc::channel::<Waker>();
    let helper = thread::spawn(move || {
        for waker in wakers {
            WOKEN.store(true, Ordering::SeqCst);
            waker.wake();
        }
    });
    let mut cases = Vec::new();
    block_on_cases!(cases, tokio_rt, |_i| RoundTrip {
        to_helper: &to_helper,
        polls: 0
    });
    out.push((
        "block_on: cross-thread wake round trip".to_owned(),
        measure(&mut cases, config),
    ));
    drop(cases);
    drop(to_helper);
    helper.join().unwrap();
    out
}
