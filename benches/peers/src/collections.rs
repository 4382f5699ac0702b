//! The collections group: `n` children (gates), all pending after the first poll, then
//! woken one at a time (in order, or in a shuffled order), the collection polled after
//! each wake-up until it stops waking itself. Every peer drives the same children: in
//! the current task (`join_all`s, `FuturesUnordered`, `FuturesOrdered`,
//! futures-concurrency) or as tasks spawned on a current-thread tokio runtime
//! (`JoinSet`). Reported per child: time, child polls, and the peak heap bytes of one
//! operation (`collections_alloc.rs`).

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use futures::StreamExt as _;
use futures::stream::{FuturesOrdered, FuturesUnordered};
use futures_concurrency::future::{FutureGroup, Join as _};

use crate::collections_alloc::peak_bytes;
use crate::gate::{Gate, Slot, gate, take_polls};
use crate::harness::{Case, Config, Row, measure};

/// How the children are woken after the first poll.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    /// Child 0, 1, 2, ...
    InOrder,
    /// A fixed shuffle (xorshift, the same every run).
    Random,
}

impl Order {
    pub fn describe(self) -> &'static str {
        match self {
            Order::InOrder => "woken one at a time in order",
            Order::Random => "woken one at a time in random order",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Order::InOrder => "in-order",
            Order::Random => "random",
        }
    }
}

/// The reference row: what any collection pays at least.
pub const FLOOR: &str = "the floor: the children polled directly by index (no collection)";

/// The peers, in table order (the floor first).
const PEERS: [&str; 9] = [
    FLOOR,
    "patience::join_all",
    "patience::FutureSet",
    "futures::future::join_all",
    "futures FuturesUnordered",
    "futures FuturesOrdered",
    "futures-concurrency Vec join",
    "futures-concurrency FutureGroup",
    "tokio JoinSet (current_thread, spawn_local)",
];

/// Peers whose every poll visits every child (quadratic here): not run at 1,000,000.
fn scans_every_child(peer: &str) -> bool {
    peer.starts_with("futures-concurrency")
}

/// One measured row: a peer at one `n` and order.
#[derive(Clone, Debug)]
pub struct CollectionRow {
    pub n: usize,
    pub order: Order,
    pub peer: &'static str,
    /// Median and fastest time per child, in nanoseconds.
    pub ns_per_child: f64,
    pub min_ns_per_child: f64,
    pub polls_per_child: f64,
    pub peak_bytes_per_child: f64,
}

/// Set by the driver's waker: the collection asked to be polled again.
static WOKEN: AtomicBool = AtomicBool::new(false);

fn flag_waker() -> Waker {
    fn clone(data: *const ()) -> RawWaker {
        RawWaker::new(data, &VTABLE)
    }
    fn wake(_: *const ()) {
        WOKEN.store(true, Ordering::Relaxed);
    }
    fn drop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);
    // SAFETY: the data pointer is never used, and the functions are thread-safe.
    unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) }
}

/// Polls until the future finishes or stops waking its task.
fn poll_idle<F: Future>(mut future: Pin<&mut F>, waker: &Waker) -> Option<F::Output> {
    loop {
        WOKEN.store(false, Ordering::Relaxed);
        if let Poll::Ready(out) = future.as_mut().poll(&mut Context::from_waker(waker)) {
            return Some(out);
        }
        if !WOKEN.load(Ordering::Relaxed) {
            return None;
        }
    }
}

/// Drives an in-task collection over `slots`: first poll, then each wake-up.
fn drive<F: Future<Output = usize>>(slots: &[Slot], order: &[usize], future: F) -> usize {
    for s in slots {
        s.reset();
    }
    let waker = flag_waker();
    let mut future = pin!(future);
    assert!(poll_idle(future.as_mut(), &waker).is_none());
    let mut out = None;
    for &i in order {
        slots[i].open_and_wake();
        out = poll_idle(future.as_mut(), &waker);
    }
    out.expect("the collection finished with its last child")
}

