//! A small deterministic random number generator (SplitMix64). The sample data must be the same
//! for the same seed on every machine and every version of every crate, so it is written here
//! rather than borrowed.

pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high`.
    pub fn range(&mut self, low: u32, high: u32) -> u32 {
        debug_assert!(low <= high);
        low + (self.next_u64() % u64::from(high - low + 1)) as u32
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// One item, with probability proportional to its weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut pick = self.range(0, total - 1);
        for (item, weight) in items {
            if pick < *weight {
                return item;
            }
            pick -= weight;
        }
        &items[items.len() - 1].0
    }

    /// `count` distinct items (fewer if there are not that many), in weighted order.
    pub fn several<'a, T: PartialEq>(&mut self, items: &'a [(T, u32)], count: usize) -> Vec<&'a T> {
        let mut chosen: Vec<&T> = Vec::new();
        let mut attempts = 0;
        while chosen.len() < count.min(items.len()) && attempts < 50 {
            let item = self.weighted(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
            attempts += 1;
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(Rng::new(8).next_u64(), a[0]);
    }

    #[test]
    fn ranges_stay_in_bounds_and_reach_both_ends() {
        let mut rng = Rng::new(1);
        let draws: Vec<u32> = (0..1000).map(|_| rng.range(3, 6)).collect();
        assert!(draws.iter().all(|d| (3..=6).contains(d)));
        assert!(draws.contains(&3) && draws.contains(&6));
    }

    #[test]
    fn weights_shape_the_draws() {
        let mut rng = Rng::new(2);
        let items = [("common", 9), ("rare", 1)];
        let common = (0..10_000)
            .filter(|_| *rng.weighted(&items) == "common")
            .count();
        assert!((8_500..9_500).contains(&common), "{common}");
    }
}
