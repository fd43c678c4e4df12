//! Search as a reader uses it, over the demo content in `content/` (two articles and the
//! glossary) and a few small synthetic articles where a case is clearer on its own.
// Reads content/ from disk: native only (tests/wasm.rs covers the browser).
#![cfg(not(target_arch = "wasm32"))]

use glossa::{Article, Glossary, Hit, Index, Language, SearchOptions, Span};
use std::path::{Path, PathBuf};

const MS: &str = "morning-star-lenin";
const VP: &str = "viewpoint-dotp";

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// Every article of `content/articles/*.json` (one article or an array per file), by file name.
fn content_articles() -> Vec<Article> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(content_dir().join("articles"))
        .expect("content/articles")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut articles = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let values = match value {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for v in values {
            articles.push(Article::from_json_value(v).unwrap());
        }
    }
    articles
}

fn content_glossary() -> Glossary {
    let json = std::fs::read_to_string(content_dir().join("glossary.json")).unwrap();
    Glossary::from_json(&json).unwrap()
}

fn content_index() -> Index {
    let mut index = Index::new(Language::ENGLISH);
    index.set_glossary(content_glossary()).unwrap();
    for article in content_articles() {
        index.add_article(&article).unwrap();
    }
    assert_eq!(index.article_count(), 2);
    assert_eq!(index.passage_count(), 12);
    index
}

/// An index of (id, title, passages) articles, without a glossary.
fn synthetic(articles: &[(&str, &str, &[&str])]) -> Index {
    let mut index = Index::new(Language::ENGLISH);
    for (id, title, passages) in articles {
        index
            .add_article(&Article {
                id: (*id).into(),
                title: (*title).into(),
                passages: Some(passages.iter().map(|p| p.to_string()).collect()),
                ..Article::default()
            })
            .unwrap();
    }
    index
}

fn search(index: &Index, query: &str, limit: usize) -> Vec<Hit> {
    index.search(query, &SearchOptions { limit })
}

fn places(hits: &[Hit]) -> Vec<(String, u32)> {
    hits.iter()
        .map(|h| (h.article.clone(), h.passage))
        .collect()
}

/// The text under a UTF-16 span, as a browser's `Range` would select it.
fn under(text: &str, span: Span) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[span.start as usize..span.end as usize]).expect("span splits a pair")
}

fn snippet_marks(hit: &Hit) -> Vec<String> {
    hit.highlights
        .iter()
        .map(|&s| under(&hit.snippet, s))
        .collect()
}

fn text_marks(hit: &Hit) -> Vec<String> {
    hit.text_highlights
        .iter()
        .map(|&s| under(&hit.text, s))
        .collect()
}

/// Words of a snippet, the ellipses not counted.
fn word_count(s: &str) -> usize {
    s.split_whitespace().filter(|w| *w != "…").count()
}

#[derive(Clone, Copy)]
struct Expected {
    /// Exactly this many hits.
    count: Option<usize>,
    /// Passages (article, number) that must be among the hits.
    found: &'static [(&'static str, u32)],
    /// Passages that must not be.
    not_found: &'static [(&'static str, u32)],
    /// Every highlighted range of every hit is one of these strings, and the best hit has
    /// at least one highlight in its snippet.
    marks: &'static [&'static str],
}

const ANY: Expected = Expected {
    count: None,
    found: &[],
    not_found: &[],
    marks: &[],
};

struct Row {
    name: &'static str,
    input: &'static str,
    expected: Expected,
}

fn check_rows(index: &Index, rows: &[Row]) {
    for row in rows {
        let hits = search(index, row.input, 50);
        let found = places(&hits);
        let context = format!("{} ({:?}) gave {found:?}", row.name, row.input);
        if let Some(n) = row.expected.count {
            assert_eq!(hits.len(), n, "{context}");
        }
        for &(article, passage) in row.expected.found {
            assert!(
                found.contains(&(article.to_owned(), passage)),
                "{context}: {article} #{passage} missing"
            );
        }
        for &(article, passage) in row.expected.not_found {
            assert!(
                !found.contains(&(article.to_owned(), passage)),
                "{context}: {article} #{passage} should not be found"
            );
        }
        if !row.expected.marks.is_empty() {
            assert!(
                hits.first().is_some_and(|h| !h.highlights.is_empty()),
                "{context}: the best hit has no highlight"
            );
            for hit in &hits {
                for mark in text_marks(hit).into_iter().chain(snippet_marks(hit)) {
                    assert!(
                        row.expected.marks.contains(&mark.as_str()),
                        "{context}: {mark:?} highlighted in {} #{}",
                        hit.article,
                        hit.passage
                    );
                }
            }
        }
    }
}

