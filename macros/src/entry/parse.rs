//! The function under `#[patience::main]` / `#[patience::test]`.
//!
//! The signature is parsed; the body is kept as unparsed tokens (apart from leading
//! inner attributes), so a half-written body never stops the macro from expanding.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Signature, Visibility, braced, token};

use super::Macro;
use crate::errors::Errors;

/// The annotated function.
pub(crate) struct EntryFn {
    /// Outer attributes, in written order.
    pub(crate) attrs: Vec<Attribute>,
    /// Inner attributes at the start of the body (`#![...]`), lifted onto the function.
    pub(crate) inner_attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    pub(crate) brace: token::Brace,
    /// The statements of the body, unparsed.
    pub(crate) body: TokenStream,
}

struct Raw(EntryFn);

impl Parse for Raw {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let content;
        let brace = braced!(content in input);
        let inner_attrs = content.call(Attribute::parse_inner)?;
        let body: TokenStream = content.parse()?;
        Ok(Raw(EntryFn {
            attrs,
            inner_attrs,
            vis,
            sig,
            brace,
            body,
        }))
    }
}

/// Parses the item and checks that it is something the attribute can rewrite. Every
/// problem found is reported.
pub(crate) fn parse(kind: Macro, item: TokenStream) -> syn::Result<EntryFn> {
    let span = item.span();
    let Raw(f) = Raw::parse.parse2(item).map_err(|_| {
        syn::Error::new(
            span,
            format!(
                "{} applies to an `async fn` with a body, for example `{}`",
                kind.attr_name(),
                match kind {
                    Macro::Main => "async fn main() { ... }",
                    Macro::Test => "async fn it_works() { ... }",
                }
            ),
        )
    })?;

    let mut errors = Errors::new();
    if f.sig.asyncness.is_none() {
        errors.push(syn::Error::new(
            f.sig.fn_token.span,
            format!(
                "{} needs an `async fn`: add the `async` keyword before `fn`",
                kind.attr_name()
            ),
        ));
    }
    let is_main = kind == Macro::Main && f.sig.ident == "main";
    if is_main && !f.sig.inputs.is_empty() {
        errors.push(syn::Error::new_spanned(
            &f.sig.inputs,
            "`main` takes no arguments; read them with `std::env::args()` instead",
        ));
    }
    if kind == Macro::Test && !f.sig.inputs.is_empty() {
        errors.push(syn::Error::new_spanned(
            &f.sig.inputs,
            "test functions take no arguments",
        ));
    }
    if (is_main || kind == Macro::Test) && !f.sig.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &f.sig.generics,
            format!(
                "{} cannot be generic",
                if is_main { "`main`" } else { "a test function" }
            ),
        ));
    }
    if kind == Macro::Test {
        for attr in &f.attrs {
            let path = attr.path();
            if path.segments.last().is_some_and(|s| s.ident == "test") {
                errors.push(syn::Error::new_spanned(
                    attr,
                    "a second test attribute: #[patience::test] already marks the function as \
                     a test; remove this one",
                ));
            }
        }
    }
    if let Some(variadic) = &f.sig.variadic {
        errors.push(syn::Error::new(
            variadic.span(),
            "variadic arguments are not supported",
        ));
    }

    errors.finish_with(f)
}
