//! The JavaScript API, and the only module that knows about wasm-bindgen. Errors become JS
//! `Error`s carrying the core's message; nothing here panics, so no panic reaches JavaScript.

use crate::value::{quoted, Value};
use crate::{Article, Entry, Error, Glossary, Hit, Index, Language, Match, SearchOptions};
use js_sys::{Array, JsString, Object};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `new Glossa(options)`. */
export interface GlossaOptions {
  /** ISO 639-1 code of the articles' language; "en" by default. */
  language?: string;
}
/** An article: `passages` (paragraphs), or `text` split on blank lines. */
export interface ArticleInput {
  id: string;
  title?: string;
  url?: string | null;
  byline?: string | null;
  passages?: string[];
  text?: string;
}
export interface GlossaryEntry {
  id: string;
  term: string;
  aliases: string[];
  definition: string;
  see_also: string[];
  link: string | null;
  /** How an A–Z index files the entry ("Marx, Karl"); absent when the term itself. */
  sort_as?: string;
}
/** A glossary term found in a text; offsets are UTF-16 code units into that text. */
export interface Annotation {
  term: string;
  start: number;
  end: number;
  text: string;
}
export interface SearchOptions {
  /** The most hits to return; 10 by default. */
  limit?: number;
}
/** A ranked passage. Highlights are [start, end) UTF-16 ranges into `snippet` and `text`. */
export interface Hit {
  article: string;
  passage: number;
  score: number;
  title: string;
  url?: string;
  text: string;
  snippet: string;
  highlights: [number, number][];
  text_highlights: [number, number][];
}
"#;

fn error(message: &str) -> JsError {
    JsError::new(message)
}

/// The JS `Error` for a crate [`Error`]. (Not `JsError::from`, which formats the message, and
/// would keep core::fmt in the binary: see `value::quoted`.)
fn failed(e: Error) -> JsError {
    error(e.message())
}

// Results are built without serde: serde-wasm-bindgen and the derived serialisers cost
// several kilobytes of the wasm, and these few shapes are all the boundary returns (the
// TypeScript types above describe them). Annotations and hits, made by the thousand, are
// made in JS from packed numbers and one string; entries are JSON text the core writes,
// parsed by `JSON.parse`.

/// Annotation objects made in JS from the matches packed as `[entry, start, end, …]` (read
/// straight from wasm memory) and the entries' ids. Made in wasm, each object took seven
/// calls between wasm and JS, whatever each call did: on the bench's 500 articles
/// (52,062 terms) that was a quarter of annotate()'s time in Node. The text is the caller's
/// own string sliced, so it is exactly the caller's, lone surrogates and all.
#[wasm_bindgen(inline_js = "export function annotations(text, ids, found) {
  const out = new Array(found.length / 3);
  for (let i = 0, j = 0; j < found.length; i++, j += 3) {
    const start = found[j + 1], end = found[j + 2];
    out[i] = { term: ids[found[j]], start, end, text: text.slice(start, end) };
  }
  return out;
}")]
extern "C" {
    #[wasm_bindgen(js_name = annotations)]
    fn annotation_objects(text: &JsString, ids: &Array, found: &[u32]) -> JsValue;
}

/// Hit objects made in JS, as annotations are: every string of every hit is one JS string
/// cut at `cuts` (five a hit: article, title, url, text, snippet), and `numbers` holds per
/// hit its passage, whether it has a url, then each of its two highlight lists as a count
/// and that many `[start, end]` pairs. Made in wasm a property and a pair at a time, each
/// hit took some forty calls between wasm and JS: making the hits was 12.5 % of a search in
/// the browser's profile (500 Brown articles, the bench's 325 queries), and is 9.3 % this
/// way, most of it decoding the one string.
#[wasm_bindgen(inline_js = "export function hits(all, cuts, numbers, scores) {
  const out = new Array(scores.length);
  const cut = (k) => all.slice(cuts[k], cuts[k + 1]);
  const spans = (j) => {
    const n = numbers[j], list = new Array(n);
    for (let k = 0; k < n; k++) list[k] = [numbers[j + 1 + 2 * k], numbers[j + 2 + 2 * k]];
    return list;
  };
  for (let i = 0, c = 0, j = 0; i < out.length; i++, c += 5) {
    const hit = { article: cut(c), passage: numbers[j], score: scores[i], title: cut(c + 1) };
    if (numbers[j + 1]) hit.url = cut(c + 2);
    hit.text = cut(c + 3);
    hit.snippet = cut(c + 4);
    j += 2;
    hit.highlights = spans(j);
    j += 1 + 2 * numbers[j];
    hit.text_highlights = spans(j);
    j += 1 + 2 * numbers[j];
    out[i] = hit;
  }
  return out;
}")]
extern "C" {
    #[wasm_bindgen(js_name = hits)]
    fn hit_objects(all: &JsString, cuts: &[u32], numbers: &[u32], scores: &[f32]) -> JsValue;
}

