//! IDE help inside half-typed macro calls, checked with the real rust-analyzer.
//!
//! rust-analyzer expands `select!` and `join!` on every keystroke; for completion it
//! re-expands the call with a fake identifier at the cursor (`v.intellijRulezz`). If
//! another mistake in the same call made the expansion nothing but `compile_error!`,
//! there would be nothing to complete on. The test writes a small crate that depends
//! on patience by path, with a `select!` and a `join!` that are malformed elsewhere
//! (a missing `,`), starts `rust-analyzer` on it (LSP over stdio), and asks for
//! completions after `v.` and `greeting.`: it expects `String`'s methods.
//!
//! rust-analyzer reads types from the real expansion at the offsets of the speculative
//! one, so this also checks that the two have the same shape up to the cursor (a dot's
//! error in place, the same error list).
//!
//! Ignored by default (it starts rust-analyzer, which builds the crate's proc macros and
//! indexes std: about 10 s with a cold cache, 5 s warm, on two cores); `.ci/run` runs it
//! with `--ignored`. Skipped, with a message, where `rust-analyzer` does not run.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The crate rust-analyzer opens; `┃` marks each cursor (removed from the file).
const MAIN: &str = r#"use std::future::ready;

async fn run() {
    let _ = patience::select! {
        v = ready(String::new()) => v.┃,
        n = ready(1u8) => n
        m = ready(2u8) => m,
    };
    let greeting = String::new();
    let _ = patience::join!(greeting.┃, ready(1) ready(2));
}

fn main() {
    let _ = run();
}
"#;

/// How long rust-analyzer gets to load the crate and answer.
const PATIENCE: Duration = Duration::from_secs(600);

#[test]
#[ignore = "starts rust-analyzer (about 10 s): run with `--ignored`, as .ci/run does"]
fn completion_inside_malformed_select_and_join_offers_the_bindings_methods() {
    if !runs("rust-analyzer") {
        println!(
            "skipped: `rust-analyzer --version` does not run (rustup component add rust-analyzer)"
        );
        return;
    }
    let Some(library) = std_sources() else {
        println!(
            "skipped: no sources of std for rust-analyzer (`rustup component add rust-src`, or \
             {LIBRARY}=<a copy of lib/rustlib/src/rust/library>)"
        );
        return;
    };
    let started = Instant::now();
    let dir = project();
    let (text, cursors) = cursors(MAIN);
    std::fs::write(dir.join("src/main.rs"), &text).unwrap();
    let mut server = Server::start(&dir);
    let uri = format!("file://{}", dir.join("src/main.rs").display());
    server.initialize(&dir, &library, &uri, &text);
    for (what, (line, character)) in ["select! handler `v.`", "join! argument `greeting.`"]
        .into_iter()
        .zip(cursors)
    {
        let items = server.complete_until(&uri, line, character, |items| {
            items.contains("\"label\":\"push_str")
        });
        for method in ["len", "push_str", "is_empty"] {
            assert!(
                items.contains(&format!("\"label\":\"{method}")),
                "{what}: no `{method}` among the completions: {items}"
            );
        }
    }
    server.stop();
    println!(
        "rust-analyzer completed inside both calls in {:.1?}",
        started.elapsed()
    );
}

/// Names a copy of std's sources for rust-analyzer, for a toolchain without the
/// `rust-src` component (`.ci/run` installs it).
const LIBRARY: &str = "PATIENCE_RA_STD_SOURCES";

/// The sources of std rust-analyzer reads: [`LIBRARY`], or the toolchain's `rust-src`.
fn std_sources() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(LIBRARY) {
        return Some(PathBuf::from(dir));
    }
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(sysroot.stdout).ok()?;
    let library = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library");
    library.is_dir().then_some(library)
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// A crate depending on patience by path, in the workspace's target directory (so that
/// its build cache is reused from run to run).
fn project() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = tests.parent().unwrap();
    let dir = workspace.join("target/rust-analyzer-test/crate");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"ra-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\npatience = {{ path = {:?} }}\n\n[workspace]\n",
        workspace.join("runtime-shim")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    dir
}

/// `source` without its `┃` marks, and the (line, UTF-16 column) of each.
fn cursors(source: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut found = Vec::new();
    for (line, content) in source.lines().enumerate() {
        let mut rest = content;
        while let Some(at) = rest.find('┃') {
            text.push_str(&rest[..at]);
            let column = text.rsplit('\n').next().unwrap().encode_utf16().count();
            found.push((line, column));
            rest = &rest[at + '┃'.len_utf8()..];
        }
        text.push_str(rest);
        text.push('\n');
    }
    (text, found)
}

/// A running rust-analyzer and the messages it sends.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<String>,
    next_id: u32,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new("rust-analyzer")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", dir.join("../target"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("rust-analyzer starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request; output: its result (the whole response).
    fn request(&mut self, method: &str, params: &str) -> String {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"{method}","params":{params}}}"#
        ));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = match self.messages.recv_timeout(deadline - Instant::now()) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("no answer to {method}"),
                Err(RecvTimeoutError::Disconnected) => panic!("rust-analyzer exited"),
            };
            if let Some(method) = message.find("\"method\":") {
                // A notification, or a request of the server's own (its `id` comes before
                // its `method`): the client declares no capability that needs one, but an
                // answer costs nothing.
                if message.find("\"id\":").is_some_and(|at| at < method) {
                    let id = field(&message, "\"id\":").unwrap();
                    self.send(&format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#));
                }
            } else if field(&message, "\"id\":").as_deref() == Some(&id.to_string()) {
                return message;
            }
        }
    }

    fn initialize(&mut self, dir: &Path, library: &Path, uri: &str, text: &str) {
        let root = format!("file://{}", dir.display());
        let library = json_string(&library.display().to_string());
        self.request(
            "initialize",
            &format!(
                r#"{{"processId":null,"rootUri":"{root}","capabilities":{{"textDocument":{{"completion":{{"completionItem":{{"snippetSupport":false}}}}}}}},"initializationOptions":{{"checkOnSave":false,"cachePriming":{{"enable":false}},"cargo":{{"sysrootSrc":{library}}}}}}}"#
            ),
        );
        self.send(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let text = json_string(text);
        self.send(&format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"rust","version":1,"text":{text}}}}}}}"#
        ));
    }

    /// Asks for completions at a position until `done` holds for the answer (the crate
    /// and its proc macros load in the background) or time runs out. Output: the last
    /// answer.
    fn complete_until(
        &mut self,
        uri: &str,
        line: usize,
        character: usize,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let answer = self.request(
                "textDocument/completion",
                &format!(
                    r#"{{"textDocument":{{"uri":"{uri}"}},"position":{{"line":{line},"character":{character}}}}}"#
                ),
            );
            if done(&answer) || Instant::now() > deadline {
                return answer;
            }
            std::thread::sleep(Duration::from_secs(2));
        }
    }

    fn stop(mut self) {
        self.request("shutdown", "null");
        self.send(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Only if `stop` did not run (a failed assertion): this child, by its handle.
        let _ = self.child.kill();
    }
}

/// One LSP message body, or `None` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> Option<String> {
    let mut length = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}

/// The number or string after `key` in a JSON text (enough for ids).
fn field(message: &str, key: &str) -> Option<String> {
    let rest = &message[message.find(key)? + key.len()..];
    let end = rest.find([',', '}'])?;
    Some(rest[..end].trim().trim_matches('"').to_owned())
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
