//! Behaviour of `#[patience::async_trait(native)]`: native `async fn` for static calls, the
//! `Dyn*` companion for `dyn` calls (behind `Box`, `&`, `&mut`, `Arc`), its constructors,
//! `Send` futures for generic callers, `?Send` and per-method overrides, default methods,
//! associated types and consts, supertraits, lifetimes, `impl Trait` arguments, receivers,
//! generic methods and generic traits.

use patience::{async_trait, block_on};
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn assert_send<F: Future + Send>(future: F) -> F {
    future
}

#[async_trait(native)]
trait Store: Sync {
    type Key: Send + Sync + Copy + Into<u64>;

    async fn get(&self, key: &str) -> Option<String>;

    async fn put(&mut self, key: String, value: String);

    /// A default method, which an implementor may override.
    async fn get_or(&self, key: &str, default: &str) -> String {
        self.get(key).await.unwrap_or_else(|| default.to_owned())
    }

    async fn weight(&self, key: Self::Key) -> u64;

    fn name(&self) -> String;

    fn kind(&self) -> &'static str {
        "store"
    }

    async fn into_len(self: Box<Self>) -> usize;

    async fn shared_len(self: Arc<Self>) -> usize;

    async fn pinned(self: Pin<&mut Self>) -> usize;

    async fn first<'a>(&self, keys: &'a [String]) -> Option<&'a str>;

    async fn show(&self, value: impl Display + Send) -> String;

    async fn echo<T: Send>(&self, value: T) -> T;

    async fn make() -> Self
    where
        Self: Sized;
}

#[derive(Default)]
struct Memory {
    pairs: Vec<(String, String)>,
}

impl Store for Memory {
    type Key = u8;

    async fn get(&self, key: &str) -> Option<String> {
        let pairs = &self.pairs;
        pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    async fn put(&mut self, key: String, value: String) {
        self.pairs.push((key, value));
    }

    async fn weight(&self, key: u8) -> u64 {
        u64::from(key) * 10
    }

    fn name(&self) -> String {
        format!("memory({})", self.pairs.len())
    }

    async fn into_len(self: Box<Self>) -> usize {
        self.pairs.len()
    }

    async fn shared_len(self: Arc<Self>) -> usize {
        self.pairs.len() + 100
    }

    async fn pinned(self: Pin<&mut Self>) -> usize {
        let this = self.get_mut();
        this.pairs.clear();
        this.pairs.len()
    }

    async fn first<'a>(&self, keys: &'a [String]) -> Option<&'a str> {
        for key in keys {
            if self.get(key).await.is_some() {
                return Some(key);
            }
        }
        None
    }

    async fn show(&self, value: impl Display + Send) -> String {
        format!("<{value}>")
    }

    async fn echo<T: Send>(&self, value: T) -> T {
        value
    }

    async fn make() -> Self {
        Memory::default()
    }
}

/// Overrides the default method and the default plain method.
struct Fixed;

impl Store for Fixed {
    type Key = u8;

    async fn get(&self, _key: &str) -> Option<String> {
        None
    }

    async fn put(&mut self, _key: String, _value: String) {}

    async fn get_or(&self, key: &str, _default: &str) -> String {
        format!("fixed:{key}")
    }

    async fn weight(&self, key: u8) -> u64 {
        u64::from(key)
    }

    fn name(&self) -> String {
        "fixed".to_owned()
    }

    fn kind(&self) -> &'static str {
        "fixed kind"
    }

    async fn into_len(self: Box<Self>) -> usize {
        0
    }

    async fn shared_len(self: Arc<Self>) -> usize {
        0
    }

    async fn pinned(self: Pin<&mut Self>) -> usize {
        0
    }

    async fn first<'a>(&self, keys: &'a [String]) -> Option<&'a str> {
        keys.last().map(String::as_str)
    }

    async fn show(&self, value: impl Display + Send) -> String {
        value.to_string()
    }

    async fn echo<T: Send>(&self, value: T) -> T {
        value
    }

    async fn make() -> Self {
        Fixed
    }
}

