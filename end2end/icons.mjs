// Draws the app's home-screen icons (public/icons/*.png) from public/favicon.svg in Chromium:
// `node icons.mjs`. "any" icons are the favicon itself; "maskable" ones keep the letter inside
// the 80 % safe zone on a full-bleed background, as Android's round and squircle masks need.
import { chromium } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const svg = fs.readFileSync(path.join(root, "public/favicon.svg"), "utf8");
const maskable = svg.replace('rx="14"', 'rx="0"').replace('font-size="34"', 'font-size="26"').replace('y="44"', 'y="41"');
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
for (const [name, source, size] of [
  ["icon-192.png", svg, 192],
  ["icon-512.png", svg, 512],
  ["maskable-192.png", maskable, 192],
  ["maskable-512.png", maskable, 512],
  ["apple-touch-icon.png", maskable, 180],
]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const data = "data:image/svg+xml;base64," + Buffer.from(source).toString("base64");
  await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${data}" width="${size}" height="${size}" style="display:block"></body></html>`);
  await page.screenshot({ path: path.join(root, "public/icons", name), omitBackground: true });
  await page.close();
}
await browser.close();
