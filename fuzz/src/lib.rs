//! What the fuzz targets share: the demo content as fixtures, and the invariants the widget
//! relies on, checked with panics (which libFuzzer reports as crashes) whatever the input.

use glossa::{Analyzer, Article, Glossary, Hit, Index, Language, Span, Tokens};

pub const GLOSSARY_JSON: &str = include_str!("../../content/glossary.json");
pub const ARTICLES_JSON: [&str; 2] = [
    include_str!("../../content/articles/morning-star-lenin.json"),
    include_str!("../../content/articles/viewpoint-dotp.json"),
];

/// A small glossary and article, for targets that build an index per input.
pub const SMALL_GLOSSARY_JSON: &str = include_str!("../seeds/glossary/small.json");
pub const SMALL_ARTICLE: &str = include_str!("../seeds/article/simple");

/// Queries that reach every part of search on the demo content: words, prefixes, typos,
/// phrases, exclusions, glossary synonyms, a stop word alone.
pub const PROBE_QUERIES: &[&str] = &[
    "state",
    "dual power",
    "sov",
    "proletarian dictatorship",
    "\"dictatorship of the proletariat\"",
    "power -dual",
    "-\"dual power\" soviets",
    "revolutoin ",
    "working-class",
    "the",
    "lenin kautsky",
];

pub fn glossary() -> Glossary {
    Glossary::from_json(GLOSSARY_JSON).expect("content/glossary.json loads")
}

pub fn articles() -> Vec<Article> {
    ARTICLES_JSON
        .iter()
        .map(|json| {
            let value = serde_json::from_str(json).expect("content article is JSON");
            Article::from_json_value(value).expect("content article loads")
        })
        .collect()
}

/// The demo's index: both articles, with the glossary.
pub fn demo_index() -> Index {
    let mut index = Index::new(Language::ENGLISH);
    index.set_glossary(glossary()).expect("same language");
    for article in articles() {
        index
            .add_article(&article)
            .expect("content article indexes");
    }
    index
}

/// A small index: one article, with the small glossary.
pub fn small_index() -> Index {
    let mut index = Index::new(Language::ENGLISH);
    let glossary = Glossary::from_json(SMALL_GLOSSARY_JSON).expect("small glossary loads");
    index.set_glossary(glossary).expect("same language");
    let article = Article {
        id: "small".into(),
        text: Some(SMALL_ARTICLE.into()),
        ..Article::default()
    };
    index.add_article(&article).expect("small article indexes");
    index
}

pub fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

/// A byte range of `text` and its UTF-16 span must name the same characters: both ends on
/// character boundaries (so never inside a surrogate pair), in order, inside the text.
pub fn check_range(text: &str, start: usize, end: usize, span: Span, what: &dyn std::fmt::Debug) {
    assert!(
        start <= end && end <= text.len(),
        "{what:?}: bytes out of range"
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what:?}: not on character boundaries"
    );
    assert_eq!(
        span.start,
        utf16_len(&text[..start]),
        "{what:?}: UTF-16 start"
    );
    assert_eq!(span.end, utf16_len(&text[..end]), "{what:?}: UTF-16 end");
}

/// A UTF-16 span of `text` must not split a surrogate pair, and must lie inside it.
pub fn check_utf16_span(units: &[u16], span: Span, what: &dyn std::fmt::Debug) {
    let (s, e) = (span.start as usize, span.end as usize);
    assert!(
        s < e && e <= units.len(),
        "{what:?}: span {span:?} of {}",
        units.len()
    );
    let low = |i: usize| units.get(i).is_some_and(|u| (0xDC00..=0xDFFF).contains(u));
    assert!(
        !low(s) && !low(e),
        "{what:?}: span {span:?} splits a surrogate pair"
    );
}