fn memory_with(pairs: &[(&str, &str)]) -> Memory {
    Memory {
        pairs: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

#[test]
fn static_calls_use_the_implementation_directly() {
    let mut memory = Memory::make_blocking();
    block_on(memory.put("a".into(), "1".into()));
    assert_eq!(block_on(memory.get("a")).as_deref(), Some("1"));
    assert_eq!(block_on(memory.get_or("b", "none")), "none");
    assert_eq!(block_on(memory.weight(4)), 40);
    assert_eq!(block_on(memory.show(7)), "<7>");
    assert_eq!(block_on(memory.echo(vec![1, 2])), [1, 2]);
    let keys = ["x".to_owned(), "a".to_owned()];
    assert_eq!(block_on(memory.first(&keys)), Some("a"));
    assert_eq!(memory.kind(), "store");
}

impl Memory {
    fn make_blocking() -> Memory {
        block_on(<Memory as Store>::make())
    }
}

#[test]
fn box_dyn_companion_dispatches_each_method_to_its_implementation() {
    let stores: Vec<Box<dyn DynStore<Key = u8>>> =
        vec![Box::new(memory_with(&[("a", "1")])), Box::new(Fixed)];
    let got: Vec<Option<String>> = stores.iter().map(|s| block_on(s.get("a"))).collect();
    assert_eq!(got, [Some("1".to_owned()), None]);
    let or: Vec<String> = stores
        .iter()
        .map(|s| block_on(s.get_or("z", "d")))
        .collect();
    // `Fixed` overrides the default method: the companion calls the override.
    assert_eq!(or, ["d", "fixed:z"]);
    let kinds: Vec<&str> = stores.iter().map(|s| s.kind()).collect();
    assert_eq!(kinds, ["store", "fixed kind"]);
    let names: Vec<String> = stores.iter().map(|s| s.name()).collect();
    assert_eq!(names, ["memory(1)", "fixed"]);
    let weights: Vec<u64> = stores.iter().map(|s| block_on(s.weight(3))).collect();
    assert_eq!(weights, [30, 3]);
}

#[test]
fn ref_and_mut_companions_borrow_the_implementor() {
    let mut memory = Memory::default();
    {
        let store: &mut dyn DynStore<Key = u8> = DynStore::from_mut(&mut memory);
        block_on(store.put("k".into(), "v".into()));
        block_on(store.put("k2".into(), "v2".into()));
    }
    let store = DynStore::from_ref(&memory);
    assert_eq!(block_on(store.get("k2")).as_deref(), Some("v2"));
    assert_eq!(block_on(store.get("x")), None);
    let keys = ["x".to_owned(), "k2".to_owned()];
    assert_eq!(block_on(store.first(&keys)), Some("k2"));
    // Coercion works as well as the constructor.
    let coerced: &dyn DynStore<Key = u8> = &memory;
    assert_eq!(coerced.name(), "memory(2)");
}

#[test]
fn pinned_companion_takes_pin_receivers() {
    let mut pinned: Pin<Box<dyn DynStore<Key = u8>>> = Box::pin(memory_with(&[("a", "1")]));
    assert_eq!(block_on(pinned.as_mut().get("a")).as_deref(), Some("1"));
    assert_eq!(block_on(pinned.as_mut().pinned()), 0);
    assert_eq!(block_on(pinned.get("a")), None);
}

#[test]
fn owned_companions_take_box_and_arc_receivers() {
    let boxed = DynStore::boxed(memory_with(&[("a", "1"), ("b", "2")]));
    assert_eq!(block_on(boxed.into_len()), 2);
    let from_box = DynStore::new(Box::new(memory_with(&[("a", "1")])));
    assert_eq!(block_on(from_box.get("a")).as_deref(), Some("1"));
    let shared: Arc<dyn DynStore<Key = u8> + Send + Sync> = Arc::new(memory_with(&[("a", "1")]));
    assert_eq!(block_on(Arc::clone(&shared).shared_len()), 101);
    assert_eq!(block_on(shared.get("a")).as_deref(), Some("1"));
}

#[test]
fn companion_futures_are_send_and_run_on_a_multi_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let store: Arc<dyn DynStore<Key = u8> + Send + Sync> = Arc::new(memory_with(&[("a", "xy")]));
    let lens = runtime.block_on(async move {
        let mut handles = Vec::new();
        for _ in 0..4 {
            let store = Arc::clone(&store);
            handles.push(tokio::spawn(
                async move { store.get_or("a", "").await.len() },
            ));
        }
        let mut lens = Vec::new();
        for handle in handles {
            lens.push(handle.await.unwrap());
        }
        lens
    });
    assert_eq!(lens, [2, 2, 2, 2]);
    let boxed: Box<dyn DynStore<Key = u8> + Send> = Box::new(Fixed);
    assert_eq!(block_on(assert_send(boxed.get("a"))), None);
}

/// A generic caller can require the futures to be `Send` without naming them: they are
/// `impl Future + Send` in the trait, so spawning them compiles.
fn spawn_get<S: Store + Send + 'static>(store: Arc<S>) -> tokio::task::JoinHandle<Option<String>> {
    tokio::spawn(async move { store.get("a").await })
}

