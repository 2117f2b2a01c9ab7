//! A fast, non-cryptographic hasher for the analysis's caches (issue 7): the keys are the
//! snapshot's own addresses, IDs and prefix sets, never attacker-chosen at a scale where
//! flooding matters, and SipHash over them was a visible share of the analysis. The mixing
//! step is FxHash's (rustc's): rotate, xor the next word, multiply by a fixed odd constant.
//! The caches are only looked up, never iterated, so the hasher cannot change any output.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A `HashMap` with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A `HashSet` with [`FxHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            if let Some(head) = word.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// How many answers a per-thread cache holds before it forgets them all and starts again (see
/// [`Answers`]; the other caches of the analysis call [`MakeRoom::make_room`]).
pub(crate) const LIMIT: usize = 1 << 15;

/// A per-thread cache held to [`LIMIT`] answers.
pub(crate) trait MakeRoom {
    /// Called before a new answer is added: once the cache holds [`LIMIT`], it forgets them all.
    fn make_room(&mut self);
}

impl<K, V, S> MakeRoom for HashMap<K, V, S> {
    fn make_room(&mut self) {
        if self.len() >= LIMIT {
            self.clear();
        }
    }
}

impl<K, S> MakeRoom for HashSet<K, S> {
    fn make_room(&mut self) {
        if self.len() >= LIMIT {
            self.clear();
        }
    }
}

/// Answers remembered per thread, looked up by a cheap key and then a question borrowed from
/// the caller (no copy of it is made to look up), holding at most [`LIMIT`] of them:
/// when full, all are forgotten and the cache starts again. Most answers are only asked again
/// by the pairs of the same VPC, which are analysed one after the other, so a bound keeps the
/// cache's memory constant however large the estate (issue 7) at the cost of working out a
/// few shared answers again.
#[derive(Debug)]
pub(crate) struct Answers<K, Q, V> {
    map: FastMap<K, FastMap<Q, V>>,
    len: usize,
}

impl<K, Q, V> Default for Answers<K, Q, V> {
    fn default() -> Self {
        Self { map: FastMap::default(), len: 0 }
    }
}

impl<K: Hash + Eq, Q: Hash + Eq, V: Clone> Answers<K, Q, V> {
    pub(crate) fn get<R: ?Sized + Hash + Eq>(&self, key: &K, question: &R) -> Option<V>
    where
        Q: std::borrow::Borrow<R>,
    {
        self.map.get(key).and_then(|answers| answers.get(question)).cloned()
    }

    pub(crate) fn insert(&mut self, key: K, question: Q, answer: V) {
        // Only called after a miss, but an answer given again must not empty the cache.
        let known = self.map.get(&key).is_some_and(|answers| answers.contains_key(&question));
        if !known && self.len >= LIMIT {
            self.clear();
        }
        if self.map.entry(key).or_default().insert(question, answer).is_none() {
            self.len += 1;
        }
    }

    pub(crate) fn clear(&mut self) {
        self.map.clear();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(bytes: &[u8]) -> u64 {
        let mut h = FxHasher::default();
        h.write(bytes);
        h.finish()
    }

    #[test]
    fn different_keys_hash_differently_and_equal_keys_equally() {
        assert_eq!(hash(b"subnet-0048b0c5221b3b348"), hash(b"subnet-0048b0c5221b3b348"));
        assert_ne!(hash(b"subnet-0048b0c5221b3b348"), hash(b"subnet-0048b0c5221b3b349"));
        // A shorter tail is not the same as a tail of zero bytes.
        assert_ne!(hash(b"abc"), hash(b"abc\0"));
        let mut map: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            map.insert(format!("rtb-{i:017x}"), i);
        }
        assert!((0..1000).all(|i| map.get(&format!("rtb-{i:017x}")) == Some(&i)));
    }

    #[test]
    fn answers_are_forgotten_when_the_cache_is_full() {
        let mut answers: Answers<usize, String, usize> = Answers::default();
        for i in 0..LIMIT {
            answers.insert(i % 7, i.to_string(), i);
        }
        // Asked again: still one answer each.
        answers.insert(3, "3".to_owned(), 3);
        assert_eq!(answers.len, LIMIT);
        assert_eq!(answers.get(&5, "5"), Some(5));
        answers.insert(0, "new".to_owned(), 1);
        assert_eq!(answers.len, 1);
        assert_eq!(answers.get(&5, "5"), None);
        assert_eq!(answers.get(&0, "new"), Some(1));

        let mut texts: FastSet<usize> = (0..LIMIT - 1).collect();
        texts.make_room();
        assert_eq!(texts.len(), LIMIT - 1, "room is made only when full");
        texts.insert(LIMIT);
        texts.make_room();
        assert!(texts.is_empty());
    }
}
