//! Glossaries: the JSON format, finding every term in a text, and looking up what a reader
//! selected.
//!
//! Terms match over normalised, stemmed tokens (see [`crate::Analyzer`]), so matching is
//! case-insensitive, tolerant of inflection and diacritics, and never inside a longer word.
//! Every term and alias of every entry is compiled into one trie over token stems; annotating
//! walks it from each token, so the work is linear in the text whatever the glossary's size
//! (times the length of the longest term, in words).

use crate::distance;
use crate::error::Error;
use crate::language::Language;
use crate::tokenize::{fast_words, is_break, utf16_len, Analyzer, Span, Tokens};
use crate::value::{decimal, quoted, FieldError, Value};
use crate::word_table::WordTable;
use crate::HashMap;
use serde::Serialize;
use std::cell::RefCell;

const FIELDS: [&str; 7] = [
    "id",
    "term",
    "aliases",
    "definition",
    "see_also",
    "link",
    "sort_as",
];

/// One glossary entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable identifier; derived from the term when the JSON gives none.
    pub id: String,
    /// The headword, as the glossary writes it.
    pub term: String,
    /// Other names that mean the same entry.
    pub aliases: Vec<String>,
    /// The definition, as plain text with optional `*emphasis*`.
    pub definition: String,
    /// Ids of related entries.
    pub see_also: Vec<String>,
    /// An external `http(s)` or site-relative link.
    pub link: Option<String>,
    /// How an A–Z index files the entry ("Marx, Karl" for "Karl Marx"); the term when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_as: Option<String>,
}

impl Entry {
    /// The term followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// An occurrence of a glossary term in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index of the entry in [`Glossary::entries`].
    pub entry: usize,
    /// Byte offset of the first matched word.
    pub start: usize,
    /// Byte offset just past the last matched word.
    pub end: usize,
    /// The same range in UTF-16 code units.
    pub span: Span,
}

/// A [`Match`] as the outside world sees it: the entry's id and UTF-16 offsets into the text.
/// Serialises as `{"term", "start", "end", "text"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Annotation<'a> {
    pub term: &'a str,
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
}

const NO_SYMBOL: u32 = u32::MAX;
/// In the symbol cache: the segment is no word at all (see [`Analyzer::tokenize`]).
const NO_WORD_HERE: u32 = u32::MAX - 1;

/// A word of the text that is a glossary word: its bytes, its symbol, and whether it directly
/// continues the previous word (also a glossary word, no phrase break between).
#[derive(Clone, Copy, Debug)]
struct Candidate {
    start: usize,
    end: usize,
    symbol: u32,
    joined: bool,
}

/// UTF-16 offsets of increasing byte offsets into one text, counted on from the last.
#[derive(Default)]
struct Utf16Counter {
    byte: usize,
    units: u32,
}

impl Utf16Counter {
    fn at(&mut self, text: &str, byte: usize) -> u32 {
        self.units = self
            .units
            .saturating_add(utf16_len(text.get(self.byte..byte).unwrap_or("")));
        self.byte = byte;
        self.units
    }
}
const ROOT: u32 = 0;
const NO_NODE: u32 = u32::MAX;

/// A trie over stem symbols: a node per distinct prefix of a term's stem sequence.
#[derive(Clone, Debug, Default)]
struct Matcher {
    symbols: HashMap<String, u32>,
    /// Per symbol, the node a name starting with it steps to from the root, or [`NO_NODE`].
    /// Every glossary word of a text is a step from the root, and few step further.
    roots: Vec<u32>,
    /// The other steps.
    edges: HashMap<(u32, u32), u32>,
    /// Per node, the entry whose name ends there.
    accepts: Vec<Option<u32>>,
}

impl Matcher {
    fn new() -> Matcher {
        Matcher {
            accepts: vec![None],
            ..Matcher::default()
        }
    }

    fn symbol(&self, stem: &str) -> u32 {
        self.symbols.get(stem).copied().unwrap_or(NO_SYMBOL)
    }

    fn step(&self, node: u32, symbol: u32) -> Option<u32> {
        if node == ROOT {
            return self
                .roots
                .get(symbol as usize)
                .copied()
                .filter(|&n| n != NO_NODE);
        }
        if symbol == NO_SYMBOL {
            return None;
        }
        self.edges.get(&(node, symbol)).copied()
    }

    /// Adds a name; returns the entry that already owns this exact stem sequence, if another.
    fn insert(&mut self, stems: &[String], entry: u32) -> Option<u32> {
        let mut node = ROOT;
        for stem in stems {
            let next_symbol = self.symbols.len() as u32;
            let symbol = *self.symbols.entry(stem.clone()).or_insert(next_symbol);
            let next_node = self.accepts.len() as u32;
            node = if node == ROOT {
                if self.roots.len() <= symbol as usize {
                    self.roots.resize(symbol as usize + 1, NO_NODE);
                }
                let root = &mut self.roots[symbol as usize];
                if *root == NO_NODE {
                    *root = next_node;
                }
                *root
            } else {
                *self.edges.entry((node, symbol)).or_insert(next_node)
            };
            if node == next_node {
                self.accepts.push(None);
            }
        }
        match self.accepts[node as usize] {
            Some(owner) if owner != entry => Some(owner),
            _ => {
                self.accepts[node as usize] = Some(entry);
                None
            }
        }
    }

