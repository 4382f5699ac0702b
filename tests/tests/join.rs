//! Behaviour of `join!` and `try_join!`: outputs, concurrency, errors, order, sizes of
//! input. Joins with up to 12 children poll every unfinished child on each poll; larger
//! ones track wake-ups per child, so most tests run both a small and a large join.
//! Exact poll counts and wakers: `join_wakeups.rs`.

#[allow(dead_code)] // Each test file uses part of the helpers.
mod join_support;

use std::cell::RefCell;
use std::future::{IntoFuture, Ready, ready};
use std::rc::Rc;
use std::task::Poll;

use join_support::{Board, Driver, DropFlag};

#[test]
fn outputs_follow_argument_order_when_completing_in_reverse() {
    // Small join.
    let board = Board::new(3);
    let mut join =
        Driver::new(async { patience::join!(board.gate(0), board.gate(1), board.gate(2)) });
    assert!(join.poll().is_pending());
    board.open(2);
    assert!(join.poll().is_pending());
    board.open(1);
    assert!(join.poll().is_pending());
    board.open(0);
    assert_eq!(join.poll(), Poll::Ready((0, 1, 2)));
    assert_eq!(board.finish_order(), vec![2, 1, 0]);

    // Tracked join.
    let board = Board::new(16);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
        )
    });
    assert!(join.poll().is_pending());
    for i in (0..16).rev() {
        board.open(i);
        let done = join.poll();
        assert_eq!(done.is_ready(), i == 0);
        if let Poll::Ready(out) = done {
            let out = [
                out.0, out.1, out.2, out.3, out.4, out.5, out.6, out.7, out.8, out.9, out.10,
                out.11, out.12, out.13, out.14, out.15,
            ];
            assert_eq!(out.to_vec(), (0..16).collect::<Vec<_>>());
        }
    }
    assert_eq!(board.finish_order(), (0..16).rev().collect::<Vec<_>>());
}

#[test]
fn two_futures_that_each_wait_for_the_others_message_both_finish() {
    use futures::channel::oneshot;
    let (to_b, from_a) = oneshot::channel::<u32>();
    let (to_a, from_b) = oneshot::channel::<u32>();
    let a = async move {
        to_b.send(1).unwrap();
        from_b.await.unwrap()
    };
    let b = async move {
        let got = from_a.await.unwrap();
        to_a.send(got + 1).unwrap();
        got
    };
    assert_eq!(patience::block_on(async { patience::join!(a, b) }), (2, 1));
}

#[test]
fn children_woken_from_other_threads_in_any_order_all_finish() {
    use futures::channel::oneshot;
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for _ in 0..20 {
        let (tx, rx) = oneshot::channel::<usize>();
        senders.push(tx);
        receivers.push(rx);
    }
    let mut rx = receivers.into_iter();
    let mut next = move || {
        let rx = rx.next().unwrap();
        async move { rx.await.unwrap() }
    };
    let threads: Vec<_> = senders
        .into_iter()
        .enumerate()
        .map(|(i, tx)| {
            std::thread::spawn(move || {
                // Reverse-ish order: later children get their message first.
                std::thread::sleep(std::time::Duration::from_millis(((20 - i) % 7) as u64));
                tx.send(i * 10).unwrap();
            })
        })
        .collect();
    let out = patience::block_on(async {
        patience::join!(
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
        )
    });
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(out.0, 0);
    assert_eq!(out.9, 90);
    assert_eq!(out.19, 190);
}

#[test]
fn try_join_returns_the_first_error_at_once_and_drops_the_unfinished_futures() {
    for tracked in [false, true] {
        let board = Board::new(16);
        let flags: Vec<DropFlag> = (0..16).map(|_| DropFlag::default()).collect();
        // Child 3 fails once opened, child 5 succeeds, the others never finish.
        let child = |i: usize| {
            let gate = board.gate(i);
            let flag = flags[i].guard();
            async move {
                let _flag = flag;
                let i = gate.await;
                if i == 3 {
                    Err(format!("child {i} failed"))
                } else {
                    Ok(i)
                }
            }
        };
        let mut join: Driver<Result<_, String>> = if tracked {
            Driver::new(async {
                let out = patience::try_join!(
                    child(0),
                    child(1),
                    child(2),
                    child(3),
                    child(4),
                    child(5),
                    child(6),
                    child(7),
                    child(8),
                    child(9),
                    child(10),
                    child(11),
                    child(12),
                    child(13),
                    child(14),
                    child(15),
                )?;
                Ok(out.0 + out.15)
            })
        } else {
            Driver::new(async {
                let (a, b, c, d) = patience::try_join!(child(2), child(3), child(5), child(7))?;
                Ok(a + b + c + d)
            })
        };
        assert!(join.poll().is_pending());
        board.open(5);
        assert!(join.poll().is_pending());
        assert!(flags[5].is_set(), "a finished child is dropped at once");
        assert!(!flags[7].is_set());
        board.open(3);
        assert_eq!(join.poll(), Poll::Ready(Err("child 3 failed".to_string())));
        // Still inside the driver, yet every child is gone: the join did not wait.
        let used: Vec<usize> = if tracked {
            (0..16).collect()
        } else {
            vec![2, 3, 5, 7]
        };
        assert!(
            used.iter().all(|&i| flags[i].is_set()),
            "tracked: {tracked}"
        );
    }
}

