//! Tokenising: Unicode (UAX #29) words, normalised for matching, each with its place in the
//! original text both in bytes (for Rust) and in UTF-16 code units (what the DOM counts).
//!
//! Normalisation, applied to every word: lower case, typographic apostrophes unified, a
//! possessive `'s` dropped, then compatibility forms and diacritics folded (`ﬁ` → `fi`,
//! `Ｗ` → `w`, `Vendôme` → `vendome`) with a table generated from the Unicode data
//! (`scripts/gen-fold-table.py`). The stem is taken from the lower-cased word before
//! folding, because Snowball stemmers for French, Spanish and the like expect accents.
//!
//! Hyphenated compounds (`working-class`) yield their parts as ordinary tokens and then one
//! extra *compound* token (`workingclass`) at the position of the first part, so a search
//! finds them as a whole and by their parts.

use crate::fold_table;
use crate::language::Language;
use crate::words::words;
use crate::HashMap;
use serde::ser::{Serialize, SerializeTuple, Serializer};
use std::cell::RefCell;

/// Words longer than this (in bytes) are not stemmed: no real word is that long, and stemming
/// cost should not depend on a hostile input's longest run of letters.
const MAX_STEMMED_WORD: usize = 64;
/// Distinct words whose stems an analyzer remembers. Word frequencies follow Zipf's law, so a
/// few thousand entries answer most look-ups; past the bound the cache starts over.
const STEM_CACHE_WORDS: usize = 50_000;

/// A half-open range of UTF-16 code units, the unit of DOM `Range` and `String.length`.
/// Serialised as `[start, end]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pair = serializer.serialize_tuple(2)?;
        pair.serialize_element(&self.start)?;
        pair.serialize_element(&self.end)?;
        pair.end()
    }
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }
}

/// One word of a text, borrowed from a [`Tokens`] buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// Byte offset of the first byte of the word in the original text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// The same range in UTF-16 code units.
    pub span: Span,
    /// Ordinal of the word in the text. A compound token shares its first part's position.
    pub position: u32,
    /// The normalised word (see the module docs).
    pub text: &'a str,
    /// The normalised stem of the word.
    pub stem: &'a str,
    /// Whether this is the extra whole-word token of a hyphenated compound.
    pub compound: bool,
    /// Whether punctuation other than spaces, quotes or a hyphen (or a blank line) separates
    /// this word from the previous one. Glossary terms never match across such a break.
    pub after_break: bool,
}

#[derive(Clone, Copy, Debug)]
struct Record {
    start: usize,
    end: usize,
    span: Span,
    position: u32,
    text: (usize, usize),
    stem: (usize, usize),
    compound: bool,
    after_break: bool,
}

/// A reusable buffer of tokens: one arena for their strings, so tokenising allocates nothing
/// once the buffer has grown to the size of the texts it sees.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    arena: String,
    records: Vec<Record>,
}

impl Tokens {
    pub fn new() -> Tokens {
        Tokens::default()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Token<'_>> {
        self.records.get(i).map(|r| self.token(r))
    }

    /// The tokens in text order, each compound right after its parts.
    pub fn iter(&self) -> impl Iterator<Item = Token<'_>> + '_ {
        self.records.iter().map(move |r| self.token(r))
    }

    fn token(&self, r: &Record) -> Token<'_> {
        Token {
            start: r.start,
            end: r.end,
            span: r.span,
            position: r.position,
            text: &self.arena[r.text.0..r.text.1],
            stem: &self.arena[r.stem.0..r.stem.1],
            compound: r.compound,
            after_break: r.after_break,
        }
    }

    fn clear(&mut self) {
        self.arena.clear();
        self.records.clear();
    }
}

