//! The tokeniser and annotator on arbitrary UTF-8: token and annotation ranges on character
//! and UTF-16 boundaries, in order, never overlapping; look-ups never panic, and a selected
//! annotation looks up its own entry.
#![no_main]

use glossa::{Analyzer, Glossary, Language, Tokens};
use glossa_fuzz::{check_annotations, check_tokens, glossary};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static GLOSSARY: Glossary = glossary();
    static ANALYZERS: Vec<Analyzer> = ["en", "fr", "de", "ru", "el", "tr"]
        .iter()
        .map(|code| Analyzer::new(Language::from_code(code).expect("compiled in")))
        .collect();
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks a stemmer: each language folds and stems words differently.
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    ANALYZERS.with(|analyzers| {
        let analyzer = &analyzers[usize::from(which) % analyzers.len()];
        let mut tokens = Tokens::new();
        analyzer.tokenize(text, &mut tokens);
        check_tokens(text, &tokens);
    });
    GLOSSARY.with(|glossary| {
        check_annotations(text, glossary);
        let _ = glossary.lookup(text);
        for m in glossary.annotate(text) {
            let selected = &text[m.start..m.end];
            let found = glossary.lookup(selected).map(|e| e.id.as_str());
            let expected = glossary.entries()[m.entry].id.as_str();
            assert_eq!(found, Some(expected), "lookup({selected:?})");
        }
    });
});
