//! Indexing an arbitrary article: splitting it into passages, indexing it beside a small
//! article, searching for its own words, and the index's bytes round trip.
#![no_main]

use glossa::{Article, Index, Tokens};
use glossa_fuzz::{search_and_check, small_index};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A title up to the first blank line, the text after it.
    let (title, body) = text.split_once("\n\n").unwrap_or(("", text));
    let mut index = small_index();
    let article = Article {
        id: "fuzzed".into(),
        title: title.into(),
        text: Some(body.into()),
        ..Article::default()
    };
    index.add_article(&article).expect("any text is an article");
    let passages = index.passages("fuzzed").expect("just added");
    for passage in &passages {
        assert!(!passage.trim().is_empty(), "a blank passage");
        assert!(
            body.contains(passage),
            "passage {passage:?} is not from the text"
        );
    }

    // Its own words, as typed (a prefix) and finished, and two of them as a phrase.
    let mut tokens = Tokens::new();
    let mut queries = Vec::new();
    for passage in passages.iter().take(3) {
        glossa::Analyzer::new(index.language()).tokenize(passage, &mut tokens);
        let words: Vec<&str> = tokens.iter().map(|t| &passage[t.start..t.end]).collect();
        if let [first, .., last] = words.as_slice() {
            queries.push(format!("{first} {last}"));
            queries.push(format!("\"{first} {last}\""));
            queries.push(format!("{last} -{first}"));
        }
        queries.extend(words.iter().take(2).map(|w| w.to_string()));
    }
    queries.push(title.to_owned());
    for query in &queries {
        search_and_check(&index, query, 10);
    }

    let loaded = Index::from_bytes(&index.to_bytes()).expect("a built index loads");
    assert_eq!(loaded.passages("fuzzed"), Some(passages));
});