/// Words in order without overlaps, each compound right after the parts it joins.
pub fn check_tokens(text: &str, tokens: &Tokens) {
    let mut previous_end = 0;
    let mut next_position = 0;
    for token in tokens.iter() {
        check_range(text, token.start, token.end, token.span, &token);
        assert!(token.start < token.end, "{token:?}: empty");
        assert!(!token.text.is_empty(), "{token:?}: no text");
        if token.compound {
            assert!(
                token.end <= previous_end && token.position < next_position,
                "{token:?}"
            );
        } else {
            assert!(
                token.start >= previous_end,
                "{token:?}: overlaps the previous word"
            );
            assert_eq!(token.position, next_position, "{token:?}: position skipped");
            previous_end = token.end;
            next_position += 1;
        }
    }
}

/// Annotations: in text order, never overlapping, on character and UTF-16 boundaries, and
/// what `annotations` reports is what `annotate` found.
pub fn check_annotations(text: &str, glossary: &Glossary) {
    let matches = glossary.annotate(text);
    let units: Vec<u16> = text.encode_utf16().collect();
    for m in &matches {
        assert!(m.entry < glossary.entries().len(), "{m:?}: no such entry");
        assert!(m.start < m.end, "{m:?}: empty");
        check_range(text, m.start, m.end, m.span, m);
        check_utf16_span(&units, m.span, m);
    }
    for pair in matches.windows(2) {
        assert!(
            pair[0].end <= pair[1].start,
            "annotations overlap: {pair:?}"
        );
    }
    let annotations = glossary.annotations(text);
    assert_eq!(annotations.len(), matches.len());
    for (a, m) in annotations.iter().zip(&matches) {
        assert_eq!((a.start, a.end), (m.span.start, m.span.end));
        assert_eq!(a.text, &text[m.start..m.end]);
        assert_eq!(a.term, glossary.entries()[m.entry].id);
    }
}

/// Whether `text` holds `stems` at consecutive word positions, as the index sees it (a
/// compound counts at its first part's position).
pub fn holds_phrase(analyzer: &Analyzer, text: &str, stems: &[&str]) -> bool {
    if stems.is_empty() {
        return false;
    }
    let mut tokens = Tokens::new();
    analyzer.tokenize(text, &mut tokens);
    let at: Vec<(u32, &str)> = tokens.iter().map(|t| (t.position, t.stem)).collect();
    at.iter().any(|&(p, _)| {
        stems.iter().enumerate().all(|(k, stem)| {
            let q = p.checked_add(k as u32);
            at.iter().any(|&(r, s)| Some(r) == q && s == *stem)
        })
    })
}

/// Hits: at most `limit`, best first, each passage once, each the passage the index holds,
/// with a snippet cut from it and highlights on UTF-16 boundaries that never overlap.
pub fn check_hits(index: &Index, hits: &[Hit], limit: usize, query: &str) {
    assert!(
        hits.len() <= limit,
        "{query:?}: {} hits over {limit}",
        hits.len()
    );
    for pair in hits.windows(2) {
        assert!(pair[0].score >= pair[1].score, "{query:?}: not best first");
        assert!(pair[0].id != pair[1].id, "{query:?}: a passage twice");
    }
    for hit in hits {
        assert!(
            hit.score.is_finite() && hit.score > 0.0,
            "{query:?}: score {}",
            hit.score
        );
        let passages = index.passages(&hit.article).expect("hit names an article");
        assert_eq!(
            passages.get(hit.passage as usize).copied(),
            Some(hit.text.as_str())
        );

        let text: Vec<u16> = hit.text.encode_utf16().collect();
        let snippet: Vec<u16> = hit.snippet.encode_utf16().collect();
        let mut shown_in_text = Vec::new();
        for &span in &hit.text_highlights {
            check_utf16_span(&text, span, &(query, "text highlight", hit));
            shown_in_text.push(String::from_utf16_lossy(
                &text[span.start as usize..span.end as usize],
            ));
        }
        for &span in &hit.highlights {
            check_utf16_span(&snippet, span, &(query, "snippet highlight", hit));
            let shown = String::from_utf16_lossy(&snippet[span.start as usize..span.end as usize]);
            assert!(
                shown_in_text.contains(&shown),
                "{query:?}: {shown:?} is no match"
            );
        }
        for spans in [&hit.highlights, &hit.text_highlights] {
            for pair in spans.windows(2) {
                assert!(
                    pair[0].end <= pair[1].start,
                    "{query:?}: highlights overlap {hit:?}"
                );
            }
        }
        let core = hit.snippet.strip_prefix("… ").unwrap_or(&hit.snippet);
        let core = core.strip_suffix(" …").unwrap_or(core);
        assert!(
            hit.text.contains(core),
            "{query:?}: snippet not from the passage"
        );
    }
}

