// Reading and writing the parts of a wasm module's binary format that the build's own passes
// over the cores touch (scripts/short-imports.mjs, scripts/merge-data.mjs): LEB128 numbers and
// sections. Every reader checks its bounds and reports through `fail`, which must throw.

/** The unsigned LEB128 in `bytes` at `at`, and where it ends. */
export function readLeb(bytes, at, fail) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) fail("the wasm ends inside a number");
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return [value, at];
  }
}

/** `value` (a whole number from 0 to 2^53) as unsigned LEB128. */
export function leb(value) {
  const bytes = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return Buffer.from(bytes);
}

/** The module's sections in order: `{id, bytes}` (the whole section) and `body` (its content). */
export function sections(wasm, fail) {
  if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100) fail("not a wasm module");
  const out = [];
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at];
    const [size, body] = readLeb(wasm, at + 1, fail);
    const end = body + size;
    if (end > wasm.length) fail("a section runs past the end of the wasm");
    out.push({ id, bytes: wasm.subarray(at, end), body: wasm.subarray(body, end) });
    at = end;
  }
  return out;
}

/** A section with this id and content. */
export function section(id, body) {
  return Buffer.concat([Buffer.from([id]), leb(body.length), body]);
}