const DOTP_PASSAGES: &[(&str, u32)] = &[(VP, 0), (VP, 2), (VP, 5), (MS, 1), (MS, 2)];

#[test]
fn reader_queries_on_the_demo_content() {
    let rows = [
        // Typing: the last word is a prefix until a space ends it.
        Row {
            name: "prefix of the word being typed",
            input: "sovi",
            expected: Expected {
                found: &[(MS, 0), (VP, 5), (VP, 7), (VP, 8)],
                marks: &["soviets", "Soviet"],
                ..ANY
            },
        },
        Row {
            name: "a space ends the prefix",
            input: "sovi ",
            expected: Expected {
                count: Some(0),
                ..ANY
            },
        },
        Row {
            name: "prefix of a name",
            input: "Blanq",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 3)],
                marks: &["Blanqui"],
                ..ANY
            },
        },
        Row {
            name: "a quoted word is not a prefix",
            input: "\"sovi\"",
            expected: Expected {
                count: Some(0),
                ..ANY
            },
        },
        // Typo tolerance: one edit from four letters, two from eight, none below.
        Row {
            name: "two edits in a long word",
            input: "revolutoin ",
            expected: Expected {
                found: &[(VP, 0), (VP, 7), (MS, 0), (MS, 2)],
                marks: &["revolution", "Revolution"],
                ..ANY
            },
        },
        Row {
            name: "name with a letter missing",
            input: "Blanqi ",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 3)],
                marks: &["Blanqui"],
                ..ANY
            },
        },
        Row {
            name: "name with a letter wrong",
            input: "Blankui ",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 3)],
                marks: &["Blanqui"],
                ..ANY
            },
        },
        Row {
            name: "two edits are too many for five letters",
            input: "Blnqi ",
            expected: Expected {
                count: Some(0),
                ..ANY
            },
        },
        Row {
            name: "one edit in an eight-letter word",
            input: "Bolshevk ",
            expected: Expected {
                found: &[(MS, 1), (MS, 2)],
                marks: &["Bolshevik", "Bolsheviks"],
                ..ANY
            },
        },
        Row {
            name: "one edit in a four-letter word",
            input: "mast ",
            expected: Expected {
                found: &[(VP, 5)],
                marks: &["mass", "masses"],
                ..ANY
            },
        },
        Row {
            name: "no edits for three letters",
            input: "mas ",
            expected: Expected {
                count: Some(0),
                ..ANY
            },
        },
        Row {
            name: "a word that exists is not fuzzed",
            input: "statue ",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 4)],
                marks: &["statue"],
                ..ANY
            },
        },
        // Phrases.
        Row {
            name: "quoted phrase",
            input: "\"dual power\"",
            expected: Expected {
                count: Some(1),
                found: &[(MS, 2)],
                marks: &["dual power"],
                ..ANY
            },
        },
        Row {
            name: "curly-quoted phrase",
            input: "“dual power”",
            expected: Expected {
                count: Some(1),
                found: &[(MS, 2)],
                marks: &["dual power"],
                ..ANY
            },
        },
        Row {
            name: "phrase words in the wrong order",
            input: "\"power dual\"",
            expected: Expected {
                count: Some(0),
                ..ANY
            },
        },
        Row {
            name: "phrase with stop words, word for word",
            input: "\"dictatorship of the proletariat\"",
            expected: Expected {
                count: Some(DOTP_PASSAGES.len()),
                found: DOTP_PASSAGES,
                not_found: &[(VP, 3)],
                marks: &["dictatorship of the proletariat"],
            },
        },
        // Exclusions.
        Row {
            name: "excluded word",
            input: "Lenin -soviet",
            expected: Expected {
                found: &[(MS, 1), (MS, 2), (VP, 6)],
                not_found: &[(MS, 0), (VP, 5), (VP, 7), (VP, 8)],
                ..ANY
            },
        },
        Row {
            name: "excluded word, inflected",
            input: "Lenin -Soviets",
            expected: Expected {
                found: &[(MS, 1), (MS, 2), (VP, 6)],
                not_found: &[(MS, 0), (VP, 5), (VP, 7), (VP, 8)],
                ..ANY
            },
        },
        Row {
            name: "excluded phrase",
            input: "power -\"dual power\"",
            expected: Expected {
                found: &[(MS, 0), (MS, 1), (VP, 0), (VP, 2)],
                not_found: &[(MS, 2)],
                ..ANY
            },
        },
        Row {
            name: "excluded phrase keeps other uses of its words",
            input: "dictatorship -\"dictatorship of the proletariat\"",
            expected: Expected {
                found: &[(VP, 3)],
                not_found: DOTP_PASSAGES,
                ..ANY
            },
        },
        Row {
            name: "exclusions alone find nothing",
            input: "-soviet -\"dual power\"",
            expected: Expected {
                count: Some(0),
                ..ANY
            },
        },
        // Glossary synonyms.
        Row {
            name: "alias finds the term",
            input: "proletarian dictatorship",
            expected: Expected {
                count: Some(DOTP_PASSAGES.len()),
                found: DOTP_PASSAGES,
                not_found: &[(VP, 3)],
                marks: &["dictatorship of the proletariat"],
            },
        },
        Row {
            name: "transliterated alias",
            input: "dvoevlastie",
            expected: Expected {
                count: Some(1),
                found: &[(MS, 2)],
                marks: &["dual power"],
                ..ANY
            },
        },
        Row {
            name: "abbreviation finds a multi-word alias",
            input: "USSR",
            expected: Expected {
                found: &[(VP, 5), (VP, 7)],
                marks: &["Soviet state"],
                ..ANY
            },
        },
        Row {
            name: "term finds an inflected alias",
            input: "Trotskyism",
            expected: Expected {
                found: &[(VP, 5), (VP, 8)],
                marks: &["Trotskyists"],
                ..ANY
            },
        },
        // Stop words.
        Row {
            name: "stop words do not dominate",
            input: "the state ",
            expected: Expected {
                found: &[(VP, 7), (VP, 8), (MS, 0), (MS, 1)],
                marks: &["state", "State"],
                ..ANY
            },
        },
        Row {
            name: "only stop words still search",
            input: "the ",
            expected: Expected {
                count: Some(12),
                ..ANY
            },
        },
        // Diacritics.
        Row {
            name: "plain letters find accented ones",
            input: "vendome",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 4)],
                marks: &["Vendôme"],
                ..ANY
            },
        },
        Row {
            name: "accented query",
            input: "Vendôme",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 4)],
                marks: &["Vendôme"],
                ..ANY
            },
        },
        Row {
            name: "accented query finds plain letters",
            input: "révolution ",
            expected: Expected {
                found: &[(VP, 0), (VP, 7), (MS, 0), (MS, 2)],
                marks: &["revolution", "Revolution"],
                ..ANY
            },
        },
        // Apostrophes.
        Row {
            name: "straight apostrophe finds a curly one",
            input: "Moscow's ",
            expected: Expected {
                found: &[(VP, 6), (VP, 8)],
                marks: &["Moscow’s", "Moscow"],
                ..ANY
            },
        },
        Row {
            name: "glossary term with an apostrophe",
            input: "workers' state",
            expected: Expected {
                found: &[(VP, 2)],
                ..ANY
            },
        },
        // Hyphenated compounds.
        Row {
            name: "compound found by its parts",
            input: "working class ",
            expected: Expected {
                found: &[(MS, 0), (MS, 2), (VP, 2)],
                marks: &["working class", "working-class"],
                ..ANY
            },
        },
        Row {
            name: "hyphenated query",
            input: "working-class ",
            expected: Expected {
                found: &[(MS, 0), (MS, 2), (VP, 2)],
                marks: &["working class", "working-class"],
                ..ANY
            },
        },
        Row {
            name: "compound written solid",
            input: "workingclass ",
            expected: Expected {
                count: Some(1),
                found: &[(MS, 0)],
                marks: &["working-class"],
                ..ANY
            },
        },
        Row {
            name: "one part of a compound",
            input: "idealist ",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 5)],
                marks: &["idealist"],
                ..ANY
            },
        },
        Row {
            name: "hyphenated query finds the solid word",
            input: "post-revolutionary ",
            expected: Expected {
                count: Some(1),
                found: &[(VP, 2)],
                marks: &["postrevolutionary"],
                ..ANY
            },
        },
    ];
    let index = content_index();
    check_rows(&index, &rows);
}

