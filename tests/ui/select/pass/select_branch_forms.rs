//! Every branch form: patterns, optional commas, conditions, `&mut fut`, IntoFuture.
//! No warning comes from the expansion, whatever the pattern.
#![deny(warnings)]
use std::future::{pending, ready, IntoFuture, Ready};
use std::pin::pin;

struct Later(u8);

impl IntoFuture for Later {
    type Output = u8;
    type IntoFuture = Ready<u8>;
    fn into_future(self) -> Ready<u8> {
        ready(self.0)
    }
}

enum Msg {
    Data { id: u8, body: String },
    Quit,
}

fn main() {
    patience::block_on(async {
        let open = true;
        let mut slow = pin!(async { 5u8 });

        // Block handlers need no comma; the last branch needs none either.
        let a = patience::select! {
            n = ready(1u8) => { n }
            () = pending() => { 0 }
        };

        // Expression handlers, trailing comma, a condition, a `&mut` future.
        let b = patience::select! {
            n = &mut slow, if open => n,
            () = pending(), if !open => 0,
            n = Later(3) => n,
        };

        // Patterns of every shape.
        let c = patience::select! {
            Some(n) = ready(Some(2u8)) => n,
            Ok(n) | Err(n) = ready(Ok::<u8, u8>(1)) => n,
            | None | Some(_) = ready(None::<u8>) => 0,
            Msg::Data { id, body } = ready(Msg::Data { id: 9, body: String::new() }) => {
                id + body.len() as u8
            }
            Msg::Quit = ready(Msg::Data { id: 0, body: String::new() }) => 0,
            (x, _) = ready((4u8, "ignored")) => x,
            [first, ..] = ready([6u8, 7]) => first,
            ref r = ready(8u8) => *r,
            mut m = ready(1u8) => { m += 1; m }
            whole @ 0..=9 = ready(3u8) => whole,
            _ = ready(()) => 0,
        };

        // Handlers of other block-like shapes also end without a comma.
        let d = patience::select! {
            n = ready(1u8) => if n > 0 { n } else { 0 }
            n = ready(2u8) => match n { 2 => 2, _ => 0 }
            n = ready(3u8) => { n }
        };

        // A handler may be a closure call, a macro, a loop...
        let e = patience::select! {
            n = ready(1u8) => (|x: u8| x + 1)(n),
            n = ready(1u8) => std::convert::identity(n),
            n = ready(1u8) => loop { break n; }
        };

        let _ = (a, b, c, d, e);
    });
}
