//! The serialised index: compact, versioned, checksummed bytes.
//!
//! ```text
//! "GLOSSA"            6 bytes, the signature
//! version             u16 little-endian (this is version 1)
//! payload length      u64 little-endian
//! CRC-32 of payload   u32 little-endian (IEEE)
//! payload:
//!   language code, glossary JSON ("" when none)
//!   articles:  count, then id, title, url?, byline?, passage count
//!   passages:  count, then word count, text        (in article order)
//!   terms:     count, then stem, passage count, postings bytes
//!   words:     count, then word, term id
//!   titles:    count, then term id, article count, article ids (delta-coded)
//! ```
//!
//! Integers in the payload are LEB128 varints, strings are a length and UTF-8 bytes, `x?` is a
//! flag byte then `x`. Postings are stored exactly as [`crate::index`] keeps them in memory.
//! Loading checks everything a search relies on, so bytes that load can be searched safely.

use crate::error::Error;
use crate::glossary::Glossary;
use crate::index::{read_varint, write_varint, ArticleRecord, Index, PassageRecord, Postings};
use crate::language::Language;
use crate::tokenize::Analyzer;
use crate::value::Quoted;
use crate::HashMap;
use std::cell::OnceCell;

const MAGIC: &[u8; 6] = b"GLOSSA";
const VERSION: u16 = 1;
const HEADER_LEN: usize = 6 + 2 + 8 + 4;

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
    Error::index(format!("index is corrupt: {what}"))
}

impl<'a> Reader<'a> {
    fn int(&mut self, what: &str) -> Result<u32, Error> {
        read_varint(self.bytes, &mut self.at).ok_or_else(|| corrupt(&format!("unreadable {what}")))
    }

    /// A count of items that each take at least one byte, so it cannot exceed what is left.
    fn count(&mut self, what: &str) -> Result<usize, Error> {
        let n = self.int(what)? as usize;
        if n > self.bytes.len() - self.at {
            return Err(corrupt(&format!("{what} {n} exceeds the data")));
        }
        Ok(n)
    }

    fn bytes(&mut self, what: &str) -> Result<&'a [u8], Error> {
        let len = self.count(what)?;
        let out = &self.bytes[self.at..self.at + len];
        self.at += len;
        Ok(out)
    }

    fn string(&mut self, what: &str) -> Result<String, Error> {
        let bytes = self.bytes(what)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| corrupt(&format!("{what} is not UTF-8")))
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
            _ => Err(corrupt(&format!("bad flag before {what}"))),
        }
    }
}

impl Index {
    /// The index as bytes, for [`Index::from_bytes`]: build once (e.g. with the CLI at site
    /// build time) and load in the browser.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(
            self.passages
                .iter()
                .map(|p| p.text.len() + 4)
                .sum::<usize>()
                + self
                    .postings
                    .iter()
                    .map(|p| p.bytes.len() + 8)
                    .sum::<usize>(),
        ));
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
        w.int(self.passages.len());
        for p in &self.passages {
            w.int(p.len as usize);
            w.string(&p.text);
        }
        w.int(self.stems.len());
        for (stem, postings) in self.stems.iter().zip(&self.postings) {
            w.string(stem);
            w.int(postings.count as usize);
            w.bytes(&postings.bytes);
        }
        let mut words: Vec<(&String, &u32)> = self.words.iter().collect();
        crate::heap::sort(&mut words);
        w.int(words.len());
        for (word, &term) in words {
            w.string(word);
            w.int(term as usize);
        }
        let mut titles: Vec<(&u32, &Vec<u32>)> = self.titles.iter().collect();
        crate::heap::sort_by(&mut titles, |a, b| a.0 < b.0);
        w.int(titles.len());
        for (&term, articles) in titles {
            w.int(term as usize);
            w.int(articles.len());
            let mut previous = 0;
            for &a in articles {
                w.int((a - previous) as usize);
                previous = a;
            }
        }

        let payload = w.0;
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
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
            return Err(Error::index(format!(
                "index is truncated: {} bytes, shorter than its {HEADER_LEN}-byte header",
                bytes.len()
            )));
        }
        let version = u16::from_le_bytes([bytes[6], bytes[7]]);
        if version != VERSION {
            return Err(Error::index(format!(
                "index version {version} is not supported (this glossa reads version {VERSION}); rebuild the index"
            )));
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[8..16]);
        let expected = u64::from_le_bytes(len);
        let payload = &bytes[HEADER_LEN..];
        if (payload.len() as u64) < expected {
            return Err(Error::index(format!(
                "index is truncated: {} of {expected} payload bytes",
                payload.len()
            )));
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
}

