//! Code that compiles with dtolnay's `async-trait` compiles unchanged with
//! `#[patience::async_trait]`: each case here is a shape users port, and each test runs it.

use patience::{async_trait, block_on};
use std::cell::Cell;

/// The futures of these methods must be `Send`; calling this is the check.
fn assert_send<F: Send>(future: F) -> F {
    future
}

// ------------------------------------------------- `impl Trait` behind a reference or pointer

/// Shareable, so that a future holding `&impl Label` is `Send`.
trait Label: Send + Sync {
    fn label(&self) -> String;
    fn relabel(&mut self);
}

struct Tag(u8);

impl Label for Tag {
    fn label(&self) -> String {
        format!("tag{}", self.0)
    }

    fn relabel(&mut self) {
        self.0 += 1;
    }
}

#[async_trait]
trait Describe {
    async fn by_ref(item: &impl Label) -> String;
    async fn by_mut_ref(item: &mut impl Label);

    // Raw pointers are not `Send`, so a future holding one cannot be either.
    #[async_trait(?Send)]
    async fn by_const_ptr(item: *const impl Label) -> bool;
    #[async_trait(?Send)]
    async fn by_mut_ptr(item: *mut impl Label) -> bool;
}

struct Describer;

#[async_trait]
impl Describe for Describer {
    async fn by_ref(item: &impl Label) -> String {
        item.label()
    }

    async fn by_mut_ref(item: &mut impl Label) {
        item.relabel();
    }

    #[async_trait(?Send)]
    async fn by_const_ptr(item: *const impl Label) -> bool {
        item.is_null()
    }

    #[async_trait(?Send)]
    async fn by_mut_ptr(item: *mut impl Label) -> bool {
        item.is_null()
    }
}

#[test]
fn impl_trait_arguments_behind_references_and_raw_pointers() {
    let mut tag = Tag(1);
    block_on(assert_send(Describer::by_mut_ref(&mut tag)));
    assert_eq!(block_on(assert_send(Describer::by_ref(&tag))), "tag2");
    assert!(block_on(Describer::by_const_ptr(std::ptr::null::<Tag>())));
    assert!(!block_on(Describer::by_mut_ptr(&raw mut tag)));
}

// ------------------------------------------------- by-reference arguments the body ignores

#[async_trait]
trait Inspect<T> {
    async fn inspect(&self, thing: &T) -> u8;
}

struct Ignores;

#[async_trait]
impl<T> Inspect<T> for Ignores {
    async fn inspect(&self, _: &T) -> u8 {
        1
    }
}

struct IgnoresNamed;

#[async_trait]
impl<T> Inspect<T> for IgnoresNamed {
    async fn inspect(&self, _thing: &T) -> u8 {
        2
    }
}

struct IgnoresParts;

#[async_trait]
impl<T> Inspect<(T, T, T)> for IgnoresParts {
    async fn inspect(&self, (_a, _b, _c): &(T, T, T)) -> u8 {
        3
    }
}

struct UsesParts;

#[async_trait]
impl Inspect<(u8, u8)> for UsesParts {
    async fn inspect(&self, (a, b): &(u8, u8)) -> u8 {
        a + b
    }
}

struct CopiesParts;

#[async_trait]
impl Inspect<(u8, u8)> for CopiesParts {
    async fn inspect(&self, &(a, mut b): &(u8, u8)) -> u8 {
        b *= 10;
        a + b
    }
}

struct Reborrows;

#[async_trait]
impl Inspect<[u8; 3]> for Reborrows {
    async fn inspect(&self, mut thing: &[u8; 3]) -> u8 {
        let last = [thing[2]; 3];
        let first = thing[0];
        thing = &last;
        first + thing[0]
    }
}

struct BorrowsByRef;

#[async_trait]
impl Inspect<String> for BorrowsByRef {
    async fn inspect(&self, ref thing: &String) -> u8 {
        let thing: &&String = thing;
        u8::try_from(thing.len()).unwrap()
    }
}

#[test]
fn by_reference_argument_ignored_by_the_body_needs_no_sync_for_a_send_future() {
    // `Cell` is not `Sync`, so a future holding a `&Cell` would not be `Send`.
    let cell = Cell::new(0u8);
    assert_eq!(block_on(assert_send(Ignores.inspect(&cell))), 1);
    assert_eq!(block_on(assert_send(IgnoresNamed.inspect(&cell))), 2);
    let cells = (Cell::new(1u8), Cell::new(2u8), Cell::new(3u8));
    assert_eq!(block_on(assert_send(IgnoresParts.inspect(&cells))), 3);
}

#[test]
fn by_reference_argument_patterns_still_bind_what_the_body_uses() {
    assert_eq!(block_on(UsesParts.inspect(&(1, 2))), 3);
    assert_eq!(block_on(CopiesParts.inspect(&(1, 2))), 21);
    assert_eq!(block_on(Reborrows.inspect(&[1, 2, 3])), 4);
    assert_eq!(block_on(BorrowsByRef.inspect(&"four".to_owned())), 4);
}

// ------------------------------------------------- `&mut self` used as a mutable binding

#[async_trait]
trait Bump {
    async fn bump(&mut self) -> u32;
    async fn bump_in_macro(&mut self) -> u32;
    async fn bump_field(&mut self) -> u32;
}

struct Counter(u32);

fn bump_through(counter: &mut &mut Counter) -> u32 {
    counter.0 += 1;
    counter.0
}

#[async_trait]
impl Bump for Counter {
    async fn bump(&mut self) -> u32 {
        let _ = &mut self;
        bump_through(&mut self)
    }

    async fn bump_in_macro(&mut self) -> u32 {
        let text = format!("{}", bump_through(&mut self));
        text.parse().unwrap()
    }

    // Through `self` only: no mutable binding needed, and none added (the lint test
    // checks that no `unused_mut` comes of it).
    async fn bump_field(&mut self) -> u32 {
        let field = &mut self.0;
        *field += 10;
        self.0
    }
}

#[test]
fn mut_self_receiver_can_be_borrowed_mutably_in_the_body() {
    let mut counter = Counter(0);
    assert_eq!(block_on(assert_send(counter.bump())), 1);
    assert_eq!(block_on(counter.bump_in_macro()), 2);
    assert_eq!(block_on(counter.bump_field()), 12);
}
