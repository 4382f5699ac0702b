//! Parsing `[biased;] future, future, ...[,]`, reporting every mistake it can find.
//!
//! Parsing goes on after a mistake (see `crate::recover`): an argument that does not
//! parse is salvaged up to the next top-level `,`, a missing `,` is reported where it
//! should be and the next argument parsed from there, so the arguments are always
//! there, for the recovered expansion.

use proc_macro2::TokenStream;
use syn::parse::{Parse as _, ParseStream, Parser};
use syn::{Expr, Ident, Token};

use super::Macro;
use super::model::JoinInput;
use crate::errors::Errors;
use crate::recover::{Recovery, Stop};

/// Parses the tokens inside `join!(...)`. Output: the arguments, as far as they parse,
/// and every mistake.
pub(crate) fn parse(kind: Macro, input: TokenStream) -> (JoinInput, Errors) {
    let (mut recovery, input) = Recovery::new(input);
    let parser = |stream: ParseStream| Ok(parse_stream(kind, stream, &mut recovery));
    let parsed = parser.parse2(input);
    let (mut errors, _) = recovery.finish();
    let parsed = parsed.unwrap_or_else(|error| {
        // Not reached: `parse_stream` consumes every token and reports its own errors.
        errors.push(error);
        JoinInput {
            biased: false,
            futures: Vec::new(),
        }
    });
    (parsed, errors)
}

fn parse_stream(kind: Macro, input: ParseStream, recovery: &mut Recovery) -> JoinInput {
    let name = kind.name();
    let biased = modes(name, input, recovery);
    let mut futures = Vec::new();
    while !input.is_empty() {
        if let Ok(comma) = input.parse::<Token![,]>() {
            recovery.push(syn::Error::new(
                comma.span,
                format!("expected a future before this `,`: `{name}` arguments cannot be empty"),
            ));
            continue;
        }
        if input.peek(Ident) && input.peek2(Token![;]) {
            let word: Ident = input.fork().parse().expect("peeked");
            if word == "biased" {
                recovery.push(syn::Error::new(
                    word.span(),
                    format!("`biased;` must come first in `{name}`, before any future"),
                ));
                let _ = input.parse::<Ident>();
                let _ = input.parse::<Token![;]>();
                continue;
            }
        }
        futures.push(recovery.expr(input, Expr::parse, Stop::Comma));
        if input.is_empty() || input.parse::<Token![,]>().is_ok() {
            continue;
        }
        if let Ok(semi) = input.parse::<Token![;]>() {
            recovery.push(syn::Error::new(
                semi.span,
                format!(
                    "expected `,` or the end of `{name}`, found `;`: futures are separated by `,`"
                ),
            ));
        } else {
            // The next argument is parsed from here.
            recovery.push(input.error(format!("expected `,` between `{name}` arguments")));
        }
    }
    JoinInput { biased, futures }
}

/// Mode words: `ident;` before the first future. Output: whether `biased;` was given.
fn modes(name: &str, input: ParseStream, recovery: &mut Recovery) -> bool {
    let mut biased = false;
    while input.peek(Ident) && input.peek2(Token![;]) {
        let word: Ident = input.parse().expect("peeked");
        let _ = input.parse::<Token![;]>();
        if word == "biased" {
            if biased {
                recovery.push(syn::Error::new(
                    word.span(),
                    format!("`biased;` is given twice; write it once, first in `{name}`"),
                ));
            }
            biased = true;
        } else {
            recovery.push(syn::Error::new(
                word.span(),
                format!(
                    "expected `biased;` or a future, found `{word};`: the only mode of \
                     `{name}` is `biased;`, and futures are separated by `,`"
                ),
            ));
        }
    }
    biased
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn messages(tokens: TokenStream) -> Vec<String> {
        match parse(Macro::Join, tokens).1.into_error() {
            None => Vec::new(),
            Some(error) => error.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    fn parse_ok(tokens: TokenStream) -> JoinInput {
        let (input, errors) = parse(Macro::Join, tokens);
        assert!(errors.into_error().is_none());
        input
    }

    #[test]
    fn accepts_biased_trailing_comma_and_no_futures() {
        let input = parse_ok(quote!(biased; a, b.c(), async { 1 },));
        assert!(input.biased);
        assert_eq!(input.futures.len(), 3);
        let input = parse_ok(quote!());
        assert!(!input.biased && input.futures.is_empty());
        let input = parse_ok(quote!(biased;));
        assert!(input.biased && input.futures.is_empty());
    }

    #[test]
    fn a_variable_named_biased_is_a_future_not_a_mode() {
        let input = parse_ok(quote!(biased, other));
        assert!(!input.biased);
        assert_eq!(input.futures.len(), 2);
    }

    #[test]
    fn reports_every_empty_argument_and_missing_comma() {
        let found = messages(quote!(a,, b c, d,, e));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("expected a future before this `,`"));
        assert!(found[1].starts_with("expected `,` between `join!` arguments"));
        assert!(found[2].starts_with("expected a future before this `,`"));
    }

    #[test]
    fn reports_misplaced_duplicate_and_unknown_modes() {
        let found = messages(quote!(biased; biased; fair; a, biased; b));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("given twice"));
        assert!(found[1].starts_with("expected `biased;` or a future, found `fair;`"));
        assert!(found[2].starts_with("`biased;` must come first"));
    }
}