fn read_payload(r: &mut Reader<'_>) -> Result<Index, Error> {
    let language = Language::from_code(&r.string("language")?)
        .map_err(|e| Error::index(format!("index language: {e}")))?;
    let glossary_json = r.string("glossary")?;
    let glossary = if glossary_json.is_empty() {
        None
    } else {
        let glossary = Glossary::from_json(&glossary_json)
            .map_err(|e| corrupt(&format!("stored glossary: {e}")))?;
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
            return Err(corrupt(&format!(
                "article id {} appears twice",
                Quoted(&id)
            )));
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

    let passage_count = r.count("passage count")?;
    if passage_count != first_passage as usize {
        return Err(corrupt("articles and passages disagree"));
    }
    let mut passages = Vec::with_capacity(passage_count);
    let mut total_len = 0u64;
    for article in &articles {
        for _ in 0..article.passage_count {
            let len = r.int("passage length")?;
            let text = r.string("passage text")?;
            total_len += u64::from(len);
            passages.push(PassageRecord {
                article: passages.len() as u32,
                len,
                text,
            });
        }
    }
    for (number, article) in articles.iter().enumerate() {
        let range = article.first_passage as usize
            ..(article.first_passage + article.passage_count) as usize;
        for p in &mut passages[range] {
            p.article = number as u32;
        }
    }

    let term_count = r.count("term count")?;
    let mut stems = Vec::with_capacity(term_count);
    let mut stem_ids = HashMap::with_capacity_and_hasher(term_count, Default::default());
    let mut postings = Vec::with_capacity(term_count);
    let mut positions = Vec::new();
    for term in 0..term_count {
        let stem = r.string("term")?;
        let count = r.int("term frequency")?;
        let bytes = r.bytes("postings")?.to_vec();
        let list = Postings {
            bytes,
            count,
            last: 0,
        };
        // Every record complete, passages increasing and in range, each with at least one
        // position, positions increasing and inside the passage, and nothing left over.
        let bad = || corrupt(&format!("postings of term {}", Quoted(&stem)));
        let mut reader = list.reader();
        let mut seen = 0u32;
        let mut last: Option<u32> = None;
        while !reader.is_done() {
            let (passage, tf) = reader.next_passage(Some(&mut positions)).ok_or_else(bad)?;
            let words = passages
                .get(passage as usize)
                .map_or(0, |p: &PassageRecord| p.len);
            let valid = last.is_none_or(|l| passage > l)
                && tf > 0
                && positions.windows(2).all(|w| w[0] < w[1])
                && positions.last().is_some_and(|&p| p < words);
            if !valid {
                return Err(bad());
            }
            last = Some(passage);
            seen += 1;
        }
        if seen != count {
            return Err(bad());
        }
        if stem_ids.insert(stem.clone(), term as u32).is_some() {
            return Err(corrupt(&format!("term {} appears twice", Quoted(&stem))));
        }
        stems.push(stem);
        postings.push(Postings {
            last: last.unwrap_or(0),
            ..list
        });
    }

    let word_count = r.count("word count")?;
    let mut words = HashMap::with_capacity_and_hasher(word_count, Default::default());
    for _ in 0..word_count {
        let word = r.string("word")?;
        let term = r.int("word term")?;
        if term as usize >= term_count {
            return Err(corrupt(&format!("word {} names no term", Quoted(&word))));
        }
        if words.insert(word, term).is_some() {
            return Err(corrupt("a word appears twice"));
        }
    }

    let title_count = r.count("title term count")?;
    let mut titles = HashMap::with_capacity_and_hasher(title_count, Default::default());
    for _ in 0..title_count {
        let term = r.int("title term")?;
        let n = r.count("title article count")?;
        let mut list = Vec::with_capacity(n);
        let mut previous = 0u32;
        for _ in 0..n {
            previous = previous
                .checked_add(r.int("title article")?)
                .filter(|&a| (a as usize) < articles.len())
                .ok_or_else(|| corrupt("title article out of range"))?;
            list.push(previous);
        }
        if term as usize >= term_count {
            return Err(corrupt("title term out of range"));
        }
        if titles.insert(term, list).is_some() {
            return Err(corrupt("a title term appears twice"));
        }
    }
    if r.at != r.bytes.len() {
        return Err(corrupt("unread bytes at the end"));
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

    #[test]
    fn inconsistent_payloads_are_refused() {
        type Damage = fn(&mut Index);
        let rows: [(&str, Damage); 4] = [
            ("incomplete last record", |i| i.postings[0].bytes.push(0x80)),
            ("passage without positions", |i| {
                let p = &mut i.postings[1];
                *p = Postings::default();
                p.push(0, &[]);
            }),
            ("position past the passage", |i| {
                let p = &mut i.postings[1];
                *p = Postings::default();
                p.push(0, &[1000]);
            }),
            ("glossary in another language", |i| {
                let fr = Glossary::new(Language::from_code("fr").unwrap(), Vec::new()).unwrap();
                i.glossary = Some(fr);
            }),
        ];
        for (name, damage) in rows {
            let mut index = sample();
            damage(&mut index);
            let message = Index::from_bytes(&index.to_bytes())
                .unwrap_err()
                .to_string();
            assert!(message.starts_with("index is corrupt"), "{name}: {message}");
        }
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let good = sample().to_bytes();
        for len in 0..good.len() {
            assert!(Index::from_bytes(&good[..len]).is_err(), "{len}");
        }
    }
}
