//! UAX #29 word boundaries, forward only, for the text [`crate::words`] cannot split itself.
//!
//! The rules are the standard's (Unicode 17), one expression each in [`Segments::joins`]; the
//! word-break property comes from a table of runs (`word_break_table.rs`, generated), decoded
//! once. unicode-segmentation did this job before; its tables and its two-way state machine
//! cost 8.6 kB of the wasm gzipped, this module 3.3 kB. Its answers are the
//! reference in the tests, with Unicode's own conformance cases, except where a ZWJ is
//! followed by a pictograph: there it departs from the standard (see the tests) and this
//! module does not.

use crate::index::running_sums;
use crate::word_break_table::{RUN_PROPERTIES, RUN_STARTS};
use std::sync::OnceLock;

/// A character's Word_Break property value, numbered as the table numbers them
/// (`CATEGORIES` in scripts/gen-word-break-table.py).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Category(u8);

impl Category {
    /// Extend, Format and ZWJ: rule WB4 joins them to the character before them.
    fn vanishes(self) -> bool {
        matches!(self, EXTEND | FORMAT | ZWJ)
    }
}

// The categories, by name.
const ANY: Category = Category(0);
const A_LETTER: Category = Category(1);
const CR: Category = Category(2);
const DOUBLE_QUOTE: Category = Category(3);
const EXTEND: Category = Category(4);
const EXTEND_NUM_LET: Category = Category(5);
const FORMAT: Category = Category(6);
const HEBREW_LETTER: Category = Category(7);
const KATAKANA: Category = Category(8);
const LF: Category = Category(9);
const MID_LETTER: Category = Category(10);
const MID_NUM: Category = Category(11);
const MID_NUM_LET: Category = Category(12);
const NEWLINE: Category = Category(13);
const NUMERIC: Category = Category(14);
const REGIONAL_INDICATOR: Category = Category(15);
const SINGLE_QUOTE: Category = Category(16);
const W_SEG_SPACE: Category = Category(17);
const ZWJ: Category = Category(18);

/// A character's properties as the table stores them: a category, whether it is
/// Extended_Pictographic (rule WB3c), and whether it is alphanumeric (no word-break rule:
/// see [`is_alphanumeric`]).
#[derive(Clone, Copy)]
struct Properties(u8);

const PICTOGRAPHIC: u8 = 0x20;
const ALPHANUMERIC: u8 = 0x40;

impl Properties {
    fn category(self) -> Category {
        Category(self.0 & 0x1F)
    }

    fn pictographic(self) -> bool {
        self.0 & PICTOGRAPHIC != 0
    }

    fn alphanumeric(self) -> bool {
        self.0 & ALPHANUMERIC != 0
    }
}

/// Whether `c` is alphanumeric, as [`char::is_alphanumeric`] says (the table is generated from
/// it), but from this module's table: the standard library's own Alphabetic and Numeric
/// tables cost the English wasm 1.6 kB (gzip -9, a build with ASCII-only checks in their
/// place: 68,078 → 66,467 B); this bit and `tokenize::is_lowercase` together took 1.73 kB off
/// (→ 66,348 B).
pub(crate) fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    LastRun(0, 0, 0).properties(c).alphanumeric()
}

/// The table's runs, each `start << 8 | properties`, in order; the first starts at 0.
fn runs() -> &'static [u32] {
    static RUNS: OnceLock<Vec<u32>> = OnceLock::new();
    RUNS.get_or_init(|| {
        running_sums(&RUN_STARTS)
            .zip(RUN_PROPERTIES)
            .map(|(start, properties)| start << 8 | u32::from(properties))
            .collect()
    })
}

/// The segments of `text` between UAX #29 word boundaries, with their byte offsets: the
/// same as unicode-segmentation's `split_word_bound_indices`, but for the ZWJ cases above.
pub(crate) fn segments(text: &str) -> Segments<'_> {
    Segments {
        text,
        at: 0,
        raw: ANY,
        last: ANY,
        second: ANY,
        odd_regional: false,
        run: LastRun(0, 0, 0),
    }
}

pub(crate) struct Segments<'a> {
    text: &'a str,
    at: usize,
    /// The character before the one being placed, as it is (rules WB3 to WB3d).
    raw: Category,
    /// The last character that rule WB4 leaves (it joins Extend, Format and ZWJ characters
    /// to the one before), and the one before it: rules WB5 to WB16 see only those.
    last: Category,
    second: Category,
    /// Whether `last` ends an odd number of Regional_Indicators in a row (WB15, WB16).
    odd_regional: bool,
    run: LastRun,
}

/// The run of the last character looked up, `(start, end, properties)`: a script's letters
/// are mostly in one run, and this spares a binary search per character.
#[derive(Clone, Copy)]
struct LastRun(u32, u32, u8);

