//! What the watch reports, how a report reads, and where it goes.

use core::fmt;
use core::sync::atomic::Ordering;
use std::boxed::Box;
use std::string::String;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;
use std::vec::Vec;

use super::frames::{self, ThreadFrames};
use super::node;
use super::site::{self, Site};
use super::watchdog;

/// A report of the watch: a slow poll, or a `block_on` stuck waiting.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// What happened.
    pub kind: ReportKind,
    /// The thread it happened on (its name, or its id).
    pub thread: String,
    /// For a slow poll: the watched polls in progress, outermost first; the last one is
    /// the branch or child whose poll was slow. Empty for a stuck report.
    pub chain: Vec<Place>,
    /// For a stuck report: what the program waits on (see [`dump`](super::dump)).
    pub waiting: Dump,
}

/// What a [`Report`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportKind {
    /// One poll held the thread this long (at least the slow-poll threshold).
    SlowPoll {
        /// How long the poll took (measured to within the watchdog's sampling interval).
        duration: Duration,
    },
    /// A `block_on` has waited this long for a wake-up (at least the stuck threshold).
    Stuck {
        /// How long it has been parked.
        parked: Duration,
    },
}

/// A watched macro (or `block_on`) in the user's source, and which of its children.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Place {
    /// `"select!"`, `"join!"`, `"try_join!"`, `"main"`, `"test"`, `"block_on"`, …
    pub macro_name: &'static str,
    /// The source file of the macro call.
    pub file: &'static str,
    /// Its 1-based line.
    pub line: u32,
    /// Its 1-based column.
    pub column: u32,
    /// The branch or child, when the place is one.
    pub child: Option<Child>,
}

/// A branch of a select or a child of a join.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Child {
    /// Its index, in written order from 0.
    pub index: usize,
    /// A short text of its expression.
    pub text: &'static str,
    /// The 1-based line of the expression.
    pub line: u32,
    /// The 1-based column of the expression.
    pub column: u32,
}

/// The live watched selects and joins that are waiting, as [`dump`](super::dump) gives
/// them: one entry each, with where it sits and what it waits on.
#[derive(Debug, Clone, Default)]
pub struct Dump {
    /// The waiting selects and joins, outermost first within each thread.
    pub waiting: Vec<Waiting>,
}

/// One waiting select or join.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Waiting {
    /// The thread it was first polled on.
    pub thread: String,
    /// The enclosing watched polls when it first waited, outermost first.
    pub path: Vec<Place>,
    /// The select or join itself.
    pub place: Place,
    /// Its children that have not finished, with the time since each was last polled.
    pub pending: Vec<(Child, Duration)>,
}

impl Place {
    fn of(site: &'static Site, child: Option<usize>) -> Place {
        let (line, column) = site.location();
        Place {
            macro_name: site.macro_name(),
            file: site.file(),
            line,
            column,
            child: child.and_then(|index| {
                let child = site.children().get(index)?;
                let (line, column) = child.location();
                Some(Child {
                    index,
                    text: child.text(),
                    line,
                    column,
                })
            }),
        }
    }

    /// From a frame: a site number and a child index (`NO_CHILD`: none).
    pub(crate) fn from_frame((site, child): (u32, u32)) -> Option<Place> {
        let site = site::lookup(site)?;
        let child = (child != frames::NO_CHILD).then_some(child as usize);
        Some(Place::of(site, child))
    }
}

impl fmt::Display for Place {
    /// `select! branch 1 \`rx.recv()\` at src/fetch.rs:17:13`, or `main at src/main.rs:3:1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.child {
            Some(child) => {
                let word = if self.macro_name.starts_with("select") {
                    "branch"
                } else {
                    "child"
                };
                write!(
                    f,
                    "{} {word} {} `{}` at {}:{}:{}",
                    self.macro_name, child.index, child.text, self.file, child.line, child.column
                )
            }
            None => write!(
                f,
                "{} at {}:{}:{}",
                self.macro_name, self.file, self.line, self.column
            ),
        }
    }
}

