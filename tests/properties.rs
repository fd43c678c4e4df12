//! Property tests of the invariants the reading widget relies on: token spans, glossary
//! matches, search hits and the index bytes, over text mixing every kind of Unicode a page
//! can hold (accents, combining marks, emoji sequences, CJK, RTL scripts, bidi controls).
#![cfg(not(target_arch = "wasm32"))]

use glossa::{Analyzer, Article, Glossary, Hit, Index, Language, SearchOptions, Span, Tokens};
use proptest::prelude::*;
use proptest::sample::Index as Pick;

/// Cases for the cheap properties (tokenising, annotating).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // No regression files: the tests must not write into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const WORDS: &[&str] = &[
    "state",
    "State",
    "STATE",
    "statement",
    "power",
    "dual",
    "soviet",
    "Soviets",
    "Lenin",
    "Lenin’s",
    "Lenin's",
    "workers’",
    "working",
    "class",
    "working-class",
    "post-revolutionary-era",
    "the",
    "of",
    "a",
    "and",
    "dictatorship",
    "proletariat",
    "revolution",
    "1917",
    "1,000",
    "3.14",
    "don't",
    "Vendôme",
    "café",
    "naïve",
    "Straße",
    "ﬁnal",
    "ＷＩＤＥ",
    "λόγος",
    "ΛΌΓΟΣ",
    "Диктатура",
    "пролетариата",
    "无产阶级",
    "专政",
    "日本語",
    "한국어",
    "مرحبا",
    "السلام",
    "שלום",
    "ש\"ב",
    "e\u{301}tat",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "𐍈𐌰",
];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\n\n", "\t", "\u{a0}", "\u{2009}", "\u{3000}",
];

const PUNCTUATION: &[&str] = &[
    ".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "'", "’", "‘", "“", "”", "\"", "«", "»", "-",
    "‐", "‑", "—", "–", "…", "/", "&", "#", "@", "*", "'s", "’s",
];

const ODD: &[&str] = &[
    "é",
    "ô",
    "\u{301}",
    "\u{308}",
    "\u{345}",
    "\u{20dd}",
    "😀",
    "👩\u{200d}👩\u{200d}👧",
    "✊🏽",
    "👍🏿",
    "🏳\u{fe0f}\u{200d}🌈",
    "🇫🇷",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{200e}",
    "\u{200f}",
    "\u{202a}",
    "\u{202b}",
    "\u{202c}",
    "\u{202e}",
    "\u{2066}",
    "\u{2067}",
    "\u{2069}",
    "\u{061c}",
    "\u{feff}",
    "\u{ad}",
    "\u{2060}",
    "\u{fffd}",
    "\u{0}",
    "\r\n",
];

fn pick(list: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(list).prop_map(str::to_owned).boxed()
}

/// One piece of text: mostly words and spaces, some punctuation, odd characters and
/// arbitrary chars.
fn piece() -> BoxedStrategy<String> {
    prop_oneof![
        6 => pick(WORDS),
        6 => pick(SEPARATORS),
        3 => pick(PUNCTUATION),
        2 => pick(ODD),
        2 => any::<char>().prop_map(String::from),
    ]
    .boxed()
}

fn text_of(pieces: impl Strategy<Value = String> + 'static, max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(pieces, 0..max)
        .prop_map(|v| v.concat())
        .boxed()
}

