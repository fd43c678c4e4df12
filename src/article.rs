//! Articles as the index takes them, and their division into passages.

use crate::error::Error;
use crate::tokenize::is_lowercase;
use crate::value::{quoted, FieldError, Value};

/// Paragraphs longer than this many words are split at sentence boundaries.
const LONG_PASSAGE_WORDS: usize = 150;
/// No split passage is longer; a sentence longer than this is itself cut at word boundaries.
const MAX_PASSAGE_WORDS: usize = 120;
/// The size split passages aim for.
const TARGET_PASSAGE_WORDS: usize = 100;

/// An article: `{id, title, url?, byline?, passages: [text, ...]}`, or `text` in place of
/// `passages`, split on blank lines. Other fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub byline: Option<String>,
    pub passages: Option<Vec<String>>,
    pub text: Option<String>,
}

impl Article {
    /// An article from parsed JSON, with errors naming the field.
    pub fn from_json_value(value: serde_json::Value) -> Result<Article, Error> {
        let value =
            Value::from_serde(value).map_err(|e| Error::article(["article: ", &e].concat()))?;
        Article::from_value(&value)
    }

    pub(crate) fn from_value(value: &Value) -> Result<Article, Error> {
        if !matches!(value, Value::Object(_)) {
            return Err(Error::article("article: must be a JSON object"));
        }
        let id = value.get("id").and_then(Value::as_str);
        let wrong = |e: FieldError| {
            let which = id.map_or_else(
                || "article".to_owned(),
                |id| ["article ", &quoted(id)].concat(),
            );
            Error::article([&which, ": ", &e.message()].concat())
        };
        let string = |key: &str| -> Result<Option<String>, Error> {
            Ok(value.string_field(key).map_err(wrong)?.map(str::to_owned))
        };
        Ok(Article {
            id: string("id")?.ok_or_else(|| Error::article("article has no \"id\""))?,
            title: string("title")?.unwrap_or_default(),
            url: string("url")?,
            byline: string("byline")?,
            passages: value
                .strings_field("passages")
                .map_err(wrong)?
                .map(|p| p.into_iter().map(str::to_owned).collect()),
            text: string("text")?,
        })
    }

    /// Checks the article and returns its passages: paragraphs, with over-long ones split at
    /// sentence boundaries, and blank ones dropped.
    pub(crate) fn validated_passages(&self) -> Result<Vec<String>, Error> {
        if self.id.trim().is_empty() {
            return Err(Error::article("article has an empty \"id\""));
        }
        let paragraphs: Vec<&str> = match (&self.passages, &self.text) {
            (Some(_), Some(_)) => {
                return Err(Error::article(
                    [
                        "article ",
                        &quoted(&self.id),
                        ": give either \"passages\" or \"text\", not both",
                    ]
                    .concat(),
                ))
            }
            (Some(passages), None) => passages.iter().map(String::as_str).collect(),
            (None, Some(text)) => split_paragraphs(text),
            (None, None) => Vec::new(),
        };
        let mut out = Vec::with_capacity(paragraphs.len());
        for paragraph in paragraphs {
            split_long(paragraph.trim(), &mut out);
        }
        Ok(out)
    }
}

/// Paragraphs of plain text: runs of lines separated by blank lines.
pub(crate) fn split_paragraphs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(&text[s..end]);
            }
        } else {
            start.get_or_insert(offset);
            end = offset + line.len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(&text[s..end]);
    }
    out
}

/// Whether `text` has more than `n` whitespace-separated words. Every passage of every article
/// is asked this: its plain ASCII part is scanned a byte at a time, and only from a word with
/// a non-ASCII character on, a character at a time (`split_whitespace` throughout was 5% of
/// indexing in the browser's profile).
fn more_words_than(text: &str, n: usize) -> bool {
    let mut words = 0;
    let mut after_space = true;
    let mut word_start = 0;
    for (i, &byte) in text.as_bytes().iter().enumerate() {
        if !byte.is_ascii() {
            // Unicode has spaces of its own: count on by characters, from the start of the
            // word this byte belongs to (both offsets follow ASCII bytes: char boundaries).
            let from = if after_space { i } else { word_start };
            let counted = words - usize::from(!after_space);
            return text
                .get(from..)
                .is_some_and(|rest| rest.split_whitespace().nth(n - counted).is_some());
        }
        // The ASCII characters `char::is_whitespace` takes: space, and tab to carriage return.
        let space = matches!(byte, b' ' | b'\t'..=b'\r');
        if after_space && !space {
            words += 1;
            word_start = i;
            if words > n {
                return true;
            }
        }
        after_space = space;
    }
    false
}

