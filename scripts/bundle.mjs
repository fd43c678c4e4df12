// Bundles the widget, www/src/glossa.js and its imports, into www/dist/glossa.js: minified
// by esbuild, with the stylesheets of styles.js minified as CSS too. esbuild leaves a
// template literal as written, so without this every reader would download the sheets'
// comments and indentation (0.3 kB of the gzipped bundle).
//
// The English core's glue, as scripts/build.sh leaves it in www/dist/core/, is bundled in:
// every page loads it with the widget, and one file compresses better than two (the glue
// shares the widget's vocabulary) and leaves out what the widget never calls (initSync).
// Run it after the glue is built. The other core's glue stays a file of its own, imported
// only by pages in another language.
//
// usage: node scripts/bundle.mjs BANNER   (from anywhere; paths are the repository's)
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";

const [banner = ""] = process.argv.slice(2);
const root = fileURLToPath(new URL("..", import.meta.url));

// A sheet is a `const NAME_CSS = `...`;` declaration, alone on its lines, with no
// interpolation or escape: then its text is the literal's source, which is what gets minified.
const SHEET = /^((?:export )?const \w+_CSS = )`([^`$\\]*)`;$/gm;

// engine.js imports "./core/glossa_core.js" relative to where glossa.js is served.
const englishGlue = {
  name: "english-glue",
  setup(b) {
    b.onResolve({ filter: /^\.\/core\/glossa_core\.js$/ }, () => ({ path: `${root}www/dist/core/glossa_core.js` }));
  },
};

const minifyStyles = {
  name: "minify-styles",
  setup(b) {
    b.onLoad({ filter: /[\\/]www[\\/]src[\\/]styles\.js$/ }, async ({ path }) => {
      const js = await readFile(path, "utf8");
      const sheets = [...js.matchAll(SHEET)];
      const declared = js.match(/_CSS = `/g)?.length ?? 0;
      if (sheets.length !== declared) {
        throw new Error(`styles.js: ${declared - sheets.length} of ${declared} sheets are not plain \`const NAME_CSS = \`...\`;\` literals`);
      }
      let out = "";
      let at = 0;
      for (const m of sheets) {
        const { code, warnings } = await transform(m[2], { loader: "css", minify: true, charset: "utf8", logLevel: "silent" });
        if (warnings.length) throw new Error(`styles.js: ${m[1].match(/\w+_CSS/)[0]}: ${warnings[0].text}`);
        // JSON.stringify makes a JS string literal whatever the CSS holds.
        out += js.slice(at, m.index) + m[1] + JSON.stringify(code.trim()) + ";";
        at = m.index + m[0].length;
      }
      return { contents: out + js.slice(at), loader: "js" };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ["www/src/glossa.js"],
  outfile: "www/dist/glossa.js",
  bundle: true,
  minify: true,
  target: "es2022",
  format: "esm",
  external: ["./core-intl/glossa_core.js"],
  banner: { js: banner },
  plugins: [englishGlue, minifyStyles],
  logLevel: "warning",
});
