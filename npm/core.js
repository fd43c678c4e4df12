// The glossa core in the browser or a bundler: `await ready(); new Glossa()`.
// English stemming only; "glossa/core-intl" has every Snowball stemmer.
import init, { Glossa } from "./core/glossa_core.js";
import { instantiate } from "./core-loader.js";

let started;

/**
 * Instantiates the wasm once (later calls return the same promise). `wasm` may be a URL,
 * Response, bytes or WebAssembly.Module; by default it is fetched beside this file, as the
 * widget fetches it: the Zopfli-gzipped `.gz`, else the plain wasm.
 */
export function ready(wasm) {
  started ??= wasm === undefined
    ? instantiate(init, new URL("./core/glossa_core_bg.wasm.gz", import.meta.url))
    : init({ module_or_path: wasm });
  return started.then(() => undefined);
}

export { Glossa };
