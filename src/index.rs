//! The passage index: articles divided into passages, and for every stem a postings list of
//! the passages that contain it with the word positions, compressed as delta-coded varints.
//! The serialised index does not store postings: loading derives them from the passages as
//! [`crate::format`] encodes them, through the same [`post_passage`] that indexing uses.

use crate::article::Article;
use crate::error::Error;
use crate::glossary::Glossary;
use crate::language::Language;
use crate::search::Scores;
use crate::tokenize::{Analyzer, Token, Tokens, NO_WORD};
use crate::value::quoted;
use crate::HashMap;
use std::cell::{OnceCell, RefCell};

/// A passage's number in the whole index, in the order passages were added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PassageId(pub u32);

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArticleRecord {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub byline: Option<String>,
    pub first_passage: u32,
    pub passage_count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PassageRecord {
    pub article: u32,
    /// Number of words (compound tokens not counted), the length BM25 normalises by.
    pub len: u32,
    pub text: String,
}

/// One stem's postings: for each passage containing it, in increasing order,
/// `varint(passage delta) varint(tf) tf × varint(position delta)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Postings {
    pub bytes: Vec<u8>,
    /// Number of passages (the document frequency).
    pub count: u32,
    pub last: u32,
    /// For every [`SKIP`]th entry: the passage of the entry just before it, and the entry's
    /// own offset in `bytes`. A phrase with a common word ("the girl") jumps through the
    /// common word's list to the passages of the rare one instead of reading every entry.
    pub skips: Vec<(u32, u32)>,
}

/// Entries between skip points: 16 costs a list about 8 bytes per 16 entries (memory only;
/// the index format stores no postings) and leaves at most 15 entries to step over.
const SKIP: u32 = 16;

impl Postings {
    pub(crate) fn push(&mut self, passage: u32, positions: &[u32]) {
        let delta = if self.count == 0 {
            passage
        } else {
            passage - self.last
        };
        if self.count > 0 && self.count.is_multiple_of(SKIP) {
            self.skips.push((self.last, self.bytes.len() as u32));
        }
        write_varint(&mut self.bytes, delta);
        write_varint(&mut self.bytes, positions.len() as u32);
        let mut previous = 0;
        for &p in positions {
            write_varint(&mut self.bytes, p - previous);
            previous = p;
        }
        self.count += 1;
        self.last = passage;
    }

    pub(crate) fn reader(&self) -> PostingsReader<'_> {
        PostingsReader {
            bytes: &self.bytes,
            skips: &self.skips,
            at: 0,
            passage: 0,
            started: false,
            positions_at: 0,
            tf: 0,
        }
    }
}

/// Decodes a postings list. Malformed bytes end the list early instead of failing: lists are
/// only ever written by [`Postings::push`] (loading rebuilds them too), so this only guards
/// against bugs.
pub(crate) struct PostingsReader<'a> {
    bytes: &'a [u8],
    skips: &'a [(u32, u32)],
    at: usize,
    passage: u32,
    started: bool,
    /// Where the current passage's positions start, and how many there are.
    positions_at: usize,
    tf: u32,
}

