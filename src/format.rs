//! The serialised index: compact, versioned, checksummed bytes.
//!
//! ```text
//! "GLOSSA"            6 bytes, the signature
//! version             u16 little-endian (this is version 2)
//! payload length      u64 little-endian
//! CRC-32 of payload   u32 little-endian (IEEE)
//! payload:
//!   language code, glossary JSON ("" when none)
//!   articles:  count, then id, title, url?, byline?, passage count
//!   terms:     count, then stem, word count, words × (prefix shared with the stem, rest)
//!              (a term's id is its place; its words are the normalised words the index
//!              files under it, for prefix and typo look-ups)
//!   titles:    count, then term id, article count, article ids (delta-coded)
//!   passages:  count, then each passage's span count
//!   spans:     count, then text, positions, token count, tokens × (position, term id)
//!   gaps:      count, then text
//!   span ids:  bytes: every passage's spans, in order, as indices into spans
//!   gap ids:   bytes: every passage's gaps (one more than its spans), as indices into gaps
//! ```
//!
//! Integers in the payload are LEB128 varints, strings are a length and UTF-8 bytes, `x?` is a
//! flag byte then `x`.
//!
//! A passage is stored as its text cut into spans (a word, or a hyphenated compound with its
//! parts) and the gaps between them, each a number into a table of distinct spans or gaps.
//! A span carries the tokens the analyzer found in it: how many positions it takes and, per
//! token, its position within the span and its term. The text is thus stored once, in a form
//! smaller than the text itself after gzip, and the postings, which would take more than the
//! text, are derived from it on loading: no tokenising or stemming, only a walk over the
//! numbers. Tables are in descending order of use, so the most common spans and gaps take one
//! byte. Loading checks everything a search relies on, so bytes that load can be searched
//! safely, and what it builds stays within a fixed multiple of the bytes (see
//! [`SHARED_TEXT`]).

use crate::error::Error;
use crate::glossary::Glossary;
use crate::index::{
    post_passage, read_varint, write_varint, ArticleRecord, Index, PassageRecord, Postings,
};
use crate::language::Language;
use crate::tokenize::{Analyzer, Tokens};
use crate::value::{decimal, quoted};
use crate::HashMap;
use std::cell::OnceCell;

const MAGIC: &[u8; 6] = b"GLOSSA";
const VERSION: u16 = 2;
const HEADER_LEN: usize = 6 + 2 + 8 + 4;

/// The longest text (in bytes) that one stored byte may stand for more than once: a span or
/// gap longer than this is stored again for each use, and a word shares at most this much
/// with its stem. So the text, the words and hence everything loading builds stay within a
/// small multiple of the bytes stored, however the bytes were made.
const SHARED_TEXT: usize = 24;

/// The CRC-32 (IEEE) of `bytes`. The table is built per call rather than stored: 256 entries
/// take microseconds to compute, against 1 kB of incompressible data in the wasm download.
fn crc32(bytes: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, entry) in (0u32..).zip(table.iter_mut()) {
        *entry = (0..8).fold(i, |c, _| {
            if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            }
        });
    }
    !bytes.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8)
    })
}

struct Writer(Vec<u8>);

impl Writer {
    fn int(&mut self, value: usize) {
        write_varint(&mut self.0, value as u32);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.int(bytes.len());
        self.0.extend_from_slice(bytes);
    }

    fn string(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// A stream of table ids as a length-prefixed block, each id renumbered to its place in
    /// `order` (a permutation of the ids).
    fn ids(&mut self, stream: &[u32], order: &[u32]) {
        let mut renumbered = vec![0u32; order.len()];
        for (new, &old) in (0u32..).zip(order) {
            renumbered[old as usize] = new;
        }
        let mut block = Vec::with_capacity(stream.len() * 2);
        for &id in stream {
            write_varint(&mut block, renumbered[id as usize]);
        }
        self.bytes(&block);
    }

    fn optional(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.string(s);
            }
            None => self.0.push(0),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn corrupt(what: &str) -> Error {
    Error::index(["index is corrupt: ", what].concat())
}

impl<'a> Reader<'a> {
    fn int(&mut self, what: &str) -> Result<u32, Error> {
        read_varint(self.bytes, &mut self.at)
            .ok_or_else(|| corrupt(&["unreadable ", what].concat()))
    }

    /// A count of items that each take at least one byte, so it cannot exceed what is left.
    fn count(&mut self, what: &str) -> Result<usize, Error> {
        let n = self.int(what)? as usize;
        if n > self.bytes.len() - self.at {
            return Err(corrupt(
                &[what, " ", &decimal(n as u64), " exceeds the data"].concat(),
            ));
        }
        Ok(n)
    }

    fn bytes(&mut self, what: &str) -> Result<&'a [u8], Error> {
        let len = self.count(what)?;
        let out = &self.bytes[self.at..self.at + len];
        self.at += len;
        Ok(out)
    }

    fn str(&mut self, what: &str) -> Result<&'a str, Error> {
        let bytes = self.bytes(what)?;
        std::str::from_utf8(bytes).map_err(|_| corrupt(&[what, " is not UTF-8"].concat()))
    }

