#!/usr/bin/env python3
"""Generates src/fold_table.rs: for every character whose search form differs from itself,
its compatibility decomposition with diacritics removed, lower-cased (Python's unicodedata);
and every character's lower case, so that the wasm build needs none of core's case tables.
Both are stored as runs of code points (see RUNS_DOC), a fraction of a flat table's size.

Run: python3 scripts/gen-fold-table.py > src/fold_table.rs, with Python 3.11: its unicodedata
is Unicode 14.0.0, as the file says, and another Python's would give another table.

Left out on purpose, to keep the wasm small: Hangul syllables (decomposing them to jamo
helps no search), CJK compatibility ideographs, Arabic presentation forms, Arabic
mathematical letters and the phonetic modifier letters of Latin Extended-F (0.8 kB of runs
for two blocks that only mathematics and phonetics use), and characters that never appear
inside a UAX #29 word (spaces, most symbols)."""
import sys
import unicodedata

# Diacritic blocks whose marks folding removes: Latin/Greek/Cyrillic combining diacritics,
# Hebrew points, Arabic harakat. Marks of Indic scripts are letters' vowels: kept.
DIACRITICS = [
    (0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A),
    (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F),
]
SKIP = [(0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF), (0x3300, 0x33FF), (0x3200, 0x32FF), (0x1EE00, 0x1EEFF),
        (0x10780, 0x107BF)]

def is_diacritic(c):
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in DIACRITICS)

def fold(c):
    out = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not is_diacritic(ch))
    # A form holds no white space: it is part of a word. (Greek ypogegrammeni, a space and a
    # combining mark by NFKD, is left with nothing, and folds away like a diacritic.)
    out = "".join(out.split())
    out = out.lower()
    return out.replace("ß", "ss").replace("ς", "σ")

RUNS_DOC = """/// Runs of characters with one-character search forms. Run `i` holds `first + k * stride`
/// for `k < length`; each maps to `target`, or if `shifted` to `target + k * stride`. Stored
/// as three streams of LEB128 numbers, one per run each, decoded once (`tokenize::folds`):
/// `_FIRSTS` the distance of each run's first character from the previous run's (from 0),
/// `_TARGETS` `first - target` zigzag-encoded (`2n` for `n >= 0`, `-2n - 1` below), and
/// `_SHAPES` `(stride - 1) << 9 | shifted << 8 | (length - 1)`. As u32 arrays they were
/// twice the size, gzipped.
"""

def build_runs(pairs):
    """Greedy runs over (code point, target) pairs sorted by code point. Runs never
    interleave: only the last run grows, and a pair it cannot take starts the next."""
    runs = []  # [first, length, stride, shifted, target]
    for cp, t in pairs:
        if runs:
            first, n, stride, shifted, t0 = runs[-1]
            if n == 1 and cp - first in (1, 2) and t in (t0, t0 + cp - first):
                runs[-1] = [first, 2, cp - first, int(t != t0), t0]
                continue
            if n > 1 and n < 256 and cp == first + n * stride and t == (t0 + n * stride if shifted else t0):
                runs[-1][1] += 1
                continue
        runs.append([cp, 1, 1, 0, t])
    return runs

def leb128(values):
    out = []
    for v in values:
        assert v >= 0
        while True:
            byte, v = v & 0x7F, v >> 7
            out.append(byte | (0x80 if v else 0))
            if not v:
                break
    return out

def zigzag(n):
    return 2 * n if n >= 0 else -2 * n - 1

def gaps(values):
    """A sorted list as the gaps between its items, the first from 0."""
    return [b - a for a, b in zip([0] + values, values)]

def write_bytes(w, name, data):
    w("pub(crate) const %s: [u8; %d] = [\n" % (name, len(data)))
    for i in range(0, len(data), 16):
        w("    " + ", ".join(str(b) for b in data[i:i+16]) + ",\n")
    w("];\n")

