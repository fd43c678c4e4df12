// Resources on the demo page in headless Chromium: 10,000 searches through the engine,
// 10,000 through <glossa-search>, and 1,000 definitions opened and closed leave the wasm
// memory, the JS values the core holds, the page's nodes (shadow roots included) and its
// event listeners flat once warmed up. The figures are printed with the test's output.
//
// The wasm memory, and the array in which wasm-bindgen's glue keeps the JS values the core
// holds, are found on the page's heap through DevTools (the demo has one core, so one of
// each): the bundle exports neither, and no debug accessor is added for the test. Memory
// never shrinks, so any growth after warm-up is a leak or fragmentation, and fails. The core
// returns plain objects, so nothing it returns needs .free(); the test checks that too, and
// counts the JS values the glue holds for the core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openReady } from "./harness.mjs";

/** Queries of every kind the search takes: words, phrases, exclusions, typos, prefixes. */
const QUERIES = [
  "dual power", "soviet", "lenin", "dictatorship of the proletariat", "commune -paris", '"working class"',
  "revolutoin", "prol", "state and revolution", "the", "Vendôme", "bourgeois democracy", "marx engels", "x",
  "1871", "kautsky renegade", "withering away", "paris commune barricades", "soviets", "🚩 flag",
];
/** A definition's terms opened in turn; warm-up and run are multiples, so both end on the same. */
const TERMS = 20;
/** The JS heap may grow this much after warm-up (compiled code, caches); a leaked card a cycle is far more. */
const HEAP_SLACK = 1 << 20;

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The demo page with both readers ready, and a DevTools session for GC and counters. */
async function demo() {
  const page = await openReady(browser, `${server.url}/`, { readers: 2 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  return { page, cdp };
}

/** Listeners on `window` and `document`, as DevTools lists them: "type" per listener. */
async function globalListeners(cdp) {
  const out = {};
  for (const expression of ["window", "document"]) {
    const { result } = await cdp.send("Runtime.evaluate", { expression });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
    out[expression] = listeners.map((l) => l.type).sort().join(" ");
    await cdp.send("Runtime.releaseObject", { objectId: result.objectId });
  }
  return out;
}

/**
 * `describe` (a function's source) called on the array of every object on the page whose
 * prototype is `prototype`, returning what it returns.
 */
async function onEvery(cdp, prototype, describe) {
  const { result: proto } = await cdp.send("Runtime.evaluate", { expression: prototype });
  const { objects } = await cdp.send("Runtime.queryObjects", { prototypeObjectId: proto.objectId });
  const { result } = await cdp.send("Runtime.callFunctionOn", {
    objectId: objects.objectId, functionDeclaration: describe, returnByValue: true,
  });
  for (const { objectId } of [proto, objects]) await cdp.send("Runtime.releaseObject", { objectId });
  return result.value;
}

/**
 * The core's memory size, and the number of JS values the glue holds for it. The core is built
 * without reference types (scripts/build.sh), so the glue keeps them in an array: 1,024 slots
 * for values lent to a call, then undefined, null, true and false, then the values held, free
 * slots holding the number of the next free one. (Numbers cross to the core by value, so a
 * number in the array is always a free slot's.)
 */
async function wasmFigures(cdp) {
  const memories = await onEvery(cdp, "WebAssembly.Memory.prototype", "function () { return this.map((m) => m.buffer.byteLength); }");
  const heaps = await onEvery(cdp, "Array.prototype", `function () {
    return this.filter((a) => a.length >= 1028 && a[1024] === undefined && a[1025] === null && a[1026] === true && a[1027] === false)
      .map((a) => a.filter((v, i) => (i < 1024 ? v !== undefined : i >= 1028 && typeof v !== "number")).length);
  }`);
  assert.equal(memories.length, 1, `one wasm memory on the page, not ${memories.length}`);
  assert.equal(heaps.length, 1, `one array of the glue's JS values on the page, not ${heaps.length}`);
  return { wasmBytes: memories[0], jsValues: heaps[0] };
}

/** Everything counted, after a full garbage collection. */
async function measure({ page, cdp }) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  const inPage = await page.evaluate(() => {
    let nodes = 0;
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
      const walker = document.createTreeWalker(roots[i], NodeFilter.SHOW_ALL);
      for (let n = walker.currentNode; n; n = walker.nextNode()) {
        nodes++;
        if (n.shadowRoot) roots.push(n.shadowRoot);
      }
    }
    return { nodes };
  });
  return {
    ...(await wasmFigures(cdp)),
    ...inPage,
    liveNodes: metric.Nodes, // every node alive, attached or not
    listeners: metric.JSEventListeners,
    globalListeners: await globalListeners(cdp),
    heapBytes: metric.JSHeapUsedSize,
  };
}

