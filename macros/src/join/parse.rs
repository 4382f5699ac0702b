//! Parsing `[biased;] future, future, ...[,]`, reporting every mistake it can find.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, Token};

use super::Macro;
use super::model::JoinInput;
use crate::errors::Errors;

/// Parses the tokens inside `join!(...)`. Errors are collected (with recovery at the
/// next top-level `,`) and returned combined.
pub(crate) fn parse(kind: Macro, input: TokenStream) -> syn::Result<JoinInput> {
    let parser = |stream: ParseStream| parse_stream(kind, stream);
    parser.parse2(input)
}

fn parse_stream(kind: Macro, input: ParseStream) -> syn::Result<JoinInput> {
    let name = kind.name();
    let mut errors = Errors::new();
    let mut biased = false;

    // Mode words: `ident;` before the first future.
    while input.peek(Ident) && input.peek2(Token![;]) {
        let word: Ident = input.parse()?;
        input.parse::<Token![;]>()?;
        if word == "biased" {
            if biased {
                errors.push(syn::Error::new(
                    word.span(),
                    format!("`biased;` is given twice; write it once, first in `{name}`"),
                ));
            }
            biased = true;
        } else {
            errors.push(syn::Error::new(
                word.span(),
                format!(
                    "expected `biased;` or a future, found `{word};`: the only mode of \
                     `{name}` is `biased;`, and futures are separated by `,`"
                ),
            ));
        }
    }

    let mut futures = Vec::new();
    while !input.is_empty() {
        if input.peek(Token![,]) {
            let comma: Token![,] = input.parse()?;
            errors.push(syn::Error::new(
                comma.span,
                format!("expected a future before this `,`: `{name}` arguments cannot be empty"),
            ));
            continue;
        }
        if input.peek(Ident) && input.peek2(Token![;]) {
            let word: Ident = input.fork().parse()?;
            if word == "biased" {
                errors.push(syn::Error::new(
                    word.span(),
                    format!("`biased;` must come first in `{name}`, before any future"),
                ));
                input.parse::<Ident>()?;
                input.parse::<Token![;]>()?;
                continue;
            }
        }
        match input.parse::<Expr>() {
            Ok(expr) => futures.push(expr),
            Err(error) => {
                errors.push(error);
                skip_argument(input)?;
                continue;
            }
        }
        if input.is_empty() {
            break;
        }
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            continue;
        }
        let message = if input.peek(Token![;]) {
            format!("expected `,` or the end of `{name}`, found `;`: futures are separated by `,`")
        } else {
            format!("expected `,` between `{name}` arguments")
        };
        errors.push(input.error(message));
        skip_argument(input)?;
    }

    errors.finish()?;
    Ok(JoinInput { biased, futures })
}

/// Skips the rest of a bad argument: every token up to and including the next top-level
/// `,` (tokens inside brackets are single trees, so their commas do not count).
fn skip_argument(input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn messages(tokens: TokenStream) -> Vec<String> {
        match parse(Macro::Join, tokens) {
            Ok(_) => Vec::new(),
            Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn accepts_biased_trailing_comma_and_no_futures() {
        let input = parse(Macro::Join, quote!(biased; a, b.c(), async { 1 },)).unwrap();
        assert!(input.biased);
        assert_eq!(input.futures.len(), 3);
        let input = parse(Macro::Join, quote!()).unwrap();
        assert!(!input.biased && input.futures.is_empty());
        let input = parse(Macro::Join, quote!(biased;)).unwrap();
        assert!(input.biased && input.futures.is_empty());
    }

    #[test]
    fn a_variable_named_biased_is_a_future_not_a_mode() {
        let input = parse(Macro::Join, quote!(biased, other)).unwrap();
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
