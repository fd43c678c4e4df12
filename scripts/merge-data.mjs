// Merges the wasm's data segments that lie close together into one, the bytes between them
// written as the zeros they are. wasm-opt splits the data wherever a run of zeros outlasts a
// segment's header (Snowball's tables are records with zero fields, 111 segments in the
// English core), which saves raw bytes, but gzip squeezes a run of zeros into almost nothing
// and a header's offsets into less well: one segment is 0.26 kB smaller as fetched
// (scripts/size.sh, Zopfli's .gz of the English core: 60,556 -> 60,293 B). Memory starts as
// zeros, and no segment overlaps another, so writing the gaps' zeros changes nothing.
//
// Only active segments at constant offsets are merged, and only when no segment is passive:
// code refers to segments by number only through memory.init and data.drop, which serve
// passive ones, so the numbers can change. The data count section follows the new count.
//
// usage: node scripts/merge-data.mjs DIR   (rewrites DIR/glossa_core_bg.wasm in place)
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { leb, readLeb, section, sections } from "./wasm-bytes.mjs";

const DATA = 11;
const DATA_COUNT = 12;
/** Segments at most this many bytes apart are merged: a zero run of 1 kB gzips to a few bytes. */
const MOST_ZEROS = 1024;

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node scripts/merge-data.mjs DIR");
  process.exit(2);
}
const path = join(dir, "glossa_core_bg.wasm");
const fail = (message) => {
  throw new Error(`merge-data: ${path}: ${message}`);
};

/** The signed LEB128 (an i32.const's operand) at `at` in `bytes`, and where it ends. */
function readSignedLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    if (at >= bytes.length) fail("the data section ends inside a number");
    byte = bytes[at++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (byte & 0x80) fail("an offset longer than an i32");
  if (shift < 32 && byte & 0x40) value |= -1 << shift;
  return [value, at];
}

/** `value` as signed LEB128. */
function signedLeb(value) {
  const bytes = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) return Buffer.from([...bytes, byte]);
    bytes.push(byte | 0x80);
  }
}

const MEMORY = 5;

const wasm = readFileSync(path);
const all = sections(wasm, fail);
const data = all.find((s) => s.id === DATA);
// No data, nothing to merge.
if (!data) process.exit(0);
// The zeros written between segments are what a memory of the module's own starts with; an
// imported memory may hold something else there.
if (!all.some((s) => s.id === MEMORY)) fail("the memory is not the module's own");
const body = data.body;
let [count, at] = readLeb(body, 0, fail);
const segments = [];
for (let i = 0; i < count; i++) {
  let flags;
  [flags, at] = readLeb(body, at, fail);
  // 0: active, in memory 0, at an offset given by a constant expression.
  if (flags !== 0) fail(`data segment ${i} is not an active segment of memory 0 (flags ${flags})`);
  if (body[at++] !== 0x41) fail(`data segment ${i}'s offset is not an i32.const`);
  let offset;
  [offset, at] = readSignedLeb(body, at);
  if (body[at++] !== 0x0b) fail(`data segment ${i}'s offset is not a lone i32.const`);
  let length;
  [length, at] = readLeb(body, at, fail);
  if (at + length > body.length) fail(`data segment ${i} runs past its section`);
  segments.push({ start: offset >>> 0, bytes: body.subarray(at, at + length) });
  at += length;
}
if (at !== body.length) fail("the data section's size does not match its segments");

const merged = [];
for (const segment of [...segments].sort((a, b) => a.start - b.start)) {
  const last = merged.at(-1);
  const gap = last ? segment.start - (last.start + last.length) : -1;
  if (last && gap < 0) fail(`data segments overlap at ${segment.start}`);
  if (last && gap <= MOST_ZEROS) {
    last.parts.push(Buffer.alloc(gap), segment.bytes);
    last.length += gap + segment.bytes.length;
  } else {
    merged.push({ start: segment.start, length: segment.bytes.length, parts: [segment.bytes] });
  }
}
const written = [leb(merged.length)];
for (const { start, length, parts } of merged) {
  written.push(Buffer.from([0, 0x41]), signedLeb(start | 0), Buffer.from([0x0b]), leb(length), ...parts);
}
const out = Buffer.concat([
  wasm.subarray(0, 8),
  ...all.map((s) =>
    s.id === DATA ? section(DATA, Buffer.concat(written))
      : s.id === DATA_COUNT ? section(DATA_COUNT, leb(merged.length))
        : s.bytes),
]);
// The module must still be valid wasm; the tests then run it.
new WebAssembly.Module(out);
writeFileSync(path, out);
