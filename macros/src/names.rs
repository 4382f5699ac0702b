//! The names expansions introduce, made in one place so that none leaks.
//!
//! Every binding, label and helper an expansion declares is named `__patience_<what>`
//! with `Span::mixed_site()` hygiene:
//! - mixed-site hygiene makes a local binding or label invisible to the user's tokens
//!   (handlers, futures), and theirs invisible to ours;
//! - hygiene does not cover items, so a user `const` or unit struct in scope with the
//!   same name would turn our binding into a constant pattern (tokio's `COUNT` bug);
//!   the `__patience_` prefix keeps user items out of the way.
//!
//! A name can be located at a user token ([`at`]): it keeps its hygiene, but errors in
//! code that uses it are reported at that token.

use proc_macro2::{Ident, Span};
use quote::format_ident;

/// Prefix of every generated name.
const PREFIX: &str = "__patience_";

/// `__patience_<what>`, hygienic.
pub(crate) fn local(what: &str) -> Ident {
    Ident::new(&format!("{PREFIX}{what}"), Span::mixed_site())
}

/// `__patience_<what><index>`, hygienic: one per branch or child.
pub(crate) fn indexed(what: &str, index: usize) -> Ident {
    format_ident!("{}{}{}", PREFIX, what, index, span = Span::mixed_site())
}

/// [`indexed`], located at `span` (a user token): errors in code using it point there.
pub(crate) fn indexed_at(what: &str, index: usize, span: Span) -> Ident {
    format_ident!(
        "{}{}{}",
        PREFIX,
        what,
        index,
        span = Span::mixed_site().located_at(span)
    )
}

/// [`local`], located at `span`.
pub(crate) fn at(what: &str, span: Span) -> Ident {
    Ident::new(
        &format!("{PREFIX}{what}"),
        Span::mixed_site().located_at(span),
    )
}

/// A hygienic label `'__patience_<what>`.
pub(crate) fn label(what: &str) -> syn::Lifetime {
    syn::Lifetime::new(&format!("'{PREFIX}{what}"), Span::mixed_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_has_the_prefix() {
        assert_eq!(local("state").to_string(), "__patience_state");
        assert_eq!(indexed("f", 3).to_string(), "__patience_f3");
        assert_eq!(label("chain").to_string(), "'__patience_chain");
    }
}