/// Splits text into normalised, stemmed tokens for one language.
///
/// ```
/// use glossa::{Analyzer, Language, Tokens};
///
/// let analyzer = Analyzer::new(Language::ENGLISH);
/// let mut tokens = Tokens::new();
/// analyzer.tokenize("Lenin’s soviets at the Place Vendôme", &mut tokens);
/// let stems: Vec<&str> = tokens.iter().map(|t| t.stem).collect();
/// assert_eq!(stems, ["lenin", "soviet", "at", "the", "place", "vendom"]);
/// let last = tokens.get(5).unwrap();
/// assert_eq!(last.text, "vendome");
/// assert_eq!((last.span.start, last.span.end), (29, 36));
/// ```
pub struct Analyzer {
    language: Language,
    stemmer: rust_stemmers::Stemmer,
    /// Lower-cased word → folded stem. Snowball stemming is most of the cost of tokenising.
    stems: RefCell<HashMap<Box<str>, Box<str>>>,
}

impl Clone for Analyzer {
    fn clone(&self) -> Self {
        Analyzer::new(self.language)
    }
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("language", &self.language.code())
            .finish()
    }
}

impl Analyzer {
    pub fn new(language: Language) -> Analyzer {
        Analyzer {
            language,
            stemmer: language.stemmer(),
            stems: RefCell::new(HashMap::default()),
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// Replaces the contents of `out` with the tokens of `text`.
    pub fn tokenize(&self, text: &str, out: &mut Tokens) {
        self.tokenize_with(text, out, true);
    }

    /// Like [`Analyzer::tokenize`], but every token's stem is left empty: for callers that
    /// only need the words' normalised text and spans (placing highlights), stemming is most
    /// of the work.
    pub(crate) fn tokenize_unstemmed(&self, text: &str, out: &mut Tokens) {
        self.tokenize_with(text, out, false);
    }

    fn tokenize_with(&self, text: &str, out: &mut Tokens, stem: bool) {
        out.clear();
        let mut lowered = String::new();
        let mut utf16 = 0u32;
        let mut position = 0u32;
        let mut previous_end: Option<usize> = None;
        // The run of hyphen-joined words the current word belongs to, as record indices.
        let mut run_first = 0usize;
        let mut run_len = 0usize;

        // UTF-16 offsets are counted on from the end of the previous word.
        let mut counted = 0usize;
        for (start, segment) in words(text) {
            utf16 = utf16.saturating_add(utf16_len(&text[counted..start]));
            let span = Span::new(utf16, utf16.saturating_add(utf16_len(segment)));
            utf16 = span.end;
            let end = start + segment.len();
            counted = end;
            lower_into(segment, &mut lowered);
            let text_at = out.arena.len();
            fold_into(&lowered, &mut out.arena);
            // `words` keeps segments with an alphabetic character, and combining marks are
            // alphabetic: a stray mark (at the start, or joined to a space or a quote) makes a
            // segment that folding leaves without a letter or digit. That is no word.
            if !out.arena[text_at..].chars().any(char::is_alphanumeric) {
                out.arena.truncate(text_at);
                continue;
            }
            let text_end = out.arena.len();
            let gap = previous_end.map(|end| &text[end..start]);
            let hyphen_joined = gap.is_some_and(is_single_hyphen);
            let after_break = gap.is_some_and(is_break);

            if hyphen_joined {
                run_len += 1;
            } else {
                self.push_compound(out, run_first, run_len, stem);
                run_first = out.records.len();
                run_len = 1;
            }
            let stem_at = out.arena.len();
            if stem {
                self.stem_into(&lowered, &mut out.arena);
            }
            out.records.push(Record {
                start,
                end,
                span,
                position,
                text: (text_at, text_end),
                stem: (stem_at, out.arena.len()),
                compound: false,
                after_break,
            });
            position = position.saturating_add(1);
            previous_end = Some(end);
        }
        self.push_compound(out, run_first, run_len, stem);
    }

    /// The normalised form of one word, as [`Token::text`] holds it.
    pub fn normalize(&self, word: &str) -> String {
        let mut lowered = String::new();
        lower_into(word, &mut lowered);
        let mut out = String::new();
        fold_into(&lowered, &mut out);
        out
    }

    /// The normalised stem of one word, as [`Token::stem`] holds it.
    pub fn stem(&self, word: &str) -> String {
        let mut lowered = String::new();
        lower_into(word, &mut lowered);
        let mut out = String::new();
        self.stem_into(&lowered, &mut out);
        out
    }

    fn stem_into(&self, lowered: &str, out: &mut String) {
        if lowered.len() > MAX_STEMMED_WORD {
            fold_into(lowered, out);
            return;
        }
        let Ok(mut cache) = self.stems.try_borrow_mut() else {
            fold_into(&self.stemmer.stem(lowered), out);
            return;
        };
        if let Some(stem) = cache.get(lowered) {
            out.push_str(stem);
            return;
        }
        let start = out.len();
        fold_into(&self.stemmer.stem(lowered), out);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(lowered.into(), out[start..].into());
    }

    fn push_compound(&self, out: &mut Tokens, first: usize, len: usize, stem: bool) {
        if len < 2 {
            return;
        }
        let (Some(head), Some(tail)) = (
            out.records.get(first).copied(),
            out.records.get(first + len - 1).copied(),
        ) else {
            return;
        };
        let text_at = out.arena.len();
        for part in &out.records[first..first + len] {
            let (a, b) = part.text;
            out.arena.extend_from_within(a..b);
        }
        let stem_at = out.arena.len();
        if stem {
            let whole = out.arena[text_at..stem_at].to_owned();
            self.stem_into(&whole, &mut out.arena);
        }
        out.records.push(Record {
            start: head.start,
            end: tail.end,
            span: Span::new(head.span.start, tail.span.end),
            position: head.position,
            text: (text_at, stem_at),
            stem: (stem_at, out.arena.len()),
            compound: true,
            after_break: head.after_break,
        });
    }
}

/// Length of `s` in UTF-16 code units.
pub(crate) fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        s.len() as u32
    } else {
        s.chars().map(|c| c.len_utf16() as u32).sum()
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '\u{FF07}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_quote(c: char) -> bool {
    is_apostrophe(c)
        || matches!(
            c,
            '"' | '\u{201C}'
                | '\u{201D}'
                | '\u{201E}'
                | '\u{00AB}'
                | '\u{00BB}'
                | '\u{2039}'
                | '\u{203A}'
                | '`'
        )
}

fn is_single_hyphen(gap: &str) -> bool {
    let mut chars = gap.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_hyphen(c))
}

