//! A table from short word segments to numbers, keyed by the segments' own bytes: the
//! tokenizer's and the annotator's caches of what they made of each distinct word.

use crate::tokenize::ascii_lowercase;

/// Word segment as the text has it (before normalisation, but for the case of ASCII letters)
/// → a number its owner keeps for it: the annotator a symbol of the word's stem, the
/// tokenizer its word-cache entry.
///
/// An open-addressing table whose keys are the segments themselves, up to
/// [`WordTable::LONGEST`] bytes with their length, held in two integers: all but a few in
/// ten thousand of an English text's words. A look-up hashes and compares those integers, in
/// one slot with the number, and remembering a word allocates nothing. On the bench's 500
/// articles, a `HashMap` of boxed strings spent a third of annotate()'s time in hashing,
/// probing and comparing. Longer segments are for the owner to work out afresh each time.
#[derive(Clone, Debug, Default)]
pub(crate) struct WordTable {
    /// A power of two long, or empty; a free slot's key is `[0, 0]` (a key's length is never 0).
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: [u64; 2],
    value: u32,
}

impl WordTable {
    pub(crate) const LONGEST: usize = 15;
    const FIRST_SLOTS: usize = 1 << 10;
    /// At most three quarters full: 49,152 words in 1.5 MB, more than the 44,484 distinct
    /// words of the bench's 500 Brown articles. Past that it starts over. A larger table
    /// falls out of the processor's second-level cache, and its look-ups wait on memory.
    pub(crate) const MOST_SLOTS: usize = 1 << 16;
    /// A key not found within this many slots of its own is not there, nor remembered: a
    /// text whose words were chosen to collide costs stemming, never a long probe.
    const PROBES: usize = 32;

    // key, probes and get run once per word of every text. With two callers (annotating and
    // tokenizing) opt-level "z" stopped inlining them, as it had into the one caller before:
    // annotate() then made two calls a word, and ran a few per cent slower in the browser.

    /// The key of the segment `text[start..end]`. ASCII capitals are lowered (normalising
    /// lowers them whatever the language), so "The" and "the" are one word here.
    #[inline(always)]
    pub(crate) fn key(text: &str, start: usize, end: usize) -> Option<[u64; 2]> {
        let len = end.checked_sub(start).filter(|&len| len <= Self::LONGEST)?;
        // Sixteen bytes from the segment's start, past its end when the text goes on (the
        // usual case: one load each and a mask), else copied into zeros.
        let mut window = [0u8; 16];
        let bytes = match text.as_bytes().get(start..start + 16) {
            Some(bytes) => bytes,
            None => {
                window[..len].copy_from_slice(text.as_bytes().get(start..end)?);
                &window
            }
        };
        let (low, high) = bytes.split_at(8);
        let low = u64::from_le_bytes(low.try_into().ok()?);
        let high = u64::from_le_bytes(high.try_into().ok()?);
        // The length goes in the last byte, which a segment of 15 bytes or less never fills.
        let bits = 8 * len as u32;
        Some([
            ascii_lowercase(low)
                & u64::MAX
                    .checked_shr(64u32.saturating_sub(bits))
                    .unwrap_or(0),
            ascii_lowercase(high)
                & u64::MAX
                    .checked_shr(128u32.saturating_sub(bits))
                    .unwrap_or(0)
                | (len as u64) << 56,
        ])
    }

    /// The slots `key` may be in, in probing order.
    #[inline(always)]
    fn probes(&self, key: [u64; 2]) -> impl Iterator<Item = usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let hash = (key[0].wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ key[1])
            .wrapping_mul(0xD6E8_FEB8_6659_FD93);
        let first = (hash >> 32) as usize;
        (0..Self::PROBES.min(self.slots.len())).map(move |i| first.wrapping_add(i) & mask)
    }

    #[inline(always)]
    pub(crate) fn get(&self, key: [u64; 2]) -> Option<u32> {
        for i in self.probes(key) {
            let slot = self.slots[i];
            // Compared as two integers: `==` on arrays becomes a memcmp call.
            if slot.key[0] == key[0] && slot.key[1] == key[1] {
                return Some(slot.value);
            }
            if slot.key[1] == 0 {
                return None;
            }
        }
        None
    }

    pub(crate) fn insert(&mut self, key: [u64; 2], value: u32) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        if let Some(free) = self.probes(key).find(|&i| self.slots[i].key[1] == 0) {
            self.slots[free] = Slot { key, value };
            self.len += 1;
        }
    }

    /// Twice the slots, with the words moved over; at the most, empty slots instead.
    #[cold]
    fn grow(&mut self) {
        let slots = (self.slots.len() * 2).clamp(Self::FIRST_SLOTS, Self::MOST_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); slots]);
        self.len = 0;
        if old.len() < Self::MOST_SLOTS {
            for word in old.into_iter().filter(|word| word.key[1] != 0) {
                self.insert(word.key, word.value);
            }
        }
    }
}

#[cfg(test)]
impl WordTable {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn slot_count(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_words() {
        struct Row {
            name: &'static str,
            a: (&'static str, usize, usize),
            b: (&'static str, usize, usize),
            same: bool,
        }
        let rows = [
            Row {
                name: "ASCII case is one word",
                a: ("The state", 0, 3),
                b: ("and the", 4, 7),
                same: true,
            },
            Row {
                name: "at the text's end, as in the middle",
                a: ("statelessness", 0, 5),
                b: ("a state", 2, 7),
                same: true,
            },
            Row {
                name: "fifteen bytes, read past the end or not",
                a: ("revolutionaries of 1848", 0, 15),
                b: ("revolutionaries", 0, 15),
                same: true,
            },
            Row {
                name: "a prefix is another word",
                a: ("state", 0, 5),
                b: ("stat", 0, 4),
                same: false,
            },
            Row {
                name: "past the first eight bytes",
                a: ("proletarian", 0, 11),
                b: ("proletariat", 0, 11),
                same: false,
            },
            Row {
                name: "other capitals are kept",
                a: ("ÉTAT", 0, 5),
                b: ("état", 0, 5),
                same: false,
            },
            Row {
                name: "lowering stops at letters",
                a: ("a@b", 0, 3),
                b: ("a`b", 0, 3),
                same: false,
            },
        ];
        for row in rows {
            let a = WordTable::key(row.a.0, row.a.1, row.a.2).unwrap();
            let b = WordTable::key(row.b.0, row.b.1, row.b.2).unwrap();
            assert_eq!(a == b, row.same, "{}", row.name);
        }
        assert_eq!(WordTable::key("counterrevolution", 0, 17), None);
    }

    #[test]
    fn remembers_what_it_holds() {
        let mut cache = WordTable::default();
        let words: Vec<String> = (0..WordTable::MOST_SLOTS * 3 / 4)
            .map(|i| format!("w{i}"))
            .collect();
        let key = |w: &String| WordTable::key(w, 0, w.len()).unwrap();
        for (i, w) in words.iter().enumerate() {
            cache.insert(key(w), i as u32);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(cache.get(key(w)), Some(i as u32), "{w}");
        }
        assert_eq!(cache.get(key(&"x".to_owned())), None);
        // Full: the next word starts it over.
        cache.insert(key(&"x".to_owned()), 7);
        assert_eq!(cache.get(key(&"x".to_owned())), Some(7));
        assert_eq!(cache.get(key(&words[0])), None);
    }
}
