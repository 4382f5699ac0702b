//! `#[tracing::instrument]` on an `#[async_trait]` method instruments the body: the output
//! keeps the shape tracing recognises (the real receiver in the signature, a body ending in
//! `Box::pin(async move { .. })`).

use patience::{async_trait, block_on};
use std::sync::{Arc, Mutex};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records, for each event, the name of the span it happened in, and the recorded fields of
/// each span.
#[derive(Default)]
struct Log {
    spans: Mutex<Vec<(String, String)>>,
    stack: Mutex<Vec<u64>>,
    events: Mutex<Vec<(String, Option<String>)>>,
}

/// A shared handle, so the test reads the log after the subscriber is gone.
#[derive(Clone, Default)]
struct Recorder(Arc<Log>);

struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write;
        let _ = write!(self.0, "{}={:?};", field.name(), value);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = FieldText(String::new());
        span.record(&mut fields);
        let mut spans = self.0.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields.0));
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut message = FieldText(String::new());
        event.record(&mut message);
        let current = self.0.stack.lock().unwrap().last().copied();
        let span = current.map(|id| {
            let index = usize::try_from(id).unwrap() - 1;
            self.0.spans.lock().unwrap()[index].0.clone()
        });
        self.0.events.lock().unwrap().push((message.0, span));
    }

    fn enter(&self, span: &Id) {
        self.0.stack.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, _: &Id) {
        self.0.stack.lock().unwrap().pop();
    }
}

#[async_trait]
trait Handler {
    async fn handle(&self, request: u32) -> u32;
}

#[derive(Debug)]
struct Server {
    port: u16,
}

#[async_trait]
impl Handler for Server {
    #[tracing::instrument(skip(self), fields(port = self.port))]
    async fn handle(&self, request: u32) -> u32 {
        tracing::info!("handling");
        async {}.await;
        tracing::info!("handled");
        request + u32::from(self.port)
    }
}

#[test]
fn instrument_on_async_trait_method_records_the_body_inside_its_span() {
    let recorder = Recorder::default();
    let server = Server { port: 80 };
    let out = tracing::subscriber::with_default(recorder.clone(), || {
        let handler: &dyn Handler = &server;
        block_on(handler.handle(1))
    });
    assert_eq!(out, 81);
    let spans = recorder.0.spans.lock().unwrap().clone();
    assert_eq!(
        spans,
        [("handle".to_owned(), "request=1;port=80;".to_owned())]
    );
    let events = recorder.0.events.lock().unwrap().clone();
    assert_eq!(events.len(), 2, "{events:?}");
    for (message, span) in events {
        assert_eq!(
            span.as_deref(),
            Some("handle"),
            "event {message} outside the span"
        );
    }
}