fn gates(slots: &'static [Slot]) -> impl Iterator<Item = Gate<'static>> {
    slots.iter().enumerate().map(|(i, s)| gate(s, i))
}

/// Sums a stream's items.
async fn sum<S: futures::Stream<Item = usize> + Unpin>(mut stream: S) -> usize {
    let mut total = 0;
    while let Some(i) = stream.next().await {
        total += i;
    }
    total
}

/// One operation of `peer` over `slots`; returns the sum of the children's outputs.
fn op(peer: &str, slots: &'static [Slot], order: &[usize], rt: &tokio::runtime::Runtime) -> usize {
    match peer {
        "patience::join_all" => drive(slots, order, async {
            patience::join_all(gates(slots)).await.iter().sum()
        }),
        "patience::FutureSet" => drive(slots, order, async {
            let mut set: patience::FutureSet<_> = gates(slots).collect();
            let mut total = 0;
            while let Some(i) = set.next().await {
                total += i;
            }
            total
        }),
        "futures::future::join_all" => drive(slots, order, async {
            futures::future::join_all(gates(slots)).await.iter().sum()
        }),
        "futures FuturesUnordered" => drive(slots, order, async {
            sum(gates(slots).collect::<FuturesUnordered<_>>()).await
        }),
        "futures FuturesOrdered" => drive(slots, order, async {
            sum(gates(slots).collect::<FuturesOrdered<_>>()).await
        }),
        "futures-concurrency Vec join" => drive(slots, order, async {
            gates(slots).collect::<Vec<_>>().join().await.iter().sum()
        }),
        "futures-concurrency FutureGroup" => drive(slots, order, async {
            sum(gates(slots).collect::<FutureGroup<_>>()).await
        }),
        "tokio JoinSet (current_thread, spawn_local)" => join_set(slots, order, rt),
        FLOOR => floor(slots, order),
        other => unreachable!("unknown peer {other}"),
    }
}

/// The children alone: each polled once, then, as it is woken, polled again through its
/// index, which no collection knows without bookkeeping (and the wake-up reaches no one).
/// What is left is the children's own cost and the memory traffic of reaching them.
fn floor(slots: &'static [Slot], order: &[usize]) -> usize {
    for s in slots {
        s.reset();
    }
    let waker = flag_waker();
    let mut cx = Context::from_waker(&waker);
    let mut children: Vec<Gate<'static>> = gates(slots).collect();
    for child in &mut children {
        assert!(Pin::new(child).poll(&mut cx).is_pending());
    }
    let mut total = 0;
    for &i in order {
        slots[i].open_and_wake();
        match Pin::new(&mut children[i]).poll(&mut cx) {
            Poll::Ready(out) => total += out,
            Poll::Pending => unreachable!("an open gate is ready"),
        }
    }
    total
}

/// The children as tasks on a current-thread runtime, joined through a `JoinSet`.
fn join_set(slots: &'static [Slot], order: &[usize], rt: &tokio::runtime::Runtime) -> usize {
    for s in slots {
        s.reset();
    }
    let local = tokio::task::LocalSet::new();
    local.block_on(rt, async {
        let mut set = tokio::task::JoinSet::new();
        for g in gates(slots) {
            set.spawn_local(g);
        }
        // Let the tasks take their first poll (all pending).
        tokio::task::yield_now().await;
        let mut total = 0;
        for &i in order {
            slots[i].open_and_wake();
            total += set.join_next().await.expect("a task").expect("no panic");
        }
        total
    })
}

/// `0..n` shuffled the same way on every run.
fn shuffled(n: usize) -> Vec<usize> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    order
}

/// Timing settings for `n` children: long operations get fewer samples.
fn config_for(n: usize, base: Config) -> Config {
    let samples = match n {
        0..=1_000 => base.samples,
        1_001..=100_000 => base.samples.min(9),
        _ => base.samples.min(3),
    };
    Config {
        sample: base.sample,
        samples,
    }
}

