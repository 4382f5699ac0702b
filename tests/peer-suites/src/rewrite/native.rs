//! The `native` rules (with [`Rules::native`]): async-trait's attribute becomes
//! patience's `native` mode on traits and goes away on impls, and a `dyn` type naming
//! such a trait names its boxing companion `Dyn<Name>` instead.
//!
//! Input / output:
//!
//! ```text
//! #[async_trait] pub trait T {..}               #[async_trait(native)] pub trait T {..}
//! #[async_trait(?Send)] trait T {..}            #[async_trait(native, ?Send)] trait T {..}
//! #[async_trait::async_trait] trait T {..}      #[patience::async_trait(native)] trait T {..}
//! #[async_trait] impl T for S {..}              impl T for S {..}
//! &x as &dyn T   (where T is rewritten)         &x as &dyn DynT
//! ```
//!
//! The attribute rules are token rules, so they reach `macro_rules!` bodies too; what
//! follows the attribute (other attributes, a visibility, `unsafe`) decides between
//! trait and impl. An attribute on anything else (a trait's method) keeps the boxed
//! rule: its path is pointed at patience.
//!
//! The `dyn` rule resolves a one-segment trait name the way Rust does for items: the
//! innermost block or module that defines (or imports) that name decides, and a module
//! does not see the names of the modules around it. It rewrites only traits defined
//! with the attribute in the same file (a `dyn` type inside a macro's arguments, or a
//! trait imported with `use`, is left alone).
//!
//! [`Rules::native`]: super::Rules::native

use std::collections::HashSet;

use proc_macro2::{Delimiter, TokenTree};
use syn::visit::{self, Visit};
use syn::{Attribute, Item, Stmt, TypeParamBound, UseTree};

use super::Names;
use super::walk::{ident_of, is_path_sep, is_punct};
use crate::edits::{Edit, between};

/// What an async-trait attribute is on.
#[derive(Debug, PartialEq, Eq)]
enum On {
    Trait,
    Impl,
}

/// The edit for an async-trait attribute `#[..]` at `tts[i]` (the `#`) on a trait or an
/// impl: `native` added, or the attribute removed. None when `tts[i]` starts no such
/// attribute, or when it is on something else, or already says `native`.
pub fn attribute_edit(src: &str, tts: &[TokenTree], i: usize, names: &Names) -> Option<Edit> {
    if !is_punct(tts.get(i), '#') {
        return None;
    }
    let Some(TokenTree::Group(attr)) = tts.get(i + 1) else {
        return None;
    };
    if attr.delimiter() != Delimiter::Bracket {
        return None;
    }
    let inner: Vec<TokenTree> = attr.stream().into_iter().collect();
    let leading = is_path_sep(&inner, 0);
    let start = if leading { 2 } else { 0 };
    let named = |at: usize| ident_of(inner.get(at)).is_some_and(|n| n == "async_trait");
    let (path_end, path, site) =
        if named(start) && is_path_sep(&inner, start + 1) && named(start + 3) {
            let colons = if leading { "::" } else { "" };
            let path = format!("{colons}patience::async_trait");
            (start + 4, path, "#[async_trait::async_trait]")
        } else if !leading && ident_of(inner.first()).is_some_and(|n| names.contains(&n)) {
            (1, inner[0].to_string(), "#[async_trait]")
        } else {
            return None;
        };
    let args = match &inner[path_end..] {
        [] => String::new(),
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Parenthesis => {
            let says_native = g
                .stream()
                .into_iter()
                .any(|t| matches!(&t, TokenTree::Ident(id) if id == "native"));
            if says_native {
                return None;
            }
            let text = &src[g.span_open().byte_range().end..g.span_close().byte_range().start];
            text.trim().to_owned()
        }
        _ => return None,
    };
    match item_after(tts, i + 2)? {
        On::Trait => Some(Edit {
            range: between(inner[0].span(), inner.last().unwrap().span()),
            with: if args.is_empty() {
                format!("{path}(native)")
            } else {
                format!("{path}(native, {args})")
            },
            site: format!("{site} on a trait: native"),
        }),
        On::Impl => Some(Edit {
            range: between(tts[i].span(), attr.span()),
            with: String::new(),
            site: format!("{site} on an impl: removed"),
        }),
    }
}

