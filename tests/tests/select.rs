//! Behaviour of `patience::select!`: which handler runs, when futures are dropped, what
//! disables a branch, `else`/`default`, control flow out of handlers, and how branch
//! expressions are evaluated.

use std::cell::{Cell, RefCell};
use std::future::{Future, IntoFuture, pending, ready};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::FutureExt as _;
use patience::block_on;

/// A future that counts its polls, records its drop, and becomes ready with `value`
/// after returning `Pending` `pending_polls` times (waking itself each time).
struct Probe<T> {
    polls: Rc<Cell<u32>>,
    dropped: Rc<Cell<bool>>,
    pending_polls: u32,
    value: Option<T>,
}

impl<T> Probe<T> {
    fn new(pending_polls: u32, value: T) -> (Self, Rc<Cell<u32>>, Rc<Cell<bool>>) {
        let polls = Rc::new(Cell::new(0));
        let dropped = Rc::new(Cell::new(false));
        let probe = Probe {
            polls: Rc::clone(&polls),
            dropped: Rc::clone(&dropped),
            pending_polls,
            value: Some(value),
        };
        (probe, polls, dropped)
    }
}

impl<T: Unpin> Future for Probe<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.polls.set(self.polls.get() + 1);
        if self.pending_polls == 0 {
            Poll::Ready(self.value.take().expect("Probe polled after completion"))
        } else {
            self.pending_polls -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl<T> Drop for Probe<T> {
    fn drop(&mut self) {
        self.dropped.set(true);
    }
}

/// Returns `Pending` once (waking itself), then `Ready(())`.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

#[test]
fn only_one_handler_runs() {
    let runs = Cell::new(0);
    let winner = block_on(async {
        patience::select! {
            a = ready('a') => { runs.set(runs.get() + 1); a }
            b = ready('b') => { runs.set(runs.get() + 1); b }
            c = ready('c') => { runs.set(runs.get() + 1); c }
        }
    });
    assert_eq!(runs.get(), 1);
    assert!(['a', 'b', 'c'].contains(&winner));
}

#[test]
fn losers_dropped_before_handler_runs() {
    let (slow, slow_polls, slow_dropped) = Probe::new(u32::MAX, ());
    let (fast, _, fast_dropped) = Probe::new(1, 7);
    let seen = block_on(async {
        patience::select! {
            biased;
            () = slow => unreachable!("the slow branch never completes"),
            n = fast => (n, slow_dropped.get(), fast_dropped.get()),
        }
    });
    assert_eq!(seen, (7, true, true));
    assert_eq!(slow_polls.get(), 2, "polled on both wake-ups");
}

#[test]
fn handler_may_use_a_borrow_a_loser_held() {
    let mut log = Vec::new();
    block_on(async {
        patience::select! {
            biased;
            () = async { log.push("loser ran"); pending::<()>().await } => {}
            () = yield_now() => log.push("handler"),
        }
    });
    assert_eq!(log, ["loser ran", "handler"]);
}

#[test]
fn disabled_branches_are_evaluated_but_never_polled() {
    let (disabled, disabled_polls, disabled_dropped) = Probe::new(0, 1);
    let evaluated = Cell::new(false);
    let make = || {
        evaluated.set(true);
        disabled
    };
    let got = block_on(async {
        patience::select! {
            a = make(), if false => a,
            b = Probe::new(2, 2).0 => b,
        }
    });
    assert_eq!(got, 2);
    assert!(evaluated.get());
    assert_eq!(disabled_polls.get(), 0);
    assert!(disabled_dropped.get());
}

#[test]
fn conditions_run_before_any_future_expression() {
    let order = RefCell::new(Vec::new());
    let note = |what: &'static str| order.borrow_mut().push(what);
    block_on(async {
        patience::select! {
            biased;
            () = { note("future 1"); ready(()) }, if { note("condition 1"); true } => {}
            () = { note("future 2"); ready(()) }, if { note("condition 2"); true } => {}
        }
    });
    assert_eq!(
        *order.borrow(),
        ["condition 1", "condition 2", "future 1", "future 2"]
    );
}

#[test]
fn pattern_mismatch_disables_branch_and_polling_continues() {
    let (mismatch, mismatch_polls, _) = Probe::new(0, None::<u8>);
    let (later, _, _) = Probe::new(3, "later");
    let got = block_on(async {
        patience::select! {
            biased;
            Some(n) = mismatch => { let _ = n; "mismatch" }
            s = later => s,
        }
    });
    assert_eq!(got, "later");
    assert_eq!(
        mismatch_polls.get(),
        1,
        "a mismatched branch is not polled again"
    );
}

#[test]
fn pattern_mismatch_of_every_branch_runs_else() {
    let got = block_on(async {
        patience::select! {
            Some(n) = ready(None::<u8>) => n,
            Ok(n) = ready(Err::<u8, ()>(())) => n,
            else => 99,
        }
    });
    assert_eq!(got, 99);
}

#[test]
fn else_runs_when_every_branch_is_disabled() {
    let (a, a_polls, _) = Probe::new(0, 1);
    let got = block_on(async {
        patience::select! {
            n = a, if false => n,
            n = pending::<i32>(), if 1 > 2 => n,
            else => -1,
        }
    });
    assert_eq!(got, -1);
    assert_eq!(a_polls.get(), 0);
}

#[test]
fn complete_is_a_synonym_for_else() {
    let got = block_on(async {
        patience::select! {
            n = ready(1), if false => n,
            complete => 2,
        }
    });
    assert_eq!(got, 2);
}

#[test]
fn else_alone_runs_immediately() {
    let got = block_on(async {
        patience::select! { else => "only else" }
    });
    assert_eq!(got, "only else");
}

#[test]
#[should_panic(expected = "all branches are disabled and there is no else branch")]
fn all_disabled_without_else_panics() {
    block_on(async {
        patience::select! {
            n = ready(1), if false => n,
            Some(n) = ready(None) => n,
        }
    });
}

#[test]
fn default_runs_when_nothing_is_ready_on_first_poll() {
    let (slow, slow_polls, slow_dropped) = Probe::new(1, 5);
    let got = block_on(async {
        patience::select! {
            n = slow => n,
            () = pending() => 0,
            default => -1,
        }
    });
    assert_eq!(got, -1);
    assert_eq!(
        slow_polls.get(),
        1,
        "default does not wait for a second poll"
    );
    assert!(slow_dropped.get());
}

#[test]
fn default_does_not_run_when_a_branch_is_ready() {
    let got = block_on(async {
        patience::select! {
            () = pending() => 0,
            n = ready(5) => n,
            default => -1,
        }
    });
    assert_eq!(got, 5);
}

#[test]
fn default_runs_when_every_branch_is_disabled_and_there_is_no_else() {
    let got = block_on(async {
        patience::select! {
            n = ready(1), if false => n,
            default => -1,
        }
    });
    assert_eq!(got, -1);
}

#[test]
fn else_wins_over_default_when_every_branch_is_disabled() {
    let got = block_on(async {
        patience::select! {
            n = ready(1), if false => n,
            default => -1,
            else => -2,
        }
    });
    assert_eq!(got, -2);
}

async fn first_positive(values: &[i32]) -> Option<i32> {
    for &v in values {
        patience::select! {
            n = ready(v), if v > 0 => return Some(n),
            else => continue,
        }
    }
    None
}

#[test]
fn return_and_continue_in_handlers_act_on_the_enclosing_fn_and_loop() {
    assert_eq!(block_on(first_positive(&[-1, 0, 4, 9])), Some(4));
    assert_eq!(block_on(first_positive(&[-1])), None);
}

async fn parse_both(a: &str, b: &str) -> Result<i32, std::num::ParseIntError> {
    let first = patience::select! {
        biased;
        s = ready(a) => s.parse::<i32>()?,
    };
    let second: i32 = patience::select! { s = ready(b) => s.parse()? };
    Ok(first + second)
}

#[test]
fn question_mark_in_a_handler_returns_from_the_enclosing_fn() {
    assert_eq!(block_on(parse_both("2", "3")), Ok(5));
    assert!(block_on(parse_both("2", "x")).is_err());
}

#[test]
fn break_with_value_and_await_in_handlers() {
    let got = block_on(async {
        let mut rounds = 0;
        loop {
            rounds += 1;
            patience::select! {
                n = ready(rounds) => {
                    let doubled = async { n * 2 }.await;
                    if doubled >= 6 {
                        break doubled;
                    }
                }
            }
        }
    });
    assert_eq!(got, 6);
}

#[test]
fn labeled_break_from_a_handler() {
    let got = block_on(async {
        let mut seen = 0;
        'outer: for i in 0..10 {
            for j in 0..10 {
                patience::select! {
                    biased;
                    () = ready(()), if i == 3 => break 'outer,
                    () = ready(()), if j == 2 => continue 'outer,
                    () = ready(()) => seen += 1,
                }
            }
        }
        seen
    });
    // Two rounds counted for each of i = 0, 1, 2.
    assert_eq!(got, 6);
}

