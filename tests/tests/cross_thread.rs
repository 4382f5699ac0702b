//! Large selects and joins (a waker per child) across threads: child wakers kept after
//! their select and its thread are gone, nested large selects and joins completed from
//! another thread, and many threads at once. Every test runs under a watchdog: a lost
//! wake-up fails it instead of hanging it.

mod arity;

use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use futures::channel::oneshot;

use arity::with_indices;

/// How long a test may take before the watchdog fails it.
const LIMIT: Duration = Duration::from_secs(if cfg!(miri) { 3_600 } else { 120 });

/// Runs `f` on its own thread and fails the test if it does not finish within `LIMIT`.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(value) => {
            worker.join().unwrap();
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // `f` panicked: show its panic.
            std::panic::resume_unwind(worker.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: not finished after {LIMIT:?}: a wake-up was lost (or a deadlock)")
        }
    }
}

/// xorshift64*, for reproducible shuffles.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Kept wakers
// ---------------------------------------------------------------------------------------

/// A task waker that counts its wake-ups and lets a thread wait for the next one.
#[derive(Default)]
struct Counted {
    wakes: Mutex<usize>,
    changed: Condvar,
}

impl Wake for Counted {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        *self.wakes.lock().unwrap() += 1;
        self.changed.notify_all();
    }
}

impl Counted {
    fn get(&self) -> usize {
        *self.wakes.lock().unwrap()
    }

    /// Waits until the count exceeds `seen`.
    fn wait_past(&self, seen: usize) -> usize {
        let wakes = self.wakes.lock().unwrap();
        *self.changed.wait_while(wakes, |n| *n <= seen).unwrap()
    }
}

/// Polls `future` to completion on this thread with a counted waker, calling
/// `after_first_poll` once the first poll returned `Pending` (it must).
fn run_counted<F: std::future::Future>(
    future: F,
    task: &Arc<Counted>,
    after_first_poll: impl FnOnce(),
) -> F::Output {
    let waker = Waker::from(task.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    let mut after_first_poll = Some(after_first_poll);
    loop {
        let seen = task.get();
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            assert!(after_first_poll.is_none(), "finished on the first poll");
            return output;
        }
        if let Some(hook) = after_first_poll.take() {
            hook();
        }
        task.wait_past(seen);
    }
}

/// A child that hands out every waker it is polled with, and finishes once its
/// receiver has a value.
struct Exposed {
    wakers: mpsc::Sender<Waker>,
    value: oneshot::Receiver<usize>,
}

impl std::future::Future for Exposed {
    type Output = usize;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let _ = self.wakers.send(cx.waker().clone());
        match std::pin::Pin::new(&mut self.value).poll(cx) {
            Poll::Ready(value) => Poll::Ready(value.unwrap_or(usize::MAX)),
            Poll::Pending => Poll::Pending,
        }
    }
}

macro_rules! select_exposed {
    ($children:ident; $($i:literal)*) => {
        patience::select! { $(v = $children.next().unwrap() => ($i, v),)* }
    };
}

macro_rules! join_exposed {
    ($children:ident; $($i:tt)*) => {{
        let out = patience::join!($({ let _ = $i; $children.next().unwrap() },)*);
        vec![$(out.$i,)*]
    }};
}

/// Makes 32 `Exposed` children; their wakers go to `wakers`, their values come from the
/// returned senders.
fn exposed(wakers: &mpsc::Sender<Waker>) -> (Vec<Exposed>, Vec<oneshot::Sender<usize>>) {
    (0..32)
        .map(|_| {
            let (tx, rx) = oneshot::channel();
            let child = Exposed {
                wakers: wakers.clone(),
                value: rx,
            };
            (child, tx)
        })
        .unzip()
}

/// Four threads that clone, wake (by reference and by value) and drop `wakers`, each
/// `rounds` times over.
fn hammer(wakers: &[Waker], rounds: usize) -> Vec<thread::JoinHandle<()>> {
    (0..4)
        .map(|t| {
            let wakers = wakers.to_vec();
            thread::spawn(move || {
                for round in 0..rounds {
                    for (i, waker) in wakers.iter().enumerate() {
                        let clone = waker.clone();
                        clone.wake_by_ref();
                        if (i + round + t) % 2 == 0 {
                            clone.wake();
                        } else {
                            drop(clone);
                        }
                    }
                }
                for waker in wakers {
                    waker.wake();
                }
            })
        })
        .collect()
}

