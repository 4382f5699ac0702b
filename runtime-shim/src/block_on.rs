//! The embedded default runtime: a current-thread `block_on` that parks while pending.

use std::cell::Cell;
use std::future::{Future, IntoFuture};
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use crate::sync::{AtomicU8, Ordering, Thread, current, park};

/// No wake-up is pending and the thread is not asleep.
const EMPTY: u8 = 0;
/// A wake-up arrived that the `block_on` loop has not consumed yet.
const NOTIFIED: u8 = 1;
/// The thread is parked (or about to park) and must be unparked to make progress.
const PARKED: u8 = 2;

/// Wakes the thread that runs a `block_on`.
///
/// `state` records a wake-up that happened while the thread was not parked, so a
/// wake-up that arrives between "the future returned `Pending`" and "the thread parks"
/// is never lost; and only a thread that announced it is going to sleep is unparked,
/// so a future that wakes itself (a yield) costs two atomic operations, no syscall.
pub(crate) struct Signal {
    state: AtomicU8,
    thread: Thread,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.notify();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.notify();
    }
}

impl Signal {
    pub(crate) fn new() -> Signal {
        Signal {
            state: AtomicU8::new(EMPTY),
            thread: current(),
        }
    }

    /// Records a wake-up, unparking the thread if it sleeps.
    pub(crate) fn notify(&self) {
        // Release: the waker's writes before this wake-up happen before the poll that
        // follows (the `block_on` thread acquires this value when it consumes it).
        // Acquire: pairs with the release of `wait`'s PARKED, so seeing PARKED means
        // the thread has announced it is going to park.
        if self.state.swap(NOTIFIED, Ordering::AcqRel) == PARKED {
            self.thread.unpark();
        }
    }

    /// Returns once a wake-up has been recorded (consuming it), parking meanwhile.
    ///
    /// Every way out consumes the wake-up with an acquire of the value the last
    /// `notify` wrote, so the next poll sees what every waker wrote before waking.
    pub(crate) fn wait(&self) {
        // Acquire: synchronises with the `notify` whose NOTIFIED this consumes.
        let consume = || {
            self.state
                .compare_exchange(NOTIFIED, EMPTY, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        };
        if consume() {
            return;
        }
        // Release: a `notify` that sees PARKED knows the thread will park (or has).
        // Acquire on failure: the NOTIFIED seen comes with its waker's writes.
        if self
            .state
            .compare_exchange(EMPTY, PARKED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // A wake-up landed in between: the state is NOTIFIED. A second one may land
            // before the reset, so the reset is a swap that acquires whatever value it
            // replaces: a plain store would consume that second wake-up without
            // synchronising with it, and the next poll could miss its writes and park
            // for good (the loom test below finds exactly that).
            self.state.swap(EMPTY, Ordering::Acquire);
            return;
        }
        // Spurious returns from `park` (or a stale unpark token) loop back to sleep.
        loop {
            park();
            if consume() {
                return;
            }
        }
    }
}

/// Everything a `block_on` needs on its thread, in one thread-local so a call touches
/// thread-local storage once.
struct ThreadRuntime {
    signal: Arc<Signal>,
    waker: Waker,
    /// Whether a `block_on` is running on this thread.
    inside: Cell<bool>,
}

thread_local! {
    /// Built once per thread and reused by every `block_on` call on it, so a call
    /// allocates nothing.
    static RUNTIME: ThreadRuntime = {
        let signal = Arc::new(Signal::new());
        let waker = Waker::from(Arc::clone(&signal));
        ThreadRuntime { signal, waker, inside: Cell::new(false) }
    };
}

/// Marks this thread as running a `block_on` until dropped (also on unwind).
struct Enter<'a>(&'a Cell<bool>);

