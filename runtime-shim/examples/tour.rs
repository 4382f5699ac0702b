//! The main job: a tour of every patience macro doing real work.
//!
//! A small line-based TCP service on 127.0.0.1 runs on the embedded runtime
//! (`#[patience::main]`). Its request handlers sit behind a `dyn` async trait
//! (`#[patience::async_trait]`); the server races each accept against a shutdown
//! signal and an idle timeout (`select!`), while several clients talk to it
//! concurrently (`join!` / `try_join!`), then a runtime-sized batch of clients
//! (`try_join_all`) and six clients at most three at a time (`FutureSet` with a
//! limit). It stops by itself and prints a report.
//!
//! Run it with `cargo run -p patience --example tour`.

use std::cell::Cell;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use async_io::{Async, Timer};
use futures::channel::oneshot;
use futures::io::BufReader;
use futures::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

/// Answers one request line.
#[patience::async_trait]
trait Handler: Send + Sync {
    /// The command word this handler answers to.
    fn command(&self) -> &'static str;
    /// Computes the reply for `arg`.
    async fn handle(&self, arg: &str) -> String;
}

struct Upper;

#[patience::async_trait]
impl Handler for Upper {
    fn command(&self) -> &'static str {
        "upper"
    }
    async fn handle(&self, arg: &str) -> String {
        arg.to_uppercase()
    }
}

/// Sums numbers, pausing like a slow backend would.
struct Sum {
    delay: Duration,
}

#[patience::async_trait]
impl Handler for Sum {
    fn command(&self) -> &'static str {
        "sum"
    }
    async fn handle(&self, arg: &str) -> String {
        Timer::after(self.delay).await;
        let total: i64 = arg
            .split_whitespace()
            .filter_map(|w| w.parse::<i64>().ok())
            .sum();
        total.to_string()
    }
}

#[derive(Default, Debug)]
struct Served {
    connections: usize,
    requests: usize,
    bytes_in: usize,
    bytes_out: usize,
    ended_by: &'static str,
}

/// Serves one connection: one request line in, one reply line out.
async fn serve(
    stream: Async<TcpStream>,
    handlers: &[Box<dyn Handler>],
    served: &mut Served,
) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    served.bytes_in += line.len();
    let (command, arg) = line
        .trim_end()
        .split_once(' ')
        .unwrap_or((line.trim_end(), ""));
    let reply = match handlers.iter().find(|h| h.command() == command) {
        Some(handler) => handler.handle(arg).await,
        None => format!("unknown command {command:?}"),
    };
    let mut stream = reader.into_inner();
    stream.write_all(format!("{reply}\n").as_bytes()).await?;
    served.bytes_out += reply.len() + 1;
    served.requests += 1;
    Ok(())
}

/// Accepts connections until shutdown is signalled or nobody connects for `idle`.
async fn server(
    listener: Async<TcpListener>,
    handlers: Vec<Box<dyn Handler>>,
    mut shutdown: oneshot::Receiver<()>,
    idle: Duration,
) -> io::Result<Served> {
    let mut served = Served::default();
    loop {
        patience::select! {
            accepted = listener.accept() => {
                let (stream, _peer) = accepted?;
                served.connections += 1;
                serve(stream, &handlers, &mut served).await?;
            }
            _ = &mut shutdown => {
                served.ended_by = "shutdown signal";
                break;
            }
            _ = Timer::after(idle) => {
                served.ended_by = "idle timeout";
                break;
            }
        }
    }
    Ok(served)
}

/// One client: connect, send a request, read the reply.
async fn client(addr: SocketAddr, request: &str) -> io::Result<String> {
    let mut stream = Async::<TcpStream>::connect(addr).await?;
    stream.write_all(format!("{request}\n").as_bytes()).await?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await?;
    Ok(reply.trim_end().to_owned())
}

/// What the clients got back.
struct Replies {
    /// The four fixed requests, in order.
    fixed: Vec<String>,
    /// The batch, in input order.
    batch: Vec<String>,
    /// The limited ones, in completion order.
    limited: Vec<String>,
    /// The most limited clients in flight at once.
    most_in_flight: usize,
}

