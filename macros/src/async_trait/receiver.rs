//! How a method uses `Self`: which auto traits a default body needs from `Self` for its
//! future to be `Send`, and whether `self`/`Self` is mentioned at all.
//!
//! The body is normally not rewritten: `self` stays `self` inside the `async move` block
//! (the block captures it like any other variable), so `self` inside macro calls, local
//! `macro_rules!`, `self::paths` and nested items all keep their meaning. The one exception
//! is a `mut self: Type` receiver, which a body may reassign with a shorter borrow: that
//! needs a local of its own, so [`RenameSelf`] points the body's `self` at it.

use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, GenericArgument, PathArguments, ReceiverKind, Signature, Type};

/// Auto traits that `Self` must implement for a captured value to be `Send`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct AutoTraits {
    pub(crate) send: bool,
    pub(crate) sync: bool,
}

impl AutoTraits {
    const SEND: AutoTraits = AutoTraits {
        send: true,
        sync: false,
    };
    const SYNC: AutoTraits = AutoTraits {
        send: false,
        sync: true,
    };

    fn union(self, other: AutoTraits) -> AutoTraits {
        AutoTraits {
            send: self.send || other.send,
            sync: self.sync || other.sync,
        }
    }
}

/// What a default method body needs from `Self` so that its future is `Send`:
/// `Sync` for `&self`, `Send` for `self`, `&mut self` and `Box<Self>`, both for
/// `Arc<Self>`; other arguments mentioning `Self` count the same way. A body that only
/// mentions `Self`/`self` without taking it as an argument asks for `Send`, as it may hold a
/// `Self` across an `.await`.
pub(crate) fn needed_by_default_body(sig: &Signature, body_mentions_self: bool) -> AutoTraits {
    let mut needed = AutoTraits::default();
    let mut takes_self = false;
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                takes_self = true;
                needed = needed.union(match &receiver.kind {
                    ReceiverKind::Reference(_, _, None) => AutoTraits::SYNC,
                    ReceiverKind::Typed(_, ty) => of_type(ty),
                    _ => AutoTraits::SEND,
                });
            }
            FnArg::Typed(arg) => {
                if mentions_self(arg.ty.to_token_stream()) {
                    takes_self = true;
                    needed = needed.union(of_type(&arg.ty));
                }
            }
        }
    }
    if !takes_self && body_mentions_self {
        needed = AutoTraits::SEND;
    }
    needed
}

/// The auto traits `Self` needs for a value of type `ty` (which mentions `Self`) to be `Send`.
fn of_type(ty: &Type) -> AutoTraits {
    match ty {
        Type::Reference(reference) if reference.mutability.is_none() => AutoTraits::SYNC,
        Type::Paren(paren) => of_type(&paren.elem),
        Type::Group(group) => of_type(&group.elem),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return AutoTraits::SEND;
            };
            if last.ident == "Arc" {
                return AutoTraits::SEND.union(AutoTraits::SYNC);
            }
            // `Pin<&Self>`, `Box<Self>`, ...: look through single-argument wrappers.
            if let PathArguments::AngleBracketed(args) = &last.arguments {
                let mut types = args.args.iter().filter_map(|arg| match arg {
                    GenericArgument::Type(ty) => Some(ty),
                    _ => None,
                });
                if let (Some(inner), None) = (types.next(), types.next()) {
                    if last.ident == "Pin" || last.ident == "Box" {
                        return of_type(inner);
                    }
                }
            }
            AutoTraits::SEND
        }
        _ => AutoTraits::SEND,
    }
}

/// Whether the signature takes `self` or mentions `Self` in an argument type, so that the
/// future captures something whose type involves `Self`.
pub(crate) fn signature_captures_self(sig: &Signature) -> bool {
    sig.inputs.iter().any(|input| match input {
        FnArg::Receiver(_) => true,
        FnArg::Typed(arg) => mentions_self(arg.ty.to_token_stream()),
    })
}

/// Whether `tokens` contain `self` (as a value, not as the start of a `self::` path) or `Self`,
/// looking into macro calls too.
pub(crate) fn mentions_self(tokens: TokenStream) -> bool {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Ident(ident) if ident == "Self" => return true,
            TokenTree::Ident(ident) if ident == "self" => {
                let is_path =
                    matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                if !is_path {
                    return true;
                }
            }
            TokenTree::Group(group) if mentions_self(group.stream()) => return true,
            _ => {}
        }
    }
    false
}

/// Renames the receiver `self` in a body to another identifier, leaving alone `self::`
/// paths and nested items (which have their own `self`). Inside macro calls every `self`
/// not followed by `::` is renamed, as the tokens cannot be told apart there.
pub(crate) struct RenameSelf {
    pub(crate) to: Ident,
}