#[test]
fn try_join_returns_the_first_error_met_in_poll_order() {
    let board = Board::new(3);
    let fail = |i: usize| {
        let gate = board.gate(i);
        async move { Err::<(), usize>(gate.await) }
    };
    let mut join = Driver::new(async { patience::try_join!(fail(0), fail(1), fail(2)) });
    assert!(join.poll().is_pending());
    board.open(2);
    board.open(0);
    // Both fail on this poll, which starts at child 1 (rotation), so child 2 is met
    // before child 0.
    assert_eq!(join.poll(), Poll::Ready(Err(2)));
}

#[test]
fn try_join_gives_all_ok_values_in_argument_order() {
    let out: Result<(u8, &str, ()), ()> = patience::block_on(async {
        patience::try_join!(async { Ok(1) }, async { Ok("two") }, ready(Ok(())))
    });
    assert_eq!(out, Ok((1, "two", ())));
}

#[test]
fn biased_polls_children_in_written_order_on_every_poll() {
    let board = Board::new(3);
    let mut join =
        Driver::new(async { patience::join!(biased; board.gate(0), board.gate(1), board.gate(2)) });
    for _ in 0..4 {
        assert!(join.poll().is_pending());
    }
    assert_eq!(board.poll_log(), [0, 1, 2].repeat(4));

    // Tracked: woken children are polled in written order too.
    let board = Board::new(16);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            biased;
            g(0), g(1), g(2), g(3), g(4), g(5), g(6), g(7),
            g(8), g(9), g(10), g(11), g(12), g(13), g(14), g(15),
        )
    });
    assert!(join.poll().is_pending());
    assert_eq!(board.take_poll_log(), (0..16).collect::<Vec<_>>());
    for _ in 0..3 {
        for i in [9, 2, 14, 5] {
            board.wake_only(i);
        }
        assert!(join.poll().is_pending());
        assert_eq!(board.take_poll_log(), vec![2, 5, 9, 14]);
    }
}

#[test]
fn by_default_the_first_child_polled_rotates_from_poll_to_poll() {
    let board = Board::new(3);
    let mut join =
        Driver::new(async { patience::join!(board.gate(0), board.gate(1), board.gate(2)) });
    for _ in 0..4 {
        assert!(join.poll().is_pending());
    }
    assert_eq!(board.poll_log(), [0, 1, 2, 1, 2, 0, 2, 0, 1, 0, 1, 2]);

    // Tracked: poll number `n` starts at child `n % 16` among the woken ones.
    let board = Board::new(16);
    let g = |i| board.gate(i);
    let mut join = Driver::new(async {
        patience::join!(
            g(0),
            g(1),
            g(2),
            g(3),
            g(4),
            g(5),
            g(6),
            g(7),
            g(8),
            g(9),
            g(10),
            g(11),
            g(12),
            g(13),
            g(14),
            g(15),
        )
    });
    assert!(join.poll().is_pending());
    assert_eq!(board.take_poll_log(), (0..16).collect::<Vec<_>>());
    let woken = [2, 5, 9, 14];
    for poll in 1..20 {
        for i in woken {
            board.wake_only(i);
        }
        assert!(join.poll().is_pending());
        let start = poll % 16;
        let mut expected = woken.to_vec();
        expected.sort_by_key(|&i| (i + 16 - start) % 16);
        assert_eq!(board.take_poll_log(), expected, "poll {poll}");
    }
}