fn chain(places: &[Place]) -> String {
    places
        .iter()
        .map(std::string::ToString::to_string)
        .collect::<Vec<_>>()
        .join(" → ")
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ReportKind::SlowPoll { duration } => write!(
                f,
                "patience::watch: slow poll ({:.1} ms) on thread {}: {}",
                duration.as_secs_f64() * 1e3,
                self.thread,
                chain(&self.chain)
            ),
            ReportKind::Stuck { parked } => write!(
                f,
                "patience::watch: block_on on thread {} has waited {:.1} s with no wake-up; {}",
                self.thread,
                parked.as_secs_f64(),
                self.waiting
            ),
        }
    }
}

impl fmt::Display for Dump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.waiting.is_empty() {
            return write!(f, "no watched select or join is waiting");
        }
        write!(f, "waiting on:")?;
        for waiting in &self.waiting {
            let mut head = chain(&waiting.path);
            if !head.is_empty() {
                head.push_str(" → ");
            }
            write!(f, "\n  [{}] {head}{}", waiting.thread, waiting.place)?;
            for (child, since) in &waiting.pending {
                let place = Place {
                    child: Some(child.clone()),
                    ..waiting.place.clone()
                };
                write!(
                    f,
                    "\n      pending: {place}, last polled {:.1} s ago",
                    since.as_secs_f64()
                )?;
            }
        }
        Ok(())
    }
}

/// The live waiting selects and joins, optionally only those first polled on one
/// thread's record.
pub(crate) fn dump(thread: Option<u32>) -> Dump {
    let now = watchdog::now_ms();
    let mut waiting: Vec<Waiting> = node::live()
        .into_iter()
        .filter_map(|node| {
            let owner = node.thread.load(Ordering::Relaxed);
            if thread.is_some_and(|t| t != owner) {
                return None;
            }
            let site = site::lookup(node.site.load(Ordering::Relaxed))?;
            let len = node.len.load(Ordering::Relaxed);
            let pending = (0..len)
                .filter(|&index| !node.is_done(index))
                .filter_map(|index| {
                    let child = Place::of(site, Some(index)).child?;
                    let last = node.last_polled_ms(index);
                    Some((child, Duration::from_millis(now.saturating_sub(last))))
                })
                .collect();
            Some(Waiting {
                thread: frames::by_index(owner)
                    .map(ThreadFrames::name)
                    .unwrap_or_default(),
                path: node
                    .path()
                    .into_iter()
                    .filter_map(Place::from_frame)
                    .collect(),
                place: Place::of(site, None),
                pending,
            })
        })
        .collect();
    waiting.sort_by(|a, b| (&a.thread, a.path.len()).cmp(&(&b.thread, b.path.len())));
    Dump { waiting }
}

type Hook = Box<dyn Fn(&Report) + Send + Sync>;

static HOOK: RwLock<Option<Hook>> = RwLock::new(None);

pub(crate) fn set_hook(hook: Option<Hook>) {
    *HOOK.write().unwrap_or_else(PoisonError::into_inner) = hook;
}

/// Sends a report to the hook, or writes it to stderr.
fn emit(report: &Report) {
    let hook = HOOK.read().unwrap_or_else(PoisonError::into_inner);
    match &*hook {
        Some(hook) => hook(report),
        None => std::eprintln!("{report}"),
    }
}

/// A poll at the top of `chain` took `duration`.
#[cold]
pub(crate) fn slow(thread: &str, chain: &[(u32, u32)], duration: Duration) {
    emit(&Report {
        kind: ReportKind::SlowPoll { duration },
        thread: String::from(thread),
        chain: chain
            .iter()
            .copied()
            .filter_map(Place::from_frame)
            .collect(),
        waiting: Dump::default(),
    });
}

/// The `block_on` of `thread` has been parked for `parked`.
#[cold]
pub(crate) fn stuck(thread: &ThreadFrames, parked: Duration) {
    emit(&Report {
        kind: ReportKind::Stuck { parked },
        thread: thread.name(),
        chain: Vec::new(),
        waiting: dump(Some(thread.index)),
    });
}
