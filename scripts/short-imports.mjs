// Gives the wasm's imports from its JS glue short names, in both files. wasm-bindgen names
// each import after its function and a 16-digit hex hash (`__wbg_annotations_82534b450fb6d317`),
// and the module `./glossa_core_bg.js`; every name is written twice, in the wasm's import
// section and in the glue's import object, and gzip cannot shrink the hashes: 1.4 kB of the
// English core's wasm and glue, gzipped. The names are the glue's and the wasm's business
// only: no page or test sees them. The module is named after a hash of the long names, so a
// wasm and a glue whose imports differ (a cached file from an older build beside a newer
// one) still fail to link, as they did with the long names, instead of calling the wrong
// functions: the widget then falls back to the plain wasm.
//
// usage: node scripts/short-imports.mjs DIR   (rewrites DIR/glossa_core_bg.wasm and
//        DIR/glossa_core.js, the glue as esbuild bundled it, in place)
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { leb, readLeb as readLebIn, section as encodeSection } from "./wasm-bytes.mjs";

const GLUE_MODULE = "./glossa_core_bg.js";
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

/** The unsigned LEB128 at `at` in the wasm, and where it ends. */
const readLeb = (at) => readLebIn(wasm, at, fail);

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

/** The value and reference types written as one byte (i32 to v128, funcref, externref). */
const ONE_BYTE_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

/** Where the import's description (function, table, memory or global) ends. */
function skipDescription(at) {
  const kind = wasm[at++];
  const valueType = (p) => {
    if (!ONE_BYTE_TYPES.has(wasm[p])) fail(`an import has the type 0x${wasm[p]?.toString(16)}, which this script does not read`);
    return p + 1;
  };
  // Flags: bit 0 a maximum follows, bit 1 shared, bit 2 64-bit; others (such as custom page
  // sizes) change the layout.
  const limits = (p) => {
    const flags = wasm[p++];
    if (flags > 7) fail(`an import has limits with flags 0x${flags.toString(16)}, which this script does not read`);
    [, p] = readLeb(p);
    if (flags & 1) [, p] = readLeb(p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(at)[1]; // function: its type's index
    case 1: return limits(valueType(at)); // table: element type, limits
    case 2: return limits(at); // memory: limits
    case 3: return valueType(at) + 1; // global: value type, mutability
    default: fail(`import of unknown kind ${kind}`);
  }
}

if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100) fail("glossa_core_bg.wasm is not a wasm module");
// The sections, the import section as its imports: [module, field, description].
const sections = [wasm.subarray(0, 8)];
let imports = null;
for (let at = 8; at < wasm.length;) {
  const id = wasm[at];
  const [size, body] = readLeb(at + 1);
  const end = body + size;
  if (end > wasm.length) fail("a section runs past the end of the wasm");
  if (id !== IMPORT_SECTION) {
    sections.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  let [count, p] = readLeb(body);
  imports = [];
  for (let i = 0; i < count; i++) {
    const names = [];
    for (let k = 0; k < 2; k++) {
      const [length, from] = readLeb(p);
      if (from + length > end) fail("an import's name runs past its section");
      names.push(wasm.subarray(from, from + length).toString("utf8"));
      p = from + length;
    }
    imports.push([...names, wasm.subarray(p, (p = skipDescription(p)))]);
  }
  if (p !== end) fail("the import section's size does not match its imports");
  sections.push(imports);
  at = end;
}
const long = [...new Set(imports?.filter(([module]) => module === GLUE_MODULE).map(([, field]) => field))];
if (long.length === 0) fail(`the wasm imports nothing from ${GLUE_MODULE}`);
const renamed = new Map(long.map((field, i) => [field, shortName(i)]));
const shortModule = "g" + createHash("sha256").update(long.join("\n")).digest("hex").slice(0, 8);
const written = sections.map((section) => {
  if (!Array.isArray(section)) return section;
  const parts = [leb(section.length)];
  for (const [module, field, description] of section) {
    const glued = module === GLUE_MODULE;
    parts.push(name(glued ? shortModule : module), name(glued ? renamed.get(field) : field), description);
  }
  return encodeSection(IMPORT_SECTION, Buffer.concat(parts));
});

// Each long name is in the glue once, as a key of the import object; the short names are
// identifiers, so whatever the key's form (`name:`, `"name":` or a method), it stays valid.
function replaceOnce(from, to) {
  const parts = glue.split(from);
  if (parts.length !== 2) fail(`the glue has ${parts.length - 1} occurrences of ${from}, not one`);
  glue = parts.join(to);
}
replaceOnce(`"${GLUE_MODULE}"`, shortModule);
for (const [field, short] of renamed) replaceOnce(field, short);

writeFileSync(wasmPath, Buffer.concat(written));
writeFileSync(gluePath, glue);