    fn string(&mut self, what: &str) -> Result<String, Error> {
        self.str(what).map(str::to_owned)
    }

    fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn optional(&mut self, what: &str) -> Result<Option<String>, Error> {
        match self.bytes.get(self.at) {
            Some(0) => {
                self.at += 1;
                Ok(None)
            }
            Some(1) => {
                self.at += 1;
                self.string(what).map(Some)
            }
            _ => Err(corrupt(&["bad flag before ", what].concat())),
        }
    }
}

impl Index {
    /// The index as bytes, for [`Index::from_bytes`]: build once (e.g. with the CLI at site
    /// build time) and load in the browser.
    pub fn to_bytes(&self) -> Vec<u8> {
        let text_len: usize = self.passages.iter().map(|p| p.text.len()).sum();
        let mut w = Writer(Vec::with_capacity(text_len / 2 + 1024));
        w.string(self.language().code());
        w.string(
            &self
                .glossary
                .as_ref()
                .map(Glossary::to_json)
                .unwrap_or_default(),
        );
        w.int(self.articles.len());
        for a in &self.articles {
            w.string(&a.id);
            w.string(&a.title);
            w.optional(a.url.as_deref());
            w.optional(a.byline.as_deref());
            w.int(a.passage_count as usize);
        }
        // Each term's words follow its stem, as the length of the prefix they share with it
        // and the rest: "nations" after "nation" costs two bytes.
        let mut words: Vec<(&String, &u32)> = self.words.iter().collect();
        crate::heap::sort(&mut words);
        let mut words_of: Vec<Vec<&str>> = vec![Vec::new(); self.stems.len()];
        for (word, &term) in words {
            if let Some(words) = words_of.get_mut(term as usize) {
                words.push(word);
            }
        }
        w.int(self.stems.len());
        for (stem, words) in self.stems.iter().zip(&words_of) {
            w.string(stem);
            w.int(words.len());
            for word in words.iter() {
                let shared = common_prefix(stem, word, SHARED_TEXT);
                w.int(shared);
                w.string(&word[shared..]);
            }
        }
        let same_term = |a: &u64, b: &u64| a >> 32 == b >> 32;
        // Sorted here rather than through the lexicon, which would build all of it for this.
        let mut titles = self.titles.clone();
        crate::heap::sort(&mut titles);
        w.int(titles.chunk_by(same_term).count());
        for pairs in titles.chunk_by(same_term) {
            w.int((pairs[0] >> 32) as usize);
            w.int(pairs.len());
            let mut previous = 0;
            for &pair in pairs {
                let a = pair as u32;
                w.int((a - previous) as usize);
                previous = a;
            }
        }
        self.write_passages(&mut w);

        with_header(&w.0)
    }

