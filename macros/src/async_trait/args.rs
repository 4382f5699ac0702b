//! The arguments of the attribute: `?Send` or `Send`, `native`, and
//! `crate = "path::to::patience"`.
//!
//! The outer attribute (`#[async_trait(native, ?Send, crate = "..")]`) takes all three. A single method
//! inside a trait or impl may carry `#[async_trait(?Send)]` or `#[async_trait(Send)]`,
//! which overrides the mode for that method only; `crate` belongs to the outer attribute.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, LitStr, Token};

use crate::errors::Errors;

/// Whether the boxed futures must be `Send`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// `dyn Future + Send` (the default, and `#[async_trait(Send)]`).
    Send,
    /// `dyn Future` without `Send` (`#[async_trait(?Send)]`).
    Local,
}

/// The outer attribute's arguments.
pub(crate) struct Args {
    /// `Send` unless `?Send` is given.
    pub(crate) mode: Mode,
    /// The path given as `crate = ".."`, if any.
    pub(crate) krate: Option<syn::Path>,
    /// Where `native` was written, if it was: the trait keeps native `async fn`s (as
    /// `impl Future` methods) and gets a boxing `dyn` companion.
    pub(crate) native: Option<Span>,
    /// The supertraits named in `native_supertraits(..)`: `native` traits themselves, whose
    /// companions the companion extends.
    pub(crate) native_supertraits: Vec<syn::Path>,
}

impl Args {
    /// The path the expansion names `Box` by: `::std::boxed::Box` (there in every crate
    /// with `std`, through any re-export or renaming of `patience`), or
    /// `<crate>::__private::async_trait::Box` with `crate = "<crate>"` (for `#![no_std]`
    /// crates, which have no `::std`).
    pub(crate) fn box_path(&self) -> TokenStream {
        match &self.krate {
            None => quote!(::std::boxed::Box),
            Some(krate) => quote!(#krate::__private::async_trait::Box),
        }
    }
}

const ACCEPTED: &str = "`?Send` (futures need not be `Send`), `Send` (the default), `native` (no boxing \
     for static calls, plus a `dyn` companion), `native_supertraits(Trait, ..)` or \
     `crate = \"path::to::patience\"`";

const ACCEPTED_ON_METHOD: &str =
    "`?Send` (this method's future need not be `Send`) or `Send` (it must be)";

/// One option, as written.
enum Opt {
    Mode(Mode),
    Crate(syn::Path),
    Native,
    NativeSupertraits(Vec<syn::Path>),
}

/// Parses the arguments of the outer attribute. Every mistake is pushed to `errors`; what
/// could be understood is returned.
pub(crate) fn parse(args: TokenStream, errors: &mut Errors) -> Args {
    let mut out = Args {
        mode: Mode::Send,
        krate: None,
        native: None,
        native_supertraits: Vec::new(),
    };
    let mut mode_span: Option<Span> = None;
    let mut supertraits_span: Option<Span> = None;
    for (opt, span) in options(args, ACCEPTED, errors).0 {
        match opt {
            Opt::Mode(_) if mode_span.is_some() => errors.push(duplicate_mode(span)),
            Opt::Mode(mode) => {
                out.mode = mode;
                mode_span = Some(span);
            }
            Opt::Crate(_) if out.krate.is_some() => {
                errors.push(syn::Error::new(span, "duplicate option `crate`"));
            }
            Opt::Crate(path) => out.krate = Some(path),
            Opt::Native if out.native.is_some() => {
                errors.push(syn::Error::new(span, "duplicate option `native`"));
            }
            Opt::Native => out.native = Some(span),
            Opt::NativeSupertraits(_) if !out.native_supertraits.is_empty() => {
                errors.push(syn::Error::new(
                    span,
                    "duplicate option `native_supertraits`",
                ));
            }
            Opt::NativeSupertraits(paths) => {
                if paths.is_empty() {
                    errors.push(syn::Error::new(
                        span,
                        "`native_supertraits(..)` lists at least one supertrait",
                    ));
                }
                supertraits_span = Some(span);
                out.native_supertraits = paths;
            }
        }
    }
    if let (Some(span), None) = (supertraits_span, out.native) {
        errors.push(syn::Error::new(
            span,
            "`native_supertraits(..)` goes with `native`: write `#[async_trait(native, \
             native_supertraits(..))]`",
        ));
    }
    out
}

fn duplicate_mode(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        "the mode is already given: write one of `?Send` and `Send`, once",
    )
}

/// Splits `tokens` at top-level commas and parses each option, pushing an error for each
/// one that is not understood (and going on with the next). The flag says whether all
/// were understood.
fn options(tokens: TokenStream, accepted: &str, errors: &mut Errors) -> (Vec<(Opt, Span)>, bool) {
    let mut out = Vec::new();
    let mut all = true;
    for option in split_at_commas(tokens) {
        let span = option
            .clone()
            .into_iter()
            .next()
            .map_or_else(Span::call_site, |tt| tt.span());
        let parsed = (|input: ParseStream| parse_option(input, accepted)).parse2(option);
        match errors.ok(parsed) {
            Some(opt) => out.push((opt, span)),
            None => all = false,
        }
    }
    (out, all)
}