/// Thread P runs a select of 32 (then a join of 32) whose children hand out their
/// wakers, finished by a value sent from another thread; then P exits. The kept wakers
/// are then cloned, woken and dropped on four other threads, while another thread runs
/// selects of 32 that may lease the same blocks: P's task is never woken again, and the
/// later selects still finish (the stale wake-ups are spurious ones).
#[test]
fn child_wakers_kept_after_the_select_and_its_thread_are_gone_stay_usable_and_wake_nobody() {
    const ROUNDS: usize = if cfg!(miri) { 3 } else { 2_000 };
    const LATER: usize = if cfg!(miri) { 2 } else { 200 };
    within("kept wakers", || {
        let (waker_tx, waker_rx) = mpsc::channel::<Waker>();
        let task = Arc::new(Counted::default());
        let p_task = task.clone();
        let p = thread::spawn(move || {
            // Every child is polled (and hands out its waker) on the first poll; the
            // values are sent from another thread only after it.
            let (children, mut senders) = exposed(&waker_tx);
            let mut children = children.into_iter();
            let sender = senders.remove(7);
            let mut finisher = None;
            let won = run_counted(
                async { with_indices!(32, select_exposed!(children;)) },
                &p_task,
                || finisher = Some(thread::spawn(move || sender.send(70).unwrap())),
            );
            finisher.unwrap().join().unwrap();
            let (children, senders_j) = exposed(&waker_tx);
            let mut children = children.into_iter();
            let mut finisher = None;
            let joined = run_counted(
                async { with_indices!(32, join_exposed!(children;)) },
                &p_task,
                || {
                    finisher = Some(thread::spawn(move || {
                        for (i, sender) in senders_j.into_iter().enumerate().rev() {
                            sender.send(i).unwrap();
                        }
                    }))
                },
            );
            finisher.unwrap().join().unwrap();
            drop(senders);
            (won, joined)
        });
        let (won, joined) = p.join().unwrap();
        assert_eq!(won, (7, 70));
        assert_eq!(joined, (0..32).collect::<Vec<_>>());
        let after_p = task.get();
        let kept: Vec<Waker> = waker_rx.try_iter().collect();
        assert!(kept.len() >= 64, "only {} wakers were kept", kept.len());
        let hammers = hammer(&kept, ROUNDS);
        // Meanwhile, later selects of 32 on another thread, each finished from a third.
        let later = thread::spawn(move || {
            let (waker_tx, _waker_rx) = mpsc::channel::<Waker>();
            for round in 0..LATER {
                let (children, mut senders) = exposed(&waker_tx);
                let mut children = children.into_iter();
                let chosen = round % 32;
                let sender = senders.swap_remove(chosen);
                let task = Arc::new(Counted::default());
                let mut finisher = None;
                let won = run_counted(
                    async { with_indices!(32, select_exposed!(children;)) },
                    &task,
                    || finisher = Some(thread::spawn(move || sender.send(round).unwrap())),
                );
                assert_eq!(won, (chosen, round));
                finisher.unwrap().join().unwrap();
            }
        });
        for hammer in hammers {
            hammer.join().unwrap();
        }
        later.join().unwrap();
        assert_eq!(
            task.get(),
            after_p,
            "a kept waker woke the finished select's task"
        );
        drop(kept);
    });
}

// ---------------------------------------------------------------------------------------
// Nesting
// ---------------------------------------------------------------------------------------

type Leaf = oneshot::Receiver<usize>;

/// A join of 16 leaves: their sum (a canceled leaf counts as `usize::MAX / 64`).
async fn join_of_16_leaves(leaves: Vec<Leaf>) -> usize {
    macro_rules! join_leaves {
        ($leaves:ident; $($i:tt)*) => {{
            let out = patience::join!($({ let _ = $i; $leaves.next().unwrap() },)*);
            0 $(+ out.$i.unwrap_or(usize::MAX / 64))*
        }};
    }
    let mut leaves = leaves.into_iter();
    with_indices!(16, join_leaves!(leaves;))
}

/// A select of 16 leaves: the index and value of the first leaf to get a value
/// (canceled leaves are rejected by the pattern).
async fn select_of_16_leaves(leaves: Vec<Leaf>) -> (usize, usize) {
    macro_rules! select_leaves {
        ($leaves:ident; $($i:literal)*) => {
            patience::select! { $(Ok(v) = $leaves.next().unwrap() => ($i, v),)* }
        };
    }
    let mut leaves = leaves.into_iter();
    with_indices!(16, select_leaves!(leaves;))
}

/// Leaves for `m` middles of `b` branches of 16 leaves each, and their senders, indexed
/// `[middle][branch][leaf]`.
#[allow(clippy::type_complexity)]
fn leaves(m: usize, b: usize) -> (Vec<Vec<Vec<Leaf>>>, Vec<Vec<Vec<oneshot::Sender<usize>>>>) {
    (0..m)
        .map(|_| {
            (0..b)
                .map(|_| {
                    (0..16)
                        .map(|_| oneshot::channel::<usize>())
                        .map(|(t, r)| (r, t))
                        .unzip()
                })
                .unzip()
        })
        .unzip()
}

