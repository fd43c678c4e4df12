// Instantiates a core's wasm from the .gz beside it (gzipped by Zopfli when built: see
// scripts/precompress.mjs), inflated as it streams into the compiler; else from the plain
// wasm, which serves browsers without DecompressionStream and sites that deployed only it.
// Shared by the widget (engine.js) and the core API's ready().

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
 * Runs the glue's `init` with the wasm at `gzipped`, falling back to the plain wasm at
 * `plain`, or to the glue's own choice (beside itself) without it. The fetch starts only if
 * `init` asks for the wasm: a thenable, which the glue awaits only when the core is not
 * instantiated or being instantiated already, so a page whose widget and API share one glue
 * (as with the npm package's modules) downloads the wasm once. The widget passes `plain`:
 * in its bundle, www/dist/glossa.js, the glue is not beside its wasm.
 */
export async function instantiate(init, gzipped, plain) {
  if (typeof DecompressionStream === "function") {
    try {
      await init({ module_or_path: { then: (resolve, reject) => wasmResponse(gzipped).then(resolve, reject) } });
      return;
    } catch (error) {
      // Not a warning: the page works, from the plain wasm.
      console.debug(`glossa: the gzipped core could not be used (${error.message}); loading the plain wasm`);
    }
  }
  await init(plain && { module_or_path: plain });
}
