//! Code written for `tokio::select!` works with `patience::select!` by changing only the
//! macro path: these tests follow the situations of tokio's `select!` documentation (racing
//! channels, a reusable `&mut` timer in a loop, preconditions, `biased;`, `else`, returning
//! from a handler), written for this crate, on the tokio runtime.

use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep};

#[tokio::test]
async fn first_of_two_oneshot_channels_wins() {
    let (tx1, rx1) = oneshot::channel::<&str>();
    let (tx2, rx2) = oneshot::channel::<&str>();
    tokio::spawn(async move {
        sleep(Duration::from_millis(50)).await;
        let _ = tx1.send("slow");
    });
    tokio::spawn(async move {
        let _ = tx2.send("fast");
    });
    let got = patience::select! {
        v = rx1 => v.unwrap(),
        v = rx2 => v.unwrap(),
    };
    assert_eq!(got, "fast");
}

#[tokio::test]
async fn drain_two_channels_until_both_close() {
    let (tx1, mut rx1) = mpsc::channel::<u32>(8);
    let (tx2, mut rx2) = mpsc::channel::<u32>(8);
    tokio::spawn(async move {
        for i in 0..5 {
            tx1.send(i).await.unwrap();
        }
    });
    tokio::spawn(async move {
        for i in 100..103 {
            tx2.send(i).await.unwrap();
        }
    });
    let mut seen = Vec::new();
    loop {
        patience::select! {
            Some(v) = rx1.recv() => seen.push(v),
            Some(v) = rx2.recv() => seen.push(v),
            else => break,
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2, 3, 4, 100, 101, 102]);
}

#[tokio::test]
async fn pinned_sleep_reused_across_iterations_as_a_deadline() {
    let (tx, mut rx) = mpsc::channel::<u32>(16);
    tokio::spawn(async move {
        for i in 0.. {
            if tx.send(i).await.is_err() {
                break;
            }
            sleep(Duration::from_millis(2)).await;
        }
    });
    let deadline = sleep(Duration::from_millis(60));
    tokio::pin!(deadline);
    let start = Instant::now();
    let mut received = 0;
    loop {
        patience::select! {
            () = &mut deadline => break,
            Some(_) = rx.recv() => received += 1,
        }
    }
    assert!(start.elapsed() >= Duration::from_millis(60));
    assert!(received >= 2, "received {received}");
}

#[tokio::test]
async fn precondition_stops_polling_a_finished_operation() {
    async fn step(n: u32) -> u32 {
        sleep(Duration::from_millis(1)).await;
        n + 1
    }
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    let op = step(0);
    tokio::pin!(op);
    let mut done = false;
    let mut last = 0;
    tokio::spawn(async move {
        sleep(Duration::from_millis(200)).await;
        let _ = tx.send(10).await;
    });
    loop {
        patience::select! {
            n = &mut op, if !done => {
                last = n;
                if n < 3 {
                    op.set(step(n));
                } else {
                    done = true;
                }
            }
            Some(v) = rx.recv() => {
                assert_eq!((v, last, done), (10, 3, true));
                break;
            }
        }
    }
}

#[tokio::test]
async fn biased_checks_branches_in_order() {
    let mut count = 0u8;
    loop {
        patience::select! {
            biased;
            _ = async {}, if count < 1 => count += 1,
            _ = async {}, if count < 2 => count += 2,
            _ = async {}, if count < 4 => count += 4,
            _ = async {}, if count < 8 => count += 8,
            else => break,
        }
    }
    // Each pass takes the first enabled branch: +1, then +2, then +4, then +8.
    assert_eq!(count, 15);
}

async fn serve_one(
    listener: TcpListener,
    shutdown: oneshot::Receiver<()>,
) -> std::io::Result<&'static str> {
    patience::select! {
        accepted = listener.accept() => {
            let (_socket, _peer) = accepted?;
            Ok("accepted")
        }
        _ = shutdown => Ok("shutdown"),
        () = sleep(Duration::from_secs(5)) => Err(std::io::ErrorKind::TimedOut.into()),
    }
}

#[tokio::test]
async fn accept_races_shutdown_and_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (_keep, shutdown) = oneshot::channel();
    let client = tokio::spawn(async move { TcpStream::connect(addr).await });
    assert_eq!(serve_one(listener, shutdown).await.unwrap(), "accepted");
    client.await.unwrap().unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (stop, shutdown) = oneshot::channel();
    stop.send(()).unwrap();
    assert_eq!(serve_one(listener, shutdown).await.unwrap(), "shutdown");
}

#[tokio::test]
async fn futures_style_select_loop_with_fuse_and_complete() {
    use futures::FutureExt as _;
    let mut a = async { 1 }.boxed().fuse();
    let mut b = async { 2 }.boxed().fuse();
    let mut total = 0;
    loop {
        patience::select! {
            n = &mut a => total += n,
            n = &mut b => total += n,
            complete => break,
        }
    }
    assert_eq!(total, 3);
}
