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
use crate::index::{running_sums, varints};
use crate::language::Language;
use crate::word_break;
use crate::word_table::WordTable;
use crate::words::words;
use serde::ser::{Serialize, SerializeTuple, Serializer};
use std::cell::RefCell;
use std::sync::OnceLock;

/// Words longer than this (in bytes) are not stemmed: no real word is that long, and stemming
/// cost should not depend on a hostile input's longest run of letters.
const MAX_STEMMED_WORD: usize = 64;
/// Distinct words whose stems an analyzer remembers. Word frequencies follow Zipf's law, so a
/// few thousand entries answer most look-ups; past the bound the cache starts over.
const STEM_CACHE_WORDS: usize = 50_000;

/// The cache's number for "no entry": a word that was not cached, or a compound.
pub(crate) const NO_WORD: u32 = u32::MAX;

/// What an analyzer knows of the word segments it has seen (as `words` yields them, before
/// any normalisation): their normalised text and stem. Most words of a text recur, so
/// lower-casing, folding and stemming happen once per distinct word, and a token costs one
/// hash look-up and a copy.
struct WordCache {
    /// At most this many entries ([`STEM_CACHE_WORDS`]; tests try other bounds).
    capacity: usize,
    /// Segment (ASCII letters in either case) → its entry. Segments longer than
    /// [`WordTable::LONGEST`] bytes, a few in ten thousand, are not remembered.
    map: WordTable,
    /// Per entry, ranges of `arena`: the text `a..b`, the stem `b..c`; `a == b` for a segment
    /// that folding leaves without a letter or digit (no word).
    entries: Vec<(u32, u32, u32)>,
    arena: String,
    /// Per entry, a number its owner's user keeps there ([`Analyzer::word_tag`]).
    tags: Vec<u32>,
}

impl Default for WordCache {
    fn default() -> WordCache {
        WordCache {
            capacity: STEM_CACHE_WORDS,
            map: Default::default(),
            entries: Vec::new(),
            arena: String::new(),
            tags: Vec::new(),
        }
    }
}

impl WordCache {
    /// Starts over if the cache is full, before a text (never within one, so the entry
    /// numbers in one [`Tokens`] stay distinct).
    fn start_text(&mut self) {
        if self.entries.len() >= self.capacity {
            self.map = Default::default();
            self.entries.clear();
            self.arena.clear();
            self.tags.clear();
        }
    }

    fn find(&self, key: [u64; 2]) -> Option<u32> {
        self.map.get(key)
    }

    /// Analyses and remembers a segment (short enough to have a `key`); `None` when the
    /// cache is full.
    fn insert(
        &mut self,
        analyzer: &Analyzer,
        key: [u64; 2],
        segment: &str,
        lowered: &mut String,
    ) -> Option<u32> {
        if self.entries.len() >= self.capacity {
            return None;
        }
        let a = self.arena.len();
        let b = analyzer
            .forms_into(segment, lowered, &mut self.arena)
            .unwrap_or(a);
        let i = self.entries.len() as u32;
        self.entries
            .push((a as u32, b as u32, self.arena.len() as u32));
        self.tags.push(NO_WORD);
        self.map.insert(key, i);
        Some(i)
    }
}

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
    /// The word's entry in the analyzer's [`WordCache`], or [`NO_WORD`].
    word: u32,
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

    /// Each token's entry in its analyzer's word cache ([`NO_WORD`] if none), in the order of
    /// [`Tokens::iter`]; meaningful until the analyzer tokenises another text.
    pub(crate) fn words(&self) -> impl Iterator<Item = u32> + '_ {
        self.records.iter().map(|r| r.word)
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
    /// Word segment → normalised text and stem, for tokenising.
    words: RefCell<WordCache>,
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
            words: RefCell::default(),
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The number kept with a word-cache entry ([`Tokens::words`]) by
    /// [`Analyzer::set_word_tag`]; [`NO_WORD`] if none. The cache starts over only at the
    /// start of a text, forgetting the tags with the entries, so a tag set for an entry of
    /// the last text holds until the next.
    pub(crate) fn word_tag(&self, word: u32) -> u32 {
        self.words
            .try_borrow()
            .ok()
            .and_then(|c| c.tags.get(word as usize).copied())
            .unwrap_or(NO_WORD)
    }

    pub(crate) fn set_word_tag(&self, word: u32, tag: u32) {
        if let Ok(mut cache) = self.words.try_borrow_mut() {
            if let Some(slot) = cache.tags.get_mut(word as usize) {
                *slot = tag;
            }
        }
    }

    /// Replaces the contents of `out` with the tokens of `text`.
    pub fn tokenize(&self, text: &str, out: &mut Tokens) {
        out.clear();
        let mut guard = self.words.try_borrow_mut().ok();
        // Ids of a throwaway cache mean nothing to word_tag: tokens then carry none.
        let shared = guard.is_some();
        let mut spare = WordCache::default();
        let cache = guard.as_deref_mut().unwrap_or(&mut spare);
        cache.start_text();
        let mut lowered = String::new();
        let mut position = 0u32;
        // The run of hyphen-joined words the current word belongs to, as record indices.
        let mut run_first = 0usize;
        let mut run_len = 0usize;

        scan_words(text, |segment| {
            // The word's normalised text and stem, from the cache or else straight into the
            // arena (when the cache is full for this text).
            let text_at = out.arena.len();
            let end = segment.start + segment.text.len();
            let found = WordTable::key(text, segment.start, end).and_then(|key| {
                cache
                    .find(key)
                    .or_else(|| cache.insert(self, key, segment.text, &mut lowered))
            });
            let (word, text_end) = match found {
                Some(i) => {
                    let (a, b, c) = cache.entries[i as usize];
                    if a == b {
                        return false;
                    }
                    out.arena.push_str(&cache.arena[a as usize..c as usize]);
                    (if shared { i } else { NO_WORD }, text_at + (b - a) as usize)
                }
                None => match self.forms_into(segment.text, &mut lowered, &mut out.arena) {
                    Some(text_end) => (NO_WORD, text_end),
                    None => return false,
                },
            };
            let stem_end = out.arena.len();
            if segment.hyphen_joined {
                run_len += 1;
            } else {
                self.push_compound(out, run_first, run_len);
                run_first = out.records.len();
                run_len = 1;
            }
            out.records.push(Record {
                start: segment.start,
                end,
                span: segment.span,
                position,
                text: (text_at, text_end),
                stem: (text_end, stem_end),
                compound: false,
                after_break: segment.after_break,
                word,
            });
            position = position.saturating_add(1);
            true
        });
        self.push_compound(out, run_first, run_len);
    }

    /// Appends the normalised text of `segment` and then its stem to `out`, returning where the
    /// text ends; `None` (and `out` as it was) when folding leaves no letter or digit.
    fn forms_into(&self, segment: &str, lowered: &mut String, out: &mut String) -> Option<usize> {
        let text_end = text_into(segment, lowered, out)?;
        self.stem_uncached(lowered, out);
        Some(text_end)
    }

    /// The normalised text and stem of one word segment (as `words` yields them), `None` when
    /// it is no word. Not remembered: for callers that keep their own cache of what they make
    /// of a word (as [`crate::Glossary::annotate`] does).
    pub(crate) fn word_forms<R>(
        &self,
        segment: &str,
        f: impl FnOnce(Option<(&str, &str)>) -> R,
    ) -> R {
        let mut lowered = String::new();
        let mut out = String::new();
        match self.forms_into(segment, &mut lowered, &mut out) {
            Some(split) => f(Some((&out[..split], &out[split..]))),
            None => f(None),
        }
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
        self.stem_uncached(&lowered, &mut out);
        out
    }

    fn stem_uncached(&self, lowered: &str, out: &mut String) {
        if lowered.len() > MAX_STEMMED_WORD {
            fold_into(lowered, out);
        } else {
            fold_into(&self.stemmer.stem(lowered), out);
        }
    }

    fn push_compound(&self, out: &mut Tokens, first: usize, len: usize) {
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
        let whole = out.arena[text_at..stem_at].to_owned();
        self.stem_uncached(&whole, &mut out.arena);
        out.records.push(Record {
            start: head.start,
            end: tail.end,
            span: Span::new(head.span.start, tail.span.end),
            position: head.position,
            text: (text_at, stem_at),
            stem: (stem_at, out.arena.len()),
            compound: true,
            after_break: head.after_break,
            word: NO_WORD,
        });
    }
}

