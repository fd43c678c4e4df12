//! Search latency on the browser benchmark's corpus and queries, natively: a quick stand-in
//! for the 15-minute browser run while working on search.
//!
//! `cargo run --release --example brown -- [CORPUS.json] [QUERIES.json] [--passes N]
//! [--kind KIND] [--fastest] [--slowest N] [--dump PATH]`, by default
//! `bench/build/corpus/500.json` (written by `bench/run.sh`) and `bench/queries.json`.
//! Prints p50/p95/p99 per query kind, each query's time being the median of its passes (the
//! fastest with `--fastest`, steadier on a busy machine); `--slowest` lists the slowest
//! queries. `--dump` writes every query's hits (ids, scores, snippets, highlights), so that
//! two builds can be checked for identical results. It also prints the index's size in
//! bytes and the times of `to_bytes` and `from_bytes` (median of the passes, or the fastest).

use glossa::{Article, Index, Language, SearchOptions};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

fn main() {
    let mut paths = Vec::new();
    let mut passes = 7;
    let mut dump = None;
    let mut kind: Option<String> = None;
    let mut slow = 0;
    let mut fastest = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--passes" => passes = args.next().and_then(|v| v.parse().ok()).unwrap_or(passes),
            "--dump" => dump = args.next(),
            "--kind" => kind = args.next(),
            "--fastest" => fastest = true,
            "--slowest" => slow = args.next().and_then(|v| v.parse().ok()).unwrap_or(10),
            "--bench" => {}
            _ => paths.push(arg),
        }
    }
    let corpus = paths
        .first()
        .cloned()
        .unwrap_or_else(|| "bench/build/corpus/500.json".into());
    let queries = paths
        .get(1)
        .cloned()
        .unwrap_or_else(|| "bench/queries.json".into());
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let articles: Vec<serde_json::Value> =
        serde_json::from_str(&read(&corpus)).expect("corpus parses");
    let queries: serde_json::Value = serde_json::from_str(&read(&queries)).expect("queries parse");
    let queries: Vec<(String, String)> = queries["queries"]
        .as_array()
        .expect("queries")
        .iter()
        .filter(|q| kind.as_deref().is_none_or(|k| q["kind"] == k))
        .map(|q| {
            (
                q["kind"].as_str().unwrap_or("?").to_owned(),
                q["q"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();

    let mut index = Index::new(Language::ENGLISH);
    for a in articles {
        index
            .add_article(&Article::from_json_value(a).expect("article"))
            .expect("added");
    }
    let options = SearchOptions::default();
    let mut out = String::new();
    for (kind, q) in &queries {
        let hits = index.search(q, &options);
        if dump.is_some() {
            writeln!(out, "## {kind} {q:?}").unwrap();
            for h in &hits {
                writeln!(
                    out,
                    "{}:{} {:.6} {:?} {:?} {:?}",
                    h.article, h.passage, h.score, h.snippet, h.highlights, h.text_highlights
                )
                .unwrap();
            }
        }
    }
    if let Some(path) = dump {
        std::fs::write(&path, out).expect("dump written");
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    for _ in 0..passes {
        for (i, (_, q)) in queries.iter().enumerate() {
            let t = Instant::now();
            black_box(index.search(black_box(q), &options));
            times[i].push(t.elapsed());
        }
    }
    let medians: Vec<Duration> = times
        .iter_mut()
        .map(|t| {
            t.sort();
            if fastest {
                t[0]
            } else {
                t[t.len() / 2]
            }
        })
        .collect();
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for ((kind, _), &d) in queries.iter().zip(&medians) {
        by_kind.entry(kind).or_default().push(d);
    }
    println!(
        "{} passages, {} queries, {passes} passes",
        index.passage_count(),
        queries.len()
    );
    let (mut saves, mut loads) = (Vec::new(), Vec::new());
    let mut size = 0;
    for _ in 0..passes {
        let t = Instant::now();
        let bytes = black_box(index.to_bytes());
        saves.push(t.elapsed());
        let t = Instant::now();
        black_box(Index::from_bytes(&bytes).expect("the index loads"));
        loads.push(t.elapsed());
        size = bytes.len();
    }
    let pick = |t: &mut Vec<Duration>| {
        t.sort();
        let d = if fastest { t[0] } else { t[t.len() / 2] };
        d.as_secs_f64() * 1e3
    };
    println!(
        "index {size} bytes, to_bytes {:.0} ms, from_bytes {:.0} ms",
        pick(&mut saves),
        pick(&mut loads)
    );
    println!(
        "{:<15} {:>7} {:>8} {:>8} {:>8}",
        "kind", "queries", "p50 µs", "p95 µs", "max µs"
    );
    for (kind, mut t) in by_kind {
        t.sort();
        println!(
            "{kind:<15} {:>7} {:>8.0} {:>8.0} {:>8.0}",
            t.len(),
            percentile(&t, 0.5),
            percentile(&t, 0.95),
            percentile(&t, 1.0)
        );
    }
    let mut slowest: Vec<(Duration, &str, &str)> = queries
        .iter()
        .zip(&medians)
        .map(|((k, q), &d)| (d, k.as_str(), q.as_str()))
        .collect();
    slowest.sort();
    for (d, k, q) in slowest.iter().rev().take(slow) {
        println!("  {:>6.0} µs  {k:<14} {q:?}", d.as_secs_f64() * 1e6);
    }
    let mut all = medians;
    all.sort();
    println!(
        "{:<15} {:>7} {:>8.0} {:>8.0} {:>8.0}  p99 {:.0}",
        "all",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        percentile(&all, 1.0),
        percentile(&all, 0.99)
    );
}
