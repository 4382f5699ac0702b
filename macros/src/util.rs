//! Small helpers shared by several macros.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

/// The path expansions use to reach the `patience` crate (`::patience` unless
/// overridden with `crate = "..."`).
pub(crate) fn default_crate_path() -> syn::Path {
    syn::parse_quote!(::patience)
}

/// What the `macro_rules!` wrapper (or the benchmark) put before the user's input.
pub(crate) struct Prefix {
    /// The path of the `patience` crate.
    pub(crate) krate: TokenStream,
    /// `@watch` was given: expand for `patience::watch` even without the feature.
    pub(crate) watch: bool,
}

/// Splits the crate path (and an optional `@watch`) off the input of a function-like
/// macro: `@[path] @watch rest`.
pub(crate) fn split_prefix(input: TokenStream) -> (Prefix, TokenStream) {
    let (krate, rest) = split_crate_path(input);
    let mut tokens = rest.clone().into_iter();
    if let (Some(TokenTree::Punct(at)), Some(TokenTree::Ident(word))) =
        (tokens.next(), tokens.next())
    {
        if at.as_char() == '@' && word == "watch" {
            return (Prefix { krate, watch: true }, tokens.collect());
        }
    }
    (
        Prefix {
            krate,
            watch: false,
        },
        rest,
    )
}

/// Splits the crate path off the input of a function-like macro.
///
/// `patience::select!` and the other function-like macros are `macro_rules!` wrappers
/// (in `patience`) that call the proc macro as `macro!{ @[$crate] input }`: `$crate`
/// names the `patience` crate however the user reached it (a re-export, a renamed
/// dependency). Input: `@[path] rest`. Output: `(path, rest)`; without the prefix (the
/// proc macro called directly) the path is `::patience`. `@` cannot start an
/// expression, a pattern or a mode line, so no user input is taken for the prefix.
fn split_crate_path(input: TokenStream) -> (TokenStream, TokenStream) {
    let mut tokens = input.clone().into_iter();
    if let (Some(TokenTree::Punct(at)), Some(TokenTree::Group(group))) =
        (tokens.next(), tokens.next())
    {
        if at.as_char() == '@' && group.delimiter() == Delimiter::Bracket {
            return (group.stream(), tokens.collect());
        }
    }
    (quote!(::patience), input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_marker_follows_the_crate_path() {
        let (prefix, rest) = split_prefix(quote!(@[::p] @watch a, b));
        assert!(prefix.watch);
        assert_eq!(rest.to_string(), quote!(a, b).to_string());
        let (prefix, rest) = split_prefix(quote!(@[::p] watch, b));
        assert!(!prefix.watch);
        assert_eq!(rest.to_string(), quote!(watch, b).to_string());
    }

    #[test]
    fn crate_path_prefix_is_split_off_and_defaults_to_patience() {
        let (krate, rest) = split_crate_path(quote!(@[::my::patience] a, b));
        assert_eq!(krate.to_string(), quote!(::my::patience).to_string());
        assert_eq!(rest.to_string(), quote!(a, b).to_string());
        let (krate, rest) = split_crate_path(quote!([1, 2], b));
        assert_eq!(krate.to_string(), quote!(::patience).to_string());
        assert_eq!(rest.to_string(), quote!([1, 2], b).to_string());
    }
}