/// A word segment as [`scan_words`] finds it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Segment<'t> {
    /// Byte offset of the segment in the text.
    pub start: usize,
    /// The segment as the text has it (not normalised).
    pub text: &'t str,
    pub span: Span,
    /// Only a hyphen stands between it and the previous word: both are parts of a compound.
    pub hyphen_joined: bool,
    /// A phrase break stands between it and the previous word (see [`is_break`]).
    pub after_break: bool,
    /// The segment is plain ASCII (as many UTF-16 units as bytes, which only ASCII has).
    pub ascii: bool,
}

/// Hands `word` each word segment of `text` in order, with its UTF-16 span and what joins it
/// to the previous word; `word` says whether the segment is a word (normalising it may leave
/// no letter or digit), and the gap before the next one is measured from the last word.
/// The one word scan of [`Analyzer::tokenize`] and [`mark`], so that a hit's highlights fall
/// on the words its passage was indexed by.
pub(crate) fn scan_words<'t>(text: &'t str, mut word: impl FnMut(Segment<'t>) -> bool) {
    let mut utf16 = 0u32;
    // UTF-16 offsets are counted on from the end of the previous segment.
    let mut counted = 0usize;
    let mut previous_end: Option<usize> = None;
    for (start, segment) in fast_words(text) {
        let end = start + segment.len();
        utf16 = utf16.saturating_add(utf16_len(&text[counted..start]));
        let span = Span::new(utf16, utf16.saturating_add(utf16_len(segment)));
        utf16 = span.end;
        counted = end;
        let (hyphen_joined, after_break) = match previous_end {
            None => (false, false),
            Some(previous) => gap_kind(&text[previous..start]),
        };
        let segment = Segment {
            start,
            text: segment,
            span,
            hyphen_joined,
            after_break,
            ascii: (span.end - span.start) as usize == segment.len(),
        };
        if word(segment) {
            previous_end = Some(end);
        }
    }
}

/// Normalised words and the terms they stand for: what [`mark`] looks a text's words up in.
/// Each plain ASCII word also sets a bit for its first letter and length, so that most words
/// of a text are ruled out without being normalised.
#[derive(Debug, Default)]
pub(crate) struct WordTerms {
    terms: crate::HashMap<String, u32>,
    shapes: [u64; 16],
}

impl WordTerms {
    /// Adds a normalised word (as [`Token::text`] holds it).
    pub(crate) fn insert(&mut self, word: &str, term: u32) {
        if let Some(&first) = word.as_bytes().first() {
            if word.is_ascii() {
                let bit = shape(first, word.len());
                self.shapes[bit / 64] |= 1 << (bit % 64);
            }
        }
        self.terms.insert(word.to_owned(), term);
    }

    fn may_hold(&self, first: u8, len: usize) -> bool {
        let bit = shape(first, len);
        self.shapes[bit / 64] & 1 << (bit % 64) != 0
    }

    pub(crate) fn get(&self, word: &str) -> Option<u32> {
        self.terms.get(word).copied()
    }
}

/// The bit of a plain ASCII word in [`WordTerms`]: its first byte and length, each in five
/// bits (lengths from 31 share one). The first byte's low five bits are the same for a
/// capital and its small letter.
fn shape(first: u8, len: usize) -> usize {
    usize::from(first & 31) << 5 | len.min(31)
}

/// A word of a text as [`mark`] finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Marked {
    /// Byte offsets of the word in the text.
    pub start: usize,
    pub end: usize,
    pub span: Span,
    /// The term [`WordTerms`] gives the word's normalised text.
    pub term: Option<u32>,
}

/// The words and compounds [`mark`] finds in a text, in buffers it reuses.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    pub words: Vec<Marked>,
    /// Each hyphenated compound (the extra token [`Analyzer::tokenize`] makes of it) as the
    /// range of its parts in `words`, with the term of its normalised text.
    pub compounds: Vec<(usize, usize, Option<u32>)>,
    lowered: String,
    normal: String,
}

