// Before/after check of a stylesheet change: the main pages of every role at 1280 and 390 px,
// screenshotted once with each stylesheet and compared pixel by pixel, with the computed styles
// that differ. Not a test: it prints one line per page and keeps the screenshots.
//
//   mentorship serve --seed-demo                    (mem://, on BASE_URL, default 127.0.0.1:3100)
//   cat $(sed -n 's|^\([a-z].*\.css\)$|style/\1|p' style/ORDER) > /tmp/after.css
//   node bench/css-compare.mjs /tmp/css-compare before.css /tmp/after.css
//
// Each stylesheet is served in place of /pkg/mentorship.css (request interception), page by page,
// so both see the same data. ONLY=regex limits the pages (e.g. ONLY=admin-390), WIDTHS=1280,390.
// Pages with moving parts may differ by a few pixels between two runs of the same stylesheet
// (a file input after a file is chosen does); run "before.css before.css" to see that noise.
import { chromium } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:3100";
const [out, beforeFile, afterFile] = process.argv.slice(2);
if (!afterFile) throw new Error("usage: node bench/css-compare.mjs OUT_DIR before.css after.css");
const variants = [
  { name: "before", css: fs.readFileSync(beforeFile) },
  { name: "after", css: fs.readFileSync(afterFile) },
];
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
const widths = (process.env.WIDTHS ?? "1280,390").split(",").map(Number);
const ROLES = {
  anon: null,
  admin: "admin@northwind.example",
  leader: "leader@northwind.example",
  mentor: "mentor@northwind.example",
  mentee: "mentee@northwind.example",
};
// Rows for the import preview (checked, never imported).
const CSV =
  "email,name,department,title,level,manager_email,skills,role\r\n" +
  "ana.lima@example.com,Ana Lima,Sales,Account Executive,3,bo.chen@example.com,Giving feedback;Delegation,mentee\r\n" +
  "bo.chen@example.com,Bo Chen,Sales,Sales Manager,6,,Coaching others,mentor\r\n";

const found = {};
const firstHref = async (page, re) => {
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
  return hrefs.find((h) => re.test(h)) ?? null;
};
// [name, path or () => path, optional: find ids on the page, optional: act before the screenshot]
const PAGES = {
  anon: [["landing", "/"], ["login", "/login"]],
  admin: [
    ["home", "/home/admin"],
    ["users", "/admin/users"],
    ["skills", "/admin/skills"],
    ["programs", "/admin/programs", async (p) => (found.program ??= await firstHref(p, /^\/admin\/programs\/(?!new)[^/]+$/))],
    ["program", () => found.program],
    ["program-new", "/admin/programs/new"],
    ["cohorts-admin", "/admin/cohorts", async (p) => (found.cohort ??= await firstHref(p, /^\/admin\/cohorts\/[^/]+$/))],
    ["cohort", () => found.cohort],
    ["board", () => found.cohort && found.cohort + "/board"],
    ["import", "/admin/import"],
    [
      "import-preview",
      "/admin/import",
      null,
      async (p) => {
        await p.getByLabel("CSV file (UTF-8)").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
        await p.getByText(/rows: .* No problems found\./).waitFor({ timeout: 15000 });
      },
    ],
    ["cohorts", "/cohorts"],
    ["account", "/account"],
  ],
  leader: [["home", "/home/leadership"], ["cohorts", "/cohorts"], ["account", "/account"]],
  mentor: [
    ["home", "/home/mentor", async (p) => (found.mentorPair ??= await firstHref(p, /^\/pairs\/[^/]+$/))],
    ["pair", () => found.mentorPair],
    ["cohorts", "/cohorts"],
    ["account", "/account"],
  ],
  mentee: [
    [
      "home",
      "/home/mentee",
      async (p) => {
        found.pair ??= await firstHref(p, /^\/pairs\/[^/]+$/);
        found.goal ??= await firstHref(p, /^\/goals\/(?!new)[^/]+$/);
        found.award ??= await firstHref(p, /^\/awards\/[^/]+$/);
      },
    ],
    ["goal", () => found.goal],
    ["goal-edit", () => found.goal && found.goal + "/edit"],
    ["goal-new", "/goals/new"],
    ["pair", () => found.pair],
    ["timeline", () => found.pair && found.pair + "/timeline"],
    ["award", () => found.award],
    ["cohorts", "/cohorts"],
    ["account", "/account"],
  ],
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
for (const v of variants) fs.mkdirSync(path.join(out, v.name), { recursive: true });

async function newContext(width, variant, role) {
  const phone = width < 600;
  const ctx = await browser.newContext({
    baseURL: BASE,
    viewport: { width, height: phone ? 844 : 900 },
    isMobile: phone,
    hasTouch: phone,
    deviceScaleFactor: 1,
  });
  await ctx.route("**/pkg/mentorship.css", (route) => route.fulfill({ status: 200, contentType: "text/css", body: variant.css }));
  // Records when the wasm bundle is instantiated (hydration follows in the same task).
  await ctx.addInitScript(() => {
    const state = { ready: false };
    window.__cssCompare = state;
    for (const name of ["instantiateStreaming", "instantiate"]) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) {
        const r = original.apply(WebAssembly, args);
        Promise.resolve(r).then(() => setTimeout(() => (state.ready = true), 0));
        return r;
      };
    }
  });
  if (ROLES[role]) {
    const r = await ctx.request.post("/api/auth/login", { form: { email: ROLES[role], password: "mentorship-demo" } });
    if (r.status() !== 200) throw new Error(`sign-in of ${role}: ${r.status()}`);
  }
  return ctx;
}

