//! Writes the plain function that drives the runtime.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::visit_mut::VisitMut;
use syn::{AttrStyle, Ident, ReturnType, Type};

use super::Kind;
use super::args::{Flavor, Options, Runtime};
use super::parse::EntryFn;

/// Whether a type mentions `impl Trait` anywhere (such a type cannot be named in the
/// return-type hint).
fn mentions_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type_mut(&mut ty.clone());
    finder.0
}

fn runtime_call(options: &Options, future: &Ident, span: Span) -> TokenStream {
    let krate = &options.krate;
    match &options.runtime {
        Runtime::Builtin => quote_spanned! {span=> #krate::__private::block_on(#future) },
        Runtime::Smol => quote_spanned! {span=> #krate::__private::smol::block_on(#future) },
        Runtime::Tokio {
            flavor,
            worker_threads,
        } => {
            let builder = match flavor {
                Flavor::CurrentThread => quote_spanned! {span=> new_current_thread() },
                Flavor::MultiThread => quote_spanned! {span=> new_multi_thread() },
            };
            let workers = worker_threads.map(|n| quote_spanned! {span=> .worker_threads(#n) });
            quote_spanned! {span=>
                #krate::__private::tokio::runtime::Builder::#builder
                    #workers
                    .enable_all()
                    .build()
                    .expect("patience: failed to build the tokio runtime")
                    .block_on(#future)
            }
        }
    }
}

pub(crate) fn expand(kind: Kind, options: &Options, f: EntryFn) -> TokenStream {
    let EntryFn {
        attrs,
        inner_attrs,
        vis,
        mut sig,
        brace,
        body,
    } = f;
    sig.asyncness = None;
    let lifted = inner_attrs.into_iter().map(|mut attr| {
        attr.style = AttrStyle::Outer;
        attr
    });
    let test_attr = (kind == Kind::Test).then(|| quote! { #[::core::prelude::v1::test] });

    // Hygienic names: invisible to the user's body.
    let future = Ident::new("__patience_body", Span::mixed_site());
    let ret = Ident::new("__patience_ret", Span::mixed_site());
    let body_span = brace.span.join();

    // The async block's output is pinned to the declared return type before the body
    // runs, so `return` and `?` inside the body coerce exactly as in a plain fn.
    let declared = match &sig.output {
        ReturnType::Type(_, ty) if !mentions_impl_trait(ty) => Some(ty.clone()),
        _ => None,
    };
    let never = matches!(&sig.output, ReturnType::Type(_, ty) if matches!(**ty, Type::Never(_)));
    let async_body = match declared {
        Some(ty) if !never => quote_spanned! {body_span=>
            async move {
                if let ::core::option::Option::Some(#ret) =
                    ::core::option::Option::None::<#ty>
                {
                    return #ret;
                }
                let #ret: #ty = { #body };
                #[allow(unreachable_code)]
                #ret
            }
        },
        _ => quote_spanned! {body_span=> async move { #body } },
    };
    let call = runtime_call(options, &future, body_span);
    let block = if never {
        quote_spanned! {body_span=> {
            let #future = #async_body;
            #[allow(unreachable_code)]
            {
                #call;
                ::core::panic!("an async fn returning `!` returned")
            }
        }}
    } else {
        quote_spanned! {body_span=> {
            let #future = #async_body;
            #call
        }}
    };

    let mut out = TokenStream::new();
    for attr in &attrs {
        attr.to_tokens(&mut out);
    }
    for attr in lifted {
        attr.to_tokens(&mut out);
    }
    out.extend(test_attr);
    vis.to_tokens(&mut out);
    sig.to_tokens(&mut out);
    out.extend(block);
    out
}
