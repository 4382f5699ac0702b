//! Behaviour of `patience::block_on`, the embedded runtime.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

/// Runs `f` on its own thread and fails the test (instead of hanging it) if it does not
/// finish in time: a lost wake-up would otherwise park `block_on` forever.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .expect("block_on did not finish in time: a wake-up was lost")
}

/// Pending until its counter is bumped from outside; each poll hands its waker out.
struct Handoff {
    wakers: mpsc::Sender<Waker>,
    done: Arc<AtomicUsize>,
    seen: usize,
    rounds: usize,
    polls: usize,
}

impl Future for Handoff {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        self.polls += 1;
        let done = self.done.load(Ordering::Acquire);
        if done > self.seen {
            self.seen = done;
        }
        if self.seen == self.rounds {
            return Poll::Ready(self.polls);
        }
        // Ask the other thread for one more wake-up.
        self.wakers.send(cx.waker().clone()).unwrap();
        Poll::Pending
    }
}

#[test]
fn many_cross_thread_wake_ups_lose_none() {
    const ROUNDS: usize = if cfg!(miri) { 200 } else { 20_000 };
    let polls = within(Duration::from_secs(60), || {
        let (tx, rx) = mpsc::channel::<Waker>();
        let done = Arc::new(AtomicUsize::new(0));
        let remote_done = Arc::clone(&done);
        let waker_thread = thread::spawn(move || {
            for waker in rx.iter().take(ROUNDS) {
                remote_done.fetch_add(1, Ordering::Release);
                waker.wake();
            }
        });
        let polls = patience::block_on(Handoff {
            wakers: tx,
            done,
            seen: 0,
            rounds: ROUNDS,
            polls: 0,
        });
        waker_thread.join().unwrap();
        polls
    });
    // Every wake-up produced at most one poll, and every poll but the last asked for one.
    assert_eq!(polls, ROUNDS + 1);
}

#[test]
fn parks_instead_of_spinning_while_pending() {
    let polls = within(Duration::from_secs(30), || {
        let mut polls = 0;
        let (tx, rx) = mpsc::channel::<Waker>();
        let waker_thread = thread::spawn(move || {
            let waker = rx.recv().unwrap();
            thread::sleep(Duration::from_millis(100));
            waker.wake();
        });
        patience::block_on(std::future::poll_fn(|cx| {
            polls += 1;
            if polls == 1 {
                tx.send(cx.waker().clone()).unwrap();
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        }));
        waker_thread.join().unwrap();
        polls
    });
    // A busy loop would have polled thousands of times in 100 ms.
    assert_eq!(polls, 2);
}

#[test]
fn wake_before_pending_is_returned_is_not_lost() {
    let polls = within(Duration::from_secs(30), || {
        let mut polls = 0;
        patience::block_on(std::future::poll_fn(|cx| {
            polls += 1;
            if polls == 1 {
                // Woken while still inside poll, before the executor sees `Pending`.
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        }));
        polls
    });
    assert_eq!(polls, 2);
}

#[test]
fn nested_block_on_panics_with_a_clear_message() {
    let result = std::panic::catch_unwind(|| {
        patience::block_on(async {
            patience::block_on(async {});
        })
    });
    let payload = result.expect_err("nested block_on must panic");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap();
    assert!(
        message.contains("inside another block_on on the same thread"),
        "{message}"
    );
}

#[test]
fn block_on_works_again_after_a_panicking_future() {
    let result = std::panic::catch_unwind(|| patience::block_on(async { panic!("inner") }));
    assert!(result.is_err());
    assert_eq!(patience::block_on(async { 5 }), 5);
}

#[test]
fn accepts_into_future() {
    struct Later(u8);
    impl std::future::IntoFuture for Later {
        type Output = u8;
        type IntoFuture = std::future::Ready<u8>;
        fn into_future(self) -> Self::IntoFuture {
            std::future::ready(self.0 + 1)
        }
    }
    assert_eq!(patience::block_on(Later(1)), 2);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "Miri cannot open sockets (isolation) nor run async-io's reactor"
)]
fn drives_async_io_sockets() {
    use futures::{AsyncReadExt, AsyncWriteExt};
    within(Duration::from_secs(30), || {
        patience::block_on(async {
            let listener =
                async_io::Async::<std::net::TcpListener>::bind(([127, 0, 0, 1], 0)).unwrap();
            let addr = listener.get_ref().local_addr().unwrap();
            let client = thread::spawn(move || {
                use std::io::{Read, Write};
                let mut stream = std::net::TcpStream::connect(addr).unwrap();
                stream.write_all(b"ping").unwrap();
                let mut reply = [0; 4];
                stream.read_exact(&mut reply).unwrap();
                reply
            });
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = [0; 4];
            stream.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"ping");
            stream.write_all(b"pong").await.unwrap();
            assert_eq!(&client.join().unwrap(), b"pong");
        })
    });
}