impl PostingsReader<'_> {
    /// The next passage and its term frequency, decoding its positions into `positions`
    /// (cleared first) when given; else they are only stepped over, and
    /// [`PostingsReader::positions`] can still decode them.
    pub(crate) fn next_passage(&mut self, positions: Option<&mut Vec<u32>>) -> Option<(u32, u32)> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let delta = read_varint(self.bytes, &mut self.at)?;
        self.passage = if self.started {
            self.passage.checked_add(delta)?
        } else {
            delta
        };
        self.started = true;
        let tf = read_varint(self.bytes, &mut self.at)?;
        self.positions_at = self.at;
        self.tf = tf;
        match positions {
            Some(out) => self.at = self.decode_positions(out)?,
            None => {
                // Each varint ends with the one byte whose high bit is clear.
                let mut left = tf;
                while left > 0 {
                    let byte = *self.bytes.get(self.at)?;
                    self.at += 1;
                    left -= u32::from(byte & 0x80 == 0);
                }
            }
        }
        Some((self.passage, tf))
    }

    /// Jumps ahead to the last skip point whose entries before it all have passages below
    /// `target`, if that is ahead: [`PostingsReader::next_passage`] then goes on from there,
    /// having stepped over no passage at or past `target`. Call `next_passage` before
    /// [`PostingsReader::positions`] again: until then they are the skipped-from entry's.
    pub(crate) fn skip_below(&mut self, target: u32) {
        let ahead = self
            .skips
            .partition_point(|&(_, at)| (at as usize) <= self.at);
        let usable = self.skips[ahead..].partition_point(|&(passage, _)| passage < target);
        if let Some(&(passage, at)) = self.skips[ahead..].get(usable.wrapping_sub(1)) {
            self.passage = passage;
            self.started = true;
            self.at = at as usize;
        }
    }

    /// The positions of the passage [`PostingsReader::next_passage`] last returned, into `out`
    /// (cleared first); `None` if the list is malformed there.
    pub(crate) fn positions(&self, out: &mut Vec<u32>) -> Option<()> {
        self.decode_positions(out).map(|_| ())
    }

    /// Decodes the current passage's positions into `out`, returning where they end.
    fn decode_positions(&self, out: &mut Vec<u32>) -> Option<usize> {
        out.clear();
        let mut at = self.positions_at;
        let mut position = 0u32;
        for _ in 0..self.tf {
            position = position.checked_add(read_varint(self.bytes, &mut at)?)?;
            out.push(position);
        }
        Some(at)
    }
}

pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Adds a passage's occurrences, each `term << 32 | position` (any order, repeats allowed), to
/// the postings of their terms. Passages must come in increasing order. Shared by indexing and
/// by loading, so a loaded index holds exactly the postings indexing made.
pub(crate) fn post_passage(
    postings: &mut [Postings],
    passage: u32,
    occurrences: &mut [u64],
    positions: &mut Vec<u32>,
) {
    // Sorting plain integers groups the occurrences by term, positions ascending.
    crate::heap::sort(occurrences);
    for group in occurrences.chunk_by(|a, b| a >> 32 == b >> 32) {
        positions.clear();
        positions.extend(group.iter().map(|&o| o as u32));
        positions.dedup();
        postings[(group[0] >> 32) as usize].push(passage, positions);
    }
}

/// The LEB128 numbers of `bytes`, in order, up to the end or the first malformed one.
pub(crate) fn varints(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || read_varint(bytes, &mut at))
}

/// The running sums of the LEB128 numbers of `bytes`: a sorted list stored as the gaps
/// between its items (the first from 0), as the generated Unicode tables are.
pub(crate) fn running_sums(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    varints(bytes).scan(0u32, |sum, gap| {
        *sum = sum.wrapping_add(gap);
        Some(*sum)
    })
}

pub(crate) fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        let bits = u32::from(byte & 0x7f);
        if shift == 28 && bits > 0x0f {
            return None;
        }
        value |= bits << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The vocabulary of surface words, sorted for prefix look-ups and bucketed by length for
/// typo tolerance. Built on the first search after articles change.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub words: Vec<(Box<str>, u32)>,
    /// The words by length in chars, for typo tolerance: a scan of the lengths within reach
    /// reads one small record per word, in order.
    pub by_len: Vec<Vec<Spelling>>,
    /// Indices into `words` grouped by term: the words of term `t` are
    /// `by_term[term_starts[t]..term_starts[t + 1]]`.
    pub by_term: Vec<u32>,
    pub term_starts: Vec<u32>,
    /// [`Index::titles`] sorted, so that a term's articles are a range.
    pub titles: Vec<u64>,
}

