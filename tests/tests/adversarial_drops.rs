//! Every child of a `select!`, `join!` or `try_join!` is dropped exactly once, and so is
//! every output it gives, whatever goes wrong: a handler panics, a child panics on its
//! first or a later poll, a pattern rejects a value, `default` runs, the macro's future
//! is dropped after one to three polls, or a child's `Drop` panics. Each test runs for
//! 2, 8, 13, 32 and 64 children: up to 12 share the task's waker, above that each child
//! has its own (a waker block), whose lease must also survive the unwinding.

mod arity;

use std::cell::Cell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use arity::with_indices;

/// The sizes every test runs with.
const SIZES: [usize; 5] = [2, 8, 13, 32, 64];

/// What a child does on its polls (numbered from 1). Before its turn comes it wakes its
/// own waker, so the macro polls it again.
#[derive(Clone, Copy, Debug)]
enum Plan {
    /// Pending forever, without waking.
    Pending,
    /// Finishes with a value on poll `n`.
    Ready(u32),
    /// Finishes on poll `n` with a value a select's pattern rejects (`None`), or with
    /// an error for `try_join!`.
    Reject(u32),
    /// Panics on poll `n`.
    Panic(u32),
}

/// One test case: the children's plans, and what else goes wrong; and what happened.
struct Log {
    plans: Vec<Plan>,
    /// The child whose `Drop` panics.
    drop_panics: Option<usize>,
    /// Whether a select's handler panics.
    handler_panics: bool,
    drops: Vec<Cell<u32>>,
    polls: Vec<Cell<u32>>,
    outputs_made: Vec<Cell<u32>>,
    outputs_dropped: Vec<Cell<u32>>,
    handler_runs: Cell<u32>,
    /// Whether every child had been dropped when the handler ran.
    all_dropped_in_handler: Cell<bool>,
}

impl Log {
    fn new(plans: Vec<Plan>) -> Log {
        let cells = || plans.iter().map(|_| Cell::new(0)).collect::<Vec<_>>();
        Log {
            drops: cells(),
            polls: cells(),
            outputs_made: cells(),
            outputs_dropped: cells(),
            plans,
            drop_panics: None,
            handler_panics: false,
            handler_runs: Cell::new(0),
            all_dropped_in_handler: Cell::new(false),
        }
    }

    fn drop_panics(mut self, child: usize) -> Log {
        self.drop_panics = Some(child);
        self
    }

    fn handler_panics(mut self) -> Log {
        self.handler_panics = true;
        self
    }

    fn k(&self) -> usize {
        self.plans.len()
    }

    /// Child `id`, whose output is `Option<Out>` (`None` for [`Plan::Reject`]).
    fn child(self: &Rc<Self>, id: usize) -> Child<AsOption> {
        Child::new(self, id)
    }

    /// Child `id`, whose output is `Result<Out, Out>` (`Err` for [`Plan::Reject`]).
    fn try_child(self: &Rc<Self>, id: usize) -> Child<AsResult> {
        Child::new(self, id)
    }

    /// A select's handler: records, drops the value, panics if the case says so.
    fn handle(&self, value: Out) -> usize {
        self.handler_runs.set(self.handler_runs.get() + 1);
        self.all_dropped_in_handler
            .set(self.drops.iter().all(|d| d.get() == 1));
        let id = value.id;
        drop(value);
        if self.handler_panics {
            panic!("the handler of branch {id} panics");
        }
        id
    }

    /// Every child (future) was dropped exactly once.
    fn assert_each_future_dropped_once(&self, case: &str) {
        let k = self.k();
        for id in 0..k {
            assert_eq!(
                self.drops[id].get(),
                1,
                "{case}, {k} children: child {id} dropped {} times",
                self.drops[id].get()
            );
        }
    }

    /// Every child was dropped exactly once, and every output made was dropped once.
    fn assert_each_dropped_once(&self, case: &str) {
        self.assert_each_future_dropped_once(case);
        let k = self.k();
        for id in 0..k {
            assert_eq!(
                self.outputs_dropped[id].get(),
                self.outputs_made[id].get(),
                "{case}, {k} children: child {id} made {} outputs, {} were dropped",
                self.outputs_made[id].get(),
                self.outputs_dropped[id].get()
            );
            assert!(self.outputs_made[id].get() <= 1);
        }
    }
}

/// A child's output; counts its drop.
struct Out {
    id: usize,
    log: Rc<Log>,
}

impl Drop for Out {
    fn drop(&mut self) {
        let dropped = &self.log.outputs_dropped[self.id];
        dropped.set(dropped.get() + 1);
    }
}

/// How a child's outcome becomes its future's output.
trait Shape {
    type Output;
    fn wrap(outcome: Result<Out, Out>) -> Self::Output;
}

/// `Option<Out>`: `None` when rejected (the rejected `Out` is dropped at once).
struct AsOption;

