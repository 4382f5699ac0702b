//! The polling order of `select!` and `join!`: which child a poll starts at.
//!
//! Every poll of a select or a join visits its children in a ring: from the start
//! child upwards, then around to the ones below it. The expansions write that ring once
//! (unrolled steps, or a walk over the woken children); this file decides where it
//! starts, which is the whole fairness rule:
//!
//! | rule | start of each poll | used by |
//! |---|---|---|
//! | [`Fair`] | uniform at random, from a per-thread generator | `select!` (default) |
//! | [`Biased`] | child 0: written order | `biased;`, `select_biased!` |
//! | [`RoundRobin`] | `*cursor % n`; the winner `i` sets `*cursor = i + 1` | `round_robin(&mut cursor);` |
//! | [`Rotate`] | one further than the previous poll of the same join | `join!`, `try_join!` (default) |
//!
//! [`SelectDefault`] and [`JoinDefault`] name the defaults: to change the rule of both
//! macros, change this file (and its tests).

/// Where a poll of a select or join starts, and what a win changes.
pub trait Order {
    /// The child the poll starts at, in `0..n` (`n >= 1`).
    fn start(&mut self, n: usize) -> usize;

    /// Child `index` won the select: the rule may move the next start.
    #[inline(always)]
    fn won(&mut self, index: usize) {
        let _ = index;
    }
}

/// The rule of `select!` without a mode line.
pub type SelectDefault = Fair;

/// The rule of `join!` and `try_join!` without `biased;`.
pub type JoinDefault = Rotate;

/// A random start on every poll: every always-ready branch wins about `1/n` of the
/// time, whatever the pattern of polls. Re-seed with `patience::select::seed`.
#[derive(Clone, Copy, Default)]
pub struct Fair;

impl Order for Fair {
    #[inline]
    fn start(&mut self, n: usize) -> usize {
        crate::select_rng::below(n)
    }
}

/// Always child 0: children are polled in written order.
#[derive(Clone, Copy, Default)]
pub struct Biased;

impl Order for Biased {
    #[inline(always)]
    fn start(&mut self, _: usize) -> usize {
        0
    }
}

/// A cursor the caller keeps across selects: each select starts where the last
/// winner left it, so always-ready branches win in strict turn.
pub struct RoundRobin<'a>(&'a mut usize);

impl<'a> RoundRobin<'a> {
    /// The rule for `round_robin(cursor);`.
    #[inline(always)]
    pub fn new(cursor: &'a mut usize) -> Self {
        RoundRobin(cursor)
    }
}

impl Order for RoundRobin<'_> {
    #[inline(always)]
    fn start(&mut self, n: usize) -> usize {
        *self.0 % n
    }

    #[inline(always)]
    fn won(&mut self, index: usize) {
        *self.0 = index + 1;
    }
}

/// A start that moves one child further on every poll of the same join (as
/// `tokio::join!` does), so no child is always polled first and no child can starve a
/// sibling through a shared budget.
#[derive(Clone, Copy, Default)]
pub struct Rotate(usize);

impl Order for Rotate {
    #[inline(always)]
    fn start(&mut self, n: usize) -> usize {
        let start = self.0;
        self.0 = if start + 1 >= n { 0 } else { start + 1 };
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn biased_always_starts_at_zero() {
        assert_eq!((0..5).map(|_| Biased.start(4)).collect::<Vec<_>>(), [0; 5]);
    }

    #[test]
    fn rotate_moves_one_further_each_poll_and_wraps() {
        let mut order = Rotate::default();
        let starts: Vec<_> = (0..7).map(|_| order.start(3)).collect();
        assert_eq!(starts, [0, 1, 2, 0, 1, 2, 0]);
    }

    #[test]
    fn round_robin_starts_after_the_last_winner() {
        let mut cursor = 6;
        {
            let mut order = RoundRobin::new(&mut cursor);
            assert_eq!(order.start(4), 2);
            order.won(3);
            assert_eq!(order.start(4), 0);
        }
        assert_eq!(cursor, 4);
    }

    #[test]
    fn fair_starts_are_spread_over_every_child() {
        crate::select::seed(7);
        let mut seen = [0usize; 5];
        for _ in 0..5_000 {
            seen[Fair.start(5)] += 1;
        }
        // Each count is Binomial(5000, 1/5): mean 1000, deviation about 28.
        assert!(seen.iter().all(|&n| (850..=1150).contains(&n)), "{seen:?}");
    }
}
