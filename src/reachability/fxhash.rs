//! A fast, non-cryptographic hasher for the analysis's caches (issue 7): the keys are the
//! snapshot's own addresses, IDs and prefix sets, never attacker-chosen at a scale where
//! flooding matters, and SipHash over them was a visible share of the analysis. The mixing
//! step is FxHash's (rustc's): rotate, xor the next word, multiply by a fixed odd constant.
//! The caches are only looked up, never iterated, so the hasher cannot change any output.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

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
}
