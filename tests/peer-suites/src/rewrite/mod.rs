//! Rewrites the macro paths of a peer's test file to patience's; nothing else.
//!
//! Input / output, per rule (everything else in the file stays byte for byte, and every
//! line keeps its number):
//!
//! ```text
//! tokio::select! / join! / try_join!          patience::select! / join! / try_join!
//! futures::select! / select_biased! / join! / try_join!   patience::… (same name)
//! #[tokio::test] / #[tokio::test(OPTS)]       #[patience::test(runtime = "tokio"[, OPTS])]
//! #[tokio::main(OPTS)]                        #[patience::main(runtime = "tokio"[, OPTS])]
//! use tokio::test as alias;  #[alias(OPTS)]   use patience::test as alias;  #[alias(runtime = "tokio"[, OPTS])]
//! use futures::{join, poll, select};          use futures::{poll}; use patience::{join, select};
//! async_trait::async_trait (path or use)      patience::async_trait
//! futures-dialect select!: `p = name =>`      `p = &mut name =>`
//! ```
//!
//! The futures-dialect rule is futures' one documented dialect difference:
//! `futures::select!` borrows a future given as a path, where patience (like tokio)
//! moves it; `&mut name` has exactly futures' semantics (futures also requires `Unpin`
//! there). A select is in the futures dialect when written `futures::select!` /
//! `futures::select_biased!`, or bare when that name was imported from `futures`.
//!
//! With [`Rules::paths`], the items of [`PATHS`] are rewritten too, wherever they are
//! named: by full path, through an imported module (`use futures::future;` then
//! `future::join_all`), or in a `use` tree at any depth (an item patience names
//! differently is imported under its old name, so the code using it is unchanged):
//!
//! ```text
//! futures::future::join_all(v)                patience::join_all(v)
//! use futures::future::{join_all, ready};     use futures::future::{ready}; use ::patience::join_all;
//! use futures::stream::FuturesUnordered;      use ::patience::FutureSet as FuturesUnordered;
//! ```
//!
//! Code blocks in doc comments (`///`, `//!`) are doc tests: the same rules apply to
//! their code, in place.

mod docs;
mod uses;
mod walk;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use proc_macro2::TokenStream;
use syn::visit::Visit;

use crate::edits::{Edit, apply};

/// Function-like macros: `peer::name!` becomes `patience::name!`.
const MACROS: &[(&str, &str)] = &[
    ("tokio", "select"),
    ("tokio", "join"),
    ("tokio", "try_join"),
    ("futures", "select"),
    ("futures", "select_biased"),
    ("futures", "join"),
    ("futures", "try_join"),
];

/// Attribute macros that take tokio's options: `#[tokio::NAME(..)]`.
const TOKIO_ENTRY: &[&str] = &["test", "main"];

/// Plain renames of an attribute macro's path.
const ATTRIBUTES: &[(&str, &str)] = &[("async_trait", "async_trait")];

/// Items (functions, types) a peer's path names, and patience's name for each, used
/// only with [`Rules::paths`]. The runtime-sized collections: the suites that need these
/// are in `suites::PENDING` until patience has them. (futures' `JoinAll`/`TryJoinAll`
/// types are not here: add them once patience's names for the output types are known.)
pub const PATHS: &[(&str, &str)] = &[
    ("futures::future::join_all", "join_all"),
    ("futures::future::try_join_all", "try_join_all"),
    ("futures::future::select_all", "select_all"),
    ("futures::stream::FuturesUnordered", "FutureSet"),
];

/// Which rules apply to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rules {
    /// Also rewrite the items of [`PATHS`] (the macro rules always apply).
    pub paths: bool,
}

/// A rewritten file, and how many places of each kind were rewritten.
pub struct Rewritten {
    pub text: String,
    /// What was rewritten (`#[tokio::test]`, `use tokio::select`, ...) → how many times.
    pub sites: BTreeMap<String, usize>,
}