/// Whether the text between two words separates them as phrases: any punctuation other than
/// quotes and hyphens, or a blank line. Soft hyphens and zero-width characters do not.
fn is_break(gap: &str) -> bool {
    let mut newlines = 0;
    for c in gap.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines > 1 {
                return true;
            }
        } else if !(c.is_whitespace()
            || is_quote(c)
            || is_hyphen(c)
            || matches!(
                c,
                '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            ))
        {
            return true;
        }
    }
    false
}

/// Lower case, apostrophes unified, invisible formatting characters dropped, possessive `'s`
/// and trailing apostrophes dropped.
fn lower_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.chars() {
            if is_apostrophe(c) {
                out.push('\'');
            } else if !is_invisible(c) {
                push_lowercase(c, out);
            }
        }
    }
    if out.len() > 2 && out.ends_with("'s") {
        out.truncate(out.len() - 2);
    }
    while out.ends_with('\'') {
        out.pop();
    }
}

/// Appends `lowered` with diacritic marks removed and each character that has a search form
/// (a compatibility decomposition without diacritics, `ß` → `ss`, final `ς` → `σ`) replaced
/// by it.
fn fold_into(lowered: &str, out: &mut String) {
    if lowered.is_ascii() {
        out.push_str(lowered);
        return;
    }
    for c in lowered.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if let Some(folded) = in_runs(&fold_table::FOLD_RUNS, c) {
            out.push(folded);
        } else if let Ok(i) = fold_table::FOLD_MULTI_KEYS.binary_search(&(c as u32)) {
            let start = if i == 0 {
                0
            } else {
                usize::from(fold_table::FOLD_MULTI_ENDS[i - 1])
            };
            out.push_str(
                fold_table::FOLD_MULTI_DATA
                    .get(start..usize::from(fold_table::FOLD_MULTI_ENDS[i]))
                    .unwrap_or(""),
            );
        } else if !is_diacritic(c) {
            out.push(c);
        }
    }
}

