//! A memo that keeps a bounded number of entries, for the names of lists of any size.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// A map that holds at most `2 * limit` entries, in two generations: entries go into the newer
/// one; when it is full, the older one is dropped and the newer one takes its place. An entry
/// found in the older generation moves back into the newer one, so what is used often stays.
///
/// Only time depends on what it keeps: the callers memoise pure results (a name's resolution,
/// the id of a row they can find again in the store), so a value that was dropped is made again
/// the same.
#[derive(Debug)]
pub(crate) struct Memo<K, V> {
    limit: usize,
    newer: HashMap<K, V>,
    older: HashMap<K, V>,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// An empty memo that keeps at most `2 * limit` entries (`limit` is at least 1).
    pub(crate) fn new(limit: usize) -> Memo<K, V> {
        Memo {
            limit: limit.max(1),
            newer: HashMap::new(),
            older: HashMap::new(),
        }
    }

    /// The value kept for `key`, if any.
    pub(crate) fn get<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(value) = self.newer.get(key) {
            return Some(value.clone());
        }
        let (key, value) = self.older.remove_entry(key)?;
        self.insert(key, value.clone());
        Some(value)
    }

    /// Keeps `value` for `key`; returns whether the older generation was dropped to make room.
    pub(crate) fn insert(&mut self, key: K, value: V) -> bool {
        let turned = self.newer.len() >= self.limit && !self.newer.contains_key(&key);
        if turned {
            self.older = std::mem::take(&mut self.newer);
        }
        self.newer.insert(key, value);
        turned
    }

    /// How many entries are kept.
    pub(crate) fn len(&self) -> usize {
        self.newer.len() + self.older.len()
    }

    /// The most entries of one generation.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_twice_its_limit_and_what_is_used() {
        let mut memo = Memo::new(3);
        for n in 0..100 {
            memo.insert(n, n * 10);
            assert!(memo.len() <= 6, "{} entries after {n}", memo.len());
            // 0 is asked for after every insert, so it is never dropped.
            assert_eq!(memo.get(&0), Some(0));
        }
        assert_eq!(memo.get(&99), Some(990));
        assert_eq!(memo.get(&50), None);
    }

    #[test]
    fn turns_only_when_the_newer_generation_is_full() {
        let mut memo = Memo::new(2);
        assert!(!memo.insert("a", 1));
        assert!(!memo.insert("b", 2));
        // Replacing a kept key makes no room.
        assert!(!memo.insert("b", 3));
        assert!(memo.insert("c", 4));
        assert_eq!(memo.len(), 3);
        assert_eq!(memo.get("b"), Some(3));
        assert_eq!(memo.get("c"), Some(4));
        assert_eq!(memo.len(), 3);
        assert!(memo.insert("d", 5));
        assert_eq!(memo.get("a"), None);
        assert_eq!(memo.limit(), 2);
    }
}