/// Several clients at once, then a batch and a limited set of clients; then tells the
/// server to stop.
async fn clients(addr: SocketAddr, shutdown: oneshot::Sender<()>) -> io::Result<Replies> {
    let (a, b, c, d) = patience::try_join!(
        client(addr, "upper patience is a virtue"),
        client(addr, "sum 1 2 3 4 5"),
        client(addr, "sum 40 2"),
        client(addr, "upper join! and select!"),
    )?;
    // A batch whose size is known only at run time; replies in input order.
    let words: Vec<String> = (1..=12).map(|i| format!("upper client {i}")).collect();
    let batch = patience::try_join_all(words.iter().map(|w| client(addr, w))).await?;
    // At most three in flight; replies as they come.
    let (in_flight, most) = (Cell::new(0), Cell::new(0));
    let mut set = patience::FutureSet::with_limit(3);
    for i in 1..=6 {
        let (in_flight, most) = (&in_flight, &most);
        set.push(async move {
            in_flight.set(in_flight.get() + 1);
            most.set(most.get().max(in_flight.get()));
            let reply = client(addr, &format!("sum {i} {i}")).await;
            in_flight.set(in_flight.get() - 1);
            reply
        });
    }
    let mut limited = Vec::new();
    while let Some(reply) = set.next().await {
        limited.push(reply?);
    }
    let _ = shutdown.send(());
    Ok(Replies {
        fixed: vec![a, b, c, d],
        batch,
        limited,
        most_in_flight: most.get(),
    })
}

#[patience::main]
async fn main() -> io::Result<()> {
    let start = Instant::now();
    let listener = Async::<TcpListener>::bind(([127, 0, 0, 1], 0))?;
    let addr = listener.get_ref().local_addr()?;
    let handlers: Vec<Box<dyn Handler>> = vec![
        Box::new(Upper),
        Box::new(Sum {
            delay: Duration::from_millis(20),
        }),
    ];
    let (stop, stopped) = oneshot::channel();

    // The server and the clients run concurrently in this one task.
    let (served, replies) = patience::join!(
        server(listener, handlers, stopped, Duration::from_secs(5)),
        clients(addr, stop),
    );
    let (served, replies) = (served?, replies?);

    // A second, quiet round: nobody connects, so the idle timeout ends the server.
    let quiet = Async::<TcpListener>::bind(([127, 0, 0, 1], 0))?;
    let (_keep, never) = oneshot::channel();
    let idle = server(quiet, Vec::new(), never, Duration::from_millis(50)).await?;

    println!("patience tour: a TCP service on {addr}");
    for reply in &replies.fixed {
        println!("  reply: {reply}");
    }
    println!(
        "  batch of {} clients (try_join_all): {} .. {}",
        replies.batch.len(),
        replies.batch[0],
        replies.batch[replies.batch.len() - 1]
    );
    println!(
        "  {} clients at most {} at a time (FutureSet::with_limit): {}",
        replies.limited.len(),
        replies.most_in_flight,
        replies.limited.join(", ")
    );
    println!(
        "  served {} connections / {} requests ({} bytes in, {} bytes out), ended by {}",
        served.connections, served.requests, served.bytes_in, served.bytes_out, served.ended_by
    );
    println!("  second server ended by {}", idle.ended_by);
    println!("  took {:.1?}", start.elapsed());

    assert_eq!(
        replies.fixed,
        ["PATIENCE IS A VIRTUE", "15", "42", "JOIN! AND SELECT!"]
    );
    let expected: Vec<String> = (1..=12).map(|i| format!("CLIENT {i}")).collect();
    assert_eq!(replies.batch, expected);
    let mut sums = replies.limited.clone();
    sums.sort_by_key(|s| s.parse::<u32>().unwrap_or(0));
    assert_eq!(sums, ["2", "4", "6", "8", "10", "12"]);
    assert_eq!(replies.most_in_flight, 3);
    assert_eq!(served.requests, 4 + 12 + 6);
    assert_eq!(served.ended_by, "shutdown signal");
    assert_eq!(idle.ended_by, "idle timeout");
    Ok(())
}