fn text() -> BoxedStrategy<String> {
    text_of(piece(), 48)
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

fn is_low_surrogate(unit: u16) -> bool {
    (0xDC00..=0xDFFF).contains(&unit)
}

/// Whether `span` is a range of `units` that does not split a surrogate pair.
fn on_utf16_boundaries(units: &[u16], span: Span) -> bool {
    let (s, e) = (span.start as usize, span.end as usize);
    s <= e
        && e <= units.len()
        && !units.get(s).is_some_and(|&u| is_low_surrogate(u))
        && !units.get(e).is_some_and(|&u| is_low_surrogate(u))
}

fn decode(units: &[u16], span: Span) -> Option<String> {
    String::from_utf16(units.get(span.start as usize..span.end as usize)?).ok()
}

// ---------------------------------------------------------------------------------------
// 1. Tokeniser spans
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn token_spans_and_texts_agree_with_the_source(text in text(), before in text()) {
        let analyzer = Analyzer::new(Language::ENGLISH);
        // A buffer that held another text first gives what a fresh one does.
        let mut fresh = Tokens::new();
        analyzer.tokenize(&text, &mut fresh);
        let mut tokens = Tokens::new();
        analyzer.tokenize(&before, &mut tokens);
        analyzer.tokenize(&text, &mut tokens);
        let all: Vec<_> = tokens.iter().collect();
        prop_assert_eq!(&all, &fresh.iter().collect::<Vec<_>>());
        prop_assert_eq!(all.len(), tokens.len());

        let mut next_position = 0u32;
        let mut previous_end = 0usize;
        for (i, t) in all.iter().enumerate() {
            prop_assert!(t.start < t.end && t.end <= text.len(), "{:?}", t);
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "{:?}", t);
            prop_assert_eq!(t.span.start, utf16_len(&text[..t.start]), "{:?}", t);
            prop_assert_eq!(t.span.end, utf16_len(&text[..t.end]), "{:?}", t);
            let source = &text[t.start..t.end];
            if t.compound {
                // The parts are the ordinary tokens just before it, inside its range.
                let parts: Vec<_> = all[..i]
                    .iter()
                    .filter(|p| !p.compound && p.start >= t.start && p.end <= t.end)
                    .collect();
                prop_assert!(parts.len() >= 2, "compound {:?} covers {} parts", t, parts.len());
                let joined: String = parts.iter().map(|p| p.text).collect();
                prop_assert_eq!(joined.as_str(), t.text);
                prop_assert_eq!(t.position, parts[0].position);
                prop_assert_eq!(parts[0].start, t.start);
                prop_assert_eq!(parts[parts.len() - 1].end, t.end);
                prop_assert!(parts.windows(2).all(|w| w[1].position == w[0].position + 1));
                prop_assert_eq!(parts[parts.len() - 1].position + 1, next_position);
            } else {
                prop_assert_eq!(analyzer.normalize(source), t.text, "{:?}", source);
                prop_assert_eq!(analyzer.stem(source), t.stem, "{:?}", source);
                prop_assert_eq!(t.position, next_position);
                prop_assert!(t.start >= previous_end, "words overlap at {:?}", t);
                next_position += 1;
                previous_end = t.end;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Annotation
// ---------------------------------------------------------------------------------------

const GLOSSARY: &str = r#"{"language": "en", "entries": [
    {"id": "dotp", "term": "dictatorship of the proletariat",
     "aliases": ["proletarian dictatorship"], "definition": "Rule by the working class."},
    {"id": "proletariat", "term": "proletariat", "definition": "The working class."},
    {"id": "soviet", "term": "soviet", "aliases": ["workers’ council"], "definition": "A council."},
    {"id": "state", "term": "state", "definition": "The apparatus of rule."},
    {"id": "dual-power", "term": "dual power", "aliases": ["dvoevlastie"], "definition": "Two powers."},
    {"id": "vendome", "term": "Place Vendôme", "definition": "A square in Paris."},
    {"id": "lenin", "term": "Vladimir Lenin", "aliases": ["Lenin"], "definition": "A revolutionary."},
    {"id": "working-class", "term": "working class", "definition": "Wage workers."},
    {"id": "cjk", "term": "无产阶级", "definition": "Proletariat, in Chinese."},
    {"id": "ru", "term": "диктатура пролетариата", "definition": "In Russian."},
    {"id": "cafe", "term": "café", "definition": "Coffee."}
]}"#;

const GLOSSARY_TEXTS: &[&str] = &[
    "dictatorship of the proletariat",
    "Dictatorships of the Proletariat",
    "proletarian dictatorship",
    "proletariat",
    "soviets",
    "Soviet",
    "workers' council",
    "workers’ councils",
    "state",
    "dual power",
    "DUAL POWER",
    "dual. Power",
    "Place Vendôme",
    "Place Vendome",
    "place vende\u{301}me",
    "Vladimir Lenin",
    "Lenin’s",
    "working-class",
    "working class",
    "无产阶级",
    "Диктатура пролетариата",
    "cafe",
    "CAFÉ",
];

fn annotated_text() -> BoxedStrategy<String> {
    text_of(
        prop_oneof![5 => piece(), 2 => pick(GLOSSARY_TEXTS), 1 => pick(GLOSSARY_TEXTS).prop_map(|t| format!("“{t}”"))],
        40,
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn glossary_matches_are_ordered_disjoint_utf16_ranges(text in annotated_text()) {
        let glossary = Glossary::from_json(GLOSSARY).unwrap();
        let units: Vec<u16> = text.encode_utf16().collect();
        let matches = glossary.annotate(&text);
        for m in &matches {
            prop_assert!(m.entry < glossary.entries().len());
            prop_assert!(m.start < m.end && m.end <= text.len(), "{:?}", m);
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end), "{:?}", m);
            prop_assert!(on_utf16_boundaries(&units, m.span), "{:?} in {:?}", m, text);
            prop_assert_eq!(m.span.start, utf16_len(&text[..m.start]));
            prop_assert_eq!(m.span.end, utf16_len(&text[..m.end]));
            let decoded = decode(&units, m.span);
            prop_assert_eq!(decoded.as_deref(), Some(&text[m.start..m.end]));
        }
        for pair in matches.windows(2) {
            prop_assert!(pair[0].end <= pair[1].start, "overlap: {:?}", pair);
            prop_assert!(pair[0].span.end <= pair[1].span.start, "overlap: {:?}", pair);
        }
    }

    #[test]
    fn a_selected_match_looks_up_its_own_entry(text in annotated_text()) {
        // What a reader gets when they select a highlighted term.
        let glossary = Glossary::from_json(GLOSSARY).unwrap();
        for m in glossary.annotate(&text) {
            let selected = &text[m.start..m.end];
            let found = glossary.lookup(selected).map(|e| e.id.as_str());
            prop_assert_eq!(found, Some(glossary.entries()[m.entry].id.as_str()), "{:?}", selected);
        }
    }
}

