//! Behaviour of `#[patience::async_trait]`: receivers, `dyn` use, lifetimes, generics,
//! return types and argument patterns.

use patience::{async_trait, block_on};
use std::fmt::Display;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[async_trait]
trait Service: Sync {
    /// Kept as written: docs and attributes on methods survive the rewrite.
    async fn call(&self, request: u32) -> u32;

    async fn call_twice(&self, request: u32) -> u32 {
        let once = self.call(request).await;
        self.call(once).await
    }

    fn name(&self) -> &'static str {
        "service"
    }
}

struct Doubler;

#[async_trait]
impl Service for Doubler {
    async fn call(&self, request: u32) -> u32 {
        request * 2
    }
}

struct Adder {
    add: u32,
}

#[async_trait]
impl Service for Adder {
    async fn call(&self, request: u32) -> u32 {
        request + self.add
    }

    fn name(&self) -> &'static str {
        "adder"
    }
}

#[test]
fn box_dyn_trait_dispatches_async_methods_to_each_impl() {
    let services: Vec<Box<dyn Service>> = vec![Box::new(Doubler), Box::new(Adder { add: 5 })];
    let results: Vec<u32> = services.iter().map(|s| block_on(s.call(10))).collect();
    assert_eq!(results, [20, 15]);
    assert_eq!(services[1].name(), "adder");
}

#[test]
fn ref_dyn_trait_runs_default_method_that_awaits_required_one() {
    fn through_ref(service: &dyn Service) -> u32 {
        block_on(service.call_twice(3))
    }
    assert_eq!(through_ref(&Doubler), 12);
    assert_eq!(through_ref(&Adder { add: 1 }), 5);
}

#[test]
fn arc_dyn_trait_future_is_send_and_spawns_on_multi_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let service: Arc<dyn Service + Send + Sync> = Arc::new(Adder { add: 7 });
    let total = runtime.block_on(async move {
        let mut handles = Vec::new();
        for i in 0..8 {
            let service = Arc::clone(&service);
            handles.push(tokio::spawn(async move { service.call_twice(i).await }));
        }
        let mut total = 0;
        for handle in handles {
            total += handle.await.unwrap();
        }
        total
    });
    // sum over i of (i + 14)
    assert_eq!(total, (0..8).sum::<u32>() + 8 * 14);
}

#[test]
fn returned_future_is_the_documented_boxed_type() {
    let service = Doubler;
    let future: Pin<Box<dyn std::future::Future<Output = u32> + Send + '_>> = service.call(4);
    assert_eq!(block_on(future), 8);
}

// ---------------------------------------------------------------- receivers

#[async_trait]
trait Receivers {
    async fn by_ref(&self) -> u32;
    async fn by_mut(&mut self) -> u32;
    async fn by_value(self) -> u32
    where
        Self: Sized;
    async fn by_mut_value(mut self) -> u32
    where
        Self: Sized;
    async fn boxed(self: Box<Self>) -> u32;
    async fn arced(self: Arc<Self>) -> u32;
    async fn explicit_ref(self: &Self) -> u32;
    async fn explicit_mut_binding(mut self: &Self) -> u32;
    async fn pinned(self: Pin<&mut Self>) -> u32;
}

#[derive(Clone)]
struct Counter {
    count: u32,
}

#[async_trait]
impl Receivers for Counter {
    async fn by_ref(&self) -> u32 {
        self.count
    }

    async fn by_mut(&mut self) -> u32 {
        self.count += 1;
        self.count
    }

    async fn by_value(self) -> u32 {
        self.count * 10
    }

    async fn by_mut_value(mut self) -> u32 {
        self.count += 100;
        self.count
    }

    async fn boxed(self: Box<Self>) -> u32 {
        self.count + 1000
    }

    async fn arced(self: Arc<Self>) -> u32 {
        self.count + Arc::strong_count(&self) as u32 * 10_000
    }

    async fn explicit_ref(self: &Self) -> u32 {
        self.count + 2
    }

    async fn explicit_mut_binding(mut self: &Self) -> u32 {
        let other = Counter { count: 40 };
        let first = self.count;
        self = &other;
        let text = format!("{}", self.count);
        first + text.parse::<u32>().unwrap()
    }

    async fn pinned(self: Pin<&mut Self>) -> u32 {
        let this = self.get_mut();
        this.count *= 3;
        this.count
    }
}

