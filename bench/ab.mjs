// A/B of time to ready on the demo page: first visits (HTTP cache off) of each build, or
// repeat visits with --cached, the builds alternating in one browser so that a busy machine
// weighs on all of them alike.
// The clock is run.mjs's (from glossa.js defining <glossa-reader> to the last glossa:ready).
// Prints each build's median, quartile and minimum, and the median of its differences from
// the first build, visit by visit. One run of the benchmark has 5 visits per page: on the
// shared 2-core machine, visits of one build spread over 60 to 200 ms, and a difference of a
// few milliseconds takes tens of alternating visits to see.
//
//   node bench/ab.mjs [--n 40] [--page /] [--cached] NAME=DIST_DIR NAME2=DIST_DIR2 ...
//
// Each DIST_DIR is a build of www/dist/ (scripts/build.sh, copied aside), served as
// /NAME/dist/ under www/. Environment: MARKS=1 also prints the medians of the page's own
// performance marks and of fetch and WebAssembly calls, in ms after the script started;
// QUIET=80 has each round wait (up to QUIET_WAIT s, default 60) for a second in which the
// CPUs are 80 % idle (Linux); a build whose NAME ends in "poll" is waited for as run.mjs
// waited before, with waitForFunction (see timeToReady there).
import { mkdtemp, rm, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";
import { ROOT } from "./common.mjs";

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const [, value] = argv.splice(i, 2);
  return value;
};
const N = Number(opt("--n", "40"));
const PAGE = opt("--page", "/");
// --cached: repeat visits instead, the HTTP cache (and the compiled code V8 keeps in it) on.
const CACHED = argv.includes("--cached");
if (CACHED) argv.splice(argv.indexOf("--cached"), 1);
const builds = argv.map((a) => {
  const [name, dir] = a.split("=");
  return { name, dir: resolve(dir) };
});
if (!builds.length || builds.some((b) => !b.name || !b.dir)) {
  console.error("usage: node bench/ab.mjs [--n 40] [--page /] [--cached] NAME=DIST_DIR ...");
  process.exit(2);
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".wasm": "application/wasm",
};
// As bench/server.mjs serves: cross-origin isolated, cacheable.
const HEADERS = {
  "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin", "cache-control": "max-age=600",
};
const server = createServer(async (req, res) => {
  let parts;
  try {
    parts = decodeURIComponent(new URL(req.url, "http://x").pathname).split("/").slice(1);
  } catch {
    res.writeHead(400, HEADERS);
    return res.end();
  }
  if (parts.includes("..")) {
    res.writeHead(403, HEADERS);
    return res.end();
  }
  const [name, ...rest] = parts;
  const build = builds.find((b) => b.name === name);
  if (!rest.length || rest.at(-1) === "") rest.push("index.html");
  const file = build && rest[0] === "dist" ? join(build.dir, ...rest.slice(1)) : join(ROOT, "www", ...rest);
  try {
    const body = await readFile(file);
    res.writeHead(200, { ...HEADERS, "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404, HEADERS);
    res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

const profile = await mkdtemp(join(tmpdir(), "glossa-ab-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** In the page, before its own scripts: the clock, and with MARKS, marks around fetch and WebAssembly. */
function init(marks) {
  window.__ready = [];
  document.addEventListener("glossa:ready", (e) => {
    window.__ready.push({ t: performance.now(), terms: e.detail?.terms });
    if (window.__ready.length === document.querySelectorAll("glossa-reader").length) console.debug("glossa-bench: ready");
  }, true);
  const define = customElements.define;
  customElements.define = function (name, ...rest) {
    if (name === "glossa-reader") window.__scriptStart ??= performance.now();
    return define.call(this, name, ...rest);
  };
  if (!marks) return;
  const fetch0 = window.fetch;
  window.fetch = function (input, ...rest) {
    const name = String(input?.url ?? input).replace(/^.*\//, "");
    performance.mark(`fetch ${name}`);
    return fetch0.call(this, input, ...rest).then((r) => (performance.mark(`fetched ${name}`), r));
  };
  for (const fn of ["compile", "compileStreaming", "instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[fn];
    WebAssembly[fn] = function (...args) {
      performance.mark(`WebAssembly.${fn}`);
      return original.apply(this, args).then((r) => (performance.mark(`WebAssembly.${fn} done`), r));
    };
  }
}

async function visit(build) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: !CACHED });
  await page.addInitScript(init, Boolean(process.env.MARKS));
  const ready = page.waitForEvent("console", { predicate: (m) => m.text() === "glossa-bench: ready", timeout: 30e3 });
  ready.catch(() => {});
  try {
    await page.goto(`${origin}/${build.name}${PAGE}`);
    if (build.name.endsWith("poll")) {
      await page.waitForFunction(() => window.__ready.length >= document.querySelectorAll("glossa-reader").length, null, { timeout: 30e3 });
    } else {
      await ready;
    }
  } catch (error) {
    throw new Error(`${build.name}: ${error.message.split("\n")[0]}; ${problems.join("; ")}`);
  }
  const run = await page.evaluate(() => {
    const start = window.__scriptStart;
    const marks = {};
    for (const m of performance.getEntriesByType("mark")) marks[m.name] ??= m.startTime - start;
    return { after: Math.max(...window.__ready.map((r) => r.t)) - start, start, terms: window.__ready.map((r) => r.terms), marks };
  });
  run.problems = problems;
  await page.close();
  return run;
}

const QUIET = Number(process.env.QUIET ?? 0);
const cpuTimes = async () => (await readFile("/proc/stat", "utf8")).split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
async function quiet() {
  const until = Date.now() + Number(process.env.QUIET_WAIT ?? 60) * 1000;
  while (Date.now() < until) {
    const a = await cpuTimes();
    await new Promise((r) => setTimeout(r, 1000));
    const d = (await cpuTimes()).map((x, k) => x - a[k]);
    if ((100 * (d[3] + d[4])) / d.reduce((x, y) => x + y, 0) >= QUIET) return;
  }
  console.error("ab: not quiet; going on");
}

const runs = Object.fromEntries(builds.map((b) => [b.name, []]));
// One uncounted visit of each build (the browser's own first-page costs; with --cached, what
// fills the cache), then N rounds, the builds' order rotating from round to round.
for (const b of builds) await visit(b);
for (let i = 0; i < N; i++) {
  if (QUIET) await quiet();
  for (let j = 0; j < builds.length; j++) {
    const b = builds[(i + j) % builds.length];
    const run = await visit(b);
    runs[b.name].push(run);
    if (run.problems.length) console.error(`ab: ${b.name}:`, run.problems.slice(0, 3));
  }
}
await context.close();
await rm(profile, { recursive: true, force: true });
server.close();

const sorted = (xs) => xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs, q) => sorted(xs)[Math.floor(q * (xs.length - 1))];
const ms = (x) => x.toFixed(1);
for (const b of builds) {
  const rs = runs[b.name];
  const after = rs.map((r) => r.after);
  console.log(`${b.name}: ready ${ms(median(after))} ms after glossa.js started (median of ${rs.length}; ` +
    `quartile ${ms(quantile(after, 0.25))}, minimum ${ms(quantile(after, 0))}); the script started ` +
    `${ms(median(rs.map((r) => r.start)))} ms after navigation, ready ${ms(median(rs.map((r) => r.start + r.after)))} ms after it; ` +
    `terms marked ${JSON.stringify(rs[0].terms)}`);
  if (!process.env.MARKS) continue;
  const names = [...new Set(rs.flatMap((r) => Object.keys(r.marks)))];
  const marks = names.map((n) => [n, median(rs.map((r) => r.marks[n] ?? NaN))]).sort((x, y) => x[1] - y[1]);
  for (const [n, t] of marks) console.log(`  ${ms(t).padStart(7)}  ${n}`);
}
for (const b of builds.slice(1)) {
  const a = runs[builds[0].name];
  const d = runs[b.name].map((r, i) => r.after - a[i].after);
  const dn = runs[b.name].map((r, i) => r.start + r.after - a[i].start - a[i].after);
  console.log(`${b.name} − ${builds[0].name}, median of the ${d.length} paired differences: ` +
    `${ms(median(d))} ms after glossa.js started, ${ms(median(dn))} ms after navigation`);
}
