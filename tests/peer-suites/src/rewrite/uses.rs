//! `use` items: the rewritten names move to a `use ::patience::…;` of their own.
//!
//! Input / output:
//!
//! ```text
//! use futures::{join, poll, future::{join_all, ready}};
//! use futures::{poll, future::{ready}}; use ::patience::{join, join_all};
//! ```

use std::ops::Range;

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit::Visit;
use syn::{UsePath, UseTree};

use super::{Modules, Names, Rules, TOKIO_ENTRY, holds_rewritten, rewritten_path};
use crate::edits::{Edit, between};

/// A name a `use` imports that now comes from patience.
struct Moved {
    /// patience's name for it.
    patience: String,
    /// The name the file uses for it.
    local: String,
    /// The peer's path, for the site count.
    path: String,
}

/// Rewrites `use` items rooted at a peer crate, and records what they import.
pub struct UseRewriter {
    rules: Rules,
    pub edits: Vec<Edit>,
    /// The byte ranges of every `use` item (the token walk leaves them alone).
    pub ranges: Vec<Range<usize>>,
    /// Local names of tokio's `test`/`main` attributes (`use tokio::test as alias`).
    pub entry_aliases: Names,
    /// Local names that are futures' `select!`/`select_biased!`.
    pub futures_selects: Names,
    /// Local names of modules holding a path rule's item (`use futures::future;`).
    pub modules: Modules,
    /// A `use` the rewrite cannot handle (a glob over a path rule's module).
    pub error: Option<String>,
}

impl UseRewriter {
    pub fn new(rules: Rules) -> UseRewriter {
        UseRewriter {
            rules,
            edits: Vec::new(),
            ranges: Vec::new(),
            entry_aliases: Names::new(),
            futures_selects: Names::new(),
            modules: Modules::new(),
            error: None,
        }
    }

    /// Splits a `use` tree below `prefix`: the rewritten names go to `moved`; what is
    /// left is returned (None if nothing is).
    fn split(
        &mut self,
        prefix: &mut Vec<String>,
        tree: &UseTree,
        moved: &mut Vec<Moved>,
    ) -> Option<UseTree> {
        let (name, local) = match tree {
            UseTree::Name(n) => (n.ident.to_string(), n.ident.to_string()),
            UseTree::Rename(r) => (r.ident.to_string(), r.rename.to_string()),
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                let kept = self.split(prefix, &p.tree, moved);
                prefix.pop();
                return kept.map(|t| {
                    UseTree::Path(UsePath {
                        ident: p.ident.clone(),
                        colon2_token: p.colon2_token,
                        tree: Box::new(t),
                    })
                });
            }
            UseTree::Group(g) => {
                let mut group = g.clone();
                group.items = g
                    .items
                    .iter()
                    .filter_map(|t| self.split(prefix, t, moved))
                    .collect();
                return (!group.items.is_empty()).then_some(UseTree::Group(group));
            }
            UseTree::Glob(_) => {
                if holds_rewritten(self.rules, prefix) {
                    self.error = Some(format!(
                        "`use {}::*` would hide a rewritten item from the rewrite; name the items",
                        prefix.join("::")
                    ));
                }
                return Some(tree.clone());
            }
        };
        if name == "self" {
            if holds_rewritten(self.rules, prefix) && local != "_" {
                let local = if local == "self" {
                    prefix.last().unwrap().clone()
                } else {
                    local
                };
                self.modules.insert(local, prefix.clone());
            }
            return Some(tree.clone());
        }
        let mut full = prefix.clone();
        full.push(name.clone());
        let Some(patience) = rewritten_path(self.rules, &full) else {
            if holds_rewritten(self.rules, &full) && local != "_" {
                self.modules.insert(local, full);
            }
            return Some(tree.clone());
        };
        if let [peer] = prefix.as_slice() {
            if peer == "tokio" && TOKIO_ENTRY.contains(&name.as_str()) {
                self.entry_aliases.insert(local.clone());
            } else if peer == "futures" && name.starts_with("select") {
                self.futures_selects.insert(local.clone());
            }
        }
        moved.push(Moved {
            patience,
            local,
            path: full.join("::"),
        });
        None
    }
}

impl<'ast> Visit<'ast> for UseRewriter {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let range = between(
            item.to_token_stream().into_iter().next().unwrap().span(),
            item.semi_token.span,
        );
        self.ranges.push(range.clone());
        let UseTree::Path(root) = &item.tree else {
            return;
        };
        let peer = root.ident.to_string();
        let mut moved = Vec::new();
        let kept = self.split(&mut vec![peer.clone()], &root.tree, &mut moved);
        if moved.is_empty() {
            return;
        }
        let attrs: TokenStream = item.attrs.iter().map(ToTokens::to_token_stream).collect();
        let prefix: String = [attrs.to_string(), item.vis.to_token_stream().to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| s + " ")
            .collect();
        let colon = item.leading_colon.map(|_| "::").unwrap_or("");
        let names: Vec<String> = moved
            .iter()
            .map(|m| {
                if m.patience == m.local {
                    m.patience.clone()
                } else {
                    format!("{} as {}", m.patience, m.local)
                }
            })
            .collect();
        let names = match names.as_slice() {
            [one] => one.clone(),
            many => format!("{{{}}}", many.join(", ")),
        };
        let mut text = format!("{prefix}use ::patience::{names};");
        if let Some(kept) = kept {
            text = format!(
                "{prefix}use {colon}{peer}::{}; {text}",
                kept.to_token_stream()
            );
        }
        let with = text.trim_start().to_owned();
        let paths: Vec<&str> = moved.iter().map(|m| m.path.as_str()).collect();
        let site = format!("use {}", paths.join(", "));
        self.edits.push(Edit { range, with, site });
    }
}
