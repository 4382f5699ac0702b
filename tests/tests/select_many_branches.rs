//! `select!` with 200 branches (tokio stops at 64): it compiles, and every mode picks
//! the right branch.

use std::future::{Future, pending, ready};
use std::pin::Pin;

use patience::block_on;

/// Ready with `i` when `i == target`, pending forever otherwise.
fn gate(i: usize, target: usize) -> Pin<Box<dyn Future<Output = usize>>> {
    if i == target {
        Box::pin(ready(i))
    } else {
        Box::pin(pending())
    }
}

/// Expands to a `select!` (after the given mode tokens) with one branch
/// `n = gate(i, target) => n` per listed index `i`.
macro_rules! select_gates {
    ([$($mode:tt)*] $target:expr; $($i:literal)*) => {
        patience::select! { $($mode)* $(n = gate($i, $target) => n,)* }
    };
}

/// Expands to a `select!` (after the given mode tokens) with one always-ready branch
/// `n = ready(i) => n` per listed index `i`.
macro_rules! select_ready {
    ([$($mode:tt)*]; $($i:literal)*) => {
        patience::select! { $($mode)* $(n = ready::<usize>($i) => n,)* }
    };
}

/// Calls `$m!` with `$args` followed by the indices 0 to 199.
macro_rules! with_200 {
    ($m:ident! ($($args:tt)*)) => {
        $m!($($args)*
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
            33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61
            62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90
            91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114
            115 116 117 118 119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135 136
            137 138 139 140 141 142 143 144 145 146 147 148 149 150 151 152 153 154 155 156 157 158
            159 160 161 162 163 164 165 166 167 168 169 170 171 172 173 174 175 176 177 178 179 180
            181 182 183 184 185 186 187 188 189 190 191 192 193 194 195 196 197 198 199
        )
    };
}

#[test]
fn two_hundred_branches_biased() {
    for target in [0, 1, 63, 64, 65, 128, 199] {
        let got = block_on(async { with_200!(select_gates!([biased;] target;)) });
        assert_eq!(got, target);
    }
}

#[test]
fn two_hundred_branches_fair() {
    for target in [0, 64, 150, 199] {
        let got = block_on(async { with_200!(select_gates!([] target;)) });
        assert_eq!(got, target);
    }
    // All ready: every one of the 200 branches wins sometimes. (20,000 selects of 200
    // would take hours under Miri.)
    if cfg!(miri) {
        return;
    }
    let mut wins = vec![0u32; 200];
    block_on(async {
        for _ in 0..20_000 {
            wins[with_200!(select_ready!([];))] += 1;
        }
    });
    assert!(wins.iter().all(|&w| w > 0), "{wins:?}");
}

#[test]
fn two_hundred_branches_round_robin() {
    const SELECTS: usize = if cfg!(miri) { 20 } else { 400 };
    let mut cursor = 0;
    let mut winners = Vec::new();
    block_on(async {
        for _ in 0..SELECTS {
            winners.push(with_200!(select_ready!([round_robin(&mut cursor);];)));
        }
    });
    let expected: Vec<usize> = (0..SELECTS).map(|k| k % 200).collect();
    assert_eq!(winners, expected);
}

/// Pending on its first poll (waking its own waker), then ready with `Some(value)`.
struct YieldOnce(bool, usize);

