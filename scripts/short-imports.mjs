// Gives the wasm's imports from its JS glue short names, in both files. wasm-bindgen names
// each import after its function and a 16-digit hex hash (`__wbg_annotations_82534b450fb6d317`),
// and the module `./glossa_core_bg.js`; every name is written twice, in the wasm's import
// section and in the glue's import object, and gzip cannot shrink the hashes: 1.4 kB of the
// English core's wasm and glue, gzipped. The names are the glue's and the wasm's business
// only: no page or test sees them.
//
// usage: node scripts/short-imports.mjs DIR   (rewrites DIR/glossa_core_bg.wasm and
//        DIR/glossa_core.js, the glue as esbuild bundled it, in place)
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const GLUE_MODULE = "./glossa_core_bg.js";
const SHORT_MODULE = "a";
const IMPORT_SECTION = 2;

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node scripts/short-imports.mjs DIR");
  process.exit(2);
}
const wasmPath = join(dir, "glossa_core_bg.wasm");
const gluePath = join(dir, "glossa_core.js");
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");

function fail(message) {
  throw new Error(`short-imports: ${dir}: ${message}`);
}

/** The unsigned LEB128 at `at`, and where it ends. */
function readLeb(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= wasm.length) fail("the wasm ends inside a number");
    const byte = wasm[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return [value, at];
  }
}

function leb(value) {
  const bytes = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return Buffer.from(bytes);
}

function name(text) {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([leb(bytes.length), bytes]);
}

/** `a`, `b`, … `Z`, `aa`, `ab`, …: identifiers, so the glue needs no quotes around them. */
function shortName(i) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let out = "";
  do {
    out = letters[i % letters.length] + out;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return out;
}

/** Where the import's description (function, table, memory or global) ends. */
function skipDescription(at) {
  const kind = wasm[at++];
  const limits = (p) => {
    const flags = wasm[p++];
    [, p] = readLeb(p);
    if (flags & 1) [, p] = readLeb(p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(at)[1]; // function: its type's index
    case 1: return limits(at + 1); // table: element type, limits
    case 2: return limits(at); // memory: limits
    case 3: return at + 2; // global: value type, mutability
    default: fail(`import of unknown kind ${kind}`);
  }
}

if (wasm.readUInt32LE(0) !== 0x6d736100) fail("glossa_core_bg.wasm is not a wasm module");
const sections = [wasm.subarray(0, 8)];
const renamed = new Map();
for (let at = 8; at < wasm.length;) {
  const id = wasm[at];
  const [size, body] = readLeb(at + 1);
  const end = body + size;
  if (id !== IMPORT_SECTION) {
    sections.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  let [count, p] = readLeb(body);
  const imports = [leb(count)];
  for (let i = 0; i < count; i++) {
    const names = [];
    for (let k = 0; k < 2; k++) {
      const [length, from] = readLeb(p);
      names.push(wasm.subarray(from, from + length).toString("utf8"));
      p = from + length;
    }
    let [module, field] = names;
    const description = wasm.subarray(p, (p = skipDescription(p)));
    if (module === GLUE_MODULE) {
      if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
      [module, field] = [SHORT_MODULE, renamed.get(field)];
    }
    imports.push(name(module), name(field), description);
  }
  if (p !== end) fail("the import section's size does not match its imports");
  const section = Buffer.concat(imports);
  sections.push(Buffer.from([IMPORT_SECTION]), leb(section.length), section);
  at = end;
}
if (renamed.size === 0) fail(`the wasm imports nothing from ${GLUE_MODULE}`);

// Each long name is in the glue once, as a key of the import object; the short names are
// identifiers, so whatever the key's form (`name:`, `"name":` or a method), it stays valid.
function replaceOnce(from, to) {
  const parts = glue.split(from);
  if (parts.length !== 2) fail(`the glue has ${parts.length - 1} occurrences of ${from}, not one`);
  glue = parts.join(to);
}
replaceOnce(`"${GLUE_MODULE}"`, SHORT_MODULE);
for (const [long, short] of renamed) replaceOnce(long, short);

writeFileSync(wasmPath, Buffer.concat(sections));
writeFileSync(gluePath, glue);