#[test]
fn every_receiver_form_keeps_working_inside_the_async_block() {
    let mut counter = Counter { count: 1 };
    assert_eq!(block_on(counter.by_ref()), 1);
    assert_eq!(block_on(counter.by_mut()), 2);
    assert_eq!(block_on(counter.clone().by_value()), 20);
    assert_eq!(block_on(counter.clone().by_mut_value()), 102);
    assert_eq!(block_on(Box::new(counter.clone()).boxed()), 1002);
    assert_eq!(block_on(Arc::new(counter.clone()).arced()), 10_002);
    assert_eq!(block_on(counter.explicit_ref()), 4);
    assert_eq!(block_on(counter.explicit_mut_binding()), 42);
    assert_eq!(block_on(Pin::new(&mut counter).pinned()), 6);
    assert_eq!(counter.count, 6);
}

mod helpers {
    pub(crate) fn seven() -> u32 {
        7
    }
}

#[async_trait]
trait SelfInMacros {
    async fn in_macros(&self) -> String;
}

struct Named(&'static str);

#[async_trait]
impl SelfInMacros for Named {
    async fn in_macros(&self) -> String {
        macro_rules! name_of_self {
            () => {
                self.0
            };
        }
        // `self` in a format macro, in a local macro_rules!, `self::` paths and a nested
        // item with its own `self`.
        struct Inner(u32);
        impl Inner {
            fn get(&self) -> u32 {
                self.0
            }
        }
        let nested = Inner(self::helpers::seven()).get();
        let lengths = vec![self.0.len(), nested as usize];
        format!(
            "{}-{}-{}-{:?}",
            self.0,
            name_of_self!(),
            crate::helpers::seven(),
            lengths
        )
    }
}

#[test]
fn self_inside_macros_nested_items_and_self_paths_keeps_its_meaning() {
    let out = block_on(Named("abc").in_macros());
    assert_eq!(out, "abc-abc-7-[3, 7]");
}

// ---------------------------------------------------------------- lifetimes

#[async_trait]
trait Lifetimes<'a> {
    async fn elided(&self, text: &str, other: &'_ str) -> usize;
    async fn explicit<'b>(&self, text: &'b str) -> &'b str;
    async fn trait_lifetime(&self, text: &'a str) -> &'a str;
    async fn returns_borrow_of_self(&self) -> &str;
    async fn names_async_trait<'x>(&self, text: &'x str) -> usize
    where
        'x: 'async_trait;
}

struct Holder {
    text: String,
}

#[async_trait]
impl<'a> Lifetimes<'a> for Holder {
    async fn elided(&self, text: &str, other: &'_ str) -> usize {
        text.len() + other.len() + self.text.len()
    }

    async fn explicit<'b>(&self, text: &'b str) -> &'b str {
        &text[1..]
    }

    async fn trait_lifetime(&self, text: &'a str) -> &'a str {
        &text[..1]
    }

    async fn returns_borrow_of_self(&self) -> &str {
        &self.text
    }

    async fn names_async_trait<'x>(&self, text: &'x str) -> usize
    where
        'x: 'async_trait,
    {
        text.len()
    }
}

#[test]
fn elided_explicit_and_trait_lifetimes_all_outlive_the_future() {
    let holder = Holder {
        text: "holder".to_owned(),
    };
    let local = String::from("xyz");
    assert_eq!(block_on(holder.elided(&local, "ab")), 11);
    assert_eq!(block_on(holder.explicit(&local)), "yz");
    assert_eq!(block_on(holder.trait_lifetime(&local)), "x");
    assert_eq!(block_on(holder.returns_borrow_of_self()), "holder");
    assert_eq!(block_on(holder.names_async_trait("four")), 4);
}

// ---------------------------------------------------------------- generics

#[async_trait]
trait Store<K: Ord + Send + Sync, const N: usize>
where
    K: Clone,
{
    type Value: Clone + Send;
    const DEFAULT: u8;

    async fn get(&self, key: &K) -> Option<Self::Value>;

    async fn get_many<I>(&self, keys: I) -> Vec<Self::Value>
    where
        I: IntoIterator<Item = K> + Send,
        I::IntoIter: Send,
    {
        let mut out = Vec::new();
        for key in keys {
            if let Some(value) = self.get(&key).await {
                out.push(value);
            }
        }
        out
    }

    async fn capacity(&self) -> usize {
        N
    }

    async fn make_default() -> Self
    where
        Self: Sized;

    async fn sized_only(self) -> Self::Value
    where
        Self: Sized;
}

