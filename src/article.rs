//! Articles as the index takes them, and their division into passages.

use crate::error::Error;
use serde::Deserialize;
use unicode_segmentation::UnicodeSegmentation;

/// Paragraphs longer than this many words are split at sentence boundaries.
const LONG_PASSAGE_WORDS: usize = 150;
/// A split passage is closed once it has this many words and the next sentence would take
/// it over [`MAX_PASSAGE_WORDS`].
const MIN_PASSAGE_WORDS: usize = 60;
/// A sentence longer than this is itself cut at word boundaries.
const MAX_PASSAGE_WORDS: usize = 120;
/// The size split passages aim for.
const TARGET_PASSAGE_WORDS: usize = 100;

/// An article: `{id, title, url?, byline?, passages: [text, ...]}`, or `text` in place of
/// `passages`, split on blank lines. Other fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Article {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub byline: Option<String>,
    #[serde(default)]
    pub passages: Option<Vec<String>>,
    #[serde(default)]
    pub text: Option<String>,
}

impl Article {
    /// An article from parsed JSON, with errors naming the field.
    pub fn from_json_value(value: serde_json::Value) -> Result<Article, Error> {
        let id = value.get("id").and_then(|v| v.as_str()).map(str::to_owned);
        serde_json::from_value(value).map_err(|e| {
            let which = id.map_or_else(|| "article".to_owned(), |id| format!("article {id:?}"));
            Error::article(format!("{which}: {e}"))
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
                return Err(Error::article(format!(
                    "article {:?}: give either \"passages\" or \"text\", not both",
                    self.id
                )))
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

fn split_long(paragraph: &str, out: &mut Vec<String>) {
    if paragraph.is_empty() {
        return;
    }
    if paragraph
        .split_whitespace()
        .nth(LONG_PASSAGE_WORDS)
        .is_none()
    {
        out.push(paragraph.to_owned());
        return;
    }
    // Aim for passages of equal size, so the last one is not a stub.
    let total = paragraph.split_whitespace().count();
    let target = total.div_ceil(total.div_ceil(TARGET_PASSAGE_WORDS));
    let mut current = String::new();
    let mut current_words = 0;
    for sentence in paragraph.split_sentence_bounds() {
        let words = sentence.split_whitespace().count();
        let full = current_words >= target
            || (current_words >= MIN_PASSAGE_WORDS && current_words + words > MAX_PASSAGE_WORDS);
        if full {
            push_trimmed(&mut current, out);
            current_words = 0;
        }
        if words > MAX_PASSAGE_WORDS {
            // A run-on "sentence" (a list, or text without stops): cut it by words.
            for word in sentence.split_inclusive(char::is_whitespace) {
                if current_words >= MAX_PASSAGE_WORDS && !word.trim().is_empty() {
                    push_trimmed(&mut current, out);
                    current_words = 0;
                }
                current.push_str(word);
                current_words += usize::from(!word.trim().is_empty());
            }
        } else {
            current.push_str(sentence);
            current_words += words;
        }
    }
    push_trimmed(&mut current, out);
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
            assert!(
                (MIN_PASSAGE_WORDS..=MAX_PASSAGE_WORDS).contains(&words),
                "{words}"
            );
            assert!(p.ends_with('.'));
        }
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
            .starts_with("article \"x\": invalid type"));
    }
}