#[test]
fn generic_callers_can_spawn_static_futures() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let got = runtime.block_on(async { spawn_get(Arc::new(memory_with(&[("a", "1")]))).await });
    assert_eq!(got.unwrap().as_deref(), Some("1"));
}

/// The companion implements the trait, so a generic function that accepts unsized
/// implementors takes it too.
async fn weigh_all<S: Store<Key = u8> + ?Sized>(store: &S, keys: &[u8]) -> u64 {
    let mut total = 0;
    for key in keys {
        total += store.weight(*key).await;
    }
    total
}

#[test]
fn companion_is_accepted_where_an_unsized_implementor_is() {
    let store: Box<dyn DynStore<Key = u8>> = Box::new(Memory::default());
    assert_eq!(block_on(weigh_all(&*store, &[1, 2])), 30);
    assert_eq!(block_on(weigh_all(&Fixed, &[1, 2])), 3);
}

#[async_trait(native, ?Send)]
trait Local {
    async fn shared(&self) -> Rc<str>;

    #[async_trait(Send)]
    async fn count(&self) -> usize;
}

struct Names(Vec<String>);

impl Local for Names {
    async fn shared(&self) -> Rc<str> {
        let first: Rc<str> = Rc::from(self.0[0].as_str());
        std::future::ready(()).await; // an `Rc` held across an `.await`
        first
    }

    async fn count(&self) -> usize {
        self.0.len()
    }
}

#[test]
fn question_send_trait_allows_local_futures_and_overrides_to_send() {
    let names = Names(vec!["ada".into()]);
    assert_eq!(&*block_on(names.shared()), "ada");
    assert_eq!(block_on(assert_send(names.count())), 1);
    let local: &dyn DynLocal = &names;
    assert_eq!(&*block_on(local.shared()), "ada");
    assert_eq!(block_on(local.count()), 1);
}

#[async_trait(native)]
trait Mixed {
    async fn sent(&self) -> u8;

    #[async_trait(?Send)]
    async fn local(&self) -> Rc<u8>;
}

struct Thing;

impl Mixed for Thing {
    async fn sent(&self) -> u8 {
        1
    }

    async fn local(&self) -> Rc<u8> {
        let rc = Rc::new(2);
        std::future::ready(()).await;
        rc
    }
}

#[test]
fn per_method_question_send_in_send_trait() {
    assert_eq!(block_on(assert_send(Thing.sent())), 1);
    assert_eq!(*block_on(Thing.local()), 2);
    let mixed: Box<dyn DynMixed> = DynMixed::boxed(Thing);
    assert_eq!(block_on(assert_send(mixed.sent())), 1);
    assert_eq!(*block_on(mixed.local()), 2);
}

/// A trait with an associated const: static calls only (a `dyn` value has no value for
/// the const, so `DynLimits` is a placeholder nothing implements).
#[async_trait(native)]
trait Limits {
    const MAX: usize;

    async fn clamp(&self, value: usize) -> usize {
        value.min(Self::MAX)
    }
}

struct Ten;

impl Limits for Ten {
    const MAX: usize = 10;
}

#[test]
fn associated_consts_work_for_static_calls() {
    assert_eq!(block_on(Ten.clamp(12)), 10);
    assert_eq!(block_on(Ten.clamp(3)), 3);
}

/// A `dyn`-compatible supertrait: the companion has it as a supertrait too.
trait Named {
    fn label(&self) -> String;
}

#[async_trait(native)]
trait Greeter: Named + Send + Sync {
    async fn greet(&self, whom: &str) -> String {
        format!("{} greets {whom}", self.label())
    }
}

struct Bob;

impl Named for Bob {
    fn label(&self) -> String {
        "bob".to_owned()
    }
}

impl Greeter for Bob {}

#[test]
fn supertrait_methods_are_callable_through_the_companion() {
    let greeter: Box<dyn DynGreeter> = Box::new(Bob);
    assert_eq!(greeter.label(), "bob");
    assert_eq!(block_on(greeter.greet("ann")), "bob greets ann");
    // `Send + Sync` supertraits make the companion `Send + Sync` without writing it.
    std::thread::scope(|scope| {
        scope.spawn(|| assert_eq!(greeter.label(), "bob"));
    });
}

/// A native supertrait, named in `native_supertraits(..)` so the companion extends its
/// companion.
#[async_trait(native)]
trait Reader: Send {
    async fn read(&mut self) -> Option<u8>;