fn split_long(paragraph: &str, out: &mut Vec<String>) {
    if paragraph.is_empty() {
        return;
    }
    if !more_words_than(paragraph, LONG_PASSAGE_WORDS) {
        out.push(paragraph.to_owned());
        return;
    }
    // Units are sentences; a run-on "sentence" (a list, text without stops) longer than a
    // passage is first cut into equal runs of words.
    let mut units: Vec<(String, usize)> = Vec::new();
    for sentence in sentences(paragraph) {
        let words = sentence.split_whitespace().count();
        if words <= MAX_PASSAGE_WORDS {
            units.push((sentence.to_owned(), words));
            continue;
        }
        let per_piece = words.div_ceil(words.div_ceil(TARGET_PASSAGE_WORDS));
        let (mut piece, mut piece_words) = (String::new(), 0);
        for word in sentence.split_inclusive(char::is_whitespace) {
            let is_word = !word.trim().is_empty();
            if is_word && piece_words == per_piece {
                units.push((std::mem::take(&mut piece), piece_words));
                piece_words = 0;
            }
            piece.push_str(word);
            piece_words += usize::from(is_word);
        }
        units.push((piece, piece_words));
    }
    // Pack units into passages of about equal size, so the last one is not a stub, and never
    // over the maximum.
    let total: usize = units.iter().map(|u| u.1).sum();
    let target = total.div_ceil(total.div_ceil(TARGET_PASSAGE_WORDS));
    let mut current = String::new();
    let mut current_words = 0;
    for (unit, words) in units {
        if current_words > 0
            && (current_words >= target || current_words + words > MAX_PASSAGE_WORDS)
        {
            push_trimmed(&mut current, out);
            current_words = 0;
        }
        current.push_str(&unit);
        current_words += words;
    }
    push_trimmed(&mut current, out);
}

/// The sentences of a paragraph, each with its trailing space. A sentence ends after `.`, `!`,
/// `?` or `…` (and any closing quotes or brackets) followed by white space and then anything
/// but a lower-case letter ("e.g. the" goes on), or right after an ideographic `。！？`.
/// This is the gist of UAX #29's sentence rules; the full rules' tables would cost the wasm
/// build a fifth of its size for a split that only over-long paragraphs need.
fn sentences(paragraph: &str) -> impl Iterator<Item = &str> {
    let mut rest = paragraph;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = sentence_end(rest);
        let (sentence, after) = rest.split_at(end);
        rest = after;
        Some(sentence)
    })
}

fn sentence_end(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '。' | '！' | '？') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, w)) = chars.peek() {
                if !w.is_whitespace() {
                    break;
                }
                end = j + w.len_utf8();
                chars.next();
            }
            return end;
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        while let Some(&(_, closer)) = chars.peek() {
            if !matches!(
                closer,
                '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | '»' | ')' | ']'
            ) {
                break;
            }
            chars.next();
        }
        let mut end = None;
        while let Some(&(j, w)) = chars.peek() {
            if !w.is_whitespace() {
                break;
            }
            end = Some(j + w.len_utf8());
            chars.next();
        }
        match (end, chars.peek()) {
            (Some(end), Some(&(_, next))) if !is_lowercase(next) => return end,
            (Some(end), None) => return end,
            _ => {}
        }
    }
    text.len()
}