/// The words of `text`, the tokens [`Analyzer::tokenize`] makes but for compounds, with the
/// terms `terms` gives them, into `out`; the compounds go in `out.compounds`.
///
/// For placing a search hit's highlights: tokenising the passage, normalising each word, was
/// most of a search. Here a plain ASCII word is normalised only if `terms` may hold it, and
/// the stem is never taken.
pub(crate) fn mark(text: &str, terms: &WordTerms, out: &mut Marks) {
    out.words.clear();
    out.compounds.clear();
    let mut run_first = 0usize;
    scan_words(text, |segment| {
        let Some(term) = out.term_of(segment, terms) else {
            return false;
        };
        if !segment.hyphen_joined {
            out.close_compound(text, terms, run_first);
            run_first = out.words.len();
        }
        out.words.push(Marked {
            start: segment.start,
            end: segment.start + segment.text.len(),
            span: segment.span,
            term,
        });
        true
    });
    out.close_compound(text, terms, run_first);
}

impl Marks {
    /// The term of a segment's normalised text, if `terms` has one; `None` when the segment
    /// is no word.
    fn term_of(&mut self, segment: Segment<'_>, terms: &WordTerms) -> Option<Option<u32>> {
        if segment.ascii {
            let len = ascii_normal_len(segment.text)?;
            if !terms.may_hold(segment.text.as_bytes()[0], len) {
                return Some(None);
            }
            self.normal.clear();
            self.normal.push_str(&segment.text[..len]);
            self.normal.make_ascii_lowercase();
        } else {
            self.normal.clear();
            text_into(segment.text, &mut self.lowered, &mut self.normal)?;
        }
        Some(terms.get(&self.normal))
    }

    /// Records the compound of `words[first..]`, if it has two parts or more.
    fn close_compound(&mut self, text: &str, terms: &WordTerms, first: usize) {
        let Some(parts) = self.words.get(first..).filter(|parts| parts.len() >= 2) else {
            return;
        };
        self.normal.clear();
        for part in parts {
            text_into(
                &text[part.start..part.end],
                &mut self.lowered,
                &mut self.normal,
            );
        }
        let term = terms.get(&self.normal);
        self.compounds.push((first, self.words.len(), term));
    }
}

/// For a plain ASCII segment, the length of its normalised text, which is then its first
/// `len` bytes lower-cased (what [`text_into`] makes of it, without making it); `None` when
/// it is no word.
pub(crate) fn ascii_normal_len(segment: &str) -> Option<usize> {
    let bytes = segment.as_bytes();
    let mut len = bytes.len();
    // As lower_into: a possessive 's dropped, then trailing apostrophes.
    if len > 2 && bytes[len - 2] == b'\'' && bytes[len - 1].eq_ignore_ascii_case(&b's') {
        len -= 2;
    }
    while len > 0 && bytes[len - 1] == b'\'' {
        len -= 1;
    }
    bytes[..len]
        .iter()
        .any(u8::is_ascii_alphanumeric)
        .then_some(len)
}

/// Byte classes of the plain-ASCII word scan ([`fast_words`]).
const SPACE: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const UNDERSCORE: u8 = 3;
/// Joins letters (`:`).
const MID_LETTER: u8 = 4;
/// Joins digits (`,` `;`).
const MID_NUM: u8 = 5;
/// Joins letters or digits (`.` `'`).
const MID_BOTH: u8 = 6;
/// Other ASCII punctuation: breaks on both sides.
const OTHER: u8 = 7;
/// Not ASCII, or a control character: the stretch goes to [`words`].
const ELSE: u8 = 8;

const BYTE_CLASSES: [u8; 256] = {
    let mut table = [ELSE; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | b'\r' => SPACE,
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            b'_' => UNDERSCORE,
            b':' => MID_LETTER,
            b',' | b';' => MID_NUM,
            b'.' | b'\'' => MID_BOTH,
            b'!'..=b'~' => OTHER,
            _ => ELSE,
        };
        b += 1;
    }
    table
};

/// The same word segments as [`words`], found faster in a stretch between white space that is
/// plain ASCII (most of an English text): one table look-up per byte and no decoding. Any
/// other stretch goes to [`words`], from the end of the previous stretch as it would see it.
pub(crate) fn fast_words(text: &str) -> FastWords<'_> {
    FastWords {
        text,
        at: 0,
        end: 0,
        other: None,
        found: [(0, ""); FOUND_AHEAD],
        len: 0,
        taken: 0,
    }
}

/// Words [`FastWords`] finds in one go, its state in locals over the batch. annotate() takes
/// them a batch at a time ([`FastWords::next_batch`]): in the size-optimised wasm, a call to
/// `next` per word cost it 5 to 8 %.
const FOUND_AHEAD: usize = 32;

pub(crate) struct FastWords<'a> {
    text: &'a str,
    /// Where the scan is, within the stretch ending at `end`.
    at: usize,
    end: usize,
    /// A stretch that is not plain ASCII: its offset, and its words.
    other: Option<(usize, crate::words::Words<'a>)>,
    /// Words found and not yet returned: `found[taken..len]`.
    found: [(usize, &'a str); FOUND_AHEAD],
    len: usize,
    taken: usize,
}

impl<'a> Iterator for FastWords<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.taken >= self.len {
            self.fill();
        }
        let word = self
            .found
            .get(self.taken)
            .filter(|_| self.taken < self.len)?;
        self.taken += 1;
        Some(*word)
    }
}

