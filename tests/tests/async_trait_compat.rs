//! Code that compiles with dtolnay's `async-trait` compiles unchanged with
//! `#[patience::async_trait]`: each case here is a shape users port, and each test runs it.

use patience::{async_trait, block_on};

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
