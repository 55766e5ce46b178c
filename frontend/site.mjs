// The last step of `./x build`: give the front end's files cache-safe names, tell the server those
// names, precompress, and report the weight of what each kind of page downloads.
//
//   node frontend/site.mjs PKG_DIR HASH_FILE [--precompress] [--minify] [--report FILE]
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
//
// --minify minifies the glue and the loader with esbuild (the release bundle): 3.3 KB less over the
// wire on every page. Their exports, the imports object's keys the wasm binaries look up, and
// `import.meta.url` are kept; only local names and whitespace go.
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
const minify = args.includes('--minify');
// The glue imports the loader once per import it takes from it, each time under the same key of
// the imports object (wasm-bindgen's output): harmless, as they are one module; not a warning.
const minified = async (code) =>
  minify
    ? (await import('esbuild')).transformSync(code, {
        minify: true,
        format: 'esm',
        legalComments: 'none',
        logOverride: { 'duplicate-object-key': 'silent' },
      }).code
    : code;
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
// And this script, which rewrites the loader and writes the packs: the same inputs put together
// differently must not reuse the name of files a browser keeps as immutable.
idHash.update(fs.readFileSync(new URL(import.meta.url)));
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
fs.writeFileSync(p(hashed('mentorship.js')), await minified(js));

// The binaries: the loader's module name, same length, byte for byte.
const from = Buffer.from(LOADER);
const to = Buffer.from(hashed(LOADER));
for (const name of ['mentorship.wasm', ...chunks]) {
  const bytes = read(name);
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + to.length)) to.copy(bytes, at);
  fs.writeFileSync(p(hashed(name)), bytes);
}

// Packs: a group of pages needs its own module and 40-odd chunks it shares with other groups
// (`__wasm_split_manifest.json`). Fetched one by one they cost a phone 40-odd requests (six at a
// time over HTTP/1.1, a round trip each) and compress 25 % worse than together. So each group also
// gets one pack, its files one after the other (`pack_<group>.<id>.wasm`): the page's HTML preloads
// the pack (the manifest the server reads names only the pack), and the loader takes each file from
// it. A later group (a client-side navigation) fetches its own pack only when at least half of it
// has not been fetched yet; otherwise the few missing files come one by one.
const manifest = JSON.parse(read(MANIFEST).toString('utf8'));
const packs = {};
for (const [key, parts] of Object.entries(manifest)) {
  const files = parts.map((c) => hashed(`${c}.wasm`));
  const bufs = files.map((f) => fs.readFileSync(p(f)));
  const pack = `pack_${key}.${id}.wasm`;
  fs.writeFileSync(p(pack), Buffer.concat(bufs));
  packs[key] = { pack, files: files.map((f, i) => [f, bufs[i].length]) };
  manifest[key] = [stem(pack)];
}
fs.writeFileSync(p(hashed(MANIFEST)), JSON.stringify(manifest, null, 1));

// The loader: the glue it imports, the files it fetches, and the packs. Its code is wasm-split's
// (wasm_split_cli_support 0.2.4, pinned by the x script); each rewrite below checks that it found
// what it expects, so a new version fails the build here instead of loading wrongly.
let loader = read(LOADER).toString('utf8');
loader = loader.split('"./mentorship.js"').join(`"./${hashed('mentorship.js')}"`);
for (const chunk of chunks) loader = loader.split(`"./${chunk}"`).join(`"./${hashed(chunk)}"`);
const replaceCounted = (text, pattern, replacement, expected, what) => {
  let n = 0;
  const out = text.replace(pattern, (...m) => {
    n += 1;
    return typeof replacement === 'function' ? replacement(...m) : replacement;
  });
  if (n !== expected) throw new Error(`the split loader: expected ${expected} ${what}, found ${n}`);
  return out;
};
loader = replaceCounted(
  loader,
  /fetch\(new URL\("\.\/([^"]+\.wasm)", import\.meta\.url\)\)/g,
  (_, file) => `__fetchPart(${JSON.stringify(file)})`,
  chunks.length,
  'fetches of a chunk',
);
loader = replaceCounted(loader, 'function wrapAsyncCb(callee) {', 'function wrapAsyncCb(group, callee) {', 1, 'wrapAsyncCb definition');
loader = replaceCounted(loader, '            await callee();', '            __choosePack(group);\n            await callee();', 1, 'callee call');
loader = replaceCounted(
  loader,
  /export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(/g,
  (_, key) => {
    if (!packs[key]) throw new Error(`the split loader loads ${key}, which the manifest does not name`);
    return `export const __wasm_split_load_${key} = wrapAsyncCb(${JSON.stringify(key)}, makeLoad(`;
  },
  Object.keys(packs).length,
  'split points',
);
loader += `
// Packs (frontend/site.mjs): per group, its pack and the files in it with their lengths.
const __PACKS = ${JSON.stringify(packs)};
// Files asked for so far, and where each file still to come will be taken from.
const __asked = new Set();
const __fromPack = new Map();
function __choosePack(group) {
  const pack = __PACKS[group];
  if (!pack) return;
  let offset = 0, total = 0, missing = 0;
  const places = [];
  for (const [file, length] of pack.files) {
    total += length;
    if (!__asked.has(file) && !__fromPack.has(file)) {
      missing += length;
      places.push([file, offset, length]);
    }
    offset += length;
  }
  if (missing * 2 < total) return;
  const bytes = fetch(new URL("./" + pack.pack, import.meta.url)).then((r) => {
    if (!r.ok) throw new Error(pack.pack + ": " + r.status);
    return r.arrayBuffer();
  });
  bytes.catch(() => {});
  for (const [file, at, length] of places) __fromPack.set(file, { bytes, at, length });
}
function __fetchPart(file) {
  __asked.add(file);
  const place = __fromPack.get(file);
  __fromPack.delete(file);
  const own = () => fetch(new URL("./" + file, import.meta.url));
  if (!place) return own();
  return place.bytes.then(
    (buffer) => new Response(new Uint8Array(buffer, place.at, place.length), { headers: { "Content-Type": "application/wasm" } }),
    own,
  );
}
`;
fs.writeFileSync(p(hashed(LOADER)), await minified(loader));

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
  lazy[page].files = packs[split].files.length;
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
