// The glossa core in the browser or a bundler: `await ready(); new Glossa()`.
// Every Snowball stemmer; "glossa/core" is the smaller, English-only build.
import init, { Glossa } from "./core-intl/glossa_core.js";

let started;

/**
 * Instantiates the wasm once (later calls return the same promise). `wasm` may be a URL,
 * Response, bytes or WebAssembly.Module; by default it is fetched beside this file.
 */
export function ready(wasm) {
  started ??= init(wasm === undefined ? undefined : { module_or_path: wasm });
  return started.then(() => undefined);
}

export { Glossa };
