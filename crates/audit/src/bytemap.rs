//! A map from short byte strings (agency names, reasons, search types as the log writes them) to
//! small values, for the per-row caches: one hash of the key, one probe, and the key compared a
//! word at a time in registers instead of through a `memcmp` call, which is most of what a
//! lookup costs when keys are a dozen bytes and there are several lookups per row.

use hashbrown::HashTable;

/// Hash of a short key: eight bytes a step, the length mixed in.
#[inline(always)]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut state = (bytes.len() as u64).wrapping_mul(SEED);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        state = (state.rotate_left(5) ^ word(chunk, 0)).wrapping_mul(SEED);
    }
    if !chunks.remainder().is_empty() {
        // The last eight bytes, overlapping the words before, or the whole of a short key: read
        // with fixed-size loads (a copy of a variable length is a call to `memcpy`).
        let n = bytes.len();
        let last = if n >= 8 {
            word(bytes, n - 8)
        } else if n >= 4 {
            (u64::from(half(bytes, n - 4)) << 32) | u64::from(half(bytes, 0))
        } else {
            bytes
                .iter()
                .enumerate()
                .fold(0, |value, (i, &b)| value | (u64::from(b) << (8 * i)))
        };
        state = (state.rotate_left(5) ^ last).wrapping_mul(SEED);
    }
    // Mix the high bits down: the table takes its tags from the top bits.
    state ^ (state >> 29)
}

#[inline(always)]
fn word(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0_u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

#[inline(always)]
fn half(bytes: &[u8], at: usize) -> u32 {
    let mut half = [0_u8; 4];
    half.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(half)
}

/// Whether two byte strings are equal, eight bytes at a time (the last word overlapping).
#[inline(always)]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 <= n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// Byte-string keys to values.
#[derive(Debug)]
pub struct ByteMap<V> {
    table: HashTable<(u64, Box<[u8]>, V)>,
}

impl<V> Default for ByteMap<V> {
    fn default() -> ByteMap<V> {
        ByteMap {
            table: HashTable::new(),
        }
    }
}

impl<V> ByteMap<V> {
    /// The value for `key` (`None` when it was never inserted).
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        let hash = hash_bytes(key);
        self.table
            .find(hash, |(h, k, _)| *h == hash && same(k, key))
            .map(|(_, _, v)| v)
    }

    /// Sets `key` to `value` (replacing an earlier value).
    pub fn insert(&mut self, key: &[u8], value: V) {
        let hash = hash_bytes(key);
        match self
            .table
            .find_mut(hash, |(h, k, _)| *h == hash && same(k, key))
        {
            Some(entry) => entry.2 = value,
            None => {
                self.table
                    .insert_unique(hash, (hash, key.into(), value), |(h, _, _)| *h);
            }
        }
    }

    /// How many keys the map holds.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the map holds no key.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_agrees_with_slices_at_every_length() {
        for n in 0..40_usize {
            let a: Vec<u8> = (0..n).map(|i| (i * 31 + 7) as u8).collect();
            assert!(same(&a, &a.clone()));
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x80;
                assert!(!same(&a, &b), "{n} {at}");
            }
            let mut longer = a.clone();
            longer.push(0);
            assert!(!same(&a, &longer));
        }
    }

    #[test]
    fn every_byte_counts_in_the_hash() {
        for n in 1..40_usize {
            let a: Vec<u8> = (0..n).map(|i| (i * 31 + 7) as u8).collect();
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 1;
                assert_ne!(hash_bytes(&a), hash_bytes(&b), "{n} {at}");
            }
        }
    }

    #[test]
    fn keys_map_to_their_values() {
        let mut map = ByteMap::default();
        let keys: Vec<Vec<u8>> = (0..5000_u32)
            .map(|i| format!("Agency {i} PD").into_bytes())
            .collect();
        for (i, key) in keys.iter().enumerate() {
            map.insert(key, i);
        }
        map.insert(b"", 99_999);
        assert_eq!(map.len(), 5001);
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(map.get(key), Some(&i));
        }
        assert_eq!(map.get(b""), Some(&99_999));
        assert_eq!(map.get(b"Agency 5000 PD"), None);
        assert_eq!(map.get(b"agency 1 PD"), None);
        map.insert(b"Agency 1 PD", 7);
        assert_eq!(map.get(b"Agency 1 PD"), Some(&7));
        assert_eq!(map.len(), 5001);
    }
}
