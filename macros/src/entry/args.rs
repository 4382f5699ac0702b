//! Parses the options of `#[patience::main(...)]` / `#[patience::test(...)]` into the
//! [`Options`] model, in three steps: split into `key = literal` pairs ([`parse_raw`]),
//! read each pair's value ([`read_option`]), then check the options against each other
//! and the runtime ([`resolve_runtime`]). Every mistake is reported in one run.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Ident, Lit, Token};

use super::options::{Flavor, Options, Runtime, Tokio, UnhandledPanic};
use super::{Backends, Macro};
use crate::errors::Errors;

/// The options of every runtime.
const COMMON: &str = "`runtime` and `crate`";
/// The options of `runtime = "tokio"` alone (those of `#[tokio::main]`).
const TOKIO_ONLY: &str = "`flavor`, `worker_threads`, `start_paused`, `unhandled_panic` and `name`";

fn accepted() -> String {
    format!("accepted options: {COMMON} (every runtime); {TOKIO_ONLY} (`runtime = \"tokio\"` only)")
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
    start_paused: Option<(bool, Span)>,
    unhandled_panic: Option<(UnhandledPanic, Span)>,
    name: Option<(String, Span)>,
    krate: Option<(syn::Path, Span)>,
}

impl Seen {
    /// The tokio-only options given, by name, with their spans.
    fn tokio_only(&self) -> Vec<(&'static str, Span)> {
        let spans = [
            ("flavor", self.flavor.map(|(_, s)| s)),
            ("worker_threads", self.worker_threads.map(|(_, s)| s)),
            ("start_paused", self.start_paused.map(|(_, s)| s)),
            ("unhandled_panic", self.unhandled_panic.map(|(_, s)| s)),
            ("name", self.name.as_ref().map(|(_, s)| *s)),
        ];
        spans
            .into_iter()
            .filter_map(|(n, s)| Some((n, s?)))
            .collect()
    }
}

/// Parses and checks the attribute arguments. All mistakes are reported together.
pub(crate) fn parse(kind: Macro, args: TokenStream, backends: Backends) -> syn::Result<Options> {
    let raws = parse_raw.parse2(args)?;
    let mut errors = Errors::new();
    let mut seen = Seen::default();
    for raw in &raws {
        read_option(raw, &mut seen, &mut errors);
    }
    let runtime = resolve_runtime(kind, &seen, backends, &mut errors);
    errors.finish_with(Options {
        runtime,
        krate: seen
            .krate
            .map_or_else(crate::util::default_crate_path, |(p, _)| p),
    })
}

