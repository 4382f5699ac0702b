//! The options of `#[patience::main(...)]` / `#[patience::test(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Ident, Lit, Token};

use super::{Backends, Kind};
use crate::errors::Errors;

const ACCEPTED: &str = "`runtime`, `flavor`, `worker_threads` or `crate`";

/// The runtime the rewritten function drives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Runtime {
    /// `patience::block_on`, the embedded executor (the default).
    Builtin,
    /// A tokio runtime built for this call.
    Tokio {
        flavor: Flavor,
        worker_threads: Option<usize>,
    },
    /// `smol::block_on`.
    Smol,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
}

/// The validated options.
pub(crate) struct Options {
    pub(crate) runtime: Runtime,
    /// Path to the `patience` crate (`::patience` unless `crate = "..."`).
    pub(crate) krate: syn::Path,
}

/// One `key = value` pair as written.
struct Raw {
    key: Ident,
    value: Lit,
}

/// Options as written, before cross-checks; each with the span of its key.
#[derive(Default)]
struct Seen {
    runtime: Option<(String, Span)>,
    flavor: Option<(Flavor, Span)>,
    worker_threads: Option<(usize, Span)>,
    krate: Option<syn::Path>,
}

fn parse_raw(input: ParseStream) -> syn::Result<Vec<Raw>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let key = input.call(Ident::parse_any).map_err(|e| {
            syn::Error::new(
                e.span(),
                format!(
                    "expected an option such as `runtime = \"tokio\"`; accepted options: {ACCEPTED}"
                ),
            )
        })?;
        let eq: Option<Token![=]> = input.parse()?;
        if eq.is_none() {
            return Err(syn::Error::new(
                key.span(),
                format!("expected `=` and a value after `{key}`, for example `{key} = ...`"),
            ));
        }
        let value: Lit = match input.parse() {
            Ok(lit) => lit,
            Err(_) => {
                let bad: TokenStream = input.step(|cursor| {
                    let mut rest = *cursor;
                    let mut tts = TokenStream::new();
                    while let Some((tt, next)) = rest.token_tree() {
                        if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                            break;
                        }
                        tts.extend([tt]);
                        rest = next;
                    }
                    Ok((tts, rest))
                })?;
                return Err(syn::Error::new(
                    if bad.is_empty() {
                        key.span()
                    } else {
                        bad.span()
                    },
                    format!(
                        "the value of `{key}` must be a literal, for example `{key} = \"...\"`"
                    ),
                ));
            }
        };
        out.push(Raw { key, value });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

