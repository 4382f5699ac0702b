//! Every child of a `select!`, `join!` or `try_join!` is dropped exactly once, and so is
//! every output it gives, whatever goes wrong: a handler panics, a child panics on its
//! first or a later poll, a pattern rejects a value, `default` runs, the macro's future
//! is dropped after one to three polls, or a child's `Drop` panics. Each test runs for
//! 2, 8, 13, 32 and 64 children: up to 12 share the task's waker, above that each child
//! has its own (a waker block), whose lease must also survive the unwinding.

mod arity;
mod drop_log;

use std::rc::Rc;

use arity::with_indices;
use drop_log::{
    LocalFuture, Log, Plan, assert_panicked, complete, finishing, idle, mixed,
    panics_dropping_each_once, plans, poll_then_drop,
};

/// The sizes every test runs with.
const SIZES: [usize; 5] = [2, 8, 13, 32, 64];

/// The macro forms under test, one of each per size.
macro_rules! select_of {
    ($log:ident; $($i:literal)*) => {
        patience::select! { $(Some(v) = $log.child($i) => $log.handle(v),)* }
    };
}

macro_rules! select_with_default_of {
    ($log:ident; $($i:literal)*) => {
        patience::select! {
            $(Some(v) = $log.child($i) => $log.handle(v),)*
            default => usize::MAX,
        }
    };
}

/// The ids of the outputs, in argument order (the outputs are dropped after).
macro_rules! join_of {
    ($log:ident; $($i:tt)*) => {{
        let out = patience::join!($($log.child($i),)*);
        vec![$(out.$i.map(|o| o.id),)*]
    }};
}

macro_rules! try_join_of {
    ($log:ident; $($i:tt)*) => {{
        patience::try_join!($($log.try_child($i),)*)
            .map(|out| vec![$(out.$i.id,)*])
            .map_err(|error| error.id)
    }};
}

/// The future of `$form` over `$log`'s children, for each size.
macro_rules! by_size {
    ($log:ident, $form:ident) => {
        match $log.k() {
            2 => Box::pin(async move { with_indices!(2, $form!($log;)) }) as LocalFuture<_>,
            8 => Box::pin(async move { with_indices!(8, $form!($log;)) }),
            13 => Box::pin(async move { with_indices!(13, $form!($log;)) }),
            32 => Box::pin(async move { with_indices!(32, $form!($log;)) }),
            64 => Box::pin(async move { with_indices!(64, $form!($log;)) }),
            k => unreachable!("no macro form for {k} children"),
        }
    };
}

fn select(log: &Rc<Log>) -> LocalFuture<usize> {
    let log = log.clone();
    by_size!(log, select_of)
}

fn select_with_default(log: &Rc<Log>) -> LocalFuture<usize> {
    let log = log.clone();
    by_size!(log, select_with_default_of)
}

fn join(log: &Rc<Log>) -> LocalFuture<Vec<Option<usize>>> {
    let log = log.clone();
    by_size!(log, join_of)
}

fn try_join(log: &Rc<Log>) -> LocalFuture<Result<Vec<usize>, usize>> {
    let log = log.clone();
    by_size!(log, try_join_of)
}

// ---------------------------------------------------------------------------------------
// select!
// ---------------------------------------------------------------------------------------

#[test]
fn select_drops_every_branch_once_when_a_handler_panics() {
    for k in SIZES {
        let winner = k / 2;
        let log = Rc::new(Log::new(plans(k, &[(winner, Plan::Ready(2))], idle)).handler_panics());
        let result = complete(select(&log));
        assert_panicked(
            result,
            &format!("handler of branch {winner} panics"),
            "select",
        );
        assert_eq!(log.handler_runs.get(), 1);
        assert!(
            log.all_dropped_in_handler.get(),
            "{k}: a branch future was still alive when the handler ran"
        );
        log.assert_each_dropped_once("select, handler panics");
    }
}

#[test]
fn select_drops_every_branch_once_when_a_branch_panics_on_its_first_poll() {
    for k in SIZES {
        let log = Rc::new(Log::new(plans(k, &[(k - 1, Plan::Panic(1))], idle)));
        let result = complete(select(&log));
        assert_panicked(
            result,
            &format!("child {} panics on poll 1", k - 1),
            "select",
        );
        assert_eq!(log.handler_runs.get(), 0);
        log.assert_each_dropped_once("select, a branch panics on poll 1");
    }
}