/// Whether the item starting at `tts[j]` (after its first attribute) is a trait or an
/// impl: further attributes, a visibility and `unsafe` are passed over.
fn item_after(tts: &[TokenTree], mut j: usize) -> Option<On> {
    loop {
        match tts.get(j)? {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let Some(TokenTree::Group(g)) = tts.get(j + 1) else {
                    return None;
                };
                if g.delimiter() != Delimiter::Bracket {
                    return None;
                }
                j += 2;
            }
            TokenTree::Ident(id) if id == "pub" => {
                j += 1;
                if let Some(TokenTree::Group(g)) = tts.get(j)
                    && g.delimiter() == Delimiter::Parenthesis
                {
                    j += 1;
                }
            }
            TokenTree::Ident(id) if id == "unsafe" => j += 1,
            TokenTree::Ident(id) if id == "trait" => return Some(On::Trait),
            TokenTree::Ident(id) if id == "impl" => return Some(On::Impl),
            _ => return None,
        }
    }
}

/// The edits of the `dyn` rule: `dyn Name` → `dyn DynName` where `Name` resolves to a
/// trait with async-trait's attribute.
pub fn dyn_edits(file: &syn::File) -> Vec<Edit> {
    let mut scopes = Scopes {
        stack: Vec::new(),
        edits: Vec::new(),
    };
    scopes.visit_file(file);
    scopes.edits
}

/// The names one module or block defines.
struct Scope {
    /// A module: names of the scopes around it are not visible in it.
    module: bool,
    /// Traits (and imported names) it defines: they shadow outer ones.
    defined: HashSet<String>,
    /// Those of its traits that carry async-trait's attribute.
    native: HashSet<String>,
}

impl Scope {
    fn of<'a>(module: bool, items: impl Iterator<Item = &'a Item>) -> Scope {
        let mut scope = Scope {
            module,
            defined: HashSet::new(),
            native: HashSet::new(),
        };
        for item in items {
            match item {
                Item::Trait(t) => {
                    scope.defined.insert(t.ident.to_string());
                    if has_async_trait(&t.attrs) {
                        scope.native.insert(t.ident.to_string());
                    }
                }
                Item::TraitAlias(t) => {
                    scope.defined.insert(t.ident.to_string());
                }
                Item::Use(u) => imported(&u.tree, &mut scope.defined),
                _ => {}
            }
        }
        scope
    }
}

/// An attribute whose path ends in `async_trait` (async-trait's, or patience's after
/// the rewrite).
fn has_async_trait(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "async_trait")
    })
}

/// The local names a `use` tree brings in.
fn imported(tree: &UseTree, out: &mut HashSet<String>) {
    match tree {
        UseTree::Path(p) => imported(&p.tree, out),
        UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        UseTree::Group(g) => g.items.iter().for_each(|t| imported(t, out)),
        UseTree::Glob(_) => {}
    }
}

struct Scopes {
    stack: Vec<Scope>,
    edits: Vec<Edit>,
}

impl Scopes {
    /// Whether `name`, used where the stack is now, is a trait with the attribute.
    fn is_native(&self, name: &str) -> bool {
        for scope in self.stack.iter().rev() {
            if scope.defined.contains(name) {
                return scope.native.contains(name);
            }
            if scope.module {
                return false;
            }
        }
        false
    }
}

impl<'ast> Visit<'ast> for Scopes {
    fn visit_file(&mut self, file: &'ast syn::File) {
        self.stack.push(Scope::of(true, file.items.iter()));
        visit::visit_file(self, file);
        self.stack.pop();
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let Some((_, items)) = &m.content else {
            return;
        };
        self.stack.push(Scope::of(true, items.iter()));
        visit::visit_item_mod(self, m);
        self.stack.pop();
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let items = block.stmts.iter().filter_map(|s| match s {
            Stmt::Item(item) => Some(item),
            _ => None,
        });
        self.stack.push(Scope::of(false, items));
        visit::visit_block(self, block);
        self.stack.pop();
    }

    fn visit_type_trait_object(&mut self, object: &'ast syn::TypeTraitObject) {
        if object.dyn_token.is_some() {
            for bound in &object.bounds {
                let TypeParamBound::Trait(bound) = bound else {
                    continue;
                };
                let path = &bound.path;
                if path.leading_colon.is_some() || path.segments.len() != 1 {
                    continue;
                }
                let ident = &path.segments[0].ident;
                if self.is_native(&ident.to_string()) {
                    self.edits.push(Edit {
                        range: ident.span().byte_range(),
                        with: format!("Dyn{ident}"),
                        site: "dyn Trait of a native trait: dyn DynTrait".to_owned(),
                    });
                }
            }
        }
        visit::visit_type_trait_object(self, object);
    }
}
