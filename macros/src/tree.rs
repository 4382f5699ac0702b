//! Balanced binary trees of pairs, shared by `join!` and `select!`: the children live in
//! one nested tuple of depth `log2(n)` (no arity limit, shallow types), and the poll code
//! splits the pinned tree back into one pinned leaf per child.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::names;

/// `items` as a balanced binary tree of pairs: `((a, b), (c, (d, e)))`.
pub(crate) fn tree(items: &[TokenStream]) -> TokenStream {
    match items {
        [single] => single.clone(),
        _ => {
            let (left, right) = items.split_at(items.len() / 2);
            let (left, right) = (tree(left), tree(right));
            quote! { (#left, #right) }
        }
    }
}

/// Statements that split the pinned tree `node` (covering children `lo..hi`) down to one
/// pinned `leaves[i]` per child, mirroring [`tree`]; `private` is the support module
/// whose `split` gives pinned access to both halves of a pinned pair.
pub(crate) fn split_tree(
    private: &TokenStream,
    node: &Ident,
    lo: usize,
    hi: usize,
    leaves: &[Ident],
    out: &mut TokenStream,
) {
    if hi - lo == 1 {
        // Only for a tree of one child: a split binds its leaf children directly.
        let leaf = &leaves[lo];
        out.extend(quote! { let mut #leaf = #node; });
        return;
    }
    let mid = lo + (hi - lo) / 2;
    // A half that is one child is bound as that child's leaf (`mut`: it is polled
    // through `&mut`); a larger half is split again.
    let half = |lo: usize, hi: usize| {
        if hi - lo == 1 {
            let leaf = &leaves[lo];
            quote!(mut #leaf)
        } else {
            let name = names::local(&format!("n{lo}_{hi}"));
            quote!(#name)
        }
    };
    let (left, right) = (half(lo, mid), half(mid, hi));
    out.extend(quote! { let (#left, #right) = #private::split(#node); });
    for (lo, hi) in [(lo, mid), (mid, hi)] {
        if hi - lo > 1 {
            let name = names::local(&format!("n{lo}_{hi}"));
            split_tree(private, &name, lo, hi, leaves, out);
        }
    }
}