    fn remaining(&self) -> usize;
}

#[async_trait(native, native_supertraits(Reader))]
trait Summer: Reader {
    async fn sum(&mut self) -> u64 {
        let mut sum = 0;
        while let Some(byte) = self.read().await {
            sum += u64::from(byte);
        }
        sum
    }
}

struct Bytes(Vec<u8>);

impl Reader for Bytes {
    async fn read(&mut self) -> Option<u8> {
        self.0.pop()
    }

    fn remaining(&self) -> usize {
        self.0.len()
    }
}

impl Summer for Bytes {}

#[test]
fn native_supertraits_work_for_static_and_companion_calls() {
    assert_eq!(block_on(Bytes(vec![1, 2, 3]).sum()), 6);
    let mut reader: Box<dyn DynReader> = Box::new(Bytes(vec![4]));
    assert_eq!(block_on(reader.read()), Some(4));
    assert_eq!(block_on(reader.read()), None);
    // The subtrait's companion has the supertrait's methods, through its companion.
    let mut summer: Box<dyn DynSummer> = Box::new(Bytes(vec![1, 2, 3, 4]));
    assert_eq!(summer.remaining(), 4);
    assert_eq!(block_on(summer.read()), Some(4));
    assert_eq!(block_on(summer.sum()), 6);
    assert_eq!(summer.remaining(), 0);
    let summer: &mut (dyn DynSummer + Send) = &mut Bytes(vec![7]);
    assert_eq!(block_on(assert_send(summer.read())), Some(7));
}

#[async_trait(native)]
trait Convert<T: Send + 'static> {
    async fn convert(&self, value: T) -> String;
}

struct Show;

impl<T: Display + Send + 'static> Convert<T> for Show {
    async fn convert(&self, value: T) -> String {
        format!("[{value}]")
    }
}

#[test]
fn generic_traits_have_generic_companions() {
    let numbers: &dyn DynConvert<u32> = &Show;
    let words: Box<dyn DynConvert<&'static str>> = DynConvert::boxed(Show);
    assert_eq!(block_on(numbers.convert(5)), "[5]");
    assert_eq!(block_on(words.convert("w")), "[w]");
}

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct CountDrop;

impl Drop for CountDrop {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait(native)]
trait Take {
    async fn take(&self, value: CountDrop, n: u8) -> u8;
}

impl Take for Thing {
    async fn take(&self, value: CountDrop, n: u8) -> u8 {
        drop(value);
        n
    }
}

#[test]
fn companion_future_dropped_unpolled_drops_its_arguments_once() {
    let take: &dyn DynTake = &Thing;
    let before = DROPPED.load(Ordering::SeqCst);
    drop(take.take(CountDrop, 1));
    assert_eq!(DROPPED.load(Ordering::SeqCst), before + 1);
    assert_eq!(block_on(take.take(CountDrop, 2)), 2);
    assert_eq!(DROPPED.load(Ordering::SeqCst), before + 2);
}

/// A default method calling a method the companion leaves out (no receiver) needs
/// `Self: Sized` too, so it is left out as well; the trait still compiles and works
/// statically, and the companion forwards the rest.
#[async_trait(native)]
trait Configured {
    fn factor() -> u8;

    async fn scaled(&self, value: u8) -> u8 {
        value * Self::factor()
    }

    async fn plain(&self) -> u8;

    /// A pattern in a method without body (not allowed natively; named positionally).
    async fn pair(&self, (a, b): (u8, u8)) -> u8;
}

impl Configured for Thing {
    fn factor() -> u8 {
        3
    }

    async fn plain(&self) -> u8 {
        7
    }

    async fn pair(&self, (a, b): (u8, u8)) -> u8 {
        a + b
    }
}

#[test]
fn default_method_calling_a_left_out_method_stays_static() {
    assert_eq!(block_on(Thing.scaled(2)), 6);
    let configured: &dyn DynConfigured = &Thing;
    assert_eq!(block_on(configured.plain()), 7);
    assert_eq!(block_on(configured.pair((1, 2))), 3);
}

/// A where clause on a type built from `Self` keeps a trait from being `dyn`: no companion,
/// static calls as usual.
#[async_trait(native)]
trait Boxable
where
    Box<Self>: Sized,
    Self: Sized,
{
    async fn one() -> u8 {
        1
    }
}

impl Boxable for Thing {}

#[test]
fn trait_bounded_by_self_sized_works_statically() {
    assert_eq!(block_on(<Thing as Boxable>::one()), 1);
}