impl Shape for AsOption {
    type Output = Option<Out>;
    fn wrap(outcome: Result<Out, Out>) -> Option<Out> {
        outcome.ok()
    }
}

/// `Result<Out, Out>`.
struct AsResult;

impl Shape for AsResult {
    type Output = Result<Out, Out>;
    fn wrap(outcome: Result<Out, Out>) -> Result<Out, Out> {
        outcome
    }
}

/// A child future following its plan; counts its polls and its drop.
struct Child<S> {
    id: usize,
    log: Rc<Log>,
    finished: bool,
    shape: std::marker::PhantomData<fn() -> S>,
}

impl<S> Child<S> {
    fn new(log: &Rc<Log>, id: usize) -> Self {
        Child {
            id,
            log: log.clone(),
            finished: false,
            shape: std::marker::PhantomData,
        }
    }

    fn out(&self) -> Out {
        let made = &self.log.outputs_made[self.id];
        made.set(made.get() + 1);
        Out {
            id: self.id,
            log: self.log.clone(),
        }
    }
}

impl<S: Shape> Future for Child<S> {
    type Output = S::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<S::Output> {
        // `Child` is `Unpin` (no field is pinned).
        let this = self.get_mut();
        let id = this.id;
        assert!(!this.finished, "child {id} polled after it finished");
        let polls = &this.log.polls[id];
        polls.set(polls.get() + 1);
        let n = polls.get();
        let outcome = match this.log.plans[id] {
            Plan::Pending => return Poll::Pending,
            Plan::Ready(at) if n >= at => Ok(this.out()),
            Plan::Reject(at) if n >= at => Err(this.out()),
            Plan::Panic(at) if n >= at => panic!("child {id} panics on poll {n}"),
            _ => {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        };
        this.finished = true;
        Poll::Ready(S::wrap(outcome))
    }
}

impl<S> Drop for Child<S> {
    fn drop(&mut self) {
        let drops = &self.log.drops[self.id];
        drops.set(drops.get() + 1);
        if self.log.drop_panics == Some(self.id) && !std::thread::panicking() {
            panic!("the drop of child {} panics", self.id);
        }
    }
}

type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

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

/// Runs `future` to completion on `block_on`; `Err` with the panic's message if it
/// panicked (the future is dropped by then).
fn complete<T>(future: LocalFuture<T>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(|| patience::block_on(future))).map_err(message)
}

/// Polls `future` `polls` times (it must stay pending), then drops it; `Err` with the
/// panic's message if a poll or the drop panicked.
fn poll_then_drop<T>(mut future: LocalFuture<T>, polls: u32) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(move || {
        let mut cx = Context::from_waker(Waker::noop());
        for poll in 1..=polls {
            assert!(
                future.as_mut().poll(&mut cx).is_pending(),
                "finished on poll {poll}"
            );
        }
        drop(future);
    }))
    .map_err(message)
}

fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Plans for `k` children: `special` ones as given, the others from `rest(i)`.
fn plans(k: usize, special: &[(usize, Plan)], rest: impl Fn(usize) -> Plan) -> Vec<Plan> {
    (0..k)
        .map(|i| {
            special
                .iter()
                .find(|(at, _)| *at == i)
                .map_or_else(|| rest(i), |&(_, plan)| plan)
        })
        .collect()
}

/// Children that never finish: pending, or rejected (a select disables them).
fn idle(i: usize) -> Plan {
    if i % 2 == 0 {
        Plan::Pending
    } else {
        Plan::Reject(1 + (i % 3) as u32)
    }
}

/// Children that finish on polls 1 to 3, or stay pending (for joins).
fn mixed(i: usize) -> Plan {
    match i % 4 {
        0 => Plan::Pending,
        n => Plan::Ready(n as u32),
    }
}

/// Children that all finish, on polls 1 to 3.
fn finishing(i: usize) -> Plan {
    Plan::Ready(1 + (i % 3) as u32)
}

/// Asserts a run panicked with a message containing `expected`.
fn assert_panicked<T: std::fmt::Debug>(result: Result<T, String>, expected: &str, case: &str) {
    match result {
        Err(message) => assert!(
            message.contains(expected),
            "{case}: panicked with `{message}`, expected `{expected}`"
        ),
        Ok(value) => panic!("{case}: finished with {value:?}, expected a panic"),
    }
}

/// Runs `form` over `log`'s children on `block_on`, asserts it panicked with a message
/// containing `expected` and that every child and output was dropped exactly once.
fn panics_dropping_each_once<T: std::fmt::Debug>(
    form: fn(&Rc<Log>) -> LocalFuture<T>,
    log: Log,
    expected: &str,
    case: &str,
) {
    let log = Rc::new(log);
    assert_panicked(complete(form(&log)), expected, case);
    log.assert_each_dropped_once(case);
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
