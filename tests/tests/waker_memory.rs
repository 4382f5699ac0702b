//! Memory stays bounded when large selects and joins are polled on one thread and
//! dropped on another (the pattern of a work-stealing runtime), counted by a global
//! allocator. One test in this binary, so nothing else allocates while it measures.
//!
//! Waker blocks are never freed (a kept child waker must stay valid), so they must be
//! reused: a block given back on thread B has to reach thread A, which leases the next
//! one. An earlier design kept blocks given back on B in B's thread-local list, where A
//! never looked: one new block per hand-off, for as long as B lived.

mod alloc_support;
mod arity;

use std::future::{Future, pending};
use std::pin::Pin;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::task::{Context, Waker};
use std::thread::{self, JoinHandle};

use alloc_support::{
    Counting, LOCAL_CAP, block_bytes, leased_block_bytes, live_bytes, this_thread_bytes,
};
use arity::with_indices;

#[global_allocator]
static ALLOC: Counting = Counting;

/// Hand-offs measured (one select or join alive at a time).
const HANDOFFS: usize = if cfg!(miri) { 20 } else { 25_000 };

/// A select or join, polled once, on its way to the thread that drops it.
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A select of 32 branches that never finish: above 12, so each branch gets its own
/// waker from a block of one flag word.
fn select_of_32() -> Job {
    macro_rules! select_pending {
        ($($i:literal)*) => {
            patience::select! { $(_ = pending::<()>() => $i,)* }
        };
    }
    Box::pin(async {
        let _won: usize = with_indices!(32, select_pending!());
    })
}

/// A join of 32 children that never finish.
fn join_of_32() -> Job {
    macro_rules! join_pending {
        ($($i:literal)*) => {
            patience::join!($({ let _ = $i; pending::<()>() },)*)
        };
    }
    Box::pin(async {
        let _ = with_indices!(32, join_pending!());
    })
}

/// What thread A reports about the first job it makes.
struct FirstLease {
    /// Bytes of the boxed future.
    future: usize,
    /// Live bytes the first poll added (the block it leased).
    poll: i64,
}

/// Thread A makes and polls jobs; thread B drops them. Each command to A is "do `n`
/// hand-offs", one job alive at a time; A answers when they are done, so the main
/// thread measures while both threads wait. Rendezvous-free bounded channels allocate
/// their buffers once, when made, so they add nothing while measuring.
struct Pair {
    commands: SyncSender<usize>,
    finished: Receiver<()>,
    first: Receiver<FirstLease>,
    threads: [JoinHandle<()>; 2],
}

impl Pair {
    fn start(make: fn() -> Job) -> Pair {
        let (commands, command_rx) = sync_channel::<usize>(1);
        let (finished_tx, finished) = sync_channel::<()>(1);
        let (first_tx, first) = sync_channel::<FirstLease>(1);
        let (job_tx, job_rx) = sync_channel::<Job>(1);
        let (dropped_tx, dropped_rx) = sync_channel::<()>(1);
        let b = thread::spawn(move || {
            for job in job_rx {
                drop(job);
                dropped_tx.send(()).unwrap();
            }
        });
        let a = thread::spawn(move || {
            let waker = Waker::noop();
            let mut cx = Context::from_waker(waker);
            let mut first_tx = Some(first_tx);
            for n in command_rx {
                for _ in 0..n {
                    let mut job = make();
                    // Counted on this thread only: B's and the main thread's first
                    // blocking receives allocate while this poll runs.
                    let before = this_thread_bytes();
                    assert!(job.as_mut().poll(&mut cx).is_pending());
                    if let Some(first_tx) = first_tx.take() {
                        let poll = this_thread_bytes() - before;
                        let future = size_of_val(&*job);
                        first_tx.send(FirstLease { future, poll }).unwrap();
                    }
                    job_tx.send(job).unwrap();
                    dropped_rx.recv().unwrap();
                }
                finished_tx.send(()).unwrap();
            }
        });
        Pair {
            commands,
            finished,
            first,
            threads: [a, b],
        }
    }

    /// Runs `n` hand-offs and returns the live bytes after them.
    fn run(&self, n: usize) -> i64 {
        self.commands.send(n).unwrap();
        self.finished.recv().unwrap();
        live_bytes()
    }

    fn stop(self) {
        drop(self.commands);
        for thread in self.threads {
            thread.join().unwrap();
        }
    }
}

/// Live bytes around the hand-offs of one kind of job.
struct Figures {
    /// After the first hand-off (thread-local state of both threads made).
    first: i64,
    /// After `LOCAL_CAP + 2` more: B's cache of free blocks is full.
    warm: i64,
    /// After `HANDOFFS` more.
    end: i64,
    first_lease: FirstLease,
}

fn measure(make: fn() -> Job) -> Figures {
    let pair = Pair::start(make);
    let first = pair.run(1);
    let first_lease = pair.first.recv().unwrap();
    let warm = pair.run(LOCAL_CAP + 2);
    let end = pair.run(HANDOFFS);
    pair.stop();
    Figures {
        first,
        warm,
        end,
        first_lease,
    }
}

/// Asserts the bounds of one run; `what` names it in messages.
fn check(what: &str, figures: &Figures) {
    let block = block_bytes(1) as i64;
    let warm_up = figures.warm - figures.first;
    let steady = figures.end - figures.warm;
    let total = figures.end - figures.first;
    eprintln!(
        "{what}: block {block} B; live bytes after the first hand-off {}, after the warm-up \
         {} ({warm_up:+}), after {HANDOFFS} more {} ({steady:+}; {total:+} in all)",
        figures.first, figures.warm, figures.end
    );
    // B caches up to LOCAL_CAP free blocks for itself; every other block given back on
    // B goes to the global pool, where A takes it again: at most LOCAL_CAP + 1 blocks
    // exist, plus the pools' stacks (less than one block's worth of bytes).
    assert!(
        total <= (LOCAL_CAP as i64 + 2) * block,
        "{what}: {total} bytes more after {HANDOFFS} hand-offs than after the first; the \
         bound is {} blocks of {block} B",
        LOCAL_CAP + 2
    );
    // Once B's cache is full, each hand-off reuses the block the previous one gave back.
    assert!(
        steady <= 2 * block,
        "{what}: {steady} bytes more after {HANDOFFS} hand-offs with B's cache full; the \
         bound is 2 blocks of {block} B"
    );
}

/// Thread A polls a select (then a join) of 32 once, thread B drops it; 25,000 times
/// each, one alive at a time, while both threads live on. The blocks must circulate
/// from B back to A, so live memory after the run is within a few blocks of before.
#[test]
fn selects_and_joins_polled_on_one_thread_and_dropped_on_another_keep_memory_bounded() {
    let select = measure(select_of_32);
    let join = measure(join_of_32);
    check("select! of 32", &select);
    check("join! of 32", &join);
    // The size model behind the bounds: the very first lease of the process made a
    // block of exactly `leased_block_bytes(1)` bytes (and nothing else: the boxed
    // future was counted before the poll).
    assert_eq!(
        select.first_lease.poll,
        leased_block_bytes(1) as i64,
        "the first poll of a select of 32 allocated more or less than one block as \
         modelled in alloc_support::leased_block_bytes (future: {} B): update the model \
         to the layout of runtime-shim/src/__private/wakers",
        select.first_lease.future
    );
}
