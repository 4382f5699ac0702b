use super::{Rules, rewrite};

const MACROS: Rules = Rules { paths: false };
const PATHS: Rules = Rules { paths: true };

fn check_with(rules: Rules, input: &str, expected: &str) {
    let out = rewrite(input, rules).unwrap().text;
    assert_eq!(out, expected, "\ninput:\n{input}");
    assert_eq!(
        out.lines().count(),
        input.lines().count(),
        "line count changed"
    );
}

fn check(input: &str, expected: &str) {
    check_with(MACROS, input, expected);
}

#[test]
fn tokio_macro_paths_point_at_patience() {
    check(
        "fn f() { let x = tokio::select! { a = b => 1 }; tokio::join!(a, ::tokio::try_join!(b)); }",
        "fn f() { let x = patience::select! { a = b => 1 }; patience::join!(a, patience::try_join!(b)); }",
    );
}

#[test]
fn other_tokio_macros_and_longer_paths_are_left_alone() {
    let src = "fn f() { tokio::pin!(x); my::tokio::select!{}; tokio::task::yield_now(); }";
    check(src, src);
}

#[test]
fn tokio_test_gets_the_tokio_runtime_and_keeps_its_options() {
    check(
        "#[tokio::test]\nasync fn a() {}\n#[::tokio::test(flavor = \"multi_thread\", worker_threads = 2)]\nasync fn b() {}",
        "#[patience::test(runtime = \"tokio\")]\nasync fn a() {}\n#[patience::test(runtime = \"tokio\", flavor = \"multi_thread\", worker_threads = 2)]\nasync fn b() {}",
    );
}

#[test]
fn tokio_main_gets_the_tokio_runtime_too() {
    check(
        "#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {}",
        "#[patience::main(runtime = \"tokio\", flavor = \"current_thread\")]\nasync fn main() {}",
    );
}

#[test]
fn aliased_tokio_test_is_rewritten_at_the_use_and_at_each_attribute() {
    check(
        "use tokio::test as maybe;\n#[maybe]\nasync fn a() {}\n#[maybe(start_paused = true)]\nasync fn b() {}",
        "use ::patience::test as maybe;\n#[maybe(runtime = \"tokio\")]\nasync fn a() {}\n#[maybe(runtime = \"tokio\", start_paused = true)]\nasync fn b() {}",
    );
}

#[test]
fn futures_use_groups_are_split_and_keep_their_line_count() {
    check(
        "use futures::{\n    join, poll,\n    future::join as f,\n};\nfn x() {}",
        "use futures::{ poll , future :: join as f }; use ::patience::join;\n\n\n\nfn x() {}",
    );
}

#[test]
fn futures_select_borrows_path_futures_only() {
    check(
        "use futures::select;\nfn f() { select! { a = fut => 1, b = make() => 2, c = &mut g => 3, default => 4 } }",
        "use ::patience::select;\nfn f() { select! { a = &mut fut => 1, b = make() => 2, c = &mut g => 3, default => 4 } }",
    );
    check(
        "fn f() { futures::select_biased! { a = x => futures::select! { b = y => 1 } } }",
        "fn f() { patience::select_biased! { a = &mut x => patience::select! { b = &mut y => 1 } } }",
    );
}

#[test]
fn tokio_select_keeps_moving_path_futures() {
    check(
        "fn f() { tokio::select! { a = fut => 1 } }",
        "fn f() { patience::select! { a = fut => 1 } }",
    );
}

#[test]
fn async_trait_paths_point_at_patience() {
    check(
        "use async_trait::async_trait;\n#[async_trait::async_trait(?Send)]\ntrait T {}",
        "use ::patience::async_trait;\n#[patience::async_trait(?Send)]\ntrait T {}",
    );
}

#[test]
fn sites_are_counted_by_kind() {
    let out = rewrite(
        "use tokio::select;\n#[tokio::test]\nasync fn a() { tokio::select! {} }\n#[tokio::test]\nasync fn b() {}",
        MACROS,
    )
    .unwrap();
    let sites: Vec<(&str, usize)> = out.sites.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        sites,
        [
            ("#[tokio::test]", 2),
            ("tokio::select!", 1),
            ("use tokio::select", 1)
        ]
    );
}

