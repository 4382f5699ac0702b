//! Behaviour of `join_all`, `try_join_all`, `select_all`, `FutureSet` and the bounded
//! forms: exact child polls, outputs and their order, drops on early return, pushes
//! while driven, limits and the yield rule.

#[allow(dead_code)] // Each test file uses part of the helpers.
mod collections_support;

use std::cell::Cell;
use std::future::{Future, pending, poll_fn, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::Poll;

use collections_support::{Board, Driver, scaled, shuffled};
use futures::StreamExt as _;
use patience::FutureSet;

/// Opens every gate in `order`, polling after each; returns the output and the total
/// child polls. The first poll must leave every child pending.
fn woken_one_at_a_time<F: Future>(board: &Board, future: F, order: &[usize]) -> (F::Output, usize) {
    let mut driver = Driver::new(future);
    assert!(driver.poll_until_idle().is_none());
    let mut output = None;
    for (k, &i) in order.iter().enumerate() {
        board.open(i);
        output = driver.poll_until_idle();
        assert_eq!(
            output.is_some(),
            k + 1 == order.len(),
            "finished early or late"
        );
    }
    (output.expect("finished"), board.total_polls())
}

#[test]
fn join_all_of_n_woken_one_at_a_time_in_random_order_makes_2n_child_polls() {
    let n = scaled(2000);
    let board = Board::new(n);
    let order = shuffled(n, 7);
    let (out, polls) = woken_one_at_a_time(
        &board,
        patience::join_all((0..n).map(|i| board.gate(i))),
        &order,
    );
    assert_eq!(out, (0..n).collect::<Vec<_>>(), "outputs in input order");
    assert_eq!(polls, 2 * n);
}

#[test]
fn join_all_woken_in_order_makes_2n_child_polls_and_wakes_the_task_once_per_wake() {
    let n = scaled(1000);
    let board = Board::new(n);
    let mut driver = Driver::new(patience::join_all((0..n).map(|i| board.gate(i))));
    assert!(driver.poll_until_idle().is_none());
    let first_poll_wakes = driver.wakes.get();
    for i in 0..n {
        board.open(i);
        let out = driver.poll_until_idle();
        assert_eq!(out.is_some(), i + 1 == n);
    }
    assert_eq!(board.total_polls(), 2 * n);
    assert_eq!(driver.wakes.get() - first_poll_wakes, n);
}

#[test]
fn try_join_all_of_n_woken_in_random_order_makes_2n_child_polls() {
    let n = scaled(1000);
    let board = Board::new(n);
    let order = shuffled(n, 11);
    let futures = (0..n).map(|i| {
        let gate = board.gate(i);
        async move { Ok::<_, ()>(gate.await) }
    });
    let (out, polls) = woken_one_at_a_time(&board, patience::try_join_all(futures), &order);
    assert_eq!(out, Ok((0..n).collect::<Vec<_>>()));
    assert_eq!(polls, 2 * n);
}

#[test]
fn future_set_of_n_woken_in_random_order_makes_2n_child_polls_in_completion_order() {
    let n = scaled(1000);
    let board = Board::new(n);
    let order = shuffled(n, 13);
    let set: FutureSet<_> = (0..n).map(|i| board.gate(i)).collect();
    let collect = async move {
        let mut set = set;
        let mut outputs = Vec::new();
        while let Some(i) = set.next().await {
            outputs.push(i);
        }
        outputs
    };
    let (out, polls) = woken_one_at_a_time(&board, collect, &order);
    assert_eq!(out, order, "outputs in completion order");
    assert_eq!(polls, 2 * n);
}

#[test]
fn select_all_polls_every_child_once_then_only_the_woken_one() {
    let n = scaled(500);
    let board = Board::new(n);
    let futures: Vec<_> = (0..n).map(|i| Box::pin(board.gate(i))).collect();
    let mut driver = Driver::new(patience::select_all(futures));
    assert!(driver.poll_until_idle().is_none());
    assert_eq!(board.total_polls(), n);
    let winner = n / 3;
    board.open(winner);
    let (out, index, rest) = driver.poll_until_idle().expect("finished");
    assert_eq!((out, index), (winner, winner));
    assert_eq!(board.total_polls(), n + 1);
    // The rest in input order, the last one in the winner's place (as `swap_remove`).
    let mut expected: Vec<usize> = (0..n).collect();
    expected.swap_remove(winner);
    assert_eq!(rest.iter().map(|g| g.index()).collect::<Vec<_>>(), expected);
    // The winner was dropped; the others are in `rest`.
    let drops = board.drops();
    assert_eq!(drops[winner], 1);
    assert_eq!(drops.iter().sum::<usize>(), 1);
    drop(rest);
    assert!(board.drops().iter().all(|&d| d == 1));
}

#[test]
fn select_all_first_poll_finishes_at_the_first_ready_child_in_input_order() {
    let polled = Cell::new(0);
    let child = |ready_now: bool| {
        let polled = &polled;
        Box::pin(poll_fn(move |_| {
            polled.set(polled.get() + 1);
            if ready_now {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }))
    };
    let futures = vec![child(false), child(false), child(true), child(true)];
    let ((), index, rest) = patience::block_on(patience::select_all(futures));
    assert_eq!((index, rest.len(), polled.get()), (2, 3, 3));
}

#[test]
#[should_panic(expected = "at least one future")]
fn select_all_of_nothing_panics() {
    drop(patience::select_all(Vec::<std::future::Ready<()>>::new()));
}

#[test]
fn empty_joins_finish_on_the_first_poll() {
    let none = || std::iter::empty::<std::future::Ready<Result<u8, ()>>>();
    assert_eq!(patience::block_on(patience::join_all(none())), vec![]);
    assert_eq!(
        patience::block_on(patience::try_join_all(none())),
        Ok(vec![])
    );
    assert_eq!(
        patience::block_on(patience::join_all_limited(none(), 3)),
        vec![]
    );
    let mut set = FutureSet::<std::future::Ready<()>>::new();
    assert_eq!(patience::block_on(set.next()), None);
}

#[test]
fn try_join_all_error_drops_every_other_child_exactly_once_before_returning() {
    let n = scaled(300);
    let board = Board::new(n);
    let failing = n / 2;
    let futures = (0..n).map(|i| {
        let gate = board.gate(i);
        async move {
            let i = gate.await;
            if i == failing { Err(i) } else { Ok(i) }
        }
    });
    let mut driver = Driver::new(patience::try_join_all(futures));
    assert!(driver.poll_until_idle().is_none());
    // Some finish with Ok first (their gates are dropped as they finish).
    for i in 0..failing / 2 {
        board.open(i);
    }
    assert!(driver.poll_until_idle().is_none());
    board.open(failing);
    let out = driver.poll_until_idle().expect("finished at the error");
    assert_eq!(out, Err(failing));
    assert!(
        board.drops().iter().all(|&d| d == 1),
        "each gate dropped once, before the error was returned"
    );
    drop(driver);
    assert!(board.drops().iter().all(|&d| d == 1));
}

/// Makes a future driving a collection over a board's gates.
type Make<'a> = dyn Fn(&Board) -> Pin<Box<dyn Future<Output = ()> + '_>> + 'a;

#[test]
fn dropping_collections_midway_drops_every_child_exactly_once() {
    let n = scaled(300);
    let order = shuffled(n, 3);
    let check = |make: &Make<'_>| {
        let board = Board::new(n);
        let mut driver = Driver::new(make(&board));
        assert!(driver.poll_until_idle().is_none());
        for &i in &order[..n / 2] {
            board.open(i);
            assert!(driver.poll_until_idle().is_none());
        }
        drop(driver);
        assert!(board.drops().iter().all(|&d| d == 1), "{:?}", board.drops());
    };
    check(&|b| Box::pin(async move { drop(patience::join_all((0..n).map(|i| b.gate(i))).await) }));
    check(&|b| {
        Box::pin(async move {
            let mut set: FutureSet<_> = (0..n).map(|i| b.gate(i)).collect();
            while set.next().await.is_some() {}
        })
    });
    check(&|b| {
        Box::pin(
            async move { drop(patience::join_all_limited((0..n).map(|i| b.gate(i)), n).await) },
        )
    });
}

#[test]
fn a_panicking_child_leaves_every_child_dropped_exactly_once() {
    let n = scaled(200);
    let board = Board::new(n);
    let panicking = n / 4;
    let futures = (0..n).map(|i| {
        let gate = board.gate(i);
        async move {
            let i = gate.await;
            assert_ne!(i, panicking, "child panics");
            i
        }
    });
    let mut set: FutureSet<_> = futures.collect();
    let mut driver = Driver::new(poll_fn(|cx| set.poll_next_unpin(cx)));
    assert!(driver.poll_until_idle().is_none());
    board.open(panicking);
    let panicked = catch_unwind(AssertUnwindSafe(|| driver.poll()));
    assert!(panicked.is_err());
    drop(driver);
    assert_eq!(set.len(), n, "the panicking child is still counted");
    drop(set);
    assert!(board.drops().iter().all(|&d| d == 1), "{:?}", board.drops());

    // The same through join_all.
    let board = Board::new(n);
    let futures = (0..n).map(|i| {
        let gate = board.gate(i);
        async move {
            let i = gate.await;
            assert_ne!(i, panicking, "child panics");
            i
        }
    });
    let mut driver = Driver::new(patience::join_all(futures));
    assert!(driver.poll_until_idle().is_none());
    board.open(panicking);
    assert!(catch_unwind(AssertUnwindSafe(|| driver.poll())).is_err());
    drop(driver);
    assert!(board.drops().iter().all(|&d| d == 1), "{:?}", board.drops());
}

#[test]
fn future_set_accepts_pushes_between_polls_and_reuses_slots() {
    let board = Board::new(5);
    let mut set = FutureSet::new();
    set.push(board.gate(0));
    set.push(board.gate(1));
    let mut driver = Driver::new(async {
        let mut got = Vec::new();
        // Pushing from the loop body, while the set is being driven.
        while let Some(i) = set.next().await {
            got.push(i);
            if i == 1 {
                set.push(board.gate(2));
                set.push(board.gate(3));
            }
            if i == 3 {
                set.push(board.gate(4));
            }
        }
        got
    });
    assert!(driver.poll_until_idle().is_none());
    board.open(1);
    assert!(driver.poll_until_idle().is_none());
    assert_eq!(
        board.polls_of(2) + board.polls_of(3),
        2,
        "new children polled by the same poll"
    );
    for i in [3, 0, 4] {
        board.open(i);
        assert!(driver.poll_until_idle().is_none());
    }
    // 2 reused the slot 1 left, 4 the one 3 left: five gates in three slots.
    board.open(2);
    assert_eq!(driver.poll_until_idle(), Some(vec![1, 3, 0, 4, 2]));
}

#[test]
fn future_set_len_and_termination_follow_futures_unordered() {
    use futures_core::stream::FusedStream;
    let mut set = FutureSet::new();
    assert!(!set.is_terminated());
    assert_eq!(patience::block_on(set.next()), None::<u8>);
    assert!(set.is_terminated());
    set.push(ready(5));
    assert!(!set.is_terminated());
    assert_eq!((set.len(), set.is_empty()), (1, false));
    assert_eq!(patience::block_on(set.next()), Some(5));
    assert_eq!((set.len(), set.is_empty()), (0, true));
    set.push(ready(6));
    set.clear();
    assert!(set.is_empty());
    assert_eq!(patience::block_on(set.next()), None);
}

#[test]
fn a_poll_polls_at_most_32_children_then_wakes_its_task() {
    let polls = Cell::new(0);
    let children = (0..100).map(|i| {
        let polls = &polls;
        poll_fn(move |_| {
            polls.set(polls.get() + 1);
            Poll::Ready(i)
        })
    });
    let mut driver = Driver::new(patience::join_all(children));
    assert!(driver.poll().is_pending());
    assert_eq!((polls.get(), driver.wakes.get()), (32, 1));
    assert!(driver.poll().is_pending());
    assert_eq!((polls.get(), driver.wakes.get()), (64, 2));
    assert!(driver.poll().is_pending());
    assert_eq!(driver.poll(), Poll::Ready((0..100).collect()));
    assert_eq!(polls.get(), 100);
}

#[test]
fn a_child_that_always_wakes_itself_is_polled_once_per_poll() {
    let spins = Cell::new(0);
    let spinner = poll_fn(|cx| {
        spins.set(spins.get() + 1);
        cx.waker().wake_by_ref();
        Poll::<usize>::Pending
    });
    let mut set = FutureSet::new();
    set.push(Box::pin(spinner) as Pin<Box<dyn Future<Output = usize>>>);
    set.push(Box::pin(pending()));
    let mut driver = Driver::new(poll_fn(|cx| set.poll_next_unpin(cx)));
    for round in 1..=5 {
        assert!(driver.poll().is_pending());
        assert_eq!(spins.get(), round);
        // Its wake-up woke the task (through the set), so the executor polls again.
        assert_eq!(driver.wakes.get(), round);
    }
}

#[test]
fn limited_forms_never_have_more_than_the_limit_alive() {
    struct Alive<'a> {
        alive: &'a Cell<usize>,
        polls_left: usize,
        value: usize,
    }
    impl Future for Alive<'_> {
        type Output = usize;
        fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<usize> {
            if self.polls_left == 0 {
                return Poll::Ready(self.value);
            }
            self.polls_left -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
    impl Drop for Alive<'_> {
        fn drop(&mut self) {
            self.alive.set(self.alive.get() - 1);
        }
    }
    let (alive, most) = (Cell::new(0), Cell::new(0));
    let make = |i: usize| {
        alive.set(alive.get() + 1);
        most.set(most.get().max(alive.get()));
        Alive {
            alive: &alive,
            polls_left: i % 7,
            value: i,
        }
    };
    let n = scaled(1000);
    let out = patience::block_on(patience::join_all_limited((0..n).map(make), 10));
    assert_eq!(out, (0..n).collect::<Vec<_>>());
    assert_eq!((most.get(), alive.get()), (10, 0));

    most.set(0);
    let total = patience::block_on(async {
        let mut stream = patience::buffer_unordered((0..n).map(make), 7);
        let mut total = 0;
        while let Some(i) = stream.next().await {
            total += i;
        }
        total
    });
    assert_eq!(total, n * (n - 1) / 2);
    assert_eq!((most.get(), alive.get()), (7, 0));

    // A set with a limit: pushed futures exist, but at most 5 are polled at once.
    let running = Cell::new(0);
    let most_running = Cell::new(0);
    let job = |i: usize| {
        let (running, most_running) = (&running, &most_running);
        let mut started = false;
        poll_fn(move |cx| {
            if !started {
                started = true;
                running.set(running.get() + 1);
                most_running.set(most_running.get().max(running.get()));
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            running.set(running.get() - 1);
            Poll::Ready(i)
        })
    };
    let mut set = FutureSet::with_limit(5);
    set.extend((0..n).map(job));
    assert_eq!(set.len(), n);
    let finished = patience::block_on(async {
        let mut count = 0;
        while set.next().await.is_some() {
            count += 1;
        }
        count
    });
    assert_eq!((finished, most_running.get()), (n, 5));
}

#[test]
fn outputs_come_back_in_input_order_from_join_all_limited_whatever_the_finish_order() {
    let n = scaled(400);
    let board = Board::new(n);
    // Limit n: every child alive, so the gates can be opened in any order.
    let order = shuffled(n, 5);
    let (out, polls) = woken_one_at_a_time(
        &board,
        patience::join_all_limited((0..n).map(|i| board.gate(i)), n),
        &order,
    );
    assert_eq!(out, (0..n).collect::<Vec<_>>());
    assert_eq!(polls, 2 * n);
}

#[test]
fn anything_into_future_is_accepted() {
    struct Answer(u8);
    impl std::future::IntoFuture for Answer {
        type Output = u8;
        type IntoFuture = std::future::Ready<u8>;
        fn into_future(self) -> Self::IntoFuture {
            ready(self.0)
        }
    }
    let answers = || (1..=3).map(Answer);
    assert_eq!(patience::block_on(patience::join_all(answers())), [1, 2, 3]);
    assert_eq!(
        patience::block_on(patience::join_all_limited(answers(), 2)),
        [1, 2, 3]
    );
    let (first, index, _) = patience::block_on(patience::select_all(answers()));
    assert_eq!((first, index), (1, 0));
    let collected: patience::JoinAll<_> = answers().collect();
    assert_eq!(patience::block_on(collected), [1, 2, 3]);
}

#[test]
fn polling_a_finished_join_panics() {
    let mut join = patience::join_all([ready(1)]);
    assert_eq!(patience::block_on(&mut join), [1]);
    let again = catch_unwind(AssertUnwindSafe(|| patience::block_on(&mut join)));
    assert!(again.is_err());
}