/// Whether `peer::name` (in a `use`) is one of the macros this file rewrites.
fn is_macro(peer: &str, name: &str) -> bool {
    MACROS.contains(&(peer, name))
        || (peer == "tokio" && TOKIO_ENTRY.contains(&name))
        || ATTRIBUTES.contains(&(peer, name))
}

/// patience's name for the item at `path` (segments), if a rule rewrites it.
fn rewritten_path(rules: Rules, path: &[String]) -> Option<String> {
    if let [peer, name] = path
        && is_macro(peer, name)
    {
        return Some(name.clone());
    }
    path_rule(rules, path).map(str::to_owned)
}

/// patience's name for the item at `path` if [`PATHS`] has it (with [`Rules::paths`]).
fn path_rule(rules: Rules, path: &[String]) -> Option<&'static str> {
    if !rules.paths {
        return None;
    }
    let joined = path.join("::");
    PATHS.iter().find(|(p, _)| *p == joined).map(|(_, n)| *n)
}

/// Whether `path` (segments) is a module that holds an item of [`PATHS`].
fn holds_rewritten(rules: Rules, path: &[String]) -> bool {
    rules.paths
        && PATHS.iter().any(|(p, _)| {
            let segments: Vec<&str> = p.split("::").collect();
            segments.len() > path.len() && segments.iter().zip(path).all(|(a, b)| a == b)
        })
}

/// Rewrites one file. Fails if the file does not parse, if a glob import would hide a
/// path rule's item, or if a second pass over the result would still find something to
/// rewrite (a rule missed a form).
pub fn rewrite(src: &str, rules: Rules) -> Result<Rewritten, String> {
    let edits = file_edits(src, rules)?;
    let mut sites = BTreeMap::new();
    for e in &edits {
        *sites.entry(e.site.clone()).or_insert(0) += 1;
    }
    let text = apply(src, edits)?;
    let again = file_edits(&text, rules)?;
    if let Some(edit) = again.first() {
        let line = text[..edit.range.start].matches('\n').count() + 1;
        return Err(format!(
            "the rewrite is incomplete: line {line} still has `{}`",
            &text[edit.range.clone()]
        ));
    }
    Ok(Rewritten { text, sites })
}

/// The edits of a file's code and of its doc comments' code blocks.
fn file_edits(src: &str, rules: Rules) -> Result<Vec<Edit>, String> {
    let tokens = TokenStream::from_str(src).map_err(|e| format!("does not lex: {e}"))?;
    let mut out = edits(src, tokens.clone(), rules)?;
    out.extend(docs::edits(src, tokens, rules)?);
    Ok(out)
}

/// The edits of one text's code (doc comments are not looked into).
fn edits(src: &str, tokens: TokenStream, rules: Rules) -> Result<Vec<Edit>, String> {
    let file: syn::File = syn::parse2(tokens.clone()).map_err(|e| {
        let at = e.span().start();
        format!("does not parse at {}:{}: {e}", at.line, at.column)
    })?;
    let mut uses = uses::UseRewriter::new(rules);
    uses.visit_file(&file);
    if let Some(e) = uses.error {
        return Err(e);
    }
    let mut walker = walk::Walker {
        src,
        rules,
        entry_aliases: uses.entry_aliases,
        futures_selects: uses.futures_selects,
        modules: uses.modules,
        edits: Vec::new(),
    };
    walker.walk(tokens);
    let mut edits = uses.edits;
    edits.extend(walker.edits.into_iter().filter(|e| {
        !uses
            .ranges
            .iter()
            .any(|r| r.start <= e.range.start && e.range.end <= r.end)
    }));
    Ok(edits)
}

/// What a file's `use` items tell the token walk.
type Modules = HashMap<String, Vec<String>>;
/// Local names of tokio's entry attributes, or of futures' selects.
type Names = HashSet<String>;