/// What `c` maps to in a table of runs (see `fold_table`), if it is in one.
fn in_runs(runs: &[(u32, u32)], c: char) -> Option<char> {
    let c = c as u32;
    let after = runs.partition_point(|&(first, _)| first <= c);
    let &(first, packed) = runs.get(after.checked_sub(1)?)?;
    let offset = c - first;
    let stride = 1 + ((packed >> 9) & 1);
    if !offset.is_multiple_of(stride) || offset / stride > packed & 0xFF {
        return None;
    }
    let shifted = (packed >> 8) & 1;
    char::from_u32((packed >> 10) + shifted * offset)
}

/// Lower case by our own table: the same mapping as `char::to_lowercase`, without core's
/// tables in the wasm build.
fn push_lowercase(c: char, out: &mut String) {
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        '\u{130}' => out.push_str("i\u{307}"),
        _ => out.push(in_runs(&fold_table::LOWER_RUNS, c).unwrap_or(c)),
    }
}

/// Characters that change how a word is shown but not which word it is, and that UAX #29
/// keeps inside a word: the soft hyphen a hyphenator puts in `dic\u{ad}ta\u{ad}tor\u{ad}ship`,
/// zero-width joiners and non-joiners, the word joiner, bidi marks and controls, the BOM.
/// A page's text is matched and searched as if they were not there.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

