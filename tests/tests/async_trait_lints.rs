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

    /// A connection manager shaped like bb8's `ManageConnection`: a method without a body
    /// whose output names two associated types (the boxed future's type, with them, is
    /// complex enough for `clippy::type_complexity`; the user's return type is not).
    #[async_trait]
    pub(crate) trait ManageConnection: ::std::marker::Sized + Send + Sync + 'static {
        type Connection: Send + 'static;
        type Error: ::std::fmt::Debug + Send + 'static;

        async fn connect(&self) -> ::std::result::Result<Self::Connection, Self::Error>;

        async fn is_valid(
            &self,
            conn: &mut Self::Connection,
        ) -> ::std::result::Result<(), Self::Error>;
    }

    pub(crate) struct Numbers;

    #[async_trait]
    impl ManageConnection for Numbers {
        type Connection = u32;
        type Error = ::std::convert::Infallible;

        async fn connect(&self) -> ::std::result::Result<u32, ::std::convert::Infallible> {
            ::std::result::Result::Ok(7)
        }

        async fn is_valid(
            &self,
            conn: &mut u32,
        ) -> ::std::result::Result<(), ::std::convert::Infallible> {
            *conn += 1;
            ::std::result::Result::Ok(())
        }
    }

    /// `&mut self` receivers: one whose body reassigns `self` (it needs a mutable binding
    /// and gets `mut`), one that only writes through `self` (it must not, or `unused_mut`
    /// fires). Generic methods whose where clauses already bound the type the expansion
    /// bounds (`type_repetition_in_bounds`).
    #[async_trait]
    pub(crate) trait Walk {
        async fn last(&mut self) -> u32;
        async fn through(&mut self) -> u32;
        async fn cloned<T>(&self, value: T) -> (T, T)
        where
            T: ::std::clone::Clone + Send;
        async fn make() -> Self
        where
            Self: ::std::marker::Sized;
    }

    /// `!`, named on stable through a function pointer's output type.
    pub(crate) trait Output {
        type Type;
    }

    impl<T> Output for fn() -> T {
        type Type = T;
    }

    pub(crate) type Never = <fn() -> ! as Output>::Type;

    /// A method that never returns: a native `async fn` returning `!` has no unreachable
    /// code, the expansion must not add any.
    #[async_trait]
    pub(crate) trait Serve {
        async fn serve(&self) -> Never;
    }

    #[async_trait]
    impl Serve for Node {
        async fn serve(&self) -> Never {
            loop {
                ::std::thread::yield_now();
            }
        }
    }

    /// A method returning a future, and one with an underscore-prefixed argument it uses: a
    /// native `async fn` triggers neither `async_yields_async` (it has a declared output
    /// type) nor `used_underscore_binding`/`shadow_same`-style lints on its arguments.
    #[async_trait]
    pub(crate) trait Later {
        async fn later(&self) -> ::std::future::Ready<u8>;
        async fn ignored(&self, _unused: u8, _: u8);
    }

    #[async_trait]
    impl Later for Node {
        async fn later(&self) -> ::std::future::Ready<u8> {
            ::std::future::ready(1)
        }

        async fn ignored(&self, _unused: u8, _: u8) {}
    }

    /// Bodies that diverge or end in `return`: `diverging_sub_expression` must not see them
    /// as sub-expressions of generated code.
    #[async_trait]
    pub(crate) trait Diverge {
        async fn unit_unimplemented(&self) {
            ::std::unimplemented!()
        }
        async fn value_unimplemented(&self) -> u8 {
            ::std::unimplemented!()
        }
        async fn value_returned(&self) -> u8 {
            return 3;
        }
        async fn unit_returned(&self) {
            return;
        }
    }

    impl Diverge for Node {}

    pub(crate) struct Node {
        pub(crate) value: u32,
        pub(crate) next: Option<Box<Node>>,
    }

    #[async_trait]
    impl Walk for Node {
        async fn last(&mut self) -> u32 {
            while self.next.is_some() {
                self = self.next.as_deref_mut().expect("checked");
            }
            self.value
        }

        async fn through(&mut self) -> u32 {
            self.value += 1;
            self.value
        }

        async fn cloned<T>(&self, value: T) -> (T, T)
        where
            T: ::std::clone::Clone + Send,
        {
            (::std::clone::Clone::clone(&value), value)
        }

        async fn make() -> Self {
            Node {
                value: 0,
                next: Option::None,
            }
        }
    }

    pub(crate) fn connections() -> (u32, u32, u32, (u8, u8)) {
        let mut conn = ::patience::block_on(Numbers.connect()).unwrap_or_default();
        let valid = ::patience::block_on(Numbers.is_valid(&mut conn));
        let mut head = ::patience::block_on(Node::make());
        head.next = Option::Some(Box::new(Node {
            value: 5,
            next: Option::None,
        }));
        let last = ::patience::block_on(head.last());
        let through = ::patience::block_on(head.through());
        let cloned = ::patience::block_on(head.cloned(3u8));
        ::std::mem::drop(head.serve()); // made, never polled
        ::patience::block_on(head.ignored(1, 2));
        ::patience::block_on(head.unit_returned());
        ::std::mem::drop((head.unit_unimplemented(), head.value_unimplemented()));
        let three = ::patience::block_on(head.value_returned());
        let later = ::patience::block_on(::patience::block_on(head.later()));
        (
            conn + u32::from(valid.is_ok()) + u32::from(later) + u32::from(three),
            last,
            through,
            cloned,
        )
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

/// Exported items, which clippy's `must_use_candidate` looks at.
pub mod exported {
    use patience::async_trait;

    /// A public trait with a default method: a native `async fn` returns a `#[must_use]`
    /// future and is no `must_use_candidate`, and neither is its rewrite (whose boxed
    /// future `unused_must_use` already reports).
    #[async_trait]
    pub trait Greet {
        /// The default greeting.
        async fn greet(times: u8) -> u8 {
            times
        }
    }

    impl Greet for u8 {}
}

#[test]
fn expansion_compiles_under_strict_lints_without_prelude_and_with_local_core_module() {
    assert_eq!(
        strict::run(),
        ["name1", "name2", "ab", "2", "x", "overridden", "5"]
    );
    assert_eq!(strict::connections(), (13, 5, 1, (3, 3)));
    assert_eq!(::patience::block_on(strict::boxed()), 1);
    assert_eq!(::patience::block_on(<u8 as exported::Greet>::greet(1)), 1);
    assert_eq!(strict::none(), None);
}

/// `#[async_trait(native)]` under the same lints, without the prelude: the rewritten trait,
/// its companion (erased methods, blanket impl, impls for the `dyn` types, constructors),
/// a native supertrait's forwarding macro, and a trait with no companion.
#[no_implicit_prelude]
mod native_strict {
    use ::patience::async_trait;
    use ::std::boxed::Box;
    use ::std::convert::From;
    use ::std::future::Future;
    use ::std::iter::Extend;
    use ::std::marker::Sync;
    use ::std::option::Option;
    use ::std::pin::Pin;
    use ::std::string::String;
    use ::std::sync::Arc;
    use ::std::vec::Vec;

    #[async_trait(native)]
    pub(crate) trait Repository: Sync {
        type Id: ::std::marker::Send + ::std::marker::Sync + ::std::marker::Copy;

        async fn find(&self, id: Self::Id) -> ::std::option::Option<String>;

        async fn find_all(&self, ids: Vec<Self::Id>) -> Vec<String> {
            let mut found = Vec::new();
            for id in ids {
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

        fn label(&self) -> &'static str {
            "repository"
        }

        #[async_trait(?Send)]
        async fn local(&self, text: &impl ::std::fmt::Display) -> String {
            ::std::string::ToString::to_string(text)
        }

        async fn cloned<T>(&self, value: T) -> (T, T)
        where
            T: ::std::clone::Clone + ::std::marker::Send;

        async fn make() -> Self
        where
            Self: ::std::marker::Sized;
    }

    pub(crate) struct Names;

    impl Repository for Names {
        type Id = u32;

        async fn find(&self, id: u32) -> ::std::option::Option<String> {
            if id == 0 {
                return ::std::option::Option::None;
            }
            ::std::option::Option::Some(::std::format!("name{id}"))
        }

        async fn elided(&self) -> &str {
            "overridden"
        }

        async fn cloned<T>(&self, value: T) -> (T, T)
        where
            T: ::std::clone::Clone + ::std::marker::Send,
        {
            (::std::clone::Clone::clone(&value), value)
        }

        async fn make() -> Self {
            Names
        }
    }

    /// A native supertrait named in `native_supertraits(..)`, bound by an associated type.
    #[async_trait(native)]
    pub(crate) trait Source: ::std::marker::Send {
        type Item;

        async fn next(&mut self) -> ::std::option::Option<Self::Item>;
    }

    #[async_trait(native, native_supertraits(Source))]
    pub(crate) trait Total: Source<Item = u8> {
        async fn total(&mut self) -> u64 {
            let mut total = 0;
            while let ::std::option::Option::Some(byte) = self.next().await {
                total += u64::from(byte);
            }
            total
        }
    }

    pub(crate) struct Bytes(pub(crate) Vec<u8>);

    impl Source for Bytes {
        type Item = u8;

        async fn next(&mut self) -> ::std::option::Option<u8> {
            self.0.pop()
        }
    }

    impl Total for Bytes {}

    /// No companion: an associated const.
    #[async_trait(native)]
    pub(crate) trait Limited {
        const MAX: usize;

        async fn clamp(&self, value: usize) -> usize {
            ::std::cmp::Ord::min(value, Self::MAX)
        }
    }

    impl Limited for Names {
        const MAX: usize = 3;
    }

    /// A method returning a future, bodies that diverge, an underscore argument it uses.
    #[async_trait(native)]
    pub(crate) trait Odd {
        async fn later(&self) -> ::std::future::Ready<u8>;
        async fn ignored(&self, _unused: u8, _: u8);
        async fn value_returned(&self) -> u8 {
            return 3;
        }
        async fn unit_returned(&self) {
            return;
        }
    }

    impl Odd for Names {
        async fn later(&self) -> ::std::future::Ready<u8> {
            ::std::future::ready(1)
        }

        async fn ignored(&self, _unused: u8, _: u8) {}
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
        let (a, b) = ::patience::block_on(names.cloned(7u8));
        out.push(::std::format!("{a}{b}"));
        let made: Names = ::patience::block_on(<Names as Repository>::make());
        let companion: &dyn DynRepository<Id = u32> = DynRepository::from_ref(&made);
        out.push(String::from(companion.label()));
        out.extend(::patience::block_on(companion.find_all(::std::vec![3])));
        let boxed: Box<dyn DynRepository<Id = u32> + ::std::marker::Send> = Box::new(Names);
        out.push(String::from(::patience::block_on(boxed.elided())));
        let shared: Arc<dyn DynRepository<Id = u32> + ::std::marker::Send + ::std::marker::Sync> =
            Arc::new(Names);
        out.push(::std::string::ToString::to_string(&::patience::block_on(
            shared.shared(2),
        )));
        let mut bytes: Box<dyn DynTotal> = DynTotal::boxed(Bytes(::std::vec![1, 2]));
        out.push(::std::string::ToString::to_string(&::patience::block_on(
            bytes.total(),
        )));
        out.push(::std::string::ToString::to_string(&::patience::block_on(
            names.clamp(9),
        )));
        ::patience::block_on(names.ignored(1, 2));
        ::patience::block_on(names.unit_returned());
        let three = ::patience::block_on(names.value_returned());
        let later = ::patience::block_on(::patience::block_on(names.later()));
        out.push(::std::string::ToString::to_string(&(three + later)));
        out
    }

    // The same names the expansion uses, imported by the user.
    pub(crate) fn boxed() -> Pin<Box<dyn Future<Output = u8> + ::std::marker::Send>> {
        Box::pin(async { 1 })
    }

    pub(crate) fn none() -> Option<u8> {
        Option::None
    }
}

/// Exported native traits, which `missing_docs` and clippy's `must_use_candidate` look at.
pub mod native_exported {
    use patience::async_trait;

    /// A public native trait with a default method; its companion is public too.
    #[async_trait(native)]
    pub trait Greet: Sync {
        /// The greeting, `times` times.
        async fn greet(&self, times: u8) -> u8 {
            times
        }

        /// A generic method, left out of the companion.
        async fn each<T: Send>(&self, value: T) -> T;
    }

    impl Greet for u8 {
        async fn each<T: Send>(&self, value: T) -> T {
            value
        }
    }
}

#[test]
fn native_expansion_compiles_under_strict_lints_without_prelude() {
    assert_eq!(
        native_strict::run(),
        [
            "name1",
            "name2",
            "ab",
            "2",
            "x",
            "overridden",
            "5",
            "77",
            "repository",
            "name3",
            "overridden",
            "3",
            "3",
            "3",
            "4"
        ]
    );
    assert_eq!(::patience::block_on(native_strict::boxed()), 1);
    assert_eq!(native_strict::none(), None);
    let greeter: &dyn native_exported::DynGreet = &1u8;
    assert_eq!(
        ::patience::block_on(native_exported::Greet::greet(greeter, 2)),
        2
    );
    assert_eq!(
        ::patience::block_on(native_exported::Greet::each(&1u8, 'c')),
        'c'
    );
}