fn string(raw: &Raw, what: &str) -> syn::Result<String> {
    match &raw.value {
        Lit::Str(s) => Ok(s.value()),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{}` expects a string: {what}", raw.key),
        )),
    }
}

/// Parses and checks the attribute arguments. All mistakes are reported together.
pub(crate) fn parse(kind: Kind, args: TokenStream, backends: Backends) -> syn::Result<Options> {
    let raws = parse_raw.parse2(args)?;
    let mut errors = Errors::new();
    let mut seen = Seen::default();
    for raw in &raws {
        let name = raw.key.unraw().to_string();
        let span = raw.key.span();
        let duplicate = || syn::Error::new(span, format!("duplicate option `{name}`"));
        match name.as_str() {
            "runtime" => match string(raw, "`\"builtin\"`, `\"tokio\"` or `\"smol\"`") {
                Ok(v) if matches!(v.as_str(), "builtin" | "tokio" | "smol") => {
                    if seen.runtime.is_some() {
                        errors.push(duplicate());
                    } else {
                        seen.runtime = Some((v, raw.value.span()));
                    }
                }
                Ok(v) => errors.push(syn::Error::new(
                    raw.value.span(),
                    format!(
                        "unknown runtime `{v}`; expected `\"builtin\"` (the embedded \
                             patience::block_on), `\"tokio\"` or `\"smol\"`"
                    ),
                )),
                Err(e) => errors.push(e),
            },
            "flavor" => match string(raw, "`\"current_thread\"` or `\"multi_thread\"`") {
                Ok(v) => {
                    let flavor = match v.as_str() {
                        "current_thread" => Some(Flavor::CurrentThread),
                        "multi_thread" => Some(Flavor::MultiThread),
                        _ => None,
                    };
                    match flavor {
                        Some(_) if seen.flavor.is_some() => errors.push(duplicate()),
                        Some(f) => seen.flavor = Some((f, span)),
                        None => errors.push(syn::Error::new(
                            raw.value.span(),
                            format!(
                                "unknown flavor `{v}`; expected `\"current_thread\"` or \
                                     `\"multi_thread\"`"
                            ),
                        )),
                    }
                }
                Err(e) => errors.push(e),
            },
            "worker_threads" => match &raw.value {
                Lit::Int(n) => match n.base10_parse::<usize>() {
                    Ok(0) => errors.push(syn::Error::new(
                        n.span(),
                        "`worker_threads` must be at least 1",
                    )),
                    Ok(_) if seen.worker_threads.is_some() => errors.push(duplicate()),
                    Ok(v) => seen.worker_threads = Some((v, span)),
                    Err(e) => errors.push(e),
                },
                other => errors.push(syn::Error::new(
                    other.span(),
                    "`worker_threads` expects a positive integer, for example `worker_threads = 4`",
                )),
            },
            "crate" => match string(raw, "a path such as `\"my_crate::patience\"`") {
                Ok(v) => match syn::parse_str::<syn::Path>(&v) {
                    Ok(_) if seen.krate.is_some() => errors.push(duplicate()),
                    Ok(mut path) => {
                        for seg in &mut path.segments {
                            seg.ident.set_span(raw.value.span());
                        }
                        seen.krate = Some(path);
                    }
                    Err(_) => errors.push(syn::Error::new(
                        raw.value.span(),
                        format!(
                            "`crate` expects a path such as `\"my_crate::patience\"`, found `{v}`"
                        ),
                    )),
                },
                Err(e) => errors.push(e),
            },
            _ => errors.push(syn::Error::new(
                span,
                format!("unknown option `{name}`; expected {ACCEPTED}"),
            )),
        }
    }

    let runtime = match seen.runtime.as_ref().map(|(v, s)| (v.as_str(), *s)) {
        None | Some(("builtin", _)) => {
            let noun = if seen.runtime.is_some() {
                "`runtime = \"builtin\"`"
            } else {
                "the default runtime (`runtime = \"builtin\"`)"
            };
            reject_tokio_only(&seen, noun, &mut errors);
            Runtime::Builtin
        }
        Some(("smol", span)) => {
            reject_tokio_only(&seen, "`runtime = \"smol\"`", &mut errors);
            if !backends.smol {
                errors.push(missing_feature(span, "smol"));
            }
            Runtime::Smol
        }
        Some((_, span)) => {
            if !backends.tokio {
                errors.push(missing_feature(span, "tokio"));
            }
            // tokio's own defaults: a test runs on one thread, a main on all cores.
            let flavor = seen.flavor.map_or(
                match kind {
                    Kind::Main => Flavor::MultiThread,
                    Kind::Test => Flavor::CurrentThread,
                },
                |(f, _)| f,
            );
            if let Some((_, wt_span)) = seen.worker_threads
                && flavor == Flavor::CurrentThread
            {
                let why = if seen.flavor.is_some() {
                    "`flavor = \"current_thread\"` runs everything on the calling thread"
                } else {
                    "tests run on `flavor = \"current_thread\"` unless told otherwise"
                };
                errors.push(syn::Error::new(
                    wt_span,
                    format!(
                        "`worker_threads` needs `flavor = \"multi_thread\"`: {why}, so there \
                             are no worker threads to count"
                    ),
                ));
            }
            Runtime::Tokio {
                flavor,
                worker_threads: seen.worker_threads.map(|(n, _)| n),
            }
        }
    };

    errors.finish_with(Options {
        runtime,
        krate: seen.krate.unwrap_or_else(crate::util::default_crate_path),
    })
}

fn reject_tokio_only(seen: &Seen, runtime: &str, errors: &mut Errors) {
    if let Some((_, span)) = seen.flavor {
        errors.push(syn::Error::new(
            span,
            format!("`flavor` applies only to `runtime = \"tokio\"`, not to {runtime}"),
        ));
    }
    if let Some((_, span)) = seen.worker_threads {
        errors.push(syn::Error::new(
            span,
            format!("`worker_threads` applies only to `runtime = \"tokio\"`, not to {runtime}"),
        ));
    }
}

fn missing_feature(span: Span, feature: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "`runtime = \"{feature}\"` needs the `{feature}` feature of patience: \
             patience = {{ version = \"{}\", features = [\"{feature}\"] }}",
            env!("CARGO_PKG_VERSION")
        ),
    )
}
