//! `native` combines with `?Send`, with `crate = ".."` and with per-method overrides.

use std::rc::Rc;

mod framework {
    pub use patience;
}

#[patience::async_trait(native, ?Send, crate = "framework::patience")]
trait Local {
    async fn shared(&self) -> Rc<u8>;

    #[async_trait(Send)]
    async fn sent(&self) -> u8;
}

struct Thing;

impl Local for Thing {
    async fn shared(&self) -> Rc<u8> {
        let rc = Rc::new(1);
        std::future::ready(()).await;
        rc
    }

    async fn sent(&self) -> u8 {
        2
    }
}

fn assert_send<F: std::future::Future + Send>(future: F) -> F {
    future
}

fn main() {
    let local: Box<dyn DynLocal> = DynLocal::boxed(Thing);
    assert_eq!(*patience::block_on(local.shared()), 1);
    assert_eq!(patience::block_on(assert_send(local.sent())), 2);
}