// ---------------------------------------------------------------------------------------
// 3. Search
// ---------------------------------------------------------------------------------------

/// Words the passages are mostly made of, so that queries find several passages.
const VOCABULARY: &[&str] = &[
    "state",
    "states",
    "statement",
    "power",
    "powers",
    "dual",
    "soviet",
    "soviets",
    "Lenin",
    "Lenin’s",
    "working-class",
    "working",
    "class",
    "dictatorship",
    "proletariat",
    "revolution",
    "revolutionary",
    "the",
    "of",
    "and",
    "Vendôme",
    "café",
    "1917",
];

/// A word and what follows it (usually a space), punctuation, or any other piece.
fn passage_piece() -> BoxedStrategy<String> {
    let word = prop_oneof![8 => pick(VOCABULARY), 1 => pick(GLOSSARY_TEXTS), 1 => pick(WORDS)];
    let after = prop_oneof![12 => Just(" ".to_owned()), 1 => pick(PUNCTUATION), 1 => piece()];
    prop_oneof![
        12 => (word, after).prop_map(|(w, a)| w + &a),
        1 => pick(PUNCTUATION),
        1 => piece(),
    ]
    .boxed()
}

#[derive(Clone, Debug)]
struct Corpus {
    /// (title, passages) per article.
    articles: Vec<(String, Vec<String>)>,
}