#[test]
fn spellings_that_must_search_alike() {
    let index = content_index();
    let rows = [
        ("straight and curly possessive", "Lenin's", "Lenin’s"),
        (
            "straight and curly plural possessive",
            "workers' state",
            "workers’ state",
        ),
        ("possessive and bare word", "Moscow’s party", "Moscow party"),
        ("case", "VENDOME", "vendome"),
        ("diacritics", "Vendôme", "vendome"),
        ("combining accent", "Vende\u{301}me", "Vendôme"),
        ("compatibility forms", "ＵＳＳＲ", "USSR"),
        ("inflection", "dictatorships ", "dictatorship "),
        ("extra spaces", "  dual   power", "dual power"),
        ("minus sign", "Lenin \u{2212}soviet", "Lenin -soviet"),
    ];
    for (name, a, b) in rows {
        let (left, right) = (search(&index, a, 20), search(&index, b, 20));
        assert!(!left.is_empty(), "{name}: {a:?} found nothing");
        assert_eq!(places(&left), places(&right), "{name}: {a:?} vs {b:?}");
    }
}

#[test]
fn passages_with_every_term_rank_first() {
    // Synthetic: a passage repeating one term must not beat one holding both.
    let index = synthetic(&[(
        "a",
        "Notes",
        &[
            "soviet soviet soviet soviet soviet soviet soviet congress",
            "The soviet took state power.",
            "state state state state state state apparatus",
        ],
    )]);
    let hits = search(&index, "soviet state ", 10);
    assert_eq!(hits.len(), 3, "{:?}", places(&hits));
    assert_eq!(hits[0].passage, 1, "{:?}", places(&hits));
    assert!(hits[0].score > hits[1].score);

    // The demo content: the two passages naming both Lenin and revisionism come first.
    let index = content_index();
    let hits = search(&index, "Lenin revisionism", 20);
    let mut best: Vec<(String, u32)> = places(&hits[..2]);
    best.sort();
    assert_eq!(
        best,
        [(MS.into(), 1), (VP.into(), 6)],
        "{:?}",
        places(&hits)
    );
    assert!(hits.len() > 2);
    for partial in &hits[2..] {
        assert!(partial.score < hits[1].score.floor(), "{partial:?}");
    }
}

