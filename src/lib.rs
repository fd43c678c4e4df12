//! glossa: the core of a reading widget. It tokenises articles, finds glossary terms in them,
//! and searches them passage by passage.
//!
//! - [`Analyzer`] splits text into normalised, stemmed [`Token`]s with UTF-16 spans.
//! - [`Glossary`] parses the glossary JSON, annotates text and looks up selections.
//! - [`Index`] holds articles split into passages and answers [`Index::search`] with ranked
//!   [`Hit`]s carrying snippets and highlight ranges; it serialises to compact bytes.
//!
//! Only the `wasm` module (built for `wasm32`) knows about JavaScript.

mod article;
mod distance;
mod error;
#[rustfmt::skip]
mod fold_table;
mod format;
mod glossary;
mod heap;
mod index;
mod language;
mod query;
mod search;
mod tokenize;
mod value;
mod word_break;
#[rustfmt::skip]
mod word_break_table;
mod word_table;
mod words;

/// The crate's hash map: rustc-hash's Fx hasher rather than std's SipHash, which callgrind put
/// at 21% of the instructions of indexing and searching (words are short keys). It has no
/// seed, and needs none here: the maps are keyed by the words of the site's own articles and
/// glossary (a page that wanted to slow its own widget could do so more simply) or by ids
/// the index assigned; a reader's query text is only looked up in them, never inserted.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;

pub use article::Article;
pub use error::{Error, ErrorKind};
pub use glossary::{Annotation, Entry, Glossary, Match};
pub use index::{Index, PassageId};
pub use language::Language;
pub use search::{Hit, SearchOptions};
pub use tokenize::{Analyzer, Span, Token, Tokens};

/// Internals the fuzz targets in `fuzz/` check directly. Compiled only under `cargo fuzz`
/// (which sets `--cfg fuzzing`), so they are no part of the API.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    use crate::Analyzer;

    /// Index bytes holding `payload`, with the header [`crate::Index::to_bytes`] writes: for
    /// targets that make payloads of their own.
    pub fn with_header(payload: &[u8]) -> Vec<u8> {
        crate::format::with_header(payload)
    }

    /// Why the crate's JSON parser refuses `json`, or `None` if it parses: it must agree
    /// with a real parser.
    pub fn json_error(json: &str) -> Option<String> {
        crate::value::Value::parse(json).err()
    }

    /// Whether the crate's JSON parser reads `json` as serde_json does: the same values,
    /// numbers within a relative 1e-9 (ours reads them digit by digit). `None` when either
    /// refuses it, or it nests past the crate's 64 levels.
    pub fn json_agrees_with_serde(json: &str) -> Option<bool> {
        use crate::value::Value;
        fn same(a: &Value, b: &Value) -> bool {
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => {
                    x == y
                        || (x - y).abs() <= 1e-9 * x.abs().max(y.abs())
                        || x.abs().max(y.abs()) < 1e-300
                }
                (Value::Array(x), Value::Array(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
                }
                // serde_json keeps the last of repeated keys, in key order; ours keeps them
                // all, in input order, and reads the last (`Value::get`).
                (Value::Object(x), Value::Object(y)) => {
                    let keys = |fields: &[(String, Value)]| -> std::collections::BTreeSet<String> {
                        fields.iter().map(|(k, _)| k.clone()).collect()
                    };
                    let theirs = keys(y);
                    keys(x) == theirs
                        && theirs.iter().all(|k| match (a.get(k), b.get(k)) {
                            (Some(a), Some(b)) => same(a, b),
                            _ => false,
                        })
                }
                _ => a == b,
            }
        }
        let ours = Value::parse(json).ok()?;
        let theirs = serde_json::from_str::<serde_json::Value>(json).ok()?;
        let theirs = Value::from_serde(theirs).ok()?;
        Some(same(&ours, &theirs))
    }

    /// A word of a parsed query: (normalised text, stem, whether it is a compound's whole).
    pub type Word = (String, String, bool);
    /// A chunk of a parsed query: (excluded, quoted, words).
    pub type Chunk = (bool, bool, Vec<Word>);

    /// The query as [`crate::Index::search`] parses it: its chunks, and whether the last word
    /// is a prefix.
    pub fn parse_query(query: &str, analyzer: &Analyzer) -> (Vec<Chunk>, bool) {
        let parsed = crate::query::parse(query, analyzer);
        let chunks = parsed
            .chunks
            .into_iter()
            .map(|c| {
                let words = c
                    .words
                    .into_iter()
                    .map(|w| (w.text, w.stem, w.compound))
                    .collect();
                (c.excluded, c.quoted, words)
            })
            .collect();
        (chunks, parsed.prefix_last)
    }
}

/// The allocator of the wasm build: talc instead of std's dlmalloc, smaller in the binary and
/// no slower for the many small strings and vectors tokenising and searching allocate. The
/// widget's wasm is single-threaded, which talc's unlocked cell needs (it checks).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The JavaScript API (`Glossa`), compiled only for wasm32.
#[cfg(target_arch = "wasm32")]
pub mod wasm_api;
