//! The fast hasher for the resolver's in-memory maps (the memo and the directory indexes).
//!
//! The keys are short strings the program builds itself, not attacker-chosen input, so the
//! denial-of-service resistance of the standard hasher buys nothing. The workspace's one fast
//! hasher is `foldhash` (already built for hashbrown, which rusqlite uses): a fixed seed, so a
//! run is the same every time.

use std::collections::HashMap;
use std::hash::BuildHasher as _;

/// The hasher's state: fixed, so runs are reproducible.
pub(crate) type FastState = foldhash::fast::FixedState;

/// A `HashMap` with the fast hasher.
pub(crate) type FastMap<K, V> = HashMap<K, V, FastState>;

/// The fast hash of a string, for indexes kept sorted by hash.
pub(crate) fn hash_str(key: &str) -> u64 {
    FastState::default().hash_one(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work() {
        let mut map: FastMap<String, u32> = FastMap::default();
        map.insert("el cajon".to_string(), 1);
        map.insert("el cajon ".to_string(), 2);
        assert_eq!(map.get("el cajon"), Some(&1));
        assert_eq!(map.get("el cajon "), Some(&2));
        assert_eq!(map.get("anoka"), None);
    }

    #[test]
    fn the_hash_is_the_same_every_time_and_tells_keys_apart() {
        assert_eq!(hash_str("anoka"), hash_str("anoka"));
        assert_ne!(hash_str("anoka"), hash_str("anoka "));
    }
}