#[test]
fn mut_ref_future_survives_loop_iterations_then_is_awaited() {
    let (long, long_polls, long_dropped) = Probe::new(10, "long");
    let got = block_on(async {
        let mut long = long;
        let mut ticks = 0;
        while ticks < 3 {
            patience::select! {
                biased;
                s = &mut long => return (s, ticks),
                () = yield_now() => ticks += 1,
            }
        }
        assert!(
            !long_dropped.get(),
            "a `&mut` branch is not dropped by the select"
        );
        (long.await, ticks)
    });
    assert_eq!(got, ("long", 3));
    // Two polls in each of the 3 selects, then 4 more `Pending` and the `Ready`.
    assert_eq!(long_polls.get(), 11);
}

#[test]
fn pinned_future_reused_through_mut_ref() {
    block_on(async {
        let mut slow = pin!(async {
            yield_now().await;
            yield_now().await;
            "slow done"
        });
        let mut iterations = 0;
        let out = loop {
            iterations += 1;
            patience::select! {
                s = &mut slow => break s,
                () = ready(()), if iterations < 3 => {}
            }
        };
        assert_eq!(out, "slow done");
        assert!(iterations >= 3);
    });
}

#[test]
fn temporaries_in_branch_expressions_live_as_in_a_let() {
    let got = block_on(async {
        patience::select! {
            () = &mut ready(()) => 1,
        }
    });
    assert_eq!(got, 1);
    let got = block_on(async {
        patience::select! {
            n = &mut ready(1), if false => n,
            n = &mut Box::pin(async { 2 }) => n,
        }
    });
    assert_eq!(got, 2);
}

