//! Unit tests of the attribute as a plain function over token streams.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Backends, Kind, expand_with};

const ALL: Backends = Backends {
    tokio: true,
    smol: true,
};
const NONE: Backends = Backends {
    tokio: false,
    smol: false,
};

fn run(kind: Kind, args: TokenStream, item: TokenStream, backends: Backends) -> String {
    expand_with(kind, args, item, backends).to_string()
}

#[test]
fn tokio_runtime_without_feature_names_the_feature() {
    let out = run(
        Kind::Main,
        quote!(runtime = "tokio"),
        quote!(
            async fn main() {}
        ),
        NONE,
    );
    assert!(out.contains("compile_error"), "{out}");
    assert!(
        out.contains("needs the `tokio` feature of patience"),
        "{out}"
    );
}

#[test]
fn smol_runtime_without_feature_names_the_feature() {
    let out = run(
        Kind::Test,
        quote!(runtime = "smol"),
        quote!(
            async fn t() {}
        ),
        NONE,
    );
    assert!(
        out.contains("needs the `smol` feature of patience"),
        "{out}"
    );
}

#[test]
fn tokio_runtime_with_feature_builds_a_tokio_runtime() {
    let out = run(
        Kind::Main,
        quote!(runtime = "tokio", worker_threads = 3),
        quote!(
            async fn main() {}
        ),
        ALL,
    );
    assert!(!out.contains("compile_error"), "{out}");
    assert!(out.contains("new_multi_thread"), "{out}");
    assert!(out.contains("worker_threads (3usize)"), "{out}");
}

#[test]
fn error_keeps_the_original_item() {
    let out = run(
        Kind::Main,
        quote!(bogus = 1),
        quote!(
            async fn main() {
                let kept = 1;
            }
        ),
        ALL,
    );
    assert!(out.contains("compile_error"), "{out}");
    assert!(out.contains("let kept = 1"), "{out}");
}

#[test]
fn every_mistake_is_reported_in_one_run() {
    let out = run(
        Kind::Main,
        quote!(
            bogus = 1,
            runtime = "tokio",
            runtime = "smol",
            worker_threads = 0
        ),
        quote!(
            fn main(x: u8) {}
        ),
        ALL,
    );
    let count = out.matches("compile_error").count();
    assert_eq!(count, 5, "{out}");
}

#[test]
fn non_fn_item_is_an_error_not_a_panic() {
    let out = run(
        Kind::Main,
        TokenStream::new(),
        quote!(
            struct S;
        ),
        ALL,
    );
    assert!(out.contains("applies to an `async fn`"), "{out}");
    assert!(out.contains("struct S"), "{out}");
}

#[test]
fn garbage_input_is_an_error_not_a_panic() {
    for args in [
        quote!(=),
        quote!(runtime),
        quote!(runtime = ),
        quote!(, ,),
        quote!(runtime = x y),
    ] {
        let out = run(
            Kind::Test,
            args.clone(),
            quote!(
                async fn t() {}
            ),
            ALL,
        );
        assert!(out.contains("compile_error"), "{args}: {out}");
    }
}