#[test]
fn function_paths_are_left_alone_without_the_path_rules() {
    let src = "use futures::future::join_all;\nfn f() { futures::future::select_all(v); }";
    check(src, src);
}

#[test]
fn full_function_paths_point_at_patience() {
    check_with(
        PATHS,
        "fn f() { futures::future::join_all(v); ::futures::future::try_join_all(w); futures::future::ready(1); }",
        "fn f() { patience::join_all(v); ::patience::try_join_all(w); futures::future::ready(1); }",
    );
}

#[test]
fn a_renamed_item_keeps_its_local_name_in_use_trees() {
    check_with(
        PATHS,
        "use futures::stream::FuturesUnordered;\nfn f() -> FuturesUnordered<F> { FuturesUnordered::new() }",
        "use ::patience::FutureSet as FuturesUnordered;\nfn f() -> FuturesUnordered<F> { FuturesUnordered::new() }",
    );
}

#[test]
fn nested_use_trees_are_split_at_every_depth() {
    check_with(
        PATHS,
        "use futures::{join, future::{join_all, ready, Future}, stream::{FuturesUnordered as Set, StreamExt}};",
        "use futures::{ future :: { ready , Future } , stream :: { StreamExt } }; use ::patience::{join, join_all, FutureSet as Set};",
    );
    check_with(
        PATHS,
        "use futures::future::select_all as pick;",
        "use ::patience::select_all as pick;",
    );
}

#[test]
fn items_named_through_an_imported_module_are_rewritten() {
    check_with(
        PATHS,
        "use futures::future::{self, ready};\nuse futures::stream as s;\nfn f() { future::join_all(v); future::ready(1); s::FuturesUnordered::<F>::new(); }",
        "use futures::future::{self, ready};\nuse futures::stream as s;\nfn f() { patience::join_all(v); future::ready(1); patience::FutureSet::<F>::new(); }",
    );
}

#[test]
fn paths_that_only_end_like_a_rule_are_left_alone() {
    let src = "fn f() { my::futures::future::join_all(v); <T as X>::future::join_all(); future::join_all(w); }";
    check_with(PATHS, src, src);
}

#[test]
fn a_glob_over_a_rewritten_module_is_an_error() {
    let err = rewrite("use futures::future::*;", PATHS).err().unwrap();
    assert!(err.contains("`use futures::future::*`"), "{err}");
    assert!(rewrite("use futures::future::*;", MACROS).is_ok());
}

#[test]
fn doc_examples_are_rewritten_in_place() {
    check(
        "/// Connects.\n///\n/// ```no_run\n/// # use x::y;\n/// #[tokio::main]\n/// async fn main() { tokio::join!(a); }\n/// ```\npub fn connect() {}",
        "/// Connects.\n///\n/// ```no_run\n/// # use x::y;\n/// #[patience::main(runtime = \"tokio\")]\n/// async fn main() { patience::join!(a); }\n/// ```\npub fn connect() {}",
    );
}

#[test]
fn doc_examples_keep_hidden_lines_and_inner_docs_work_too() {
    check(
        "mod m {\n    //! ```\n    //! # #[tokio::main]\n    //! # async fn main() {}\n    //! ```\n}",
        "mod m {\n    //! ```\n    //! # #[patience::main(runtime = \"tokio\")]\n    //! # async fn main() {}\n    //! ```\n}",
    );
}

#[test]
fn non_rust_doc_blocks_and_prose_are_left_alone() {
    let src =
        "/// Uses `#[tokio::main]`.\n///\n/// ```text\n/// #[tokio::main]\n/// ```\nfn f() {}";
    check(src, src);
}

#[test]
fn a_doc_example_that_does_not_parse_is_left_alone() {
    let src = "/// ```ignore\n/// #[tokio::main] async fn ( {\n/// ```\nfn f() {}";
    check(src, src);
}

#[test]
fn doc_example_sites_are_counted_apart() {
    let out = rewrite(
        "/// ```\n/// #[tokio::main]\n/// async fn main() {}\n/// ```\nfn f() {}",
        MACROS,
    )
    .unwrap();
    assert_eq!(out.sites.get("doc example: #[tokio::main]"), Some(&1));
}