    /// Loads bytes made by [`Index::to_bytes`]. Bytes that are not an index, of another
    /// version, truncated or corrupt give an error saying which.
    pub fn from_bytes(bytes: &[u8]) -> Result<Index, Error> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(Error::index(
                "not a glossa index (the GLOSSA signature is missing)",
            ));
        }
        if bytes.len() < HEADER_LEN {
            return Err(Error::index(
                [
                    "index is truncated: ",
                    &decimal(bytes.len() as u64),
                    " bytes, shorter than its ",
                    &decimal(HEADER_LEN as u64),
                    "-byte header",
                ]
                .concat(),
            ));
        }
        let version = u16::from_le_bytes([bytes[6], bytes[7]]);
        if version != VERSION {
            return Err(Error::index(
                [
                    "index version ",
                    &decimal(version.into()),
                    " is not supported (this glossa reads version ",
                    &decimal(VERSION.into()),
                    "); rebuild the index",
                ]
                .concat(),
            ));
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[8..16]);
        let expected = u64::from_le_bytes(len);
        let payload = &bytes[HEADER_LEN..];
        if (payload.len() as u64) < expected {
            return Err(Error::index(
                [
                    "index is truncated: ",
                    &decimal(payload.len() as u64),
                    " of ",
                    &decimal(expected),
                    " payload bytes",
                ]
                .concat(),
            ));
        }
        if (payload.len() as u64) > expected {
            return Err(corrupt("trailing bytes after the payload"));
        }
        let crc = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        if crc32(payload) != crc {
            return Err(corrupt("checksum mismatch"));
        }
        read_payload(&mut Reader {
            bytes: payload,
            at: 0,
        })
    }

    /// Writes the passages as spans and gaps (see the module docs). Each passage is tokenised
    /// again, the way indexing did: the tokens are not kept in memory, which would cost more
    /// than the whole index.
    fn write_passages(&self, w: &mut Writer) {
        let mut tokens = Tokens::new();
        // The spans table: each span's record as stored (text, positions, tokens) in one
        // buffer, found by its text.
        let mut records: Vec<u8> = Vec::new();
        let mut record_starts: Vec<usize> = vec![0];
        let mut span_ids: HashMap<String, u32> = HashMap::default();
        let mut span_uses: Vec<u32> = Vec::new();
        let mut gap_ids: HashMap<String, u32> = HashMap::default();
        let mut gaps: Vec<&str> = Vec::new();
        let mut gap_uses: Vec<u32> = Vec::new();
        let mut span_stream: Vec<u32> = Vec::new();
        let mut gap_stream: Vec<u32> = Vec::new();
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        // A span's (position, term) tokens.
        let mut known: Vec<(u32, u32)> = Vec::new();
        w.int(self.passages.len());
        for passage in &self.passages {
            let text = passage.text.as_str();
            // With stems: a token's term is its stem's, as `Index::word_term` found it. Its
            // word's entry in `words` may belong to another stem (`résumé` and `resume` share
            // the word `resume`; the first one seen keeps it).
            self.analyzer.tokenize(text, &mut tokens);
            // A compound overlaps its parts, which come before it: merging each token with the
            // spans it overlaps makes the spans, in text order, as (start, end, tokens).
            spans.clear();
            for (k, t) in tokens.iter().enumerate() {
                let mut span = (t.start, t.end, k);
                while let Some(&(start, end, first)) = spans.last() {
                    if end <= span.0 {
                        break;
                    }
                    spans.pop();
                    span = (start.min(span.0), end.max(span.1), first);
                }
                spans.push(span);
            }
            let mut previous_end = 0;
            for (s, &(start, end, i)) in spans.iter().enumerate() {
                let past = spans.get(s + 1).map_or(tokens.len(), |next| next.2);
                let first_position = tokens.get(i).map_or(0, |t| t.position);
                gap_stream.push(gap_id(
                    &text[previous_end..start],
                    &mut gap_ids,
                    &mut gaps,
                    &mut gap_uses,
                ));
                let surface = &text[start..end];
                let at = records.len();
                write_varint(&mut records, surface.len() as u32);
                records.extend_from_slice(surface.as_bytes());
                let span_tokens = || (i..past).filter_map(|k| tokens.get(k));
                write_varint(
                    &mut records,
                    span_tokens().filter(|t| !t.compound).count() as u32,
                );
                // Every token of an index made by indexing has its stem in `stem_ids`. One
                // loaded from altered bytes may not, and its token is then left out: saving
                // must not fail, and saving what was loaded again gives the same bytes.
                known.clear();
                known.extend(span_tokens().filter_map(|t| {
                    let term = *self.stem_ids.get(t.stem)?;
                    Some((t.position.saturating_sub(first_position), term))
                }));
                write_varint(&mut records, known.len() as u32);
                for &(position, term) in &known {
                    write_varint(&mut records, position);
                    write_varint(&mut records, term);
                }
                // The same text tokenised alike shares the earlier entry. Text that context
                // made tokenise otherwise (rare, if ever) gets an entry of its own each time.
                let same = span_ids.get(surface).copied().filter(|&k| {
                    let k = k as usize;
                    surface.len() <= SHARED_TEXT
                        && records[record_starts[k]..record_starts[k + 1]] == records[at..]
                });
                let id = match same {
                    Some(id) => {
                        records.truncate(at);
                        id
                    }
                    None => {
                        let id = span_uses.len() as u32;
                        if surface.len() <= SHARED_TEXT && !span_ids.contains_key(surface) {
                            span_ids.insert(surface.to_owned(), id);
                        }
                        record_starts.push(records.len());
                        span_uses.push(0);
                        id
                    }
                };
                span_uses[id as usize] += 1;
                span_stream.push(id);
                previous_end = end;
            }
            gap_stream.push(gap_id(
                &text[previous_end..],
                &mut gap_ids,
                &mut gaps,
                &mut gap_uses,
            ));
            w.int(spans.len());
        }

        let span_order = by_use(&span_uses);
        w.int(span_order.len());
        for &old in &span_order {
            let old = old as usize;
            w.0.extend_from_slice(&records[record_starts[old]..record_starts[old + 1]]);
        }
        let gap_order = by_use(&gap_uses);
        w.int(gap_order.len());
        for &old in &gap_order {
            w.string(gaps[old as usize]);
        }
        w.ids(&span_stream, &span_order);
        w.ids(&gap_stream, &gap_order);
    }
}

