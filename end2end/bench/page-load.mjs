// First load of pages as a participant on a phone: bytes, largest paint, interactive. Not a test: it
// prints figures (median of RUNS cold-cache loads per page).
//
//   ./x run --demo            (or any server on BASE_URL with the demo organization)
//   node bench/page-load.mjs [PAGE ...]
//
// A PAGE is a path, optionally `@role` to load it signed in as that demo user (admin, leader,
// mentor, mentee), e.g. `/`, `/login`, `/home/mentee@mentee`, `/admin/cohorts@admin`. `goal@mentee`
// stands for the mentee's first goal page, `report@mentee` for the progress report of their first pair. Default: `/ /home/mentee@mentee goal@mentee`.
//
// The profile is Lighthouse's mobile one, applied with Chromium's DevTools throttling: 150 ms round
// trip, 1.6 Mbit/s down, 750 kbit/s up, 4x CPU slowdown, a 390 x 844 viewport, empty cache (a new
// browser context per load). Columns:
// - transferred: every response body as it came over the wire (after compression);
// - wasm+js: the part of that which is the app's wasm and JavaScript;
// - LCP: largest contentful paint;
// - interactive: every wasm module the page fetched is instantiated and hydration has run (the
//   same signal the journeys wait for; see tests/helpers.ts), measured from navigation start.
import { chromium } from "@playwright/test";

import { installHydrationProbe } from "../hydration.mjs";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const runs = Number(process.env.RUNS ?? 5);
const pages = process.argv.slice(2).length ? process.argv.slice(2) : ["/", "/home/mentee@mentee", "goal@mentee"];
const emails = {
  admin: "admin@northwind.example",
  leader: "leader@northwind.example",
  mentor: "mentor@northwind.example",
  mentee: "mentee@northwind.example",
};
const PASSWORD = process.env.DEMO_PASSWORD ?? "mentorship-demo";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});

/** A signed-in session's cookies (sign-in is a plain form POST; no throttling needed for it). */
async function sessionCookies(role) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email", { exact: true }).fill(emails[role]);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await Promise.all([page.waitForURL(/\/home/), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
  const cookies = await ctx.cookies();
  let goal = null;
  if (role === "mentee" || role === "mentor") {
    goal = await page
      .locator('a[href^="/goals/"]:not([href^="/goals/new"])')
      .first()
      .getAttribute("href")
      .catch(() => null);
  }
  let report = null;
  if (role === "mentee" || role === "mentor") {
    const pair = await page
      .locator('a[href^="/pairs/"]')
      .first()
      .getAttribute("href", { timeout: 5000 })
      .catch(() => null);
    if (pair) report = `${pair.match(/^\/pairs\/[^/]+/)[0]}/report`;
  }
  await ctx.close();
  return { cookies, goal, report };
}

async function loadOnce(path, cookies) {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    userAgent:
      "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
  });
  if (cookies) await ctx.addCookies(cookies);
  const page = await ctx.newPage();
  // The journeys' readiness signal (hydration.mjs), which also records when it became ready.
  await installHydrationProbe(page);
  await page.addInitScript(() => {
    const probe = { lcp: 0 };
    window.__bench = probe;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.lcp = Math.max(probe.lcp, e.startTime);
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  // The service worker (public/sw.js) claims the page as soon as it is installed, often while the
  // page is still fetching its lazy chunks: those fetches are then the worker's, not the page's, and
  // this session saw none of their bytes (the goal and survey pages were counted at the main module's
  // 249 KB in two of three runs). A first visit gets nothing from the worker's cache anyway.
  await cdp.send("Network.setBypassServiceWorker", { bypass: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1638.4 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const urls = new Map();
  let transferred = 0;
  let appBytes = 0;
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => {
    transferred += e.encodedDataLength;
    const url = urls.get(e.requestId) ?? "";
    if (/\/pkg\/.*\.(wasm|js)(\?|$)/.test(url)) appBytes += e.encodedDataLength;
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base + path, { waitUntil: "load", timeout: 120_000 });
  await page.waitForFunction(() => window.__toolWasm.readyAt !== null, null, { timeout: 120_000, polling: 50 });
  // Let a late largest paint (web fonts, images) be recorded.
  await page.waitForTimeout(300);
  const { readyAt, lcp } = await page.evaluate(() => ({ readyAt: window.__toolWasm.readyAt, lcp: window.__bench.lcp }));
  await ctx.close();
  if (errors.length) throw new Error(`${path}: page errors: ${errors.join("; ")}`);
  return { transferred, appBytes, lcp, interactive: readyAt };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;

const sessions = {};
console.log(`${base} · mobile profile (150 ms RTT, 1.6 Mbit/s, 4x CPU, 390 px) · median of ${runs} cold loads`);
console.log(["page".padEnd(28), "transferred".padStart(12), "wasm+js".padStart(10), "LCP".padStart(8), "interactive".padStart(12)].join(" "));
for (const spec of pages) {
  const [target, role] = spec.split("@");
  let cookies = null;
  let path = target;
  if (role) {
    sessions[role] ??= await sessionCookies(role);
    cookies = sessions[role].cookies;
    if (target === "goal" || target === "report") {
      path = sessions[role][target];
      if (!path) throw new Error(`${role} has no ${target} to open`);
    }
  }
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await loadOnce(path, cookies));
  const m = (k) => median(results.map((r) => r[k]));
  console.log(
    [
      `${path}${role ? ` (${role})` : ""}`.padEnd(28),
      kb(m("transferred")).padStart(12),
      kb(m("appBytes")).padStart(10),
      sec(m("lcp")).padStart(8),
      sec(m("interactive")).padStart(12),
    ].join(" "),
  );
}
await browser.close();
