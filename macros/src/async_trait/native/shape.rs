//! What the companion's pieces are named and generic over, shared by the files that write
//! them.

use super::super::args::Mode;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::ext::IdentExt;
use syn::{Attribute, ItemTrait, Signature, TypeParamBound, WherePredicate};

/// A method the companion forwards.
pub(super) struct Forwarded {
    /// The method's `#[cfg]`s, repeated on each copy.
    pub(super) cfgs: Vec<Attribute>,
    /// `Some` for an `async fn`, with its mode.
    pub(super) mode: Option<Mode>,
    /// The signature as written (still `async`), every argument a plain name.
    pub(super) written: Signature,
    /// Those names, the receiver first.
    pub(super) written_names: Vec<TokenStream>,
    /// The signature in the rewritten trait, every argument a plain name.
    pub(super) native: Signature,
    /// Those names.
    pub(super) native_names: Vec<TokenStream>,
    /// The `Self: Sync`-like bound of a default body, which the erased method repeats.
    pub(super) self_bound: Option<WherePredicate>,
    /// Whether the companion's impls return the boxed future itself rather than an
    /// `async` block around it (see [`super::method::single_borrow`]).
    pub(super) direct: bool,
}

impl Forwarded {
    /// `__patience_<name>`: the erased method.
    pub(super) fn erased_ident(&self) -> Ident {
        let ident = &self.written.ident;
        format_ident!("__patience_{}", ident.unraw(), span = ident.span())
    }
}

/// An associated type of the trait.
pub(super) struct Assoc {
    pub(super) ident: Ident,
    pub(super) bounds: TokenStream,
    pub(super) cfgs: Vec<Attribute>,
}

/// A supertrait the user named in `native_supertraits(..)`: itself a `native` trait.
pub(super) struct Super {
    /// The supertrait as written in the trait's bounds: `Reader<Item = u8>`.
    pub(super) bound: syn::TraitBound,
    /// Its companion with the same arguments, the companion's supertrait:
    /// `DynReader<Item = u8>`.
    pub(super) companion: TokenStream,
    /// The path of its forwarding macro: `DynReader` (see [`super::supertraits`]).
    pub(super) forwarder: syn::Path,
}

/// The paths the expansion names library types by.
pub(super) struct Paths {
    /// `Box` (see [`super::super::args::Args::box_path`]).
    pub(super) boxed: TokenStream,
}

/// The companion's names and generics.
pub(super) struct Shape<'a> {
    pub(super) item: &'a ItemTrait,
    /// `DynStore`.
    pub(super) companion: Ident,
    /// The trait's generic arguments: `'a, T, N`.
    pub(super) args: Vec<TokenStream>,
    pub(super) assoc: Vec<Assoc>,
    pub(super) paths: &'a Paths,
    /// The supertraits named in `native_supertraits(..)`.
    pub(super) supers: Vec<Super>,
    /// Auto traits the `dyn` values need (see [`super::companion::needs`]), each spanned
    /// where it comes from.
    pub(super) needs: [Option<Span>; 2],
}

impl<'a> Shape<'a> {
    pub(super) fn new(item: &'a ItemTrait, paths: &'a Paths, supers: Vec<Super>) -> Self {
        let companion = format_ident!("Dyn{}", item.ident.unraw(), span = item.ident.span());
        let args = item
            .generics
            .params
            .iter()
            .map(|param| match param {
                syn::GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
                syn::GenericParam::Type(param) => param.ident.to_token_stream(),
                syn::GenericParam::Const(param) => param.ident.to_token_stream(),
            })
            .collect();
        Shape {
            item,
            companion,
            args,
            assoc: Vec::new(),
            paths,
            supers,
            needs: [None, None],
        }
    }

    /// `Store<'a, T>` (or any of the trait's siblings, given its name).
    pub(super) fn path(&self, ident: &Ident) -> TokenStream {
        let args = &self.args;
        if args.is_empty() {
            quote!(#ident)
        } else {
            quote!(#ident<#(#args),*>)
        }
    }

    /// `Store<'a, T>`.
    pub(super) fn trait_path(&self) -> TokenStream {
        self.path(&self.item.ident)
    }

    /// `DynStore<'a, T>`.
    pub(super) fn companion_path(&self) -> TokenStream {
        self.path(&self.companion)
    }

    /// `DynStore<'a, T, Key = <binding of Key>>`, the trait of the `dyn` values.
    pub(super) fn dyn_trait(&self, binding: impl Fn(&Ident) -> TokenStream) -> TokenStream {
        let companion = &self.companion;
        let mut args = self.args.clone();
        for assoc in &self.assoc {
            let ident = &assoc.ident;
            let bound = binding(ident);
            args.push(quote!(#ident = #bound));
        }
        if args.is_empty() {
            quote!(#companion)
        } else {
            quote!(#companion<#(#args),*>)
        }
    }

    /// The `dyn` impls' parameter standing for an associated type: `__PatienceKey`.
    pub(super) fn assoc_param(ident: &Ident) -> Ident {
        format_ident!("__Patience{}", ident.unraw(), span = ident.span())
    }

    /// `DynStore<'a, T, Key = __PatienceKey>`: the trait of the `dyn` values the impls cover.
    pub(super) fn dyn_trait_of_params(&self) -> TokenStream {
        self.dyn_trait(|ident| Self::assoc_param(ident).to_token_stream())
    }

    /// The lifetime of the `dyn` values the impls cover: the one the trait demands of `Self`
    /// (`trait Store: 'static`), if any.
    pub(super) fn required_lifetime(&self) -> Option<TokenStream> {
        self.item.supertraits.iter().find_map(|bound| match bound {
            TypeParamBound::Lifetime(lifetime) => Some(lifetime.to_token_stream()),
            _ => None,
        })
    }

    /// `+ Send + Sync` (those the `dyn` values need), spanned where they come from.
    pub(super) fn auto_bounds(&self) -> TokenStream {
        let [send, sync] = self.needs;
        let send = send.map(|span| quote::quote_spanned!(span=> + ::core::marker::Send));
        let sync = sync.map(|span| quote::quote_spanned!(span=> + ::core::marker::Sync));
        quote!(#send #sync)
    }

    /// The four `dyn` types of the companion: plain, `+ Send`, `+ Sync`, `+ Send + Sync`
    /// (each distinct, and each a `Store`), as the tokens after `dyn DynStore<..>`.
    pub(super) fn markers() -> [TokenStream; 4] {
        [
            quote!(),
            quote!(+ ::core::marker::Send),
            quote!(+ ::core::marker::Sync),
            quote!(+ ::core::marker::Send + ::core::marker::Sync),
        ]
    }
}