fn is_diacritic(c: char) -> bool {
    let c = c as u32;
    fold_table::DIACRITICS
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<String> {
        let analyzer = Analyzer::new(Language::ENGLISH);
        let mut tokens = Tokens::new();
        analyzer.tokenize(input, &mut tokens);
        tokens
            .iter()
            .map(|t| {
                if t.compound {
                    format!("+{}", t.text)
                } else {
                    t.text.to_owned()
                }
            })
            .collect()
    }

    #[test]
    fn normalisation_table() {
        struct Row {
            name: &'static str,
            input: &'static str,
            expected: &'static [&'static str],
        }
        let rows = [
            Row {
                name: "ascii",
                input: "Dual Power",
                expected: &["dual", "power"],
            },
            Row {
                name: "curly possessive",
                input: "Lenin’s state",
                expected: &["lenin", "state"],
            },
            Row {
                name: "straight possessive",
                input: "Lenin's",
                expected: &["lenin"],
            },
            Row {
                name: "plural possessive",
                input: "workers’ power",
                expected: &["workers", "power"],
            },
            Row {
                name: "diacritics",
                input: "Place Vendôme",
                expected: &["place", "vendome"],
            },
            Row {
                name: "compatibility",
                input: "ﬁnal ＡＢＣ",
                expected: &["final", "abc"],
            },
            Row {
                name: "sharp s",
                input: "Straße",
                expected: &["strasse"],
            },
            Row {
                name: "greek final sigma",
                input: "ΛΌΓΟΣ λόγος",
                expected: &["λογοσ", "λογοσ"],
            },
            Row {
                name: "cyrillic",
                input: "Диктатура пролетариата",
                expected: &["диктатура", "пролетариата"],
            },
            Row {
                name: "cjk splits per ideograph",
                input: "无产阶级",
                expected: &["无", "产", "阶", "级"],
            },
            Row {
                name: "emoji is not a word",
                input: "power 👩‍👩‍👧 ✊🏽 state",
                expected: &["power", "state"],
            },
            Row {
                name: "hyphenated compound",
                input: "working-class",
                expected: &["working", "class", "+workingclass"],
            },
            Row {
                name: "three-part compound",
                input: "post-revolutionary-era",
                expected: &["post", "revolutionary", "era", "+postrevolutionaryera"],
            },
            Row {
                name: "spaced dash is no compound",
                input: "choice — forward",
                expected: &["choice", "forward"],
            },
            Row {
                name: "soft hyphens vanish",
                input: "dic\u{ad}ta\u{ad}tor\u{ad}ship Klassen\u{ad}kampf",
                expected: &["dictatorship", "klassenkampf"],
            },
            Row {
                name: "joiners, word joiner, bidi controls and BOM vanish",
                input: "dual\u{2060}ism \u{202e}power\u{202c} Lenin\u{200e} \u{feff}soviet \u{627}\u{644}\u{200c}\u{644}\u{627}",
                expected: &["dualism", "power", "lenin", "soviet", "\u{627}\u{644}\u{644}\u{627}"],
            },
            Row {
                name: "numbers",
                input: "1917 and 1,000",
                expected: &["1917", "and", "1,000"],
            },
            Row {
                name: "empty",
                input: "",
                expected: &[],
            },
            Row {
                name: "only punctuation",
                input: " —“”… ",
                expected: &[],
            },
        ];
        for row in rows {
            assert_eq!(texts(row.input), row.expected, "{}", row.name);
        }
    }

    #[test]
    fn spans_count_utf16_units() {
        let analyzer = Analyzer::new(Language::ENGLISH);
        let mut tokens = Tokens::new();
        // "😀" is two UTF-16 units and four bytes; "é" one unit and two bytes.
        let text = "😀 café “state”";
        analyzer.tokenize(text, &mut tokens);
        let spans: Vec<(u32, u32)> = tokens.iter().map(|t| (t.span.start, t.span.end)).collect();
        assert_eq!(spans, [(3, 7), (9, 14)]);
        let bytes: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(bytes, ["café", "state"]);
    }

    #[test]
    fn stems_tolerate_inflection() {
        let analyzer = Analyzer::new(Language::ENGLISH);
        assert_eq!(
            analyzer.stem("Dictatorships"),
            analyzer.stem("dictatorship")
        );
        assert_eq!(analyzer.stem("soviets"), analyzer.stem("Soviet"));
        assert_ne!(analyzer.stem("statement"), analyzer.stem("state"));
        assert_ne!(analyzer.stem("statue"), analyzer.stem("state"));
    }

    #[test]
    fn breaks_are_marked() {
        let analyzer = Analyzer::new(Language::ENGLISH);
        let mut tokens = Tokens::new();
        analyzer.tokenize("the “dual” power. Power (again)\n\nnext\nline", &mut tokens);
        let breaks: Vec<(&str, bool)> = tokens.iter().map(|t| (t.text, t.after_break)).collect();
        assert_eq!(
            breaks,
            [
                ("the", false),
                ("dual", false),
                ("power", false),
                ("power", true),
                ("again", true),
                ("next", true),
                ("line", false)
            ]
        );
    }

    #[test]
    fn positions_skip_nothing_and_compounds_share() {
        let analyzer = Analyzer::new(Language::ENGLISH);
        let mut tokens = Tokens::new();
        analyzer.tokenize("a working-class movement", &mut tokens);
        let positions: Vec<(&str, u32)> = tokens.iter().map(|t| (t.text, t.position)).collect();
        assert_eq!(
            positions,
            [
                ("a", 0),
                ("working", 1),
                ("class", 2),
                ("workingclass", 1),
                ("movement", 3)
            ]
        );
    }

    #[test]
    fn huge_word_is_not_stemmed() {
        let analyzer = Analyzer::new(Language::ENGLISH);
        let word = "revolutionaries".repeat(100);
        assert_eq!(analyzer.stem(&word), word);
    }

    #[test]
    fn our_lower_case_table_agrees_with_core() {
        // The table is generated from Unicode 14 (Python's); core may know newer scripts, so
        // compare where Unicode has not changed case mappings since: below U+1C80, and the
        // Greek Extended, letterlike, fullwidth and Deseret blocks.
        let ranges = [
            0..0x1C80,
            0x1F00..0x2000,
            0x2100..0x2200,
            0xFF00..0xFF70,
            0x10400..0x10450,
        ];
        for cp in ranges.into_iter().flatten() {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut ours = String::new();
            push_lowercase(c, &mut ours);
            let core: String = c.to_lowercase().collect();
            assert_eq!(ours, core, "U+{cp:04X}");
        }
    }
}
