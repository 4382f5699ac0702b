//! Small helpers shared by several macros.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

/// The path expansions use to reach the `patience` crate (`::patience` unless
/// overridden with `crate = "..."`).
pub(crate) fn default_crate_path() -> syn::Path {
    syn::parse_quote!(::patience)
}

/// Splits the crate path off the input of a function-like macro.
///
/// `patience::select!` and the other function-like macros are `macro_rules!` wrappers
/// (in `patience`) that call the proc macro as `macro!{ @[$crate] input }`: `$crate`
/// names the `patience` crate however the user reached it (a re-export, a renamed
/// dependency). Input: `@[path] rest`. Output: `(path, rest)`; without the prefix (the
/// proc macro called directly) the path is `::patience`. `@` cannot start an
/// expression, a pattern or a mode line, so no user input is taken for the prefix.
pub(crate) fn split_crate_path(input: TokenStream) -> (TokenStream, TokenStream) {
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
    fn crate_path_prefix_is_split_off_and_defaults_to_patience() {
        let (krate, rest) = split_crate_path(quote!(@[::my::patience] a, b));
        assert_eq!(krate.to_string(), quote!(::my::patience).to_string());
        assert_eq!(rest.to_string(), quote!(a, b).to_string());
        let (krate, rest) = split_crate_path(quote!([1, 2], b));
        assert_eq!(krate.to_string(), quote!(::patience).to_string());
        assert_eq!(rest.to_string(), quote!([1, 2], b).to_string());
    }
}