#[test]
fn a_finished_childs_future_is_dropped_before_the_join_completes() {
    let board = Board::new(2);
    let flag = DropFlag::default();
    let held = flag.guard();
    let first = board.gate(0);
    let mut join = Driver::new(async {
        patience::join!(
            async move {
                let _held = held;
                first.await
            },
            board.gate(1)
        )
    });
    assert!(join.poll().is_pending());
    board.open(0);
    assert!(join.poll().is_pending());
    assert!(flag.is_set());
}

#[test]
fn empty_joins_give_unit_and_ok_unit() {
    patience::block_on(async {
        let () = patience::join!();
        let () = patience::join!(biased;);
        let ok: Result<(), String> = patience::try_join!();
        assert_eq!(ok, Ok(()));
    });
}

#[test]
fn a_single_future_gives_a_one_element_tuple() {
    patience::block_on(async {
        let (x,) = patience::join!(async { 7 });
        assert_eq!(x, 7);
        let one: Result<(u8,), ()> = patience::try_join!(ready(Ok(8)));
        assert_eq!(one, Ok((8,)));
        let failed: Result<(u8,), &str> = patience::try_join!(ready(Err("no")));
        assert_eq!(failed, Err("no"));
    });
}

struct Answer;

impl IntoFuture for Answer {
    type Output = u32;
    type IntoFuture = Ready<u32>;
    fn into_future(self) -> Ready<u32> {
        ready(42)
    }
}

#[test]
fn arguments_may_be_into_future_values() {
    patience::block_on(async {
        assert_eq!(patience::join!(Answer, async { 1 }), (42, 1));
        let ok: Result<(u32,), ()> = patience::try_join!(async { Ok(Answer.await) });
        assert_eq!(ok, Ok((42,)));
    });
}

#[test]
fn arguments_are_evaluated_in_written_order_before_any_poll() {
    let log = RefCell::new(Vec::new());
    let step = |tag: &'static str| {
        log.borrow_mut().push(tag);
        let log = &log;
        async move { log.borrow_mut().push("polled") }
    };
    patience::block_on(async {
        patience::join!(step("first"), step("second"), step("third"));
    });
    assert_eq!(
        *log.borrow(),
        ["first", "second", "third", "polled", "polled", "polled"]
    );
}

#[test]
fn temporaries_in_arguments_live_until_the_join_finishes() {
    patience::block_on(async {
        let (a, b) = patience::join!(&mut ready(1), async { 2 });
        assert_eq!(a + b, 3);
    });
}

#[test]
fn futures_that_are_not_unpin_are_pinned_inside() {
    let board = Board::new(1);
    let mut join = Driver::new(async {
        let text = String::from("self-referential");
        let not_unpin = async {
            let borrowed = &text;
            board.gate(0).await;
            borrowed.len()
        };
        patience::join!(not_unpin, async { 1 })
    });
    assert!(join.poll().is_pending());
    board.open(0);
    assert_eq!(join.poll(), Poll::Ready((16, 1)));
}

#[test]
fn a_join_future_is_send_when_its_children_are() {
    fn assert_send<T: Send>(_: &T) {}
    let fut = async { patience::join!(async { 1 }, async { 2 }) };
    assert_send(&fut);
    let fut = async {
        patience::join!(
            ready(0),
            ready(1),
            ready(2),
            ready(3),
            ready(4),
            ready(5),
            ready(6),
            ready(7),
            ready(8),
            ready(9),
            ready(10),
            ready(11),
            ready(12),
            ready(13),
            ready(14),
        )
    };
    assert_send(&fut);
}

#[test]
fn join_and_try_join_work_inside_spawned_tokio_tasks() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let out = rt.block_on(async {
        let task = tokio::spawn(async {
            let (a, b) = patience::join!(
                async {
                    tokio::task::yield_now().await;
                    1
                },
                async { 2 }
            );
            let c: Result<(i32, i32), ()> = patience::try_join!(
                async { Ok(tokio::task::spawn_blocking(|| 3).await.unwrap()) },
                async { Ok(4) }
            );
            a + b + c.unwrap().0 + c.unwrap().1
        });
        task.await.unwrap()
    });
    assert_eq!(out, 10);
}

/// `Rc` children (not `Send`) work with `block_on`, which does not need `Send`.
#[test]
fn children_need_not_be_send() {
    let shared = Rc::new(5);
    let out =
        patience::block_on(async { patience::join!(async { *shared + 1 }, async { *shared + 2 }) });
    assert_eq!(out, (6, 7));
}
