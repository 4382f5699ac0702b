//! Writes the plain function that drives the runtime.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::visit_mut::VisitMut;
use syn::{AttrStyle, Ident, ReturnType, Type};

use super::Macro;
use super::options::{Flavor, Options, Runtime, Tokio, UnhandledPanic};
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

fn runtime_call(
    options: &Options,
    future: &Ident,
    span: Span,
    site: Option<&Ident>,
) -> TokenStream {
    let krate = &options.krate;
    match &options.runtime {
        Runtime::Builtin => match site {
            // With `patience::watch`, the top-level frame is the function's.
            Some(site) => quote_spanned! {span=> #krate::__private::block_on_at(#future, &#site) },
            None => quote_spanned! {span=> #krate::__private::block_on(#future) },
        },
        Runtime::Smol => quote_spanned! {span=> #krate::__private::smol::block_on(#future) },
        Runtime::Tokio(tokio) => tokio_call(krate, tokio, future, span),
    }
}

/// Input: the tokio options, e.g. `flavor = "current_thread", start_paused = true`.
/// Output: `Builder::new_current_thread().start_paused(true).enable_all().build()
/// .expect(..).block_on(future)`, through patience's own tokio. Each optional builder
/// method is spanned at its option, so that a method the user's tokio lacks (`test-util`
/// off, tokio too old) is reported there.
fn tokio_call(krate: &syn::Path, tokio: &Tokio, future: &Ident, span: Span) -> TokenStream {
    let rt = quote_spanned! {span=> #krate::__private::tokio::runtime };
    let new = match tokio.flavor {
        Flavor::CurrentThread | Flavor::Local => quote_spanned! {span=> new_current_thread },
        Flavor::MultiThread => quote_spanned! {span=> new_multi_thread },
    };
    let mut chain = quote_spanned! {span=> #rt::Builder::#new() };
    if let Some((shutdown, at)) = tokio.unhandled_panic {
        // Through a trait that is implemented only with `--cfg tokio_unstable`, whose
        // error message says so.
        let shutdown = shutdown == UnhandledPanic::ShutdownRuntime;
        let method = Ident::new("patience_unhandled_panic", at);
        let builder = quote_spanned! {at=> &mut #chain };
        chain = quote_spanned! {span=>
            #krate::__private::entry::TokioUnhandledPanic::#method(#builder, #shutdown)
        };
    }
    if let Some(n) = tokio.worker_threads {
        chain = quote_spanned! {span=> #chain.worker_threads(#n) };
    }
    if let Some((paused, at)) = tokio.start_paused {
        let method = Ident::new("start_paused", at);
        chain = quote_spanned! {span=> #chain.#method(#paused) };
    }
    if let Some((name, at)) = &tokio.name {
        let method = Ident::new("name", *at);
        chain = quote_spanned! {span=> #chain.#method(#name) };
    }
    let build = match tokio.flavor {
        Flavor::Local => {
            // tokio 1.51 and later: spanned at `flavor` for older ones.
            let method = Ident::new("build_local", tokio.flavor_span);
            quote_spanned! {span=> #method(::core::default::Default::default()) }
        }
        Flavor::CurrentThread | Flavor::MultiThread => quote_spanned! {span=> build() },
    };
    // Methods the user's tokio may lack get a fallback that fails with a clear message.
    let call = quote_spanned! {span=>
        #chain
            .enable_all()
            .#build
            .expect("patience: failed to build the tokio runtime")
            .block_on(#future)
    };
    if tokio.start_paused.is_none() && tokio.name.is_none() {
        return call;
    }
    // Methods the user's tokio may lack get a fallback that fails with a clear message.
    quote_spanned! {span=> {
        #[allow(unused_imports)]
        use #krate::__private::entry::TokioBuilderFallback as _;
        #call
    }}
}

pub(crate) fn expand(kind: Macro, options: &Options, f: EntryFn) -> TokenStream {
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
    let test_attr = (kind == Macro::Test).then(|| quote! { #[::core::prelude::v1::test] });

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
    let (site_item, watched) = watch_site(kind, options, &sig.ident, &future);
    let site = site_item.as_ref().map(|(site, _)| site);
    let call = runtime_call(options, &future, body_span, site);
    let site_item = site_item.map(|(_, item)| quote! { #item #watched });
    let block = if never {
        quote_spanned! {body_span=> {
            let #future = #async_body;
            #site_item
            #[allow(unreachable_code)]
            {
                #call;
                ::core::panic!("an async fn returning `!` returned")
            }
        }}
    } else {
        quote_spanned! {body_span=> {
            let #future = #async_body;
            #site_item
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

/// Input: the attribute, its options, the function's name and the body future's name.
/// Output, with `patience::watch`: the `static` naming the function (and its name), and
/// for tokio and smol the statement that runs every poll of the body in its frame (the
/// embedded runtime takes the site itself).
fn watch_site(
    kind: Macro,
    options: &Options,
    name: &Ident,
    future: &Ident,
) -> (Option<(Ident, TokenStream)>, TokenStream) {
    if !crate::watch::enabled(false) {
        return (None, TokenStream::new());
    }
    let krate = options.krate.to_token_stream();
    let macro_name = match kind {
        Macro::Main => "main",
        Macro::Test => "test",
    };
    let (site, item) = crate::watch::site(&krate, macro_name, name.span(), &[]);
    let watched = match options.runtime {
        Runtime::Builtin => TokenStream::new(),
        _ => quote! { let #future = #krate::__private::watch::top(&#site, #future); },
    };
    (Some((site, item)), watched)
}
