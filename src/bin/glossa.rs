//! The `glossa` command: prebuild a search index for a static site, search it, annotate text
//! with a glossary, look up a term. Bad input exits with status 2 and one line on stderr.

use glossa::{Article, Glossary, Index, Language, SearchOptions};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  glossa index -o OUT [--glossary G.json] [--language CODE] FILES...
  glossa search INDEX QUERY [--limit N] [--json]     (a QUERY may start with -: -\"dual power\" soviets)
  glossa annotate --glossary G.json [--json] FILE|-
  glossa lookup --glossary G.json WORDS...

FILES are article .json files (one article or an array of them), or .md / .txt files
(one article each). Offsets in JSON output are UTF-16 code units, as the DOM counts.";

/// A failure to report: the message, and the exit status (2 for bad input, 1 for "not found").
struct Failure(String, u8);

fn bad(message: impl Into<String>) -> Failure {
    Failure(message.into(), 2)
}

fn main() -> ExitCode {
    // A bug must still end in one line, not a panic message and backtrace.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "glossa: internal error{place}, please report it: {}",
            message.replace('\n', " ")
        );
        std::process::exit(2);
    }));
    let args: Result<Vec<String>, Failure> = std::env::args_os()
        .skip(1)
        .enumerate()
        .map(|(i, arg)| {
            arg.into_string().map_err(|raw| {
                bad(format!(
                    "argument {} ({}) is not valid UTF-8",
                    i + 1,
                    raw.to_string_lossy()
                ))
            })
        })
        .collect();
    match args.and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, code)) => {
            eprintln!("glossa: {}", message.replace('\n', " "));
            ExitCode::from(code)
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some((command, rest)) = args.split_first() else {
        return Err(bad(format!("no command given\n{USAGE}")));
    };
    match command.as_str() {
        "index" => index(rest),
        "search" => search(rest),
        "annotate" => annotate(rest),
        "lookup" => lookup(rest),
        "-h" | "--help" | "help" => print(&format!("{USAGE}\n")),
        "-V" | "--version" => print(&format!("glossa {}\n", env!("CARGO_PKG_VERSION"))),
        other => Err(bad(format!(
            "unknown command {other:?}; try `glossa --help`"
        ))),
    }
}

/// Options and positional arguments of one command.
struct Parsed {
    values: Vec<(&'static str, String)>,
    flags: Vec<&'static str>,
    positional: Vec<String>,
}

impl Parsed {
    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }
}

