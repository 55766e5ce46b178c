// The last step of `./x build`: give the front end's files cache-safe names, tell the server those
// names, precompress, and report the weight of what each kind of page downloads.
//
//   node frontend/site.mjs PKG_DIR HASH_FILE [--precompress] [--report FILE]
//
// Names. The main JS glue, the main wasm, the split loader and the lazily loaded chunks refer to one
// another in a cycle (the glue imports the loader, the loader imports the glue and fetches the
// chunks), so a per-file content hash cannot name them consistently. They all get one build id
// instead: the MD5 of every one of their contents, base64url (22 characters, the length of the
// `______________________` placeholder wasm-split leaves in the loader's name, which also appears
// inside the wasm binaries and is replaced there byte for byte). The stylesheet refers to nothing
// and gets its own content hash. Every name changes when anything in it changes, so the server can
// send them with `Cache-Control: immutable`.
//
// The hash file (`js:`, `wasm:`, `css:`, `manifest:`, `split:` lines) is what Leptos'
// `HydrationScripts` and `HashedStylesheet` read to name the files in the HTML.
//
// --precompress writes `.br` (quality 11) and `.gz` (level 9) beside every file, served as-is by the
// server (tower-http's precompressed files) instead of compressing on each request.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const PLACEHOLDER = '______________________';
const LOADER = `__wasm_split.${PLACEHOLDER}.js`;
const MANIFEST = '__wasm_split_manifest.json';

const args = process.argv.slice(2);
const [pkgDir, hashFile] = args;
if (!pkgDir || !hashFile) {
  console.error('usage: node frontend/site.mjs PKG_DIR HASH_FILE [--precompress] [--report FILE]');
  process.exit(2);
}
const precompress = args.includes('--precompress');
const reportAt = args.indexOf('--report');
const reportFile = reportAt > 0 ? args[reportAt + 1] : null;

const p = (name) => path.join(pkgDir, name);
const read = (name) => fs.readFileSync(p(name));
const must = (name) => {
  if (!fs.existsSync(p(name))) throw new Error(`${p(name)} is missing: did wasm-split and wasm-bindgen run?`);
};
must('mentorship.js');
must('mentorship.wasm');
must('mentorship.css');
must(LOADER);
must(MANIFEST);

const chunks = fs.readdirSync(pkgDir).filter((f) => f.endsWith('.wasm') && f !== 'mentorship.wasm').sort();
const linked = ['mentorship.js', 'mentorship.wasm', LOADER, MANIFEST, ...chunks];

// One id for the linked set.
const idHash = createHash('md5');
for (const name of linked) idHash.update(name).update(read(name));
const id = idHash.digest('base64url');
if (id.length !== PLACEHOLDER.length) throw new Error(`build id ${id} is not ${PLACEHOLDER.length} characters`);
const cssHash = createHash('md5').update(read('mentorship.css')).digest('base64url');

const stem = (name) => name.replace(/\.[^.]+$/, '');
const ext = (name) => name.slice(name.lastIndexOf('.'));
const hashed = (name) => (name === LOADER ? LOADER.replace(PLACEHOLDER, id) : `${stem(name)}.${id}${ext(name)}`);

// The glue: the loader's name (import path and the imports-object key, which must match the module
// name inside the wasm binary, rewritten below with the same bytes).
let js = read('mentorship.js').toString('utf8');
js = js.split(LOADER).join(hashed(LOADER));
fs.writeFileSync(p(hashed('mentorship.js')), js);

// The loader: the glue it imports and the chunks it fetches.
let loader = read(LOADER).toString('utf8');
loader = loader.split('"./mentorship.js"').join(`"./${hashed('mentorship.js')}"`);
for (const chunk of chunks) loader = loader.split(`"./${chunk}"`).join(`"./${hashed(chunk)}"`);
fs.writeFileSync(p(hashed(LOADER)), loader);

// The manifest names chunks without their extension.
const manifest = JSON.parse(read(MANIFEST).toString('utf8'));
for (const key of Object.keys(manifest)) manifest[key] = manifest[key].map((c) => stem(hashed(`${c}.wasm`)));
fs.writeFileSync(p(hashed(MANIFEST)), JSON.stringify(manifest, null, 1));

// The binaries: the loader's module name, same length, byte for byte.
const from = Buffer.from(LOADER);
const to = Buffer.from(hashed(LOADER));
for (const name of ['mentorship.wasm', ...chunks]) {
  const bytes = read(name);
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + to.length)) to.copy(bytes, at);
  fs.writeFileSync(p(hashed(name)), bytes);
}

fs.renameSync(p('mentorship.css'), p(`mentorship.${cssHash}.css`));
// ECharts (only chart pages load it) refers to nothing either: its own content id, which the
// server puts in the page's `echarts-src` meta tag.
must('echarts.js');
const echartsHash = createHash('md5').update(read('echarts.js')).digest('base64url');
fs.renameSync(p('echarts.js'), p(`echarts.${echartsHash}.js`));
for (const name of linked) fs.rmSync(p(name));

fs.writeFileSync(hashFile, `js: ${id}\nwasm: ${id}\ncss: ${cssHash}\nmanifest: ${id}\nsplit: ${id}\necharts: ${echartsHash}\n`);

// Sizes: what a page that uses no lazy chunk downloads (glue + main wasm + stylesheet), and each
// lazily loaded page's extra chunks, raw / gzip -9 / brotli 11.
const sizes = (buf) => ({
  raw: buf.length,
  gzip: zlib.gzipSync(buf, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(buf, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  }).length,
});
const files = fs.readdirSync(pkgDir).filter((f) => /\.(js|wasm|css|json)$/.test(f));
if (!reportFile && !precompress) process.exit(0);
const sizeOf = new Map(files.map((f) => [f, sizes(read(f))]));
const sum = (names) =>
  names.reduce((t, n) => ({ raw: t.raw + sizeOf.get(n).raw, gzip: t.gzip + sizeOf.get(n).gzip, brotli: t.brotli + sizeOf.get(n).brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
const initial = {
  wasm: sizeOf.get(hashed('mentorship.wasm')),
  js: sizeOf.get(hashed('mentorship.js')),
  css: sizeOf.get(`mentorship.${cssHash}.css`),
};
initial.total = sum([hashed('mentorship.wasm'), hashed('mentorship.js')]);
const lazy = {};
for (const [split, parts] of Object.entries(manifest)) {
  const page = split.replace(/^__/, '').replace(/_\d+$/, '');
  lazy[page] = sum([...parts.map((c) => `${c}.wasm`), hashed(LOADER)]);
}
const charts = sizeOf.get(`echarts.${echartsHash}.js`);
const report = { build_id: id, initial, lazy, charts };
if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(
  `initial wasm+js: raw ${kb(initial.total.raw)}, gzip ${kb(initial.total.gzip)}, brotli ${kb(initial.total.brotli)} ` +
    `(css brotli ${kb(initial.css.brotli)}); lazy pages: ` +
    Object.entries(lazy)
      .map(([k, v]) => `${k} +${kb(v.brotli)}`)
      .join(', '),
);

if (precompress) {
  for (const f of files) {
    const buf = read(f);
    fs.writeFileSync(
      p(`${f}.br`),
      zlib.brotliCompressSync(buf, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
      }),
    );
    fs.writeFileSync(p(`${f}.gz`), zlib.gzipSync(buf, { level: 9 }));
  }
}
