// Matching board at size: frame times while dragging, and how long a drop takes to show (wasm
// preview) and to be saved (server). Not a test: it prints figures.
//
//   DEMO_LARGE_BOARD=500x150 mentorship serve --seed-demo   (on 127.0.0.1:3100, mem://)
//   node bench/board-drag.mjs [drags]
//
// A drag moves the pointer in 40 steps, one per animation frame, from a mentee card to another
// mentor. Frame deltas are recorded with requestAnimationFrame during the moves; a frame over
// 33 ms means at least one frame was dropped.
import { chromium } from "@playwright/test";

import { installHydrationProbe, waitForHydrated } from "../hydration.mjs";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3100";
const drags = Number(process.argv[2] ?? 7);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox"],
});
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
page.on("pageerror", (e) => console.log("page error:", e.message));
await installHydrationProbe(page);

await page.goto(`${base}/login`);
await waitForHydrated(page);
await page.getByLabel("Email", { exact: true }).fill("admin@northwind.example");
await page.getByLabel("Password", { exact: true }).fill("mentorship-demo");
await page.getByRole("button", { name: "Sign in", exact: true }).click();
await page.waitForURL(/home/);
await page.goto(`${base}/admin/cohorts`);
const href = await page.getByRole("link", { name: "Matching board of Large board" }).getAttribute("href");

const t0 = Date.now();
await page.goto(base + href);
const totals = page.getByTestId("board-totals");
await totals.waitFor();
await waitForHydrated(page, 60_000);
const loadMs = Date.now() - t0;
const counts = await page.evaluate(() => ({
  mentees: document.querySelectorAll(".mentee-card").length,
  mentors: document.querySelectorAll(".mentor-card").length,
}));

const t1 = Date.now();
const [autoResp] = await Promise.all([
  page.waitForResponse((r) => r.url().endsWith("/api/board/edit")),
  page.getByRole("button", { name: "Auto-match all" }).click(),
]);
await page.waitForFunction(() => !document.querySelector("[data-testid=board-totals]").textContent.startsWith("0 of"));
const autoMs = Date.now() - t1;
console.log(`board: ${counts.mentees} mentee cards, ${counts.mentors} mentors · page load ${loadMs} ms · auto-match all ${autoMs} ms (HTTP ${autoResp.status()})`);
console.log(`after auto-match: ${await totals.textContent()}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const rows = [];
for (let d = 0; d < drags; d++) {
  // A mentee in the d-th mentor's places, dragged to the (d+1)-th mentor.
  const mentors = page.locator(".mentor-card");
  const source = mentors.nth(d).locator(".mentee-card").first();
  const target = mentors.nth(d + 1);
  await source.evaluate((el) => el.scrollIntoView({ block: "center" }));
  const name = (await source.locator(".card-name").textContent()).trim();
  const a = await source.locator(".grip").boundingBox();
  const b = await target.boundingBox();
  await page.evaluate(() => {
    window.__frames = [];
    window.__rec = true;
    const tick = (t) => {
      window.__frames.push(t);
      if (window.__rec) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  const steps = 40;
  for (let k = 1; k <= steps; k++) {
    await page.mouse.move(a.x + ((b.x + b.width / 2 - a.x) * k) / steps, a.y + ((b.y + 30 - a.y) * k) / steps);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  const frames = await page.evaluate(() => {
    window.__rec = false;
    const f = window.__frames;
    return f.slice(1).map((t, i) => t - f[i]);
  });
  const up = Date.now();
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/board/edit"));
  await page.mouse.up();
  // The preview: the card shows up in the target mentor before the server answers.
  await page.waitForFunction(
    ([n, idx]) => [...document.querySelectorAll(".mentor-card")[idx].querySelectorAll(".card-name")].some((e) => e.textContent.trim() === n),
    [name, d + 1],
    { polling: "raf" },
  );
  const previewMs = Date.now() - up;
  const resp = await saved;
  const savedMs = Date.now() - up;
  rows.push({ p50: median(frames), p95: pct(frames, 95), max: Math.max(...frames), slow: frames.filter((x) => x > 33.4).length, n: frames.length, previewMs, savedMs, status: resp.status() });
}
console.log("drag  frames  p50 ms  p95 ms  max ms  >33ms  drop→preview ms  drop→saved ms");
rows.forEach((r, i) =>
  console.log(`${String(i + 1).padStart(4)}  ${String(r.n).padStart(6)}  ${r.p50.toFixed(1).padStart(6)}  ${r.p95.toFixed(1).padStart(6)}  ${r.max.toFixed(1).padStart(6)}  ${String(r.slow).padStart(5)}  ${String(r.previewMs).padStart(15)}  ${String(r.savedMs).padStart(13)}  HTTP ${r.status}`),
);
console.log(
  `median over ${rows.length} drags: frame p50 ${median(rows.map((r) => r.p50)).toFixed(1)} ms, p95 ${median(rows.map((r) => r.p95)).toFixed(1)} ms, ` +
    `drop→preview ${median(rows.map((r) => r.previewMs))} ms, drop→saved ${median(rows.map((r) => r.savedMs))} ms`,
);
await browser.close();
