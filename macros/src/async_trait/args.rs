//! The arguments of the attribute: nothing, `Send`, or `?Send`.
//!
//! The same grammar is accepted on the trait or impl (`#[async_trait(?Send)]`) and on a
//! single method inside it, where it overrides the choice for that method only.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Token};

use crate::errors::Errors;

/// Whether the boxed futures must be `Send`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// `dyn Future + Send` (the default, and `#[async_trait(Send)]`).
    Send,
    /// `dyn Future` without `Send` (`#[async_trait(?Send)]`).
    Local,
}

const EXPECTED: &str =
    "expected `?Send` (futures need not be `Send`), `Send` (the default), or nothing";

impl Parse for Mode {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Ok(Mode::Send);
        }
        let mode = if input.peek(Token![?]) {
            let question: Token![?] = input.parse()?;
            let ident: syn::Ident = input
                .parse()
                .map_err(|_| syn::Error::new(question.span, EXPECTED))?;
            if ident != "Send" {
                return Err(syn::Error::new(ident.span(), EXPECTED));
            }
            Mode::Local
        } else {
            let ident: syn::Ident = input
                .parse()
                .map_err(|err| syn::Error::new(err.span(), EXPECTED))?;
            if ident != "Send" {
                return Err(syn::Error::new(ident.span(), EXPECTED));
            }
            Mode::Send
        };
        if !input.is_empty() {
            let rest: TokenStream = input.parse()?;
            return Err(syn::Error::new_spanned(
                rest,
                format!("unexpected tokens after the mode: {EXPECTED}"),
            ));
        }
        Ok(mode)
    }
}

/// Parses the arguments of the outer attribute.
pub(crate) fn parse(args: TokenStream) -> syn::Result<Mode> {
    syn::parse2(args)
}

/// Is this attribute a per-method `#[async_trait(..)]` (any path ending in `async_trait`)?
pub(crate) fn is_method_override(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "async_trait")
}

/// Removes every per-method `#[async_trait(..)]` from `attrs` and returns the mode it asks
/// for (`None` when there is none). `async_fn` says whether the method is an `async fn`:
/// the override means nothing on other items and is an error there.
pub(crate) fn take_method_override(
    attrs: &mut Vec<Attribute>,
    async_fn: bool,
    errors: &mut Errors,
) -> Option<Mode> {
    let mut found: Option<(Mode, Span)> = None;
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        if !is_method_override(&attr) {
            kept.push(attr);
            continue;
        }
        let span = attr
            .path()
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
        let mode = match &attr.meta {
            syn::Meta::Path(_) => Ok(Mode::Send),
            syn::Meta::List(list) => syn::parse2::<Mode>(list.tokens.clone()),
            syn::Meta::NameValue(meta) => Err(syn::Error::new_spanned(&meta.value, EXPECTED)),
        };
        let mode = match mode {
            Ok(mode) => mode,
            Err(err) => {
                errors.push(err);
                continue;
            }
        };
        if !async_fn {
            errors.push(syn::Error::new(
                span,
                "`#[async_trait(..)]` inside a trait or impl only applies to an `async fn`",
            ));
        } else if found.is_some() {
            errors.push(syn::Error::new(
                span,
                "this method already has an `#[async_trait(..)]` override",
            ));
        } else {
            found = Some((mode, span));
        }
    }
    *attrs = kept;
    found.map(|(mode, _)| mode)
}
