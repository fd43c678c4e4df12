//! The wasm API in real browsers: `wasm-pack test --headless --chrome` (and `--firefox`).
//! Articles in, search and annotate out, errors as JS `Error`s with a message.
#![cfg(target_arch = "wasm32")]

use glossa::wasm_api::Glossa;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GLOSSARY: &str = r#"{"language": "en", "entries": [
  {"id": "dotp", "term": "dictatorship of the proletariat", "aliases": ["proletarian dictatorship"],
   "definition": "Rule by the working class.", "see_also": ["soviet"]},
  {"id": "soviet", "term": "soviet", "definition": "A workers' council."},
  {"id": "dual-power", "term": "dual power", "definition": "Two authorities at once."}
]}"#;

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn message(error: JsValue) -> String {
    let error: js_sys::Error = error.dyn_into().expect("a JS Error");
    error.message().into()
}

fn loaded() -> Glossa {
    let mut g = Glossa::new(Some(js(r#"{"language": "en"}"#).unchecked_into())).unwrap();
    g.add_article(js(
        r#"{"id": "ms", "title": "Lenin’s vision of workers’ power", "url": "/ms",
        "passages": ["Power hung between the provisional government and the emerging soviets.",
                     "The dual power situation could not hold, Lenin believed."]}"#,
    ))
    .unwrap();
    g.add_article(js(r#"{"id": "vp", "title": "What does it mean?",
        "text": "A “dictatorship of the proletariat” seized power. 😀\n\nThe Place Vendôme column fell."}"#))
        .unwrap();
    g.set_glossary(GLOSSARY.into()).unwrap();
    g
}

#[wasm_bindgen_test]
fn search_returns_ranked_passages_with_utf16_highlights() {
    let g = loaded();
    let hits: Array = g
        .search("dual power", Some(js(r#"{"limit": 5}"#).unchecked_into()))
        .unwrap()
        .unchecked_into();
    assert!(hits.length() >= 1);
    let top = hits.get(0);
    assert_eq!(get(&top, "article").as_string().unwrap(), "ms");
    assert_eq!(get(&top, "passage").as_f64().unwrap(), 1.0);
    let snippet = get(&top, "snippet").as_string().unwrap();
    let highlights: Array = get(&top, "highlights").unchecked_into();
    let first: Array = highlights.get(0).unchecked_into();
    let (s, e) = (
        first.get(0).as_f64().unwrap() as usize,
        first.get(1).as_f64().unwrap() as usize,
    );
    let units: Vec<u16> = snippet.encode_utf16().collect();
    assert_eq!(String::from_utf16(&units[s..e]).unwrap(), "dual power");
}

#[wasm_bindgen_test]
fn search_handles_accents_and_emoji_offsets_as_the_dom_counts() {
    let g = loaded();
    let hits: Array = g.search("vendome", None).unwrap().unchecked_into();
    let top = hits.get(0);
    let text = js_sys::JsString::from(get(&top, "text"));
    let spans: Array = get(&top, "text_highlights").unchecked_into();
    let span: Array = spans.get(0).unchecked_into();
    let (s, e) = (
        span.get(0).as_f64().unwrap() as u32,
        span.get(1).as_f64().unwrap() as u32,
    );
    assert_eq!(String::from(text.substring(s, e)), "Vendôme");
}

/// Hits' strings are decoded together and cut apart in JS: every one must come out whole,
/// after curly quotes and an emoji in earlier hits, with `url` only where the article has one.
#[wasm_bindgen_test]
fn every_hit_carries_its_own_strings() {
    let g = loaded();
    let hits: Array = g.search("power", None).unwrap().unchecked_into();
    let mut seen = Vec::new();
    for hit in hits.iter() {
        let article = get(&hit, "article").as_string().unwrap();
        let passage = get(&hit, "passage").as_f64().unwrap() as u32;
        let passages: Array = g.passages(&article).unwrap().unchecked_into();
        let text = passages.get(passage).as_string().unwrap();
        assert_eq!(get(&hit, "text").as_string().unwrap(), text);
        assert_eq!(get(&hit, "snippet").as_string().unwrap(), text);
        let (title, url) = match article.as_str() {
            "ms" => ("Lenin’s vision of workers’ power", Some("/ms")),
            _ => ("What does it mean?", None),
        };
        assert_eq!(get(&hit, "title").as_string().unwrap(), title);
        assert_eq!(get(&hit, "url").as_string().as_deref(), url);
        assert!(!js_sys::Reflect::has(&hit, &"url".into()).unwrap() || url.is_some());
        seen.push(format!("{article}:{passage}"));
    }
    seen.sort();
    assert_eq!(seen, ["ms:0", "ms:1", "vp:0"]);
}

#[wasm_bindgen_test]
fn glossary_synonyms_work_after_from_bytes() {
    let g = loaded();
    let bytes: Uint8Array = Uint8Array::from(g.to_bytes().unwrap().as_slice());
    let again = Glossa::from_bytes(&bytes.to_vec()).unwrap();
    assert_eq!(again.article_count(), 2);
    let hits: Array = again
        .search("proletarian dictatorship", None)
        .unwrap()
        .unchecked_into();
    assert_eq!(get(&hits.get(0), "article").as_string().unwrap(), "vp");
}

#[wasm_bindgen_test]
fn passages_are_numbered_as_hits_number_them() {
    let g = loaded();
    let passages: Array = g.passages("vp").unwrap().unchecked_into();
    assert_eq!(passages.length(), 2);
    assert_eq!(
        passages.get(1).as_string().unwrap(),
        "The Place Vendôme column fell."
    );
    assert!(message(g.passages("nope").unwrap_err().into()).contains("no article \"nope\""));
}

#[wasm_bindgen_test]
fn annotate_and_lookup() {
    let g = loaded();
    let text = "😀 The Soviets and “dual power”, a soviet.";
    let found: Array = g.annotate(text.into()).unwrap().unchecked_into();
    let terms: Vec<String> = found
        .iter()
        .map(|a| get(&a, "term").as_string().unwrap())
        .collect();
    assert_eq!(terms, ["soviet", "dual-power", "soviet"]);
    let texts: Vec<String> = found
        .iter()
        .map(|a| get(&a, "text").as_string().unwrap())
        .collect();
    assert_eq!(texts, ["Soviets", "dual power", "soviet"]);
    let first = found.get(0);
    let units: Vec<u16> = text.encode_utf16().collect();
    let (s, e) = (
        get(&first, "start").as_f64().unwrap() as usize,
        get(&first, "end").as_f64().unwrap() as usize,
    );
    assert_eq!(String::from_utf16(&units[s..e]).unwrap(), "Soviets");

    let entry = g.lookup("proletarian dictatorships").unwrap();
    assert_eq!(get(&entry, "id").as_string().unwrap(), "dotp");
    assert!(g.lookup("bourgeoisie").unwrap().is_null());
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_messages() {
    let mut g = loaded();
    let bad_json = message(
        g.set_glossary(r#"{"entries": [}"#.into())
            .unwrap_err()
            .into(),
    );
    assert!(bad_json.contains("line 1 column 14"), "{bad_json}");
    let unknown = message(
        g.set_glossary(js(r#"{"entries": [{"term": "x", "see_also": ["nope"]}]}"#))
            .unwrap_err()
            .into(),
    );
    assert!(
        unknown.contains("see_also names unknown id \"nope\""),
        "{unknown}"
    );
    // The previous glossary is kept after a failed set.
    assert!(!g.lookup("soviet").unwrap().is_null());

    let duplicate = message(
        g.add_article(js(r#"{"id": "ms", "passages": []}"#))
            .unwrap_err()
            .into(),
    );
    assert_eq!(duplicate, "article \"ms\" is already in the index");
    let wrong = message(
        g.add_article(js(r#"{"id": "x", "passages": "text"}"#))
            .unwrap_err()
            .into(),
    );
    assert!(wrong.starts_with("article \"x\""), "{wrong}");
    let not_object = message(g.add_article(JsValue::from(5)).unwrap_err().into());
    assert!(not_object.starts_with("article"), "{not_object}");

    let corrupt = message(Glossa::from_bytes(b"GLOSSA\x01\x00").err().unwrap().into());
    assert!(corrupt.contains("truncated"), "{corrupt}");
    let language = message(
        Glossa::new(Some(js(r#"{"language": "xx"}"#).unchecked_into()))
            .err()
            .unwrap()
            .into(),
    );
    assert!(language.contains("unsupported language"), "{language}");
    let typo = message(
        g.search("x", Some(js(r#"{"limt": 5}"#).unchecked_into()))
            .unwrap_err()
            .into(),
    );
    assert!(typo.contains("unknown option \"limt\""), "{typo}");
    // JS values that JSON cannot hold are refused, not dropped; `undefined` counts as null.
    let object = |fields: &[(&str, JsValue)]| -> Object {
        let object = Object::new();
        for (key, value) in fields {
            Reflect::set(&object, &(*key).into(), value).unwrap();
        }
        object
    };
    let nan = g.search("x", Some(object(&[("limit", JsValue::from_f64(f64::NAN))])));
    let nan = message(nan.unwrap_err().into());
    assert!(nan.contains("only finite numbers are accepted"), "{nan}");
    let typo_undefined = g.search("x", Some(object(&[("limt", JsValue::UNDEFINED)])));
    let typo_undefined = message(typo_undefined.unwrap_err().into());
    assert!(
        typo_undefined.contains("unknown option \"limt\""),
        "{typo_undefined}"
    );
    let function: JsValue = js_sys::Function::new_no_args("").into();
    let with_function = object(&[("id", "f".into()), ("text", function)]);
    let refused = message(g.add_article(with_function.into()).unwrap_err().into());
    assert!(refused.contains("not a function"), "{refused}");
    let cycle = object(&[("id", "c".into())]);
    Reflect::set(&cycle, &"itself".into(), &cycle).unwrap();
    let cyclic = message(g.add_article(cycle.into()).unwrap_err().into());
    assert!(
        cyclic.starts_with("article: ") && !cyclic.contains('\n'),
        "{cyclic}"
    );
    let no_glossary = Glossa::new(Some(Object::new())).unwrap();
    assert!(message(no_glossary.annotate("x".into()).unwrap_err().into()).contains("setGlossary"));
}

#[wasm_bindgen_test]
fn hostile_and_empty_input_is_handled() {
    let mut g = loaded();
    g.add_article(js(r#"{"id": "empty", "passages": ["", "   "]}"#))
        .unwrap();
    let long = "x".repeat(100_000);
    let hits: Array = g.search(&long, None).unwrap().unchecked_into();
    assert_eq!(hits.length(), 0);
    let hits: Array = g
        .search("\u{202E}<script>\"", None)
        .unwrap()
        .unchecked_into();
    assert_eq!(hits.length(), 0);
    let found: Array = g
        .annotate("\u{0000}\u{FFFF}\u{10FFFF}".into())
        .unwrap()
        .unchecked_into();
    assert_eq!(found.length(), 0);
    assert!(
        message(g.annotate(JsValue::from_f64(1.0)).unwrap_err().into())
            .contains("the text must be a string")
    );
}

#[wasm_bindgen_test]
fn annotate_counts_offsets_in_the_strings_javascript_holds() {
    let g = loaded();
    // A lone surrogate (one code unit, read as U+FFFD), an astral emoji (two) and "é"
    // spelled as e and a combining accent (two) all come before the term.
    let mut units: Vec<u16> = vec![0xD83D, b' ' as u16];
    units.extend("😀 cafe\u{301} the Soviets".encode_utf16());
    let text = js_sys::JsString::from_char_code(&units);
    let found: Array = g.annotate(text.into()).unwrap().unchecked_into();
    assert_eq!(found.length(), 1);
    let first = found.get(0);
    let (s, e) = (
        get(&first, "start").as_f64().unwrap() as usize,
        get(&first, "end").as_f64().unwrap() as usize,
    );
    assert_eq!(String::from_utf16(&units[s..e]).unwrap(), "Soviets");
    assert_eq!(get(&first, "text").as_string().unwrap(), "Soviets");
}

#[wasm_bindgen_test]
fn entries_come_back_as_the_glossary_gave_them() {
    let mut g = Glossa::new(None).unwrap();
    // Quotes, backslashes, control characters, line separators and astral characters, which
    // entries() writes into the JSON text it hands to JSON.parse.
    g.set_glossary(
        r#"{"entries": [
          {"id": "q\"b\\s\u0001", "term": "say \"when\"\tnow", "aliases": ["a\\b", "😀\u2028é"],
           "definition": "line\nbreak\u001f", "see_also": ["plain"],
           "link": "https://example.com/?a=\"b\"", "sort_as": "Q"},
          {"term": "plain"}
        ]}"#
        .into(),
    )
    .unwrap();
    let entries: Array = g.entries().unwrap().unchecked_into();
    assert_eq!(entries.length(), 2);
    let first = entries.get(0);
    let text = |key| get(&first, key).as_string().unwrap();
    assert_eq!(text("id"), "q\"b\\s\u{1}");
    assert_eq!(text("term"), "say \"when\"\tnow");
    assert_eq!(text("definition"), "line\nbreak\u{1f}");
    assert_eq!(text("link"), "https://example.com/?a=\"b\"");
    assert_eq!(text("sort_as"), "Q");
    let strings = |value: JsValue| -> Vec<String> {
        Array::from(&value)
            .iter()
            .map(|s| s.as_string().unwrap())
            .collect()
    };
    assert_eq!(strings(get(&first, "aliases")), ["a\\b", "😀\u{2028}é"]);
    assert_eq!(strings(get(&first, "see_also")), ["plain"]);
    let second = entries.get(1);
    assert_eq!(get(&second, "id").as_string().unwrap(), "plain");
    assert_eq!(Array::from(&get(&second, "aliases")).length(), 0);
    assert!(get(&second, "link").is_null());
    assert!(!Reflect::has(&second, &"sort_as".into()).unwrap());
    // lookup() gives the entry in the same shape.
    let looked_up = g.lookup("plain").unwrap();
    assert_eq!(get(&looked_up, "id").as_string().unwrap(), "plain");
    assert_eq!(Array::from(&get(&looked_up, "see_also")).length(), 0);
    assert!(get(&looked_up, "link").is_null());
    let quoted = g.lookup("say \"when\" now").unwrap();
    assert_eq!(get(&quoted, "sort_as").as_string().unwrap(), "Q");
    // The fields in the order the TypeScript type lists them.
    let keys: Vec<String> = Object::keys(first.unchecked_ref::<Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "term",
            "aliases",
            "definition",
            "see_also",
            "link",
            "sort_as"
        ]
    );
}