#[test]
fn stop_words_do_not_rank_passages() {
    let index = synthetic(&[(
        "a",
        "Notes",
        &[
            "Of the and the to the in the of the and the by the for the.",
            "The state.",
            "Power: the apparatus of a state and the army of that state.",
        ],
    )]);
    let hits = search(&index, "the state ", 10);
    let found: Vec<u32> = hits.iter().map(|h| h.passage).collect();
    assert!(found.contains(&1) && found.contains(&2), "{found:?}");
    assert!(
        !found.contains(&0),
        "a passage of stop words was found: {found:?}"
    );
    for hit in &hits {
        assert!(
            text_marks(hit)
                .iter()
                .all(|m| m.eq_ignore_ascii_case("state")),
            "{:?}",
            text_marks(hit)
        );
    }
}

#[test]
fn title_matches_boost_their_passages() {
    let same = "The soviets met again in the capital.";
    let index = synthetic(&[
        ("plain", "Notes from a diary", &[same]),
        ("titled", "Soviets of 1917", &[same]),
    ]);
    let hits = search(&index, "soviets ", 10);
    assert_eq!(
        places(&hits),
        [("titled".into(), 0), ("plain".into(), 0)],
        "{hits:?}"
    );
    assert!(hits[0].score > hits[1].score);
    assert_eq!(hits[0].title, "Soviets of 1917");
}

#[test]
fn limit_is_respected() {
    let index = content_index();
    let rows = [
        ("none", 0, 0),
        ("one", 1, 1),
        ("a few", 3, 3),
        ("all", 12, 12),
        ("more than there are", 1000, 12),
    ];
    let all = search(&index, "the ", 1000);
    for (name, limit, expected) in rows {
        let hits = search(&index, "the ", limit);
        assert_eq!(hits.len(), expected, "{name}");
        assert_eq!(
            places(&hits),
            places(&all[..expected]),
            "{name}: not a prefix"
        );
    }
    // The default limit is 10.
    assert_eq!(all.len(), 12);
    assert_eq!(index.search("the ", &SearchOptions::default()).len(), 10);
}