/// A word of the [`Lexicon`] as typo tolerance first sees it: two cheap filters that skip
/// most words without reading their text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spelling {
    /// Index into [`Lexicon::words`].
    pub word: u32,
    /// The set of the word's characters folded into 32 bits: an edit changes at most two
    /// bits, so words whose sets differ in more than two bits per allowed edit are skipped.
    pub letters: u32,
    /// The set of the word's character pairs (the word's start and end count as characters)
    /// hashed into 64 bits: an edit removes at most two pairs, so a word missing more than
    /// two bits per allowed edit of the typed word's set (or the other way round) is skipped.
    /// Far more selective than `letters` on the long words that allow two edits.
    pub pairs: u64,
}

/// The 32-bit character set of a word (see [`Spelling::letters`]).
pub(crate) fn letter_set(word: impl IntoIterator<Item = char>) -> u32 {
    word.into_iter()
        .fold(0, |set, c| set | 1 << (c as u32 % 32))
}

/// The 64-bit set of a word's character pairs (see [`Spelling::pairs`]).
pub(crate) fn pair_set(word: impl IntoIterator<Item = char>) -> u64 {
    // Code points end at 0x10FFFF: these two stand for the word's start and end.
    const START: u32 = 0x11_0000;
    const END: u32 = 0x11_0001;
    let bit = |a: u32, b: u32| {
        let hash =
            (a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77)).wrapping_mul(0xC2B2_AE35);
        1u64 << (hash >> 26)
    };
    let (set, last) = word.into_iter().fold((0, START), |(set, previous), c| {
        (set | bit(previous, c as u32), c as u32)
    });
    set | bit(last, END)
}

impl Lexicon {
    fn build(words: &HashMap<String, u32>, titles: &[u64]) -> Lexicon {
        let mut sorted: Vec<(Box<str>, u32)> =
            words.iter().map(|(w, &t)| (w.as_str().into(), t)).collect();
        crate::heap::sort(&mut sorted);
        let mut by_len: Vec<Vec<Spelling>> = Vec::new();
        for (i, (word, _)) in sorted.iter().enumerate() {
            let len = word.chars().count();
            if by_len.len() <= len {
                by_len.resize_with(len + 1, Vec::new);
            }
            by_len[len].push(Spelling {
                word: i as u32,
                letters: letter_set(word.chars()),
                pairs: pair_set(word.chars()),
            });
        }
        // A counting sort of the word indices by term.
        let terms = sorted
            .iter()
            .map(|(_, t)| *t as usize + 1)
            .max()
            .unwrap_or(0);
        let mut term_starts = vec![0u32; terms + 1];
        for (_, t) in &sorted {
            term_starts[*t as usize + 1] += 1;
        }
        for t in 0..terms {
            term_starts[t + 1] += term_starts[t];
        }
        let mut next = term_starts.clone();
        let mut by_term = vec![0u32; sorted.len()];
        for (i, (_, t)) in sorted.iter().enumerate() {
            by_term[next[*t as usize] as usize] = i as u32;
            next[*t as usize] += 1;
        }
        let mut titles = titles.to_vec();
        crate::heap::sort(&mut titles);
        Lexicon {
            words: sorted,
            by_len,
            by_term,
            term_starts,
            titles,
        }
    }