struct MapStore<V> {
    entries: std::collections::BTreeMap<u8, V>,
}

#[async_trait]
impl<V: Clone + Send + Sync + Default> Store<u8, 4> for MapStore<V> {
    type Value = V;
    const DEFAULT: u8 = 9;

    async fn get(&self, key: &u8) -> Option<V> {
        self.entries.get(key).cloned()
    }

    async fn make_default() -> Self {
        let mut entries = std::collections::BTreeMap::new();
        entries.insert(Self::DEFAULT, V::default());
        MapStore { entries }
    }

    async fn sized_only(self) -> Self::Value {
        self.entries.into_values().next().unwrap_or_default()
    }
}

#[test]
fn generic_trait_with_const_generic_assoc_types_and_where_clauses() {
    let mut store = block_on(MapStore::<String>::make_default());
    store.entries.insert(1, "one".to_owned());
    assert_eq!(block_on(store.get(&1)).as_deref(), Some("one"));
    assert_eq!(block_on(store.get_many([1, 2, 9])), ["one", ""]);
    assert_eq!(block_on(store.capacity()), 4);
    assert_eq!(block_on(store.sized_only()), "one");
}

#[async_trait]
trait Generic<T> {
    async fn take(&self, value: T) -> T;
    async fn map<U: Send, F: FnOnce(T) -> U + Send>(&self, value: T, f: F) -> U;
}

struct Identity;

#[async_trait]
impl<T: Send + 'static> Generic<T> for Identity {
    async fn take(&self, value: T) -> T {
        value
    }

    async fn map<U: Send, F: FnOnce(T) -> U + Send>(&self, value: T, f: F) -> U {
        f(value)
    }
}

#[test]
fn trait_type_parameter_in_arguments_is_captured_by_the_future() {
    assert_eq!(block_on(Generic::<u8>::take(&Identity, 3)), 3);
    assert_eq!(block_on(Identity.map(4_u8, |x| u32::from(x) * 2)), 8);
}

// ---------------------------------------------------------------- arguments

#[async_trait]
trait Arguments {
    async fn patterns(&self, pair: (u8, u8), ignored: u8, named: u8) -> u8;
    async fn impl_trait(
        &self,
        shown: impl Display + Send,
        borrowed: &(impl Display + Sync),
    ) -> String;
    #[async_trait(?Send)]
    async fn impl_trait_ref(&self, borrowed: &impl Display) -> String;
}

struct Args;

#[async_trait]
impl Arguments for Args {
    async fn patterns(&self, (a, b): (u8, u8), _: u8, mut named: u8) -> u8 {
        named += 1;
        a + b + named
    }

    async fn impl_trait(
        &self,
        shown: impl Display + Send,
        borrowed: &(impl Display + Sync),
    ) -> String {
        format!("{shown}{borrowed}")
    }

    #[async_trait(?Send)]
    async fn impl_trait_ref(&self, borrowed: &impl Display) -> String {
        borrowed.to_string()
    }
}

#[test]
fn argument_patterns_mut_bindings_and_impl_trait_arguments() {
    assert_eq!(block_on(Args.patterns((1, 2), 100, 3)), 7);
    assert_eq!(block_on(Args.impl_trait(1, &"two")), "1two");
    assert_eq!(block_on(Args.impl_trait_ref(&3.5)), "3.5");
}

#[async_trait]
trait CfgParams {
    async fn with_cfg(&self, #[cfg(not(test))] never: u8, #[cfg(test)] always: u8) -> u8;
    async fn cfg_generic<#[cfg(not(test))] T, #[cfg(test)] U: Send>(&self, value: U) -> U;
}

#[async_trait]
impl CfgParams for Args {
    async fn with_cfg(&self, #[cfg(not(test))] never: u8, #[cfg(test)] always: u8) -> u8 {
        always
    }

    async fn cfg_generic<#[cfg(not(test))] T, #[cfg(test)] U: Send>(&self, value: U) -> U {
        value
    }
}

