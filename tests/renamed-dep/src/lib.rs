//! A crate that depends on `patience` under another name (`pat`): it builds only if the
//! expansions of `#[pat::async_trait]`, `pat::select!` and the other function-like macros
//! name nothing through `::patience`, and `#[pat::test(crate = "pat")]` works. It is also
//! an edition 2021 crate, which ported code often is.

#![forbid(unsafe_code)]
#![deny(warnings)]

/// Key-value storage.
#[pat::async_trait]
pub trait Storage {
    /// The value under `key`, if any.
    async fn get(&self, key: &str) -> Option<String>;

    /// The value under `key`, or `default`.
    async fn get_or(&self, key: &str, default: &str) -> String {
        self.get(key).await.unwrap_or_else(|| default.to_owned())
    }
}

/// Storage in a vector of pairs.
pub struct Memory(pub Vec<(String, String)>);

#[pat::async_trait]
impl Storage for Memory {
    async fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// The same storage as a `native` trait, through the renamed dependency.
#[pat::async_trait(native)]
pub trait NativeStorage: Sync {
    /// The value under `key`, if any.
    async fn fetch(&self, key: &str) -> Option<String>;

    /// The value under `key`, or `default`.
    async fn fetch_or(&self, key: &str, default: &str) -> String {
        self.fetch(key).await.unwrap_or_else(|| default.to_owned())
    }
}

impl NativeStorage for Memory {
    async fn fetch(&self, key: &str) -> Option<String> {
        Storage::get(self, key).await
    }
}

#[cfg(test)]
mod tests {
    use super::{DynNativeStorage, Memory, NativeStorage, Storage};
    use std::cell::RefCell;

    #[pat::test(crate = "pat")]
    async fn select_and_join_through_a_renamed_dependency() {
        let memory = Memory(vec![("a".into(), "1".into())]);
        let got = pat::select! {
            v = memory.get("a") => v,
            v = std::future::pending() => v,
        };
        assert_eq!(got.as_deref(), Some("1"));
        let biased = pat::select_biased! {
            v = memory.get("b") => v,
            _ = std::future::pending::<()>() => None,
        };
        assert_eq!(biased, None);
        let (a, b) = pat::join!(memory.get_or("a", "-"), memory.get_or("b", "-"));
        assert_eq!((a.as_str(), b.as_str()), ("1", "-"));
        let tried: Result<(u8,), ()> = pat::try_join!(async { Ok(7) });
        assert_eq!(tried, Ok((7,)));
    }

    #[test]
    fn async_trait_through_a_renamed_dependency() {
        let memory = Memory(vec![("a".into(), "1".into())]);
        let storage: &(dyn Storage + Sync) = &memory;
        assert_eq!(pat::block_on(storage.get("a")).as_deref(), Some("1"));
        assert_eq!(pat::block_on(storage.get_or("b", "none")), "none");
    }

    #[test]
    fn native_async_trait_through_a_renamed_dependency() {
        let memory = Memory(vec![("a".into(), "1".into())]);
        assert_eq!(pat::block_on(memory.fetch("a")).as_deref(), Some("1"));
        let storage: &dyn DynNativeStorage = &memory;
        assert_eq!(pat::block_on(storage.fetch_or("b", "none")), "none");
    }

    thread_local! {
        static DROPS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }

    /// Records its name when dropped.
    struct Flag(&'static str);

    impl Drop for Flag {
        fn drop(&mut self) {
            DROPS.with(|drops| drops.borrow_mut().push(self.0));
        }
    }

    impl Flag {
        fn len(&self) -> usize {
            self.0.len()
        }
    }

    #[pat::async_trait]
    trait Consume {
        async fn consume(&self, argument: Flag) -> usize;
    }

    struct Consumer;

    #[pat::async_trait]
    impl Consume for Consumer {
        async fn consume(&self, argument: Flag) -> usize {
            let _ = &argument;
            Flag("temporary").len()
        }
    }

    async fn native_consume(_: &Consumer, argument: Flag) -> usize {
        let _ = &argument;
        Flag("temporary").len()
    }

    fn drops() -> Vec<&'static str> {
        DROPS.with(|drops| std::mem::take(&mut *drops.borrow_mut()))
    }

    #[test]
    fn temporaries_of_the_body_tail_drop_before_the_arguments_like_native_async_fn() {
        assert_eq!(pat::block_on(Consumer.consume(Flag("argument"))), 9);
        let ours = drops();
        assert_eq!(
            pat::block_on(native_consume(&Consumer, Flag("argument"))),
            9
        );
        let native = drops();
        assert_eq!(ours, native);
        assert_eq!(ours, ["temporary", "argument"]);
    }
}
