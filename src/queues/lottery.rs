//! The lottery of a queue that opens with one: the presses within its first minutes are put in a
//! random order once, and that order can be checked by anyone who has the change log.
//!
//! The rule, written so that it can be recomputed without this code:
//! - the generator is SplitMix64 started at the seed: each step adds `0x9E3779B97F4A7C15` to the
//!   state (wrapping) and returns `z ^ (z >> 31)` where
//!   `z = (s ^ (s >> 30)) * 0xBF58476D1CE4E5B9`, then `z = (z ^ (z >> 27)) * 0x94D049BB133111EB`
//!   (wrapping multiplications, `s` the new state);
//! - the shuffle is Fisher–Yates from the end: for `i` from `n - 1` down to 1, swap the items at
//!   `i` and `next() % (i + 1)`;
//! - the items are the participants in the order their presses reached the database (their
//!   places before the draw); the result is their new order, places 1, 2, ….
//!
//! The change-log row `queue.draw` holds the seed (as the signed 64-bit number stored), the order
//! before and the order after.

/// SplitMix64: a small generator whose whole definition fits in the doc comment above.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `items` in the order the lottery with `seed` gives them.
pub fn shuffle<T: Clone>(items: &[T], seed: i64) -> Vec<T> {
    let mut order = items.to_vec();
    let mut rng = SplitMix64::new(u64::from_ne_bytes(seed.to_ne_bytes()));
    for i in (1..order.len()).rev() {
        let bound = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let j = usize::try_from(rng.next_u64() % bound).unwrap_or(0);
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splitmix_matches_its_reference_values() {
        // The first outputs of SplitMix64 seeded with 1234567 (Vigna's reference code).
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    proptest! {
        #[test]
        fn a_shuffle_is_a_permutation_fixed_by_its_seed(n in 0usize..60, seed in any::<i64>()) {
            let items: Vec<usize> = (0..n).collect();
            let once = shuffle(&items, seed);
            prop_assert_eq!(&once, &shuffle(&items, seed));
            let mut sorted = once.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, items);
        }
    }
}