impl<'a> FastWords<'a> {
    /// The next words not yet returned, as many as were found in one go; empty when the
    /// text is done. For the hottest loop (annotate()), which then makes no call per word.
    pub(crate) fn next_batch(&mut self) -> &[(usize, &'a str)] {
        if self.taken >= self.len {
            self.fill();
        }
        let batch = self.found.get(self.taken..self.len).unwrap_or_default();
        self.taken = self.len;
        batch
    }

    /// Finds the next words, up to [`FOUND_AHEAD`]; none when the text is done.
    fn fill(&mut self) {
        let text = self.text;
        let bytes = text.as_bytes();
        let (mut at, mut end) = (self.at, self.end);
        let mut len = 0;
        while len < FOUND_AHEAD {
            if let Some((base, other)) = &mut self.other {
                if let Some((i, word)) = other.next() {
                    self.found[len] = (*base + i, word);
                    len += 1;
                    continue;
                }
                self.other = None;
            }
            let stretch = bytes.get(..end).unwrap_or(bytes);
            // The next word-like byte of the stretch.
            while at < stretch.len() && !is_wordlike(BYTE_CLASSES[usize::from(stretch[at])]) {
                at += 1;
            }
            if at >= stretch.len() {
                // The next stretch: after white space, up to white space.
                let spaces = end;
                at = spaces;
                while at < bytes.len() && BYTE_CLASSES[usize::from(bytes[at])] == SPACE {
                    at += 1;
                }
                if at >= bytes.len() {
                    end = at;
                    break;
                }
                let start = at;
                at = plain_run_end(bytes, at);
                let plain = bytes
                    .get(at)
                    .is_none_or(|&b| BYTE_CLASSES[usize::from(b)] == SPACE);
                if !plain {
                    while at < bytes.len() && BYTE_CLASSES[usize::from(bytes[at])] != SPACE {
                        at += 1;
                    }
                }
                end = at;
                if plain {
                    at = start;
                } else {
                    self.other = Some((spaces, words(&text[spaces..end])));
                }
                continue;
            }
            let start = at;
            at += 1;
            loop {
                at = wordlike_run_end(bytes, at, stretch.len());
                let Some(&middle) = stretch.get(at) else {
                    break;
                };
                // A middle character joins when the same kind of character is on both sides.
                let class = BYTE_CLASSES[usize::from(middle)];
                let previous = BYTE_CLASSES[usize::from(stretch[at - 1])];
                let next = stretch
                    .get(at + 1)
                    .map_or(OTHER, |&b| BYTE_CLASSES[usize::from(b)]);
                let letters = previous == LETTER
                    && next == LETTER
                    && (class == MID_LETTER || class == MID_BOTH);
                let digits =
                    previous == DIGIT && next == DIGIT && (class == MID_NUM || class == MID_BOTH);
                if !(letters || digits) {
                    break;
                }
                at += 1;
            }
            // A run of underscores alone is a segment, but not a word.
            let underscores = stretch[start..at].iter().all(|&b| b == b'_');
            if !underscores {
                self.found[len] = (start, &text[start..at]);
                len += 1;
            }
        }
        self.at = at;
        self.end = end;
        self.len = len;
        self.taken = 0;
    }
}

const ONES: u64 = u64::MAX / 255;
const HIGH_BITS: u64 = ONES << 7;

/// Where the bytes from `at` stop being printable ASCII: the first [`SPACE`] or [`ELSE`]
/// byte, or the end. Eight bytes at a time, as one integer: byte by byte, the end of each
/// word was a mispredicted branch, and natively this loop took about 40 % of the word scan,
/// itself half of annotate()'s time.
fn plain_run_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(eight) = bytes.get(at..at.saturating_add(8)) {
        let eight = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        let seven_bits = eight & !HIGH_BITS;
        // Per byte, without carries between bytes: the top bit is set in `printable` when the
        // low seven bits are at least `!`, in `delete` when they are 0x7F.
        let printable = seven_bits + ONES * (0x80 - u64::from(b'!'));
        let delete = seven_bits + ONES;
        let stops = (eight | !printable | delete) & HIGH_BITS;
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes
        .get(at)
        .is_some_and(|&b| !matches!(BYTE_CLASSES[usize::from(b)], SPACE | ELSE))
    {
        at += 1;
    }
    at
}

/// `bytes` (eight, little-endian) with `A`–`Z` made `a`–`z`, and every other byte as it was.
/// Inlined: twice for each word annotate() reads, a call costs more than its work.
#[inline(always)]
pub(crate) fn ascii_lowercase(bytes: u64) -> u64 {
    let seven_bits = bytes & !HIGH_BITS;
    // Per byte, without carries between bytes: the top bit is set in `from_a` when the low
    // seven bits are at least `A`, in `past_z` when they are past `Z`.
    let from_a = seven_bits + ONES * (0x80 - u64::from(b'A'));
    let past_z = seven_bits + ONES * (0x80 - u64::from(b'Z') - 1);
    let capitals = from_a & !past_z & !bytes & HIGH_BITS;
    bytes | capitals >> 2
}

/// Where the letters, digits and underscores from `at` end, before `end`: the first other
/// byte, or `end`. `bytes[..end]` is printable ASCII from `at` on. Eight bytes at a time, like
/// [`plain_run_end`], read past `end` while the text goes on (its other bytes are ignored).
fn wordlike_run_end(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end {
        let eight = match bytes.get(at..at.saturating_add(8)) {
            Some(read) => read.try_into().unwrap_or_default(),
            None => {
                let mut eight = [0u8; 8];
                let rest = bytes.get(at..end).unwrap_or_default();
                eight[..rest.len()].copy_from_slice(rest);
                eight
            }
        };
        // Letters lowered; digits keep their value; `_` becomes 0x7F. Seven bits, so the sums
        // below carry nothing into the next byte.
        let folded = (u64::from_le_bytes(eight) | (ONES * 0x20)) & !HIGH_BITS;
        let at_least = |c: u8| folded + ONES * (0x80 - u64::from(c));
        let past = |c: u8| folded + ONES * (0x7F - u64::from(c));
        let digits = at_least(b'0') & !past(b'9');
        let letters = at_least(b'a') & !past(b'z');
        let underscores = folded + ONES;
        let stops = !(digits | letters | underscores) & HIGH_BITS;
        if stops != 0 {
            return end.min(at + (stops.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    end
}

fn is_wordlike(class: u8) -> bool {
    matches!(class, LETTER | DIGIT | UNDERSCORE)
}

/// Length of `s` in UTF-16 code units: a unit per character, two for one of four UTF-8 bytes.
/// Counted from the bytes, not decoded: a curly quote in the gap between two glossary terms
/// made annotate() decode the gap character by character, 3 % of its time in the browser.
pub(crate) fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        s.len() as u32
    } else {
        // A continuation byte (0b10xx_xxxx) is below -64 as an i8; a four-byte lead is 0xF0 up.
        s.bytes()
            .map(|b| u32::from(b as i8 >= -64) + u32::from(b >= 0xF0))
            .sum()
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

/// Whether the text between two words joins them into a compound, and whether it is a
/// phrase break (see [`is_break`]).
fn gap_kind(gap: &str) -> (bool, bool) {
    match gap.as_bytes() {
        [b' '] => (false, false),
        [b'-'] => (true, false),
        _ => (is_single_hyphen(gap), is_break(gap)),
    }
}

fn is_single_hyphen(gap: &str) -> bool {
    let mut chars = gap.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_hyphen(c))
}

/// Whether the text between two words separates them as phrases: any punctuation other than
/// quotes and hyphens, or a blank line. Soft hyphens and zero-width characters do not.
pub(crate) fn is_break(gap: &str) -> bool {
    if gap == " " {
        return false;
    }
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
/// Appends the normalised text of `segment` to `out` and returns where it ends, leaving the
/// segment lower-cased in `lowered` for stemming; `None` (and `out` as it was) when folding
/// leaves no letter or digit.
fn text_into(segment: &str, lowered: &mut String, out: &mut String) -> Option<usize> {
    lower_into(segment, lowered);
    let text_at = out.len();
    fold_into(lowered, out);
    // `words` keeps segments with an alphabetic character, and combining marks are
    // alphabetic: a stray mark (at the start, or joined to a space or a quote) makes a
    // segment that folding leaves without a letter or digit. That is no word.
    if !out[text_at..].chars().any(word_break::is_alphanumeric) {
        out.truncate(text_at);
        return None;
    }
    Some(out.len())
}

fn lower_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        let lower = &folds().lower;
        for c in word.chars() {
            if is_apostrophe(c) {
                out.push('\'');
            } else if !is_invisible(c) {
                push_lowercase(c, lower, out);
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
    let folds = folds();
    for c in lowered.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if let Some(folded) = folds.fold.get(c) {
            out.push(folded);
        } else if let Some(form) = folds.multi(c) {
            out.push_str(form);
        } else if !is_diacritic(c) {
            out.push(c);
        }
    }
}

/// The tables of `fold_table`, decoded on first use.
struct Folds {
    fold: Runs,
    lower: Runs,
    /// The characters with a form of several characters, and where each form ends in
    /// `FOLD_MULTI_DATA`.
    multi_keys: Vec<u32>,
    multi_ends: Vec<usize>,
}

fn folds() -> &'static Folds {
    static FOLDS: OnceLock<Folds> = OnceLock::new();
    FOLDS.get_or_init(|| {
        use fold_table::*;
        Folds {
            fold: Runs::decode(&FOLD_FIRSTS, &FOLD_TARGETS, &FOLD_SHAPES),
            lower: Runs::decode(&LOWER_FIRSTS, &LOWER_TARGETS, &LOWER_SHAPES),
            multi_keys: running_sums(&FOLD_MULTI_KEYS).collect(),
            multi_ends: FOLD_MULTI_LENGTHS
                .iter()
                .scan(0, |end, &length| {
                    *end += usize::from(length);
                    Some(*end)
                })
                .collect(),
        }
    })
}

impl Folds {
    fn multi(&self, c: char) -> Option<&'static str> {
        let i = self.multi_keys.binary_search(&(c as u32)).ok()?;
        let start = if i == 0 {
            0
        } else {
            *self.multi_ends.get(i - 1)?
        };
        fold_table::FOLD_MULTI_DATA.get(start..*self.multi_ends.get(i)?)
    }
}

/// A table of runs (see `fold_table`): each run's first character, and
/// `target << 10 | shape` with the run's target and its `_SHAPES` number.
struct Runs {
    firsts: Vec<u32>,
    packed: Vec<u32>,
}

impl Runs {
    fn decode(firsts: &[u8], targets: &[u8], shapes: &[u8]) -> Runs {
        let (firsts, packed) = running_sums(firsts)
            .zip(varints(targets))
            .zip(varints(shapes))
            .map(|((first, zigzag), shape)| {
                // `first - target`, zigzag-encoded.
                let target = if zigzag & 1 == 0 {
                    first.wrapping_sub(zigzag >> 1)
                } else {
                    first.wrapping_add((zigzag >> 1) + 1)
                };
                (first, target << 10 | shape)
            })
            .unzip();
        Runs { firsts, packed }
    }

    /// Whether some character maps to `c`. A scan of every run: for rare questions only.
    fn maps_to(&self, c: char) -> bool {
        let c = c as u32;
        self.packed.iter().any(|&packed| {
            let target = packed >> 10;
            if target == c {
                return true;
            }
            // A shifted run maps `first + k * stride` to `target + k * stride`.
            let stride = 1 + ((packed >> 9) & 1);
            let shifted = (packed >> 8) & 1 == 1;
            shifted
                && c > target
                && (c - target).is_multiple_of(stride)
                && (c - target) / stride <= packed & 0xFF
        })
    }

    /// What `c` maps to, if it is in a run.
    fn get(&self, c: char) -> Option<char> {
        let c = c as u32;
        let run = self
            .firsts
            .partition_point(|&first| first <= c)
            .checked_sub(1)?;
        let (first, packed) = (*self.firsts.get(run)?, *self.packed.get(run)?);
        let offset = c - first;
        let stride = 1 + ((packed >> 9) & 1);
        if !offset.is_multiple_of(stride) || offset / stride > packed & 0xFF {
            return None;
        }
        let shifted = (packed >> 8) & 1;
        char::from_u32((packed >> 10) + shifted * offset)
    }
}

/// Whether `c` is a lower-case letter that a capital lower-cases to (`a`, `ß` of `ẞ`), by the
/// table [`push_lowercase`] uses. `char::is_lowercase` would bring core's Lowercase table into
/// the wasm build (0.7 kB gzipped); unlike it, this says no to the few lower-case letters that
/// no capital maps to (`ĸ`, most IPA letters).
pub(crate) fn is_lowercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    folds().lower.maps_to(c)
}

/// Lower case by our own table (`folds().lower`, looked up once per word by the caller): the
/// same mapping as `char::to_lowercase`, without core's tables in the wasm build.
fn push_lowercase(c: char, lower: &Runs, out: &mut String) {
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        '\u{130}' => out.push_str("i\u{307}"),
        _ => out.push(lower.get(c).unwrap_or(c)),
    }
}

/// Characters that change how a word is shown but not which word it is, and that UAX #29
/// keeps inside a word: the soft hyphen a hyphenator puts in `dic\u{ad}ta\u{ad}tor\u{ad}ship`,
/// zero-width joiners and non-joiners, the word joiner, bidi marks and controls, the BOM.
/// Also the narrow no-break space, a space that UAX #29 keeps inside a word (it is
/// ExtendNumLet, for digit grouping as in `1\u{202f}000`): a word's form holds no space.
/// A page's text is matched and searched as if they were not there.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202f}'
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
                name: "narrow no-break space inside a word",
                input: "1\u{202f}000 sn\u{202f}s",
                expected: &["1000", "sns"],
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