/** Prints the figures and asserts that nothing grew but the JS heap, within its slack. */
function assertFlat(what, warm, end, started) {
  const row = ({ globalListeners, ...counts }) => ({
    ...counts,
    "on window/document": `${globalListeners.window.split(" ").length}/${globalListeners.document.split(" ").length}`,
  });
  console.log(`${what} (${Math.round(performance.now() - started)} ms, warm-up included):`);
  console.table({ "after warm-up": row(warm), "at the end": row(end) });
  for (const key of ["wasmBytes", "jsValues", "nodes", "liveNodes", "listeners"]) {
    assert.equal(end[key], warm[key], `${what}: ${key} went from ${warm[key]} to ${end[key]}`);
  }
  assert.deepEqual(end.globalListeners, warm.globalListeners, `${what}: listeners on window or document`);
  assert.ok(end.heapBytes - warm.heapBytes < HEAP_SLACK, `${what}: JS heap grew by ${end.heapBytes - warm.heapBytes} bytes`);
}

test("10,000 searches through the engine leave the wasm memory and the core's JS values flat", async () => {
  const session = await demo();
  const search = (n) => session.page.evaluate(async ({ n, queries }) => {
    const { engineFor } = await import("/dist/glossa.js");
    const engine = await engineFor();
    let hits = 0;
    let classes = 0;
    for (let i = 0; i < n; i++) {
      for (const hit of engine.glossa.search(queries[i % queries.length], { limit: 8 })) {
        hits++;
        // A wasm-bindgen object would need .free(); the core must hand back plain data.
        if (Object.getPrototypeOf(hit) !== Object.prototype || "__wbg_ptr" in hit || typeof hit.free === "function") classes++;
      }
    }
    return { hits, classes };
  }, { n, queries: QUERIES });
  const started = performance.now();
  await search(1000);
  const warm = await measure(session);
  const { hits, classes } = await search(10_000);
  assert.ok(hits > 20_000, `${hits} hits`);
  assert.equal(classes, 0, "search returned wasm-bindgen objects");
  assertFlat("10,000 engine searches", warm, await measure(session), started);
  assert.deepEqual(session.page.problems, []);
  await session.page.close();
});

test("10,000 searches through <glossa-search> leave the wasm memory, nodes and listeners flat", async () => {
  const session = await demo();
  const search = (n) => session.page.evaluate(async ({ n, queries }) => {
    const box = document.querySelector("glossa-search");
    let shown = 0;
    for (let i = 0; i < n; i++) {
      box.search(queries[i % queries.length]);
      shown += box.shadowRoot.querySelectorAll("[role=option]").length;
      // Let the page render now and then, as typing would.
      if (i % 500 === 499) await new Promise(requestAnimationFrame);
    }
    return shown;
  }, { n, queries: QUERIES });
  const started = performance.now();
  await search(1000);
  const warm = await measure(session);
  const shown = await search(10_000);
  assert.ok(shown > 20_000, `${shown} results shown`);
  assertFlat("10,000 searches in <glossa-search>", warm, await measure(session), started);
  assert.deepEqual(session.page.problems, []);
  await session.page.close();
});

test("1,000 definitions opened (by focus and by click) and closed (Escape) leave memory, nodes and listeners flat", async () => {
  const session = await demo();
  const cycles = (n) => session.page.evaluate(async ({ n, count }) => {
    const ids = [...new Set([...document.querySelectorAll("glossa-term")].map((m) => m.dataset.glossaTerm))].slice(0, count);
    const markers = ids.map((id) => [...document.querySelectorAll("glossa-term")].find((m) => m.dataset.glossaTerm === id));
    const popover = () => document.querySelector("body > glossa-popover");
    for (let i = 0; i < n; i++) {
      const marker = markers[i % markers.length];
      if (i % 2) marker.click();
      else marker.focus();
      if (popover().hidden) throw new Error(`cycle ${i}: ${ids[i % ids.length]} did not open`);
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, composed: true }));
      if (!popover().hidden) throw new Error(`cycle ${i}: Escape did not close it`);
      if (marker.getAttribute("aria-expanded") !== "false" || marker.hasAttribute("aria-describedby")) {
        throw new Error(`cycle ${i}: the term kept its open state`);
      }
      if (i % 50 === 49) await new Promise(requestAnimationFrame);
    }
    return markers.length;
  }, { n, count: TERMS });
  const started = performance.now();
  assert.equal(await cycles(10 * TERMS), TERMS);
  const warm = await measure(session);
  await cycles(50 * TERMS);
  assertFlat("1,000 open/close cycles", warm, await measure(session), started);
  assert.deepEqual(session.page.problems, []);
  await session.page.close();
});