def write_runs(w, name, runs):
    """Writes `{name}_FIRSTS`, `{name}_TARGETS` and `{name}_SHAPES`."""
    firsts = [first for first, n, stride, shifted, t in runs]
    deltas = gaps(firsts)
    targets = [zigzag(first - t) for first, n, stride, shifted, t in runs]
    shapes = [(stride - 1) << 9 | shifted << 8 | (n - 1) for first, n, stride, shifted, t in runs]
    for suffix, values in (("FIRSTS", deltas), ("TARGETS", targets), ("SHAPES", shapes)):
        write_bytes(w, "%s_%s" % (name, suffix), leb128(values))

def main():
    rows = []
    for cp in range(0x80, 0x30000):
        if any(lo <= cp <= hi for lo, hi in SKIP) or 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if unicodedata.category(c)[0] not in "LNM":
            continue
        if is_diacritic(c):
            continue
        f = fold(c)
        if f != c and f != c.lower():
            rows.append((cp, f))
        elif c in "ßς":
            rows.append((cp, fold(c)))
    # Most folds are one character to one character, in runs of code points that fold to the
    # same character (à á â ã ä å → a) or to characters at the same distance (𝐚..𝐳 → a..z,
    # and upper/lower pairs that alternate, Ā ā Ă ă): stored as runs, they take a fraction of
    # the space of a table of single characters.
    single = [(cp, ord(f)) for cp, f in rows if len(f) == 1]
    multi = [(cp, f) for cp, f in rows if len(f) != 1]
    runs = build_runs(single)
    # Lower case, the step before folding (stemmers see "é"): core's own table is four times
    # the size of these runs.
    lower = []
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        low = chr(cp).lower()
        if low != chr(cp):
            assert len(low) == 1 or cp == 0x130, (hex(cp), low)
            if len(low) == 1:
                lower.append((cp, ord(low)))
    lower_runs = build_runs(lower)
    data = "".join(f for _, f in multi)
    w = sys.stdout.write
    w("// Generated by scripts/gen-fold-table.py from Unicode %s; do not edit.\n" % unicodedata.unidata_version)
    w("// Characters whose search form differs from their lower case, and that form.\n\n")
    w("/// Diacritic mark ranges that folding removes.\n")
    w("pub(crate) const DIACRITICS: [(u32, u32); %d] = [\n" % len(DIACRITICS))
    for lo, hi in DIACRITICS:
        w("    (0x%04X, 0x%04X),\n" % (lo, hi))
    w("];\n\n")
    w(RUNS_DOC)
    write_runs(w, "FOLD", runs)
    w("\n")
    w("/// Lower case of every character whose lower case is one other character (İ, whose\n")
    w("/// lower case is two, is handled in code), as runs like the `FOLD_` ones.\n")
    write_runs(w, "LOWER", lower_runs)
    w("\n")
    w("/// Characters that fold to several characters (ligatures, fractions, ...), each as its\n")
    w("/// distance from the one before (the first from 0), in LEB128.\n")
    write_bytes(w, "FOLD_MULTI_KEYS", leb128(gaps([cp for cp, _ in multi])))
    w("/// The UTF-8 length of each one's form in `FOLD_MULTI_DATA`, where the forms follow one\n")
    w("/// another.\n")
    lengths = [len(f.encode("utf-8")) for _, f in multi]
    assert max(lengths) < 256
    write_bytes(w, "FOLD_MULTI_LENGTHS", lengths)
    w("\n")
    escaped = data.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    # Rust wants \u{...} escapes, not Python's \uXXXX / \UXXXXXXXX / \xXX.
    import re
    escaped = re.sub(r"\\U([0-9a-f]{8})", lambda m: "\\u{%x}" % int(m.group(1), 16), escaped)
    escaped = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u{%x}" % int(m.group(1), 16), escaped)
    escaped = re.sub(r"\\x([0-9a-f]{2})", lambda m: "\\u{%x}" % int(m.group(1), 16), escaped)
    w("pub(crate) const FOLD_MULTI_DATA: &str = \"%s\";\n" % escaped)
    print("folds: %d in %d runs and %d longer; lower case: %d in %d runs" % (
        len(rows), len(runs), len(multi), len(lower), len(lower_runs)), file=sys.stderr)

main()