fn push_trimmed(current: &mut String, out: &mut Vec<String>) {
    let trimmed = current.trim();
    if !trimmed.is_empty() {
        out.push(trimmed.to_owned());
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII scan counts words as `split_whitespace` does, every ASCII whitespace
    /// character included (vertical tab and form feed too), and non-ASCII text falls back.
    #[test]
    fn word_count_check_agrees_with_split_whitespace() {
        let texts = [
            "",
            " ",
            "one",
            " one two  three ",
            "a\tb\nc\rd\x0be\x0cf",
            "\x0b\x0c\r\n\t ",
            "one\u{a0}two three",
            "trailing\u{3000}",
            "x\x1fy",
            "one two\u{a0}three four",
            "ascii words then a curly ’quote’ and more words",
            "naïve café résumé",
            "a b c d e f g h i j",
        ];
        for text in texts {
            for n in 0..8 {
                assert_eq!(
                    more_words_than(text, n),
                    text.split_whitespace().nth(n).is_some(),
                    "{text:?} over {n}"
                );
            }
        }
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let text = "First line\nstill first.\n\n  \nSecond.\n\n\nThird";
        assert_eq!(
            split_paragraphs(text),
            ["First line\nstill first.\n", "Second.\n", "Third"]
        );
    }

    #[test]
    fn long_paragraphs_split_at_sentences() {
        let sentence = "The soviets met again in the capital to debate the question of power. ";
        let paragraph = sentence.repeat(30); // 13 words a sentence, 390 words
        let article = Article {
            id: "a".into(),
            passages: Some(vec![paragraph]),
            ..Article::default()
        };
        let passages = article.validated_passages().unwrap();
        assert!(passages.len() >= 4, "{}", passages.len());
        for p in &passages {
            let words = p.split_whitespace().count();
            assert!((60..=MAX_PASSAGE_WORDS).contains(&words), "{words}");
            assert!(p.ends_with('.'));
        }
    }

    #[test]
    fn uneven_sentences_never_make_an_over_long_passage() {
        let short = format!("{}.", "word ".repeat(49).trim_end());
        let long = format!("Then{}.", " term".repeat(108));
        let article = Article {
            id: "a".into(),
            passages: Some(vec![format!("{short} {long}")]),
            ..Article::default()
        };
        let sizes: Vec<usize> = article
            .validated_passages()
            .unwrap()
            .iter()
            .map(|p| p.split_whitespace().count())
            .collect();
        assert_eq!(sizes, [49, 109]);
    }

    #[test]
    fn run_on_text_is_cut_by_words() {
        let article = Article {
            id: "a".into(),
            text: Some("word ".repeat(1000)),
            ..Article::default()
        };
        let passages = article.validated_passages().unwrap();
        assert!(passages
            .iter()
            .all(|p| p.split_whitespace().count() <= MAX_PASSAGE_WORDS));
        assert_eq!(
            passages
                .iter()
                .map(|p| p.split_whitespace().count())
                .sum::<usize>(),
            1000
        );
    }

    #[test]
    fn invalid_articles_say_why() {
        let both = Article {
            id: "x".into(),
            passages: Some(vec![]),
            text: Some(String::new()),
            ..Article::default()
        };
        assert!(both
            .validated_passages()
            .unwrap_err()
            .to_string()
            .contains("not both"));
        let no_id = Article::default();
        assert!(no_id
            .validated_passages()
            .unwrap_err()
            .to_string()
            .contains("empty \"id\""));
        let wrong = Article::from_json_value(serde_json::json!({"id": "x", "passages": "text"}));
        assert!(wrong
            .unwrap_err()
            .to_string()
            .starts_with("article \"x\": \"passages\" must be an array of strings"));
    }

    #[test]
    fn sentences_end_where_a_reader_would_stop() {
        let rows: [(&str, &str, &[&str]); 7] = [
            ("plain", "One. Two! Three?", &["One. ", "Two! ", "Three?"]),
            (
                "closing quote",
                "He said “stop.” Then left.",
                &["He said “stop.” ", "Then left."],
            ),
            (
                "abbreviation before lower case",
                "See e.g. the text. Next.",
                &["See e.g. the text. ", "Next."],
            ),
            (
                "decimal",
                "It cost 3.50 pounds. Cheap.",
                &["It cost 3.50 pounds. ", "Cheap."],
            ),
            ("ellipsis", "Wait… What?", &["Wait… ", "What?"]),
            ("ideographic", "你好。再见。", &["你好。", "再见。"]),
            ("no stop", "no stop at all", &["no stop at all"]),
        ];
        for (name, input, expected) in rows {
            let got: Vec<&str> = sentences(input).collect();
            assert_eq!(got, expected, "{name}");
            assert_eq!(got.concat(), input, "{name}: sentences cover the text");
        }
    }
}
