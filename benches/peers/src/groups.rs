//! The select and join groups: K children (gates), "hot" (one ready on the first poll,
//! branch `op % K`), "shuffled" (the same, with the ready branch in a pseudo-random
//! order) and "wake" (all pending, then one woken) for select, and "woken one at a time"
//! for join. Every peer races or joins the same children.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use futures::FutureExt as _;
use futures_concurrency::future::{Join as _, Race as _};

use crate::gate::{Gate, Slot, gate, poll_once, take_polls};
use crate::harness::{Case, Config, Row, measure};

/// Name of the reference row of the select and join groups.
pub const LIMIT: &str = "the limit: hand-written poll loop over an array";

/// Name of the second reference row of the "wake" select groups.
pub const FLOOR: &str = "the floor: K + 1 polls, hand-written per-child wakers";

/// How the children of a select behave.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Branch `op % K` is ready on the first poll.
    Hot,
    /// All pending on the first poll; then branch `op % K` is opened and woken.
    Wake,
    /// One branch ready on the first poll, as in `Hot`, but which one follows a fixed
    /// pseudo-random sequence instead of `op % K`, so no select's branch predictor can
    /// learn where the winner is (a periodic winner favours fixed-order selects).
    Shuffled,
}

impl Mode {
    /// Every mode, in the order of the report.
    pub const ALL: [Mode; 3] = [Mode::Hot, Mode::Shuffled, Mode::Wake];

