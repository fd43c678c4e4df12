//! The query parser and search on arbitrary query strings, over the demo's index: the parse
//! keeps its bounds, and every hit keeps the invariants the widget relies on (see
//! `glossa_fuzz::check_hits`), including that no hit holds an excluded word.
#![no_main]

use glossa::{Analyzer, Index, Language};
use glossa_fuzz::{demo_index, search_and_check};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static INDEX: Index = demo_index();
    static ANALYZER: Analyzer = Analyzer::new(Language::ENGLISH);
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the hit limit, so small and large limits are both tried.
    let Some((&limit, query)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(query) else {
        return;
    };
    ANALYZER.with(|analyzer| {
        let (chunks, prefix_last) = glossa::fuzzing::parse_query(query, analyzer);
        // A pasted essay is cut short: 32 chunks, 64 words.
        assert!(chunks.len() <= 32, "{} chunks", chunks.len());
        let words: usize = chunks.iter().map(|c| c.2.len()).sum();
        assert!(words <= 64, "{words} words");
        for (_, _, words) in &chunks {
            assert!(!words.is_empty(), "an empty chunk");
            for (text, _, _) in words {
                assert!(
                    !text.is_empty() && !text.contains(char::is_whitespace),
                    "{text:?}"
                );
            }
        }
        if prefix_last {
            let last = chunks.last().expect("a prefix needs a word");
            assert!(!last.0 && !last.1, "an excluded or quoted prefix");
        }
    });
    INDEX.with(|index| {
        search_and_check(index, query, usize::from(limit % 20));
    });
});