impl LastRun {
    fn properties(&mut self, c: char) -> Properties {
        let c = u32::from(c);
        if self.0 <= c && c < self.1 {
            return Properties(self.2);
        }
        let runs = runs();
        let i = runs.partition_point(|&run| run >> 8 <= c);
        let run = runs.get(i.wrapping_sub(1)).copied().unwrap_or(0);
        let end = runs.get(i).map_or(u32::MAX, |next| next >> 8);
        *self = LastRun(run >> 8, end, run as u8);
        Properties(run as u8)
    }
}

impl Segments<'_> {
    /// Whether no boundary falls before a character of these properties, given the ones
    /// before it and `next`, the category of the first character after it that WB4 leaves.
    fn joins(&self, properties: Properties, next: impl Fn() -> Category) -> bool {
        let cat = properties.category();
        match (self.raw, cat) {
            (CR, LF) => return true,                                         // WB3
            (CR | LF | NEWLINE, _) | (_, CR | LF | NEWLINE) => return false, // WB3a, WB3b
            (ZWJ, _) if properties.pictographic() => return true,            // WB3c
            (W_SEG_SPACE, W_SEG_SPACE) => return true,                       // WB3d
            (_, cat) if cat.vanishes() => return true,                       // WB4
            _ => {}
        }
        let (last, second) = (self.last, self.second);
        let letter = |c| matches!(c, A_LETTER | HEBREW_LETTER);
        let mid_letter = |c| matches!(c, MID_LETTER | MID_NUM_LET | SINGLE_QUOTE);
        let mid_num = |c| matches!(c, MID_NUM | MID_NUM_LET | SINGLE_QUOTE);
        let alphanumeric = |c| letter(c) || c == NUMERIC;
        (alphanumeric(last) && alphanumeric(cat)) // WB5, WB8, WB9, WB10
            || (letter(last) && mid_letter(cat) && letter(next())) // WB6
            || (letter(second) && mid_letter(last) && letter(cat)) // WB7
            || (last == HEBREW_LETTER && cat == SINGLE_QUOTE) // WB7a
            || (last == HEBREW_LETTER && cat == DOUBLE_QUOTE && next() == HEBREW_LETTER) // WB7b
            || (second == HEBREW_LETTER && last == DOUBLE_QUOTE && cat == HEBREW_LETTER) // WB7c
            || (second == NUMERIC && mid_num(last) && cat == NUMERIC) // WB11
            || (last == NUMERIC && mid_num(cat) && next() == NUMERIC) // WB12
            || (last == KATAKANA && cat == KATAKANA) // WB13
            || ((alphanumeric(last) || matches!(last, KATAKANA | EXTEND_NUM_LET))
                && cat == EXTEND_NUM_LET) // WB13a
            || (last == EXTEND_NUM_LET && (alphanumeric(cat) || cat == KATAKANA)) // WB13b
            // WB15, WB16
            || (last == REGIONAL_INDICATOR && cat == REGIONAL_INDICATOR && self.odd_regional)
    }

    /// Moves past a character.
    fn place(&mut self, properties: Properties) {
        let cat = properties.category();
        self.raw = cat;
        // WB4. (Not after the start of the text or a line break, but there no rule below
        // WB4 would see them.)
        if cat.vanishes() {
            return;
        }
        self.odd_regional =
            cat == REGIONAL_INDICATOR && !(self.last == REGIONAL_INDICATOR && self.odd_regional);
        self.second = self.last;
        self.last = cat;
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let rest = self.text.get(self.at..)?;
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let properties = self.run.properties(first);
        self.place(properties);
        let mut end = rest.len();
        while let Some((i, c)) = chars.next() {
            let properties = self.run.properties(c);
            let next = || {
                let mut run = self.run;
                chars
                    .clone()
                    .map(|(_, c)| run.properties(c).category())
                    .find(|c| !c.vanishes())
                    .unwrap_or(ANY)
            };
            if !self.joins(properties, next) {
                end = i;
                break;
            }
            self.place(properties);
        }
        let start = self.at;
        self.at += end;
        Some((start, &rest[..end]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn ours(text: &str) -> Vec<&str> {
        segments(text).map(|(_, s)| s).collect()
    }

    fn reference(text: &str) -> Vec<&str> {
        text.split_word_bounds().collect()
    }

    /// Whether a ZWJ is followed by a pictograph somewhere in `text`: unicode-segmentation
    /// answers those against the standard (see `where_unicode_segmentation_departs`).
    fn zwj_pictograph(text: &str) -> bool {
        let mut run = LastRun(0, 0, 0);
        text.chars()
            .zip(text.chars().skip(1))
            .any(|(a, b)| a == '\u{200D}' && run.properties(b).pictographic())
    }

    #[test]
    fn alphanumeric_is_the_standard_librarys() {
        // The table is generated from char::is_alphanumeric of a toolchain with Unicode 17.0.0,
        // the version of the word-break property (the generator refuses any other). An older
        // toolchain, which the crate's rust-version allows, knows fewer characters: there is
        // nothing to compare with on it.
        if char::UNICODE_VERSION != (17, 0, 0) {
            eprintln!("skipped: Unicode {:?}, not 17.0.0", char::UNICODE_VERSION);
            return;
        }
        for c in (0..0x110000).filter_map(char::from_u32) {
            assert_eq!(
                is_alphanumeric(c),
                c.is_alphanumeric(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn passes_unicodes_conformance_cases() {
        let cases = include_str!("../tests/data/word-break-test.txt");
        let mut checked = 0;
        for (line, case) in cases.lines().enumerate() {
            if case.starts_with('#') {
                continue;
            }
            let expected: Vec<String> = case
                .split(" ÷ ")
                .map(|segment| {
                    segment
                        .split(' ')
                        .map(|hex| char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap())
                        .collect()
                })
                .collect();
            let text = expected.concat();
            assert_eq!(ours(&text), expected, "line {}: {case}", line + 1);
            checked += 1;
        }
        assert!(checked > 1500, "only {checked} cases read");
    }

    #[test]
    fn offsets_are_where_the_segments_start() {
        let text = "Ça va? 3.14 — 民主 👩‍👩‍👧!";
        for (start, segment) in segments(text) {
            assert_eq!(&text[start..start + segment.len()], segment);
        }
        assert_eq!(segments(text).map(|(_, s)| s).collect::<String>(), text);
    }

    #[test]
    fn where_unicode_segmentation_departs() {
        // After "ZWJ × pictograph" (WB3c), the pictograph keeps its own category: ℹ is an
        // A_LETTER and Extended_Pictographic, so WB5 joins the letter after it. And WB6 looks
        // past the ZWJ at the pictograph, which is no letter, so the full stop is not joined.
        // unicode-segmentation gives "a\u{200D}ℹ", "b" and "a.\u{200D}🙂".
        let rows = [
            (
                "ZWJ, letter-like pictograph, letter",
                "a\u{200D}ℹb",
                vec!["a\u{200D}ℹb"],
            ),
            (
                "letter, full stop, ZWJ, pictograph",
                "a.\u{200D}🙂",
                vec!["a", ".\u{200D}🙂"],
            ),
            (
                "digit, comma, ZWJ, pictograph",
                "1,\u{200D}🙂",
                vec!["1", ",\u{200D}🙂"],
            ),
        ];
        for (name, text, expected) in rows {
            assert_eq!(ours(text), expected, "{name}");
            assert_ne!(
                reference(text),
                expected,
                "{name}: unicode-segmentation agrees now"
            );
            assert!(
                zwj_pictograph(text),
                "{name}: the property tests leave it out"
            );
        }
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_every_character_in_context() {
        // Characters between and beside characters of the categories the rules name.
        let contexts = [
            "a{}a",
            "1{}1",
            "א{}א",
            "ア{}ア",
            "_{}_",
            "{}{}",
            " {}\u{301}",
            "a{}.a",
        ];
        // The first, middle and last character of every run of the table: every character
        // is 29 s in a debug build, and a run's characters are alike by construction.
        let runs = runs();
        let ends = runs.iter().skip(1).map(|&run| run >> 8).chain([0x110000]);
        let characters = runs
            .iter()
            .zip(ends)
            .flat_map(|(&run, end)| [run >> 8, ((run >> 8) + end) / 2, end - 1])
            .filter_map(char::from_u32);
        for c in characters {
            for context in contexts {
                let text = context.replace("{}", c.encode_utf8(&mut [0; 4]));
                if zwj_pictograph(&text) {
                    continue;
                }
                assert_eq!(
                    ours(&text),
                    reference(&text),
                    "U+{:04X} in {context:?}",
                    u32::from(c)
                );
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Characters of every category, pictographs among them, and the ones at the edges of
        /// the table's runs.
        fn character() -> impl Strategy<Value = char> {
            let edges: Vec<char> = runs()
                .iter()
                .flat_map(|&run| [(run >> 8).saturating_sub(1), run >> 8])
                .filter_map(char::from_u32)
                .collect();
            prop_oneof![
                3 => prop::sample::select(
                    "aZé1٣_.:,;'\"’ \r\n\u{b}\u{85}\u{301}\u{ad}\u{200d}\u{5d0}\u{5d1}アヲ🇦🇫🙂ℹ©\u{1f3fb}\u{3000}\t!"
                        .chars()
                        .collect::<Vec<_>>()
                ),
                1 => prop::sample::select(edges),
                1 => any::<char>(),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(5000))]

            #[test]
            fn agrees_with_unicode_segmentation(chars in prop::collection::vec(character(), 0..24)) {
                let text: String = chars.into_iter().collect();
                prop_assume!(!zwj_pictograph(&text));
                prop_assert_eq!(ours(&text), reference(&text));
            }
        }
    }
}
