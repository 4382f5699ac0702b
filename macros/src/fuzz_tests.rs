//! Every macro, fed random and mutated token streams, must answer with tokens (a
//! `compile_error!` at worst), never a panic. Deterministic: a fixed-seed generator.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

/// xorshift64*: small, fast, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "biased",
    "fair",
    "round_robin",
    "default",
    "complete",
    "x",
    "Some",
    "None",
    "fut",
    "if",
    "else",
    "async",
    "fn",
    "self",
    "Self",
    "trait",
    "impl",
    "for",
    "pub",
    "main",
    "test",
    "runtime",
    "flavor",
    "worker_threads",
    "crate",
    "return",
    "await",
    "mut",
    "ref",
    "move",
    "where",
    "dyn",
    "Send",
    "Sync",
    "unsafe",
    "type",
    "const",
    "struct",
    "r#fn",
];
const PUNCTS: &[&str] = &[
    "=", "=>", ",", ";", "&", "?", ":", "::", "->", "<", ">", "|", "!", "#", "'", ".", "..", "@",
    "_",
];

fn random_tree(rng: &mut Rng, depth: usize) -> TokenTree {
    match rng.below(if depth > 3 { 4 } else { 5 }) {
        0 | 1 => {
            let w = WORDS[rng.below(WORDS.len())];
            match w.strip_prefix("r#") {
                Some(raw) => TokenTree::Ident(Ident::new_raw(raw, Span::call_site())),
                None => TokenTree::Ident(Ident::new(w, Span::call_site())),
            }
        }
        2 => {
            let p = PUNCTS[rng.below(PUNCTS.len())];
            if p == "_" {
                return TokenTree::Ident(Ident::new("_", Span::call_site()));
            }
            let chars: Vec<char> = p.chars().collect();
            // Only the last char of a multi-char punct is emitted here; the others come
            // out as joint puncts through `random_stream`.
            TokenTree::Punct(Punct::new(*chars.last().unwrap(), Spacing::Alone))
        }
        3 => match rng.below(3) {
            0 => TokenTree::Literal(Literal::u32_unsuffixed(rng.below(5) as u32)),
            1 => TokenTree::Literal(Literal::string(
                ["tokio", "smol", "builtin", "", "a::b"][rng.below(5)],
            )),
            _ => TokenTree::Literal(Literal::string("multi_thread")),
        },
        _ => {
            let delim =
                [Delimiter::Parenthesis, Delimiter::Brace, Delimiter::Bracket][rng.below(3)];
            TokenTree::Group(Group::new(delim, random_stream(rng, depth + 1, 6)))
        }
    }
}

fn random_stream(rng: &mut Rng, depth: usize, max: usize) -> TokenStream {
    let len = rng.below(max + 1);
    let mut out = TokenStream::new();
    for _ in 0..len {
        if rng.below(6) == 0 {
            // A multi-char punct such as `=>` or `::`.
            let p = PUNCTS[rng.below(PUNCTS.len())];
            if p.len() > 1 {
                let chars: Vec<char> = p.chars().collect();
                for (i, c) in chars.iter().enumerate() {
                    let spacing = if i + 1 < chars.len() {
                        Spacing::Joint
                    } else {
                        Spacing::Alone
                    };
                    out.extend([TokenTree::Punct(Punct::new(*c, spacing))]);
                }
                continue;
            }
        }
        out.extend([random_tree(rng, depth)]);
    }
    out
}

/// Deletes, duplicates or swaps a few top-level tokens of a valid input.
fn mutate(rng: &mut Rng, input: &TokenStream) -> TokenStream {
    let mut tts: Vec<TokenTree> = input.clone().into_iter().collect();
    for _ in 0..=rng.below(3) {
        if tts.is_empty() {
            break;
        }
        let i = rng.below(tts.len());
        match rng.below(4) {
            0 => {
                tts.remove(i);
            }
            1 => {
                let t = tts[i].clone();
                tts.insert(i, t);
            }
            2 => {
                let j = rng.below(tts.len());
                tts.swap(i, j);
            }
            _ => {
                if let TokenTree::Group(g) = &tts[i] {
                    let inner = mutate(rng, &g.stream());
                    tts[i] = TokenTree::Group(Group::new(g.delimiter(), inner));
                } else {
                    tts[i] = random_tree(rng, 0);
                }
            }
        }
    }
    tts.into_iter().collect()
}