    fn accepts(&self, node: u32) -> Option<u32> {
        self.accepts.get(node as usize).copied().flatten()
    }

    /// The longest name starting at `symbols[0]`: (entry, number of symbols). `breaks[i]`
    /// says a phrase break precedes symbol `i`; no match spans one.
    fn longest_at(&self, symbols: &[u32], breaks: &[bool]) -> Option<(u32, usize)> {
        let mut node = ROOT;
        let mut best = None;
        for (i, &symbol) in symbols.iter().enumerate() {
            if i > 0 && breaks.get(i).copied().unwrap_or(false) {
                break;
            }
            match self.step(node, symbol) {
                Some(next) => node = next,
                None => break,
            }
            if let Some(entry) = self.accepts(node) {
                best = Some((entry, i + 1));
            }
        }
        best
    }
}

/// A parsed, validated glossary, ready to annotate text and look up selections.
///
/// ```
/// use glossa::Glossary;
///
/// let glossary = Glossary::from_json(r#"{"language": "en", "entries": [
///     {"term": "dictatorship of the proletariat", "aliases": ["proletarian dictatorship"],
///      "definition": "Rule by the working class."},
///     {"term": "soviet", "definition": "A workers' council."}
/// ]}"#).unwrap();
/// let text = "Dictatorships of the Proletariat and the soviets, not a soviet-era statue";
/// let found: Vec<(&str, &str)> = glossary
///     .annotate(text)
///     .iter()
///     .map(|m| (glossary.entries()[m.entry].id.as_str(), &text[m.start..m.end]))
///     .collect();
/// assert_eq!(found, [
///     ("dictatorship-of-the-proletariat", "Dictatorships of the Proletariat"),
///     ("soviet", "soviets"),
///     ("soviet", "soviet"),
/// ]);
/// assert_eq!(glossary.lookup("Sovet").unwrap().term, "soviet");
/// ```
#[derive(Clone, Debug)]
pub struct Glossary {
    analyzer: Analyzer,
    entries: Vec<Entry>,
    /// Entry positions by id (u32, as the crate's other maps hold: each key and value type
    /// costs the wasm its own copy of the hash table's code).
    ids: HashMap<String, u32>,
    matcher: Matcher,
    /// Every name's normalised words joined by spaces, for close-spelling look-ups.
    spellings: Vec<(Vec<char>, usize)>,
    words: RefCell<WordTable>,
}

impl Glossary {
    /// Parses the JSON format documented in the README:
    /// `{"language": "en", "entries": [{"id", "term", "aliases", "definition", "see_also", "link"}]}`
    /// (a bare array of entries is also accepted, in English).
    ///
    /// Errors name the entry and the problem: malformed JSON with its line and column, an
    /// entry without a term or with an empty one, a duplicate id, a `see_also` naming an
    /// unknown id, two entries claiming the same term, a link with a scheme other than http(s).
    pub fn from_json(json: &str) -> Result<Glossary, Error> {
        let value = Value::parse(json)
            .map_err(|e| Error::glossary(["glossary is not valid JSON: ", &e].concat()))?;
        Glossary::from_value(&value)
    }

    /// The glossary from already-parsed JSON.
    pub(crate) fn from_value(value: &Value) -> Result<Glossary, Error> {
        let (language, raw_entries) = match value {
            Value::Array(entries) => (Language::ENGLISH, entries),
            Value::Object(_) => {
                let language = match value.get("language") {
                    None | Some(Value::Null) => Language::ENGLISH,
                    Some(Value::String(code)) => Language::from_code(code).map_err(|e| {
                        Error::glossary(["glossary language: ", e.message()].concat())
                    })?,
                    Some(_) => {
                        return Err(Error::glossary(
                            "glossary \"language\" must be a string such as \"en\"",
                        ))
                    }
                };
                match value.get("entries") {
                    Some(Value::Array(entries)) => (language, entries),
                    Some(_) => {
                        return Err(Error::glossary(
                            "glossary \"entries\" must be an array of entries",
                        ))
                    }
                    None => return Err(Error::glossary("glossary has no \"entries\" array")),
                }
            }
            _ => {
                return Err(Error::glossary(
                    "glossary must be a JSON object with an \"entries\" array",
                ))
            }
        };
        let analyzer = Analyzer::new(language);
        let entries = raw_entries
            .iter()
            .enumerate()
            .map(|(i, raw)| parse_entry(i, raw, &analyzer))
            .collect::<Result<Vec<_>, _>>()?;
        Glossary::with_analyzer(analyzer, entries)
    }

    /// Builds a glossary from entries, with the same validation as [`Glossary::from_json`]
    /// (ids must be given).
    pub fn new(language: Language, entries: Vec<Entry>) -> Result<Glossary, Error> {
        Glossary::with_analyzer(Analyzer::new(language), entries)
    }

