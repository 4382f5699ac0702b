//! A `#![no_std]` crate with `alloc`, using `#[async_trait(crate = "::patience")]`: it
//! only builds if that expansion names nothing from `std` (this crate has no `std` in
//! scope, not even `::std`; the default expansion names `::std::boxed::Box`).
//! `cargo build`/`clippy` of the workspace checks it; the unit test runs it.

#![no_std]
#![forbid(unsafe_code)]
#![deny(warnings)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

/// A sink of lines.
#[patience::async_trait(crate = "::patience")]
pub trait Sink {
    /// Takes one line.
    async fn write(&mut self, line: &str);

    /// Takes every line, in order.
    async fn write_all(&mut self, lines: &[&str])
    where
        Self: Send,
    {
        for line in lines {
            self.write(line).await;
        }
    }
}

/// A sink that keeps the lines.
#[derive(Default)]
pub struct Lines(pub Vec<String>);

#[patience::async_trait(crate = "::patience")]
impl Sink for Lines {
    async fn write(&mut self, line: &str) {
        self.0.push(String::from(line));
    }
}

/// The same with futures that need not be `Send`.
#[patience::async_trait(?Send, crate = "::patience")]
pub trait LocalSink {
    /// Takes one line.
    async fn write_local(&mut self, line: &str) -> usize;
}

#[patience::async_trait(?Send, crate = "::patience")]
impl LocalSink for Lines {
    async fn write_local(&mut self, line: &str) -> usize {
        self.0.push(String::from(line));
        self.0.len()
    }
}

/// A `native` trait with `crate = "::patience"`: its companion names `Box` through
/// `patience` too.
#[patience::async_trait(native, crate = "::patience")]
pub trait NativeSink: Send {
    /// Takes one line.
    async fn push(&mut self, line: &str);

    /// Takes every line, in order.
    async fn push_all(&mut self, lines: &[&str]) {
        for line in lines {
            self.push(line).await;
        }
    }
}

impl NativeSink for Lines {
    async fn push(&mut self, line: &str) {
        self.0.push(String::from(line));
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::{DynNativeSink, LocalSink, NativeSink, Sink};

    #[test]
    fn async_trait_with_crate_option_works_in_a_no_std_crate() {
        let mut lines = super::Lines::default();
        patience::block_on(lines.write_all(&["a", "b"]));
        assert_eq!(patience::block_on(lines.write_local("c")), 3);
        assert_eq!(lines.0, ["a", "b", "c"]);
    }

    #[test]
    fn native_async_trait_with_crate_option_works_in_a_no_std_crate() {
        let mut lines = super::Lines::default();
        patience::block_on(lines.push("a"));
        let sink: &mut dyn DynNativeSink = DynNativeSink::from_mut(&mut lines);
        patience::block_on(sink.push_all(&["b", "c"]));
        assert_eq!(lines.0, ["a", "b", "c"]);
    }
}
