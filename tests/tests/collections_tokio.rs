//! The collections on tokio: a child that always wakes itself does not starve a sibling
//! task, and children that use tokio's cooperative budget cost a linear number of polls
//! (the bug `FuturesUnordered` had, futures-rs #2526: quadratic under the budget).

#[allow(dead_code)] // Each test file uses part of the helpers.
mod collections_support;

use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use collections_support::scaled;
use patience::FutureSet;

/// `future`, counting its polls in `polls`.
fn counted<'a, F: Future + 'a>(
    polls: &'a Cell<usize>,
    future: F,
) -> impl Future<Output = F::Output> + 'a {
    let mut future = Box::pin(future);
    poll_fn(move |cx| {
        polls.set(polls.get() + 1);
        future.as_mut().poll(cx)
    })
}

/// Gives up after this many polls: a starved sibling shows as a failed assertion, not
/// a hang.
const GIVE_UP: usize = 10_000;

#[tokio::test(flavor = "current_thread")]
async fn a_child_that_always_wakes_itself_does_not_starve_a_sibling_task() {
    let flag = Arc::new(AtomicBool::new(false));
    let sibling = Cell::new(None);
    let spins = Cell::new(0);
    let spinner = poll_fn(|cx| {
        spins.set(spins.get() + 1);
        if spins.get() == 1 {
            // Spawned from inside the join's first poll, so it cannot have run before.
            let set_flag = flag.clone();
            sibling.set(Some(tokio::spawn(async move {
                set_flag.store(true, Ordering::SeqCst);
            })));
        }
        if flag.load(Ordering::SeqCst) || spins.get() >= GIVE_UP {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    });
    let spinner: Pin<Box<dyn Future<Output = ()>>> = Box::pin(spinner);
    patience::select_all([spinner, Box::pin(std::future::pending())]).await;
    assert!(spins.get() < GIVE_UP, "the sibling task never ran");
    // One poll before the sibling ran, one after: the select yielded in between.
    assert_eq!(spins.get(), 2);
    sibling.take().expect("spawned").await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn join_all_of_children_using_tokios_budget_polls_each_once() {
    // Each child spends one unit of the task's budget (128 per task poll). A join that
    // polled every ready child in one poll would exhaust it and poll most children
    // again and again (about n * n / 256 polls: 390,000 for n = 10,000).
    let n = scaled(10_000);
    let polls = Cell::new(0);
    let children = (0..n).map(|_| counted(&polls, tokio::task::coop::consume_budget()));
    let outputs = patience::join_all(children).await;
    assert_eq!(outputs.len(), n);
    assert_eq!(polls.get(), n, "each child ready on its first poll");
}

#[tokio::test(flavor = "current_thread")]
async fn a_future_set_drained_under_tokios_budget_makes_a_linear_number_of_polls() {
    // Draining with `next` in a loop keeps using the same task poll (and budget) while
    // outputs come; once the budget is out, children return `Pending`, and the set polls
    // at most one round of them (32) before it yields and the budget is renewed.
    let n = scaled(10_000);
    let polls = Cell::new(0);
    let mut set: FutureSet<_> = (0..n)
        .map(|_| counted(&polls, tokio::task::coop::consume_budget()))
        .collect();
    let mut finished = 0;
    while set.next().await.is_some() {
        finished += 1;
    }
    assert_eq!(finished, n);
    // 128 outputs per task poll, then at most 32 wasted polls: n + n / 4.
    assert!(
        polls.get() <= n + n / 4 + 32,
        "{} polls for {n} children",
        polls.get()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn join_all_limited_under_tokios_budget_makes_a_linear_number_of_polls() {
    let n = scaled(10_000);
    let polls = Cell::new(0);
    let children = (0..n).map(|_| counted(&polls, tokio::task::coop::consume_budget()));
    let outputs = patience::join_all_limited(children, 1000).await;
    assert_eq!(outputs.len(), n);
    assert_eq!(polls.get(), n);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore = "tokio's timer driver is too slow under Miri")]
async fn collections_of_tokio_timers_finish_on_a_multi_thread_runtime() {
    let sleeps = (0..2000u64).map(|i| async move {
        tokio::time::sleep(Duration::from_millis(i % 20)).await;
        i
    });
    let outputs = patience::join_all(sleeps).await;
    assert_eq!(outputs, (0..2000).collect::<Vec<_>>());

    // The set is `Send`: it may move between the runtime's threads.
    let handle = tokio::spawn(async {
        let mut set: FutureSet<_> = (0..500u64)
            .map(|i| tokio::time::sleep(Duration::from_millis(i % 7)))
            .collect();
        let mut count = 0;
        while set.next().await.is_some() {
            count += 1;
        }
        count
    });
    assert_eq!(handle.await.unwrap(), 500);

    let limited = (0..300u64).map(|i| async move {
        tokio::time::sleep(Duration::from_millis(i % 3)).await;
        i
    });
    let total: u64 = patience::join_all_limited(limited, 16)
        .await
        .into_iter()
        .sum();
    assert_eq!(total, 300 * 299 / 2);
}
