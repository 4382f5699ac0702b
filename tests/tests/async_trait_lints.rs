//! The expansion is clean under strict lints (rustc's and clippy's pedantic group when run
//! under `cargo clippy`), `#![forbid(unsafe_code)]`, `#[no_implicit_prelude]`, and with a
//! user module named `core` in scope.

#![forbid(unsafe_code)]
#![deny(
    warnings,
    unused_qualifications,
    single_use_lifetimes,
    non_snake_case,
    unused_extern_crates,
    unreachable_pub,
    clippy::all,
    clippy::pedantic
)]

/// A user module named like the `core` crate must not capture the expansion's paths.
mod core {}

#[no_implicit_prelude]
mod strict {
    use ::patience::async_trait;
    use ::std::boxed::Box;
    use ::std::convert::From;
    use ::std::future::Future;
    use ::std::marker::Send;
    use ::std::marker::Sync;
    use ::std::option::Option;
    use ::std::pin::Pin;
    use ::std::string::String;
    use ::std::sync::Arc;
    use ::std::vec::Vec;

    #[async_trait]
    pub(crate) trait Repository: Sync {
        type Id: ::std::marker::Send + ::std::marker::Sync;

        async fn find(&self, id: &Self::Id) -> ::std::option::Option<String>;

        async fn find_all(&self, ids: Vec<Self::Id>) -> Vec<String> {
            let mut found = Vec::new();
            for id in &ids {
                if let ::std::option::Option::Some(name) = self.find(id).await {
                    found.push(name);
                }
            }
            found
        }

        async fn describe(&self, (prefix, suffix): (&str, &str), _: u8) -> String {
            let mut out = String::from(prefix);
            out.push_str(suffix);
            out
        }

        async fn shared(self: Arc<Self>, mut count: usize) -> usize {
            count += 1;
            count
        }

        async fn nothing(&self) {}

        async fn borrowed<'a>(&self, text: &'a str) -> &'a str {
            text
        }

        async fn elided(&self) -> &str {
            "elided"
        }

        #[async_trait(?Send)]
        async fn local(&self, text: &impl ::std::fmt::Display) -> String {
            ::std::string::ToString::to_string(text)
        }
    }

    pub(crate) struct Names;

    #[async_trait]
    impl Repository for Names {
        type Id = u32;

        async fn find(&self, id: &u32) -> ::std::option::Option<String> {
            if *id == 0 {
                return ::std::option::Option::None;
            }
            ::std::option::Option::Some(::std::format!("name{id}"))
        }

        async fn nothing(&self) {}

        async fn elided(&self) -> &str {
            "overridden"
        }
    }

    pub(crate) fn run() -> Vec<String> {
        let names = Names;
        let mut out = ::patience::block_on(names.find_all(::std::vec![0, 1, 2]));
        out.push(::patience::block_on(names.describe(("a", "b"), 0)));
        ::patience::block_on(names.nothing());
        out.push(::std::string::ToString::to_string(&::patience::block_on(
            Arc::new(Names).shared(1),
        )));
        out.push(String::from(::patience::block_on(names.borrowed("x"))));
        out.push(String::from(::patience::block_on(names.elided())));
        out.push(::patience::block_on(names.local(&5)));
        out
    }

    // The same names the expansion uses, imported by the user: the expansion's absolute
    // paths must not be flagged by `unused_qualifications`.
    pub(crate) fn boxed() -> Pin<Box<dyn Future<Output = u8> + Send>> {
        Box::pin(async { 1 })
    }

    pub(crate) fn none() -> Option<u8> {
        Option::None
    }
}

#[test]
fn expansion_compiles_under_strict_lints_without_prelude_and_with_local_core_module() {
    assert_eq!(
        strict::run(),
        ["name1", "name2", "ab", "2", "x", "overridden", "5"]
    );
    assert_eq!(::patience::block_on(strict::boxed()), 1);
    assert_eq!(strict::none(), None);
}