    /// Every field of every token, stemmed or not.
    fn all_tokens(analyzer: &Analyzer, input: &str) -> Vec<String> {
        let mut tokens = Tokens::new();
        analyzer.tokenize(input, &mut tokens);
        tokens.iter().map(|t| format!("{t:?}")).collect()
    }

    fn with_cache_capacity(capacity: usize) -> Analyzer {
        let analyzer = Analyzer::new(Language::ENGLISH);
        analyzer.words.borrow_mut().capacity = capacity;
        analyzer
    }

    #[test]
    fn word_cache_table() {
        struct Row {
            name: &'static str,
            input: &'static str,
            expected: &'static [(&'static str, &'static str)],
        }
        let rows = [
            Row {
                name: "repeats, any case",
                input: "Soviets soviets SOVIETS soviets",
                expected: &[
                    ("soviets", "soviet"),
                    ("soviets", "soviet"),
                    ("soviets", "soviet"),
                    ("soviets", "soviet"),
                ],
            },
            Row {
                name: "curly and straight possessives",
                input: "Lenin’s Lenin's Lenin’s",
                expected: &[("lenin", "lenin"), ("lenin", "lenin"), ("lenin", "lenin")],
            },
            Row {
                name: "accents: stemmed before folding",
                input: "Vendôme vendome Vendôme",
                expected: &[
                    ("vendome", "vendom"),
                    ("vendome", "vendom"),
                    ("vendome", "vendom"),
                ],
            },
            Row {
                name: "words only after folding (stemmed before it, so as written)",
                input: "ＳＴＡＴＥＳ ﬁnal Straße",
                expected: &[
                    ("states", "states"),
                    ("final", "final"),
                    ("strasse", "strasse"),
                ],
            },
            Row {
                name: "emoji and a stray combining mark are no words",
                input: "power 🚩 \u{301} power👩‍👩‍👧power",
                expected: &[("power", "power"), ("power", "power"), ("power", "power")],
            },
            Row {
                name: "compounds after cached parts",
                input: "working-class working-class",
                expected: &[
                    ("working", "work"),
                    ("class", "class"),
                    ("workingclass", "workingclass"),
                    ("working", "work"),
                    ("class", "class"),
                    ("workingclass", "workingclass"),
                ],
            },
        ];
        let long = "revolutionaries".repeat(10);
        for row in rows {
            let cached = Analyzer::new(Language::ENGLISH);
            let uncached = with_cache_capacity(0);
            let mut tokens = Tokens::new();
            for pass in ["cold", "warm"] {
                cached.tokenize(row.input, &mut tokens);
                let pairs: Vec<(&str, &str)> = tokens.iter().map(|t| (t.text, t.stem)).collect();
                assert_eq!(pairs, row.expected, "{} ({pass})", row.name);
                assert_eq!(
                    all_tokens(&cached, row.input),
                    all_tokens(&uncached, row.input),
                    "{} ({pass})",
                    row.name
                );
            }
            // A word too long to remember is analysed each time, the same way.
            let text = format!("{} {long} {}", row.input, row.input);
            assert_eq!(all_tokens(&cached, &text), all_tokens(&uncached, &text));
        }
    }