/// Measures every peer at `n` children in `order`.
fn group(n: usize, order: Order, slots: &'static [Slot], config: Config) -> Vec<CollectionRow> {
    let slots = &slots[..n];
    let wake_order: Vec<usize> = match order {
        Order::InOrder => (0..n).collect(),
        Order::Random => shuffled(n),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let peers: Vec<&'static str> = PEERS
        .into_iter()
        .filter(|p| n < 1_000_000 || !scans_every_child(p))
        .collect();
    let expected = n * (n - 1) / 2;
    let mut cases: Vec<Case<'_>> = peers
        .iter()
        .map(|&peer| {
            let (wake_order, rt) = (&wake_order, &rt);
            Case::new(peer, move |iters| {
                for _ in 0..iters {
                    assert_eq!(op(peer, slots, wake_order, rt), expected, "{peer}");
                }
                take_polls()
            })
        })
        .collect();
    let rows: Vec<Row> = measure(&mut cases, config_for(n, config));
    drop(cases);
    rows.iter()
        .zip(&peers)
        .map(|(row, &peer)| {
            let ((), peak) = peak_bytes(|| {
                op(peer, slots, &wake_order, &rt);
            });
            take_polls();
            CollectionRow {
                n,
                order,
                peer,
                ns_per_child: row.median_ns / n as f64,
                min_ns_per_child: row.min_ns / n as f64,
                polls_per_child: row.polls / n as f64,
                peak_bytes_per_child: peak as f64 / n as f64,
            }
        })
        .collect()
}

/// Sizes measured: 100, 10,000 and 1,000,000 children (100 and 1,000 for a smoke run).
pub fn sizes(smoke: bool) -> &'static [usize] {
    if smoke {
        &[100, 1_000]
    } else {
        &[100, 10_000, 1_000_000]
    }
}

/// Runs the group for every size and order.
pub fn run(config: Config, smoke: bool) -> Vec<CollectionRow> {
    let largest = *sizes(smoke).last().expect("sizes");
    let slots: &'static [Slot] = Vec::leak((0..largest).map(|_| Slot::default()).collect());
    let mut rows = Vec::new();
    for order in [Order::InOrder, Order::Random] {
        for &n in sizes(smoke) {
            rows.extend(group(n, order, slots, config));
        }
    }
    rows
}

/// The fastest peer (not patience) in the rows of one `n` and order.
pub fn best_peer(
    rows: &[CollectionRow],
    n: usize,
    order: Order,
    by: fn(&CollectionRow) -> f64,
) -> Option<&CollectionRow> {
    rows.iter()
        .filter(|r| r.n == n && r.order == order)
        .filter(|r| !r.peer.starts_with("patience") && r.peer != FLOOR)
        .min_by(|a, b| by(a).total_cmp(&by(b)))
}

/// The rows as markdown tables, one per order and size.
pub fn tables(rows: &[CollectionRow]) -> String {
    let mut out = String::new();
    for order in [Order::InOrder, Order::Random] {
        let mut ns: Vec<usize> = rows
            .iter()
            .filter(|r| r.order == order)
            .map(|r| r.n)
            .collect();
        ns.dedup();
        for n in ns {
            let best =
                best_peer(rows, n, order, |r| r.ns_per_child).map_or(f64::NAN, |r| r.ns_per_child);
            out.push_str(&format!(
                "\n#### collections, n = {n}, {}\n\n| case | median ns/child | min ns/child | ratio to the best peer (not the floor) | child polls/child | peak heap bytes/child |\n|---|---:|---:|---:|---:|---:|\n",
                order.describe()
            ));
            for r in rows.iter().filter(|r| r.n == n && r.order == order) {
                out.push_str(&format!(
                    "| {} | {:.1} | {:.1} | {:.2} | {:.2} | {:.1} |\n",
                    r.peer,
                    r.ns_per_child,
                    r.min_ns_per_child,
                    r.ns_per_child / best,
                    r.polls_per_child,
                    r.peak_bytes_per_child
                ));
            }
            if n >= 1_000_000 {
                out.push_str("\nNot run at this size: futures-concurrency's `Vec` join and `FutureGroup` visit every child on every poll, so waking a million children one at a time costs about 10^12 steps.\n");
            }
        }
    }
    out
}

/// One chart per order: ns per child against n, one line per peer.
pub fn charts(rows: &[CollectionRow]) -> Vec<(String, String)> {
    [Order::InOrder, Order::Random]
        .into_iter()
        .map(|order| {
            let series = PEERS
                .iter()
                .map(|&peer| crate::chart::Series {
                    name: peer.to_owned(),
                    points: rows
                        .iter()
                        .filter(|r| r.order == order && r.peer == peer)
                        .map(|r| (r.n, r.ns_per_child))
                        .collect(),
                })
                .filter(|s| !s.points.is_empty())
                .collect::<Vec<_>>();
            (
                format!("collections-{}.svg", order.slug()),
                crate::chart::svg_with(
                    &format!("collections, children {}: ns per child", order.describe()),
                    &series,
                    "n",
                    "median ns per child (log)",
                ),
            )
        })
        .collect()
}
