//! The async-trait group: one call of an async trait method, trivial, with a borrowed
//! argument, and 5 deep, made
//! statically on `#[patience::async_trait(native)]`, through its `dyn` companion, through
//! boxed `#[patience::async_trait]`, through the async-trait crate and through dynosaur.
//!
//! Each operation makes the call's future and polls it to completion with a no-op waker
//! (every future here is ready on its first poll), so a row is the cost of the call itself:
//! for the boxing rows one allocation (and free) per level, for the static row none. The
//! implementor is behind `black_box`, so nothing is folded away at compile time; the
//! static row still lets the compiler inline the method, which is the point of it.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::harness::{Case, Config, Row, measure};

/// The reference row of the group.
pub const REFERENCE: &str = "async-trait: dyn";
/// The rows, for the targets.
pub const NATIVE_STATIC: &str = "patience native: static";
/// See [`NATIVE_STATIC`].
pub const NATIVE_DYN: &str = "patience native: dyn companion";
/// Title prefixes of the group's tables.
pub const TRIVIAL: &str = "async_trait: trivial call";
/// See [`TRIVIAL`].
pub const DEEP: &str = "async_trait: 5-deep call";
/// See [`TRIVIAL`].
pub const BORROWED: &str = "async_trait: call with a borrowed argument";

/// Polls `future` to completion with a no-op waker; returns its output.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

#[patience::async_trait(native)]
pub trait Native: Sync {
    async fn call(&self, x: u64) -> u64;
    async fn len(&self, text: &str) -> usize;
}

#[patience::async_trait]
pub trait Boxed: Sync {
    async fn call(&self, x: u64) -> u64;
    async fn len(&self, text: &str) -> usize;
}

#[async_trait::async_trait]
pub trait Peer: Sync {
    async fn call(&self, x: u64) -> u64;
    async fn len(&self, text: &str) -> usize;
}

#[dynosaur::dynosaur(DynDyno = dyn(box) Dyno)]
pub trait Dyno: Sync {
    async fn call(&self, x: u64) -> u64;
    async fn len(&self, text: &str) -> usize;
}

/// The last level: adds one.
pub struct Leaf;

impl Native for Leaf {
    async fn call(&self, x: u64) -> u64 {
        x + 1
    }

    async fn len(&self, text: &str) -> usize {
        text.len()
    }
}

#[patience::async_trait]
impl Boxed for Leaf {
    async fn call(&self, x: u64) -> u64 {
        x + 1
    }

    async fn len(&self, text: &str) -> usize {
        text.len()
    }
}

#[async_trait::async_trait]
impl Peer for Leaf {
    async fn call(&self, x: u64) -> u64 {
        x + 1
    }

    async fn len(&self, text: &str) -> usize {
        text.len()
    }
}

impl Dyno for Leaf {
    async fn call(&self, x: u64) -> u64 {
        x + 1
    }

    async fn len(&self, text: &str) -> usize {
        text.len()
    }
}

/// A level calling the next one statically (the static row's chain: `Node<Node<..Leaf>>`).
pub struct Node<N>(N);

impl<N: Native> Native for Node<N> {
    async fn call(&self, x: u64) -> u64 {
        self.0.call(x).await + 1
    }

    async fn len(&self, text: &str) -> usize {
        self.0.len(text).await
    }
}

/// A level calling the next one through `dyn` (the other rows' chains).
pub struct DynNode<'a, D: ?Sized>(&'a D);

impl Native for DynNode<'_, dyn DynNative + Sync + '_> {
    async fn call(&self, x: u64) -> u64 {
        self.0.call(x).await + 1
    }

    async fn len(&self, text: &str) -> usize {
        self.0.len(text).await
    }
}

#[patience::async_trait]
impl Boxed for DynNode<'_, dyn Boxed + '_> {
    async fn call(&self, x: u64) -> u64 {
        self.0.call(x).await + 1
    }

    async fn len(&self, text: &str) -> usize {
        self.0.len(text).await
    }
}

#[async_trait::async_trait]
impl Peer for DynNode<'_, dyn Peer + '_> {
    async fn call(&self, x: u64) -> u64 {
        self.0.call(x).await + 1
    }

    async fn len(&self, text: &str) -> usize {
        self.0.len(text).await
    }
}