    /// The surface words of a term, in lexicon order.
    pub(crate) fn words_of(&self, term: u32) -> impl Iterator<Item = &str> + '_ {
        let t = term as usize;
        let range = match (self.term_starts.get(t), self.term_starts.get(t + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        self.by_term[range]
            .iter()
            .map(move |&i| &*self.words[i as usize].0)
    }

    /// Indices into `words` of the words starting with `prefix`.
    pub(crate) fn with_prefix(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.words.partition_point(|(w, _)| &**w < prefix);
        let len = self.words[start..].partition_point(|(w, _)| w.starts_with(prefix));
        start..start + len
    }
}

/// Articles, their passages, and the postings that let [`Index::search`] rank passages.
///
/// ```
/// use glossa::{Article, Index, Language, SearchOptions};
///
/// let mut index = Index::new(Language::ENGLISH);
/// index.add_article(&Article {
///     id: "lenin".into(),
///     title: "Lenin's vision of workers' power".into(),
///     passages: Some(vec![
///         "Power hung between the provisional government and the soviets.".into(),
///         "The dual power situation could not hold.".into(),
///     ]),
///     ..Article::default()
/// }).unwrap();
/// let hits = index.search("dual power", &SearchOptions::default());
/// assert_eq!((hits[0].article.as_str(), hits[0].passage), ("lenin", 1));
/// assert_eq!(hits[0].snippet, "The dual power situation could not hold.");
/// ```
#[derive(Debug)]
pub struct Index {
    pub(crate) analyzer: Analyzer,
    pub(crate) articles: Vec<ArticleRecord>,
    pub(crate) article_ids: HashMap<String, u32>,
    pub(crate) passages: Vec<PassageRecord>,
    /// Stem of each term id.
    pub(crate) stems: Vec<String>,
    pub(crate) stem_ids: HashMap<String, u32>,
    pub(crate) postings: Vec<Postings>,
    /// Normalised surface word → term id of its stem.
    pub(crate) words: HashMap<String, u32>,
    /// `term << 32 | article` for each term of each article's title, in the order articles
    /// were added; the lexicon keeps them sorted (see [`Index::title_articles`]). Pairs rather
    /// than a map of term to articles: small, and a map of that type would cost the wasm a
    /// hash table's code of its own (0.4 kB gzipped). Kept in order as they came, each
    /// article's pairs are a push, where keeping them sorted cost a move of the whole vector
    /// per pair: quadratic in the articles.
    pub(crate) titles: Vec<u64>,
    pub(crate) total_len: u64,
    pub(crate) glossary: Option<Glossary>,
    pub(crate) lexicon: OnceCell<Lexicon>,
    /// Search's per-passage accumulators, kept between searches.
    pub(crate) scores: RefCell<Scores>,
}

impl Index {
    pub fn new(language: Language) -> Index {
        Index {
            analyzer: Analyzer::new(language),
            articles: Vec::new(),
            article_ids: HashMap::default(),
            passages: Vec::new(),
            stems: Vec::new(),
            stem_ids: HashMap::default(),
            postings: Vec::new(),
            words: HashMap::default(),
            titles: Vec::new(),
            total_len: 0,
            glossary: None,
            lexicon: OnceCell::new(),
            scores: RefCell::default(),
        }
    }

    pub fn language(&self) -> Language {
        self.analyzer.language()
    }

    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    pub fn passage_count(&self) -> usize {
        self.passages.len()
    }

    /// The passages of an article as the index numbers them (paragraphs, long ones split),
    /// so a page can show exactly what search hits point to.
    pub fn passages(&self, article: &str) -> Option<Vec<&str>> {
        let record = self
            .articles
            .get(*self.article_ids.get(article)? as usize)?;
        let range =
            record.first_passage as usize..(record.first_passage + record.passage_count) as usize;
        Some(
            self.passages
                .get(range)?
                .iter()
                .map(|p| p.text.as_str())
                .collect(),
        )
    }

    /// The glossary stored with the index, used for annotation and query synonyms.
    pub fn glossary(&self) -> Option<&Glossary> {
        self.glossary.as_ref()
    }

    /// Stores a glossary in the index. Its language must be the index's, since query
    /// synonyms are matched with the index's stemmer.
    pub fn set_glossary(&mut self, glossary: Glossary) -> Result<(), Error> {
        if glossary.language() != self.language() {
            return Err(Error::glossary(
                [
                    "glossary language ",
                    &quoted(glossary.language().code()),
                    " differs from the index language ",
                    &quoted(self.language().code()),
                ]
                .concat(),
            ));
        }
        self.glossary = Some(glossary);
        Ok(())
    }

