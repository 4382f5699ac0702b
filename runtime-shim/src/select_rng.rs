//! The per-thread generator behind fair-mode `select!`, and its public re-seeding hook.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

std::thread_local! {
    /// xorshift64 state of this thread; 0 means "not seeded yet".
    static STATE: Cell<u64> = const { Cell::new(0) };
}

/// A fixed non-zero state used when mixing a seed happens to give zero.
const FALLBACK: u64 = 0x9E37_79B9_7F4A_7C15;

/// splitmix64's finaliser: spreads any seed (0, 1, 2, ...) over the whole state space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(FALLBACK);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn nonzero(state: u64) -> u64 {
    if state == 0 { FALLBACK } else { state }
}

/// A seed that differs from process to process (and from thread to thread): std's
/// `RandomState` draws its keys from the OS once per thread and perturbs them per call.
#[cold]
fn fresh_seed() -> u64 {
    nonzero(mix(RandomState::new().hash_one(std::thread::current().id())))
}

/// Returns a number uniform in `0..n` (`n >= 1`) from this thread's generator.
#[inline]
pub(crate) fn below(n: usize) -> usize {
    let x = STATE.with(|state| {
        let mut x = state.get();
        if x == 0 {
            x = fresh_seed();
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        x
    });
    // Multiply-shift maps the 64-bit output onto 0..n without a division.
    ((u128::from(x) * n as u128) >> 64) as usize
}

/// Re-seeds the current thread's fair-mode generator, so that the order in which
/// `select!` (in its default, fair mode) polls its branches repeats from run to run.
///
/// Each thread has its own generator, seeded differently in every process; call this at
/// the start of a test, on the thread that runs the selects, to make it deterministic.
/// `biased;` and `round_robin(&mut cursor);` selects never use the generator.
///
/// ```
/// use std::future::ready;
///
/// fn winners() -> Vec<u8> {
///     patience::select::seed(42);
///     (0..20)
///         .map(|_| {
///             patience::block_on(async {
///                 patience::select! {
///                     a = ready(0u8) => a,
///                     b = ready(1u8) => b,
///                     c = ready(2u8) => c,
///                 }
///             })
///         })
///         .collect()
/// }
///
/// assert_eq!(winners(), winners());
/// ```
pub fn seed(seed: u64) {
    STATE.with(|state| state.set(nonzero(mix(seed))));
}
