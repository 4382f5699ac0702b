//! Exact costs the benchmarks report, asserted: future sizes against tokio's for the
//! same children, and child polls per operation (they do not depend on machine noise).

use std::cell::Cell;
use std::future::{Future, ready};
use std::mem::size_of_val;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// A child with some state of its own.
async fn child(seed: u64) -> u64 {
    let buf = [seed as u8; 24];
    ready(()).await;
    buf.iter().map(|&b| u64::from(b)).sum()
}

fn size<F: Future>(f: &F) -> usize {
    size_of_val(f)
}

#[test]
fn join_future_is_no_larger_than_tokio_join() {
    let ours = size(&async { patience::join!(ready(1u64), child(2), child(3)) });
    let tokio = size(&async { tokio::join!(ready(1u64), child(2), child(3)) });
    assert!(ours <= tokio, "patience {ours} bytes, tokio {tokio} bytes");
}

#[test]
fn try_join_future_is_no_larger_than_tokio_try_join() {
    let ok = |n: u64| async move { Ok::<u64, ()>(child(n).await) };
    let ours = size(&async { patience::try_join!(ok(1), ok(2), ok(3)) });
    let tokio = size(&async { tokio::try_join!(ok(1), ok(2), ok(3)) });
    assert!(ours <= tokio, "patience {ours} bytes, tokio {tokio} bytes");
}

#[test]
fn select_future_is_no_larger_than_tokio_select() {
    let ours = size(&async {
        patience::select! {
            a = ready(1u64) => a,
            b = child(2) => b,
            c = child(3) => c,
        }
    });
    let tokio = size(&async {
        tokio::select! {
            a = ready(1u64) => a,
            b = child(2) => b,
            c = child(3) => c,
        }
    });
    assert!(ours <= tokio, "patience {ours} bytes, tokio {tokio} bytes");
}

thread_local! {
    static POLLS: Cell<u64> = const { Cell::new(0) };
}

/// Pending until `open`; counts polls; keeps the last waker it was given.
struct Gate<'a> {
    open: &'a Cell<bool>,
    waker: &'a Cell<Option<Waker>>,
}

impl Future for Gate<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        POLLS.with(|p| p.set(p.get() + 1));
        if self.open.get() {
            Poll::Ready(())
        } else {
            self.waker.set(Some(cx.waker().clone()));
            Poll::Pending
        }
    }
}

macro_rules! join_polls {
    ($join:path, [$($i:tt)*]) => {{
        let opens: Vec<Cell<bool>> = vec![$( { let _ = $i; Cell::new(false) } ),*];
        let wakers: Vec<Cell<Option<Waker>>> = vec![$( { let _ = $i; Cell::new(None) } ),*];
        POLLS.with(|p| p.set(0));
        let mut fut = pin!(async { $join!($( Gate { open: &opens[$i], waker: &wakers[$i] } ),*) });
        let mut cx = Context::from_waker(Waker::noop());
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        for i in 0..opens.len() {
            opens[i].set(true);
            if let Some(w) = wakers[i].take() {
                w.wake();
            }
            let done = fut.as_mut().poll(&mut cx).is_ready();
            assert_eq!(done, i + 1 == opens.len());
        }
        POLLS.with(|p| p.get())
    }};
}

#[test]
fn join_of_32_woken_one_at_a_time_makes_2k_child_polls_where_tokio_makes_560() {
    let ours = join_polls!(patience::join, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]);
    let tokio = join_polls!(tokio::join, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]);
    assert_eq!(ours, 64);
    assert_eq!(tokio, 560);
}

#[test]
fn join_of_2_polls_as_often_as_tokio() {
    assert_eq!(join_polls!(patience::join, [0 1]), 5);
    assert_eq!(join_polls!(tokio::join, [0 1]), 5);
}

/// Polls a select over gates (all pending), then opens and wakes gate `$woken` and polls
/// again: the select must finish with that gate's index. Returns the child polls made.
macro_rules! select_polls {
    ($select:path, [$($mode:tt)*], $woken:expr, [$($i:tt)*]) => {{
        let opens: Vec<Cell<bool>> = vec![$( { let _ = $i; Cell::new(false) } ),*];
        let wakers: Vec<Cell<Option<Waker>>> = vec![$( { let _ = $i; Cell::new(None) } ),*];
        POLLS.with(|p| p.set(0));
        let mut fut = pin!(async {
            $select! { $($mode)* $( () = Gate { open: &opens[$i], waker: &wakers[$i] } => $i, )* }
        });
        let mut cx = Context::from_waker(Waker::noop());
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        opens[$woken].set(true);
        wakers[$woken].take().expect("the gate kept a waker").wake();
        assert_eq!(fut.as_mut().poll(&mut cx), Poll::Ready($woken));
        POLLS.with(|p| p.get())
    }};
}

#[test]
fn select_of_32_pending_then_one_woken_makes_k_plus_1_child_polls_in_every_mode() {
    for woken in [0, 13, 31] {
        let fair = select_polls!(patience::select, [], woken, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]);
        let biased = select_polls!(patience::select, [biased;], woken, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]);
        let mut cursor = 5;
        let round_robin = select_polls!(patience::select, [round_robin(&mut cursor);], woken, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]);
        assert_eq!((fair, biased, round_robin), (33, 33, 33), "woken: {woken}");
        assert_eq!(cursor, woken + 1);
        // tokio's biased select polls every branch again up to the woken one.
        let tokio = select_polls!(tokio::select, [biased;], woken, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31]);
        assert_eq!(tokio, 32 + woken as u64 + 1);
    }
}

#[test]
fn select_of_8_polls_every_pending_branch_again_like_tokio() {
    // Below the per-branch-waker threshold: no allocation, and written order for biased.
    let ours = select_polls!(patience::select, [biased;], 5, [0 1 2 3 4 5 6 7]);
    let tokio = select_polls!(tokio::select, [biased;], 5, [0 1 2 3 4 5 6 7]);
    assert_eq!((ours, tokio), (14, 14));
}
