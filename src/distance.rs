//! Edit distance for typo tolerance: Levenshtein over chars, cut off at a bound.

use crate::index::{letter_set, pair_set, Lexicon};

/// How many edits a word of `len` chars may have and still be taken for another:
/// none below four letters (too many short words are one edit apart), one from four,
/// two from eight.
pub(crate) fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The Levenshtein distance between `a` and `b` if it is at most `max`, else `None`.
/// Runs in O(len × (2·max + 1)) by filling only the diagonal band that can stay within `max`.
pub(crate) fn within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    if a == b {
        return Some(0);
    }
    let big = max + 1;
    let mut previous: Vec<usize> = (0..=b.len()).map(|j| j.min(big)).collect();
    let mut current = vec![big; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(max).max(1);
        let hi = (row + max).min(b.len());
        current.fill(big);
        current[0] = row.min(big);
        let mut row_min = current[0];
        for j in lo..=hi {
            let substitution = previous[j - 1] + usize::from(ca != b[j - 1]);
            let deletion = previous[j] + 1;
            let insertion = current[j - 1] + 1;
            let cost = substitution.min(deletion).min(insertion).min(big);
            current[j] = cost;
            row_min = row_min.min(cost);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= max).then_some(distance)
}

/// Indices into `lexicon.words` of the words within `max` edits of `typed`, with their
/// distance, by increasing length then in lexicon order.
///
/// Only words of a length within `max` of the typed one are looked at, and of those only the
/// ones whose letter and pair sets pass the filters of [`crate::index::Spelling`]; their
/// distance is then computed bit-parallel, without allocating.
pub(crate) fn close_words(lexicon: &Lexicon, typed: &[char], max: usize) -> Vec<(usize, usize)> {
    let typed_letters = letter_set(typed.iter().copied());
    let typed_pairs = pair_set(typed.iter().copied());
    let pattern = Pattern::new(typed);
    let mut candidate: Vec<char> = Vec::new();
    let mut out = Vec::new();
    for len in typed.len().saturating_sub(max)..=typed.len() + max {
        for spelling in lexicon.by_len.get(len).map(Vec::as_slice).unwrap_or(&[]) {
            if (spelling.letters ^ typed_letters).count_ones() as usize > 2 * max
                || (spelling.pairs & !typed_pairs).count_ones() as usize > 2 * max
                || (typed_pairs & !spelling.pairs).count_ones() as usize > 2 * max
            {
                continue;
            }
            let i = spelling.word as usize;
            let word = &*lexicon.words[i].0;
            let distance = match &pattern {
                Some(pattern) => Some(pattern.distance(word)).filter(|&d| d <= max),
                None => {
                    candidate.clear();
                    candidate.extend(word.chars());
                    within(typed, &candidate, max)
                }
            };
            if let Some(d) = distance {
                out.push((i, d));
            }
        }
    }
    out
}

/// A word of 1 to 64 chars prepared for Myers' bit-parallel edit distance (in Hyyrö's
/// formulation): one bit per char of the word, so each char of the other word costs a few
/// integer operations, whatever the lengths.
pub(crate) struct Pattern<'a> {
    /// Per ASCII char, the bits of the positions where the word has it.
    ascii: [u64; 128],
    /// The word, for the positions of other chars.
    word: &'a [char],
    last: u64,
}