    fn with_analyzer(analyzer: Analyzer, entries: Vec<Entry>) -> Result<Glossary, Error> {
        let mut ids = HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for (i, entry) in entries.iter().enumerate() {
            if entry.id.trim().is_empty() {
                return Err(Error::glossary(
                    [&describe(i, entry), ": empty id"].concat(),
                ));
            }
            if entry.term.trim().is_empty() {
                return Err(Error::glossary(
                    [&describe(i, entry), ": empty term"].concat(),
                ));
            }
            if let Some(url) = &entry.link {
                check_link(url).map_err(|problem| {
                    Error::glossary(
                        [&describe(i, entry), ": link ", &quoted(url), " ", problem].concat(),
                    )
                })?;
            }
            if let Some(first) = ids.insert(entry.id.clone(), i as u32) {
                let first = first as usize;
                return Err(Error::glossary(
                    [
                        &describe(first, &entries[first]),
                        " and ",
                        &describe(i, entry),
                        " both have id ",
                        &quoted(&entry.id),
                    ]
                    .concat(),
                ));
            }
        }
        let mut matcher = Matcher::new();
        let mut spellings = Vec::new();
        let mut tokens = Tokens::new();
        for (i, entry) in entries.iter().enumerate() {
            for target in &entry.see_also {
                if !ids.contains_key(target) {
                    return Err(Error::glossary(
                        [
                            &describe(i, entry),
                            ": see_also names unknown id ",
                            &quoted(target),
                        ]
                        .concat(),
                    ));
                }
            }
            for name in entry.names() {
                analyzer.tokenize(name, &mut tokens);
                let words: Vec<_> = tokens.iter().filter(|t| !t.compound).collect();
                let stems: Vec<String> = words.iter().map(|t| t.stem.to_owned()).collect();
                if stems.is_empty() {
                    return Err(Error::glossary(
                        [
                            &describe(i, entry),
                            ": name ",
                            &quoted(name),
                            " has no words to match",
                        ]
                        .concat(),
                    ));
                }
                if let Some(owner) = matcher.insert(&stems, i as u32) {
                    let owner = owner as usize;
                    return Err(Error::glossary(
                        [
                            &describe(owner, &entries[owner]),
                            " and ",
                            &describe(i, entry),
                            " both claim the name ",
                            &quoted(name),
                        ]
                        .concat(),
                    ));
                }
                let spelling: Vec<&str> = words.iter().map(|t| t.text).collect();
                spellings.push((spelling.join(" ").chars().collect(), i));
            }
        }
        Ok(Glossary {
            analyzer,
            entries,
            ids,
            matcher,
            spellings,
            words: RefCell::default(),
        })
    }

    pub fn language(&self) -> Language {
        self.analyzer.language()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entry_index(id).map(|i| &self.entries[i])
    }

    /// The position of entry `id` in [`Glossary::entries`].
    pub(crate) fn entry_index(&self, id: &str) -> Option<usize> {
        self.ids.get(id).map(|&i| i as usize)
    }

