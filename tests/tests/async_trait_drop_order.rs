//! Arguments of an `#[async_trait]` method drop in the same order and at the same moment as
//! those of the equivalent native `async fn`: at the end of the body (not when the method
//! is called), in reverse order of declaration, whatever their pattern.

use patience::async_trait;
use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

thread_local! {
    static EVENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn event(what: impl Into<String>) {
    EVENTS.with(|events| events.borrow_mut().push(what.into()));
}

fn take_events() -> Vec<String> {
    EVENTS.with(|events| std::mem::take(&mut *events.borrow_mut()))
}

/// Sets its drop flag (an event) when dropped.
struct Flag(&'static str);

impl Drop for Flag {
    fn drop(&mut self) {
        event(format!("drop {}", self.0));
    }
}

/// A receiver without `Drop` of its own whose fields have drop flags: a body using only
/// one field must still keep the whole value until the end.
struct Pair {
    left: Flag,
    #[expect(dead_code, reason = "only its drop flag matters")]
    right: Flag,
}

/// Polls `future` once (it never waits), then records when it returned `Ready` and when it
/// was dropped.
fn run_logged<F: Future>(label: &str, future: F) -> Vec<String> {
    event(format!("{label}: created"));
    {
        let mut future = pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        assert!(matches!(future.as_mut().poll(&mut cx), Poll::Ready(_)));
        event("ready");
    }
    event("future dropped");
    take_events()
}

#[async_trait]
trait Consume {
    async fn args(&self, a: Flag, b: Flag, c: Flag);
    async fn patterns(&self, wild: Flag, pair: (Flag, Flag), unused: Flag, by_ref: Flag);
    async fn by_value(self)
    where
        Self: Sized;
    async fn boxed(self: Box<Self>);
}

#[async_trait]
impl Consume for Pair {
    async fn args(&self, a: Flag, b: Flag, c: Flag) {
        let _local = Flag("local");
        event(format!("body uses {}", b.0));
        let _ = (&a, &c);
    }

    async fn patterns(&self, _: Flag, (x, y): (Flag, Flag), _unused: Flag, ref mut by_ref: Flag) {
        event(format!("body {} {} {}", x.0, y.0, by_ref.0));
    }

    async fn by_value(self) {
        event(format!("body uses {}", self.left.0));
    }

    async fn boxed(self: Box<Self>) {
        event("body");
    }
}

// The same bodies as native `async fn`s: the reference behaviour.
async fn native_args(_this: &Pair, a: Flag, b: Flag, c: Flag) {
    let _local = Flag("local");
    event(format!("body uses {}", b.0));
    let _ = (&a, &c);
}

#[expect(
    clippy::toplevel_ref_arg,
    reason = "the same pattern as the trait method"
)]
async fn native_patterns(
    _this: &Pair,
    _: Flag,
    (x, y): (Flag, Flag),
    _unused: Flag,
    ref mut by_ref: Flag,
) {
    event(format!("body {} {} {}", x.0, y.0, by_ref.0));
}

async fn native_by_value(this: Pair) {
    event(format!("body uses {}", this.left.0));
}

async fn native_boxed(_this: Box<Pair>) {
    event("body");
}

fn pair() -> Pair {
    Pair {
        left: Flag("self.left"),
        right: Flag("self.right"),
    }
}

#[test]
fn by_value_args_drop_after_body_like_native_async_fn() {
    let this = pair();
    let ours = run_logged("call", this.args(Flag("a"), Flag("b"), Flag("c")));
    let native = run_logged("call", native_args(&this, Flag("a"), Flag("b"), Flag("c")));
    assert_eq!(ours, native);
    assert_eq!(
        ours,
        [
            "call: created",
            "body uses b",
            "drop local",
            "drop c",
            "drop b",
            "drop a",
            "ready",
            "future dropped"
        ]
    );
}

#[test]
fn wildcard_tuple_underscore_and_ref_mut_patterns_drop_like_native_async_fn() {
    let this = pair();
    let args = || {
        (
            Flag("wild"),
            (Flag("x"), Flag("y")),
            Flag("unused"),
            Flag("ref"),
        )
    };
    let (w, p, u, r) = args();
    let ours = run_logged("call", this.patterns(w, p, u, r));
    let (w, p, u, r) = args();
    let native = run_logged("call", native_patterns(&this, w, p, u, r));
    assert_eq!(ours, native);
    // `_` is not dropped early: it lives until the body ends.
    let wild = ours.iter().position(|e| e == "drop wild").unwrap();
    let body = ours.iter().position(|e| e.starts_with("body")).unwrap();
    assert!(wild > body, "{ours:?}");
}

#[test]
fn self_by_value_is_kept_whole_until_the_body_ends_like_native_async_fn() {
    let ours = run_logged("call", pair().by_value());
    let native = run_logged("call", native_by_value(pair()));
    assert_eq!(ours, native);
    assert_eq!(
        ours,
        [
            "call: created",
            "body uses self.left",
            "drop self.left",
            "drop self.right",
            "ready",
            "future dropped"
        ]
    );
}

#[test]
fn boxed_self_drops_after_body_like_native_async_fn() {
    let ours = run_logged("call", Box::new(pair()).boxed());
    let native = run_logged("call", native_boxed(Box::new(pair())));
    assert_eq!(ours, native);
    assert_eq!(ours[1], "body");
}

#[test]
fn future_dropped_before_first_poll_drops_its_arguments_then_not_at_call() {
    let this = pair();
    let future = this.args(Flag("a"), Flag("b"), Flag("c"));
    event("called");
    drop(future);
    let ours = take_events();
    let future = native_args(&this, Flag("a"), Flag("b"), Flag("c"));
    event("called");
    drop(future);
    let native = take_events();
    assert_eq!(ours, native);
    assert_eq!(ours[0], "called");
    assert_eq!(ours.len(), 4, "{ours:?}");
}
