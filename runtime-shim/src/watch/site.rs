//! Where a watched macro and its children are written: static data the expansions
//! emit, one `Site` per macro call, and the registry that numbers them.
//!
//! Frames on a thread's stack name their site by number (an atomic store, no pointer
//! to follow), and whoever reads a frame (the watchdog, `dump`) turns the number back
//! into the site through [`lookup`].

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::vec::Vec;

/// A watched `select!`, `join!`, `try_join!`, `#[main]`, `#[test]` or `block_on` in the
/// user's source, as the expansion describes it (a `static`).
#[derive(Debug)]
pub struct Site {
    macro_name: &'static str,
    file: &'static str,
    line: u32,
    column: u32,
    children: &'static [ChildSite],
    /// 0 until the first watched poll registers the site.
    id: AtomicU32,
}

/// One branch of a select, or one child of a join: its expression and location.
#[derive(Debug)]
pub struct ChildSite {
    text: &'static str,
    line: u32,
    column: u32,
}

impl ChildSite {
    /// A child: a short text of its expression and where it starts.
    pub const fn new(text: &'static str, line: u32, column: u32) -> ChildSite {
        ChildSite { text, line, column }
    }

    /// The expression's text.
    pub fn text(&self) -> &'static str {
        self.text
    }

    /// Its 1-based line and column.
    pub fn location(&self) -> (u32, u32) {
        (self.line, self.column)
    }
}

impl Site {
    /// A site: the macro's name, its file (as `file!()` gives it), its 1-based line and
    /// column, and its children in written order.
    pub const fn new(
        macro_name: &'static str,
        file: &'static str,
        line: u32,
        column: u32,
        children: &'static [ChildSite],
    ) -> Site {
        Site {
            macro_name,
            file,
            line,
            column,
            children,
            id: AtomicU32::new(0),
        }
    }

    /// `"select!"`, `"join!"`, `"main"`, `"block_on"`, …
    pub fn macro_name(&self) -> &'static str {
        self.macro_name
    }

    /// The source file.
    pub fn file(&self) -> &'static str {
        self.file
    }

    /// The 1-based line and column of the macro call.
    pub fn location(&self) -> (u32, u32) {
        (self.line, self.column)
    }

    /// The branches or children, in written order.
    pub fn children(&self) -> &'static [ChildSite] {
        self.children
    }

    /// This site's number, registering it on first use.
    #[inline]
    pub(crate) fn id(&'static self) -> u32 {
        match self.id.load(Ordering::Acquire) {
            0 => register(self),
            id => id,
        }
    }
}

/// Every site seen so far; site `n` is at index `n - 1`.
static SITES: Mutex<Vec<&'static Site>> = Mutex::new(Vec::new());

#[cold]
fn register(site: &'static Site) -> u32 {
    let mut sites = SITES.lock().unwrap_or_else(PoisonError::into_inner);
    // Another thread may have registered it meanwhile (under this lock).
    let id = site.id.load(Ordering::Acquire);
    if id != 0 {
        return id;
    }
    sites.push(site);
    let id = u32::try_from(sites.len()).expect("fewer than 2^32 watched sites");
    // Release: a thread that reads the id sees the site registered under it.
    site.id.store(id, Ordering::Release);
    id
}

/// The site numbered `id`, if any.
pub(crate) fn lookup(id: u32) -> Option<&'static Site> {
    let index = usize::try_from(id).ok()?.checked_sub(1)?;
    SITES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(index)
        .copied()
}

#[cfg(feature = "watch")]
/// A site for a `block_on` call (from its caller's location), made once per location.
pub(crate) fn for_caller(location: &'static core::panic::Location<'static>) -> &'static Site {
    static CALLERS: Mutex<Vec<(&'static core::panic::Location<'static>, &'static Site)>> =
        Mutex::new(Vec::new());
    let mut callers = CALLERS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, site)) = callers.iter().find(|(l, _)| *l == location) {
        return site;
    }
    let site: &'static Site = std::boxed::Box::leak(std::boxed::Box::new(Site::new(
        "block_on",
        location.file(),
        location.line(),
        location.column(),
        &[],
    )));
    callers.push((location, site));
    site
}