#[test]
fn select_drops_every_branch_once_when_a_branch_panics_on_a_later_poll() {
    for k in SIZES {
        panics_dropping_each_once(
            select,
            Log::new(plans(k, &[(0, Plan::Panic(3))], idle)),
            "child 0 panics on poll 3",
            "select, a branch panics on poll 3",
        );
    }
}

#[test]
fn select_drops_every_branch_once_when_patterns_reject_values() {
    for k in SIZES {
        // Every branch but the last is rejected, on polls 1 to 3; the last wins on 4.
        let last = k - 1;
        let reject = |i: usize| Plan::Reject(1 + (i % 3) as u32);
        let log = Rc::new(Log::new(plans(k, &[(last, Plan::Ready(4))], reject)));
        assert_eq!(complete(select(&log)), Ok(last));
        log.assert_each_dropped_once("select, patterns reject");
        // Every branch rejected: the select panics, and still drops each once.
        let log = Rc::new(Log::new(plans(k, &[], reject)));
        assert_panicked(
            complete(select(&log)),
            "all branches are disabled",
            "select, all rejected",
        );
        log.assert_each_dropped_once("select, all rejected");
    }
}

#[test]
fn select_drops_every_branch_once_when_default_runs() {
    for k in SIZES {
        // Nothing is ready on the first poll (some are rejected on it).
        let not_yet = |i: usize| match i % 3 {
            0 => Plan::Pending,
            1 => Plan::Reject(1),
            _ => Plan::Ready(2),
        };
        let log = Rc::new(Log::new(plans(k, &[], not_yet)));
        assert_eq!(complete(select_with_default(&log)), Ok(usize::MAX));
        assert_eq!(log.handler_runs.get(), 0);
        log.assert_each_dropped_once("select, default runs");
    }
}

#[test]
fn select_drops_every_branch_once_when_dropped_after_one_to_three_polls() {
    for k in SIZES {
        for polls in 1..=3 {
            // Branches rejected on the way, or ready only after the select is gone.
            let log = Rc::new(Log::new(plans(k, &[(k / 3, Plan::Ready(4))], idle)));
            assert_eq!(poll_then_drop(select(&log), polls), Ok(()));
            log.assert_each_dropped_once(&format!("select, dropped after {polls} polls"));
        }
    }
}

#[test]
fn select_drops_every_branch_once_when_a_branch_drop_panics() {
    for k in SIZES {
        // The winner's siblings are dropped before its handler runs: one panics there.
        let (winner, bad) = (k - 1, k / 2 - 1);
        let won = plans(k, &[(winner, Plan::Ready(2))], idle);
        let log = Rc::new(Log::new(won).drop_panics(bad));
        let result = complete(select(&log));
        assert_panicked(result, &format!("drop of child {bad} panics"), "select");
        assert_eq!(log.handler_runs.get(), 0, "the handler ran after the panic");
        log.assert_each_dropped_once("select, a drop panics after a win");
        // Or the select itself is dropped while pending.
        let log = Rc::new(Log::new(plans(k, &[], idle)).drop_panics(bad));
        let result = poll_then_drop(select(&log), 2);
        assert_panicked(result, &format!("drop of child {bad} panics"), "select");
        log.assert_each_dropped_once("select, a drop panics when dropped pending");
    }
}