impl Future for YieldOnce {
    type Output = Option<usize>;
    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        if self.0 {
            std::task::Poll::Ready(Some(self.1))
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

/// 16 branches, above the threshold where each branch gets its own waker: branches
/// whose value their pattern rejects are disabled, a branch that wakes its own waker is
/// polled again and wins, and when every branch is disabled `else` runs.
#[test]
fn sixteen_branches_with_their_own_wakers() {
    let won = block_on(async {
        patience::select! {
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = YieldOnce(false, 7) => v,
            Some(v) = pending::<Option<usize>>() => v,
            Some(v) = pending::<Option<usize>>() => v,
            Some(v) = pending::<Option<usize>>() => v,
            Some(v) = pending::<Option<usize>>() => v,
            Some(v) = pending::<Option<usize>>(), if false => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
            Some(v) = ready(None::<usize>) => v,
        }
    });
    assert_eq!(won, 7);

    for mode_biased in [false, true] {
        let out = block_on(async {
            if mode_biased {
                patience::select! {
                    biased;
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = pending::<Option<usize>>(), if false => v,
                    Some(v) = YieldOnce(true, 1), if false => v,
                    else => 99,
                }
            } else {
                patience::select! {
                    Some(v) = YieldOnce(false, 0) => v + 100,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    Some(v) = ready(None::<usize>) => v,
                    else => 99,
                }
            }
        });
        assert_eq!(out, if mode_biased { 99 } else { 100 });
    }
}

/// Counts what a select does with its task's waker.
#[derive(Default)]
struct WakerUse {
    clones: std::sync::atomic::AtomicUsize,
    wakes: std::sync::atomic::AtomicUsize,
}

impl WakerUse {
    /// For a `static` (so that clones may outlive the test; Miri's leak check would
    /// report a leaked box).
    const fn new() -> WakerUse {
        WakerUse {
            clones: std::sync::atomic::AtomicUsize::new(0),
            wakes: std::sync::atomic::AtomicUsize::new(0),
        }
    }
}

/// A waker whose every clone and wake-up is counted in `use_of`.
fn counting_waker(use_of: &'static WakerUse) -> std::task::Waker {
    use std::sync::atomic::Ordering::SeqCst;
    use std::task::{RawWaker, RawWakerVTable, Waker};

    fn counts(data: *const ()) -> &'static WakerUse {
        // SAFETY: every waker with `VTABLE` carries a pointer from a `&'static WakerUse`.
        unsafe { &*data.cast::<WakerUse>() }
    }
    fn clone(data: *const ()) -> RawWaker {
        counts(data).clones.fetch_add(1, SeqCst);
        RawWaker::new(data, &VTABLE)
    }
    fn wake(data: *const ()) {
        counts(data).wakes.fetch_add(1, SeqCst);
    }
    fn drop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);
    let data: *const WakerUse = use_of;
    // SAFETY: the vtable functions only read the `'static`, `Sync` counters.
    unsafe { Waker::from_raw(RawWaker::new(data.cast(), &VTABLE)) }
}

