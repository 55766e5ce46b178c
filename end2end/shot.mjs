// Ad-hoc screenshots: node shot.mjs <email> <path> <out.png> [width] [action]
// <path> is a page path, or "board:<cohort name>" for that cohort's matching board; action "auto"
// presses "Auto-match all" first, "click:<name>" the first button of that name. BASE_URL overrides the server (default http://127.0.0.1:3100).
import { chromium } from "@playwright/test";

import { installHydrationProbe, waitForHydrated } from "./hydration.mjs";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3100";
const [email, path, out, width = "1280", action = ""] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
const w = Number(width);
const ctx = await browser.newContext({ viewport: { width: w, height: w < 600 ? 844 : 900 }, isMobile: w < 600, hasTouch: w < 600, deviceScaleFactor: 1 });
const page = await ctx.newPage();
page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
await installHydrationProbe(page);
await page.goto(`${base}/login`);
await waitForHydrated(page);
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password").fill("mentorship-demo");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/home/, { waitUntil: "commit" });
if (path.startsWith("board:")) {
  await page.goto(`${base}/admin/cohorts`);
  await waitForHydrated(page);
  await page.getByRole("link", { name: "Matching board of " + path.slice(6) }).click();
  await page.waitForURL(/board/);
  await page.getByTestId("board-totals").waitFor();
} else {
  await page.goto(base + path);
  await waitForHydrated(page);
}
if (action.startsWith("click:")) {
  // Opens something first, e.g. "click:HR outcomes" (the first button of that name).
  await page.getByRole("button", { name: action.slice(6) }).first().click();
  await page.waitForTimeout(300);
}
if (action === "auto") {
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/board/edit")),
    page.getByRole("button", { name: "Auto-match all" }).click(),
  ]);
  await page.waitForFunction(() => !document.querySelector("[data-testid=board-totals]")?.textContent?.startsWith("0 of"));
}
// Charts draw after hydration, once ECharts' script has loaded.
if (await page.locator("[data-chart]").count()) {
  await page.waitForFunction(() => [...document.querySelectorAll("[data-chart]")].every((c) => c.querySelector("canvas")), null, { timeout: 10_000 }).catch(() => console.log("charts not drawn"));
  await page.waitForTimeout(300);
}
await page.screenshot({ path: out, fullPage: true });
await browser.close();
