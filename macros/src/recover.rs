//! Error recovery for the function-like macros: a `select!` or `join!` that does not
//! parse still expands to the user's code, where the compiler type-checks it and IDEs
//! analyse it, next to one `compile_error!` per mistake.
//!
//! rust-analyzer expands macros on every keystroke. While a call is half typed
//! (`v = rx.recv() => v.`), an expansion that is only `compile_error!` leaves nothing
//! inside the call to analyse: no completion, hover, inlay types or go-to-definition. So
//! parsing goes on after a mistake ([`Recovery`]), and [`Recovered`] writes what was
//! parsed into code that is type-checked but never runs:
//!
//! ```text
//! {
//!     let __patience_failed = { compile_error!{"…"} … };   // every mistake, once
//!     #[allow(…)]
//!     if false {
//!         use <krate>::__private::recover::{…};
//!         let _ = <condition>;                             // a select branch
//!         match __patience_output(<future>) { <pattern> => { let _ = <handler>; } _ => {} }
//!         let _ = __patience_checked(__PatienceArgument(<argument>).__patience_child());
//!     }
//!     __patience_failed                                    // the block's value
//! }
//! ```
//!
//! - The pieces sit in the enclosing function (no closure), so `return`, `?`, `break`
//!   and `.await` in a handler mean what they mean in a working call. The branch future
//!   is typed through a function (`output`), not `.await`, so a malformed call outside
//!   an `async` context gets no error per branch for that.
//! - `__patience_failed` has the type of an erroneous expression: it unifies with any
//!   type (the block fits wherever the call was) and hides every error that depends on
//!   it. A missing piece (no future, an empty handler) is that value, so the pattern's
//!   bindings and everything after type-check with no second error.
//! - A dangling `.` (`v.`, `self.` before `=>`, `,`, `;`, `)` or the end) is completed
//!   before parsing ([`dots`]) to `v.__patience_typing(::core::compile_error!{"…"})`:
//!   the error is in place, at the `.`, the call parses as usual (a call whose only
//!   mistakes are such dots even expands as usual), `v` is type-checked (hover, inlay
//!   types), and the result is erroneous.
//! - Tokens that parse as nothing (`Message::`, a broken block) are kept in
//!   `::core::stringify!`: kept, not analysed, no error of their own.
//!
//! For completion, rust-analyzer re-expands the call with a fake identifier at the
//! cursor (`v.intellijRulezz`), then reads types from the real expansion at the same
//! offsets: the two expansions must have the same shape up to the cursor. That is why
//! the other mistakes of the call must not take the whole expansion down, and why a
//! dot's error is in place rather than in the list at the start (the fake identifier
//! has no error): the list is the same in both.

use proc_macro2::{Ident, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::ParseStream;
use syn::parse::discouraged::Speculative as _;
use syn::spanned::Spanned as _;
use syn::{Expr, Pat, Token};

use crate::errors::Errors;
use crate::names;

pub(crate) mod dots;
#[cfg(test)]
mod tests;

/// Where the tokens of a piece that does not parse end.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// At the next top-level `,`.
    Comma,
    /// At the next top-level `,` or `=>`.
    CommaOrArrow,
}

/// One recovering parse: the errors so far, and the tokens kept that belong to no piece.
pub(crate) struct Recovery {
    errors: Errors,
    kept: Vec<Expr>,
}

impl Recovery {
    /// Input: a macro's tokens. Output: the parse state, and the tokens with every
    /// dangling `.` completed (see [`dots`]).
    pub(crate) fn new(tokens: TokenStream) -> (Recovery, TokenStream) {
        let recovery = Recovery {
            errors: Errors::new(),
            kept: Vec::new(),
        };
        (recovery, dots::complete(tokens))
    }

    /// Reports a mistake.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Input: a stream at an expression (a future, condition, handler or argument).
    /// Output: the expression, or, if it does not parse, its tokens up to `stop` kept as
    /// [`Recovery::raw`], with the error reported.
    pub(crate) fn expr(
        &mut self,
        input: ParseStream,
        parse: fn(ParseStream) -> syn::Result<Expr>,
        stop: Stop,
    ) -> Expr {
        let fork = input.fork();
        match parse(&fork) {
            Ok(expr) => {
                input.advance_to(&fork);
                expr
            }
            Err(error) => {
                let tokens = take_until(input, stop);
                self.unparsed(tokens, error)
            }
        }
    }

    /// Input: the tokens of a piece that does not parse, and the parser's error.
    /// Output: [`Recovery::raw`] of them; the error is reported, in words that say what
    /// is missing after a dangling `::`.
    pub(crate) fn unparsed(&mut self, tokens: TokenStream, error: syn::Error) -> Expr {
        let kept = self.raw(tokens.clone());
        match dangling_path(&tokens) {
            Some(colons) => self.push(syn::Error::new_spanned(
                colons,
                "expected a name after `::`: finish the path or remove the `::`",
            )),
            None => self.push(error),
        }
        kept
    }

    /// Input: tokens that parse as nothing (their error is reported by the caller).
    /// Output: an expression that keeps them unanalysed and has the erroneous type:
    /// `{ ::core::stringify!{ tokens }; __patience_failed }`.
    pub(crate) fn raw(&mut self, tokens: TokenStream) -> Expr {
        wrap(&tokens)
    }