/// A JS value as JSON text, for `Value::parse`: `JSON.stringify`, with `undefined` written
/// as `null` (so that a mistyped option set to `undefined` is still seen, and a field set to
/// it is absent, as before), and what JSON cannot hold refused rather than left out:
/// functions, symbols, BigInts and numbers that are not finite. What `JSON.stringify` cannot
/// write (a cycle, nesting past the JS stack) is refused with the first line of its message.
/// An object's `toJSON` is used, as `JSON.stringify` uses it (a Date is its ISO string).
/// Reading the text in wasm takes one call; walking the value from wasm took a call per test
/// of each part, and its code and imports cost the core 1 kB gzipped.
#[wasm_bindgen(inline_js = "export function json(value) {
  try {
    return JSON.stringify(value, (key, v) => {
      if (v === undefined) return null;
      const type = typeof v;
      if (type === 'function' || type === 'symbol' || type === 'bigint') {
        throw `only JSON values (objects, arrays, strings, numbers, booleans, null) are accepted, not a ${type}`;
      }
      if (type === 'number' && !Number.isFinite(v)) throw `only finite numbers are accepted, not ${v}`;
      return v;
    });
  } catch (error) {
    throw String(error?.message ?? error).split('\\n')[0];
  }
}")]
extern "C" {
    #[wasm_bindgen(catch, js_name = json)]
    fn json_text(value: &JsValue) -> Result<String, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse(text)`, for the JSON of glossary entries the core writes.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// A JS string as UTF-8 (lone surrogates become U+FFFD), or `None` if the memory left could
/// not hold it. wasm-bindgen's conversion aborts when it cannot allocate, and an abort inside
/// a method leaves the object borrowed, every later call on it failing: so the room is made
/// sure of first. The conversion allocates a byte per UTF-16 code unit, then three per unit
/// left once it meets a character past ASCII, both blocks held at once: reserving four bytes
/// a unit, and freeing them, leaves room that it finds. (A conversion of our own, through
/// `TextEncoder.encodeInto` into wasm memory, was no faster on the benchmark's 500 articles
/// (`node bench/run.mjs --engines glossa --sizes 500`, two runs each, alternated:
/// annotation 79.6 and 83.2 MB/s with wasm-bindgen's conversion, 82.6 and 81.7 with ours),
/// and its code cost the core's wasm 0.32 kB with gzip -9, besides five imports.)
fn utf8(text: &JsString) -> Option<String> {
    let most = (text.length() as usize).checked_mul(4)?;
    Vec::<u8>::new().try_reserve_exact(most).ok()?;
    Some(String::from(text))
}

fn string(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> JsValue {
    items.into_iter().map(string).collect::<Array>().into()
}

/// The glossary's entry ids as JS strings, each made the first time annotate() finds its term
/// and kept until the glossary changes: a JS array, with holes for ids not yet needed.
/// Made on each call, the ids' decoding from wasm memory was 2% of annotate()'s time.
struct EntryIds {
    strings: Array,
    made: RefCell<Vec<bool>>,
}

impl EntryIds {
    fn new() -> EntryIds {
        EntryIds {
            strings: Array::new(),
            made: RefCell::default(),
        }
    }
}

/// `matches` in `text` as `Annotation` objects.
fn annotations_js(
    glossary: &Glossary,
    ids: &EntryIds,
    js_text: &JsString,
    matches: &[Match],
) -> Result<JsValue, JsError> {
    let mut made = ids
        .made
        .try_borrow_mut()
        .map_err(|_| error("annotate: called again while it ran"))?;
    let entries = glossary.entries();
    if made.len() != entries.len() {
        *made = vec![false; entries.len()];
    }
    let mut found = Vec::with_capacity(matches.len() * 3);
    for m in matches {
        if !made[m.entry] {
            ids.strings
                .set(m.entry as u32, string(&entries[m.entry].id));
            made[m.entry] = true;
        }
        found.extend([m.entry as u32, m.span.start, m.span.end]);
    }
    Ok(annotation_objects(js_text, &ids.strings, &found))
}

/// Glossary entries as JS objects, from the JSON `glossary::entries_json` or `entry_json`
/// wrote, parsed by the browser: one call out of wasm, where setting each field took one.
/// Only running out of memory makes `JSON.parse` fail on that JSON.
fn parsed(json: String) -> Result<JsValue, JsError> {
    json_parse(&json.into()).map_err(|_| error("glossary entries: out of memory"))
}

/// A hit's strings in the order `hits` in JS cuts them.
fn hit_strings(h: &Hit) -> [&str; 5] {
    let url = h.url.as_deref().unwrap_or("");
    [&h.article, &h.title, url, &h.text, &h.snippet]
}

fn hits_js(hits: &[Hit]) -> JsValue {
    // Every string of every hit is decoded from wasm memory in one go and cut up in JS:
    // decoding each on its own was 8% of a search in the browser's profile.
    let bytes = hits.iter().flat_map(hit_strings).map(str::len).sum();
    let spans: usize = hits
        .iter()
        .map(|h| h.highlights.len() + h.text_highlights.len())
        .sum();
    let mut all = String::with_capacity(bytes);
    let mut cuts: Vec<u32> = Vec::with_capacity(hits.len() * 5 + 1);
    let mut numbers: Vec<u32> = Vec::with_capacity(hits.len() * 4 + spans * 2);
    let mut at = 0u32;
    cuts.push(at);
    for h in hits {
        for s in hit_strings(h) {
            all.push_str(s);
            at = at.saturating_add(crate::tokenize::utf16_len(s));
            cuts.push(at);
        }
        numbers.extend([h.passage, u32::from(h.url.is_some())]);
        for spans in [&h.highlights, &h.text_highlights] {
            numbers.push(spans.len() as u32);
            numbers.extend(spans.iter().flat_map(|s| [s.start, s.end]));
        }
    }
    let scores: Vec<f32> = hits.iter().map(|h| h.score).collect();
    hit_objects(&JsString::from(all.as_str()), &cuts, &numbers, &scores)
}

/// A plain JS value (what `JSON.parse` makes) as a [`Value`], by way of its JSON text (see
/// `json_text`).
fn from_js(value: &JsValue) -> Result<Value, String> {
    match json_text(value) {
        Ok(json) => Value::parse(&json),
        Err(thrown) => Err(thrown.as_string().unwrap_or_default()),
    }
}

/// Options from an optional JS object, refusing unknown keys (a typo such as `limt` would
/// otherwise be silently ignored).
fn options(value: Option<Object>, what: &str, known: &[&str]) -> Result<Value, JsError> {
    let Some(object) = value else {
        return Ok(Value::Object(Vec::new()));
    };
    let value = from_js(&object).map_err(|e| error(&[what, ": ", &e].concat()))?;
    if let Value::Object(fields) = &value {
        if let Some((key, _)) = fields.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(error(
                &[
                    what,
                    ": unknown option ",
                    &quoted(key),
                    " (known: ",
                    &known.join(", "),
                    ")",
                ]
                .concat(),
            ));
        }
    }
    Ok(value)
}

/// Search options (`{limit}`, a whole number, 10 when absent) from an optional JS object.
fn search_options(value: Option<Object>, what: &str) -> Result<SearchOptions, JsError> {
    let options = self::options(value, what, &["limit"])?;
    let limit = match options.get("limit") {
        None | Some(Value::Null) => 10,
        Some(Value::Number(n)) if *n >= 0.0 && n.fract() == 0.0 => n.min(1e9) as usize,
        Some(_) => {
            return Err(error(
                &[
                    what,
                    ": \"limit\" must be a whole number of hits, such as 10",
                ]
                .concat(),
            ))
        }
    };
    Ok(SearchOptions { limit })
}

/// A search index with an optional glossary.
#[wasm_bindgen]
pub struct Glossa {
    index: Index,
    ids: EntryIds,
}

#[wasm_bindgen]
impl Glossa {
    /// An empty index: `new Glossa({language: "en"})`; `options` is a `GlossaOptions`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<Object>) -> Result<Glossa, JsError> {
        let options = self::options(options, "Glossa options", &["language"])?;
        let language = match options.string_field("language") {
            Ok(Some(code)) => Language::from_code(code).map_err(failed)?,
            Ok(None) => Language::ENGLISH,
            Err(e) => return Err(error(&["Glossa options: ", &e.message()].concat())),
        };
        Ok(Glossa {
            index: Index::new(language),
            ids: EntryIds::new(),
        })
    }

    /// Adds an article; throws if it is invalid or its id is already indexed.
    #[wasm_bindgen(js_name = addArticle)]
    pub fn add_article(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ArticleInput")] article: JsValue,
    ) -> Result<(), JsError> {
        let value = from_js(&article).map_err(|e| error(&["article: ", &e].concat()))?;
        let article = Article::from_value(&value).map_err(failed)?;
        self.index.add_article(&article).map_err(failed)
    }

    /// Sets the glossary, from its JSON text or an object of the same shape; throws with the
    /// entry and the problem if it is invalid, and then keeps the previous glossary.
    #[wasm_bindgen(js_name = setGlossary)]
    pub fn set_glossary(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string | object")] glossary: JsValue,
    ) -> Result<(), JsError> {
        let glossary = match glossary.dyn_ref::<JsString>() {
            Some(text) => Glossary::from_json(&utf8(text).ok_or_else(|| {
                error("setGlossary: the glossary text is too long for the memory left")
            })?),
            None => {
                let value = from_js(&glossary).map_err(|e| {
                    error(&["glossary must be JSON text or a plain object: ", &e].concat())
                })?;
                Glossary::from_value(&value)
            }
        }
        .map_err(failed)?;
        self.index.set_glossary(glossary).map_err(failed)?;
        self.ids = EntryIds::new();
        Ok(())
    }

    /// Every glossary term in `text`, with UTF-16 offsets.
    #[wasm_bindgen(unchecked_return_type = "Annotation[]")]
    pub fn annotate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<JsValue, JsError> {
        let glossary = self.glossary()?;
        let js_text = text
            .dyn_ref::<JsString>()
            .ok_or_else(|| error("annotate: the text must be a string"))?;
        let text = utf8(js_text).ok_or_else(|| error("annotate: the text could not be read"))?;
        annotations_js(glossary, &self.ids, js_text, &glossary.annotate(&text))
    }

    /// The entry a reader means by a selected word or phrase, or `null`.
    #[wasm_bindgen(unchecked_return_type = "GlossaryEntry | null")]
    pub fn lookup(&self, text: &str) -> Result<JsValue, JsError> {
        match self.glossary()?.lookup(text) {
            Some(entry) => {
                let mut json = String::new();
                crate::glossary::entry_json(&mut json, entry);
                parsed(json)
            }
            None => Ok(JsValue::NULL),
        }
    }

    /// All glossary entries, in glossary order.
    #[wasm_bindgen(unchecked_return_type = "GlossaryEntry[]")]
    pub fn entries(&self) -> Result<JsValue, JsError> {
        let entries: &[Entry] = self.index.glossary().map_or(&[], Glossary::entries);
        parsed(crate::glossary::entries_json(entries))
    }

    /// Ranked passages for `query`: `search("dual power", {limit: 5})`; `options` is a
    /// `SearchOptions`.
    #[wasm_bindgen(unchecked_return_type = "Hit[]")]
    pub fn search(&self, query: &str, options: Option<Object>) -> Result<JsValue, JsError> {
        let options = search_options(options, "search options")?;
        Ok(hits_js(&self.index.search(query, &options)))
    }

    /// Passages, across all articles, that mention a glossary entry under any of its names
    /// (the "Where else" of a definition); `options` is a `SearchOptions`.
    #[wasm_bindgen(unchecked_return_type = "Hit[]")]
    pub fn mentions(&self, entry: &str, options: Option<Object>) -> Result<JsValue, JsError> {
        let options = search_options(options, "mentions options")?;
        Ok(hits_js(&self.index.mentions(entry, &options)))
    }

    /// The passages of an article as the index numbers them (a hit's `passage` indexes this).
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn passages(&self, article: &str) -> Result<JsValue, JsError> {
        let passages = self
            .index
            .passages(article)
            .ok_or_else(|| error(&["no article ", &quoted(article), " in the index"].concat()))?;
        Ok(strings(passages))
    }

    /// The index as compact bytes, for `Glossa.fromBytes`. Throws in the English core
    /// (`core/`, and `glossa/core` in a browser), which only reads indexes: write them with
    /// `glossa index`, with `glossa/core` in Node, or with `core-intl`.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Result<Vec<u8>, JsError> {
        if cfg!(feature = "index-writer") {
            Ok(self.index.to_bytes())
        } else {
            Err(error(
                "toBytes: the English browser core reads indexes but does not write them; \
                 write them with the `glossa index` command, in Node (glossa/core), or with \
                 glossa/core-intl",
            ))
        }
    }

    /// Loads bytes made by `toBytes` or the `glossa index` command.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Glossa, JsError> {
        Ok(Glossa {
            index: Index::from_bytes(bytes).map_err(failed)?,
            ids: EntryIds::new(),
        })
    }

    #[wasm_bindgen(getter, js_name = articleCount)]
    pub fn article_count(&self) -> usize {
        self.index.article_count()
    }

    #[wasm_bindgen(getter, js_name = passageCount)]
    pub fn passage_count(&self) -> usize {
        self.index.passage_count()
    }

    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        self.index.language().code().to_owned()
    }
}

impl Glossa {
    fn glossary(&self) -> Result<&Glossary, JsError> {
        self.index
            .glossary()
            .ok_or_else(|| error("no glossary: call setGlossary(json) first"))
    }
}
