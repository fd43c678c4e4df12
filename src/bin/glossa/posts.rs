//! A blog's posts as the command finds them: files named on the command line, or folders of
//! built HTML pages and Markdown posts, each read into articles with the URL the blog serves
//! it at.

use crate::html::{self, PageAddress};
use glossa::Article;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// One file to read, and the URL path its site serves it at.
pub struct Source {
    pub path: PathBuf,
    /// `/posts/dual-power/` for `posts/dual-power/index.html` under a site folder.
    pub url_path: String,
    /// The path relative to the folder it was found in (its own name if named directly).
    pub relative: PathBuf,
}

/// What a folder walk picks up: the forms blog posts come in.
pub const POST_EXTENSIONS: &[&str] = &["html", "htm", "md", "markdown"];
/// What `annotate --html` picks up.
pub const PAGE_EXTENSIONS: &[&str] = &["html", "htm"];

/// The files `args` name: files as given, folders walked (sorted, so indexes are
/// reproducible) for files with one of `extensions`, leaving out hidden folders and
/// node_modules and folders holding a package.json. URL paths are relative to `site_root` if given (it must hold every file),
/// else to the folder a file was found in (a file named directly is at `/its-name`).
pub fn sources(
    args: &[String],
    extensions: &[&str],
    site_root: Option<&Path>,
) -> Result<Vec<Source>, String> {
    let mut out = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        let mut found = Vec::new();
        if path.is_dir() {
            walk(path, extensions, &mut found)?;
            if found.is_empty() {
                return Err(format!(
                    "{arg}: no .{} files in this folder",
                    extensions.join(", .")
                ));
            }
        } else {
            found.push(path.to_owned());
        }
        for file in found {
            let relative = match site_root {
                Some(root) => relative_to(&file, root).ok_or_else(|| {
                    format!(
                        "{}: not inside the site root {}",
                        file.display(),
                        root.display()
                    )
                })?,
                None if path.is_dir() => file.strip_prefix(path).unwrap_or(&file).to_owned(),
                None => PathBuf::from(file.file_name().unwrap_or(file.as_os_str())),
            };
            out.push(Source {
                url_path: url_path(&relative),
                path: file,
                relative,
            });
        }
    }
    Ok(out)
}

/// `file` relative to `root`, comparing absolute paths so that `./site` and `site/x` agree.
fn relative_to(file: &Path, root: &Path) -> Option<PathBuf> {
    let file = std::path::absolute(file).ok()?;
    let root = std::path::absolute(root).ok()?;
    file.strip_prefix(&root).ok().map(Path::to_owned)
}

fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            // A folder holding a package.json is a package copied into the site (glossa's
            // own, served at /glossa/), not posts.
            if !path.join("package.json").is_file() {
                walk(&path, extensions, out)?;
            }
        } else if extensions.contains(&extension(&path).as_str()) {
            out.push(path);
        }
    }
    Ok(())
}

pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The URL path a static site serves a file at, as `location.pathname` shows it:
/// `posts/a/index.html` → `/posts/a/`, `about.html` → `/about.html`, a Markdown post
/// `posts/a.md` → `/posts/a/` (the pretty URL Eleventy, Hugo and Jekyll give it by default).
pub fn url_path(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let Some((file, folders)) = parts.split_last() else {
        return "/".to_owned();
    };
    let mut path = String::from("/");
    for folder in folders {
        path.push_str(&percent_encode(folder));
        path.push('/');
    }
    match extension(Path::new(file)).as_str() {
        "html" | "htm" if file.starts_with("index.") => {}
        "html" | "htm" => path.push_str(&percent_encode(file)),
        _ => {
            let stem = Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if stem != "index" {
                path.push_str(&percent_encode(&stem));
                path.push('/');
            }
        }
    }
    path
}

/// Percent-encodes a path segment as browsers show it in `location.pathname`.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads a file as UTF-8 text (`-` is standard input), with Windows line ends made `\n`.
pub fn read_text(path: &str) -> Result<String, String> {
    read_utf8(path).map(|text| {
        if text.contains('\r') {
            text.replace("\r\n", "\n")
        } else {
            text
        }
    })
}