fn parse(
    args: &[String],
    with_value: &[&'static str],
    flags: &[&'static str],
) -> Result<Parsed, Failure> {
    parse_with(args, with_value, flags, false)
}

/// `dashes_are_positional`: an unknown argument starting with a single `-` is a positional
/// one (a search query such as `-"dual power" soviets`) rather than an unknown option.
fn parse_with(
    args: &[String],
    with_value: &[&'static str],
    flags: &[&'static str],
    dashes_are_positional: bool,
) -> Result<Parsed, Failure> {
    let mut parsed = Parsed {
        values: Vec::new(),
        flags: Vec::new(),
        positional: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(&name) = with_value.iter().find(|n| *n == arg) {
            let value = iter
                .next()
                .ok_or_else(|| bad(format!("{name} needs a value")))?;
            parsed.values.push((name, value.clone()));
        } else if let Some(&name) = flags.iter().find(|n| *n == arg) {
            parsed.flags.push(name);
        } else if arg == "--" {
            parsed.positional.extend(iter.by_ref().cloned());
        } else if arg.starts_with("--")
            || (!dashes_are_positional && arg.starts_with('-') && arg.len() > 1)
        {
            return Err(bad(format!("unknown option {arg:?}; try `glossa --help`")));
        } else {
            parsed.positional.push(arg.clone());
        }
    }
    Ok(parsed)
}

fn read_text(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| bad(format!("standard input: {e}")))?;
    } else {
        if Path::new(path).is_dir() {
            return Err(bad(format!("{path}: is a directory, not a file")));
        }
        bytes = std::fs::read(path).map_err(|e| bad(format!("{path}: {e}")))?;
    }
    let name = if path == "-" { "standard input" } else { path };
    String::from_utf8(bytes)
        .map(|text| {
            if text.contains('\r') {
                text.replace("\r\n", "\n")
            } else {
                text
            }
        })
        .map_err(|e| {
            bad(format!(
                "{name}: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })
}

fn load_glossary(path: &str) -> Result<Glossary, Failure> {
    Glossary::from_json(&read_text(path)?).map_err(|e| bad(format!("{path}: {e}")))
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Writes to stdout. A reader that closed the pipe early (`glossa search … | head`) is fine;
/// any other failure (a full disk) is reported.
fn print(s: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(bad(format!("standard output: {e}")))
        }
        _ => Ok(()),
    }
}

fn index(args: &[String]) -> Result<(), Failure> {
    let parsed = parse(args, &["-o", "--output", "--glossary", "--language"], &[])?;
    let out = parsed
        .value("-o")
        .or(parsed.value("--output"))
        .ok_or_else(|| bad("index needs -o OUT"))?;
    if parsed.positional.is_empty() {
        return Err(bad("index needs at least one article file"));
    }
    let glossary = parsed.value("--glossary").map(load_glossary).transpose()?;
    let language = match (parsed.value("--language"), &glossary) {
        (Some(code), _) => Language::from_code(code).map_err(|e| bad(e.to_string()))?,
        (None, Some(g)) => g.language(),
        (None, None) => Language::ENGLISH,
    };
    let mut index = Index::new(language);
    if let (Some(g), Some(path)) = (glossary, parsed.value("--glossary")) {
        index
            .set_glossary(g)
            .map_err(|e| bad(format!("{path}: {e}")))?;
    }
    for path in &parsed.positional {
        for article in read_articles(path)? {
            index
                .add_article(&article)
                .map_err(|e| bad(format!("{path}: {e}")))?;
        }
    }
    let bytes = index.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| bad(format!("{out}: {e}")))?;
    eprintln!(
        "glossa: indexed {} articles, {} passages into {out} ({} bytes)",
        index.article_count(),
        index.passage_count(),
        bytes.len()
    );
    Ok(())
}

fn read_articles(path: &str) -> Result<Vec<Article>, Failure> {
    let text = read_text(path)?;
    let extension = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let stem = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("article")
        .to_owned();
    match extension.as_str() {
        "json" => {
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| bad(format!("{path}: not valid JSON: {e}")))?;
            let values = match value {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            values
                .into_iter()
                .map(|v| Article::from_json_value(v).map_err(|e| bad(format!("{path}: {e}"))))
                .collect()
        }
        "md" | "markdown" => Ok(vec![markdown_article(&stem, &text)]),
        "txt" | "text" => {
            let mut article = Article {
                id: stem.clone(),
                title: stem,
                text: Some(text),
                ..Article::default()
            };
            // A first line followed by a blank line is the title.
            if let Some(body) = article.text.as_deref() {
                if let Some((first, rest)) = body.split_once("\n\n") {
                    if !first.trim().is_empty() && !first.contains('\n') && first.len() < 200 {
                        article.title = first.trim().to_owned();
                        article.text = Some(rest.to_owned());
                    }
                }
            }
            Ok(vec![article])
        }
        _ => Err(bad(format!(
            "{path}: unknown article format (expected .json, .md or .txt)"
        ))),
    }
}

/// A Markdown post: front matter (`title`, `url` or `permalink`, `author`) if any, the first
/// `# ` heading as the title otherwise, and the body with Markdown syntax removed.
fn markdown_article(stem: &str, text: &str) -> Article {
    let mut article = Article {
        id: stem.to_owned(),
        title: stem.to_owned(),
        ..Article::default()
    };
    let mut body = text;
    let mut titled = false;
    if let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    {
        if let Some(end) = rest.find("\n---") {
            for line in rest[..end].lines() {
                let Some((key, value)) = line.split_once(':') else {
                    continue;
                };
                let value = value.trim().trim_matches(['"', '\'']).to_owned();
                match key.trim() {
                    "title" => {
                        article.title = value;
                        titled = true;
                    }
                    "url" | "permalink" => article.url = Some(value),
                    "author" | "byline" => article.byline = Some(value),
                    _ => {}
                }
            }
            body = rest[end + 4..].trim_start_matches(['-', '\r', '\n']);
        }
    }
    let mut lines = Vec::new();
    let mut in_code = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            lines.push(line.to_owned());
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix("# ") {
            if !titled {
                article.title = strip_inline(heading.trim());
                titled = true;
                continue;
            }
        }
        let content = trimmed
            .trim_start_matches('#')
            .trim_start_matches('>')
            .trim_start();
        let content = content
            .strip_prefix("- ")
            .or_else(|| content.strip_prefix("* "))
            .or_else(|| content.strip_prefix("+ "))
            .unwrap_or(content);
        lines.push(strip_inline(content));
    }
    article.text = Some(lines.join("\n"));
    article
}

/// Removes inline Markdown: `[text](url)` and `![alt](src)` become their text; emphasis
/// (`*`, `**`, `_`, `__` at a word's edge) and code markers go. Underscores inside a word
/// (`snake_case`) stay.
fn strip_inline(line: &str) -> String {
    let mut linked = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        // A link is `[text](url)` with no bracket inside the text.
        let link = after
            .find(['[', ']'])
            .filter(|&close| after[close..].starts_with("]("))
            .and_then(|close| after[close..].find(')').map(|end| (close, close + end)));
        match link {
            Some((close, end)) => {
                let image = rest[..open].ends_with('!');
                linked.push_str(&rest[..if image { open - 1 } else { open }]);
                linked.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            None => {
                linked.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    linked.push_str(rest);
    let chars: Vec<char> = linked.chars().collect();
    let is_word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| match c {
            '`' | '*' => false,
            '_' => is_word(i.checked_sub(1)) && is_word(Some(i + 1)),
            _ => true,
        })
        .map(|(_, &c)| c)
        .collect()
}

fn search(args: &[String]) -> Result<(), Failure> {
    let parsed = parse_with(args, &["--limit", "-n"], &["--json"], true)?;
    let [path, query] = parsed.positional.as_slice() else {
        return Err(bad(
            "search needs INDEX and QUERY (quote a query of several words)",
        ));
    };
    let limit = match parsed.value("--limit").or(parsed.value("-n")) {
        Some(n) => n
            .parse()
            .map_err(|_| bad(format!("--limit {n:?} is not a whole number")))?,
        None => 10,
    };
    let bytes = std::fs::read(path).map_err(|e| bad(format!("{path}: {e}")))?;
    let index = Index::from_bytes(&bytes).map_err(|e| bad(format!("{path}: {e}")))?;
    let hits = index.search(query, &SearchOptions { limit });
    if parsed.flag("--json") {
        return print(&format!("{}\n", to_json(&hits)));
    }
    let mut out = String::new();
    if hits.is_empty() {
        out.push_str("no passages found\n");
    }
    for (rank, hit) in hits.iter().enumerate() {
        out.push_str(&format!(
            "{}. {} #{} ({:.3}) {}\n   {}\n",
            rank + 1,
            hit.article,
            hit.passage,
            hit.score,
            hit.title,
            bracket(&hit.snippet, &hit.highlights)
        ));
    }
    print(&out)
}

/// The text with each highlighted UTF-16 range wrapped in `[` `]`, for the terminal.
fn bracket(text: &str, spans: &[glossa::Span]) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = Vec::with_capacity(units.len() + spans.len() * 2);
    let mut at = 0usize;
    for span in spans {
        let (s, e) = (span.start as usize, span.end as usize);
        if s < at || e > units.len() {
            continue;
        }
        out.extend_from_slice(&units[at..s]);
        out.push(u16::from(b'['));
        out.extend_from_slice(&units[s..e]);
        out.push(u16::from(b']'));
        at = e;
    }
    out.extend_from_slice(&units[at.min(units.len())..]);
    String::from_utf16_lossy(&out)
}

fn annotate(args: &[String]) -> Result<(), Failure> {
    let parsed = parse(args, &["--glossary"], &["--json"])?;
    let glossary_path = parsed
        .value("--glossary")
        .ok_or_else(|| bad("annotate needs --glossary G.json"))?;
    let [input] = parsed.positional.as_slice() else {
        return Err(bad("annotate needs one FILE, or - for standard input"));
    };
    let glossary = load_glossary(glossary_path)?;
    let text = read_text(input)?;
    let annotations = glossary.annotations(&text);
    if parsed.flag("--json") {
        print(&format!("{}\n", to_json(&annotations)))
    } else {
        let lines: String = annotations
            .iter()
            .map(|a| format!("{}-{}\t{}\t{}\n", a.start, a.end, a.term, a.text))
            .collect();
        print(&lines)
    }
}

fn lookup(args: &[String]) -> Result<(), Failure> {
    let parsed = parse(args, &["--glossary"], &[])?;
    let path = parsed
        .value("--glossary")
        .ok_or_else(|| bad("lookup needs --glossary G.json"))?;
    if parsed.positional.is_empty() {
        return Err(bad("lookup needs the words to look up"));
    }
    let glossary = load_glossary(path)?;
    let words = parsed.positional.join(" ");
    match glossary.lookup(&words) {
        Some(entry) => print(&format!("{}\n", to_json(entry))),
        None => Err(Failure(format!("no glossary entry for {words:?}"), 1)),
    }
}
