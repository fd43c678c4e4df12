//! The glossary parser on arbitrary bytes: `Glossary::from_json` must return a glossary or an
//! error, never panic; what it accepts must survive the index's round trip; and the crate's
//! own JSON parser must agree with a real parser about what is valid.
#![no_main]

use glossa::{Glossary, Index};
use glossa_fuzz::check_annotations;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    check_parser(json);
    let Ok(glossary) = Glossary::from_json(json) else {
        return;
    };
    // An index stores its glossary as `to_json`: what loaded once must load again, the same.
    let again = Glossary::from_json(&glossary.to_json()).expect("to_json parses again");
    assert_eq!(again.entries(), glossary.entries());
    let mut index = Index::new(glossary.language());
    index.set_glossary(glossary.clone()).expect("same language");
    Index::from_bytes(&index.to_bytes()).expect("an index with this glossary loads");

    for entry in glossary.entries() {
        // Selecting a term or alias as the glossary writes it finds that entry.
        for name in entry.names() {
            let found = glossary.lookup(name).map(|e| e.id.as_str());
            assert_eq!(found, Some(entry.id.as_str()), "lookup({name:?})");
        }
        check_annotations(&entry.definition, &glossary);
    }
});

/// The crate parses JSON with its own parser (natively and in the browser), so it must agree
/// with a real one about what is valid. serde_json is the real one here, except where they
/// differ by design: nesting (ours refuses past 64 levels, serde past 128), lone surrogate
/// escapes (ours reads them as U+FFFD, as a browser's strings become Rust's; serde reads a
/// high one as wanting a low one next: "unexpected end of hex escape") and numbers beyond
/// f64 (ours reads them as infinite).
fn check_parser(json: &str) {
    let ours = glossa::fuzzing::json_error(json);
    let theirs = serde_json::from_str::<serde_json::Value>(json);
    match (&ours, &theirs) {
        (None, Ok(_)) | (Some(_), Err(_)) => {}
        (Some(ours), Ok(_)) => assert!(ours.contains("levels deep"), "valid JSON refused: {ours}"),
        (None, Err(e)) => {
            let e = e.to_string();
            let by_design = [
                "recursion limit",
                "surrogate",
                "hex escape",
                "number out of range",
            ];
            assert!(
                by_design.iter().any(|d| e.contains(d)),
                "invalid JSON accepted: {e}"
            );
        }
    }
    // What both read, both read alike.
    assert_ne!(glossa::fuzzing::json_agrees_with_serde(json), Some(false), "values differ");
    // A syntax error's place must be inside the text, and say a line and a column.
    if let Some(message) = ours.filter(|m| !m.contains("levels deep")) {
        assert!(message.contains(" at line "), "{message}");
    }
}