/// The length in bytes of the longest common prefix of `a` and `b` no longer than `most`
/// bytes, on a char boundary.
fn common_prefix(a: &str, b: &str, most: usize) -> usize {
    a.char_indices()
        .zip(b.chars())
        .take_while(|&((at, x), y)| x == y && at + x.len_utf8() <= most)
        .last()
        .map_or(0, |((at, x), _)| at + x.len_utf8())
}

/// Index bytes holding `payload`: the signature, the version, the length and the checksum.
pub(crate) fn with_header(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The id of a gap's text, counting the use.
fn gap_id<'t>(
    text: &'t str,
    ids: &mut HashMap<String, u32>,
    gaps: &mut Vec<&'t str>,
    uses: &mut Vec<u32>,
) -> u32 {
    let id = match ids.get(text).filter(|_| text.len() <= SHARED_TEXT) {
        Some(&id) => id,
        None => {
            if text.len() <= SHARED_TEXT {
                ids.insert(text.to_owned(), gaps.len() as u32);
            }
            gaps.push(text);
            uses.push(0);
            gaps.len() as u32 - 1
        }
    };
    uses[id as usize] += 1;
    id
}

/// Table order for entries used `uses[i]` times: most used first, ties in order of first use.
fn by_use(uses: &[u32]) -> Vec<u32> {
    // Sorted as plain integers, the sort the index already has code for.
    let mut keys: Vec<u64> = (0u32..)
        .zip(uses)
        .map(|(id, &n)| u64::from(u32::MAX - n) << 32 | u64::from(id))
        .collect();
    crate::heap::sort(&mut keys);
    keys.into_iter().map(|k| k as u32).collect()
}

