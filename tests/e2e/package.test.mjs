// The npm package as its users get it: `npm pack` output (scripts/pack.sh) installed from the
// tarball into a fresh folder, then used (1) from a plain page with no bundler, (2) in a Vite
// app built for production, with its TypeScript checked, and (3) from Node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, launch, ROOT, openReady, recordWasmRequests, waitForPopover, recordSearchResults, waitForResults, searchState } from "./harness.mjs";

const FIXTURES = join(ROOT, "tests", "package");
const VERSION = (await readFile(join(ROOT, "Cargo.toml"), "utf8")).match(/^version = "(.+)"$/m)[1];
const TARBALL = join(ROOT, "target", "npm", `glossa-${VERSION}.tgz`);

let scratch, app, browser;

/** Installs the packed tarball into `dir` as a user would (no registry needed: no dependencies). */
function installTarball(dir) {
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", TARBALL], { cwd: dir, stdio: "pipe" });
}

before(async () => {
  await stat(TARBALL).catch(() => { throw new Error(`${TARBALL} is missing: run scripts/pack.sh`); });
  scratch = await mkdtemp(join(tmpdir(), "glossa-package-"));
  app = join(scratch, "app");
  await mkdir(app);
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "an-app", private: true, type: "module" }));
  installTarball(app);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("package.json: name, the Cargo.toml version, exports that exist, types, files and side effects", async () => {
  const dir = join(app, "node_modules", "glossa");
  const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
  assert.equal(pkg.name, "glossa");
  assert.equal(pkg.version, VERSION);
  assert.equal(pkg.type, "module");
  assert.deepEqual(Object.keys(pkg.exports), [".", "./elements", "./core", "./core-intl", "./glossa.css", "./package.json"]);
  const targets = Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e)));
  for (const target of [...targets, pkg.types, pkg.main]) await stat(join(dir, target));
  for (const file of ["core/glossa_core_bg.wasm", "core-intl/glossa_core_bg.wasm", "core/glossa_core_bg.wasm.gz",
    "core-intl/glossa_core_bg.wasm.gz", "core/glossa_core.d.ts", "README.md", "LICENSE"]) {
    await stat(join(dir, file));
  }
  // Only the registering entry (and the stylesheet) have side effects: bundlers may drop
  // the rest when unused.
  assert.deepEqual(pkg.sideEffects, ["./glossa.js", "./glossa.css"]);
});

test("Node: a build script prebuilds an index with the core API, reads it back and searches it", async () => {
  const script = join(app, "build-index.mjs");
  await cp(join(FIXTURES, "node-build-index.mjs"), script);
  const out = JSON.parse(execFileSync("node", [script, join(ROOT, "content", "glossary.json")], { cwd: app, encoding: "utf8" }));
  assert.ok(out.bytes > 1000);
  assert.deepEqual(out.hits[0], ["post-1", 1, "/posts/dual-power/"]);
  assert.deepEqual(out.annotate, ["paris-commune"]);
  assert.equal(out.french.length, 1, "the intl core stems French: communard finds communards");
});