    /// Keeps tokens that belong to no piece and do not parse ([`Recovery::unparsed`]).
    pub(crate) fn keep_unparsed(&mut self, tokens: TokenStream, error: syn::Error) {
        let kept = self.unparsed(tokens, error);
        self.kept.push(kept);
    }

    /// Keeps tokens that belong to no piece (see [`Recovery::raw`]).
    pub(crate) fn keep(&mut self, tokens: TokenStream) {
        let kept = self.raw(tokens);
        self.kept.push(kept);
    }

    /// Output: every error, and the kept tokens.
    pub(crate) fn finish(self) -> (Errors, Vec<Expr>) {
        (self.errors, self.kept)
    }
}

/// Input: tokens (whose mistakes are reported). Output: a block that keeps them
/// unanalysed and has the erroneous type: `{ ::core::stringify!{ tokens }; __patience_failed }`.
/// It is a block, so a `select!` handler made of it needs no `,` after it.
pub(crate) fn wrap(tokens: &impl ToTokens) -> Expr {
    let failed = names::local("failed");
    syn::parse_quote! {{ ::core::stringify!{ #tokens }; #failed }}
}

/// The placeholder for a missing piece: `__patience_failed`, erroneous.
pub(crate) fn failed() -> Expr {
    Expr::Verbatim(names::local("failed").into_token_stream())
}

/// The placeholder for a missing or unparsable pattern.
pub(crate) fn wild() -> Pat {
    syn::parse_quote!(_)
}

/// Input: a stream. Output: its token trees up to (not including) the next top-level
/// `,` (or `=>`, with [`Stop::CommaOrArrow`]), consumed.
pub(crate) fn take_until(input: ParseStream, stop: Stop) -> TokenStream {
    let mut tokens = TokenStream::new();
    let at_stop = |input: ParseStream| {
        input.is_empty()
            || input.peek(Token![,])
            || (stop == Stop::CommaOrArrow && input.peek(Token![=>]))
    };
    while !at_stop(input) {
        match input.parse::<TokenTree>() {
            Ok(tree) => tokens.extend([tree]),
            Err(_) => break,
        }
    }
    tokens
}

/// The final `::` of `tokens`, if they end with one.
fn dangling_path(tokens: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    match trees.as_slice() {
        [.., TokenTree::Punct(a), TokenTree::Punct(b)]
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':' =>
        {
            Some(trees[trees.len() - 2..].iter().cloned().collect())
        }
        _ => None,
    }
}

/// The recovered pieces of one call, as statements that never run.
pub(crate) struct Recovered {
    body: TokenStream,
}

impl Recovered {
    pub(crate) fn new() -> Recovered {
        Recovered {
            body: TokenStream::new(),
        }
    }

    /// Input: an expression (a mode's cursor, an `else` handler, kept tokens).
    /// Output: `let _ = <expr>;`.
    pub(crate) fn value(&mut self, expr: &Expr) {
        self.body.extend(quote! { let _ = #expr; });
    }

    /// Input: a `select!` branch. Output: its condition, then a `match` on its future's
    /// output that binds the pattern for the handler. The future goes through the same
    /// check as in a working `select!`, so a future that is not one gets the same one
    /// error, at the future.
    pub(crate) fn branch(
        &mut self,
        pat: &Pat,
        future: &Expr,
        condition: Option<&Expr>,
        handler: &Expr,
    ) {
        if let Some(condition) = condition {
            self.value(condition);
        }
        let at = Span::mixed_site().located_at(future.span());
        let output = quote_spanned! {at=>
            __patience_output(__patience_checked_branch(__PatienceArgument(#future).__patience_branch()))
        };
        self.body.extend(quote! {
            match #output {
                #pat => {
                    let _ = #handler;
                }
                #[allow(unreachable_patterns)]
                _ => {}
            }
        });
    }

    /// Input: a `join!` argument and the method that makes its child
    /// (`__patience_child`, or `__patience_try_child` for `try_join!`). Output: the
    /// child made and checked as in a working join: the same one error for an argument
    /// that is not a future.
    pub(crate) fn argument(&mut self, expr: &Expr, make: &str) {
        let at = Span::mixed_site().located_at(expr.span());
        let make = Ident::new(make, at);
        self.body.extend(quote_spanned! {at=>
            let _ = __patience_checked(__PatienceArgument(#expr).#make());
        });
    }

    /// Input: every mistake, and the path of the patience crate. Output: the one
    /// expression the call expands to (see the module docs and `crate::errors::expr`).
    pub(crate) fn finish(self, error: &syn::Error, krate: &TokenStream) -> TokenStream {
        // The path comes from `$crate`; a call of the proc macro with another prefix gets
        // the errors alone.
        if syn::parse2::<syn::Path>(krate.clone()).is_err() {
            return crate::errors::expr(error, TokenStream::new());
        }
        let body = self.body;
        let recovered = quote! {
            #[allow(
                unused_variables, unused_mut, unused_assignments, unused_imports,
                unreachable_code, unreachable_patterns, unused_must_use
            )]
            if false {
                use #krate::__private::recover::{
                    Typing as _, output as __patience_output, Argument as __PatienceArgument,
                    IntoBranch as _, IntoChild as _, IntoTryChild as _, NotAFutureChild as _,
                    checked as __patience_checked, checked_branch as __patience_checked_branch,
                };
                #body
            }
        };
        crate::errors::expr(error, recovered)
    }
}