/// The comma-separated pieces of `tokens`: none for no tokens, and no piece after a
/// trailing comma. Other empty pieces (`a,,b`) are kept, so that they are reported.
fn split_at_commas(tokens: TokenStream) -> Vec<TokenStream> {
    let mut pieces = Vec::new();
    let mut current = TokenStream::new();
    for tt in tokens {
        if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
            pieces.push(std::mem::take(&mut current));
        } else {
            current.extend([tt]);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// `?Send`, `Send`, `native`, `native_supertraits(..)` or `crate = "path"`, and nothing
/// after it.
fn parse_option(input: ParseStream, accepted: &str) -> syn::Result<Opt> {
    let expected = |span: Span| syn::Error::new(span, format!("expected {accepted}"));
    let opt = if input.is_empty() {
        return Err(expected(input.span()));
    } else if input.peek(Token![?]) {
        let question: Token![?] = input.parse()?;
        match input.parse::<syn::Ident>() {
            Ok(ident) if ident == "Send" => Opt::Mode(Mode::Local),
            Ok(ident) => return Err(expected(ident.span())),
            Err(_) => return Err(expected(question.span)),
        }
    } else if input.peek(Token![crate]) {
        let krate: Token![crate] = input.parse()?;
        input
            .parse::<Token![=]>()
            .map_err(|_| crate_expects_path(krate.span))?;
        let lit: LitStr = input
            .parse()
            .map_err(|err| crate_expects_path(err.span()))?;
        Opt::Crate(crate_path(&lit)?)
    } else {
        let ident: syn::Ident = input
            .parse()
            .map_err(|err: syn::Error| expected(err.span()))?;
        if ident == "native" {
            Opt::Native
        } else if ident == "native_supertraits" {
            let content;
            syn::parenthesized!(content in input);
            let paths = content.parse_terminated(syn::Path::parse_mod_style, Token![,])?;
            Opt::NativeSupertraits(paths.into_iter().collect())
        } else if ident == "Send" {
            Opt::Mode(Mode::Send)
        } else {
            return Err(syn::Error::new(
                ident.span(),
                format!("unknown option `{ident}`; expected {accepted}"),
            ));
        }
    };
    if !input.is_empty() {
        let rest: TokenStream = input.parse()?;
        return Err(syn::Error::new_spanned(
            rest,
            format!(
                "unexpected tokens after this option; options are separated by `,`: expected {accepted}"
            ),
        ));
    }
    Ok(opt)
}

fn crate_expects_path(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        "`crate` expects a path in a string, such as `crate = \"::patience\"` or \
         `crate = \"my_framework::patience\"`",
    )
}

/// The path in `lit`, its tokens spanned at the literal (so errors naming it point there).
fn crate_path(lit: &LitStr) -> syn::Result<syn::Path> {
    let mut path: syn::Path = lit.parse().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!(
                "`crate` expects a path such as `\"::patience\"`, found `{}`",
                lit.value()
            ),
        )
    })?;
    if let Some(colon) = &mut path.leading_colon {
        colon.spans = [lit.span(); 2];
    }
    for segment in &mut path.segments {
        segment.ident.set_span(lit.span());
    }
    Ok(path)
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
    let mut found: Option<Mode> = None;
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
        let Some(mode) = override_mode(&attr, errors) else {
            continue;
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
            found = Some(mode);
        }
    }
    *attrs = kept;
    found
}

/// The mode of one per-method `#[async_trait]`, `#[async_trait(..)]` (`None` after pushing
/// its errors).
fn override_mode(attr: &Attribute, errors: &mut Errors) -> Option<Mode> {
    let tokens = match &attr.meta {
        syn::Meta::Path(_) => return Some(Mode::Send),
        syn::Meta::List(list) => list.tokens.clone(),
        syn::Meta::NameValue(meta) => {
            let message = format!("expected {ACCEPTED_ON_METHOD}");
            errors.push(syn::Error::new_spanned(&meta.value, message));
            return None;
        }
    };
    let (options, all) = options(tokens.into_token_stream(), ACCEPTED_ON_METHOD, errors);
    let mut mode = None;
    let mut ok = all;
    for (opt, span) in options {
        match opt {
            Opt::Mode(_) if mode.is_some() => {
                errors.push(duplicate_mode(span));
                ok = false;
            }
            Opt::Mode(m) => mode = Some(m),
            Opt::Crate(_) => {
                errors.push(syn::Error::new(
                    span,
                    "`crate = \"..\"` goes on the `#[async_trait]` of the trait or impl, not \
                     on one method",
                ));
                ok = false;
            }
            Opt::Native | Opt::NativeSupertraits(_) => {
                errors.push(syn::Error::new(
                    span,
                    "`native` and `native_supertraits(..)` go on the `#[async_trait]` of the \
                     trait, not on one method",
                ));
                ok = false;
            }
        }
    }
    // `#[async_trait()]` is `#[async_trait]`.
    ok.then(|| mode.unwrap_or(Mode::Send))
}
