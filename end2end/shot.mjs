// Ad-hoc screenshots: node shot.mjs <email> <path> <out.png> [width] [action]
import { chromium } from "@playwright/test";
const [email, path, out, width = "1280", action = ""] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
const w = Number(width);
const ctx = await browser.newContext({ viewport: { width: w, height: w < 600 ? 844 : 900 }, isMobile: w < 600, hasTouch: w < 600, deviceScaleFactor: 1 });
const page = await ctx.newPage();
page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
await page.goto("http://127.0.0.1:3100/login");
await page.waitForFunction(() => window.__hydrated !== undefined || document.readyState === "complete");
await page.waitForTimeout(800);
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password").fill("mentorship-demo");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/home/, { waitUntil: "commit" });
if (path.startsWith("board:")) {
  await page.goto("http://127.0.0.1:3100/admin/cohorts");
  await page.getByRole("link", { name: "Matching board of " + path.slice(6) }).click();
  await page.waitForURL(/board/);
} else {
  await page.goto("http://127.0.0.1:3100" + path);
}
await page.waitForTimeout(1500);
if (action === "auto") { await page.getByRole("button", { name: "Auto-match all" }).click(); await page.waitForTimeout(1500); }
await page.screenshot({ path: out, fullPage: true });
await browser.close();