fn corpus() -> BoxedStrategy<Corpus> {
    let passage = text_of(passage_piece(), 70);
    let title = text_of(passage_piece(), 8);
    let article = (title, prop::collection::vec(passage, 1..5));
    prop::collection::vec(article, 1..4)
        .prop_map(|articles| Corpus { articles })
        // Longer paragraphs are split, which would renumber the passages.
        .prop_filter("a paragraph over 150 words", |c| {
            c.articles
                .iter()
                .flat_map(|(_, passages)| passages)
                .all(|p| p.split_whitespace().count() <= 150)
        })
        .boxed()
}

fn build(corpus: &Corpus, with_glossary: bool) -> Index {
    let mut index = Index::new(Language::ENGLISH);
    if with_glossary {
        index
            .set_glossary(Glossary::from_json(GLOSSARY).unwrap())
            .unwrap();
    }
    for (i, (title, passages)) in corpus.articles.iter().enumerate() {
        index
            .add_article(&Article {
                id: format!("a{i}"),
                title: title.clone(),
                passages: Some(passages.clone()),
                ..Article::default()
            })
            .unwrap();
    }
    index
}

/// The passages as the index numbers them: trimmed, blank ones dropped.
fn indexed_passages(passages: &[String]) -> Vec<&str> {
    passages
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Surface words of the corpus that a query can hold as one chunk: no whitespace, no quote
/// character, not starting with a minus.
fn vocabulary_of(corpus: &Corpus) -> Vec<String> {
    let analyzer = Analyzer::new(Language::ENGLISH);
    let mut tokens = Tokens::new();
    let mut out: Vec<String> = Vec::new();
    for (title, passages) in &corpus.articles {
        for text in std::iter::once(title).chain(passages) {
            analyzer.tokenize(text, &mut tokens);
            for t in tokens.iter().filter(|t| !t.compound) {
                let word = &text[t.start..t.end];
                let quoteish =
                    |c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '„' | '«' | '»');
                if !word.contains(quoteish) && !word.starts_with(['-', '\u{2212}']) {
                    out.push(word.to_owned());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// One chunk of a query: which word(s), and how it is written.
#[derive(Clone, Debug)]
struct ChunkSpec {
    first: Pick,
    second: Pick,
    /// 0-3 plain, 4 excluded word, 5 quoted phrase, 6 excluded quoted phrase, 7 a
    /// vocabulary word that may not be in the index at all.
    kind: u8,
}

fn chunk_spec() -> impl Strategy<Value = ChunkSpec> {
    (any::<Pick>(), any::<Pick>(), 0u8..8).prop_map(|(first, second, kind)| ChunkSpec {
        first,
        second,
        kind,
    })
}

/// The query text, and the excluded chunks' bodies.
fn make_query(
    vocabulary: &[String],
    chunks: &[ChunkSpec],
    trailing_space: bool,
) -> (String, Vec<String>) {
    let mut parts = Vec::new();
    let mut excluded = Vec::new();
    for chunk in chunks {
        let a = vocabulary[chunk.first.index(vocabulary.len())].as_str();
        let b = vocabulary[chunk.second.index(vocabulary.len())].as_str();
        match chunk.kind {
            0..=3 => parts.push(a.to_owned()),
            4 => {
                parts.push(format!("-{a}"));
                excluded.push(a.to_owned());
            }
            5 => parts.push(format!("\"{a} {b}\"")),
            6 => {
                parts.push(format!("-\"{a} {b}\""));
                excluded.push(format!("{a} {b}"));
            }
            _ => parts.push(VOCABULARY[chunk.first.index(VOCABULARY.len())].to_owned()),
        }
    }
    let mut query = parts.join(" ");
    if trailing_space {
        query.push(' ');
    }
    (query, excluded)
}

/// Whether `text` holds the stems of `excluded` at consecutive word positions, as the index
/// sees it (a compound token counts at its first part's position).
fn contains_stems(analyzer: &Analyzer, text: &str, excluded: &str) -> bool {
    let mut tokens = Tokens::new();
    analyzer.tokenize(excluded, &mut tokens);
    let wanted: Vec<String> = tokens
        .iter()
        .filter(|t| !t.compound)
        .map(|t| t.stem.to_owned())
        .collect();
    if wanted.is_empty() {
        return false;
    }
    analyzer.tokenize(text, &mut tokens);
    let at: Vec<(u32, String)> = tokens
        .iter()
        .map(|t| (t.position, t.stem.to_owned()))
        .collect();
    at.iter().any(|(p, _)| {
        wanted
            .iter()
            .enumerate()
            .all(|(k, stem)| at.iter().any(|(q, s)| *q == p + k as u32 && s == stem))
    })
}

fn check_hit(hit: &Hit, corpus: &Corpus) -> Result<(), TestCaseError> {
    let article: usize = hit.article[1..].parse().unwrap();
    let passages = indexed_passages(&corpus.articles[article].1);
    prop_assert_eq!(
        passages.get(hit.passage as usize).copied(),
        Some(hit.text.as_str())
    );

    let snippet: Vec<u16> = hit.snippet.encode_utf16().collect();
    let text: Vec<u16> = hit.text.encode_utf16().collect();
    let mut in_text = Vec::new();
    for &span in &hit.text_highlights {
        prop_assert!(
            on_utf16_boundaries(&text, span),
            "text highlight {:?} of {:?}",
            span,
            hit
        );
        prop_assert!(span.start < span.end, "empty text highlight {:?}", span);
        in_text.push(decode(&text, span).unwrap());
    }
    for &span in &hit.highlights {
        prop_assert!(
            on_utf16_boundaries(&snippet, span),
            "highlight {:?} of {:?}",
            span,
            hit
        );
        prop_assert!(span.start < span.end, "empty highlight {:?}", span);
        let shown = decode(&snippet, span).unwrap();
        prop_assert!(
            in_text.contains(&shown),
            "highlight {:?} is not a match in the text ({:?})",
            shown,
            hit
        );
    }
    for pair in hit.highlights.windows(2) {
        prop_assert!(
            pair[0].end <= pair[1].start,
            "highlights overlap: {:?}",
            pair
        );
    }
    let core = hit.snippet.strip_prefix("… ").unwrap_or(&hit.snippet);
    let core = core.strip_suffix(" …").unwrap_or(core);
    prop_assert!(
        hit.text.contains(core),
        "snippet {:?} is not from {:?}",
        hit.snippet,
        hit.text
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn search_hits_are_ranked_highlighted_and_respect_exclusions(
        corpus in corpus(),
        queries in prop::collection::vec((prop::collection::vec(chunk_spec(), 1..5), any::<bool>(), 1usize..12), 1..6),
        with_glossary in any::<bool>(),
    ) {
        let index = build(&corpus, with_glossary);
        let analyzer = Analyzer::new(Language::ENGLISH);
        let vocabulary = vocabulary_of(&corpus);
        prop_assume!(!vocabulary.is_empty());
        for (chunks, trailing_space, limit) in &queries {
            let (query, excluded) = make_query(&vocabulary, chunks, *trailing_space);
            let hits = index.search(&query, &SearchOptions { limit: *limit });
            prop_assert!(hits.len() <= *limit);
            for pair in hits.windows(2) {
                prop_assert!(pair[0].score >= pair[1].score, "{:?}: {} before {}", query, pair[0].score, pair[1].score);
            }
            let mut seen = std::collections::HashSet::new();
            for hit in &hits {
                prop_assert!(seen.insert((hit.article.clone(), hit.passage)), "{:?}: passage twice", query);
                prop_assert!(hit.score.is_finite() && hit.score > 0.0);
                check_hit(hit, &corpus)?;
                for words in &excluded {
                    prop_assert!(
                        !contains_stems(&analyzer, &hit.text, words),
                        "{:?} returned a passage containing excluded {:?}: {:?}", query, words, hit.text
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// 4. Index bytes
// ---------------------------------------------------------------------------------------

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                0xEDB8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Rewrites the header's payload length and checksum so that a mutation reaches the payload
/// parser instead of being caught by the checksum.
fn fix_header(bytes: &mut [u8]) {
    if bytes.len() >= 20 && bytes.starts_with(b"GLOSSA") {
        let payload_len = (bytes.len() - 20) as u64;
        bytes[8..16].copy_from_slice(&payload_len.to_le_bytes());
        let crc = crc32(&bytes[20..]);
        bytes[16..20].copy_from_slice(&crc.to_le_bytes());
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    Set(Pick, u8),
    Flip(Pick, u8),
    Insert(Pick, u8),
    Remove(Pick),
    Truncate(Pick),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Pick>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        3 => (any::<Pick>(), 0u8..8).prop_map(|(i, bit)| Mutation::Flip(i, 1 << bit)),
        1 => (any::<Pick>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => any::<Pick>().prop_map(Mutation::Remove),
        1 => any::<Pick>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match mutation {
        Mutation::Set(i, b) => {
            let i = i.index(bytes.len());
            bytes[i] = *b;
        }
        Mutation::Flip(i, bit) => {
            let i = i.index(bytes.len());
            bytes[i] ^= bit;
        }
        Mutation::Insert(i, b) => {
            let i = i.index(bytes.len() + 1);
            bytes.insert(i, *b);
        }
        Mutation::Remove(i) => {
            let i = i.index(bytes.len());
            bytes.remove(i);
        }
        Mutation::Truncate(i) => {
            let len = i.index(bytes.len());
            bytes.truncate(len);
        }
    }
}

const PROBE_QUERIES: &[&str] = &[
    "state",
    "dual power",
    "sov",
    "proletarian dictatorship",
    "\"working class\"",
    "power -dual",
    "revolutoin ",
    "vendome café",
];

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn index_bytes_round_trip(corpus in corpus(), with_glossary in any::<bool>()) {
        let index = build(&corpus, with_glossary);
        let bytes = index.to_bytes();
        let loaded = Index::from_bytes(&bytes).unwrap();
        prop_assert_eq!(loaded.to_bytes(), bytes);
        prop_assert_eq!(loaded.article_count(), index.article_count());
        prop_assert_eq!(loaded.passage_count(), index.passage_count());
        prop_assert_eq!(loaded.glossary().is_some(), with_glossary);
        let vocabulary = vocabulary_of(&corpus);
        let queries = PROBE_QUERIES
            .iter()
            .map(|q| q.to_string())
            .chain(vocabulary.iter().take(3).cloned())
            .chain(vocabulary.iter().rev().take(2).map(|w| format!("{w} ")));
        for query in queries {
            let options = SearchOptions::default();
            prop_assert_eq!(loaded.search(&query, &options), index.search(&query, &options), "{:?}", query);
        }
    }

}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn damaged_index_bytes_never_panic(
        corpus in corpus(),
        mutations in prop::collection::vec(mutation(), 1..4),
        refresh_checksum in prop::bool::weighted(0.85),
        with_glossary in any::<bool>(),
    ) {
        let mut bytes = build(&corpus, with_glossary).to_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        if refresh_checksum {
            fix_header(&mut bytes);
        }
        match Index::from_bytes(&bytes) {
            Ok(index) => {
                // Whatever loads must be safe to search and to save again.
                for query in PROBE_QUERIES {
                    let _ = index.search(query, &SearchOptions::default());
                }
                let _ = index.to_bytes();
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn every_truncation_is_an_error(corpus in corpus(), at in any::<Pick>(), refresh_checksum in any::<bool>()) {
        let good = build(&corpus, true).to_bytes();
        let mut bytes = good[..at.index(good.len())].to_vec();
        if refresh_checksum {
            fix_header(&mut bytes);
        }
        prop_assert!(Index::from_bytes(&bytes).is_err(), "{} of {} bytes loaded", bytes.len(), good.len());
    }
}

// ---------------------------------------------------------------------------------------
// 5. Astral text: offsets never split a surrogate pair
// ---------------------------------------------------------------------------------------

/// Words written outside the Basic Multilingual Plane (two UTF-16 units per character), some
/// of which fold to ordinary words (`𝐒𝐭𝐚𝐭𝐞` is `state`), and words glued to emoji.
const ASTRAL_WORDS: &[&str] = &[
    "𝐒𝐭𝐚𝐭𝐞",
    "𝐬𝐭𝐚𝐭𝐞𝐬",
    "𝔡𝔲𝔞𝔩 𝔭𝔬𝔴𝔢𝔯",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "𝕨𝕠𝕣𝕜𝕚𝕟𝕘-𝕔𝕝𝕒𝕤𝕤",
    "𝟏𝟗𝟏𝟕",
    "𐐔𐐯𐑅𐐨𐑉𐐯𐐻",
    "𐐼𐐯𐑅𐐨𐑉𐐯𐐻",
    "𐌰𐍄𐍄𐌰",
    "𠀀𠀁𠀂",
    "𓀀𓀁",
    "state😀",
    "😀state",
    "power👍🏿power",
    "soviet🇫🇷",
    "Lenin’s😀",
    "e\u{301}tat𝐬",
    "state",
    "power",
    "soviet",
];

fn astral_piece() -> BoxedStrategy<String> {
    prop_oneof![
        6 => pick(ASTRAL_WORDS),
        5 => pick(SEPARATORS),
        2 => pick(PUNCTUATION),
        2 => pick(ODD),
        1 => pick(WORDS),
        1 => any::<char>().prop_map(String::from),
    ]
    .boxed()
}

fn astral_text() -> BoxedStrategy<String> {
    text_of(astral_piece(), 60)
}

const ASTRAL_GLOSSARY: &str = r#"{"language": "en", "entries": [
    {"id": "state", "term": "state", "definition": "Also written 𝐒𝐭𝐚𝐭𝐞."},
    {"id": "dual-power", "term": "dual power", "definition": "Two powers."},
    {"id": "unicode", "term": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "definition": "Fraktur."},
    {"id": "deseret", "term": "𐐔𐐯𐑅𐐨𐑉𐐯𐐻", "definition": "A script with case."},
    {"id": "gothic", "term": "𐌰𐍄𐍄𐌰", "definition": "Father."},
    {"id": "ext-b", "term": "𠀀𠀁", "definition": "Two ideographs."},
    {"id": "working-class", "term": "working class", "definition": "Wage workers."}
]}"#;

/// The UTF-16 units of `span` decode to exactly `text[start..end]`.
fn same_text(units: &[u16], span: Span, text: &str, start: usize, end: usize) -> bool {
    on_utf16_boundaries(units, span)
        && decode(units, span).as_deref() == text.get(start..end)
        && span.start < span.end
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn astral_token_spans_never_split_a_surrogate_pair(text in astral_text()) {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut tokens = Tokens::new();
        Analyzer::new(Language::ENGLISH).tokenize(&text, &mut tokens);
        for t in tokens.iter() {
            prop_assert!(same_text(&units, t.span, &text, t.start, t.end), "{:?} in {:?}", t, text);
        }
    }

    #[test]
    fn astral_annotations_never_split_a_surrogate_pair_or_overlap(text in astral_text()) {
        let glossary = Glossary::from_json(ASTRAL_GLOSSARY).unwrap();
        let units: Vec<u16> = text.encode_utf16().collect();
        let matches = glossary.annotate(&text);
        for m in &matches {
            prop_assert!(same_text(&units, m.span, &text, m.start, m.end), "{:?} in {:?}", m, text);
        }
        for pair in matches.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start, "overlap: {:?}", pair);
        }
        // The wasm API reports `annotations`: the same ranges, as UTF-16 offsets.
        let annotations = glossary.annotations(&text);
        prop_assert_eq!(annotations.len(), matches.len());
        for (a, m) in annotations.iter().zip(&matches) {
            prop_assert_eq!((a.start, a.end), (m.span.start, m.span.end));
            let decoded = decode(&units, m.span);
            prop_assert_eq!(decoded.as_deref(), Some(a.text));
        }
    }
}

fn astral_corpus() -> BoxedStrategy<Corpus> {
    let passage = text_of(astral_piece(), 80);
    let title = text_of(astral_piece(), 6);
    prop::collection::vec((title, prop::collection::vec(passage, 1..4)), 1..3)
        .prop_map(|articles| Corpus { articles })
        .prop_filter("a paragraph over 150 words", |c| {
            c.articles
                .iter()
                .flat_map(|(_, passages)| passages)
                .all(|p| p.split_whitespace().count() <= 150)
        })
        .boxed()
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn astral_search_highlights_never_split_a_surrogate_pair(
        corpus in astral_corpus(),
        queries in prop::collection::vec((prop::collection::vec(chunk_spec(), 1..4), any::<bool>()), 1..5),
    ) {
        // Passages of up to 80 pieces are often longer than a snippet, so highlights are also
        // shifted into cut snippets that start with "… ".
        let index = build(&corpus, false);
        let vocabulary = vocabulary_of(&corpus);
        prop_assume!(!vocabulary.is_empty());
        for (chunks, trailing_space) in &queries {
            let (query, _) = make_query(&vocabulary, chunks, *trailing_space);
            for hit in index.search(&query, &SearchOptions { limit: 20 }) {
                check_hit(&hit, &corpus)?;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// 6. Exclusions written every way a reader may write them
// ---------------------------------------------------------------------------------------

/// How an excluded word or phrase is written: the words as the corpus has them, another
/// case, the Unicode minus sign, curly quotes, a hyphenated compound.
fn excluded_forms(word: &str, next: &str) -> Vec<(String, String)> {
    vec![
        (format!("-{word}"), word.to_owned()),
        (format!("-{}", word.to_uppercase()), word.to_uppercase()),
        (format!("\u{2212}{word}"), word.to_owned()),
        (format!("-\"{word} {next}\""), format!("{word} {next}")),
        (format!("-“{word} {next}”"), format!("{word} {next}")),
        (format!("-{word}-{next}"), format!("{word}-{next}")),
    ]
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn no_hit_holds_an_excluded_word_however_the_query_reaches_it(
        corpus in corpus(),
        with_glossary in any::<bool>(),
        picks in prop::collection::vec((any::<Pick>(), any::<Pick>(), 0usize..6, 0usize..4), 1..6),
    ) {
        let index = build(&corpus, with_glossary);
        let analyzer = Analyzer::new(Language::ENGLISH);
        let vocabulary = vocabulary_of(&corpus);
        prop_assume!(!vocabulary.is_empty());
        for (first, second, form, reach) in &picks {
            let word = &vocabulary[first.index(vocabulary.len())];
            let next = &vocabulary[second.index(vocabulary.len())];
            let (written, excluded) = excluded_forms(word, next).swap_remove(*form);
            // What the rest of the query finds passages by: the excluded word itself, a prefix
            // of it being typed, a glossary name that is a synonym of it, or another word.
            let prefix: String = word.chars().take(2).collect();
            let wanted = match reach {
                0 => word.clone(),
                1 => prefix,
                2 => "proletarian dictatorship".to_owned(),
                _ => next.clone(),
            };
            for query in [format!("{wanted} {written}"), format!("{written} {wanted}")] {
                for hit in index.search(&query, &SearchOptions { limit: 50 }) {
                    prop_assert!(
                        !contains_stems(&analyzer, &hit.text, &excluded),
                        "{:?} returned a passage holding {:?}: {:?}", query, excluded, hit.text
                    );
                }
            }
        }
    }
}