/// Sends the listed `(middle, branch, leaf)` values in a shuffled order from another
/// thread, and keeps every other sender alive until `done` is dropped (so unsent
/// leaves stay pending rather than canceled).
fn send_from_another_thread(
    senders: Vec<Vec<Vec<oneshot::Sender<usize>>>>,
    send: impl Fn(usize, usize, usize) -> bool,
    seed: u64,
) -> (thread::JoinHandle<()>, mpsc::Sender<()>) {
    let mut chosen = Vec::new();
    let mut kept = Vec::new();
    for (m, branches) in senders.into_iter().enumerate() {
        for (b, leaves) in branches.into_iter().enumerate() {
            for (l, sender) in leaves.into_iter().enumerate() {
                if send(m, b, l) {
                    chosen.push((value(m, b, l), sender));
                } else {
                    kept.push(sender);
                }
            }
        }
    }
    let (done, until) = mpsc::channel::<()>();
    let thread = thread::spawn(move || {
        Rng(seed).shuffle(&mut chosen);
        for (value, sender) in chosen {
            // A leaf of a select's loser may be gone already.
            let _ = sender.send(value);
        }
        let _ = until.recv();
        drop(kept);
    });
    (thread, done)
}

fn value(m: usize, b: usize, l: usize) -> usize {
    (m * 16 + b) * 16 + l
}

/// `join!` of 13 `select!`s of 16 `join!`s of 16 leaves, driven by `block_on`, every
/// leaf sent from another thread in a shuffled order. In each select one join gets all
/// its leaves (it wins); every other gets 15 of 16 (it stays pending; 3 under Miri).
#[test]
fn a_join_of_selects_of_joins_all_large_finishes_when_woken_from_another_thread() {
    let chosen = |m: usize| (m * 5 + 3) % 16;
    let result = within("join of selects of joins", move || {
        let (leaves, senders) = leaves(13, 16);
        let (sender, done) = send_from_another_thread(
            senders,
            // (Under Miri, the losers get only 3 of their leaves: the same paths, in
            // half the time.)
            move |m, b, l| b == chosen(m) || (l != (m + b) % 16 && (!cfg!(miri) || l < 3)),
            0x5EED_0001,
        );
        macro_rules! middle_select {
            ($branches:ident; $($i:literal)*) => {
                patience::select! {
                    $(v = join_of_16_leaves($branches.next().unwrap()) => ($i, v),)*
                }
            };
        }
        let middle = |branches: Vec<Vec<Leaf>>| async move {
            let mut branches = branches.into_iter();
            with_indices!(16, middle_select!(branches;))
        };
        macro_rules! outer_join {
            ($middles:ident; $($i:tt)*) => {{
                let out = patience::join!($({ let _ = $i; middle($middles.next().unwrap()) },)*);
                vec![$(out.$i,)*]
            }};
        }
        let mut middles = leaves.into_iter();
        let out = patience::block_on(async { with_indices!(13, outer_join!(middles;)) });
        drop(done);
        sender.join().unwrap();
        out
    });
    let expected: Vec<(usize, usize)> = (0..13)
        .map(|m| (chosen(m), (0..16).map(|l| value(m, chosen(m), l)).sum()))
        .collect();
    assert_eq!(result, expected);
}

/// `select!` of 16 `join!`s of 13 `select!`s of 16 leaves: one join gets a leaf for each
/// of its 13 selects (it wins), every other join only for 12 of them.
#[test]
fn a_select_of_joins_of_selects_all_large_finishes_when_woken_from_another_thread() {
    const WINNER: usize = 11;
    let result = within("select of joins of selects", || {
        let (leaves, senders) = leaves(16, 13);
        // Leaf `(b * 3) % 16` of select `b` of join `m`, except join m's select m % 13
        // when m is not the winner.
        let (sender, done) = send_from_another_thread(
            senders,
            |m, b, l| l == (b * 3) % 16 && (m == WINNER || b != m % 13),
            0x5EED_0002,
        );
        macro_rules! middle_join {
            ($selects:ident; $($i:tt)*) => {{
                let out = patience::join!($({
                    let _ = $i;
                    select_of_16_leaves($selects.next().unwrap())
                },)*);
                vec![$(out.$i,)*]
            }};
        }
        let middle = |selects: Vec<Vec<Leaf>>| async move {
            let mut selects = selects.into_iter();
            with_indices!(13, middle_join!(selects;))
        };
        macro_rules! outer_select {
            ($middles:ident; $($i:literal)*) => {
                patience::select! { $(v = middle($middles.next().unwrap()) => ($i, v),)* }
            };
        }
        let mut middles = leaves.into_iter();
        let out = patience::block_on(async { with_indices!(16, outer_select!(middles;)) });
        drop(done);
        sender.join().unwrap();
        out
    });
    let expected: Vec<(usize, usize)> = (0..13)
        .map(|b| ((b * 3) % 16, value(WINNER, b, (b * 3) % 16)))
        .collect();
    assert_eq!(result, (WINNER, expected));
}