    /// Words for titles.
    pub fn describe(self) -> &'static str {
        match self {
            Mode::Hot => "hot (one branch ready on the first poll)",
            Mode::Wake => "wake (all pending, then one woken)",
            Mode::Shuffled => "shuffled (one branch ready on the first poll, in a random order)",
        }
    }

    /// A file-name word.
    pub fn slug(self) -> &'static str {
        match self {
            Mode::Hot => "hot",
            Mode::Wake => "wake",
            Mode::Shuffled => "shuffled",
        }
    }

    /// The branch that is ready (or woken) in operation `op` of a select of `k`.
    fn winner(self, op: usize, k: usize) -> usize {
        match self {
            Mode::Hot | Mode::Wake => op % k,
            // A multiplicative hash of `op` (the same sequence for every peer), taking
            // the high bits, which are the well-mixed ones.
            Mode::Shuffled => ((op as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize % k,
        }
    }
}

/// Drives one select operation on `slots` and checks its answer.
fn drive_select<F: Future<Output = usize>>(slots: &[Slot], op: usize, mode: Mode, future: F) {
    let j = mode.winner(op, slots.len());
    for s in slots {
        s.reset();
    }
    if mode != Mode::Wake {
        slots[j].open();
    }
    let mut future = pin!(future);
    if mode == Mode::Wake {
        assert!(poll_once(future.as_mut()).is_pending());
        slots[j].open_and_wake();
    }
    match poll_once(future.as_mut()) {
        Poll::Ready(won) => assert_eq!(won, j),
        Poll::Pending => panic!("select did not finish"),
    }
}

/// Drives one join operation: every child pending, then woken one at a time.
fn drive_join<F: Future<Output = usize>>(slots: &[Slot], future: F) {
    for s in slots {
        s.reset();
    }
    let mut future = pin!(future);
    assert!(poll_once(future.as_mut()).is_pending());
    for (i, s) in slots.iter().enumerate() {
        s.open_and_wake();
        let polled = poll_once(future.as_mut());
        if i + 1 < slots.len() {
            assert!(polled.is_pending());
        } else {
            assert_eq!(polled, Poll::Ready(slots.len() * (slots.len() - 1) / 2));
        }
    }
}

async fn limit_select<const K: usize>(mut gates: [Gate<'_>; K]) -> usize {
    poll_fn(|cx| {
        for g in &mut gates {
            if let Poll::Ready(v) = Pin::new(g).poll(cx) {
                return Poll::Ready(v);
            }
        }
        Poll::Pending
    })
    .await
}

/// The child last woken through a [`floor_waker`] (`usize::MAX`: none).
static FLOOR_WOKEN: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The cheapest waker that tells which child was woken: its data is the child's index,
/// cloning and dropping do nothing, and waking is one relaxed store.
fn floor_waker(index: usize) -> Waker {
    fn clone(data: *const ()) -> RawWaker {
        RawWaker::new(data, &VTABLE)
    }
    fn wake(data: *const ()) {
        FLOOR_WOKEN.store(data.addr(), Ordering::Relaxed);
    }
    fn drop(_: *const ()) {}
    const VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);
    // SAFETY: the data pointer is never dereferenced (it is only an integer), and the
    // functions are trivially thread-safe.
    unsafe { Waker::from_raw(RawWaker::new(std::ptr::without_provenance(index), &VTABLE)) }
}

/// What a select that polls only woken children costs at the least: the first poll
/// polls every child with its own waker, a later poll only the child last woken. Not a
/// usable select (it ignores the task's waker and supports one wake-up per poll, on
/// this thread): a bound for "wake" mode, where any select must make K + 1 polls.
async fn floor_select<const K: usize>(mut gates: [Gate<'_>; K]) -> usize {
    let mut first = true;
    poll_fn(|_| {
        let poll = |g: &mut Gate<'_>, i: usize| {
            Pin::new(g).poll(&mut Context::from_waker(&floor_waker(i)))
        };
        if first {
            first = false;
            for (i, g) in gates.iter_mut().enumerate() {
                if let Poll::Ready(v) = poll(g, i) {
                    return Poll::Ready(v);
                }
            }
            return Poll::Pending;
        }
        let i = FLOOR_WOKEN.load(Ordering::Relaxed);
        FLOOR_WOKEN.store(usize::MAX, Ordering::Relaxed);
        match gates.get_mut(i) {
            Some(g) => poll(g, i),
            None => Poll::Pending,
        }
    })
    .await
}

fn limit_join<const K: usize>(gates: [Gate<'_>; K]) -> impl Future<Output = usize> + '_ {
    let mut gates = gates.map(|g| (g, None::<usize>));
    async move {
        poll_fn(|cx| {
            let mut pending = false;
            for (g, out) in &mut gates {
                if out.is_none() {
                    match Pin::new(g).poll(cx) {
                        Poll::Ready(v) => *out = Some(v),
                        Poll::Pending => pending = true,
                    }
                }
            }
            if pending {
                Poll::Pending
            } else {
                Poll::Ready(gates.iter().map(|(_, o)| o.unwrap()).sum())
            }
        })
        .await
    }
}

/// Adds one select case: `$make` builds the future from the slots `$s`.
macro_rules! select_case {
    ($cases:ident, $name:expr, $slots:ident, $mode:ident, |$s:ident| $make:expr) => {
        $cases.push(Case::new($name, |iters| {
            for op in 0..iters as usize {
                let $s = &$slots[..];
                drive_select($s, op, $mode, $make);
            }
            take_polls()
        }));
    };
}

macro_rules! select_group {
    ($slots:ident, $mode:ident, $config:ident, [$($i:tt)*]) => {{
        let mut cases = Vec::new();
        select_case!(cases, LIMIT, $slots, $mode, |s| limit_select([$( gate(&s[$i], $i), )*]));
        if $mode == Mode::Wake {
            select_case!(cases, FLOOR, $slots, $mode, |s| floor_select([$( gate(&s[$i], $i), )*]));
        }
        select_case!(cases, "tokio::select!", $slots, $mode, |s| async move {
            tokio::select! { $( v = gate(&s[$i], $i) => v, )* }
        });
        select_case!(cases, "tokio::select! biased", $slots, $mode, |s| async move {
            tokio::select! { biased; $( v = gate(&s[$i], $i) => v, )* }
        });
        select_case!(cases, "futures::select!", $slots, $mode, |s| async move {
            futures::select! { $( v = gate(&s[$i], $i).fuse() => v, )* }
        });
        select_case!(cases, "futures::select_biased!", $slots, $mode, |s| async move {
            futures::select_biased! { $( v = gate(&s[$i], $i).fuse() => v, )* }
        });
        select_case!(cases, "futures-concurrency race", $slots, $mode, |s| async move {
            [$( gate(&s[$i], $i), )*].race().await
        });
        crate::patience_rows::select!(cases, $slots, $mode, [$($i)*]);
        measure(&mut cases, $config)
    }};
}

/// Adds one join case: `$make` builds the future (output: the sum of the children's
/// outputs) from the slots `$s`.
macro_rules! join_case {
    ($cases:ident, $name:expr, $slots:ident, |$s:ident| $make:expr) => {
        $cases.push(Case::new($name, |iters| {
            for _ in 0..iters {
                let $s = &$slots[..];
                drive_join($s, $make);
            }
            take_polls()
        }));
    };
}

/// A join macro's tuple output, summed.
macro_rules! tuple_join {
    ($($join:ident)::+, $s:ident, [$($i:tt)*]) => {
        async move {
            let out = $($join)::+!($( gate(&$s[$i], $i), )*);
            [$( out.$i, )*].iter().sum()
        }
    };
}

macro_rules! join_group {
    ($slots:ident, $config:ident, [$($i:tt)*]) => {{
        let mut cases = Vec::new();
        join_case!(cases, LIMIT, $slots, |s| limit_join([$( gate(&s[$i], $i), )*]));
        join_case!(cases, "tokio::join!", $slots, |s| tuple_join!(tokio::join, s, [$($i)*]));
        join_case!(cases, "futures::join!", $slots, |s| tuple_join!(futures::join, s, [$($i)*]));
        join_case!(cases, "futures-concurrency join", $slots, |s| async move {
            [$( gate(&s[$i], $i), )*].join().await.iter().sum()
        });
        crate::patience_rows::join!(cases, $slots, [$($i)*]);
        measure(&mut cases, $config)
    }};
}

/// Runs the select group for K = 2, 8, 32 in every mode.
pub fn select(config: Config) -> Vec<(usize, Mode, Vec<Row>)> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let slots: Vec<Slot> = (0..2).map(|_| Slot::default()).collect();
        out.push((2, mode, select_group!(slots, mode, config, [0 1])));
        let slots: Vec<Slot> = (0..8).map(|_| Slot::default()).collect();
        out.push((
            8,
            mode,
            select_group!(slots, mode, config, [0 1 2 3 4 5 6 7]),
        ));
        let slots: Vec<Slot> = (0..32).map(|_| Slot::default()).collect();
        out.push((
            32,
            mode,
            select_group!(slots, mode, config, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]),
        ));
    }
    out
}

/// Runs the join group for K = 2, 8, 32, children woken one at a time.
pub fn join(config: Config) -> Vec<(usize, Vec<Row>)> {
    let mut out = Vec::new();
    let slots: Vec<Slot> = (0..2).map(|_| Slot::default()).collect();
    out.push((2, join_group!(slots, config, [0 1])));
    let slots: Vec<Slot> = (0..8).map(|_| Slot::default()).collect();
    out.push((8, join_group!(slots, config, [0 1 2 3 4 5 6 7])));
    let slots: Vec<Slot> = (0..32).map(|_| Slot::default()).collect();
    out.push((
        32,
        join_group!(slots, config, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]),
    ));
    out
}
