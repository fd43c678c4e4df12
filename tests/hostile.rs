//! Regression tests for inputs the fuzz targets (fuzz/, scripts/fuzz.sh) found mishandled,
//! each reduced to the smallest input that showed it.
#![cfg(not(target_arch = "wasm32"))]

use glossa::{Analyzer, Article, Glossary, Index, Language, SearchOptions, Tokens};

fn words(text: &str) -> Vec<String> {
    let mut tokens = Tokens::new();
    Analyzer::new(Language::ENGLISH).tokenize(text, &mut tokens);
    tokens.iter().map(|t| t.text.to_owned()).collect()
}

struct Row {
    name: &'static str,
    input: &'static str,
    expected: &'static [&'static str],
}

/// A combining mark with no letter to sit on (at the start, or after white space, a quote or
/// a hyphen) holds no letter once diacritics are folded away: it is no word. It used to be a
/// word whose text was empty, a space or a quote, which a query of a stray mark then found.
#[test]
fn a_stray_combining_mark_is_no_word() {
    let rows = [
        Row {
            name: "alone",
            input: "\u{653}",
            expected: &[],
        },
        Row {
            name: "before a hyphenated word (fuzz: query)",
            input: "\u{653}-e state",
            expected: &["e", "state"],
        },
        Row {
            name: "on a space (fuzz: annotate)",
            input: "dual \u{301}\u{308} power",
            expected: &["dual", "power"],
        },
        Row {
            name: "after a line break (fuzz: query)",
            input: "y(\0'\n\u{5bb}",
            expected: &["y"],
        },
        Row {
            name: "on a quote (fuzz: query)",
            input: "r\"\u{64c}or",
            expected: &["r", "or"],
        },
        Row {
            name: "on a letter it is a diacritic as ever",
            input: "e\u{301}tat",
            expected: &["etat"],
        },
    ];
    for row in rows {
        assert_eq!(words(row.input), row.expected, "{}", row.name);
    }
}

#[test]
fn a_stray_combining_mark_finds_and_names_nothing() {
    let mut index = Index::new(Language::ENGLISH);
    index
        .add_article(&Article {
            id: "a".into(),
            passages: Some(vec!["\u{653}the state \u{653} and \"\u{301}power".into()]),
            ..Article::default()
        })
        .unwrap();
    let rows: [(&str, &str, usize); 4] = [
        ("a stray mark", "\u{653}", 0),
        ("another stray mark", "\u{301}", 0),
        ("a stray mark on a space", "x \u{653}", 0),
        (
            "excluding a stray mark excludes nothing",
            "state -\u{653}",
            1,
        ),
    ];
    for (name, query, hits) in rows {
        let found = index.search(query, &SearchOptions::default());
        assert_eq!(found.len(), hits, "{name}: {found:?}");
    }

    // A glossary name of marks alone would highlight every stray mark in an article.
    let err = Glossary::from_json(r#"[{"term": "\u0653"}]"#).unwrap_err();
    assert!(err.to_string().contains("has no words to match"), "{err}");
}