test("a plain page loads the package's modules with no bundler: marks, definitions and search work", async () => {
  const site = join(scratch, "plain");
  await mkdir(site);
  await cp(join(FIXTURES, "plain", "index.html"), join(site, "index.html"));
  await cp(join(ROOT, "content", "glossary.json"), join(site, "glossary.json"));
  await cp(join(app, "node_modules"), join(site, "node_modules"), { recursive: true });
  const server = await serve(site);
  try {
    const page = await browser.page();
    const wasm = recordWasmRequests(page);
    await recordSearchResults(page);
    await page.goto(server.url + "/");
    await page.waitForSelector('glossa-term[data-glossa-term="dual-power"]');
    assert.deepEqual(
      await page.$$eval("glossa-term", (ms) => ms.map((m) => m.dataset.glossaTerm)),
      ["petrograd-soviet", "provisional-government", "lenin", "dual-power", "marx", "paris-commune", "dotp"],
    );
    await page.focus('glossa-term[data-glossa-term="dual-power"]');
    await waitForPopover(page, "dual power");
    await page.locator("glossa-search input").fill("commune");
    await waitForResults(page, "commune");
    assert.equal((await searchState(page)).options.length, 1);
    // The stylesheet for build-time marks applies to marks before any script styles them.
    const decoration = await page.$eval("glossa-term", (m) => getComputedStyle(m).textDecorationStyle);
    assert.equal(decoration, "dotted");
    // In the browser, glossa/core-intl writes indexes, and the English glossa/core reads them
    // but refuses to write one, saying where to write it instead.
    const cores = await page.evaluate(async () => {
      const [core, intl] = await Promise.all([import("/node_modules/glossa/core.js"), import("/node_modules/glossa/core-intl.js")]);
      await Promise.all([core.ready(), intl.ready()]);
      const writer = new intl.Glossa();
      writer.addArticle({ id: "p", title: "Petrograd", passages: ["Dual power in Petrograd."] });
      const reader = core.Glossa.fromBytes(writer.toBytes());
      let refusal = null;
      try {
        reader.toBytes();
      } catch (e) {
        refusal = e instanceof Error ? e.message : `not an Error: ${e}`;
      }
      return { hits: reader.search("petrograd").map((h) => h.article), refusal };
    });
    assert.deepEqual(cores.hits, ["p"]);
    assert.match(cores.refusal ?? "", /^toBytes: the English browser core reads indexes but does not write them; .*glossa index/);
    // ready() loads the wasm as the widget does, and the English core shared with the widget
    // is fetched once.
    assert.deepEqual(wasm.toSorted(),
      ["/node_modules/glossa/core-intl/glossa_core_bg.wasm.gz", "/node_modules/glossa/core/glossa_core_bg.wasm.gz"]);
    assert.deepEqual(page.problems, []);
    await page.close();
  } finally {
    await server.close();
  }
});

test("a Vite app installs the tarball, type-checks, builds for production and runs", async () => {
  const dir = join(scratch, "vite-app");
  await cp(join(FIXTURES, "vite-app"), dir, { recursive: true });
  await mkdir(join(dir, "public"));
  await cp(join(ROOT, "content", "glossary.json"), join(dir, "public", "glossary.json"));
  await cp(join(app, "node_modules"), join(dir, "node_modules"), { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "vite-app", private: true, type: "module" }));

  // The declarations: main.ts must check, and misuse.ts's @ts-expect-error lines must all
  // be errors (were a type `any`, tsc would report an unused expectation).
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: dir, stdio: "pipe" });

  execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "error"], { cwd: dir, stdio: "pipe" });
  const assets = execFileSync("ls", [join(dir, "dist", "assets")], { encoding: "utf8" }).split("\n").filter(Boolean);
  assert.ok(assets.filter((a) => a.endsWith(".wasm")).length >= 1, `the wasm is emitted: ${assets}`);
  assert.ok(assets.some((a) => /^glossa_core_bg\.wasm-.*\.gz$/.test(a)), `the gzipped wasm is emitted: ${assets}`);

  const server = await serve(join(dir, "dist"));
  try {
    let wasm;
    const page = await openReady(browser, server.url + "/", { setUp: (p) => { wasm = recordWasmRequests(p); } });
    assert.deepEqual(wasm.map((p) => p.replace(/-[^/.]+\./, "-HASH.")),
      ["/assets/glossa_core_bg.wasm-HASH.gz"], "the page fetches the gzipped wasm, and only that");
    await page.waitForFunction(() => document.getElementById("core").value !== "");
    assert.match(await page.$eval("#core", (o) => o.value), /^1 article, 1 hit: Blanquism trusted a small conspiracy\.$/);
    assert.equal(await page.evaluate(() => document.body.dataset.terms), "7");
    await page.focus('glossa-term[data-glossa-term="paris-commune"]');
    await waitForPopover(page, "Paris Commune");
    assert.deepEqual(page.problems, []);
    await page.close();

    // Without DecompressionStream, the plain wasm, under the name Vite gave it.
    let plain;
    const fallback = await openReady(browser, server.url + "/", {
      setUp: async (p) => {
        plain = recordWasmRequests(p);
        await p.addInitScript(() => delete window.DecompressionStream);
      },
    });
    await fallback.waitForFunction(() => document.getElementById("core").value !== "");
    assert.equal(await fallback.evaluate(() => document.body.dataset.terms), "7");
    assert.deepEqual(plain.map((p) => p.replace(/-[^/.]+\./, "-HASH.")), ["/assets/glossa_core_bg-HASH.wasm"],
      "the page fetches the plain wasm, and only that");
    assert.deepEqual(fallback.problems, []);
    await fallback.close();
  } finally {
    await server.close();
  }
});
