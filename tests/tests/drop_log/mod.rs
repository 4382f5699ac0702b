//! The instrumented children of the adversarial drop tests: each follows a plan (pending,
//! ready, rejected or panicking on a given poll), may panic in its `Drop`, and counts its
//! polls, its drop and the drops of the outputs it makes, so a test can assert that every
//! child and every output was dropped exactly once whatever went wrong.
#![allow(
    dead_code,
    reason = "each test file using this module uses a part of it"
)]

use std::cell::Cell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
/// What a child does on its polls (numbered from 1). Before its turn comes it wakes its
/// own waker, so the macro polls it again.
#[derive(Clone, Copy, Debug)]
pub enum Plan {
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
pub struct Log {
    pub plans: Vec<Plan>,
    /// The child whose `Drop` panics.
    pub drop_panics: Option<usize>,
    /// Whether a select's handler panics.
    pub handler_panics: bool,
    pub drops: Vec<Cell<u32>>,
    pub polls: Vec<Cell<u32>>,
    pub outputs_made: Vec<Cell<u32>>,
    pub outputs_dropped: Vec<Cell<u32>>,
    pub handler_runs: Cell<u32>,
    /// Whether every child had been dropped when the handler ran.
    pub all_dropped_in_handler: Cell<bool>,
}

impl Log {
    pub fn new(plans: Vec<Plan>) -> Log {
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

    pub fn drop_panics(mut self, child: usize) -> Log {
        self.drop_panics = Some(child);
        self
    }

    pub fn handler_panics(mut self) -> Log {
        self.handler_panics = true;
        self
    }

    pub fn k(&self) -> usize {
        self.plans.len()
    }

    /// Child `id`, whose output is `Option<Out>` (`None` for [`Plan::Reject`]).
    pub fn child(self: &Rc<Self>, id: usize) -> Child<AsOption> {
        Child::new(self, id)
    }

    /// Child `id`, whose output is `Result<Out, Out>` (`Err` for [`Plan::Reject`]).
    pub fn try_child(self: &Rc<Self>, id: usize) -> Child<AsResult> {
        Child::new(self, id)
    }

    /// A select's handler: records, drops the value, panics if the case says so.
    pub fn handle(&self, value: Out) -> usize {
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
    pub fn assert_each_future_dropped_once(&self, case: &str) {
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
    pub fn assert_each_dropped_once(&self, case: &str) {
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
pub struct Out {
    pub id: usize,
    log: Rc<Log>,
}

impl Drop for Out {
    fn drop(&mut self) {
        let dropped = &self.log.outputs_dropped[self.id];
        dropped.set(dropped.get() + 1);
    }
}

/// How a child's outcome becomes its future's output.
pub trait Shape {
    type Output;
    fn wrap(outcome: Result<Out, Out>) -> Self::Output;
}

/// `Option<Out>`: `None` when rejected (the rejected `Out` is dropped at once).
pub struct AsOption;

impl Shape for AsOption {
    type Output = Option<Out>;
    fn wrap(outcome: Result<Out, Out>) -> Option<Out> {
        outcome.ok()
    }
}

/// `Result<Out, Out>`.
pub struct AsResult;

impl Shape for AsResult {
    type Output = Result<Out, Out>;
    fn wrap(outcome: Result<Out, Out>) -> Result<Out, Out> {
        outcome
    }
}

/// A child future following its plan; counts its polls and its drop.
pub struct Child<S> {
    id: usize,
    log: Rc<Log>,
    finished: bool,
    shape: std::marker::PhantomData<fn() -> S>,
}

impl<S> Child<S> {
    pub fn new(log: &Rc<Log>, id: usize) -> Self {
        Child {
            id,
            log: log.clone(),
            finished: false,
            shape: std::marker::PhantomData,
        }
    }

    pub fn out(&self) -> Out {
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

pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Runs `future` to completion on `block_on`; `Err` with the panic's message if it
/// panicked (the future is dropped by then).
pub fn complete<T>(future: LocalFuture<T>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(|| patience::block_on(future))).map_err(message)
}

/// Polls `future` `polls` times (it must stay pending), then drops it; `Err` with the
/// panic's message if a poll or the drop panicked.
pub fn poll_then_drop<T>(mut future: LocalFuture<T>, polls: u32) -> Result<(), String> {
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

pub fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Plans for `k` children: `special` ones as given, the others from `rest(i)`.
pub fn plans(k: usize, special: &[(usize, Plan)], rest: impl Fn(usize) -> Plan) -> Vec<Plan> {
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
pub fn idle(i: usize) -> Plan {
    if i % 2 == 0 {
        Plan::Pending
    } else {
        Plan::Reject(1 + (i % 3) as u32)
    }
}

/// Children that finish on polls 1 to 3, or stay pending (for joins).
pub fn mixed(i: usize) -> Plan {
    match i % 4 {
        0 => Plan::Pending,
        n => Plan::Ready(n as u32),
    }
}

/// Children that all finish, on polls 1 to 3.
pub fn finishing(i: usize) -> Plan {
    Plan::Ready(1 + (i % 3) as u32)
}

/// Asserts a run panicked with a message containing `expected`.
pub fn assert_panicked<T: std::fmt::Debug>(result: Result<T, String>, expected: &str, case: &str) {
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
pub fn panics_dropping_each_once<T: std::fmt::Debug>(
    form: fn(&Rc<Log>) -> LocalFuture<T>,
    log: Log,
    expected: &str,
    case: &str,
) {
    let log = Rc::new(log);
    assert_panicked(complete(form(&log)), expected, case);
    log.assert_each_dropped_once(case);
}
