//! The command line: arguments, the commands, and their output. Bad input exits with status 2
//! and one line on stderr.

use crate::html;
use crate::posts::{self, Progress};
use glossa::{Glossary, Index, Language, SearchOptions};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  glossa index -o OUT [--glossary G.json] [--language CODE] [--site-root DIR] [--base-url URL] PATHS...
  glossa annotate --glossary G.json --html (-o DIR | --in-place) PATHS...
  glossa annotate --glossary G.json [--json] FILE|-
  glossa search INDEX QUERY [--limit N] [--json]     (a QUERY may start with -: -\"dual power\" soviets)
  glossa lookup --glossary G.json WORDS...

index: PATHS are files or folders. A folder is read as a site: its built HTML pages (each
<glossa-reader> an article with the passages the widget gives it; a page without one, its main
content) and Markdown posts (front matter title, permalink or url), at the URL paths the site
serves them (posts/a/index.html is /posts/a/, relative to --site-root if given, else to the
folder named); --base-url makes those URLs absolute. Files may
also be article .json (one article or an array of them), .md, .txt or .html.
annotate --html: marks glossary terms in built pages as the widget would, into DIR (the same
relative paths) or in place; pages already marked are left as they are.
Offsets in JSON output are UTF-16 code units, as the DOM counts.";

/// A failure to report: the message, and the exit status (2 for bad input, 1 for "not found").
struct Failure(String, u8);

fn bad(message: impl Into<String>) -> Failure {
    Failure(message.into(), 2)
}

pub fn main() -> ExitCode {
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
    posts::read_text(path).map_err(bad)
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
    let parsed = parse(
        args,
        &[
            "-o",
            "--output",
            "--glossary",
            "--language",
            "--base-url",
            "--site-root",
        ],
        &[],
    )?;
    let out = parsed
        .value("-o")
        .or(parsed.value("--output"))
        .ok_or_else(|| bad("index needs -o OUT"))?;
    if parsed.positional.is_empty() {
        return Err(bad("index needs at least one article file or folder"));
    }
    let base_url = parsed.value("--base-url").unwrap_or("");
    if !(base_url.is_empty() || base_url.starts_with("http://") || base_url.starts_with("https://"))
    {
        return Err(bad(format!(
            "--base-url {base_url:?} must start with http:// or https://"
        )));
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
    let site_root = parsed.value("--site-root").map(Path::new);
    let sources =
        posts::sources(&parsed.positional, posts::POST_EXTENSIONS, site_root).map_err(bad)?;
    let mut progress = Progress::new("indexing", sources.len());
    let mut empty = Vec::new();
    for source in &sources {
        let articles = posts::read_articles(source, base_url).map_err(bad)?;
        let mut passages = 0;
        for article in &articles {
            passages += article.passages.as_ref().map_or(1, Vec::len);
            index
                .add_article(article)
                .map_err(|e| bad(format!("{}: {e}", source.path.display())))?;
        }
        if passages == 0 {
            empty.push(source.path.display().to_string());
        }
        progress.step();
    }
    progress.finish();
    let bytes = index.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| bad(format!("{out}: {e}")))?;
    eprintln!(
        "glossa: indexed {} articles from {} files, {} passages, into {out} ({} bytes)",
        index.article_count(),
        sources.len(),
        index.passage_count(),
        bytes.len()
    );
    if !empty.is_empty() {
        eprintln!(
            "glossa: {} files had no text to index: {}",
            empty.len(),
            empty.join(", ")
        );
    }
    Ok(())
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
    let parsed = parse(
        args,
        &["--glossary", "-o", "--output"],
        &["--json", "--html", "--in-place"],
    )?;
    let glossary_path = parsed
        .value("--glossary")
        .ok_or_else(|| bad("annotate needs --glossary G.json"))?;
    if parsed.flag("--html") {
        return annotate_pages(&parsed, glossary_path);
    }
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

/// `annotate --html`: marks terms in built pages, into a folder or in place.
fn annotate_pages(parsed: &Parsed, glossary_path: &str) -> Result<(), Failure> {
    let out_dir = parsed.value("-o").or(parsed.value("--output"));
    let in_place = parsed.flag("--in-place");
    let out_dir = match (out_dir, in_place) {
        (Some(_), true) => return Err(bad("annotate --html takes -o DIR or --in-place, not both")),
        (None, false) => {
            return Err(bad(
                "annotate --html needs -o DIR (marked copies) or --in-place",
            ))
        }
        (dir, _) => dir.map(Path::new),
    };
    if parsed.positional.is_empty() {
        return Err(bad("annotate --html needs the pages or folders to mark"));
    }
    let glossary = load_glossary(glossary_path)?;
    let sources = posts::sources(&parsed.positional, posts::PAGE_EXTENSIONS, None).map_err(bad)?;
    if let Some(dir) = out_dir {
        let mut targets = std::collections::HashMap::new();
        for source in &sources {
            if let Some(other) = targets.insert(dir.join(&source.relative), &source.path) {
                return Err(bad(format!(
                    "{} and {} would both be written to {}; mark one folder at a time",
                    other.display(),
                    source.path.display(),
                    dir.join(&source.relative).display()
                )));
            }
        }
    }
    let mut progress = Progress::new("marking", sources.len());
    let (mut marks, mut changed, mut already) = (0, 0, 0);
    for source in &sources {
        let shown = source.path.display();
        // Exactly as it is, line ends included: only marked text may change.
        let page = posts::read_utf8(&source.path.to_string_lossy()).map_err(bad)?;
        let marked = html::mark(&page, &glossary).map_err(|e| bad(format!("{shown}: {e}")))?;
        marks += marked.marks;
        changed += usize::from(marked.marks > 0);
        already += usize::from(marked.already);
        let target = match out_dir {
            Some(dir) => dir.join(&source.relative),
            None => source.path.clone(),
        };
        if out_dir.is_some() || marked.marks > 0 {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| bad(format!("{}: {e}", parent.display())))?;
            }
            std::fs::write(&target, marked.html)
                .map_err(|e| bad(format!("{}: {e}", target.display())))?;
        }
        progress.step();
    }
    progress.finish();
    eprintln!(
        "glossa: marked {marks} terms in {changed} of {} pages{}",
        sources.len(),
        if already > 0 {
            format!(" ({already} already marked, left as they were)")
        } else {
            String::new()
        }
    );
    Ok(())
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