impl Dyno for DynNode<'_, DynDyno<'_>> {
    async fn call(&self, x: u64) -> u64 {
        self.0.call(x).await + 1
    }

    async fn len(&self, text: &str) -> usize {
        self.0.len(text).await
    }
}

/// A case calling `$trait::call` on `target` `iters` times; each result feeds the next
/// argument.
macro_rules! case {
    ($name:expr, $trait:ident, $target:expr) => {{
        let target = $target;
        Case::new($name, move |iters| {
            let target = black_box(target);
            let mut x = 0u64;
            for _ in 0..iters {
                x = run($trait::call(target, black_box(x)));
            }
            black_box(x);
            0
        })
    }};
}

/// A case calling `$trait::len` on `target` `iters` times with a borrowed string: the
/// companion's path for futures that borrow more than the receiver.
macro_rules! borrowed_case {
    ($name:expr, $trait:ident, $target:expr) => {{
        let target = $target;
        Case::new($name, move |iters| {
            let target = black_box(target);
            let text = String::from("borrowed");
            let mut total = 0usize;
            for _ in 0..iters {
                total = total.wrapping_add(run($trait::len(target, black_box(&text))));
            }
            black_box(total);
            0
        })
    }};
}

/// Binds `$top` to the top of a chain of four `DynNode`s over `$leaf` (five levels, each
/// reached through `$dyn`); `$wrap` turns a level into the `&$dyn` the next one holds.
macro_rules! chain {
    ($top:ident: $dyn:ty = $leaf:expr, $wrap:expr) => {
        let n1 = DynNode::<$dyn>($leaf);
        let n2 = DynNode::<$dyn>($wrap(&n1));
        let n3 = DynNode::<$dyn>($wrap(&n2));
        let n4 = DynNode::<$dyn>($wrap(&n3));
        let $top: &$dyn = $wrap(&n4);
    };
}

/// Runs the group; returns (title, rows) per table.
pub fn run_group(config: Config) -> Vec<(String, Vec<Row>)> {
    let leaf = Leaf;
    let mut out = Vec::new();

    let native: &(dyn DynNative + Sync + '_) = &leaf;
    let boxed: &(dyn Boxed + '_) = &leaf;
    let peer: &(dyn Peer + '_) = &leaf;
    let dyno: &DynDyno<'_> = DynDyno::from_ref(&leaf);
    let mut cases = vec![
        case!(NATIVE_STATIC, Native, &leaf),
        case!(NATIVE_DYN, Native, native),
        case!("patience #[async_trait]: dyn", Boxed, boxed),
        case!(REFERENCE, Peer, peer),
        case!("dynosaur: dyn", Dyno, dyno),
    ];
    out.push((
        format!("{TRIVIAL} (ready at once)"),
        measure(&mut cases, config),
    ));
    drop(cases);

    let mut cases = vec![
        borrowed_case!(NATIVE_STATIC, Native, &leaf),
        borrowed_case!(NATIVE_DYN, Native, native),
        borrowed_case!("patience #[async_trait]: dyn", Boxed, boxed),
        borrowed_case!(REFERENCE, Peer, peer),
        borrowed_case!("dynosaur: dyn", Dyno, dyno),
    ];
    out.push((
        format!("{BORROWED} (`&self, &str`: two lifetimes)"),
        measure(&mut cases, config),
    ));
    drop(cases);

    let chain = Node(Node(Node(Node(Leaf))));
    chain!(native: dyn DynNative + Sync + '_ = native, |n| n as &(dyn DynNative + Sync + '_));
    chain!(boxed: dyn Boxed + '_ = boxed, |n| n as &(dyn Boxed + '_));
    chain!(peer: dyn Peer + '_ = peer, |n| n as &(dyn Peer + '_));
    chain!(dyno: DynDyno<'_> = dyno, DynDyno::from_ref);
    let mut cases = vec![
        case!(NATIVE_STATIC, Native, &chain),
        case!(NATIVE_DYN, Native, native),
        case!("patience #[async_trait]: dyn", Boxed, boxed),
        case!(REFERENCE, Peer, peer),
        case!("dynosaur: dyn", Dyno, dyno),
    ];
    out.push((
        format!("{DEEP} (each level awaits the next)"),
        measure(&mut cases, config),
    ));
    out
}