/// Searches `index` for `query` and checks the hits, including that no hit holds a word or
/// phrase the query excluded.
pub fn search_and_check(index: &Index, query: &str, limit: usize) -> Vec<Hit> {
    let hits = index.search(query, &glossa::SearchOptions { limit });
    check_hits(index, &hits, limit, query);
    let analyzer = Analyzer::new(index.language());
    let (chunks, _) = glossa::fuzzing::parse_query(query, &analyzer);
    for (excluded, _, words) in chunks {
        if !excluded {
            continue;
        }
        let stems: Vec<&str> = words
            .iter()
            .filter(|w| !w.2)
            .map(|w| w.1.as_str())
            .collect();
        for hit in &hits {
            assert!(
                !holds_phrase(&analyzer, &hit.text, &stems),
                "{query:?} returned a passage holding excluded {stems:?}: {:?}",
                hit.text
            );
        }
    }
    hits
}

/// Index bytes with this payload, as the crate's own saving writes them (signature, version,
/// length, checksum).
pub use glossa::fuzzing::with_header;

/// The payload of index bytes (what follows the 20-byte header).
pub fn payload(bytes: &[u8]) -> &[u8] {
    &bytes[20..]
}

/// Searches and checks the hits as `check_hits` does, without `search_and_check`'s exclusion
/// check: bytes altered with a valid checksum (here, the payload target) can load with a
/// vocabulary that no longer matches the passages' text (`dual` stored as `d5al`), and search
/// answers from the vocabulary. Safe, but no longer what the text says.
fn search_loaded(index: &Index, query: &str, limit: usize) -> Vec<Hit> {
    let hits = index.search(query, &glossa::SearchOptions { limit });
    check_hits(index, &hits, limit, query);
    hits
}

/// Whatever loads is safe to use: searched (with the probe queries and words of its own
/// passages), its glossary's mentions and annotations, and saved to bytes that load again
/// and save the same.
pub fn check_loaded(index: &Index) {
    let mut seen_articles = Vec::new();
    for query in PROBE_QUERIES {
        for hit in search_loaded(index, query, 10) {
            if !seen_articles.contains(&hit.article) {
                seen_articles.push(hit.article);
            }
        }
    }
    let analyzer = Analyzer::new(index.language());
    let mut tokens = Tokens::new();
    for article in &seen_articles {
        for passage in index.passages(article).unwrap_or_default().iter().take(4) {
            analyzer.tokenize(passage, &mut tokens);
            let words: Vec<&str> = tokens.iter().take(3).map(|t| t.text).collect();
            search_loaded(index, &words.join(" "), 5);
            if let Some(glossary) = index.glossary() {
                check_annotations(passage, glossary);
            }
        }
    }
    if let Some(glossary) = index.glossary() {
        for entry in glossary.entries().iter().take(8) {
            let hits = index.mentions(&entry.id, &glossa::SearchOptions { limit: 5 });
            check_hits(index, &hits, 5, &entry.id);
        }
    }
    let bytes = index.to_bytes();
    let again = Index::from_bytes(&bytes).expect("a loaded index saves to bytes that load");
    assert_eq!(again.to_bytes(), bytes, "saving is not stable");
}