#[test]
fn futures_borrowing_a_local_receiver() {
    block_on(async {
        let (tx, rx) = futures::channel::mpsc::unbounded::<u32>();
        let mut rx = rx;
        tx.unbounded_send(10).unwrap();
        drop(tx);
        use futures::StreamExt as _;
        let mut sum = 0;
        loop {
            patience::select! {
                Some(n) = rx.next() => sum += n,
                else => break,
            }
        }
        assert_eq!(sum, 10);
    });
}

struct Countdown(u32);

impl IntoFuture for Countdown {
    type Output = &'static str;
    type IntoFuture = Probe<&'static str>;
    fn into_future(self) -> Self::IntoFuture {
        Probe::new(self.0, "lift-off").0
    }
}

#[test]
fn branch_expressions_may_be_into_future() {
    let got = block_on(async {
        patience::select! {
            s = Countdown(2) => s,
            () = pending() => "never",
        }
    });
    assert_eq!(got, "lift-off");
}

#[test]
fn nested_selects() {
    let got = block_on(async {
        patience::select! {
            biased;
            n = async {
                patience::select! {
                    biased;
                    () = pending() => 0,
                    n = ready(20) => n,
                }
            } => patience::select! {
                m = ready(n + 1) => m,
                () = pending() => 0,
            },
            () = pending() => 0,
        }
    });
    assert_eq!(got, 21);
}