    #[test]
    fn a_full_cache_starts_over_between_texts() {
        let analyzer = with_cache_capacity(3);
        let reference = with_cache_capacity(0);
        let texts = ["a b c d e f", "f e d c b a", "g h a b", "a-b c-d a-b"];
        for _ in 0..3 {
            for text in texts {
                assert_eq!(all_tokens(&analyzer, text), all_tokens(&reference, text));
                // Entries are never renumbered within a text.
                let mut tokens = Tokens::new();
                analyzer.tokenize(text, &mut tokens);
                let mut seen: Vec<(u32, &str)> = tokens
                    .iter()
                    .zip(tokens.words())
                    .filter(|(_, w)| *w != NO_WORD)
                    .map(|(t, w)| (w, t.text))
                    .collect();
                seen.sort_unstable();
                seen.dedup();
                assert!(
                    seen.windows(2).all(|p| p[0].0 != p[1].0),
                    "{text}: {seen:?}"
                );
            }
        }
        assert!(analyzer.words.borrow().entries.len() <= 3);
    }

    #[test]
    fn word_tags_live_with_their_entries() {
        let analyzer = with_cache_capacity(2);
        let mut tokens = Tokens::new();
        analyzer.tokenize("one two", &mut tokens);
        let ids: Vec<u32> = tokens.words().collect();
        assert_eq!(analyzer.word_tag(ids[0]), NO_WORD);
        analyzer.set_word_tag(ids[0], 7);
        assert_eq!(analyzer.word_tag(ids[0]), 7);
        analyzer.set_word_tag(NO_WORD, 9);
        assert_eq!(analyzer.word_tag(NO_WORD), NO_WORD);
        // Full: the next text starts the cache over, and the tags with it.
        analyzer.tokenize("three", &mut tokens);
        assert_eq!(analyzer.word_tag(ids[0]), NO_WORD);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            #[test]
            fn cached_tokens_are_uncached_tokens(
                texts in proptest::collection::vec("[a-zA-Z0-9 _.,;:'\"!?()\\-\n’‘“”–—…«»·éÉôﬁß\u{a0}\u{ad}\u{301}\u{200d}🚩民]{0,30}", 1..4),
                capacity in 0usize..6,
            ) {
                let cached = with_cache_capacity(capacity);
                let uncached = with_cache_capacity(0);
                for text in texts.iter().chain(&texts) {
                    prop_assert_eq!(all_tokens(&cached, text), all_tokens(&uncached, text));
                }
            }

            /// Placing a hit's highlights marks the passage's words without tokenising it:
            /// they must be the tokenizer's words, with the terms of their normalised text,
            /// whether `terms` holds every word or only some (the shape filter rules the
            /// others out), and its compounds.
            #[test]
            fn marked_words_are_the_tokens(
                text in "([a-zA-Z0-9 _.,;:'\"!?()\\-\n’‘“”–—…«»·éÉôﬁß\u{a0}\u{ad}\u{301}\u{200d}🚩民]|'s|'S|s'|''){0,30}",
                kept in 1usize..4,
            ) {
                let analyzer = Analyzer::new(Language::ENGLISH);
                let mut tokens = Tokens::new();
                analyzer.tokenize(&text, &mut tokens);
                // Every `kept`-th distinct word (compounds too) stands for a term.
                let mut terms = WordTerms::default();
                let mut distinct: Vec<&str> = tokens.iter().map(|t| t.text).collect();
                distinct.sort_unstable();
                distinct.dedup();
                for (i, word) in distinct.iter().enumerate().filter(|(i, _)| i % kept == 0) {
                    terms.insert(word, i as u32);
                }
                let mut marks = Marks::default();
                mark(&text, &terms, &mut marks);

                let words: Vec<Token> = tokens.iter().filter(|t| !t.compound).collect();
                let expected: Vec<Marked> = words
                    .iter()
                    .map(|t| Marked { start: t.start, end: t.end, span: t.span, term: terms.get(t.text) })
                    .collect();
                prop_assert_eq!(&marks.words, &expected);
                let compounds: Vec<(usize, usize, Option<u32>)> = tokens
                    .iter()
                    .filter(|t| t.compound)
                    .map(|c| {
                        let first = words.partition_point(|w| w.start < c.start);
                        let last = words.partition_point(|w| w.end <= c.end);
                        (first, last, terms.get(c.text))
                    })
                    .collect();
                prop_assert_eq!(&marks.compounds, &compounds);
            }

            /// The normalised length of a plain ASCII segment is what normalising it leaves.
            #[test]
            fn ascii_normal_len_is_the_normalised_length(segment in "[a-zA-Z0-9_'.]{1,12}") {
                let mut lowered = String::new();
                let mut normal = String::new();
                let made = text_into(&segment, &mut lowered, &mut normal).map(|_| normal.clone());
                let predicted = ascii_normal_len(&segment).map(|len| segment[..len].to_ascii_lowercase());
                prop_assert_eq!(predicted, made);
            }

            /// Offsets cross to JavaScript in these units: one, two, three and four-byte
            /// characters, lone ASCII and none, must all count as `encode_utf16` counts them.
            #[test]
            fn utf16_len_counts_what_javascript_counts(text in "\\PC{0,40}") {
                prop_assert_eq!(utf16_len(&text) as usize, text.encode_utf16().count());
            }

            #[test]
            fn fast_words_are_words(text in "[a-zA-Z0-9 _.,;:'\"!?()\\-\n\t\r\u{b}\u{0}\u{7f}’‘“”–—…«»·éÉß\u{a0}\u{ad}\u{301}\u{200d}🚩民]{0,40}") {
                prop_assert_eq!(fast_words(&text).collect::<Vec<_>>(), words(&text).collect::<Vec<_>>());
            }

            /// Long enough for many batches of words, which end anywhere: within a plain
            /// stretch, within one left to `words`, or at the text's end.
            #[test]
            fn fast_words_are_words_across_batches(text in "([a-zA-Z0-9_]{1,3}([ .,:'_é🚩\u{301}]|  |\n\n)){0,150}") {
                prop_assert_eq!(fast_words(&text).collect::<Vec<_>>(), words(&text).collect::<Vec<_>>());
            }

            #[test]
            fn plain_runs_end_where_a_byte_at_a_time_would_say(
                bytes in proptest::collection::vec(
                    prop_oneof![0x1fu8..=0x22, 0x7du8..=0x81, b'a'..=b'z', any::<u8>()],
                    0..40,
                ),
                at in 0usize..40,
            ) {
                let at = at.min(bytes.len());
                let one_at_a_time = (at..bytes.len())
                    .find(|&i| matches!(BYTE_CLASSES[usize::from(bytes[i])], SPACE | ELSE))
                    .unwrap_or(bytes.len());
                prop_assert_eq!(plain_run_end(&bytes, at), one_at_a_time);
            }

            #[test]
            fn wordlike_runs_end_where_a_byte_at_a_time_would_say(
                plain in proptest::collection::vec(0x21u8..=0x7e, 0..24),
                after in proptest::collection::vec(any::<u8>(), 0..10),
                at in 0usize..24,
            ) {
                let end = plain.len();
                let at = at.min(end);
                let bytes = [plain, after].concat();
                let one_at_a_time = (at..end)
                    .find(|&i| !is_wordlike(BYTE_CLASSES[usize::from(bytes[i])]))
                    .unwrap_or(end);
                prop_assert_eq!(wordlike_run_end(&bytes, at, end), one_at_a_time);
            }

            #[test]
            fn ascii_lowercase_lowers_each_byte(bytes in any::<[u8; 8]>()) {
                let mut lowered = bytes;
                lowered.make_ascii_lowercase();
                prop_assert_eq!(
                    ascii_lowercase(u64::from_le_bytes(bytes)).to_le_bytes(),
                    lowered
                );
            }

            #[test]
            fn fast_words_are_words_on_any_text(text in any::<String>()) {
                prop_assert_eq!(fast_words(&text).collect::<Vec<_>>(), words(&text).collect::<Vec<_>>());
            }

            #[test]
            fn cached_tokens_on_any_text(text in any::<String>()) {
                let cached = Analyzer::new(Language::ENGLISH);
                let uncached = with_cache_capacity(0);
                prop_assert_eq!(all_tokens(&cached, &text), all_tokens(&uncached, &text));
                // Again, now that the cache holds the text's words.
                prop_assert_eq!(all_tokens(&cached, &text), all_tokens(&uncached, &text));
            }
        }
    }

    #[test]
    fn fast_words_table() {
        struct Row {
            name: &'static str,
            input: &'static str,
            expected: &'static [&'static str],
        }
        let rows = [
            Row {
                name: "plain",
                input: "The dual power",
                expected: &["The", "dual", "power"],
            },
            Row {
                name: "apostrophes and decimals",
                input: "Lenin's 3.14 1,000 a.b. e.g. don't'",
                expected: &["Lenin's", "3.14", "1,000", "a.b", "e.g", "don't"],
            },
            Row {
                name: "middle characters need the same kind both sides",
                input: "a:b 1:2 a,b 1;2 a.1 1.a a'1",
                expected: &[
                    "a:b", "1", "2", "a", "b", "1;2", "a", "1", "1", "a", "a", "1",
                ],
            },
            Row {
                name: "underscores",
                input: "__ _a a__b 1_2 _",
                expected: &["_a", "a__b", "1_2"],
            },
            Row {
                name: "curly quotes go the long way",
                input: "“dual” Lenin’s power",
                expected: &["dual", "Lenin’s", "power"],
            },
            Row {
                name: "accents",
                input: "Vendôme café,naïve",
                expected: &["Vendôme", "café", "naïve"],
            },
            Row {
                name: "emoji",
                input: "🚩red 👩‍👩‍👧 ok🚩",
                expected: &["red", "ok"],
            },
            Row {
                name: "a mark after a space",
                input: "a \u{301}b c",
                expected: &["a", "b", "c"],
            },
            Row {
                name: "controls",
                input: "a\u{b}b\u{c}c\u{0}d\u{7f}e",
                expected: &["a", "b", "c", "d", "e"],
            },
            Row {
                name: "punctuation runs and ends",
                input: "...?!(a) [b]- -c- 'd' .",
                expected: &["a", "b", "c", "d"],
            },
            Row {
                name: "empty",
                input: "",
                expected: &[],
            },
            Row {
                name: "spaces only",
                input: " \t\r\n ",
                expected: &[],
            },
        ];
        for row in rows {
            let fast: Vec<(usize, &str)> = fast_words(row.input).collect();
            let reference: Vec<(usize, &str)> = words(row.input).collect();
            assert_eq!(fast, reference, "{}", row.name);
            let found: Vec<&str> = fast.iter().map(|w| w.1).collect();
            assert_eq!(found, row.expected, "{}", row.name);
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

    /// The decoded fold and lower-case tables at their edges and in each kind of run: the
    /// first and last run, runs that map to one character and runs that shift, stride-2
    /// runs, targets above and below the run's first character, and the forms of several
    /// characters, the first and the last.
    #[test]
    fn fold_tables_decode_at_their_edges() {
        struct Row {
            name: &'static str,
            input: &'static str,
            expected: &'static str,
        }
        let rows = [
            Row {
                name: "first fold run",
                input: "\u{aa}",
                expected: "a",
            },
            Row {
                name: "last fold run",
                input: "\u{1fbf0}",
                expected: "0",
            },
            Row {
                name: "shifted runs",
                input: "𝐒𝐭𝐚𝐭𝐞",
                expected: "state",
            },
            Row {
                name: "lower-case stride 2",
                input: "ĀāĂăĄą",
                expected: "aaaaaa",
            },
            Row {
                name: "fold stride 2",
                input: "ýÿ",
                expected: "yy",
            },
            Row {
                name: "lower case above",
                input: "Жук 𐐀",
                expected: "жук 𐐨",
            },
            Row {
                name: "lower case below",
                input: "\u{2126}\u{212a}",
                expected: "ωk",
            },
            Row {
                name: "last lower run",
                input: "\u{1e921}",
                expected: "\u{1e943}",
            },
            Row {
                name: "dotted capital I",
                input: "İ",
                expected: "i",
            },
            Row {
                name: "first form of several",
                input: "¼",
                expected: "1\u{2044}4",
            },
            Row {
                name: "ligature",
                input: "ﬁ",
                expected: "fi",
            },
            Row {
                name: "last form of several",
                input: "\u{1f10a}",
                expected: "9,",
            },
            Row {
                name: "a form of only white space folds away (ypogegrammeni)",
                input: "a\u{37a}b",
                expected: "ab",
            },
            Row {
                name: "Arabic mathematical letters are left out",
                input: "\u{1ee01}",
                expected: "\u{1ee01}",
            },
            Row {
                name: "Latin Extended-F modifier letters are left out",
                input: "\u{10781}",
                expected: "\u{10781}",
            },
        ];
        let analyzer = Analyzer::new(Language::ENGLISH);
        for row in rows {
            assert_eq!(analyzer.normalize(row.input), row.expected, "{}", row.name);
        }
        // The streams of a table are decoded side by side: each must hold one number per item.
        use fold_table::*;
        for streams in [
            [&FOLD_FIRSTS[..], &FOLD_TARGETS, &FOLD_SHAPES],
            [&LOWER_FIRSTS, &LOWER_TARGETS, &LOWER_SHAPES],
        ] {
            let counts = streams.map(|bytes| varints(bytes).count());
            assert_eq!(counts, [counts[0]; 3]);
        }
        assert_eq!(folds().multi_keys.len(), FOLD_MULTI_LENGTHS.len());
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
            push_lowercase(c, &folds().lower, &mut ours);
            let core: String = c.to_lowercase().collect();
            assert_eq!(ours, core, "U+{cp:04X}");
        }
    }

    #[test]
    fn lower_case_letters_are_those_capitals_lower_case_to() {
        let rows = [
            ("ASCII small", 'a', true),
            ("ASCII capital", 'A', false),
            ("digit", '1', false),
            ("accented small", 'é', true),
            ("accented capital", 'É', false),
            ("sharp s, lower case of ẞ", 'ß', true),
            ("Latin Extended-A small, in a shifted run", 'ă', true),
            ("Latin Extended-A capital", 'Ă', false),
            ("Greek small", 'ω', true),
            ("Greek final sigma", 'ς', false),
            ("Cyrillic small", 'я', true),
            ("Deseret small", '\u{10428}', true),
            ("ideograph", '民', false),
            ("Arabic letter", 'ا', false),
            ("kra: lower case, but no capital maps to it", 'ĸ', false),
        ];
        for (name, c, expected) in rows {
            assert_eq!(is_lowercase(c), expected, "{name}");
        }
        // Never a false yes, and yes for every lower case the table gives a capital (the
        // fold table's Unicode version may be older than the toolchain's).
        let lower = &folds().lower;
        for c in (0..0x110000).filter_map(char::from_u32) {
            if is_lowercase(c) {
                assert!(c.is_lowercase(), "U+{:04X}", u32::from(c));
            }
            if let Some(l) = lower.get(c) {
                assert!(
                    is_lowercase(l),
                    "U+{:04X} of U+{:04X}",
                    u32::from(l),
                    u32::from(c)
                );
            }
        }
    }
}
