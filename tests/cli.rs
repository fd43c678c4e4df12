//! The `glossa` command as a site build and a shell user call it: index, search, annotate,
//! lookup, and one clear line on stderr (exit status 2) for every kind of bad input.
// Runs the native binary: nothing to do under wasm-pack test.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn content(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content")
        .join(path)
}

fn glossary_path() -> String {
    content("glossary.json").to_str().unwrap().to_owned()
}

fn article_paths() -> Vec<String> {
    [
        "articles/morning-star-lenin.json",
        "articles/viewpoint-dotp.json",
    ]
    .iter()
    .map(|p| content(p).to_str().unwrap().to_owned())
    .collect()
}

/// A directory of its own under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "glossa-cli-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            name
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// The demo content indexed with its glossary.
    fn demo_index(&self) -> String {
        let out = self.path("demo.idx");
        let mut args = vec![
            "index".to_owned(),
            "-o".into(),
            out.clone(),
            "--glossary".into(),
            glossary_path(),
        ];
        args.extend(article_paths());
        let output = glossa(&args, None);
        assert_success(&output);
        out
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn glossa<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_glossa"));
    command
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run glossa");
    if let Some(input) = stdin {
        // The command may fail before reading it all: a closed pipe is no test failure.
        let _ = child.stdin.take().unwrap().write_all(input);
    }
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "status {:?}, stderr {:?}",
        output.status,
        stderr(output)
    );
    assert!(!stderr(output).contains("panicked"));
}

fn json(output: &Output) -> Value {
    assert_success(output);
    serde_json::from_str(&stdout(output)).expect("stdout is JSON")
}

/// The text under a UTF-16 range, as a browser's `Range` would select it.
fn under(text: &str, start: u64, end: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).expect("range splits a pair")
}

fn search_json(index: &str, query: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["search", index, query, "--json"];
    args.extend_from_slice(extra);
    match json(&glossa(&args, None)) {
        Value::Array(hits) => hits,
        other => panic!("not an array: {other}"),
    }
}