#[test]
fn queries_with_nothing_to_search_return_nothing() {
    let index = content_index();
    let huge_word = "x".repeat(100_000);
    let junk = "zzqx ".repeat(5_000);
    let quotes = "\"".repeat(10_001);
    let minuses = "-".repeat(10_000);
    let dashes = "— ".repeat(50_000);
    let emoji = "👩\u{200d}👩\u{200d}👧".repeat(10_000);
    let rows: [(&str, &str); 17] = [
        ("empty", ""),
        ("space", " "),
        ("whitespace", " \t\n\u{a0}\u{3000} "),
        ("punctuation", "—“”… !? ()"),
        ("lone minus", "-"),
        ("minuses", "- - -"),
        ("empty quotes", "\"\""),
        ("empty curly quotes", "“”"),
        ("excluded empty phrase", "-\"\""),
        ("emoji", "😀 👩\u{200d}👩\u{200d}👧 ✊🏽"),
        ("invisible", "\u{200b}\u{200f}\u{feff}\u{ad}"),
        ("huge word", &huge_word),
        ("huge junk", &junk),
        ("huge quotes", &quotes),
        ("huge minuses", &minuses),
        ("huge dashes", &dashes),
        ("huge emoji", &emoji),
    ];
    for (name, query) in rows {
        let hits = search(&index, query, 10);
        assert!(hits.is_empty(), "{name}: {:?}", places(&hits));
    }
}

