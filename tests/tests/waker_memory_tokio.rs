//! Memory stays bounded on a work-stealing runtime: 100,000 tasks, each a select of 16
//! branches (a waker per branch) woken from other tasks, on tokio's multi-thread
//! runtime with 4 workers, in 100 phases of 1,000. Counted by a global allocator; one
//! test in this binary, so nothing else allocates while it measures.

mod alloc_support;
mod arity;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::{self, ThreadId};

use alloc_support::{Counting, LOCAL_CAP, block_bytes, live_bytes};
use arity::with_indices;

#[global_allocator]
static ALLOC: Counting = Counting;

const WORKERS: usize = 4;
const PHASES: usize = 100;
const TASKS: usize = 1_000;
/// Tasks each waker task wakes.
const PER_WAKER: usize = 25;

/// One task's switchboard: the branch chosen to finish (`0`: none yet, `i + 1`: branch
/// `i`) and the waker each branch was last polled with.
struct Switch {
    fired: AtomicUsize,
    wakers: Mutex<Vec<Option<Waker>>>,
    /// Counts first polls of branch 0: the select has been polled once.
    armed: Arc<tokio::sync::Semaphore>,
}

impl Switch {
    fn new(branches: usize, armed: &Arc<tokio::sync::Semaphore>) -> Arc<Switch> {
        Arc::new(Switch {
            fired: AtomicUsize::new(0),
            wakers: Mutex::new(vec![None; branches]),
            armed: armed.clone(),
        })
    }

    fn branch(self: &Arc<Self>, index: usize) -> Branch {
        Branch {
            switch: self.clone(),
            index,
            polled: false,
        }
    }