#[test]
fn patterns_with_mut_ref_and_reference_parts() {
    let text = String::from("abc");
    let got = block_on(async {
        let a = patience::select! { mut s = ready(String::from("x")) => { s.push('y'); s } };
        let b = patience::select! { ref mut s = ready(String::from("p")) => { s.push('q'); s.clone() } };
        let c = patience::select! { &n = ready(&7u8) => n };
        let d = patience::select! { Some(&n) = ready(Some(&8u8)) => n };
        let e = patience::select! { (x, ref y) = ready((1u8, text.clone())) => (x, y.len()) };
        let f = patience::select! { | Ok(n) | Err(n) = ready(Ok::<u8, u8>(3)) => n };
        let g = patience::select! { default = ready(4u8) => default };
        (a, b, c, d, e, f, g)
    });
    assert_eq!(
        got,
        (String::from("xy"), String::from("pq"), 7, 8, (1, 3), 3, 4)
    );
}

#[test]
fn constant_and_unit_variant_patterns_compare_instead_of_binding() {
    const ZERO: u8 = 0;
    let got = block_on(async {
        patience::select! {
            biased;
            ZERO = ready(1u8) => "zero",
            None = ready(Some(1)) => "none",
            n = yield_now() => { let () = n; "fallback" }
        }
    });
    assert_eq!(got, "fallback");
}

#[test]
fn biased_polls_in_written_order() {
    let order = RefCell::new(Vec::new());
    let step = |i: usize| {
        let order = &order;
        std::future::poll_fn(move |_| {
            order.borrow_mut().push(i);
            if i == 3 {
                Poll::Ready(i)
            } else {
                Poll::Pending
            }
        })
    };
    for _ in 0..20 {
        order.borrow_mut().clear();
        let got = block_on(async {
            patience::select! {
                biased;
                n = step(0) => n,
                n = step(1) => n,
                n = step(2) => n,
                n = step(3) => n,
                n = step(4) => n,
            }
        });
        assert_eq!(got, 3);
        assert_eq!(*order.borrow(), [0, 1, 2, 3]);
    }
}

#[test]
fn select_biased_is_biased() {
    for _ in 0..50 {
        let got = block_on(async {
            patience::select_biased! {
                n = ready(1) => n,
                n = ready(2) => n,
                n = ready(3) => n,
            }
        });
        assert_eq!(got, 1);
    }
}

/// A `FusedFuture` that says it has terminated and fails the test if polled.
struct Terminated;

impl Future for Terminated {
    type Output = u8;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u8> {
        panic!("a terminated FusedFuture was polled")
    }
}

impl futures::future::FusedFuture for Terminated {
    fn is_terminated(&self) -> bool {
        true
    }
}

#[test]
fn terminated_fused_futures_count_as_disabled() {
    let got = block_on(async {
        patience::select! {
            n = Terminated => n,
            complete => 0,
        }
    });
    assert_eq!(got, 0);

    let got = block_on(async {
        let mut ready_once = ready(9u8).fuse();
        let mut seen = Vec::new();
        loop {
            patience::select! {
                n = &mut ready_once => seen.push(n),
                n = Terminated => seen.push(n),
                complete => break seen,
            }
        }
    });
    assert_eq!(got, [9]);
}

#[test]
fn futures_select_loop_with_fused_futures() {
    let got = block_on(async {
        let mut a = ready(1).fuse();
        let mut b = async { 2 }.boxed().fuse();
        let mut total = 0;
        loop {
            patience::select! {
                n = &mut a => total += n,
                n = &mut b => total += n,
                default => unreachable!("both are ready or terminated"),
                complete => break,
            }
        }
        total
    });
    assert_eq!(got, 3);
}
