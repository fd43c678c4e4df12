// Instantiates a core's wasm from the .gz beside it (gzipped by Zopfli when built: see
// scripts/precompress.mjs), inflated as it streams into the compiler; else from the plain
// wasm, the glue's own choice, which serves browsers without DecompressionStream and sites
// that deployed only it. Shared by the widget (engine.js) and the core API's ready().

/**
 * The wasm at `url`, as a response the glue compiles while it streams in: inflated on the way
 * when it comes gzipped. A server that labels `.gz` files as gzip-encoded has the browser
 * inflate them first, and the bytes then start as wasm does (0x00), not as gzip (0x1f).
 */
async function wasmResponse(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const [peek, body] = response.body.tee();
  const reader = peek.getReader();
  let first;
  do first = await reader.read();
  while (!first.done && first.value.length === 0);
  reader.cancel();
  const wasm = first.value?.[0] === 0x1f ? body.pipeThrough(new DecompressionStream("gzip")) : body;
  return new Response(wasm, { headers: { "Content-Type": "application/wasm" } });
}

/**
 * Runs the glue's `init` with the wasm at `gzipped` (a URL ending in `.gz`), falling back to
 * the plain wasm beside it. The fetch starts only if `init` asks for the wasm: a thenable,
 * which the glue awaits only when the core is not instantiated or being instantiated
 * already, so a page that uses the widget and the API together downloads the wasm once.
 * The plain wasm's URL is passed rather than left to the glue, which looks beside itself:
 * in the widget's bundle it is not beside its wasm.
 */
export async function instantiate(init, gzipped) {
  if (typeof DecompressionStream === "function") {
    try {
      await init({ module_or_path: { then: (resolve, reject) => wasmResponse(gzipped).then(resolve, reject) } });
      return;
    } catch (error) {
      // Not a warning: the page works, from the plain wasm.
      console.debug(`glossa: the gzipped core could not be used (${error.message}); loading the plain wasm`);
    }
  }
  await init({ module_or_path: new URL(gzipped.href.slice(0, -".gz".length)) });
}
