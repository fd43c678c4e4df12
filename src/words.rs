//! Word segmentation: the UAX #29 word segments that hold a letter or digit, found faster.
//!
//! UAX #29 always breaks before ASCII white space, and a stretch between white space made of
//! ASCII, Latin-1 and Latin Extended-A letters and common punctuation (curly quotes, dashes)
//! needs only a few of its rules: letters and digits join; `'`, `’`, `.`, `:` and `·` join
//! letters; `'`, `’`, `.`, `,` and `;` join digits; `_` joins any of them. Those stretches
//! (most of an article in a Latin script) are split here without UAX #29's table look-ups per
//! character; any other stretch goes to [`crate::word_break`]. The property tests below check
//! the two agree with unicode-segmentation on random text.

use crate::word_break::{self, segments, Segments};

/// The word segments of `text`, with their byte offsets, in order.
pub(crate) fn words(text: &str) -> Words<'_> {
    Words {
        text,
        at: 0,
        chunk: Chunk::Done,
    }
}

pub(crate) struct Words<'a> {
    text: &'a str,
    at: usize,
    chunk: Chunk<'a>,
}

/// The stretch between white space being split, and how.
enum Chunk<'a> {
    Done,
    Simple(SimpleWords<'a>),
    Unicode(usize, Segments<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            match &mut self.chunk {
                Chunk::Done => {}
                Chunk::Simple(words) => {
                    if let Some(word) = words.next() {
                        return Some(word);
                    }
                }
                Chunk::Unicode(base, segments) => {
                    if let Some((i, s)) =
                        segments.find(|(_, s)| s.chars().any(word_break::is_alphanumeric))
                    {
                        return Some((*base + i, s));
                    }
                }
            }
            let bytes = self.text.as_bytes();
            let space_start = self.at;
            while self.at < bytes.len() && is_space(bytes[self.at]) {
                self.at += 1;
            }
            if self.at >= bytes.len() {
                self.chunk = Chunk::Done;
                return None;
            }
            let start = self.at;
            while self.at < bytes.len() && !is_space(bytes[self.at]) {
                self.at += 1;
            }
            let chunk = &self.text[start..self.at];
            let simple = chunk.is_ascii() || chunk.chars().all(|c| class(c) != Class::Unknown);
            self.chunk = if simple {
                Chunk::Simple(SimpleWords {
                    chunk,
                    base: start,
                    at: 0,
                })
            } else {
                // With the white space before it: a combining mark there joins the space, and
                // UAX #29 must see that to place the segment where it does in the whole text.
                Chunk::Unicode(space_start, segments(&self.text[space_start..self.at]))
            };
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// What UAX #29 makes of a character, for the characters the fast path knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// Joins letters (MidLetter).
    MidLetter,
    /// Joins digits (MidNum).
    MidNum,
    /// Joins letters or digits (MidNumLet, Single_Quote).
    MidBoth,
    /// Joins anything word-like on either side (ExtendNumLet).
    Underscore,
    /// Breaks on both sides.
    Other,
    /// Not handled here.
    Unknown,
}

const fn class(c: char) -> Class {
    match c {
        'a'..='z' | 'A'..='Z' => Class::Letter,
        '0'..='9' => Class::Digit,
        ':' | '\u{B7}' => Class::MidLetter,
        ',' | ';' => Class::MidNum,
        '.' | '\'' | '\u{2018}' | '\u{2019}' | '\u{2024}' => Class::MidBoth,
        '_' => Class::Underscore,
        '\u{AA}' | '\u{B5}' | '\u{BA}' => Class::Letter,
        '\u{C0}'..='\u{17F}' if c != '\u{D7}' && c != '\u{F7}' => Class::Letter,
        '!'..='~' => Class::Other,
        '\u{A0}' | '\u{AB}' | '\u{BB}' | '\u{A1}' | '\u{BF}' | '\u{2013}' | '\u{2014}'
        | '\u{201C}' | '\u{201D}' | '\u{2026}' => Class::Other,
        _ => Class::Unknown,
    }
}

/// `class` of every ASCII character, looked up rather than matched: most characters are ASCII.
const ASCII_CLASSES: [Class; 128] = {
    let mut table = [Class::Unknown; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = class(b as u8 as char);
        b += 1;
    }
    table
};

/// The words of a chunk without white space whose characters all have a known class.
struct SimpleWords<'a> {
    chunk: &'a str,
    base: usize,
    at: usize,
}