// ---------------------------------------------------------------------------------------
// Many threads
// ---------------------------------------------------------------------------------------

/// What a test thread asks the helpers to do with a round's senders.
enum Job {
    /// Complete one, cancel the rest (a select's pattern rejects canceled leaves).
    One(Vec<oneshot::Sender<usize>>, usize),
    /// Complete all, in a shuffled order.
    All(Vec<oneshot::Sender<usize>>),
}

/// Eight threads, each running selects of 32 (fair and biased) and joins of 32 on
/// `block_on`, their children completed by two helper threads: every round finishes
/// with the right values, within the watchdog's limit.
#[test]
fn many_threads_running_large_selects_and_joins_at_once_lose_no_wake_up() {
    const THREADS: usize = 8;
    const ROUNDS: usize = if cfg!(miri) { 2 } else { 1_000 };
    within("many threads", || {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let helpers: Vec<_> = (0..2u64)
            .map(|h| {
                let job_rx = job_rx.clone();
                thread::spawn(move || {
                    let mut rng = Rng(0x9E37_79B9 + h);
                    loop {
                        let job = job_rx.lock().unwrap().recv();
                        match job {
                            Ok(Job::One(mut senders, chosen)) => {
                                let sender = senders.swap_remove(chosen);
                                rng.shuffle(&mut senders);
                                drop(senders);
                                sender.send(chosen).unwrap();
                            }
                            Ok(Job::All(senders)) => {
                                let mut senders: Vec<_> = senders.into_iter().enumerate().collect();
                                rng.shuffle(&mut senders);
                                for (i, sender) in senders {
                                    sender.send(i).unwrap();
                                }
                            }
                            Err(_) => return,
                        }
                    }
                })
            })
            .collect();
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let jobs = jobs.clone();
                thread::spawn(move || {
                    for round in 0..ROUNDS {
                        run_round(t, round, &jobs);
                    }
                })
            })
            .collect();
        drop(jobs);
        for worker in workers {
            worker.join().unwrap();
        }
        for helper in helpers {
            helper.join().unwrap();
        }
    });
}

fn channels() -> (Vec<oneshot::Sender<usize>>, std::vec::IntoIter<Leaf>) {
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..32).map(|_| oneshot::channel()).unzip();
    (senders, receivers.into_iter())
}

/// One round of a test thread: a fair select, a biased select and a join, each of 32.
fn run_round(t: usize, round: usize, jobs: &mpsc::Sender<Job>) {
    macro_rules! fair {
        ($leaves:ident; $($i:literal)*) => {
            patience::select! { $(Ok(v) = $leaves.next().unwrap() => ($i, v),)* }
        };
    }
    macro_rules! biased {
        ($leaves:ident; $($i:literal)*) => {
            patience::select! { biased; $(Ok(v) = $leaves.next().unwrap() => ($i, v),)* }
        };
    }
    macro_rules! join_all_32 {
        ($leaves:ident; $($i:tt)*) => {{
            let out = patience::join!($({ let _ = $i; $leaves.next().unwrap() },)*);
            vec![$(out.$i.unwrap(),)*]
        }};
    }
    let chosen = (t * 7 + round) % 32;
    let (senders, mut leaves) = channels();
    jobs.send(Job::One(senders, chosen)).unwrap();
    let won = patience::block_on(async { with_indices!(32, fair!(leaves;)) });
    assert_eq!(won, (chosen, chosen), "thread {t}, round {round}, fair");
    let (senders, mut leaves) = channels();
    jobs.send(Job::One(senders, 31 - chosen)).unwrap();
    let won = patience::block_on(async { with_indices!(32, biased!(leaves;)) });
    assert_eq!(
        won,
        (31 - chosen, 31 - chosen),
        "thread {t}, round {round}, biased"
    );
    let (senders, mut leaves) = channels();
    jobs.send(Job::All(senders)).unwrap();
    let all = patience::block_on(async { with_indices!(32, join_all_32!(leaves;)) });
    assert_eq!(
        all,
        (0..32).collect::<Vec<_>>(),
        "thread {t}, round {round}, join"
    );
}