impl<'a> Enter<'a> {
    fn new(inside: &'a Cell<bool>) -> Enter<'a> {
        if inside.replace(true) {
            panic!(
                "patience::block_on was called inside another block_on on the same thread; \
                 the outer future could never be polled again (a deadlock). \
                 `.await` the future instead, or run it on another thread"
            );
        }
        Enter(inside)
    }
}

impl Drop for Enter<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

/// Runs a future to completion on the current thread and returns its output.
///
/// This is the embedded runtime that `#[patience::main]` and `#[patience::test]` use
/// by default. It polls the future; while the future is pending the thread parks, and
/// any clone of the task's [`Waker`], used from any thread, unparks it for the next
/// poll. A wake-up that arrives before the thread parks is remembered, so none is lost,
/// and a parked thread uses no CPU.
///
/// There is no task spawning and no I/O or timer driver: futures that need a reactor
/// must bring their own (crates built on `async-io` do, as do channels and most
/// synchronisation primitives). Calling it costs no allocation: the waker is built
/// once per thread.
///
/// # Examples
///
/// ```
/// let answer = patience::block_on(async { 6 * 7 });
/// assert_eq!(answer, 42);
/// ```
///
/// Woken from another thread:
///
/// ```
/// use std::sync::mpsc;
/// use std::task::Poll;
///
/// let (tx, rx) = mpsc::channel::<std::task::Waker>();
/// let helper = std::thread::spawn(move || rx.recv().unwrap().wake());
/// let mut polls = 0;
/// patience::block_on(std::future::poll_fn(|cx| {
///     polls += 1;
///     if polls == 1 {
///         tx.send(cx.waker().clone()).unwrap(); // the helper thread wakes us
///         Poll::Pending
///     } else {
///         Poll::Ready(())
///     }
/// }));
/// helper.join().unwrap();
/// assert_eq!(polls, 2);
/// ```
///
/// # Panics
///
/// Panics if called while another `block_on` is running on the same thread (inside a
/// future being driven by `block_on`), since that would deadlock; `.await` instead.
/// A panic of the future propagates to the caller.
#[cfg_attr(feature = "watch", track_caller)]
pub fn block_on<F: IntoFuture>(future: F) -> F::Output {
    #[cfg(feature = "watch")]
    let site = Some(crate::watch::for_caller(core::panic::Location::caller()));
    #[cfg(not(feature = "watch"))]
    let site = None;
    run(future, site)
}

/// [`block_on`] for `#[main]`/`#[test]` on the embedded runtime: with the `watch`
/// feature, the top-level frame is the function's, not `block_on`'s.
#[doc(hidden)]
pub fn block_on_at<F: IntoFuture>(future: F, site: &'static crate::watch::Site) -> F::Output {
    run(future, Some(site))
}

/// The loop: poll, park until woken, poll again. With the `watch` feature each poll is
/// a top-level frame at `site` and parking is reported to the watchdog.
fn run<F: IntoFuture>(future: F, site: Option<&'static crate::watch::Site>) -> F::Output {
    let mut future = pin!(future.into_future());
    #[cfg(not(feature = "watch"))]
    let _ = site;
    RUNTIME.with(|runtime| {
        let _enter = Enter::new(&runtime.inside);
        let mut cx = Context::from_waker(&runtime.waker);
        loop {
            #[cfg(feature = "watch")]
            let poll = match site {
                Some(site) => crate::watch::in_frame(site, || future.as_mut().poll(&mut cx)),
                None => future.as_mut().poll(&mut cx),
            };
            #[cfg(not(feature = "watch"))]
            let poll = future.as_mut().poll(&mut cx);
            if let Poll::Ready(output) = poll {
                return output;
            }
            #[cfg(feature = "watch")]
            crate::watch::parking(true);
            runtime.signal.wait();
            #[cfg(feature = "watch")]
            crate::watch::parking(false);
        }
    })
}

/// Model checks of the park protocol: `RUSTFLAGS="--cfg patience_loom" cargo test -p patience
/// --lib --release loom`.
#[cfg(all(test, patience_loom))]
mod loom_tests {
    use super::Signal;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicBool, Ordering};

    /// Two wake-ups from two threads, each after publishing its data with a relaxed
    /// store: the only ordering between the data and the polling thread is the one the
    /// protocol gives. The "future" is ready once both stores are visible; if a wake-up
    /// is consumed without synchronising with it, the poll can miss its store, park for
    /// good, and loom reports the deadlock.
    #[test]
    fn loom_two_wakeups_are_never_lost() {
        loom::model(|| {
            let signal = Arc::new(Signal::new());
            let data = Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
            let wakers: Vec<_> = (0..2)
                .map(|i| {
                    let (signal, data) = (signal.clone(), data.clone());
                    loom::thread::spawn(move || {
                        data[i].store(true, Ordering::Relaxed);
                        signal.notify();
                    })
                })
                .collect();
            while !(data[0].load(Ordering::Relaxed) && data[1].load(Ordering::Relaxed)) {
                signal.wait();
            }
            for waker in wakers {
                waker.join().unwrap();
            }
        });
    }
}