fn highlighted(hit: &Value) -> Vec<String> {
    let snippet = hit["snippet"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let pair = pair.as_array().unwrap();
            assert_eq!(pair.len(), 2);
            under(
                snippet,
                pair[0].as_u64().unwrap(),
                pair[1].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn index_then_search_as_json() {
    let scratch = Scratch::new("search");
    let index = scratch.demo_index();
    let hits = search_json(&index, "dual power", &[]);
    assert!(!hits.is_empty());
    for hit in &hits {
        for key in [
            "article",
            "passage",
            "score",
            "text",
            "snippet",
            "highlights",
        ] {
            assert!(hit.get(key).is_some(), "{key} missing from {hit}");
        }
        assert!(hit["article"].is_string() && hit["text"].is_string());
        assert!(hit["passage"].is_u64() && hit["score"].is_f64());
    }
    let best = &hits[0];
    assert_eq!(best["article"], "morning-star-lenin");
    assert_eq!(best["passage"], 2);
    assert_eq!(highlighted(best), ["dual power"]);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn search_options_and_synonyms() {
    let scratch = Scratch::new("options");
    let index = scratch.demo_index();
    let rows: [(&str, &str, &[&str], usize); 6] = [
        ("default limit", "the ", &[], 10),
        ("--limit", "the ", &["--limit", "3"], 3),
        ("-n", "the ", &["-n", "1"], 1),
        ("--limit 0", "the ", &["--limit", "0"], 0),
        ("nothing found", "zzqx ", &[], 0),
        ("empty query", "", &[], 0),
    ];
    for (name, query, extra, expected) in rows {
        assert_eq!(search_json(&index, query, extra).len(), expected, "{name}");
    }
    let hits = search_json(&index, "proletarian dictatorship", &[]);
    assert_eq!(hits.len(), 5);
    for hit in &hits {
        assert_eq!(
            highlighted(hit),
            ["dictatorship of the proletariat"],
            "{hit}"
        );
    }
    // A query starting with an exclusion comes after `--`.
    let output = glossa(&["search", &index, "--json", "--", "-soviet Lenin"], None);
    let Value::Array(hits) = json(&output) else {
        panic!("not an array");
    };
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(!hit["text"].as_str().unwrap().contains("oviet"), "{hit}");
    }
    // Without --json: a readable list, matches in brackets.
    let output = glossa(&["search", &index, "vendome"], None);
    assert_success(&output);
    assert!(stdout(&output).contains("[Vendôme]"), "{}", stdout(&output));
}

#[test]
fn index_reads_json_arrays_markdown_and_text() {
    let scratch = Scratch::new("formats");
    let array = scratch.file(
        "pair.json",
        r#"[{"id": "one", "title": "First", "passages": ["The soviets met at dawn."]},
            {"id": "two", "title": "Second", "text": "Dual power could not hold.\n\nA second paragraph."}]"#,
    );
    let untitled = scratch.file(
        "untitled.md",
        "# The **Commune** of `1871`\n\nBarricades rose in ![a photo](/img/p.jpg) Paris.\n",
    );
    let markdown = scratch.file(
        "post.md",
        "---\ntitle: \"A Markdown post\"\nurl: /posts/md\n---\n\n## Barricades\n\nThe Place **Vendôme** column [fell](https://example.org).\n\n- a list of streets\n",
    );
    let text = scratch.file(
        "notes.txt",
        "Notes on Blanqui\n\nBlanqui spent half his life in prison.\n\nHe died in 1881.",
    );
    let out = scratch.path("formats.idx");
    let output = glossa(
        &["index", "-o", &out, &array, &markdown, &untitled, &text],
        None,
    );
    assert_success(&output);
    let err = stderr(&output);
    assert!(err.contains("5 articles"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let rows: [(&str, &str, &str, u64, &str); 6] = [
        ("array, passages", "soviets ", "one", 0, "soviets"),
        (
            "array, text split on blank lines",
            "second ",
            "two",
            1,
            "second",
        ),
        ("markdown heading", "barricades ", "post", 0, "Barricades"),
        ("markdown body", "vendome ", "post", 1, "Vendôme"),
        ("markdown link text kept", "fell ", "post", 1, "fell"),
        ("text file", "prison ", "notes", 0, "prison"),
    ];
    for (name, query, article, passage, mark) in rows {
        let hits = search_json(&out, query, &[]);
        assert!(!hits.is_empty(), "{name}");
        assert_eq!(hits[0]["article"], article, "{name}");
        assert_eq!(hits[0]["passage"], passage, "{name}");
        assert_eq!(highlighted(&hits[0]), [mark], "{name}");
    }
    let titles: Vec<(String, String)> = ["blanqui ", "vendome ", "streets ", "rose "]
        .iter()
        .map(|q| {
            let hits = search_json(&out, q, &[]);
            (
                hits[0]["article"].as_str().unwrap().to_owned(),
                hits[0]["title"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            ("notes".into(), "Notes on Blanqui".into()),
            ("post".into(), "A Markdown post".into()),
            ("post".into(), "A Markdown post".into()),
            ("untitled".into(), "The Commune of 1871".into()),
        ]
    );
    // Markdown markup does not reach the text.
    let hits = search_json(&out, "column", &[]);
    assert_eq!(hits[0]["text"], "The Place Vendôme column fell.");
    let hits = search_json(&out, "paris", &[]);
    assert_eq!(hits[0]["text"], "Barricades rose in a photo Paris.");
}

#[test]
fn markdown_single_emphasis_is_removed() {
    let scratch = Scratch::new("emphasis");
    let markdown = scratch.file(
        "post.md",
        "# A *short* title\n\nThe Place *Vendôme* column fell in _Paris_.\n",
    );
    let out = scratch.path("post.idx");
    assert_success(&glossa(&["index", "-o", &out, &markdown], None));
    let hits = search_json(&out, "column", &[]);
    assert_eq!(hits[0]["title"], "A short title");
    assert_eq!(hits[0]["text"], "The Place Vendôme column fell in Paris.");
}

#[test]
fn annotate_stdin_in_utf16_units() {
    // Emoji before the terms: UTF-16 offsets differ from byte and char offsets.
    let input = "👩\u{200d}👩\u{200d}👧 ✊🏽 The “Dual Power” of soviets, a proletarian dictatorship — Vendôme.";
    let output = glossa(
        &["annotate", "--glossary", &glossary_path(), "--json", "-"],
        Some(input.as_bytes()),
    );
    let Value::Array(found) = json(&output) else {
        panic!("not an array");
    };
    let summary: Vec<(String, String)> = found
        .iter()
        .map(|a| {
            let start = a["start"].as_u64().unwrap();
            let end = a["end"].as_u64().unwrap();
            let text = a["text"].as_str().unwrap();
            assert_eq!(under(input, start, end), text, "{a}");
            (a["term"].as_str().unwrap().to_owned(), text.to_owned())
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("dual-power".to_owned(), "Dual Power".to_owned()),
            ("soviet".into(), "soviets".into()),
            ("dotp".into(), "proletarian dictatorship".into()),
        ]
    );
    let first = &found[0];
    let byte_start = input.find("Dual").unwrap();
    let utf16_start = input[..byte_start].encode_utf16().count() as u64;
    assert_eq!(first["start"].as_u64().unwrap(), utf16_start);
    assert_eq!(utf16_start, 18);
    assert_ne!(utf16_start, byte_start as u64);
    assert_ne!(utf16_start, input[..byte_start].chars().count() as u64);
}

#[test]
fn annotate_a_file() {
    let scratch = Scratch::new("annotate");
    let file = scratch.file(
        "page.txt",
        "Lenin’s State and Revolution on the withering away of the state.",
    );
    let output = glossa(
        &["annotate", "--glossary", &glossary_path(), "--json", &file],
        None,
    );
    let Value::Array(found) = json(&output) else {
        panic!("not an array");
    };
    let terms: Vec<&str> = found.iter().map(|a| a["term"].as_str().unwrap()).collect();
    assert_eq!(terms, ["lenin", "state-and-revolution", "withering-away"]);
    // Empty input: an empty array.
    let output = glossa(
        &["annotate", "--glossary", &glossary_path(), "--json", "-"],
        Some(b""),
    );
    assert_eq!(json(&output), Value::Array(vec![]));
}

#[test]
fn lookup_entries() {
    let rows: [(&str, &[&str], &str); 5] = [
        ("alias, any case", &["Proletarian", "Dictatorship"], "dotp"),
        ("inflected", &["Soviets"], "soviet"),
        ("misspelt", &["Blanqi"], "blanqui"),
        ("diacritics", &["place", "vendome"], "place-vendome"),
        (
            "term inside the selection",
            &["the Paris Commune of 1871"],
            "paris-commune",
        ),
    ];
    for (name, words, id) in rows {
        let mut args = vec!["lookup", "--glossary"];
        let glossary = glossary_path();
        args.push(&glossary);
        args.extend_from_slice(words);
        let entry = json(&glossa(&args, None));
        assert_eq!(entry["id"], id, "{name}");
        assert!(entry["definition"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(entry["term"].is_string() && entry["aliases"].is_array());
    }
}

#[test]
fn lookup_of_an_unknown_word_exits_1() {
    let output = glossa(&["lookup", "--glossary", &glossary_path(), "zzqx"], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("zzqx"), "{err}");
}

#[test]
fn help_and_version() {
    let output = glossa(&["--help"], None);
    assert_success(&output);
    assert!(stdout(&output).contains("glossa search INDEX QUERY"));
    let output = glossa(&["--version"], None);
    assert_success(&output);
    assert!(stdout(&output).starts_with("glossa "));
}

struct BadInput {
    name: &'static str,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// Every one of these is in the one line on stderr.
    expected: Vec<String>,
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let scratch = Scratch::new("bad");
    let index = scratch.demo_index();
    let good = std::fs::read(&index).unwrap();
    let mut flipped = good.clone();
    let at = flipped.len() - 5;
    flipped[at] ^= 0x20;
    let corrupt = scratch.file("corrupt.idx", &flipped);
    let truncated = scratch.file("truncated.idx", &good[..good.len() / 2]);
    let empty_index = scratch.file("empty.idx", b"");
    let not_index = scratch.file("notes.idx", "just some text");
    let malformed = scratch.file(
        "malformed.json",
        "{\"entries\": [\n  {\"term\": \"a\",}\n]}",
    );
    let empty_glossary = scratch.file("empty-glossary.json", "");
    let unknown_see_also = scratch.file(
        "see-also.json",
        r#"{"entries": [{"term": "dual power", "see_also": ["soviet"]}]}"#,
    );
    let duplicate_id = scratch.file(
        "duplicate.json",
        r#"[{"id": "x", "term": "a"}, {"id": "x", "term": "b"}]"#,
    );
    let no_term = scratch.file("no-term.json", r#"[{"id": "x", "definition": "d"}]"#);
    let bad_link = scratch.file(
        "link.json",
        r#"[{"term": "x", "link": "javascript:alert(1)"}]"#,
    );
    let typo_field = scratch.file("typo.json", r#"[{"term": "x", "defintion": "d"}]"#);
    let same_name = scratch.file("same.json", r#"[{"term": "soviet"}, {"term": "Soviets"}]"#);
    let french = scratch.file("fr.json", r#"{"language": "fr", "entries": []}"#);
    let latin1 = scratch.file("latin1.txt", b"Place Vend\xf4me\n");
    let latin1_json = scratch.file("latin1.json", b"{\"id\": \"x\", \"title\": \"Vend\xf4me\"}");
    let bad_article = scratch.file("article.json", "{\"id\": \"x\", \"passages\": [\"a\"");
    let no_id = scratch.file("no-id.json", r#"{"title": "Untitled", "passages": ["a"]}"#);
    let wrong_type = scratch.file("wrong.json", r#"{"id": "x", "passages": "one string"}"#);
    let both = scratch.file(
        "both.json",
        r#"{"id": "x", "passages": ["a"], "text": "b"}"#,
    );
    let twice = scratch.file(
        "twice.json",
        r#"{"id": "morning-star-lenin", "text": "again"}"#,
    );
    let csv = scratch.file("table.csv", "a,b\n1,2\n");
    let bad_skip = scratch.file(
        "bad-skip.html",
        "<glossa-reader skip=\"p:::x\"><p>soviet</p></glossa-reader>",
    );
    let no_posts = scratch.path("no-posts");
    std::fs::create_dir_all(&no_posts).unwrap();
    std::fs::write(format!("{no_posts}/notes.csv"), "a,b").unwrap();
    let missing = scratch.path("missing.json");
    let missing_index = scratch.path("missing.idx");
    let out = scratch.path("out.idx");
    let nowhere = scratch.path("no/such/dir/out.idx");
    let dir = scratch.0.to_str().unwrap().to_owned();
    let glossary = glossary_path();
    let article = article_paths()[0].clone();

    let s = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_string()).collect() };
    let rows = vec![
        BadInput {
            name: "missing article file",
            args: s(&["index", "-o", &out, &missing]),
            stdin: None,
            expected: s(&[&missing]),
        },
        BadInput {
            name: "missing glossary",
            args: s(&["annotate", "--glossary", &missing, "-"]),
            stdin: Some(b"text".to_vec()),
            expected: s(&[&missing]),
        },
        BadInput {
            name: "missing index",
            args: s(&["search", &missing_index, "soviet"]),
            stdin: None,
            expected: s(&[&missing_index]),
        },
        BadInput {
            name: "directory for a file",
            args: s(&["annotate", "--glossary", &glossary, &dir]),
            stdin: None,
            expected: s(&[&dir, "directory"]),
        },
        BadInput {
            name: "malformed glossary JSON",
            args: s(&["lookup", "--glossary", &malformed, "a"]),
            stdin: None,
            expected: s(&[&malformed, "not valid JSON", "line 2"]),
        },
        BadInput {
            name: "empty glossary file",
            args: s(&["annotate", "--glossary", &empty_glossary, "-"]),
            stdin: Some(b"x".to_vec()),
            expected: s(&[&empty_glossary, "not valid JSON"]),
        },
        BadInput {
            name: "see_also names an unknown id",
            args: s(&["annotate", "--glossary", &unknown_see_also, "-"]),
            stdin: Some(b"x".to_vec()),
            expected: s(&[&unknown_see_also, "entry 1", "dual power", "\"soviet\""]),
        },
        BadInput {
            name: "duplicate id",
            args: s(&["lookup", "--glossary", &duplicate_id, "a"]),
            stdin: None,
            expected: s(&[&duplicate_id, "both have id \"x\""]),
        },
        BadInput {
            name: "entry without a term",
            args: s(&["lookup", "--glossary", &no_term, "a"]),
            stdin: None,
            expected: s(&[&no_term, "entry 1", "missing \"term\""]),
        },
        BadInput {
            name: "link that is not http",
            args: s(&["lookup", "--glossary", &bad_link, "x"]),
            stdin: None,
            expected: s(&[&bad_link, "http"]),
        },
        BadInput {
            name: "misspelt field",
            args: s(&["lookup", "--glossary", &typo_field, "x"]),
            stdin: None,
            expected: s(&[&typo_field, "\"defintion\"", "\"definition\""]),
        },
        BadInput {
            name: "two entries claim one name",
            args: s(&["lookup", "--glossary", &same_name, "x"]),
            stdin: None,
            expected: s(&[&same_name, "both claim"]),
        },
        BadInput {
            name: "glossary in another language than the index",
            args: s(&[
                "index",
                "-o",
                &out,
                "--language",
                "en",
                "--glossary",
                &french,
                &article,
            ]),
            stdin: None,
            expected: s(&[&french, "language"]),
        },
        BadInput {
            name: "unsupported language",
            args: s(&["index", "-o", &out, "--language", "klingon", &article]),
            stdin: None,
            expected: s(&["\"klingon\"", "unsupported language"]),
        },
        BadInput {
            name: "corrupt index",
            args: s(&["search", &corrupt, "soviet"]),
            stdin: None,
            expected: s(&[&corrupt, "checksum"]),
        },
        BadInput {
            name: "truncated index",
            args: s(&["search", &truncated, "soviet"]),
            stdin: None,
            expected: s(&[&truncated, "truncated"]),
        },
        BadInput {
            name: "empty index file",
            args: s(&["search", &empty_index, "soviet"]),
            stdin: None,
            expected: s(&[&empty_index, "not a glossa index"]),
        },
        BadInput {
            name: "not an index",
            args: s(&["search", &not_index, "soviet"]),
            stdin: None,
            expected: s(&[&not_index, "not a glossa index"]),
        },
        BadInput {
            name: "unknown option",
            args: s(&["search", &index, "soviet", "--bogus"]),
            stdin: None,
            expected: s(&["--bogus"]),
        },
        BadInput {
            name: "unknown short option",
            args: s(&["annotate", "--glossary", &glossary, "-x", "-"]),
            stdin: Some(b"x".to_vec()),
            expected: s(&["-x"]),
        },
        BadInput {
            name: "limit that is not a number",
            args: s(&["search", &index, "soviet", "--limit", "ten"]),
            stdin: None,
            expected: s(&["--limit", "ten"]),
        },
        BadInput {
            name: "option without its value",
            args: s(&["search", &index, "soviet", "--limit"]),
            stdin: None,
            expected: s(&["--limit"]),
        },
        BadInput {
            name: "search without a query",
            args: s(&["search", &index]),
            stdin: None,
            expected: s(&["QUERY"]),
        },
        BadInput {
            name: "index without output",
            args: s(&["index", &article]),
            stdin: None,
            expected: s(&["-o"]),
        },
        BadInput {
            name: "output in a missing directory",
            args: s(&["index", "-o", &nowhere, &article]),
            stdin: None,
            expected: s(&[&nowhere]),
        },
        BadInput {
            name: "non-UTF-8 text to annotate",
            args: s(&["annotate", "--glossary", &glossary, &latin1]),
            stdin: None,
            expected: s(&[&latin1, "UTF-8"]),
        },
        BadInput {
            name: "non-UTF-8 standard input",
            args: s(&["annotate", "--glossary", &glossary, "-"]),
            stdin: Some(b"Vend\xf4me".to_vec()),
            expected: s(&["standard input", "UTF-8"]),
        },
        BadInput {
            name: "non-UTF-8 article text file",
            args: s(&["index", "-o", &out, &latin1]),
            stdin: None,
            expected: s(&[&latin1, "UTF-8"]),
        },
        BadInput {
            name: "non-UTF-8 article JSON",
            args: s(&["index", "-o", &out, &latin1_json]),
            stdin: None,
            expected: s(&[&latin1_json, "UTF-8"]),
        },
        BadInput {
            name: "malformed article JSON",
            args: s(&["index", "-o", &out, &bad_article]),
            stdin: None,
            expected: s(&[&bad_article, "not valid JSON"]),
        },
        BadInput {
            name: "article without an id",
            args: s(&["index", "-o", &out, &no_id]),
            stdin: None,
            expected: s(&[&no_id, "id"]),
        },
        BadInput {
            name: "article field of the wrong type",
            args: s(&["index", "-o", &out, &wrong_type]),
            stdin: None,
            expected: s(&[
                &wrong_type,
                "article \"x\"",
                "\"passages\" must be an array of strings",
            ]),
        },
        BadInput {
            name: "article with passages and text",
            args: s(&["index", "-o", &out, &both]),
            stdin: None,
            expected: s(&[&both, "not both"]),
        },
        BadInput {
            name: "the same article twice",
            args: s(&["index", "-o", &out, &article, &twice]),
            stdin: None,
            expected: s(&[&twice, "already in the index"]),
        },
        BadInput {
            name: "unknown article format",
            args: s(&["index", "-o", &out, &csv]),
            stdin: None,
            expected: s(&[&csv, "unknown article format"]),
        },
        BadInput {
            name: "a folder with no posts",
            args: s(&["index", "-o", &out, &no_posts]),
            stdin: None,
            expected: s(&[&no_posts, "no .html, .htm, .md, .markdown files"]),
        },
        BadInput {
            name: "a page outside the site root",
            args: s(&["index", "-o", &out, "--site-root", &no_posts, &article]),
            stdin: None,
            expected: s(&[&article, "not inside the site root"]),
        },
        BadInput {
            name: "a base URL that is not http(s)",
            args: s(&["index", "-o", &out, "--base-url", "ftp://x", &article]),
            stdin: None,
            expected: s(&["--base-url", "ftp://x", "http"]),
        },
        BadInput {
            name: "a reader's skip that is not a selector",
            args: s(&["index", "-o", &out, &bad_skip]),
            stdin: None,
            expected: s(&[&bad_skip, "p:::x", "selector"]),
        },
        BadInput {
            name: "annotate --html without a destination",
            args: s(&["annotate", "--html", "--glossary", &glossary, &bad_skip]),
            stdin: None,
            expected: s(&["-o DIR", "--in-place"]),
        },
        BadInput {
            name: "annotate --html with two destinations",
            args: s(&[
                "annotate",
                "--html",
                "--glossary",
                &glossary,
                "-o",
                &dir,
                "--in-place",
                &bad_skip,
            ]),
            stdin: None,
            expected: s(&["not both"]),
        },
        BadInput {
            name: "unknown command",
            args: s(&["serve"]),
            stdin: None,
            expected: s(&["serve"]),
        },
        BadInput {
            name: "no command",
            args: vec![],
            stdin: None,
            expected: s(&["no command"]),
        },
    ];
    for row in rows {
        let output = glossa(&row.args, row.stdin.as_deref());
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{}: {err}", row.name);
        assert!(!err.contains("panicked"), "{}: {err}", row.name);
        assert_eq!(err.lines().count(), 1, "{}: {err:?}", row.name);
        assert!(err.starts_with("glossa: "), "{}: {err}", row.name);
        for part in &row.expected {
            assert!(
                err.contains(part.as_str()),
                "{}: {part:?} not in {err:?}",
                row.name
            );
        }
        assert!(output.stdout.is_empty(), "{}: wrote to stdout", row.name);
    }
    // A failed index run leaves no output file behind.
    assert!(!Path::new(&out).exists());
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_are_bad_input() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let name = OsString::from_vec(b"/tmp/glossa-no-such-\xff.txt".to_vec());
    let glossary = OsString::from(glossary_path());
    let args = [
        OsString::from("annotate"),
        "--glossary".into(),
        glossary,
        name,
    ];
    let output = glossa(&args, None);
    let err = stderr(&output);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_query_may_start_with_a_minus() {
    let scratch = Scratch::new("minus");
    let index = scratch.demo_index();
    let hits = search_json(&index, "-\"dual power\" soviets", &[]);
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| !h["text"].as_str().unwrap().contains("dual power")));
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_is_an_error() {
    let scratch = Scratch::new("full");
    let index = scratch.demo_index();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_glossa"))
        .args(["search", &index, "soviets"])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("standard output"));
}

#[test]
fn markdown_links_and_windows_line_ends() {
    let scratch = Scratch::new("links");
    let md = scratch.file(
        "links.md",
        "# Notes\r\n\r\nWow![x. See [a] and [b](u), ![alt](i.png) and snake_case.\r\n",
    );
    let txt = scratch.file("crlf.txt", "A title\r\n\r\nThe soviets met.\r\n");
    let out = scratch.path("links.idx");
    assert_success(&glossa(&["index", "-o", &out, &md, &txt], None));
    let links = search_json(&out, "wow", &[]);
    assert_eq!(
        links[0]["text"],
        "Wow![x. See [a] and b, alt and snake_case."
    );
    assert_eq!(links[0]["title"], "Notes");
    let crlf = search_json(&out, "soviets", &[]);
    assert_eq!(crlf[0]["title"], "A title");
}

#[test]
fn a_built_site_is_indexed_with_its_urls_and_marked_at_build_time() {
    let scratch = Scratch::new("site");
    let page = |title: &str, body: &str| {
        format!(
            "<!doctype html><html><head><title>{title} | Blog</title></head><body>\
             <nav><p>Home</p></nav><glossa-reader><article><h1>{title}</h1>{body}</article></glossa-reader>\
             <aside class=\"subscribe\"><p>Subscribe to read about the Paris Commune</p></aside></body></html>"
        )
    };
    std::fs::create_dir_all(scratch.path("site/posts/commune")).unwrap();
    std::fs::create_dir_all(scratch.path("site/posts/soviets")).unwrap();
    scratch.file(
        "site/posts/commune/index.html",
        page(
            "The Commune",
            "<p>The Paris Commune of 1871.</p><p><code>Paris Commune</code> in code.</p>",
        ),
    );
    scratch.file(
        "site/posts/soviets/index.html",
        page("Soviets", "<p>The soviets &amp; dual power in 1917.</p>"),
    );
    scratch.file(
        "site/index.html",
        "<main><h1>Home</h1><p>Welcome.</p></main>",
    );
    let out = scratch.path("site.idx");
    let site = scratch.path("site");
    let posts = scratch.path("site/posts");
    let output = glossa(
        &[
            "index",
            "-o",
            &out,
            "--glossary",
            &glossary_path(),
            "--site-root",
            &site,
            &posts,
        ],
        None,
    );
    assert_success(&output);
    assert!(
        stderr(&output).contains("indexed 2 articles from 2 files, 3 passages"),
        "{}",
        stderr(&output)
    );

    let hits = search_json(&out, "dual power", &[]);
    assert_eq!(hits[0]["article"], "/posts/soviets/#0");
    assert_eq!(hits[0]["url"], "/posts/soviets/");
    assert_eq!(hits[0]["title"], "Soviets");
    assert_eq!(hits[0]["text"], "The soviets & dual power in 1917.");
    let hits = search_json(&out, "subscribe", &[]);
    assert!(
        hits.is_empty(),
        "page chrome outside the reader is not indexed: {hits:?}"
    );

    let marked = scratch.path("marked");
    let output = glossa(
        &[
            "annotate",
            "--html",
            "--glossary",
            &glossary_path(),
            "-o",
            &marked,
            &posts,
        ],
        None,
    );
    assert_success(&output);
    assert_eq!(
        stderr(&output).trim(),
        "glossa: marked 3 terms in 2 of 2 pages"
    );
    let commune = std::fs::read_to_string(format!("{marked}/commune/index.html")).unwrap();
    assert!(commune.contains(
        "<p>The <glossa-term data-glossa-term=\"paris-commune\" tabindex=\"0\" role=\"button\" \
         aria-haspopup=\"dialog\" aria-expanded=\"false\">Paris Commune</glossa-term> of 1871.</p>"
    ), "{commune}");
    assert!(commune.contains("<code>Paris Commune</code>"), "{commune}");
    assert!(
        commune.contains("<p>Subscribe to read about the Paris Commune</p>"),
        "{commune}"
    );
    let soviets = std::fs::read_to_string(format!("{marked}/soviets/index.html")).unwrap();
    assert!(
        soviets.contains("</glossa-term> &amp; <glossa-term"),
        "references kept as written: {soviets}"
    );

    // Line ends are kept; the package folder copied into a site is not a post.
    scratch.file(
        "site/posts/crlf.html",
        "<glossa-reader>\r\n<p>The soviets.</p>\r\n</glossa-reader>\r\n",
    );
    std::fs::create_dir_all(scratch.path("site/posts/glossa")).unwrap();
    scratch.file("site/posts/glossa/package.json", "{}");
    scratch.file("site/posts/glossa/README.html", "<p>npm install glossa</p>");
    let output = glossa(
        &[
            "annotate",
            "--html",
            "--in-place",
            "--glossary",
            &glossary_path(),
            &posts,
        ],
        None,
    );
    assert_success(&output);
    assert!(
        stderr(&output).contains("of 3 pages"),
        "{}",
        stderr(&output)
    );
    let crlf = std::fs::read_to_string(scratch.path("site/posts/crlf.html")).unwrap();
    assert!(
        crlf.starts_with("<glossa-reader>\r\n<p>The <glossa-term")
            && crlf.ends_with("</p>\r\n</glossa-reader>\r\n"),
        "{crlf}"
    );

    // In place, twice: the second run finds the marks and changes nothing.
    let output = glossa(
        &[
            "annotate",
            "--html",
            "--in-place",
            "--glossary",
            &glossary_path(),
            &marked,
        ],
        None,
    );
    assert_success(&output);
    assert!(
        stderr(&output).contains("marked 0 terms in 0 of 2 pages (2 already marked"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(format!("{marked}/commune/index.html")).unwrap(),
        commune
    );
}