impl RenameSelf {
    fn rename_tokens(&self, tokens: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        let mut iter = tokens.into_iter().peekable();
        while let Some(tt) = iter.next() {
            out.push(match tt {
                TokenTree::Ident(ident) if ident == "self" => {
                    let is_path =
                        matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    if is_path {
                        TokenTree::Ident(ident)
                    } else {
                        TokenTree::Ident(self.renamed(&ident))
                    }
                }
                TokenTree::Group(group) => {
                    let mut renamed =
                        Group::new(group.delimiter(), self.rename_tokens(group.stream()));
                    renamed.set_span(group.span());
                    TokenTree::Group(renamed)
                }
                other => other,
            });
        }
        out.into_iter().collect()
    }

    fn renamed(&self, original: &Ident) -> Ident {
        let mut ident = self.to.clone();
        ident.set_span(self.to.span().located_at(original.span()));
        ident
    }
}

impl VisitMut for RenameSelf {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        if expr.qself.is_none() && expr.path.is_ident("self") {
            if let Some(segment) = expr.path.segments.first_mut() {
                segment.ident = self.renamed(&segment.ident);
            }
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.rename_tokens(std::mem::take(&mut mac.tokens));
        visit_mut::visit_macro_mut(self, mac);
    }
}

/// Whether a body needs its `self` to be a mutable binding: it takes `&mut self` (or
/// `&raw mut self`) or assigns to `self` (`self = ..`, `self += ..`), also inside closures
/// and macro calls but not in nested items. `&mut self.field` and `&mut self[i]` borrow
/// through `self` and need no mutable binding.
pub(crate) fn needs_mut_binding(body: &mut syn::Block) -> bool {
    let mut find = FindMutSelf(false);
    find.visit_block_mut(body);
    find.0
}

struct FindMutSelf(bool);

fn is_self(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Path(path) if path.qself.is_none() && path.path.is_ident("self"))
}

impl VisitMut for FindMutSelf {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        self.0 |= match &*expr {
            syn::Expr::Reference(reference) => {
                reference.mutability.is_some() && is_self(&reference.expr)
            }
            syn::Expr::RawAddr(raw) => {
                matches!(raw.mutability, syn::PointerMutability::Mut(_)) && is_self(&raw.expr)
            }
            syn::Expr::Assign(assign) => is_self(&assign.left),
            syn::Expr::Binary(binary) => is_compound_assign(binary.op) && is_self(&binary.left),
            _ => false,
        };
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        self.0 |= tokens_need_mut_self(mac.tokens.clone());
    }
}

fn is_compound_assign(op: syn::BinOp) -> bool {
    use syn::BinOp::{
        AddAssign, BitAndAssign, BitOrAssign, BitXorAssign, DivAssign, MulAssign, RemAssign,
        ShlAssign, ShrAssign, SubAssign,
    };
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// [`needs_mut_binding`] for the tokens of a macro call, which cannot be parsed: `& mut self`
/// not followed by `.`, `[` or `:`, or `self` followed by `=` or a compound assignment.
fn tokens_need_mut_self(tokens: TokenStream) -> bool {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let is_punct = |index: usize, ch: char| matches!(tokens.get(index), Some(TokenTree::Punct(p)) if p.as_char() == ch);
    let is_ident = |index: usize, name: &str| matches!(tokens.get(index), Some(TokenTree::Ident(i)) if i == name);
    for (index, tt) in tokens.iter().enumerate() {
        match tt {
            TokenTree::Group(group) if tokens_need_mut_self(group.stream()) => return true,
            TokenTree::Ident(ident) if ident == "self" => {
                let borrowed = index >= 2
                    && is_ident(index - 1, "mut")
                    && (is_punct(index - 2, '&')
                        || (index >= 3 && is_ident(index - 2, "raw") && is_punct(index - 3, '&')));
                let through = is_punct(index + 1, '.') || is_punct(index + 1, ':');
                let indexed = matches!(tokens.get(index + 1), Some(TokenTree::Group(g))
                    if g.delimiter() == proc_macro2::Delimiter::Bracket);
                if borrowed && !through && !indexed {
                    return true;
                }
                if assignment_at(&tokens[index + 1..]) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether `tokens` start with `=` or a compound assignment operator (`+=`, `<<=`, ..), and
/// not with a comparison (`==`, `<=`, `!=`) or `=>`.
fn assignment_at(tokens: &[TokenTree]) -> bool {
    let mut op = String::new();
    for tt in tokens {
        let TokenTree::Punct(punct) = tt else {
            break;
        };
        op.push(punct.as_char());
        if punct.spacing() == proc_macro2::Spacing::Alone {
            break;
        }
    }
    matches!(
        op.as_str(),
        "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=" | "&=" | "|=" | "<<=" | ">>="
    )
}

/// Whether the receiver is written `self: Self`, `self: &Self` or `self: &mut Self`.
pub(crate) fn is_needless_typed_self(sig: &Signature) -> bool {
    let Some(receiver) = sig.receiver() else {
        return false;
    };
    let ReceiverKind::Typed(_, ty) = &receiver.kind else {
        return false;
    };
    let ty = match &**ty {
        Type::Reference(reference) => &*reference.elem,
        other => other,
    };
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident("Self"))
}