fn read_payload(r: &mut Reader<'_>) -> Result<Index, Error> {
    let language = Language::from_code(&r.string("language")?)
        .map_err(|e| Error::index(["index language: ", e.message()].concat()))?;
    let glossary_json = r.string("glossary")?;
    let glossary = if glossary_json.is_empty() {
        None
    } else {
        let glossary = Glossary::from_json(&glossary_json)
            .map_err(|e| corrupt(&["stored glossary: ", e.message()].concat()))?;
        if glossary.language() != language {
            return Err(corrupt("the stored glossary's language is not the index's"));
        }
        Some(glossary)
    };

    let article_count = r.count("article count")?;
    let mut articles = Vec::with_capacity(article_count);
    let mut article_ids = HashMap::with_capacity_and_hasher(article_count, Default::default());
    let mut first_passage = 0u32;
    for i in 0..article_count {
        let id = r.string("article id")?;
        let title = r.string("article title")?;
        let url = r.optional("article url")?;
        let byline = r.optional("article byline")?;
        let passage_count = r.int("passage count")?;
        if article_ids.insert(id.clone(), i as u32).is_some() {
            return Err(corrupt(
                &["article id ", &quoted(&id), " appears twice"].concat(),
            ));
        }
        articles.push(ArticleRecord {
            id,
            title,
            url,
            byline,
            first_passage,
            passage_count,
        });
        first_passage = first_passage
            .checked_add(passage_count)
            .ok_or_else(|| corrupt("passage counts overflow"))?;
    }

    let term_count = r.count("term count")?;
    let mut stems = Vec::with_capacity(term_count);
    let mut stem_ids = HashMap::with_capacity_and_hasher(term_count, Default::default());
    let mut words = HashMap::default();
    for term in 0..term_count as u32 {
        let stem = r.string("term")?;
        for _ in 0..r.count("word count")? {
            let shared = r.int("word prefix")? as usize;
            let rest = r.str("word")?;
            if shared > SHARED_TEXT || !stem.is_char_boundary(shared) {
                return Err(corrupt(&["a word of term ", &quoted(&stem)].concat()));
            }
            let word = [&stem[..shared], rest].concat();
            if words.insert(word, term).is_some() {
                return Err(corrupt("a word appears twice"));
            }
        }
        if stem_ids.insert(stem.clone(), term).is_some() {
            return Err(corrupt(
                &["term ", &quoted(&stem), " appears twice"].concat(),
            ));
        }
        stems.push(stem);
    }

    let title_count = r.count("title term count")?;
    let mut titles: Vec<u64> = Vec::with_capacity(title_count);
    let mut previous_term = None;
    for _ in 0..title_count {
        let term = r.int("title term")?;
        // In increasing order, as written: the pairs below then come out sorted.
        if previous_term.is_some_and(|p| p >= term) {
            return Err(corrupt("a title term appears twice or out of order"));
        }
        previous_term = Some(term);
        let n = r.count("title article count")?;
        let mut previous = 0u32;
        for _ in 0..n {
            previous = previous
                .checked_add(r.int("title article")?)
                .filter(|&a| (a as usize) < articles.len())
                .ok_or_else(|| corrupt("title article out of range"))?;
            titles.push(u64::from(term) << 32 | u64::from(previous));
        }
        if term as usize >= term_count {
            return Err(corrupt("title term out of range"));
        }
    }

    let passage_count = r.count("passage count")?;
    if passage_count != first_passage as usize {
        return Err(corrupt("articles and passages disagree"));
    }
    let mut span_counts = Vec::with_capacity(passage_count);
    for _ in 0..passage_count {
        span_counts.push(r.int("span count")?);
    }

    // The spans table, flattened: span `i` is `surfaces[i]`, takes `advances[i]` positions,
    // and has the tokens `tokens[token_starts[i]..token_starts[i + 1]]`.
    let span_count = r.count("span table size")?;
    let mut surfaces = Vec::with_capacity(span_count);
    let mut advances = Vec::with_capacity(span_count);
    let mut token_starts = Vec::with_capacity(span_count + 1);
    let mut tokens: Vec<(u32, u32)> = Vec::new();
    token_starts.push(0u32);
    for _ in 0..span_count {
        let surface = r.str("span")?;
        let advance = r.int("span positions")?;
        let n = r.count("span token count")?;
        // Every word takes at least one byte of its span, so a span holds no more tokens or
        // positions than bytes: this bounds what a small, altered index can unfold to.
        if advance as usize > surface.len() || n > surface.len() {
            return Err(corrupt("a span holds more words than it has bytes"));
        }
        for _ in 0..n {
            let position = r.int("token position")?;
            let term = r.int("token term")?;
            if position >= advance || term as usize >= term_count {
                return Err(corrupt("a token outside its span or naming no term"));
            }
            tokens.push((position, term));
        }
        surfaces.push(surface);
        advances.push(advance);
        token_starts.push(tokens.len() as u32);
    }
    let gap_count = r.count("gap table size")?;
    let mut gaps = Vec::with_capacity(gap_count);
    for _ in 0..gap_count {
        gaps.push(r.str("gap")?);
    }
    let mut span_ids = Reader {
        bytes: r.bytes("span ids")?,
        at: 0,
    };
    let mut gap_ids = Reader {
        bytes: r.bytes("gap ids")?,
        at: 0,
    };
    if r.at != r.bytes.len() {
        return Err(corrupt("unread bytes at the end"));
    }

    let mut postings = Vec::new();
    postings.resize_with(term_count, Postings::default);
    let mut passages = Vec::with_capacity(passage_count);
    let mut total_len = 0u64;
    let mut ids: Vec<(u32, u32)> = Vec::new();
    let mut occurrences: Vec<u64> = Vec::new();
    let mut positions: Vec<u32> = Vec::new();
    // Spans and gaps longer than SHARED_TEXT already used (spans first, then gaps): each may
    // be used once, which keeps the text within SHARED_TEXT bytes per byte stored.
    let mut used = vec![false; surfaces.len() + gaps.len()];
    let mut take = |text: &str, entry: usize, bytes: usize| {
        if text.len() > SHARED_TEXT && std::mem::replace(&mut used[entry], true) {
            return Err(corrupt("a long span or gap is used twice"));
        }
        bytes
            .checked_add(text.len())
            .ok_or_else(|| corrupt("a passage too long"))
    };
    let article_of = articles
        .iter()
        .enumerate()
        .flat_map(|(number, a)| std::iter::repeat_n(number as u32, a.passage_count as usize));
    for ((passage, article), &spans) in (0u32..).zip(article_of).zip(&span_counts) {
        // The passage's (span, gap) ids, then its text, allocated once at its length.
        ids.clear();
        let first_gap = gap_ids.int("gap id")? as usize;
        let first_text = *gaps
            .get(first_gap)
            .ok_or_else(|| corrupt("gap id out of range"))?;
        let mut bytes = take(first_text, surfaces.len() + first_gap, 0)?;
        for _ in 0..spans {
            let span = span_ids.int("span id")?;
            let gap = gap_ids.int("gap id")?;
            let (Some(surface), Some(gap_text)) =
                (surfaces.get(span as usize), gaps.get(gap as usize))
            else {
                return Err(corrupt("span or gap id out of range"));
            };
            bytes = take(surface, span as usize, bytes)?;
            bytes = take(gap_text, surfaces.len() + gap as usize, bytes)?;
            ids.push((span, gap));
        }
        let mut text = String::new();
        // Fallible: a passage of altered bytes may ask for more than the memory there is.
        text.try_reserve_exact(bytes)
            .map_err(|_| corrupt("a passage too long"))?;
        text.push_str(first_text);
        occurrences.clear();
        let mut position = 0u32;
        for &(span, gap) in &ids {
            let span = span as usize;
            text.push_str(surfaces[span]);
            text.push_str(gaps[gap as usize]);
            let start = position;
            position = position
                .checked_add(advances[span])
                .ok_or_else(|| corrupt("too many words in a passage"))?;
            // Each token's place is below the span's advance, so `start + at < position`.
            let range = token_starts[span] as usize..token_starts[span + 1] as usize;
            occurrences.extend(
                tokens[range]
                    .iter()
                    .map(|&(at, term)| u64::from(term) << 32 | u64::from(start + at)),
            );
        }
        post_passage(&mut postings, passage, &mut occurrences, &mut positions);
        total_len += u64::from(position);
        passages.push(PassageRecord {
            article,
            len: position,
            text,
        });
    }
    if !span_ids.is_done() || !gap_ids.is_done() {
        return Err(corrupt("more span or gap ids than the passages use"));
    }

    Ok(Index {
        analyzer: Analyzer::new(language),
        articles,
        article_ids,
        passages,
        stems,
        stem_ids,
        postings,
        words,
        titles,
        total_len,
        glossary,
        lexicon: OnceCell::new(),
        scores: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::search::SearchOptions;

    fn sample() -> Index {
        let mut index = Index::new(Language::ENGLISH);
        index
            .set_glossary(
                Glossary::from_json(r#"[{"term": "dual power", "aliases": ["diarchy"]}]"#).unwrap(),
            )
            .unwrap();
        index
            .add_article(&Article {
                id: "a".into(),
                title: "Lenin’s vision".into(),
                url: Some("/a".into()),
                text: Some("Dual power could not hold.\n\nThe soviets and the diarchy.".into()),
                ..Article::default()
            })
            .unwrap();
        index
    }

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn round_trip_keeps_search_results() {
        let index = sample();
        let loaded = Index::from_bytes(&index.to_bytes()).unwrap();
        let options = SearchOptions::default();
        for query in ["dual power", "soviet", "lenin", "diarchy", "sov"] {
            assert_eq!(
                loaded.search(query, &options),
                index.search(query, &options),
                "{query}"
            );
        }
        assert_eq!(loaded.to_bytes(), index.to_bytes());
        assert!(loaded.glossary().is_some());
    }

    #[test]
    fn bad_bytes_say_what_is_wrong() {
        let good = sample().to_bytes();
        let mut other_version = good.clone();
        other_version[6] = 9;
        let mut flipped = good.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x40;
        let rows: [(&str, Vec<u8>, &str); 5] = [
            ("empty", vec![], "not a glossa index"),
            (
                "other file",
                b"PK\x03\x04 zip".to_vec(),
                "not a glossa index",
            ),
            (
                "truncated",
                good[..good.len() - 10].to_vec(),
                "index is truncated",
            ),
            (
                "other version",
                other_version,
                "index version 9 is not supported",
            ),
            ("corrupt", flipped, "checksum mismatch"),
        ];
        for (name, bytes, expected) in rows {
            let message = Index::from_bytes(&bytes).unwrap_err().to_string();
            assert!(message.contains(expected), "{name}: {message}");
        }
    }

    /// Everything a loaded index holds, compared with what indexing made.
    fn assert_same(loaded: &Index, built: &Index) {
        assert_eq!(loaded.articles, built.articles, "articles");
        assert_eq!(loaded.passages, built.passages, "passages");
        assert_eq!(loaded.stems, built.stems, "stems");
        assert_eq!(loaded.postings, built.postings, "postings");
        assert_eq!(loaded.words, built.words, "words");
        assert_eq!(loaded.lexicon().titles, built.lexicon().titles, "titles");
        assert_eq!(loaded.total_len, built.total_len, "total_len");
    }

    #[test]
    fn loading_derives_the_postings_indexing_made() {
        struct Row {
            name: &'static str,
            passages: &'static [&'static str],
        }
        let rows = [
            Row {
                name: "plain words, repeated in other cases",
                passages: &["The state and the State.", "state STATE states"],
            },
            Row {
                name: "hyphenated compounds with their parts",
                passages: &["A working-class, well-to-do anti-war party-state."],
            },
            Row {
                name: "possessives and curly quotes",
                passages: &["Lenin’s “dual power” and the soviets' view, ‘quoted’."],
            },
            Row {
                name: "accents, ligatures and emoji",
                passages: &["Place Vendôme 🚩 ﬁnal café—naïve 👩‍👩‍👧 Ｗide"],
            },
            Row {
                name: "no gap between words (CJK), digits and symbols",
                passages: &["無産階級独裁 3.5% of 1,000 a_b x+y", "C++ & R&D: 42"],
            },
            Row {
                name: "gaps at the ends and odd spacing",
                passages: &[
                    "  — leading and trailing —  ",
                    "tab\there\u{a0}nbsp - spaced - hyphen",
                ],
            },
            Row {
                name: "one word under two stems (the first keeps the word)",
                passages: &["They resume the résumé; ＳＴＡＴＥＳ and states."],
            },
            Row {
                name: "long words and gaps, used many times",
                passages: &[
                    "Antidisestablishmentarianism, antidisestablishmentarianism!",
                    "--------------------------------- antidisestablishmentarianism",
                    "pneumonoultramicroscopicsilicovolcanoconiosis ---------------------------------",
                ],
            },
            Row {
                name: "a passage with no word",
                passages: &["… — !", "words"],
            },
        ];
        for row in rows {
            let mut index = Index::new(Language::ENGLISH);
            index
                .add_article(&Article {
                    id: "a".into(),
                    title: "The working-class title".into(),
                    passages: Some(row.passages.iter().map(|p| p.to_string()).collect()),
                    ..Article::default()
                })
                .unwrap();
            let bytes = index.to_bytes();
            let loaded = Index::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", row.name));
            assert_same(&loaded, &index);
            assert_eq!(loaded.to_bytes(), bytes, "{}: saving again", row.name);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 300,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            /// Spans, gaps and the tokens in them hold everything indexing derived from the
            /// text, whatever the text: loading rebuilds the index exactly.
            #[test]
            fn loading_rebuilds_any_index_exactly(
                passages in proptest::collection::vec(
                    "[a-zA-Z0-9 _.,;:'\"!?()\\-\n’‘“”–—…«»·éÉôﬁß\u{a0}\u{ad}\u{301}\u{200d}🚩民]{1,40}",
                    1..5,
                ),
                title in "[a-zA-Z \\-’]{0,12}",
            ) {
                let mut index = Index::new(Language::ENGLISH);
                let article = Article {
                    id: "a".into(),
                    title,
                    passages: Some(passages),
                    ..Article::default()
                };
                if index.add_article(&article).is_ok() {
                    let bytes = index.to_bytes();
                    let loaded = Index::from_bytes(&bytes).unwrap();
                    assert_same(&loaded, &index);
                    prop_assert_eq!(loaded.to_bytes(), bytes);
                }
            }
        }
    }

    /// The payload of a one-word index, "x", with parts that rows below spoil.
    #[derive(Clone, Copy)]
    struct Parts {
        advance: u32,
        token_position: u32,
        token_term: u32,
        span_id: u32,
        gap_ids: &'static [u32],
        /// Terms whose title articles are listed (each with article 0), in this order.
        title_terms: &'static [u32],
    }

    const GOOD: Parts = Parts {
        advance: 1,
        token_position: 0,
        token_term: 0,
        span_id: 0,
        gap_ids: &[0, 0],
        title_terms: &[0],
    };

    fn with_parts(parts: Parts) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.string("en");
        w.string("");
        w.int(1); // articles: "a", one passage
        w.string("a");
        w.string("a");
        w.optional(None);
        w.optional(None);
        w.int(1);
        w.int(1); // terms: "x", with the word "x"
        w.string("x");
        w.int(1);
        w.int(1);
        w.string("");
        w.int(parts.title_terms.len()); // titles: article "a" under each term
        for &term in parts.title_terms {
            w.int(term as usize);
            w.int(1);
            w.int(0);
        }
        w.int(1); // passages: one span
        w.int(1);
        w.int(1); // spans: "x"
        w.string("x");
        w.int(parts.advance as usize);
        w.int(1);
        w.int(parts.token_position as usize);
        w.int(parts.token_term as usize);
        w.int(1); // gaps: ""
        w.string("");
        let stream = |ids: &[u32]| {
            let mut bytes = Vec::new();
            for &id in ids {
                write_varint(&mut bytes, id);
            }
            bytes
        };
        w.bytes(&stream(&[parts.span_id]));
        w.bytes(&stream(parts.gap_ids));
        with_header(&w.0)
    }

    fn payload(bytes: &[u8]) -> &[u8] {
        &bytes[HEADER_LEN..]
    }

    #[test]
    fn inconsistent_payloads_are_refused() {
        let index = Index::from_bytes(&with_parts(GOOD)).unwrap();
        assert_eq!(index.passages("a"), Some(vec!["x"]));
        assert_eq!(index.search("x", &SearchOptions::default()).len(), 1);

        let rows: [(&str, Parts, &str); 8] = [
            (
                "title term twice",
                Parts {
                    title_terms: &[0, 0],
                    ..GOOD
                },
                "a title term appears twice or out of order",
            ),
            (
                "title term naming no term",
                Parts {
                    title_terms: &[1],
                    ..GOOD
                },
                "title term out of range",
            ),
            (
                "more positions than bytes",
                Parts { advance: 2, ..GOOD },
                "more words than it has bytes",
            ),
            (
                "token past its span",
                Parts {
                    token_position: 1,
                    ..GOOD
                },
                "a token outside its span",
            ),
            (
                "token naming no term",
                Parts {
                    token_term: 1,
                    ..GOOD
                },
                "naming no term",
            ),
            (
                "span id out of range",
                Parts { span_id: 1, ..GOOD },
                "span or gap id out of range",
            ),
            (
                "gap ids left over",
                Parts {
                    gap_ids: &[0, 0, 0],
                    ..GOOD
                },
                "more span or gap ids",
            ),
            (
                "gap ids missing",
                Parts {
                    gap_ids: &[0],
                    ..GOOD
                },
                "unreadable gap id",
            ),
        ];
        for (name, parts, expected) in rows {
            let message = Index::from_bytes(&with_parts(parts))
                .unwrap_err()
                .to_string();
            assert!(message.starts_with("index is corrupt"), "{name}: {message}");
            assert!(message.contains(expected), "{name}: {message}");
        }

        let mut other_language = sample();
        other_language.glossary =
            Some(Glossary::new(Language::from_code("fr").unwrap(), Vec::new()).unwrap());
        let message = Index::from_bytes(&other_language.to_bytes())
            .unwrap_err()
            .to_string();
        assert!(message.contains("language is not the index's"), "{message}");
    }

    #[test]
    fn long_spans_and_words_cannot_unfold_from_a_small_index() {
        // One 1,000-byte span named 100,000 times: 100 kB of ids that would unfold to 100 MB.
        let word = "x".repeat(1000);
        let mut w = Writer(Vec::new());
        w.string("en");
        w.string("");
        w.int(1);
        w.string("a");
        w.string("a");
        w.optional(None);
        w.optional(None);
        w.int(1);
        w.int(0); // no terms
        w.int(0); // no titles
        w.int(1);
        w.int(100_000);
        w.int(1);
        w.string(&word);
        w.int(1);
        w.int(0);
        w.int(1);
        w.string(" ");
        w.ids(&vec![0; 100_000], &[0]);
        w.ids(&vec![0; 100_001], &[0]);
        let bytes = with_header(&w.0);
        let message = Index::from_bytes(&bytes).unwrap_err().to_string();
        assert!(
            message.contains("a long span or gap is used twice"),
            "{message}"
        );
    }

    #[test]
    fn a_word_shares_little_with_its_stem() {
        let stem = "x".repeat(100);
        let mut index = Index::new(Language::ENGLISH);
        index.stems.push(stem.clone());
        index.stem_ids.insert(stem.clone(), 0);
        index.postings.push(Postings::default());
        index.words.insert(format!("{stem}y"), 0);
        let bytes = index.to_bytes();
        assert_same(&Index::from_bytes(&bytes).unwrap(), &index);
        // The same word stored as sharing 100 bytes with the stem.
        let mut w = Writer(Vec::new());
        w.string(&stem);
        w.int(1);
        let honest = w.0.len();
        w.int(SHARED_TEXT);
        w.string(&format!("{}y", "x".repeat(100 - SHARED_TEXT)));
        let mut spoiled = Writer(w.0[..honest].to_vec());
        spoiled.int(100);
        spoiled.string("y");
        let payload = payload(&bytes);
        let at = payload
            .windows(w.0.len())
            .position(|window| window == w.0)
            .expect("the word as saved");
        let mut altered = payload[..at].to_vec();
        altered.extend_from_slice(&spoiled.0);
        altered.extend_from_slice(&payload[at + w.0.len()..]);
        let message = Index::from_bytes(&with_header(&altered))
            .unwrap_err()
            .to_string();
        assert!(message.contains("a word of term"), "{message}");
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let good = sample().to_bytes();
        for len in 0..good.len() {
            assert!(Index::from_bytes(&good[..len]).is_err(), "{len}");
        }
    }
}