fn no_panic(what: &str, input: &TokenStream, f: impl FnOnce() -> TokenStream) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        panic!("{what} panicked on input: {input}");
    }
}

fn valid_inputs() -> Vec<(&'static str, TokenStream, TokenStream)> {
    vec![
        (
            "main",
            quote!(runtime = "tokio", worker_threads = 2),
            quote!(
                async fn main() -> Result<(), E> {
                    body().await?;
                    Ok(())
                }
            ),
        ),
        (
            "select",
            TokenStream::new(),
            quote!(biased; Some(x) = rx.recv(), if open => { x } _ = &mut t => 0, default => 1, else => 2,),
        ),
        (
            "join",
            TokenStream::new(),
            quote!(biased; a(), b.c(), async { 1 },),
        ),
        (
            "async_trait",
            quote!(?Send),
            quote!(
                pub trait T: Send {
                    async fn f(&self, x: &u8) -> u8;
                    fn g(&self) {}
                }
            ),
        ),
        (
            "async_trait",
            quote!(native, native_supertraits(R), ?Send),
            quote!(
                pub trait T<'a>: R<Item = u8> + Sync {
                    type K: Send + Into<Self::V>;
                    type V;
                    async fn f(&self, x: &'a u8, (a, b): (u8, u8)) -> Self::K;
                    async fn g<G: Send>(self: Box<Self>, g: G, _: impl Fn()) {}
                    #[async_trait(Send)]
                    async fn h(self: ::std::pin::Pin<&mut Self>) -> &'a str {
                        ""
                    }
                    fn s(&self) -> Self;
                }
            ),
        ),
        (
            "async_trait",
            TokenStream::new(),
            quote!(
                impl<'a, X> T for S<'a, X>
                where
                    X: Send,
                {
                    async fn f(&self, (a, b): (u8, u8)) -> u8 {
                        a
                    }
                }
            ),
        ),
    ]
}

fn run_all(args: &TokenStream, input: &TokenStream) {
    no_panic("#[main]", input, || {
        crate::entry::expand(crate::entry::Kind::Main, args.clone(), input.clone())
    });
    no_panic("#[test]", input, || {
        crate::entry::expand(crate::entry::Kind::Test, input.clone(), args.clone())
    });
    no_panic("select!", input, || {
        crate::select::expand(crate::select::Dialect::Select, input.clone())
    });
    no_panic("select_biased!", input, || {
        crate::select::expand(crate::select::Dialect::SelectBiased, input.clone())
    });
    no_panic("join!", input, || {
        crate::join::expand(crate::join::Kind::Join, input.clone())
    });
    no_panic("try_join!", input, || {
        crate::join::expand(crate::join::Kind::TryJoin, input.clone())
    });
    no_panic("#[async_trait]", input, || {
        crate::async_trait::expand(args.clone(), input.clone())
    });
    no_panic("#[async_trait] (as args)", input, || {
        crate::async_trait::expand(input.clone(), args.clone())
    });
}

#[test]
fn random_token_streams_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3_000 {
        let args = random_stream(&mut rng, 0, 4);
        let input = random_stream(&mut rng, 0, 12);
        run_all(&args, &input);
    }
}

#[test]
fn mutated_valid_inputs_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for (_, args, input) in valid_inputs() {
        for _ in 0..600 {
            let input = mutate(&mut rng, &input);
            let args2 = if rng.below(3) == 0 {
                mutate(&mut rng, &args)
            } else {
                args.clone()
            };
            run_all(&args2, &input);
        }
    }
}
