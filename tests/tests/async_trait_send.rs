//! `Send` and `?Send`: trait-wide choice, per-method override both ways, and the `Self`
//! auto-trait bounds of default methods.

use patience::{async_trait, block_on};
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

fn assert_send<F: Future + Send>(future: F) -> F {
    future
}

#[async_trait]
trait Mixed {
    async fn sent(&self) -> u8;

    /// This one may hold an `Rc` across an `.await`.
    #[async_trait(?Send)]
    async fn local(&self) -> u8;

    #[patience::async_trait(?Send)]
    async fn local_default(&self) -> u8 {
        let rc = Rc::new(self.sent().await);
        async {}.await;
        *rc + 1
    }
}

struct Thing;

#[async_trait]
impl Mixed for Thing {
    async fn sent(&self) -> u8 {
        1
    }

    #[async_trait(?Send)]
    async fn local(&self) -> u8 {
        let rc = Rc::new(2);
        async {}.await;
        *rc
    }
}

#[test]
fn per_method_question_send_override_inside_send_trait() {
    let thing = Thing;
    let sent = assert_send(thing.sent());
    assert_eq!(block_on(sent), 1);
    assert_eq!(block_on(thing.local()), 2);
    assert_eq!(block_on(thing.local_default()), 2);
}

#[async_trait(?Send)]
trait LocalFirst {
    async fn local(&self) -> u8;

    #[async_trait(Send)]
    async fn sent(&self) -> u8;
}

struct NotSync {
    cell: Cell<u8>,
}

#[async_trait(?Send)]
trait LocalOnly {
    async fn bump(&self) -> u8;
}

#[async_trait(?Send)]
impl LocalOnly for NotSync {
    async fn bump(&self) -> u8 {
        // `&Cell` is not `Send`: fine in a `?Send` trait.
        self.cell.set(self.cell.get() + 1);
        async {}.await;
        self.cell.get()
    }
}

/// `Sync`, so its `&self` futures can be `Send`.
struct Shared;

#[async_trait(?Send)]
impl LocalFirst for Shared {
    async fn local(&self) -> u8 {
        let rc = Rc::new(3);
        async {}.await;
        *rc
    }

    #[async_trait(Send)]
    async fn sent(&self) -> u8 {
        5
    }
}

#[test]
fn per_method_send_override_inside_question_send_trait() {
    assert_eq!(block_on(Shared.local()), 3);
    let future = assert_send(Shared.sent());
    assert_eq!(block_on(future), 5);
}

#[test]
fn question_send_trait_objects_run_non_send_futures_on_one_thread() {
    let objects: Vec<Box<dyn LocalOnly>> = vec![
        Box::new(NotSync {
            cell: Cell::new(10),
        }),
        Box::new(NotSync {
            cell: Cell::new(20),
        }),
    ];
    let outputs: Vec<u8> = objects.iter().map(|o| block_on(o.bump())).collect();
    assert_eq!(outputs, [11, 21]);
}

// Default methods: the bound on `Self` follows the receiver.
#[async_trait]
trait Defaults {
    fn value(&self) -> u8;

    async fn by_ref(&self) -> u8 {
        self.value()
    }

    async fn by_mut(&mut self) -> u8 {
        self.value() + 1
    }

    async fn by_value(self) -> u8
    where
        Self: Sized,
    {
        self.value() + 2
    }

    async fn by_arc(self: Arc<Self>) -> u8 {
        self.value() + 3
    }
}

/// `Send` but not `Sync`: may use the `&mut self` and `self` defaults (the `&self` and
/// `Arc<Self>` ones require `Sync`, see the trybuild case
/// `default_method_by_ref_on_non_sync_type.rs`).
struct SendOnly(Cell<u8>);

impl Defaults for SendOnly {
    fn value(&self) -> u8 {
        self.0.get()
    }
}

/// `Send + Sync`: may use them all.
struct Both(u8);

impl Defaults for Both {
    fn value(&self) -> u8 {
        self.0
    }
}

#[test]
fn default_methods_bound_self_by_receiver_so_send_only_types_use_mut_and_value_defaults() {
    let mut value = SendOnly(Cell::new(1));
    assert_eq!(block_on(assert_send(value.by_mut())), 2);
    assert_eq!(block_on(assert_send(SendOnly(Cell::new(1)).by_value())), 3);
    assert_eq!(block_on(assert_send(Both(1).by_ref())), 1);
    assert_eq!(block_on(assert_send(Arc::new(Both(1)).by_arc())), 4);
}

// A supertrait that already says `Sync` removes the bound: `&dyn Trait` calls defaults.
#[async_trait]
trait SyncSuper: core::marker::Sync {
    async fn answer(&self) -> u8 {
        42
    }
}

#[async_trait]
trait SendSuper: std::marker::Send {
    async fn consume(self: Box<Self>) -> u8 {
        7
    }
}

impl SyncSuper for u8 {}
impl SendSuper for u8 {}

#[test]
fn supertrait_send_or_sync_written_as_a_path_skips_the_default_bound() {
    let object: &dyn SyncSuper = &1_u8;
    assert_eq!(block_on(assert_send(object.answer())), 42);
    let boxed: Box<dyn SendSuper> = Box::new(1_u8);
    assert_eq!(block_on(assert_send(boxed.consume())), 7);
}

#[async_trait]
trait SyncByWhereClause
where
    Self: Sync,
{
    async fn answer(&self) -> u8 {
        43
    }
}

impl SyncByWhereClause for u8 {}

#[test]
fn trait_where_clause_on_self_also_skips_the_default_bound() {
    let object: &dyn SyncByWhereClause = &1_u8;
    assert_eq!(block_on(assert_send(object.answer())), 43);
}