    /// Wakes branch `index`'s waker; it finishes if `finish`.
    fn wake(&self, index: usize, finish: bool) {
        if finish {
            self.fired.store(index + 1, Ordering::Release);
        }
        let waker = self.wakers.lock().unwrap()[index].take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Ready with its index once its switch chose it; pending otherwise.
struct Branch {
    switch: Arc<Switch>,
    index: usize,
    polled: bool,
}

impl Future for Branch {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        if !self.polled && self.index == 0 {
            self.switch.armed.add_permits(1);
        }
        self.polled = true;
        let mut wakers = self.switch.wakers.lock().unwrap();
        // Checked under the lock that `wake` takes the waker under: a wake-up cannot
        // slip between the check and the store.
        if self.switch.fired.load(Ordering::Acquire) == self.index + 1 {
            return Poll::Ready(self.index);
        }
        wakers[self.index] = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// A select over the listed branches of `$switch`, giving the winner's index.
macro_rules! select_switch {
    ($switch:ident; $($i:literal)*) => {
        patience::select! { $(v = $switch.branch($i) => v,)* }
    };
}

/// Runs one task's select of `$k` branches and returns the winner, and whether the
/// task finished on another worker than it started on.
macro_rules! waiter {
    ($k:tt) => {{
        |switch: Arc<Switch>| async move {
            let started: ThreadId = thread::current().id();
            let won: usize = with_indices!($k, select_switch!(switch;));
            (won, thread::current().id() != started)
        }
    }};
}

/// What one run of the phases measured.
struct Run {
    /// Live bytes after the first phase and after the last.
    first: i64,
    last: i64,
    /// Tasks that finished on another worker than they started on.
    moved: usize,
}

/// Runs the phases on a fresh runtime: each spawns `TASKS` tasks running
/// `waiter(switch)`, waits until every select has been polled once (so all are alive
/// and pending at once), then spawns waker tasks that each wake, for `PER_WAKER` of
/// them, one other branch spuriously and then the chosen branch, yielding in between.
fn run<F, W>(branches: usize, waiter: W) -> Run
where
    W: Fn(Arc<Switch>) -> F,
    F: Future<Output = (usize, bool)> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .build()
        .unwrap();
    let mut first = 0;
    let mut moved = 0;
    for phase in 0..PHASES {
        moved += runtime.block_on(one_phase(phase, branches, &waiter));
        if phase == 0 {
            first = live_bytes();
        }
    }
    let last = live_bytes();
    drop(runtime);
    Run { first, last, moved }
}

async fn one_phase<F, W>(phase: usize, branches: usize, waiter: &W) -> usize
where
    W: Fn(Arc<Switch>) -> F,
    F: Future<Output = (usize, bool)> + Send + 'static,
{
    let armed = Arc::new(tokio::sync::Semaphore::new(0));
    let switches: Vec<Arc<Switch>> = (0..TASKS).map(|_| Switch::new(branches, &armed)).collect();
    let chosen = move |task: usize| (task * 7 + phase) % branches;
    let tasks: Vec<_> = switches
        .iter()
        .map(|switch| tokio::spawn(waiter(switch.clone())))
        .collect();
    let _all_pending = armed.acquire_many(TASKS as u32).await.unwrap();
    let wakers: Vec<_> = switches
        .chunks(PER_WAKER)
        .enumerate()
        .map(|(chunk, group)| {
            let group = group.to_vec();
            tokio::spawn(async move {
                for (offset, switch) in group.iter().enumerate() {
                    let task = chunk * PER_WAKER + offset;
                    let winner = chosen(task);
                    switch.wake((winner + 1) % branches, false);
                    tokio::task::yield_now().await;
                    switch.wake(winner, true);
                }
            })
        })
        .collect();
    let mut moved = 0;
    for (task, handle) in tasks.into_iter().enumerate() {
        let (won, moved_worker) = handle.await.unwrap();
        assert_eq!(won, chosen(task), "phase {phase}, task {task}");
        moved += usize::from(moved_worker);
    }
    for handle in wakers {
        handle.await.unwrap();
    }
    moved
}

/// 100 phases of 1,000 tasks each running a select of 16 (a waker per branch), woken
/// from other tasks: the blocks leased in the first phase are reused by all the
/// others, whichever worker drops a select and whichever leases the next, so live
/// memory after the last phase is within the pool's caches (`LOCAL_CAP` blocks per
/// worker) plus tokio's own variation (measured by the same run with selects of 8,
/// which lease no block) of the memory after the first.
#[test]
#[cfg_attr(
    miri,
    ignore = "tokio's multi-thread runtime at this scale is too slow under Miri"
)]
fn a_hundred_thousand_tasks_with_large_selects_on_a_work_stealing_runtime_keep_memory_bounded() {
    let baseline = run(8, waiter!(8));
    let tracked = run(16, waiter!(16));
    let noise = (baseline.last - baseline.first).max(0);
    let growth = tracked.last - tracked.first;
    // A new block is made only when the leasing worker's cache and the global pool are
    // empty: every block then is leased (at most TASKS - 1) or cached by one of the
    // other workers (at most LOCAL_CAP each). The first phase already made TASKS blocks
    // (every select was pending at once), so later phases add at most this many.
    let blocks = LOCAL_CAP * (WORKERS - 1);
    let bound = (blocks * block_bytes(1)) as i64 + 2 * noise + 8192;
    eprintln!(
        "selects of 8 (tokio alone): live bytes after phase 1 {}, after phase {PHASES} {} \
         ({:+}); selects of 16: {} then {} ({growth:+}); bound {bound} B ({blocks} blocks \
         of {} B, twice tokio's variation, 8 KiB); tasks that moved worker: {} and {}",
        baseline.first,
        baseline.last,
        baseline.last - baseline.first,
        tracked.first,
        tracked.last,
        block_bytes(1),
        baseline.moved,
        tracked.moved,
    );
    assert!(
        growth <= bound,
        "{growth} bytes more after {PHASES} phases than after the first; bound {bound}"
    );
    // The tasks really were woken on, and moved between, workers.
    assert!(tracked.moved > 0, "no task finished on another worker");
}
