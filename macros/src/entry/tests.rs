//! Unit tests of the attribute as a plain function over token streams.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Backends, Macro, expand_with};

const ALL: Backends = Backends {
    tokio: true,
    smol: true,
};
const NONE: Backends = Backends {
    tokio: false,
    smol: false,
};

fn run(kind: Macro, args: TokenStream, item: TokenStream, backends: Backends) -> String {
    expand_with(kind, args, item, backends).to_string()
}

#[test]
fn tokio_runtime_without_feature_names_the_feature() {
    let out = run(
        Macro::Main,
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
        Macro::Test,
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
        Macro::Main,
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
        Macro::Main,
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
        Macro::Main,
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
        Macro::Main,
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
            Macro::Test,
            args.clone(),
            quote!(
                async fn t() {}
            ),
            ALL,
        );
        assert!(out.contains("compile_error"), "{args}: {out}");
    }
}

/// Expands `args` on an empty `async fn` (`main` for [`Macro::Main`]) with every backend.
fn with_all(kind: Macro, args: TokenStream) -> String {
    let item = match kind {
        Macro::Main => quote!(
            async fn main() {}
        ),
        Macro::Test => quote!(
            async fn t() {}
        ),
    };
    run(kind, args, item, ALL)
}

fn tokio_test(args: TokenStream) -> String {
    with_all(Macro::Test, args)
}

fn tokio_main(args: TokenStream) -> String {
    with_all(Macro::Main, args)
}

#[test]
fn start_paused_builds_a_paused_current_thread_runtime() {
    let out = tokio_test(quote!(runtime = "tokio", start_paused = true));
    assert!(!out.contains("compile_error"), "{out}");
    assert!(out.contains("new_current_thread ()"), "{out}");
    assert!(out.contains(". start_paused (true)"), "{out}");
}

#[test]
fn start_paused_on_a_multi_thread_runtime_is_refused_as_tokio_does() {
    // A main defaults to multi_thread: the error says so.
    let out = tokio_main(quote!(runtime = "tokio", start_paused = true));
    assert!(
        out.contains("`start_paused` needs `flavor = \\\"current_thread\\\"`"),
        "{out}"
    );
    assert!(out.contains("unless told otherwise"), "{out}");
    let out = tokio_test(quote!(
        runtime = "tokio",
        flavor = "current_thread",
        start_paused = false
    ));
    assert!(!out.contains("compile_error"), "{out}");
}

#[test]
fn start_paused_expects_a_bool() {
    let out = tokio_test(quote!(runtime = "tokio", start_paused = "yes"));
    assert!(
        out.contains("`start_paused` expects `true` or `false`"),
        "{out}"
    );
}

#[test]
fn unhandled_panic_goes_through_the_trait_that_needs_tokio_unstable() {
    let out = tokio_test(quote!(
        runtime = "tokio",
        unhandled_panic = "shutdown_runtime"
    ));
    assert!(!out.contains("compile_error"), "{out}");
    assert!(
        out.contains("TokioUnhandledPanic :: patience_unhandled_panic (& mut"),
        "{out}"
    );
    assert!(out.contains("true)"), "{out}");
    let out = tokio_test(quote!(runtime = "tokio", unhandled_panic = "abort"));
    assert!(
        out.contains("unknown `unhandled_panic` behaviour `abort`"),
        "{out}"
    );
}

#[test]
fn unhandled_panic_on_multi_thread_is_refused() {
    let out = tokio_test(quote!(
        runtime = "tokio",
        flavor = "multi_thread",
        unhandled_panic = "ignore"
    ));
    assert!(out.contains("`unhandled_panic` needs `flavor"), "{out}");
}

#[test]
fn local_flavor_builds_a_local_runtime_and_has_no_workers() {
    let out = tokio_main(quote!(runtime = "tokio", flavor = "local"));
    assert!(!out.contains("compile_error"), "{out}");
    assert!(out.contains("new_current_thread ()"), "{out}");
    assert!(out.contains("build_local"), "{out}");
    let out = tokio_main(quote!(
        runtime = "tokio",
        flavor = "local",
        worker_threads = 2
    ));
    assert!(out.contains("`worker_threads` needs"), "{out}");
}

#[test]
fn name_is_given_to_the_builder_and_must_not_be_empty() {
    let out = tokio_main(quote!(runtime = "tokio", name = "server"));
    assert!(!out.contains("compile_error"), "{out}");
    assert!(out.contains(". name (\"server\")"), "{out}");
    let out = tokio_main(quote!(runtime = "tokio", name = " "));
    assert!(out.contains("`name` must not be empty"), "{out}");
}

#[test]
fn tokio_only_option_elsewhere_names_the_options_there() {
    let out = tokio_test(quote!(runtime = "smol", start_paused = true, name = "x"));
    assert_eq!(out.matches("compile_error").count(), 2, "{out}");
    assert!(
        out.contains("`start_paused` applies only to `runtime = \\\"tokio\\\"`, not to `runtime = \\\"smol\\\"`, whose options are `runtime` and `crate`"),
        "{out}"
    );
    let out = tokio_test(quote!(start_paused = true));
    assert!(out.contains("not to the default runtime"), "{out}");
}

#[test]
fn unknown_option_lists_the_options_of_each_runtime() {
    let out = tokio_test(quote!(runtime = "tokio", stack_size = 4));
    assert!(
        out.contains("`runtime` and `crate` (every runtime); `flavor`, `worker_threads`, `start_paused`, `unhandled_panic` and `name` (`runtime = \\\"tokio\\\"` only)"),
        "{out}"
    );
}

#[test]
fn tokios_crate_option_is_refused_with_a_hint() {
    let out = tokio_test(quote!(runtime = "tokio", crate = "tokio1"));
    assert!(out.contains("`crate` is the path to patience"), "{out}");
    let out = tokio_test(quote!(runtime = "tokio", crate = "my_crate::patience"));
    assert!(!out.contains("compile_error"), "{out}");
    assert!(
        out.contains("my_crate :: patience :: __private :: tokio"),
        "{out}"
    );
}

#[test]
fn renamed_tokio_flavors_get_a_hint() {
    let out = tokio_test(quote!(runtime = "tokio", flavor = "basic_scheduler"));
    assert!(
        out.contains("the one-thread flavor is `\\\"current_thread\\\"`"),
        "{out}"
    );
    let out = tokio_test(quote!(runtime = "tokio", core_threads = 2));
    assert!(
        out.contains("`core_threads` is called `worker_threads`"),
        "{out}"
    );
}

#[test]
fn duplicate_tokio_options_are_each_reported() {
    let out = tokio_test(quote!(
        runtime = "tokio",
        start_paused = true,
        start_paused = false,
        name = "a",
        name = "b"
    ));
    assert!(out.contains("duplicate option `start_paused`"), "{out}");
    assert!(out.contains("duplicate option `name`"), "{out}");
}
