//! Sets of children as bit masks: which branches are enabled, which children were woken,
//! which to poll on a select's or join's first poll.
//!
//! Child `i` is bit `i % 32` of word `i / 32`. This file is the only place that knows
//! the layout: the expansions size their masks with [`words`] (a `const fn`, so the
//! macro writes `{ words(n) }` as a const generic argument), and the waker blocks
//! find a child's flag with `locate`.

/// The number of 32-bit words a mask of `children` children needs.
#[inline]
pub const fn words(children: usize) -> usize {
    children.div_ceil(32)
}

/// The word and the bit within it of child `index`.
#[inline(always)]
pub(crate) const fn locate(index: usize) -> (usize, u32) {
    (index / 32, 1 << (index % 32))
}

/// A set of child indices below `32 * W`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Mask<const W: usize>([u32; W]);

impl<const W: usize> Mask<W> {
    /// No child.
    pub const EMPTY: Self = Mask([0; W]);

    /// Children `0..n` (`n <= 32 * W`).
    #[inline]
    pub const fn first(n: usize) -> Self {
        let mut words = [u32::MAX; W];
        let mut word = n / 32;
        if word < W {
            words[word] = (1u32 << (n % 32)) - 1;
            word += 1;
            while word < W {
                words[word] = 0;
                word += 1;
            }
        }
        Mask(words)
    }

    /// Takes child `index` out of the set unless `keep`: one branch's precondition.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn keep_if(&mut self, index: usize, keep: bool) {
        if !keep {
            self.remove(index);
        }
    }

    /// The children whose flag is set, in index order (`N <= 32 * W`).
    #[cfg(test)]
    fn from_flags<const N: usize>(flags: [bool; N]) -> Self {
        let mut mask = Self::EMPTY;
        for (index, on) in flags.into_iter().enumerate() {
            let (word, bit) = locate(index);
            if on {
                mask.0[word] |= bit;
            }
        }
        mask
    }

    /// A mask from its words, as drained from a waker block.
    #[inline(always)]
    pub(crate) const fn from_words(words: [u32; W]) -> Self {
        Mask(words)
    }

    /// Whether child `index` is in the set.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn contains(&self, index: usize) -> bool {
        let (word, bit) = locate(index);
        self.0[word] & bit != 0
    }

    /// The words, in the layout of [`locate`].
    #[inline]
    pub(crate) fn words(&self) -> &[u32] {
        &self.0
    }

    /// Puts child `index` in the set.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn insert(&mut self, index: usize) {
        let (word, bit) = locate(index);
        self.0[word] |= bit;
    }

    /// Takes child `index` out of the set.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn remove(&mut self, index: usize) {
        let (word, bit) = locate(index);
        self.0[word] &= !bit;
    }

    /// Whether the set is empty.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&word| word == 0)
    }

    /// Takes out and returns the first child of the set at or after `from`, wrapping
    /// around to the lowest ones: the order of a poll that starts at `from`.
    #[inline]
    pub fn pop_from(&mut self, from: usize) -> Option<usize> {
        let (first, bit) = locate(from);
        // The bits of `first` at and above `from`; the ones below come last.
        let upper = !(bit - 1);
        for step in 0..=W {
            let word = (first + step) % W;
            let part = match step {
                0 => upper,
                _ if step == W => !upper,
                _ => u32::MAX,
            };
            let bits = self.0[word] & part;
            if bits != 0 {
                let low = bits.trailing_zeros();
                self.0[word] &= !(1 << low);
                return Some(word * 32 + low as usize);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain<const W: usize>(mut mask: Mask<W>, from: usize) -> Vec<usize> {
        core::iter::from_fn(|| mask.pop_from(from)).collect()
    }

    #[test]
    fn first_n_children_fill_whole_words_and_part_of_the_last() {
        assert_eq!(Mask::<1>::first(0), Mask::EMPTY);
        assert_eq!(Mask::<1>::first(32), Mask([u32::MAX]));
        assert_eq!(Mask::<3>::first(40), Mask([u32::MAX, 0xFF, 0]));
        assert_eq!(Mask::<2>::first(64), Mask([u32::MAX; 2]));
    }

    #[test]
    fn flags_become_members_in_index_order() {
        let mask = Mask::<2>::from_flags([true, false, true, false, false, false, true]);
        assert_eq!(drain(mask, 0), vec![0, 2, 6]);
        let mut big = [false; 40];
        big[33] = true;
        assert_eq!(drain(Mask::<2>::from_flags(big), 0), vec![33]);
    }

    #[test]
    fn pop_from_visits_members_from_the_start_then_wraps() {
        let mut flags = [false; 70];
        for i in [1, 2, 31, 32, 40, 69] {
            flags[i] = true;
        }
        let mask = Mask::<3>::from_flags(flags);
        assert_eq!(drain(mask, 0), vec![1, 2, 31, 32, 40, 69]);
        assert_eq!(drain(mask, 3), vec![31, 32, 40, 69, 1, 2]);
        assert_eq!(drain(mask, 33), vec![40, 69, 1, 2, 31, 32]);
        assert_eq!(drain(mask, 69), vec![69, 1, 2, 31, 32, 40]);
        assert_eq!(drain(mask, 2), vec![2, 31, 32, 40, 69, 1]);
    }

    #[test]
    fn remove_and_contains_agree() {
        let mut mask = Mask::<2>::first(40);
        assert!(mask.contains(39) && !mask.contains(40));
        mask.remove(39);
        assert!(!mask.contains(39));
        for i in 0..39 {
            mask.remove(i);
        }
        assert!(mask.is_empty());
    }
}