async function settle(page) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.waitForFunction(() => window.__cssCompare?.ready, null, { timeout: 15000 }).catch(() => {});
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(400);
}

// Computed style of every element, custom properties left out (they differ with every new token).
const styles = (page) =>
  page.evaluate(() =>
    [...document.body.querySelectorAll("*")].map((el) => {
      const cs = getComputedStyle(el);
      const props = {};
      for (let i = 0; i < cs.length; i++) if (!cs[i].startsWith("--")) props[cs[i]] = cs.getPropertyValue(cs[i]);
      return props;
    }),
  );

function styleDiff(a, b) {
  if (a.length !== b.length) return `element count ${a.length} vs ${b.length}`;
  const props = new Map();
  a.forEach((pa, i) => {
    for (const k of Object.keys(pa)) if (pa[k] !== b[i][k]) props.set(k, (props.get(k) ?? 0) + 1);
  });
  return [...props].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([k, n]) => `${k}×${n}`).join(" ");
}

// Pixel difference of two PNGs, decoded by the browser: count and bounding box.
async function pixelDiff(page, a, b) {
  return page.evaluate(async ([a, b]) => {
    const load = (src) => new Promise((ok) => { const i = new Image(); i.onload = () => ok(i); i.src = src; });
    const [ia, ib] = await Promise.all([load(a), load(b)]);
    if (ia.width !== ib.width || ia.height !== ib.height) return `size ${ia.width}x${ia.height} vs ${ib.width}x${ib.height}`;
    const data = (img) => {
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, img.width, img.height).data;
    };
    const [da, db] = [data(ia), data(ib)];
    let n = 0, x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
    for (let p = 0; p < da.length; p += 4) {
      if (da[p] !== db[p] || da[p + 1] !== db[p + 1] || da[p + 2] !== db[p + 2]) {
        n++;
        const x = (p / 4) % ia.width, y = Math.floor(p / 4 / ia.width);
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
    }
    return n ? `${n} pixels differ in ${x0},${y0}..${x1},${y1}` : "identical";
  }, [a, b].map((buf) => "data:image/png;base64," + buf.toString("base64")));
}

const scratch = await (await browser.newContext()).newPage();
let same = 0, total = 0;
for (const [role, pages] of Object.entries(PAGES)) {
  for (const width of widths) {
    const tabs = [];
    for (const v of variants) tabs.push(await (await newContext(width, v, role)).newPage());
    for (const [slug, where, discover, act] of pages) {
      const url = typeof where === "function" ? where() : where;
      const key = `${role}-${width}-${slug}`;
      if (!url || (only && !only.test(key))) continue;
      const shots = [], css = [];
      for (let i = 0; i < variants.length; i++) {
        const page = tabs[i];
        await page.goto(url);
        await settle(page);
        if (discover && i === 0) await discover(page);
        if (act) await act(page);
        const file = path.join(out, variants[i].name, key + ".png");
        shots.push(await page.screenshot({ path: file, fullPage: true, animations: "disabled" }));
        css.push(await styles(page));
      }
      const pixels = shots[0].equals(shots[1]) ? "identical" : await pixelDiff(scratch, shots[0], shots[1]);
      const props = styleDiff(css[0], css[1]);
      total++;
      if (pixels === "identical") same++;
      console.log(`${key.padEnd(30)} ${pixels}${props ? `; computed styles differ: ${props}` : ""}`);
    }
    for (const t of tabs) await t.context().close();
  }
}
console.log(`${same} of ${total} pages identical; screenshots in ${out}/before and ${out}/after`);
await browser.close();