/// The winning value is out of the branch future and not yet in the handler while the
/// branch futures are dropped. If one of those drops panics, the value must still be
/// dropped: rustc leaks a value on its way out of a block or `match` when a local's
/// destructor panics (rust-lang/rust#47949), so the select's future drops its branches
/// inside its last poll, where the value is a named local, not in the `.await` after it.
#[test]
fn select_drops_the_winning_value_when_a_branch_drop_panics_after_the_win() {
    for k in SIZES {
        for bad in [k / 2 - 1, k - 1] {
            let winner = k - 1;
            let plans = plans(k, &[(winner, Plan::Ready(2))], idle);
            panics_dropping_each_once(
                select,
                Log::new(plans).drop_panics(bad),
                &format!("drop of child {bad} panics"),
                "select, a drop panics after a win",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// join!
// ---------------------------------------------------------------------------------------

#[test]
fn join_drops_every_child_and_output_once_when_it_completes() {
    for k in SIZES {
        let log = Rc::new(Log::new(plans(k, &[], finishing)));
        let ids = complete(join(&log)).expect("the join finishes");
        assert_eq!(ids, (0..k).map(Some).collect::<Vec<_>>());
        log.assert_each_dropped_once("join, completes");
    }
}

#[test]
fn join_drops_every_child_and_output_once_when_a_child_panics_on_its_first_poll() {
    for k in SIZES {
        let bad = k / 2;
        panics_dropping_each_once(
            join,
            Log::new(plans(k, &[(bad, Plan::Panic(1))], mixed)),
            &format!("child {bad} panics on poll 1"),
            "join, a child panics on poll 1",
        );
    }
}

#[test]
fn join_drops_every_child_and_output_once_when_a_child_panics_on_a_later_poll() {
    for k in SIZES {
        panics_dropping_each_once(
            join,
            Log::new(plans(k, &[(0, Plan::Panic(3))], mixed)),
            "child 0 panics on poll 3",
            "join, a child panics on poll 3",
        );
    }
}

#[test]
fn join_drops_every_child_and_output_once_when_dropped_after_one_to_three_polls() {
    for k in SIZES {
        for polls in 1..=3 {
            // Some children finish before the join is dropped (their outputs wait in
            // the join), the others are still running.
            let log = Rc::new(Log::new(plans(k, &[(k - 1, Plan::Pending)], mixed)));
            assert_eq!(poll_then_drop(join(&log), polls), Ok(()));
            log.assert_each_dropped_once(&format!("join, dropped after {polls} polls"));
        }
    }
}

#[test]
fn join_drops_every_child_and_output_once_when_a_child_drop_panics() {
    for k in SIZES {
        // A child is dropped as soon as it finishes, inside the join's poll.
        let bad = k / 2;
        panics_dropping_each_once(
            join,
            Log::new(plans(k, &[(bad, Plan::Ready(2))], mixed)).drop_panics(bad),
            &format!("drop of child {bad} panics"),
            "join, a drop panics when its child finishes",
        );
        // Or the join is dropped while the child still runs.
        let log = Rc::new(Log::new(plans(k, &[(bad, Plan::Pending)], mixed)).drop_panics(bad));
        let result = poll_then_drop(join(&log), 1);
        assert_panicked(result, &format!("drop of child {bad} panics"), "join");
        log.assert_each_dropped_once("join, a drop panics when the join is dropped");
    }
}

// ---------------------------------------------------------------------------------------
// try_join!
// ---------------------------------------------------------------------------------------

#[test]
fn try_join_drops_every_child_and_output_once_on_the_first_error() {
    for k in SIZES {
        let bad = k - 1;
        let log = Rc::new(Log::new(plans(k, &[(bad, Plan::Reject(2))], mixed)));
        assert_eq!(complete(try_join(&log)), Ok(Err(bad)));
        log.assert_each_dropped_once("try_join, first error");
        // And when every child succeeds.
        let log = Rc::new(Log::new(plans(k, &[], finishing)));
        assert_eq!(complete(try_join(&log)), Ok(Ok((0..k).collect())));
        log.assert_each_dropped_once("try_join, all succeed");
    }
}

#[test]
fn try_join_drops_every_child_and_output_once_when_a_child_panics() {
    for k in SIZES {
        for poll in [1, 3] {
            let bad = (k / 2 + poll as usize) % k;
            panics_dropping_each_once(
                try_join,
                Log::new(plans(k, &[(bad, Plan::Panic(poll))], mixed)),
                &format!("child {bad} panics on poll {poll}"),
                &format!("try_join, a child panics on poll {poll}"),
            );
        }
    }
}

#[test]
fn try_join_drops_every_child_and_output_once_when_dropped_after_one_to_three_polls() {
    for k in SIZES {
        for polls in 1..=3 {
            let log = Rc::new(Log::new(plans(k, &[(0, Plan::Pending)], mixed)));
            assert_eq!(poll_then_drop(try_join(&log), polls), Ok(()));
            log.assert_each_dropped_once(&format!("try_join, dropped after {polls} polls"));
        }
    }
}

#[test]
fn try_join_drops_every_child_and_output_once_when_a_child_drop_panics() {
    for k in SIZES {
        // The child giving the error is dropped at once, inside the poll: its drop
        // panics while the error is in flight.
        let bad = k / 2;
        panics_dropping_each_once(
            try_join,
            Log::new(plans(k, &[(bad, Plan::Reject(2))], mixed)).drop_panics(bad),
            &format!("drop of child {bad} panics"),
            "try_join, the failing child's drop panics",
        );
        // A child that succeeded.
        panics_dropping_each_once(
            try_join,
            Log::new(plans(k, &[(bad, Plan::Ready(1))], mixed)).drop_panics(bad),
            &format!("drop of child {bad} panics"),
            "try_join, a finished child's drop panics",
        );
    }
}