#[test]
fn cfg_on_parameters_and_generic_parameters_is_respected() {
    assert_eq!(block_on(Args.with_cfg(5)), 5);
    assert_eq!(block_on(Args.cfg_generic('c')), 'c');
}

// ---------------------------------------------------------------- return types

trait Shape: Sync {
    fn sides(&self) -> u8;
}

struct Triangle;

impl Shape for Triangle {
    fn sides(&self) -> u8 {
        3
    }
}

static TRIANGLE: Triangle = Triangle;

#[async_trait]
trait Returns {
    async fn unit(&self);
    async fn coerced(&self, early: bool) -> &'static dyn Shape;
    async fn fallible(&self, text: &str) -> Result<u32, std::num::ParseIntError>;
    async fn boxed_dyn(&self) -> Box<dyn Display + Send>;
    async fn make() -> Self
    where
        Self: Sized;
    async fn iter(&self) -> std::vec::IntoIter<u8>;
    async fn inferred_from_signature(&self) -> (u64, Vec<u8>);
}

#[async_trait]
trait Opaque {
    async fn numbers(&self, nonempty: bool) -> impl Iterator<Item = u8> + Send;
    async fn boxed(&self) -> Box<impl Display + Send>;
}

#[async_trait]
impl Opaque for Args {
    async fn numbers(&self, nonempty: bool) -> impl Iterator<Item = u8> + Send {
        if nonempty {
            return vec![1, 2, 3].into_iter();
        }
        Vec::new().into_iter()
    }

    async fn boxed(&self) -> Box<impl Display + Send> {
        Box::new("opaque")
    }
}

#[test]
fn impl_trait_inside_the_return_type() {
    assert_eq!(block_on(Args.numbers(true)).sum::<u8>(), 6);
    assert_eq!(block_on(Args.numbers(false)).count(), 0);
    assert_eq!(block_on(Args.boxed()).to_string(), "opaque");
}

struct Ret {
    calls: AtomicUsize,
}

#[async_trait]
impl Returns for Ret {
    async fn unit(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }

    async fn coerced(&self, early: bool) -> &'static dyn Shape {
        if early {
            return &TRIANGLE;
        }
        &TRIANGLE
    }

    async fn fallible(&self, text: &str) -> Result<u32, std::num::ParseIntError> {
        let n: u32 = text.parse()?;
        if n == 0 {
            return Ok(1);
        }
        Ok(n * 2)
    }

    async fn boxed_dyn(&self) -> Box<dyn Display + Send> {
        Box::new(12)
    }

    async fn make() -> Self {
        Ret {
            calls: AtomicUsize::new(0),
        }
    }

    async fn iter(&self) -> std::vec::IntoIter<u8> {
        vec![1, 2].into_iter()
    }

    async fn inferred_from_signature(&self) -> (u64, Vec<u8>) {
        // `1 << 40` only fits because the literal is typed `u64` by the signature.
        (1 << 40, Default::default())
    }
}

#[test]
fn return_types_coerce_and_early_return_and_question_mark_work() {
    let ret = block_on(Ret::make());
    block_on(ret.unit());
    assert_eq!(ret.calls.load(Ordering::SeqCst), 1);
    assert_eq!(block_on(ret.coerced(true)).sides(), 3);
    assert_eq!(block_on(ret.coerced(false)).sides(), 3);
    assert_eq!(block_on(ret.fallible("21")), Ok(42));
    assert_eq!(block_on(ret.fallible("0")), Ok(1));
    assert!(block_on(ret.fallible("x")).is_err());
    assert_eq!(block_on(ret.boxed_dyn()).to_string(), "12");
    assert_eq!(block_on(ret.iter()).sum::<u8>(), 3);
    assert_eq!(
        block_on(ret.inferred_from_signature()),
        (1 << 40, Vec::new())
    );
}

// ---------------------------------------------------------------- unsafe, visibility

/// # Safety
/// Implementors promise nothing; this only checks that `unsafe` survives.
#[async_trait]
pub(crate) unsafe trait Marked {
    async fn value(&self) -> u8;
}

// SAFETY: the trait has no safety contract beyond being implemented.
#[async_trait]
unsafe impl Marked for Args {
    async fn value(&self) -> u8 {
        9
    }
}

#[test]
fn unsafe_trait_and_unsafe_impl_keep_their_unsafety() {
    assert_eq!(block_on(Marked::value(&Args)), 9);
}