    /// The articles whose title has `term`, in increasing order.
    pub(crate) fn title_articles(&self, term: u32) -> impl Iterator<Item = u32> + '_ {
        let term = u64::from(term);
        let titles = &self.lexicon().titles;
        let start = titles.partition_point(|&p| p >> 32 < term);
        titles[start..]
            .iter()
            .take_while(move |&&p| p >> 32 == term)
            .map(|&p| p as u32)
    }

    /// Adds an article. Its passages are its paragraphs (see [`Article`]); passages are
    /// numbered from 0 within the article in search hits.
    pub fn add_article(&mut self, article: &Article) -> Result<(), Error> {
        let passages = article.validated_passages()?;
        if self.article_ids.contains_key(&article.id) {
            return Err(Error::article(
                ["article ", &quoted(&article.id), " is already in the index"].concat(),
            ));
        }
        let article_number = self.articles.len() as u32;
        let first_passage = self.passages.len() as u32;
        let mut tokens = Tokens::new();
        // Each `term << 32 | position`, for post_passage.
        let mut occurrences: Vec<u64> = Vec::new();
        let mut positions: Vec<u32> = Vec::new();
        for text in passages {
            let passage = self.passages.len() as u32;
            self.analyzer.tokenize(&text, &mut tokens);
            occurrences.clear();
            let mut len = 0u32;
            for (token, word) in tokens.iter().zip(tokens.words()) {
                let term = self.word_term(token, word);
                occurrences.push(u64::from(term) << 32 | u64::from(token.position));
                len += u32::from(!token.compound);
            }
            post_passage(
                &mut self.postings,
                passage,
                &mut occurrences,
                &mut positions,
            );
            self.total_len += u64::from(len);
            self.passages.push(PassageRecord {
                article: article_number,
                len,
                text,
            });
        }

        self.analyzer.tokenize(&article.title, &mut tokens);
        let mut title_terms: Vec<u32> = Vec::new();
        for (token, word) in tokens.iter().zip(tokens.words()) {
            let term = self.word_term(token, word);
            title_terms.push(term);
        }
        crate::heap::sort(&mut title_terms);
        title_terms.dedup();
        self.titles.extend(
            title_terms
                .into_iter()
                .map(|term| u64::from(term) << 32 | u64::from(article_number)),
        );

        self.article_ids.insert(article.id.clone(), article_number);
        self.articles.push(ArticleRecord {
            id: article.id.clone(),
            title: if article.title.trim().is_empty() {
                article.id.clone()
            } else {
                article.title.trim().to_owned()
            },
            url: article.url.clone(),
            byline: article.byline.clone(),
            first_passage,
            passage_count: self.passages.len() as u32 - first_passage,
        });
        self.lexicon = OnceCell::new();
        Ok(())
    }

    /// The term id of a token, and its word recorded for the lexicon. The analyzer keeps the
    /// term id with its cache entry for the word (`word`), so a word seen before costs no
    /// look-up here.
    fn word_term(&mut self, token: Token<'_>, word: u32) -> u32 {
        let known = self.analyzer.word_tag(word);
        if known != NO_WORD {
            return known;
        }
        let term = self.term_id(token.stem);
        if !self.words.contains_key(token.text) {
            self.words.insert(token.text.to_owned(), term);
        }
        self.analyzer.set_word_tag(word, term);
        term
    }