impl SimpleWords<'_> {
    /// The class and byte length of the character at `i`, if any.
    fn at(&self, i: usize) -> Option<(Class, usize)> {
        let b = *self.chunk.as_bytes().get(i)?;
        if b.is_ascii() {
            return Some((ASCII_CLASSES[usize::from(b)], 1));
        }
        let c = self.chunk.get(i..)?.chars().next()?;
        Some((class(c), c.len_utf8()))
    }
}

fn wordlike(k: Class) -> bool {
    matches!(k, Class::Letter | Class::Digit | Class::Underscore)
}

impl<'a> Iterator for SimpleWords<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            let (mut prev, first_len) = loop {
                let (k, len) = self.at(self.at)?;
                if wordlike(k) {
                    break (k, len);
                }
                self.at += len;
            };
            let start = self.at;
            let mut i = start + first_len;
            while let Some((k, len)) = self.at(i) {
                if wordlike(k) {
                    prev = k;
                    i += len;
                    continue;
                }
                // A middle character joins when the same kind of character is on both sides.
                let next = self.at(i + len).map_or(Class::Other, |(k, _)| k);
                let letters = prev == Class::Letter
                    && next == Class::Letter
                    && matches!(k, Class::MidLetter | Class::MidBoth);
                let digits = prev == Class::Digit
                    && next == Class::Digit
                    && matches!(k, Class::MidNum | Class::MidBoth);
                if !(letters || digits) {
                    break;
                }
                i += len;
            }
            self.at = i;
            let word = &self.chunk[start..i];
            // A run of underscores alone is a segment, but not a word.
            if word.bytes().any(|c| c != b'_') {
                return Some((self.base + start, word));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// unicode-segmentation's segments, kept as `words` keeps them: with an alphanumeric
    /// character, by our table (which `word_break`'s tests check against the standard
    /// library's, on a toolchain of the same Unicode version).
    fn reference(text: &str) -> Vec<(usize, &str)> {
        text.split_word_bound_indices()
            .filter(|(_, s)| s.chars().any(word_break::is_alphanumeric))
            .collect()
    }

    #[test]
    fn agrees_with_uax29_on_the_cases_that_matter() {
        let rows = [
            ("plain", "The dual power of 1917."),
            ("apostrophes", "Lenin's don't 'quoted' rock'n'roll"),
            ("curly apostrophe", "Lenin’s workers’ state"),
            (
                "decimals and lists",
                "3.14 1,000,000 2;3 4'5 a.b a:b 1:2 U.S.A. e.g.",
            ),
            ("underscores", "snake_case _lead trail_ __ a__b 1_2"),
            ("hyphens and dashes", "well-known – so—called ‑"),
            ("punctuation runs", "...?!;; (a) [b] {c} \"d\""),
            ("accents", "Vendôme café naïve Łódź ÀÖØöøÿ ×÷"),
            (
                "Latin punctuation",
                "«Ça» ¿qué? l’État l‘a 1’000 a·b … “x” 3–4 — ½ ²",
            ),
            ("combining mark after space", "a \u{301}b c"),
            ("emoji and CJK", "🚩 red 👩‍👩‍👧 民主主义 ok"),
            ("newlines", "one\r\ntwo\nthree\tfour"),
        ];
        for (name, text) in rows {
            assert_eq!(words(text).collect::<Vec<_>>(), reference(text), "{name}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn agrees_with_uax29_on_random_text(text in "[a-zA-Z0-9 _.,;:'\"!?()\\-\n\t\r’‘“”–—…«»·×é\u{a0}\u{ad}\u{301}🚩民]{0,40}") {
                prop_assert_eq!(words(&text).collect::<Vec<_>>(), reference(&text));
            }

            #[test]
            fn agrees_with_uax29_on_any_text(text in any::<String>()) {
                prop_assert_eq!(words(&text).collect::<Vec<_>>(), reference(&text));
            }
        }
    }
}
