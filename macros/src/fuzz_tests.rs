//! Every macro, fed random and mutated token streams, must answer with tokens (a
//! `compile_error!` at worst), never a panic, and with tokens of the right shape: one
//! expression for the function-like macros (they are used in expression position, so
//! anything else buries the error under parse errors), items for the attribute macros.
//! Deterministic: a fixed-seed generator. For longer, coverage-guided runs, see the
//! cargo-fuzz targets in `fuzz/` (README's "Correctness").

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

/// What the output of a macro must parse as.
#[derive(Clone, Copy)]
enum Shape {
    Expr,
    Items,
}

fn no_panic(what: &str, input: &TokenStream, shape: Shape, f: impl FnOnce() -> TokenStream) {
    let Ok(output) = catch_unwind(AssertUnwindSafe(f)) else {
        panic!("{what} panicked on input: {input}");
    };
    let parsed = match shape {
        Shape::Expr => syn::parse2::<syn::Expr>(output.clone()).map(drop),
        // An attribute macro puts the user's item back as written: only if that was an
        // item can the output be items.
        Shape::Items if syn::parse2::<syn::Item>(input.clone()).is_err() => Ok(()),
        Shape::Items => syn::parse2::<syn::File>(output.clone()).map(drop),
    };
    if let Err(error) = parsed {
        panic!(
            "{what} on input `{input}` gave output that is not one {shape:?}: {error}\n{output}",
            shape = match shape {
                Shape::Expr => "expression",
                Shape::Items => "list of items",
            }
        );
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
    no_panic("#[main]", input, Shape::Items, || {
        crate::entry::expand(crate::entry::Macro::Main, args.clone(), input.clone())
    });
    no_panic("#[test]", args, Shape::Items, || {
        crate::entry::expand(crate::entry::Macro::Test, input.clone(), args.clone())
    });
    no_panic("select!", input, Shape::Expr, || {
        crate::select::expand(crate::select::Macro::Select, input.clone())
    });
    no_panic("select_biased!", input, Shape::Expr, || {
        crate::select::expand(crate::select::Macro::SelectBiased, input.clone())
    });
    no_panic("join!", input, Shape::Expr, || {
        crate::join::expand(crate::join::Macro::Join, input.clone())
    });
    no_panic("try_join!", input, Shape::Expr, || {
        crate::join::expand(crate::join::Macro::TryJoin, input.clone())
    });
    no_panic("#[async_trait]", input, Shape::Items, || {
        crate::async_trait::expand(args.clone(), input.clone())
    });
    no_panic("#[async_trait] (as args)", args, Shape::Items, || {
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

/// Every name an expansion binds (identifiers and labels starting with `__`) is one of
/// `crate::names`'s: a user item with any other name cannot collide with it.
#[test]
fn expansions_bind_only_prefixed_names() {
    let inputs = [
        (
            "select!",
            quote!(a = f() => a, Some(b) = g(), if c => b, default => 0, else => 1),
        ),
        (
            "select! fair 13",
            quote!(
                a = f() => a, a = f() => a, a = f() => a, a = f() => a, a = f() => a,
                a = f() => a, a = f() => a, a = f() => a, a = f() => a, a = f() => a,
                a = f() => a, a = f() => a, a = f() => a
            ),
        ),
        (
            "select! round_robin",
            quote!(round_robin(&mut c); a = f() => a, b = g() => b),
        ),
        ("join!", quote!(a(), b(), c())),
        (
            "join! 13",
            quote!(
                a(),
                a(),
                a(),
                a(),
                a(),
                a(),
                a(),
                a(),
                a(),
                a(),
                a(),
                a(),
                a()
            ),
        ),
        ("try_join!", quote!(a(), b())),
        (
            "select! watched",
            quote!(@[::patience] @watch a = f() => a, b = g() => b),
        ),
        ("join! watched", quote!(@[::patience] @watch a(), b())),
        ("try_join! watched", quote!(@[::patience] @watch a(), b())),
    ];
    for (what, input) in inputs {
        let output = if what.starts_with("select") {
            crate::select::expand(crate::select::Macro::Select, input)
        } else if what.starts_with("try") {
            crate::join::expand(crate::join::Macro::TryJoin, input)
        } else {
            crate::join::expand(crate::join::Macro::Join, input)
        };
        let mut bad = Vec::new();
        collect_unprefixed(output, &mut bad);
        assert!(bad.is_empty(), "{what} binds {bad:?}");
    }
}

fn collect_unprefixed(tokens: TokenStream, bad: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                // `__private` is the support module's path segment, not a binding.
                if name.starts_with("__")
                    && name != "__private"
                    && !name.starts_with("__patience_")
                    && !name.starts_with("__Patience")
                    && !name.starts_with("__PATIENCE_")
                {
                    bad.push(name);
                }
            }
            TokenTree::Group(group) => collect_unprefixed(group.stream(), bad),
            _ => {}
        }
    }
}