/// With a branch ready on the first poll, a select with per-branch wakers finishes
/// without ever storing (cloning) its task's waker: the hot path takes no lock.
#[test]
fn select_won_on_first_poll_never_clones_the_task_waker() {
    use std::future::pending;
    static COUNTS: WakerUse = WakerUse::new();
    let counts = &COUNTS;
    let waker = counting_waker(counts);
    let mut cx = std::task::Context::from_waker(&waker);
    for _ in 0..20 {
        let mut select = std::pin::pin!(async {
            patience::select! {
                v = pending::<usize>() => v, v = pending::<usize>() => v,
                v = pending::<usize>() => v, v = pending::<usize>() => v,
                v = pending::<usize>() => v, v = pending::<usize>() => v,
                v = pending::<usize>() => v, v = ready(5usize) => v,
                v = pending::<usize>() => v, v = pending::<usize>() => v,
                v = pending::<usize>() => v, v = pending::<usize>() => v,
                v = pending::<usize>() => v, v = pending::<usize>() => v,
                v = pending::<usize>() => v, v = pending::<usize>() => v,
            }
        });
        assert_eq!(select.as_mut().poll(&mut cx), std::task::Poll::Ready(5));
    }
    assert_eq!(counts.clones.load(std::sync::atomic::Ordering::SeqCst), 0);
    assert_eq!(counts.wakes.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A branch that wakes itself during the select's first poll (before the select has
/// stored its task's waker) still gets the task woken, exactly once, and wins on the
/// next poll.
#[test]
fn branch_woken_during_first_poll_wakes_the_task() {
    use std::future::pending;
    use std::sync::atomic::Ordering::SeqCst;
    static COUNTS: WakerUse = WakerUse::new();
    let counts = &COUNTS;
    let waker = counting_waker(counts);
    let mut cx = std::task::Context::from_waker(&waker);
    let mut select = std::pin::pin!(async {
        patience::select! {
            v = pending::<Option<usize>>() => v, v = pending::<Option<usize>>() => v,
            v = pending::<Option<usize>>() => v, v = pending::<Option<usize>>() => v,
            v = pending::<Option<usize>>() => v, v = pending::<Option<usize>>() => v,
            v = pending::<Option<usize>>() => v, v = pending::<Option<usize>>() => v,
            v = pending::<Option<usize>>() => v, v = pending::<Option<usize>>() => v,
            v = YieldOnce(false, 7) => v, v = pending::<Option<usize>>() => v,
            v = pending::<Option<usize>>() => v, v = pending::<Option<usize>>() => v,
            v = pending::<Option<usize>>() => v, v = pending::<Option<usize>>() => v,
        }
    });
    assert!(select.as_mut().poll(&mut cx).is_pending());
    assert_eq!(counts.wakes.load(SeqCst), 1);
    assert_eq!(
        counts.clones.load(SeqCst),
        1,
        "the select stores its task's waker once"
    );
    assert_eq!(
        select.as_mut().poll(&mut cx),
        std::task::Poll::Ready(Some(7))
    );
    assert_eq!(counts.wakes.load(SeqCst), 1);
}

/// Runs `f` on its own thread and fails (instead of hanging) if it does not finish in
/// time: a lost wake-up would park `block_on` forever.
fn within<T: Send + 'static>(
    limit: std::time::Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .expect("did not finish in time: a wake-up was lost")
}

/// Selects and joins of 16 (per-branch wakers), each completed by another thread that
/// fires as soon as it is handed the sender: the wake-up often lands while the first
/// poll is still running, before the task's waker is stored in the block. None is lost.
#[test]
fn large_selects_and_joins_woken_from_another_thread_lose_no_wake_up() {
    use futures::channel::oneshot;
    const SELECTS: usize = if cfg!(miri) { 20 } else { 2000 };
    const JOINS: usize = if cfg!(miri) { 3 } else { 300 };
    let limit = std::time::Duration::from_secs(if cfg!(miri) { 3600 } else { 60 });
    within(limit, || {
        let (fire, fired) = std::sync::mpsc::channel::<oneshot::Sender<usize>>();
        let firing = std::thread::spawn(move || {
            for (n, tx) in fired.into_iter().enumerate() {
                let _ = tx.send(n);
            }
        });
        let channels = || {
            let (txs, rxs): (Vec<_>, Vec<_>) = (0..16).map(|_| oneshot::channel()).unzip();
            let rxs: [oneshot::Receiver<usize>; 16] = rxs.try_into().unwrap();
            (txs, rxs)
        };
        let mut sent = 0;
        for round in 0..SELECTS {
            let (mut txs, rxs) = channels();
            #[rustfmt::skip]
            let [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15] = rxs;
            let winner = round % 16;
            fire.send(txs.swap_remove(winner)).unwrap();
            let got = patience::block_on(async {
                patience::select! {
                    Ok(v) = r0 => (0, v), Ok(v) = r1 => (1, v), Ok(v) = r2 => (2, v),
                    Ok(v) = r3 => (3, v), Ok(v) = r4 => (4, v), Ok(v) = r5 => (5, v),
                    Ok(v) = r6 => (6, v), Ok(v) = r7 => (7, v), Ok(v) = r8 => (8, v),
                    Ok(v) = r9 => (9, v), Ok(v) = r10 => (10, v), Ok(v) = r11 => (11, v),
                    Ok(v) = r12 => (12, v), Ok(v) = r13 => (13, v), Ok(v) = r14 => (14, v),
                    Ok(v) = r15 => (15, v),
                }
            });
            assert_eq!(got, (winner, sent));
            sent += 1;
            drop(txs);
        }
        for _ in 0..JOINS {
            let (txs, rxs) = channels();
            #[rustfmt::skip]
            let [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15] = rxs;
            for tx in txs {
                fire.send(tx).unwrap();
            }
            let out = patience::block_on(async {
                patience::join!(
                    r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15
                )
            });
            let first = out.0.unwrap();
            assert_eq!(first, sent);
            assert_eq!(out.15.unwrap(), sent + 15);
            sent += 16;
        }
        drop(fire);
        firing.join().unwrap();
    });
}