impl<'a> Pattern<'a> {
    /// `None` for an empty word or one longer than 64 chars.
    pub(crate) fn new(word: &'a [char]) -> Option<Pattern<'a>> {
        if word.is_empty() || word.len() > 64 {
            return None;
        }
        let mut ascii = [0; 128];
        for (k, &c) in word.iter().enumerate() {
            if let Some(slot) = ascii.get_mut(c as usize) {
                *slot |= 1 << k;
            }
        }
        Some(Pattern {
            ascii,
            word,
            last: 1 << (word.len() - 1),
        })
    }

    fn positions(&self, c: char) -> u64 {
        match self.ascii.get(c as usize) {
            Some(&bits) => bits,
            None => self
                .word
                .iter()
                .enumerate()
                .filter(|&(_, &w)| w == c)
                .fold(0, |bits, (k, _)| bits | 1 << k),
        }
    }

    /// The Levenshtein distance between the pattern and `word`, over chars.
    pub(crate) fn distance(&self, word: &str) -> usize {
        // Vertical deltas (+1 or −1) of the current column of the distance matrix, as bits.
        let mut plus_v = !0u64;
        let mut minus_v = 0u64;
        let mut score = self.word.len();
        for c in word.chars() {
            let eq = self.positions(c);
            let x_v = eq | minus_v;
            let x_h = ((eq & plus_v).wrapping_add(plus_v) ^ plus_v) | eq;
            let mut plus_h = minus_v | !(x_h | plus_v);
            let mut minus_h = plus_v & x_h;
            if plus_h & self.last != 0 {
                score += 1;
            } else if minus_h & self.last != 0 {
                score -= 1;
            }
            // The first row of the matrix grows by one per char: a +1 enters at the top.
            plus_h = plus_h << 1 | 1;
            minus_h <<= 1;
            plus_v = minus_h | !(x_v | plus_h);
            minus_v = plus_h & x_v;
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str, max: usize) -> Option<usize> {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        within(&a, &b, max)
    }

    #[test]
    fn distances() {
        let rows = [
            ("identical", "same", "same", 2, Some(0)),
            ("substitution", "revolution", "revolutoon", 2, Some(1)),
            (
                "transposition is two",
                "revolution",
                "revolutoin",
                2,
                Some(2),
            ),
            ("insertion", "soviet", "sovviet", 1, Some(1)),
            ("deletion", "blanquism", "blanqism", 1, Some(1)),
            ("beyond bound", "state", "stage", 0, None),
            ("length gap", "a", "abcd", 2, None),
            ("empty", "", "ab", 2, Some(2)),
            ("unicode", "vendôme", "vendome", 1, Some(1)),
        ];
        for (name, a, b, max, expected) in rows.iter().map(|r| (r.0, r.1, r.2, r.3, r.4)) {
            assert_eq!(d(a, b, max), expected, "{name}");
        }
    }

    /// Every word's distance, the slow way.
    fn levenshtein(a: &[char], b: &[char]) -> usize {
        within(a, b, a.len().max(b.len())).unwrap()
    }

    #[test]
    fn pattern_distances_are_levenshtein() {
        let alphabet: Vec<char> = "abcdeéöсж京".chars().collect();
        let mut x = 0x9e37_79b9_u32;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as usize % n
        };
        for round in 0..3000 {
            let long = round % 10 == 0;
            let la = 1 + next(if long { 64 } else { 12 });
            let lb = next(if long { 70 } else { 14 });
            let a: Vec<char> = (0..la).map(|_| alphabet[next(alphabet.len())]).collect();
            let b: Vec<char> = (0..lb).map(|_| alphabet[next(alphabet.len())]).collect();
            let pattern = Pattern::new(&a).unwrap();
            let b_text: String = b.iter().collect();
            assert_eq!(
                pattern.distance(&b_text),
                levenshtein(&a, &b),
                "{a:?} {b:?}"
            );
        }
        assert!(Pattern::new(&[]).is_none());
        assert!(Pattern::new(&['a'; 65]).is_none());
    }

    #[test]
    fn close_words_are_exactly_those_within_the_bound() {
        use crate::{Article, Index, Language};
        let text = "state states stated statement stage stake sate tate estate soviet soviets \
            sovietism revolution revolutions evolution vendôme vendome vendőme über uber ubers \
            café cafe caffè straße strase łódź lodz þing ærø москва москве масква мосты αθήνα αθηνα αθήναι 東京 東京都 京都 a ab \
            zzzzzzzz aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let mut index = Index::new(Language::ENGLISH);
        index
            .add_article(&Article {
                id: "a".into(),
                text: Some(text.into()),
                ..Article::default()
            })
            .unwrap();
        let lexicon = index.lexicon();
        let rows: [(&str, usize, &[&str]); 16] = [
            (
                "state",
                1,
                &[
                    "sate", "tate", "stage", "stake", "state", "estate", "stated", "states",
                ],
            ),
            ("stat", 0, &[]),
            ("sovet", 1, &["soviet"]),
            ("revolutoin", 2, &["revolution"]),
            ("vendome", 1, &["vendome"]),
            ("uber", 1, &["uber", "ubers"]),
            ("cafe", 2, &["cafe", "sate", "tate", "caffe"]),
            ("lodz", 1, &["lodz", "łodz"]),
            ("łodź", 1, &["łodz"]),
            ("ærøe", 1, &["ærø"]),
            ("þinq", 1, &["þing"]),
            ("москва", 1, &["масква", "москва", "москве"]),
            ("αθηνα", 2, &["αθηνα", "αθηναι"]),
            ("東京", 1, &["京", "東"]),
            ("zzzz", 2, &[]),
            (
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
                2,
                &["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
            ),
        ];
        for (typed, max, expected) in rows {
            let typed: Vec<char> = typed.chars().collect();
            let found = close_words(lexicon, &typed, max);
            let words: Vec<&str> = found.iter().map(|&(i, _)| &*lexicon.words[i].0).collect();
            // Longer ones later, like the old scan of length buckets.
            let lengths: Vec<usize> = words.iter().map(|w| w.chars().count()).collect();
            assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{typed:?}");
            assert_eq!(words, expected, "{typed:?} within {max}");
            // Exactly the words within the bound, with their distances.
            let mut brute: Vec<(usize, usize)> = lexicon
                .words
                .iter()
                .enumerate()
                .filter_map(|(i, (w, _))| {
                    let w: Vec<char> = w.chars().collect();
                    within(&typed, &w, max).map(|d| (i, d))
                })
                .collect();
            let mut sorted = found.clone();
            sorted.sort_unstable();
            brute.sort_unstable();
            assert_eq!(sorted, brute, "{typed:?} within {max}");
        }
    }

    /// The letter and pair filters only skip words beyond the bound: over random vocabularies
    /// of a few letters (so that near spellings abound, repeated letters and pairs too),
    /// every word within the bound is found, for one and two edits.
    #[test]
    fn filters_skip_no_close_word() {
        use crate::{Article, Index, Language};
        let alphabet: Vec<char> = "abcdeсжд".chars().collect();
        let mut x = 0x2545_f491_u32;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as usize % n
        };
        let word = |next: &mut dyn FnMut(usize) -> usize| -> String {
            let len = 1 + next(11);
            (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
        };
        for round in 0..40 {
            let text: Vec<String> = (0..300).map(|_| word(&mut next)).collect();
            let mut index = Index::new(Language::ENGLISH);
            index
                .add_article(&Article {
                    id: "a".into(),
                    text: Some(text.join(" ")),
                    ..Article::default()
                })
                .unwrap();
            let lexicon = index.lexicon();
            for _ in 0..25 {
                let typed: Vec<char> = word(&mut next).chars().collect();
                let max = 1 + next(2);
                let mut found = close_words(lexicon, &typed, max);
                found.sort_unstable();
                let brute: Vec<(usize, usize)> = (lexicon.words.iter().enumerate())
                    .filter_map(|(i, (w, _))| {
                        let w: Vec<char> = w.chars().collect();
                        within(&typed, &w, max).map(|d| (i, d))
                    })
                    .collect();
                assert_eq!(found, brute, "round {round}: {typed:?} within {max}");
            }
        }
    }

    #[test]
    fn allowed_edits_grow_with_length() {
        assert_eq!(allowed_edits(3), 0);
        assert_eq!(allowed_edits(4), 1);
        assert_eq!(allowed_edits(8), 2);
    }
}