/// Input: `key = literal, ...` (a trailing comma allowed).
/// Output: the pairs, or the first token that is not one.
fn parse_raw(input: ParseStream) -> syn::Result<Vec<Raw>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let key = input.call(Ident::parse_any).map_err(|e| {
            syn::Error::new(
                e.span(),
                format!(
                    "expected an option such as `runtime = \"tokio\"`; {}",
                    accepted()
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
        let Ok(value) = input.parse::<Lit>() else {
            return Err(not_a_literal(input, &key));
        };
        out.push(Raw { key, value });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

/// The error for `key = <not a literal>`, spanned at the value up to the next comma.
fn not_a_literal(input: ParseStream, key: &Ident) -> syn::Error {
    let bad: TokenStream = input
        .step(|cursor| {
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
        })
        .unwrap_or_default();
    let span = if bad.is_empty() {
        key.span()
    } else {
        bad.span()
    };
    syn::Error::new(
        span,
        format!("the value of `{key}` must be a literal, for example `{key} = \"...\"`"),
    )
}

/// Reads one pair into `seen`: its value checked alone, a second use of a key refused.
fn read_option(raw: &Raw, seen: &mut Seen, errors: &mut Errors) {
    let name = raw.key.unraw().to_string();
    let span = raw.key.span();
    let result = match name.as_str() {
        "runtime" => read_runtime(raw).map(|v| store(&mut seen.runtime, v, span)),
        "flavor" => read_flavor(raw).map(|v| store(&mut seen.flavor, v, span)),
        "worker_threads" => {
            read_worker_threads(raw).map(|v| store(&mut seen.worker_threads, v, span))
        }
        "start_paused" => read_bool(raw).map(|v| store(&mut seen.start_paused, v, span)),
        "unhandled_panic" => {
            read_unhandled_panic(raw).map(|v| store(&mut seen.unhandled_panic, v, span))
        }
        "name" => read_name(raw).map(|v| store(&mut seen.name, v, span)),
        "crate" => read_crate(raw).map(|v| store(&mut seen.krate, v, span)),
        "core_threads" => Err(syn::Error::new(
            span,
            "`core_threads` is called `worker_threads`, as in tokio",
        )),
        _ => Err(syn::Error::new(
            span,
            format!("unknown option `{name}`; {}", accepted()),
        )),
    };
    match result {
        Ok(true) => {}
        Ok(false) => errors.push(syn::Error::new(span, format!("duplicate option `{name}`"))),
        Err(e) => errors.push(e),
    }
}

/// Fills an empty slot; false if it was already filled.
fn store<T>(slot: &mut Option<(T, Span)>, value: T, span: Span) -> bool {
    let fresh = slot.is_none();
    if fresh {
        *slot = Some((value, span));
    }
    fresh
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

fn read_runtime(raw: &Raw) -> syn::Result<String> {
    let v = string(raw, "`\"builtin\"`, `\"tokio\"` or `\"smol\"`")?;
    if matches!(v.as_str(), "builtin" | "tokio" | "smol") {
        return Ok(v);
    }
    Err(syn::Error::new(
        raw.value.span(),
        format!(
            "unknown runtime `{v}`; expected `\"builtin\"` (the embedded patience::block_on), \
             `\"tokio\"` or `\"smol\"`"
        ),
    ))
}

fn read_flavor(raw: &Raw) -> syn::Result<Flavor> {
    let v = string(
        raw,
        "`\"current_thread\"`, `\"multi_thread\"` or `\"local\"`",
    )?;
    let hint = match v.as_str() {
        "current_thread" => return Ok(Flavor::CurrentThread),
        "multi_thread" => return Ok(Flavor::MultiThread),
        "local" => return Ok(Flavor::Local),
        "single_thread" | "basic_scheduler" => ": the one-thread flavor is `\"current_thread\"`",
        "threaded_scheduler" => ": the many-threads flavor is `\"multi_thread\"`",
        _ => "",
    };
    Err(syn::Error::new(
        raw.value.span(),
        format!(
            "unknown flavor `{v}`; expected `\"current_thread\"`, `\"multi_thread\"` or \
             `\"local\"`{hint}"
        ),
    ))
}

fn read_worker_threads(raw: &Raw) -> syn::Result<usize> {
    let Lit::Int(n) = &raw.value else {
        return Err(syn::Error::new(
            raw.value.span(),
            "`worker_threads` expects a positive integer, for example `worker_threads = 4`",
        ));
    };
    match n.base10_parse::<usize>()? {
        0 => Err(syn::Error::new(
            n.span(),
            "`worker_threads` must be at least 1",
        )),
        v => Ok(v),
    }
}

fn read_bool(raw: &Raw) -> syn::Result<bool> {
    match &raw.value {
        Lit::Bool(b) => Ok(b.value),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{}` expects `true` or `false`", raw.key),
        )),
    }
}

fn read_unhandled_panic(raw: &Raw) -> syn::Result<UnhandledPanic> {
    let v = string(raw, "`\"ignore\"` or `\"shutdown_runtime\"`")?;
    match v.as_str() {
        "ignore" => Ok(UnhandledPanic::Ignore),
        "shutdown_runtime" => Ok(UnhandledPanic::ShutdownRuntime),
        _ => Err(syn::Error::new(
            raw.value.span(),
            format!(
                "unknown `unhandled_panic` behaviour `{v}`; expected `\"ignore\"` or \
                 `\"shutdown_runtime\"`"
            ),
        )),
    }
}

fn read_name(raw: &Raw) -> syn::Result<String> {
    let v = string(raw, "the runtime's name, for example `name = \"server\"`")?;
    if v.trim().is_empty() {
        return Err(syn::Error::new(
            raw.value.span(),
            "`name` must not be empty (tokio panics on an empty runtime name)",
        ));
    }
    Ok(v)
}

/// `crate = "path"`: the path to patience. A path that looks like tokio's is refused
/// with a hint: tokio's own `crate` option names tokio, which patience never needs.
fn read_crate(raw: &Raw) -> syn::Result<syn::Path> {
    let v = string(raw, "a path such as `\"my_crate::patience\"`")?;
    let Ok(mut path) = syn::parse_str::<syn::Path>(&v) else {
        return Err(syn::Error::new(
            raw.value.span(),
            format!("`crate` expects a path such as `\"my_crate::patience\"`, found `{v}`"),
        ));
    };
    let last = path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    if last.contains("tokio") && !last.contains("patience") {
        return Err(syn::Error::new(
            raw.value.span(),
            format!(
                "`crate` is the path to patience (for crates that re-export it), not to tokio: \
                 patience reaches tokio through itself, so `#[tokio::main(crate = \"{v}\")]` \
                 needs no `crate` here; remove it"
            ),
        ));
    }
    for seg in &mut path.segments {
        seg.ident.set_span(raw.value.span());
    }
    Ok(path)
}

/// Checks the options against the runtime chosen, and fills in the defaults.
fn resolve_runtime(kind: Macro, seen: &Seen, backends: Backends, errors: &mut Errors) -> Runtime {
    match seen.runtime.as_ref().map(|(v, s)| (v.as_str(), *s)) {
        None | Some(("builtin", _)) => {
            let noun = if seen.runtime.is_some() {
                "`runtime = \"builtin\"`"
            } else {
                "the default runtime (`runtime = \"builtin\"`)"
            };
            reject_tokio_only(seen, noun, errors);
            Runtime::Builtin
        }
        Some(("smol", span)) => {
            reject_tokio_only(seen, "`runtime = \"smol\"`", errors);
            if !backends.smol {
                errors.push(missing_feature(span, "smol"));
            }
            Runtime::Smol
        }
        Some((_, span)) => {
            if !backends.tokio {
                errors.push(missing_feature(span, "tokio"));
            }
            Runtime::Tokio(tokio_options(kind, seen, errors))
        }
    }
}

/// tokio's own rules: `worker_threads` only on `multi_thread`; `start_paused` and
/// `unhandled_panic` only on a current-thread runtime (`current_thread`, `local`).
fn tokio_options(kind: Macro, seen: &Seen, errors: &mut Errors) -> Tokio {
    // tokio's defaults: a test runs on one thread, a main on all cores.
    let flavor = seen.flavor.map_or(
        match kind {
            Macro::Main => Flavor::MultiThread,
            Macro::Test => Flavor::CurrentThread,
        },
        |(f, _)| f,
    );
    let why = match (seen.flavor.is_some(), kind) {
        (true, _) => "",
        (false, Macro::Main) => {
            " (`#[patience::main(runtime = \"tokio\")]` runs `flavor = \"multi_thread\"` unless told otherwise)"
        }
        (false, Macro::Test) => {
            " (tests run on `flavor = \"current_thread\"` unless told otherwise)"
        }
    };
    if let Some((_, span)) = seen.worker_threads
        && flavor != Flavor::MultiThread
    {
        errors.push(syn::Error::new(
            span,
            format!(
                "`worker_threads` needs `flavor = \"multi_thread\"`: a current-thread runtime runs \
                 everything on the calling thread, so there are no worker threads to count{why}"
            ),
        ));
    }
    for (option, span) in [
        ("start_paused", seen.start_paused.map(|(_, s)| s)),
        ("unhandled_panic", seen.unhandled_panic.map(|(_, s)| s)),
    ] {
        if let Some(span) = span
            && flavor == Flavor::MultiThread
        {
            errors.push(syn::Error::new(
                span,
                format!(
                    "`{option}` needs `flavor = \"current_thread\"` (or `\"local\"`), as in tokio: \
                     it is not supported on a multi-thread runtime{why}"
                ),
            ));
        }
    }
    Tokio {
        flavor,
        flavor_span: seen.flavor.map_or_else(Span::call_site, |(_, s)| s),
        worker_threads: seen.worker_threads.map(|(n, _)| n),
        start_paused: seen.start_paused,
        unhandled_panic: seen.unhandled_panic,
        name: seen.name.clone(),
    }
}

fn reject_tokio_only(seen: &Seen, runtime: &str, errors: &mut Errors) {
    for (option, span) in seen.tokio_only() {
        errors.push(syn::Error::new(
            span,
            format!(
                "`{option}` applies only to `runtime = \"tokio\"`, not to {runtime}, whose options \
                 are {COMMON}; add `runtime = \"tokio\"` to run on tokio"
            ),
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