    /// Every occurrence of every term and alias in `text`, in text order, without overlaps:
    /// where candidates overlap, the leftmost wins, and of those the longest.
    pub fn annotate(&self, text: &str) -> Vec<Match> {
        let mut guard = self.words.try_borrow_mut().ok();
        let mut spare = WordTable::default();
        let cache = guard.as_deref_mut().unwrap_or(&mut spare);
        // The words that are glossary words, each with whether it directly continues the
        // previous one (a glossary word too, with no phrase break between them). Most words
        // of a text are no glossary word, and cost a word segment and one look-up.
        let mut candidates: Vec<Candidate> = Vec::new();
        // Where the previous word ended, if it was a glossary word.
        let mut candidate_end = None;
        let mut words = fast_words(text);
        loop {
            let batch = words.next_batch();
            if batch.is_empty() {
                break;
            }
            for &(start, segment) in batch {
                let key = WordTable::key(text, start, start + segment.len());
                let symbol = match key.and_then(|key| cache.get(key)) {
                    Some(symbol) => symbol,
                    None => {
                        let symbol = self.analyzer.word_forms(segment, |forms| {
                            forms.map_or(NO_WORD_HERE, |(_, stem)| self.matcher.symbol(stem))
                        });
                        if let Some(key) = key {
                            cache.insert(key, symbol);
                        }
                        symbol
                    }
                };
                if symbol == NO_WORD_HERE {
                    continue;
                }
                if symbol == NO_SYMBOL {
                    candidate_end = None;
                    continue;
                }
                let joined = candidate_end
                    .is_some_and(|end| !is_break(text.get(end..start).unwrap_or_default()));
                candidates.push(Candidate {
                    start,
                    end: start + segment.len(),
                    symbol,
                    joined,
                });
                candidate_end = Some(start + segment.len());
            }
        }

        let mut found = Vec::new();
        let mut utf16 = Utf16Counter::default();
        let mut i = 0;
        while i < candidates.len() {
            let mut node = ROOT;
            let mut best = None;
            for (k, c) in candidates[i..].iter().enumerate() {
                if k > 0 && !c.joined {
                    break;
                }
                match self.matcher.step(node, c.symbol) {
                    Some(next) => node = next,
                    None => break,
                }
                if let Some(entry) = self.matcher.accepts(node) {
                    best = Some((entry, k + 1));
                }
            }
            match best {
                Some((entry, len)) => {
                    let (start, end) = (candidates[i].start, candidates[i + len - 1].end);
                    let span = Span::new(utf16.at(text, start), utf16.at(text, end));
                    found.push(Match {
                        entry: entry as usize,
                        start,
                        end,
                        span,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }

    /// [`Glossary::annotate`], with entry ids, UTF-16 offsets and the matched text.
    pub fn annotations<'a>(&'a self, text: &'a str) -> Vec<Annotation<'a>> {
        self.annotate(text)
            .into_iter()
            .map(|m| Annotation {
                term: &self.entries[m.entry].id,
                start: m.span.start,
                end: m.span.end,
                text: &text[m.start..m.end],
            })
            .collect()
    }

    /// The entry a reader means by the word or phrase they selected: the term or an alias
    /// (any case, inflection or diacritics), else the name closest in spelling (one edit for
    /// four letters or more, two for eight or more), else the longest term inside the selection.
    pub fn lookup(&self, selection: &str) -> Option<&Entry> {
        let mut tokens = Tokens::new();
        self.analyzer.tokenize(selection, &mut tokens);
        let words: Vec<_> = tokens.iter().filter(|t| !t.compound).collect();
        if words.is_empty() {
            return None;
        }
        let mut node = ROOT;
        let exact = words.iter().try_for_each(|t| {
            node = self.matcher.step(node, self.matcher.symbol(t.stem))?;
            Some(())
        });
        if let Some(entry) = exact.and_then(|()| self.matcher.accepts(node)) {
            return self.entries.get(entry as usize);
        }

        let typed: Vec<char> = words
            .iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .collect();
        let allowed = distance::allowed_edits(typed.len());
        let closest = self
            .spellings
            .iter()
            .filter_map(|(name, entry)| Some((distance::within(&typed, name, allowed)?, *entry)))
            .min_by_key(|&(d, entry)| (d, entry));
        if let Some((_, entry)) = closest {
            return self.entries.get(entry);
        }

        self.annotate(selection)
            .into_iter()
            .max_by_key(|m| (m.end - m.start, std::cmp::Reverse(m.start)))
            .and_then(|m| self.entries.get(m.entry))
    }

    /// The glossary as JSON in its own format, ids filled in.
    pub fn to_json(&self) -> String {
        [
            "{\"language\":\"",
            self.language().code(),
            "\",\"entries\":",
            &entries_json(&self.entries),
            "}",
        ]
        .concat()
    }

    /// Terms among a query's word stems: (first word, word count, entry), leftmost-longest.
    pub(crate) fn find_in_stems(&self, stems: &[&str]) -> Vec<(usize, usize, usize)> {
        let symbols: Vec<u32> = stems.iter().map(|s| self.matcher.symbol(s)).collect();
        let no_breaks = vec![false; symbols.len()];
        let mut found = Vec::new();
        let mut i = 0;
        while i < symbols.len() {
            match self.matcher.longest_at(&symbols[i..], &no_breaks[i..]) {
                Some((entry, len)) => {
                    found.push((i, len, entry as usize));
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }
}

/// `entries` as a JSON array in the glossary format, ids filled in. Written by hand, not by
/// serde_json, which would bring its serialiser into the wasm for this alone; the browser
/// gets `entries()` as this one string for its JSON.parse (made field by field, they took a
/// call out of wasm per field, name and alias, over a thousand for the demo's 72 entries).
pub(crate) fn entries_json(entries: &[Entry]) -> String {
    let mut out = String::from("[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        entry_json(&mut out, e);
    }
    out.push(']');
    out
}

/// One entry as [`entries_json`] writes it.
pub(crate) fn entry_json(out: &mut String, e: &Entry) {
    out.push_str("{\"id\":");
    json_string(out, &e.id);
    out.push_str(",\"term\":");
    json_string(out, &e.term);
    out.push_str(",\"aliases\":");
    json_strings(out, &e.aliases);
    out.push_str(",\"definition\":");
    json_string(out, &e.definition);
    out.push_str(",\"see_also\":");
    json_strings(out, &e.see_also);
    out.push_str(",\"link\":");
    match &e.link {
        Some(link) => json_string(out, link),
        None => out.push_str("null"),
    }
    if let Some(sort_as) = &e.sort_as {
        out.push_str(",\"sort_as\":");
        json_string(out, sort_as);
    }
    out.push('}');
}

fn json_strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(out, item);
    }
    out.push(']');
}

/// `s` as a JSON string literal: quotes, backslashes and control characters escaped. The
/// text between them is copied a run at a time (pushed a character at a time, the demo's
/// entries took three times as long).
fn json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' || b == b'\\' || b < 0x20 {
            // All are ASCII, so `i` is a character boundary.
            out.push_str(&s[plain..i]);
            if b < 0x20 {
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)].into());
                out.push(HEX[usize::from(b & 15)].into());
            } else {
                out.push('\\');
                out.push(b.into());
            }
            plain = i + 1;
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

fn describe(index: usize, entry: &Entry) -> String {
    describe_names(index, Some(&entry.term), None)
}

fn describe_raw(index: usize, raw: &Value) -> String {
    describe_names(
        index,
        raw.get("term").and_then(Value::as_str),
        raw.get("id").and_then(Value::as_str),
    )
}

/// `entry 3 ("dual power")`, `entry 3 (id "dual-power")` or `entry 3`: entries are counted
/// from 1, and named by their term, else their id.
fn describe_names(index: usize, term: Option<&str>, id: Option<&str>) -> String {
    let number = decimal(index as u64 + 1);
    match (term, id) {
        (Some(term), _) => ["entry ", &number, " (", &quoted(term), ")"].concat(),
        (None, Some(id)) => ["entry ", &number, " (id ", &quoted(id), ")"].concat(),
        (None, None) => ["entry ", &number].concat(),
    }
}

fn parse_entry(index: usize, raw: &Value, analyzer: &Analyzer) -> Result<Entry, Error> {
    let Value::Object(fields) = raw else {
        return Err(Error::glossary(
            [
                "entry ",
                &decimal(index as u64 + 1),
                " is not a JSON object",
            ]
            .concat(),
        ));
    };
    let at = || describe_raw(index, raw);
    for (key, _) in fields {
        if FIELDS.contains(&key.as_str()) {
            continue;
        }
        // Unknown fields are allowed (sites keep their own metadata), but a near-miss of a
        // known one is almost surely a typo that would silently drop a definition.
        let typed: Vec<char> = key.chars().collect();
        if let Some(meant) = FIELDS.iter().find(|f| {
            let known: Vec<char> = f.chars().collect();
            distance::within(&typed, &known, 2).is_some()
        }) {
            return Err(Error::glossary(
                [
                    &at(),
                    ": unknown field ",
                    &quoted(key),
                    "; did you mean ",
                    &quoted(meant),
                    "?",
                ]
                .concat(),
            ));
        }
    }
    let wrong = |e: FieldError| Error::glossary([&at(), ": ", &e.message()].concat());
    let string = |key: &str| raw.string_field(key).map_err(wrong);
    let strings = |key: &str| -> Result<Vec<String>, Error> {
        let items = raw.strings_field(key).map_err(wrong)?.unwrap_or_default();
        if items.iter().any(|s| s.trim().is_empty()) {
            return Err(Error::glossary(
                [&at(), ": ", &quoted(key), " has an empty string"].concat(),
            ));
        }
        Ok(items.into_iter().map(str::to_owned).collect())
    };

    let term =
        string("term")?.ok_or_else(|| Error::glossary([&at(), ": missing \"term\""].concat()))?;
    if term.trim().is_empty() {
        return Err(Error::glossary([&at(), ": empty term"].concat()));
    }
    let id = match string("id")? {
        Some(id) if id.trim().is_empty() => {
            return Err(Error::glossary([&at(), ": empty id"].concat()));
        }
        Some(id) => id.to_owned(),
        None => slug(term, analyzer),
    };
    let link = string("link")?.map(str::to_owned);
    Ok(Entry {
        id,
        term: term.trim().to_owned(),
        aliases: strings("aliases")?
            .into_iter()
            .map(|a| a.trim().to_owned())
            .collect(),
        definition: string("definition")?.unwrap_or_default().trim().to_owned(),
        see_also: strings("see_also")?,
        link,
        sort_as: string("sort_as")?
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    })
}

/// An id from a term: its normalised words joined by hyphens ("Place Vendôme" → "place-vendome").
fn slug(term: &str, analyzer: &Analyzer) -> String {
    let mut tokens = Tokens::new();
    analyzer.tokenize(term, &mut tokens);
    let words: Vec<&str> = tokens
        .iter()
        .filter(|t| !t.compound)
        .map(|t| t.text)
        .collect();
    let slug = words.join("-").replace('\'', "");
    if slug.is_empty() {
        term.trim().to_owned()
    } else {
        slug
    }
}

/// Links are shown to readers as `<a href>`: only http(s) and scheme-less (site-relative)
/// URLs are accepted, so `javascript:` or `data:` can never reach a page.
fn check_link(url: &str) -> Result<(), &'static str> {
    let url = url.trim();
    if url.is_empty() {
        return Err("is empty");
    }
    if url.chars().any(char::is_control) {
        return Err("contains control characters");
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(colon), path) if path.is_none_or(|p| colon < p) => {
            let scheme = url[..colon].to_ascii_lowercase();
            if scheme == "http" || scheme == "https" {
                Ok(())
            } else {
                Err("must use http or https")
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"language": "en", "entries": [
        {"id": "dotp", "term": "dictatorship of the proletariat", "aliases": ["proletarian dictatorship"],
         "definition": "Rule by the working class.", "see_also": ["proletariat"]},
        {"id": "proletariat", "term": "proletariat", "definition": "The working class."},
        {"id": "soviet", "term": "soviet", "definition": "A council."},
        {"id": "revisionism", "term": "revisionism", "aliases": ["revisionist"], "definition": "Revising doctrine."},
        {"id": "state", "term": "state", "definition": "The apparatus of rule."},
        {"id": "dual-power", "term": "dual power", "definition": "Two powers at once."},
        {"id": "vendome", "term": "Place Vendôme", "definition": "A square in Paris."},
        {"id": "lenin", "term": "Vladimir Lenin", "aliases": ["Lenin"], "definition": "A revolutionary."},
        {"id": "working-class", "term": "working class", "definition": "Wage workers."}
    ]}"#;

    fn sample() -> Glossary {
        Glossary::from_json(SAMPLE).unwrap()
    }

    /// Annotation as it was before the symbol cache: every token of the text (compounds
    /// dropped) stemmed and mapped to a symbol, then the trie walked from each.
    fn reference_annotate(g: &Glossary, text: &str) -> Vec<Match> {
        let mut tokens = Tokens::new();
        g.analyzer.tokenize(text, &mut tokens);
        let words: Vec<_> = tokens.iter().filter(|t| !t.compound).collect();
        let symbols: Vec<u32> = words.iter().map(|t| g.matcher.symbol(t.stem)).collect();
        let breaks: Vec<bool> = words.iter().map(|t| t.after_break).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if let Some((entry, len)) = g.matcher.longest_at(&symbols[i..], &breaks[i..]) {
                let (first, last) = (&words[i], &words[i + len - 1]);
                found.push(Match {
                    entry: entry as usize,
                    start: first.start,
                    end: last.end,
                    span: Span::new(first.span.start, last.span.end),
                });
                i += len;
            } else {
                i += 1;
            }
        }
        found
    }

    #[test]
    fn symbol_cache_table() {
        struct Row {
            name: &'static str,
            input: &'static str,
            expected: &'static [(&'static str, &'static str)],
        }
        let rows = [
            Row {
                name: "curly possessive and quotes",
                input: "Lenin’s “dual power” and ‘soviets’",
                expected: &[
                    ("lenin", "Lenin’s"),
                    ("dual-power", "dual power"),
                    ("soviet", "soviets"),
                ],
            },
            Row {
                name: "accents folded, or not there at all",
                input: "the place vendome, PLACE VENDÔME and Place Vendôme",
                expected: &[
                    ("vendome", "place vendome"),
                    ("vendome", "PLACE VENDÔME"),
                    ("vendome", "Place Vendôme"),
                ],
            },
            Row {
                name: "glossary words only after stemming",
                input: "Dictatorships of the Proletariat; revisionists; States",
                expected: &[
                    ("dotp", "Dictatorships of the Proletariat"),
                    ("revisionism", "revisionists"),
                    ("state", "States"),
                ],
            },
            Row {
                name: "compatibility forms fold",
                input: "ＳＯＶＩＥＴ ＳＴＡＴＥ",
                expected: &[("soviet", "ＳＯＶＩＥＴ"), ("state", "ＳＴＡＴＥ")],
            },
            Row {
                name: "emoji between words breaks a term, next to one is no part of it",
                input: "dual 🚩 power, dual👩‍👩‍👧power, 🚩soviet🚩 👩‍👩‍👧 dual power",
                expected: &[("soviet", "soviet"), ("dual-power", "dual power")],
            },
            Row {
                name: "a break stops a term, a repeat comes from the cache",
                input: "dual. power dual power dual power",
                expected: &[("dual-power", "dual power"), ("dual-power", "dual power")],
            },
            Row {
                name: "no glossary word",
                input: "nothing to see here at all",
                expected: &[],
            },
            Row {
                name: "a stray combining mark is no word, but a break",
                input: "dual \u{301} power \u{301}soviet",
                expected: &[("soviet", "soviet")],
            },
        ];
        let g = sample();
        for row in rows {
            // Cold, then warm: the cache must not change the answer.
            for pass in ["cold", "warm"] {
                let found = g.annotate(row.input);
                let named: Vec<(&str, &str)> = found
                    .iter()
                    .map(|m| (g.entries()[m.entry].id.as_str(), &row.input[m.start..m.end]))
                    .collect();
                assert_eq!(named, row.expected, "{} ({pass})", row.name);
                assert_eq!(
                    found,
                    reference_annotate(&g, row.input),
                    "{} ({pass})",
                    row.name
                );
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]

            #[test]
            fn annotate_agrees_with_the_token_stream(
                words in proptest::collection::vec(
                    "(dual|power|Power|soviets?|Lenin[’']s|the|of|place|Vendôme|VENDOME|proletariat|dictatorships?|state|working|class|[a-zé]{1,6}|🚩|1917)",
                    0..24,
                ),
                gaps in proptest::collection::vec("( |  |, |. |-|—|\n\n| “|” |\u{301} )", 24),
            ) {
                let mut text = String::new();
                for (w, g) in words.iter().zip(&gaps) {
                    text.push_str(w);
                    text.push_str(g);
                }
                let g = sample();
                prop_assert_eq!(g.annotate(&text), reference_annotate(&g, &text));
                prop_assert_eq!(g.annotate(&text), reference_annotate(&g, &text));
            }

            #[test]
            fn annotate_agrees_on_any_text(text in any::<String>()) {
                let g = sample();
                prop_assert_eq!(g.annotate(&text), reference_annotate(&g, &text));
            }
        }
    }

    #[test]
    fn the_symbol_cache_stays_bounded_within_one_text() {
        let g = sample();
        let mut text: String = (0..WordTable::MOST_SLOTS + 5_000)
            .map(|i| format!("w{i} "))
            .collect();
        text.push_str("the soviet");
        let found = g.annotate(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "soviet");
        let cache = g.words.borrow();
        assert!(cache.len() <= WordTable::MOST_SLOTS * 3 / 4);
        assert_eq!(cache.slot_count(), WordTable::MOST_SLOTS);
    }

    fn annotated(text: &str) -> Vec<(String, String)> {
        let g = sample();
        g.annotate(text)
            .into_iter()
            .map(|m| {
                (
                    g.entries()[m.entry].id.clone(),
                    text[m.start..m.end].to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn annotate_table() {
        struct Row {
            name: &'static str,
            input: &'static str,
            expected: &'static [(&'static str, &'static str)],
        }
        let rows = [
            Row {
                name: "multi-word, any case, inflected",
                input: "the Dictatorships of the Proletariat",
                expected: &[("dotp", "Dictatorships of the Proletariat")],
            },
            Row {
                name: "alias",
                input: "a proletarian dictatorship",
                expected: &[("dotp", "proletarian dictatorship")],
            },
            Row {
                name: "plural",
                input: "soviets formed",
                expected: &[("soviet", "soviets")],
            },
            Row {
                name: "alias plural",
                input: "revisionists say",
                expected: &[("revisionism", "revisionists")],
            },
            Row {
                name: "never inside a longer word",
                input: "a statement about a statue",
                expected: &[],
            },
            Row {
                name: "leftmost-longest over the shorter term",
                input: "the proletariat and dictatorship of the proletariat",
                expected: &[
                    ("proletariat", "proletariat"),
                    ("dotp", "dictatorship of the proletariat"),
                ],
            },
            Row {
                name: "diacritics folded",
                input: "in the Place Vendome",
                expected: &[("vendome", "Place Vendome")],
            },
            Row {
                name: "curly possessive",
                input: "Lenin’s state",
                expected: &[("lenin", "Lenin’s"), ("state", "state")],
            },
            Row {
                name: "longest name wins",
                input: "Vladimir Lenin spoke",
                expected: &[("lenin", "Vladimir Lenin")],
            },
            Row {
                name: "hyphenated compound",
                input: "the working-class movement",
                expected: &[("working-class", "working-class")],
            },
            Row {
                name: "quoted",
                input: "“dual power” held",
                expected: &[("dual-power", "dual power")],
            },
            Row {
                name: "soft hyphens from a hyphenator, kept in the match",
                input: "the dic\u{ad}ta\u{ad}tor\u{ad}ship of the pro\u{ad}le\u{ad}tar\u{ad}iat",
                expected: &[(
                    "dotp",
                    "dic\u{ad}ta\u{ad}tor\u{ad}ship of the pro\u{ad}le\u{ad}tar\u{ad}iat",
                )],
            },
            Row {
                // The closing PDF belongs to the word before it (UAX #29 rule WB4).
                name: "a bidi override around a term",
                input: "\u{202e}dual power\u{202c} held",
                expected: &[("dual-power", "dual power\u{202c}")],
            },
            Row {
                name: "not across a sentence end",
                input: "it was dual. Power came",
                expected: &[],
            },
            Row {
                name: "empty",
                input: "",
                expected: &[],
            },
        ];
        for row in rows {
            let expected: Vec<(String, String)> = row
                .expected
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(annotated(row.input), expected, "{}", row.name);
        }
    }

    #[test]
    fn annotate_gives_utf16_spans() {
        let g = sample();
        let text = "😀 “Dual power” and soviets";
        let spans: Vec<(u32, u32)> = g
            .annotate(text)
            .iter()
            .map(|m| (m.span.start, m.span.end))
            .collect();
        let units: Vec<u16> = text.encode_utf16().collect();
        let under: Vec<String> = spans
            .iter()
            .map(|&(s, e)| String::from_utf16(&units[s as usize..e as usize]).unwrap())
            .collect();
        assert_eq!(under, ["Dual power", "soviets"]);
    }

    #[test]
    fn lookup_table() {
        let g = sample();
        let rows = [
            ("exact", "dual power", Some("dual-power")),
            ("alias", "Proletarian Dictatorship", Some("dotp")),
            ("inflection", "Soviets", Some("soviet")),
            ("selection with punctuation", "“Lenin’s”,", Some("lenin")),
            ("close spelling", "revisionnism", Some("revisionism")),
            (
                "two edits for long names",
                "dictatorshp of the proletarat",
                Some("dotp"),
            ),
            (
                "term inside the selection",
                "the Paris dual power of 1917",
                Some("dual-power"),
            ),
            ("short words need exact", "sta", None),
            ("unknown", "bourgeoisie", None),
            ("nothing", "  ", None),
        ];
        for (name, input, expected) in rows {
            assert_eq!(g.lookup(input).map(|e| e.id.as_str()), expected, "{name}");
        }
    }

    #[test]
    fn errors_name_the_entry_and_problem() {
        let rows = [
            ("malformed", r#"{"entries": [}"#, "line 1 column 14"),
            (
                "no term",
                r#"{"entries": [{"id": "x", "definition": "d"}]}"#,
                "entry 1 (id \"x\"): missing \"term\"",
            ),
            (
                "empty term",
                r#"{"entries": [{"term": "  "}]}"#,
                "entry 1 (\"  \"): empty term",
            ),
            (
                "duplicate id",
                r#"{"entries": [{"term": "a b"}, {"term": "A-B", "id": "a-b"}]}"#,
                "both have id \"a-b\"",
            ),
            (
                "unknown see_also",
                r#"{"entries": [{"term": "dual power", "see_also": ["soviet"]}]}"#,
                "entry 1 (\"dual power\"): see_also names unknown id \"soviet\"",
            ),
            (
                "same name twice",
                r#"{"entries": [{"term": "soviet"}, {"term": "Soviets"}]}"#,
                "both claim the name \"Soviets\"",
            ),
            (
                "bad link",
                r#"{"entries": [{"term": "x", "link": "javascript:alert(1)"}]}"#,
                "must use http or https",
            ),
            (
                "typo field",
                r#"{"entries": [{"term": "x", "defintion": "d"}]}"#,
                "did you mean \"definition\"",
            ),
            (
                "wrong type",
                r#"{"entries": [{"term": "x", "aliases": "y"}]}"#,
                "\"aliases\" must be an array of strings",
            ),
            (
                "no words",
                r#"{"entries": [{"term": "—"}]}"#,
                "has no words",
            ),
            (
                "language",
                r#"{"language": "xx", "entries": []}"#,
                "unsupported language \"xx\"",
            ),
            ("not an object", r#"42"#, "must be a JSON object"),
        ];
        for (name, json, expected) in rows {
            let message = Glossary::from_json(json).unwrap_err().to_string();
            assert!(message.contains(expected), "{name}: {message}");
        }
    }

    #[test]
    fn entries_built_in_code_are_checked_too() {
        let entry = Entry {
            id: "x".into(),
            term: "x".into(),
            aliases: Vec::new(),
            definition: String::new(),
            see_also: Vec::new(),
            link: Some("javascript:alert(1)".into()),
            sort_as: None,
        };
        let err = Glossary::new(Language::ENGLISH, vec![entry]).unwrap_err();
        assert!(err.to_string().contains("must use http or https"), "{err}");
    }

    #[test]
    fn links_and_ids() {
        let g = Glossary::from_json(
            r#"[{"term": "Place Vendôme", "link": "/wiki/vendome"}, {"term": "b", "link": "https://x.org/a:b"}]"#,
        )
        .unwrap();
        assert_eq!(g.entries()[0].id, "place-vendome");
        assert!(g.entry("b").is_some());
    }

    #[test]
    fn json_round_trip() {
        let g = sample();
        let again = Glossary::from_json(&g.to_json()).unwrap();
        assert_eq!(again.entries(), g.entries());
        // Quotes, backslashes, control characters, separators and astral characters, which
        // the writer escapes or copies.
        let hostile = Glossary::from_json(
            r#"{"language": "fr", "entries": [
              {"id": "q\"b\\s\u0001", "term": "dire \"quand\"\tnow", "aliases": ["a\\b", "😀\u2028é"],
               "definition": "ligne\nbreak\u001f\u007f", "see_also": ["plain"],
               "link": "https://example.com/?a=\"b\"", "sort_as": "Q"},
              {"term": "plain", "definition": ""}
            ]}"#,
        )
        .unwrap();
        let again = Glossary::from_json(&hostile.to_json()).unwrap();
        assert_eq!(again.entries(), hostile.entries());
        assert_eq!(again.language(), hostile.language());
    }

    #[test]
    fn query_stems_find_terms() {
        let g = sample();
        let stems: Vec<String> = ["the", "dual", "power", "soviets"]
            .iter()
            .map(|w| Analyzer::new(Language::ENGLISH).stem(w))
            .collect();
        let refs: Vec<&str> = stems.iter().map(String::as_str).collect();
        assert_eq!(g.find_in_stems(&refs), [(1, 2, 5), (3, 1, 2)]);
    }

    #[test]
    fn sort_as_files_an_entry_and_is_optional() {
        let g = Glossary::from_json(
            r#"{"entries": [
                {"id": "marx", "term": "Karl Marx", "sort_as": "  Marx, Karl "},
                {"id": "blank", "term": "blank", "sort_as": ""},
                {"id": "none", "term": "none"}
            ]}"#,
        )
        .unwrap();
        let sort_as: Vec<Option<&str>> = g.entries().iter().map(|e| e.sort_as.as_deref()).collect();
        assert_eq!(sort_as, [Some("Marx, Karl"), None, None]);
        // Absent, it is left out of the stored JSON, which stays as it was.
        assert!(
            g.to_json().matches("sort_as").count() == 1,
            "{}",
            g.to_json()
        );
        let typo = Glossary::from_json(r#"[{"term": "x", "sort_a": "y"}]"#).unwrap_err();
        assert!(
            typo.to_string().contains("did you mean \"sort_as\""),
            "{typo}"
        );
        let wrong = Glossary::from_json(r#"[{"term": "x", "sort_as": 3}]"#).unwrap_err();
        assert!(
            wrong.to_string().contains("\"sort_as\" must be a string"),
            "{wrong}"
        );
    }
}