#[test]
fn a_pasted_essay_is_searched_within_the_limit() {
    let index = content_index();
    let essay: String = content_articles()
        .iter()
        .flat_map(|a| a.passages.clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n\n")
        .repeat(20);
    let hits = search(&index, &essay, 5);
    assert!(hits.len() <= 5 && !hits.is_empty());
    // Only the start of a query is read, so the cost of a keystroke is bounded: the essay
    // ranks like its first 64 words (speed itself is measured by benches/core.rs).
    let opening: Vec<&str> = essay.split_whitespace().take(64).collect();
    assert_eq!(
        places(&hits),
        places(&search(&index, &opening.join(" "), 5))
    );
}

#[test]
fn a_huge_query_without_spaces_reads_only_its_start() {
    // One whitespace-free chunk may hold any number of words and compounds; only the first
    // 64 words count, so planning stays bounded (this once took 16 s in a debug build).
    let index = content_index();
    let huge = search(&index, &"state-power/".repeat(20_000), 5);
    assert!(huge.len() <= 5);
    assert_eq!(
        places(&huge),
        places(&search(&index, &"state-power/".repeat(32), 5))
    );
}

#[test]
fn short_passages_are_their_own_snippet() {
    let index = content_index();
    let hits = search(&index, "vendome", 10);
    let hit = &hits[0];
    assert_eq!(hit.snippet, hit.text);
    assert!(!hit.snippet.contains('…'));
    assert_eq!(snippet_marks(hit), ["Vendôme"]);
    assert_eq!(hit.highlights, hit.text_highlights);
}

#[test]
fn long_passages_get_a_snippet_of_about_thirty_words_around_the_match() {
    let index = content_index();
    let hits = search(&index, "Blanqui", 10);
    let hit = &hits[0];
    assert_eq!((hit.article.as_str(), hit.passage), (VP, 3));
    assert!(word_count(&hit.text) > 100);
    assert!(hit.snippet.starts_with("… "), "{:?}", hit.snippet);
    assert!(hit.snippet.ends_with(" …"), "{:?}", hit.snippet);
    assert!(
        (28..=34).contains(&word_count(&hit.snippet)),
        "{} words: {:?}",
        word_count(&hit.snippet),
        hit.snippet
    );
    // "Blanqui" is an alias of the glossary's "Louis Auguste Blanqui": the whole name is marked.
    assert_eq!(snippet_marks(hit), ["Louis Auguste Blanqui"]);
    assert_eq!(text_marks(hit), ["Louis Auguste Blanqui"]);
    let core = &hit.snippet["… ".len()..hit.snippet.len() - " …".len()];
    assert!(hit.text.contains(core));
}

#[test]
fn snippets_are_cut_only_where_text_is_left_out() {
    let filler = |n: usize, from: usize| -> Vec<String> {
        (from..from + n).map(|i| format!("w{i}")).collect()
    };
    let emoji = "👩\u{200d}👩\u{200d}👧";
    let rows: [(&str, String, bool, bool); 3] = [
        (
            "match near the start",
            format!(
                "{} soviets {}",
                filler(2, 0).join(" "),
                filler(60, 2).join(" ")
            ),
            false,
            true,
        ),
        (
            "match in the middle, emoji before it",
            format!(
                "{emoji} {} {emoji} “soviets” {emoji} {}",
                filler(40, 0).join(" "),
                filler(40, 40).join(" ")
            ),
            true,
            true,
        ),
        (
            "match at the end",
            format!("{} {emoji} soviets.", filler(60, 0).join(" ")),
            true,
            false,
        ),
    ];
    for (name, text, cut_before, cut_after) in rows {
        let index = synthetic(&[("a", "Notes", &[text.as_str()])]);
        let hits = search(&index, "soviet", 10);
        assert_eq!(hits.len(), 1, "{name}");
        let hit = &hits[0];
        assert_eq!(
            hit.snippet.starts_with("… "),
            cut_before,
            "{name}: {:?}",
            hit.snippet
        );
        assert_eq!(
            hit.snippet.ends_with(" …"),
            cut_after,
            "{name}: {:?}",
            hit.snippet
        );
        assert!(
            (28..=34).contains(&word_count(&hit.snippet)),
            "{name}: {:?}",
            hit.snippet
        );
        assert_eq!(
            snippet_marks(hit),
            ["soviets"],
            "{name}: {:?}",
            hit.highlights
        );
        assert_eq!(text_marks(hit), ["soviets"], "{name}");
        let core = hit.snippet.strip_prefix("… ").unwrap_or(&hit.snippet);
        let core = core.strip_suffix(" …").unwrap_or(core);
        assert!(text.contains(core), "{name}: {:?}", hit.snippet);
    }
}

#[test]
fn highlights_point_at_the_matched_words() {
    let index = content_index();
    let rows: [(&str, &str, &[&str]); 5] = [
        ("two words", "dual power", &["dual power"]),
        ("prefix", "Vendô", &["Vendôme"]),
        ("possessive", "Lenin’s vision ", &["Lenin’s"]),
        (
            "quoted term inside curly quotes",
            "\"withering away\"",
            &["withering away"],
        ),
        (
            "synonym",
            "proletarian dictatorship",
            &["dictatorship of the proletariat"],
        ),
    ];
    for (name, query, expected) in rows {
        let hits = search(&index, query, 10);
        assert!(!hits.is_empty(), "{name}");
        let marks = snippet_marks(&hits[0]);
        assert!(
            expected.iter().all(|e| marks.iter().any(|m| m == e)),
            "{name}: {marks:?} in {:?}",
            hits[0].snippet
        );
    }
}

#[test]
fn snippets_of_text_without_spaces_are_short_and_honest() {
    let sentence = "无产阶级专政是马克思主义的核心概念之一。";
    let text = sentence.repeat(10);
    let index = synthetic(&[("zh", "中文", &[text.as_str()])]);
    let hits = search(&index, "核心", 10);
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    let core = hit.snippet.trim_start_matches("… ").trim_end_matches(" …");
    // Either the passage is shown whole without ellipses, or cut to about 30 words.
    if core == hit.text {
        assert!(
            !hit.snippet.contains('…'),
            "nothing was cut: {:?}",
            hit.snippet
        );
    } else {
        assert!(core.chars().count() < 60, "{:?}", hit.snippet);
    }
}

#[test]
fn results_survive_the_index_bytes() {
    let index = content_index();
    let loaded = Index::from_bytes(&index.to_bytes()).unwrap();
    assert_eq!(loaded.article_count(), 2);
    assert_eq!(loaded.passage_count(), 12);
    assert_eq!(
        loaded.glossary().map(|g| g.entries().len()),
        index.glossary().map(|g| g.entries().len())
    );
    let queries = [
        "sovi",
        "revolutoin ",
        "Blanqi ",
        "\"dictatorship of the proletariat\"",
        "Lenin -soviet",
        "power -\"dual power\"",
        "proletarian dictatorship",
        "dvoevlastie",
        "USSR",
        "the state ",
        "vendome",
        "Moscow's ",
        "working-class ",
        "workingclass ",
        "post-revolutionary ",
        "",
    ];
    for query in queries {
        let options = SearchOptions { limit: 20 };
        assert_eq!(
            loaded.search(query, &options),
            index.search(query, &options),
            "{query:?}"
        );
    }
    // Synonyms come from the stored glossary.
    let hits = loaded.search("proletarian dictatorship", &SearchOptions::default());
    assert_eq!(hits.len(), DOTP_PASSAGES.len());
    assert_eq!(snippet_marks(&hits[0]), ["dictatorship of the proletariat"]);
}

#[test]
fn titles_boost_passages_but_find_nothing_alone() {
    let index = synthetic(&[
        (
            "lenin",
            "Lenin's vision of workers' power",
            &["Lenin wrote in hiding.", "The weather was cold."],
        ),
        (
            "other",
            "Notes",
            &["A vision of the future, without the man himself."],
        ),
    ]);
    // "vision" is only in the first article's title: its passage about Lenin matches both
    // words; the passage that says neither is not a hit.
    assert_eq!(
        places(&search(&index, "lenin vision", 10))[0],
        ("lenin".to_owned(), 0)
    );
    assert!(search(&index, "weather vision", 10)
        .iter()
        .all(|h| h.article != "lenin" || h.passage == 1));
    assert!(
        search(&index, "workers", 10).is_empty(),
        "title-only words find no passage"
    );
}

#[test]
fn a_hyphenated_word_being_typed_matches_its_last_part_as_a_prefix() {
    let index = synthetic(&[("a", "A", &["The working-class movement grew."])]);
    for query in ["working-cl", "working-class", "workingclass "] {
        assert_eq!(
            places(&search(&index, query, 10)),
            [("a".to_owned(), 0)],
            "{query}"
        );
    }
}

#[test]
fn mentions_find_an_entry_under_all_its_names() {
    let index = content_index();
    let hits = index.mentions("dotp", &SearchOptions { limit: 50 });
    let marked: Vec<String> = hits.iter().flat_map(snippet_marks).collect();
    assert_eq!(hits.len(), 5, "five passages name it");
    assert!(
        marked.iter().all(|m| {
            let m = m.to_lowercase();
            m.contains("dictatorship") && m.contains("proletariat")
                || m.contains("proletarian dictatorship")
        }),
        "{marked:?}"
    );
    assert!(hits.iter().any(|h| h.article == "morning-star-lenin"));
    assert!(hits.iter().any(|h| h.article == "viewpoint-dotp"));
    assert!(index
        .mentions("no-such-entry", &SearchOptions::default())
        .is_empty());
}

#[test]
fn a_misspelling_that_shares_a_stem_with_another_word_still_finds_the_meant_word() {
    // "goverment" stems to "gover", as "governess" does: the typo must not be taken for it.
    let index = synthetic(&[
        (
            "a",
            "Tutors",
            &["The governess taught the children French."],
        ),
        (
            "b",
            "Politics",
            &[
                "The government fell in the spring.",
                "A new government was formed.",
                "The government raised taxes.",
            ],
        ),
    ]);
    let hits = search(&index, "goverment", 10);
    assert!(!hits.is_empty());
    assert_eq!(hits[0].article, "b", "{:?}", places(&hits));
    assert_eq!(snippet_marks(&hits[0]), ["government"]);
    // A word that is indexed keeps its own meaning: no typo tolerance for it.
    let exact = search(&index, "governess", 10);
    assert_eq!(places(&exact), [("a".to_owned(), 0)]);
}

/// The index keeps its scoring arrays between searches (and across new articles): what one
/// search scored must not leak into the next, whatever came before.
#[test]
fn a_search_does_not_depend_on_the_searches_before_it() {
    let queries = [
        "dictatorship of the proletariat",
        "commune -paris",
        "\"dual power\"",
        "blanqism",
        "democracy state",
        "dem",
        "the",
        "soviets lenin engels",
    ];
    let mut reused = content_index();
    let check = |reused: &Index, fresh: &dyn Fn() -> Index| {
        for (i, query) in queries.iter().chain(queries.iter().rev()).enumerate() {
            let hits = search(reused, query, 10);
            assert_eq!(hits, search(&fresh(), query, 10), "query {i}: {query:?}");
            if i == 0 {
                assert!(!hits.is_empty(), "{query:?} finds passages");
            }
        }
    };
    check(&reused, &content_index);
    let extra = Article {
        id: "extra".into(),
        title: "Dual power".into(),
        passages: Some(vec!["Soviets and the state in the commune of Paris.".into()]),
        ..Article::default()
    };
    reused.add_article(&extra).unwrap();
    check(&reused, &|| {
        let mut index = content_index();
        index.add_article(&extra).unwrap();
        index
    });
}