/// Reads a file as UTF-8 text, exactly as it is (`-` is standard input).
pub fn read_utf8(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: {e}"))?;
    } else {
        if Path::new(path).is_dir() {
            return Err(format!("{path}: is a directory, not a file"));
        }
        bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    }
    let name = if path == "-" { "standard input" } else { path };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The articles in one file: a JSON article or array of them, a Markdown post, a text file,
/// or a built HTML page (its readers, or its main content).
pub fn read_articles(source: &Source, base_url: &str) -> Result<Vec<Article>, String> {
    let display = source.path.display().to_string();
    let text = read_text(&display)?;
    let id = source
        .relative
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    match extension(&source.path).as_str() {
        "json" => {
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("{display}: not valid JSON: {e}"))?;
            let values = match value {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            values
                .into_iter()
                .map(|v| Article::from_json_value(v).map_err(|e| format!("{display}: {e}")))
                .collect()
        }
        "html" | "htm" => html::articles(
            &text,
            &PageAddress {
                path: &source.url_path,
                base_url,
            },
        )
        .map_err(|e| format!("{display}: {e}")),
        "md" | "markdown" => {
            let mut article = markdown_article(&id, &text);
            if article.url.is_none() && !base_url.is_empty() {
                article.url = Some(format!(
                    "{}{}",
                    base_url.trim_end_matches('/'),
                    source.url_path
                ));
            }
            Ok(vec![article])
        }
        "txt" | "text" => {
            let mut article = Article {
                id: id.clone(),
                title: id,
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
        _ => Err(format!(
            "{display}: unknown article format (expected .html, .md, .json or .txt)"
        )),
    }
}

/// A Markdown post: front matter (`title`, `url` or `permalink`, `author`) if any, the first
/// `# ` heading as the title otherwise, and the body with Markdown syntax removed.
pub fn markdown_article(id: &str, text: &str) -> Article {
    let mut article = Article {
        id: id.to_owned(),
        title: id.rsplit('/').next().unwrap_or(id).to_owned(),
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

/// A one-line progress bar on standard error, drawn only on a terminal and only for runs
/// long enough to want one.
pub struct Progress {
    label: &'static str,
    total: usize,
    done: usize,
    shown: bool,
}

impl Progress {
    const WORTH_SHOWING: usize = 50;
    const WIDTH: usize = 30;

    pub fn new(label: &'static str, total: usize) -> Progress {
        Progress {
            label,
            total,
            done: 0,
            shown: total >= Self::WORTH_SHOWING && std::io::stderr().is_terminal(),
        }
    }

    pub fn step(&mut self) {
        self.done += 1;
        // Redraw at most a few hundred times, however many files.
        if !self.shown
            || (!self.done.is_multiple_of((self.total / 200).max(1)) && self.done != self.total)
        {
            return;
        }
        let filled = Self::WIDTH * self.done / self.total.max(1);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} [{}{}] {}/{}",
            self.label,
            "#".repeat(filled),
            " ".repeat(Self::WIDTH - filled),
            self.done,
            self.total
        );
        let _ = err.flush();
    }

    /// Clears the bar so the summary line starts clean.
    pub fn finish(&self) {
        if self.shown {
            eprint!("\r{}\r", " ".repeat(self.label.len() + Self::WIDTH + 24));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_as_the_site_serves_them() {
        let cases = [
            ("index.html", "/"),
            ("posts/dual-power/index.html", "/posts/dual-power/"),
            ("about.html", "/about.html"),
            ("posts/dual-power.md", "/posts/dual-power/"),
            ("posts/index.md", "/posts/"),
            (
                "posts/Vendôme column/index.html",
                "/posts/Vend%C3%B4me%20column/",
            ),
        ];
        for (relative, expected) in cases {
            assert_eq!(url_path(Path::new(relative)), expected, "{relative}");
        }
    }
}
