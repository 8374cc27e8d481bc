//! A small seeded generator (SplitMix64), so that the demo is the same on every machine and
//! no dependency's change of algorithm alters it.

pub struct Random(u64);

impl Random {
    /// An independent stream per `stream`, so that what one part draws never shifts another.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut mixer = Random(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        Random(mixer.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        assert!(low <= high, "an empty range");
        let span = u128::from(high.abs_diff(low)) + 1;
        let offset = (u128::from(self.next_u64()) * span) >> 64;
        low + i64::try_from(offset).expect("the offset is within the range")
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: i64) -> bool {
        self.between(1, 100) <= percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let last = i64::try_from(items.len()).expect("a short list") - 1;
        &items[usize::try_from(self.between(0, last)).expect("an index")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_stream_give_the_same_numbers() {
        let draw = |stream| {
            let mut random = Random::new(7, stream);
            (0..5).map(|_| random.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn between_stays_within_its_bounds_and_reaches_them() {
        let mut random = Random::new(1, 0);
        let drawn: Vec<i64> = (0..1000).map(|_| random.between(-2, 2)).collect();
        assert!(drawn.iter().all(|n| (-2..=2).contains(n)));
        assert!(drawn.contains(&-2) && drawn.contains(&2));
        assert_eq!(random.between(5, 5), 5);
    }
}