    fn term_id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stem_ids.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stems.push(stem.to_owned());
        self.stem_ids.insert(stem.to_owned(), id);
        self.postings.push(Postings::default());
        id
    }

    pub(crate) fn lexicon(&self) -> &Lexicon {
        self.lexicon
            .get_or_init(|| Lexicon::build(&self.words, &self.titles))
    }

    pub(crate) fn avg_len(&self) -> f32 {
        if self.passages.is_empty() {
            1.0
        } else {
            (self.total_len as f64 / self.passages.len() as f64).max(1.0) as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX - 1, u32::MAX];
        let mut bytes = Vec::new();
        for v in values {
            write_varint(&mut bytes, v);
        }
        let mut at = 0;
        let decoded: Vec<u32> = values
            .iter()
            .map(|_| read_varint(&bytes, &mut at).unwrap())
            .collect();
        assert_eq!(decoded, values);
        assert_eq!(
            read_varint(&[0xff, 0xff, 0xff, 0xff, 0x7f], &mut 0),
            None,
            "overflow"
        );
        assert_eq!(read_varint(&[0x80], &mut 0), None, "truncated");
    }

    #[test]
    fn postings_round_trip() {
        let mut postings = Postings::default();
        postings.push(3, &[0, 5, 9]);
        postings.push(10, &[2]);
        let mut reader = postings.reader();
        let mut positions = Vec::new();
        assert_eq!(reader.next_passage(Some(&mut positions)), Some((3, 3)));
        assert_eq!(positions, [0, 5, 9]);
        assert_eq!(reader.next_passage(None), Some((10, 1)));
        assert_eq!(reader.next_passage(None), None);
    }

    #[test]
    fn skipping_never_steps_over_a_passage_at_or_past_the_target() {
        // Passages 0, 3, 6, … 297, with positions [p % 7, 10].
        let mut postings = Postings::default();
        for passage in (0..300).step_by(3) {
            postings.push(passage, &[passage % 7, 10]);
        }
        assert_eq!(postings.skips.len(), 6, "one per 16 entries");
        // 45 and 93 are the passages just before skip points.
        for target in [0, 1, 3, 45, 46, 47, 48, 93, 94, 150, 297, 298, 1000] {
            let mut reader = postings.reader();
            // Skips only ever go forward, from wherever the reader is.
            reader.next_passage(None);
            reader.skip_below(target);
            reader.skip_below(target / 2);
            let mut first = None;
            while let Some((passage, _)) = reader.next_passage(None) {
                if passage >= target {
                    first = Some(passage);
                    break;
                }
            }
            let expected = (3..300).step_by(3).find(|&p| p >= target);
            assert_eq!(first, expected, "target {target}");
            if let Some(passage) = first {
                let mut positions = Vec::new();
                reader.positions(&mut positions).unwrap();
                assert_eq!(positions, [passage % 7, 10], "target {target}");
            }
        }
    }

    #[test]
    fn duplicate_articles_are_refused() {
        let mut index = Index::new(Language::ENGLISH);
        let article = Article {
            id: "a".into(),
            text: Some("One.\n\nTwo.".into()),
            ..Article::default()
        };
        index.add_article(&article).unwrap();
        let err = index.add_article(&article).unwrap_err();
        assert_eq!(err.to_string(), "article \"a\" is already in the index");
        assert_eq!(index.passage_count(), 2);
    }

    #[test]
    fn lexicon_prefixes() {
        let mut words = HashMap::default();
        for (i, w) in ["state", "statement", "soviet", "stage"].iter().enumerate() {
            words.insert(w.to_string(), i as u32);
        }
        words.insert("states".to_string(), 0);
        let lexicon = Lexicon::build(&words, &[]);
        let found: Vec<&str> = lexicon.words[lexicon.with_prefix("stat")]
            .iter()
            .map(|(w, _)| &**w)
            .collect();
        assert_eq!(found, ["state", "statement", "states"]);
        assert_eq!(lexicon.words_of(0).collect::<Vec<_>>(), ["state", "states"]);
        assert!(lexicon.with_prefix("x").is_empty());
        assert_eq!(lexicon.words_of(1).collect::<Vec<_>>(), ["statement"]);
        assert_eq!(lexicon.words_of(9).count(), 0);
    }
}
