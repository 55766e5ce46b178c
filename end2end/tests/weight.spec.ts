// The page-weight budget: what a participant's first visit to a page downloads of the app (its wasm
// and JavaScript, brotli as the server sends it) stays under the budget. Runs against the release
// bundle only (`./x test` sets PAGE_WEIGHT_BUDGET for its last phase); the journeys' quick bundle
// is unoptimised and much larger.

import * as http from "node:http";

import { USERS, expect, signIn, test, waitForHydration } from "./helpers";

const BUDGET = Number(process.env.PAGE_WEIGHT_BUDGET ?? 0);

/** The size of `url`'s body as the server sends it to a browser that accepts brotli. */
function brotliBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "Accept-Encoding": "br" } }, (res) => {
        let n = 0;
        res.on("data", (chunk: Buffer) => (n += chunk.length));
        res.on("end", () => {
          if (res.headers["content-encoding"] !== "br") reject(new Error(`${url} was not sent as brotli`));
          else resolve(n);
        });
      })
      .on("error", reject);
  });
}

const pages: { path: string; as?: keyof typeof USERS }[] = [
  { path: "/" },
  { path: "/login" },
  { path: "/home/mentee", as: "mentee" },
  { path: "/home/mentor", as: "mentor" },
  { path: "goal", as: "mentee" },
  { path: "/account", as: "mentee" },
];

test.describe("page weight", () => {
  test.skip(!BUDGET, "runs on the release bundle only (PAGE_WEIGHT_BUDGET)");

  for (const target of pages) {
    test(`first load of ${target.path}${target.as ? ` as ${target.as}` : ""} stays within the budget`, async ({ page, baseURL }) => {
      if (target.as) await signIn(page, USERS[target.as].email);
      let path = target.path;
      if (path === "goal") {
        await page.goto("/home/mentee");
        await waitForHydration(page);
        const href = await page.locator('a[href^="/goals/"]:not([href^="/goals/new"])').first().getAttribute("href");
        expect(href, "the demo mentee has a goal to open").toBeTruthy();
        path = href!;
      }
      // A cold first visit: nothing of the app from the cache.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      const app = new Set<string>();
      page.on("request", (r) => {
        if (/\/pkg\/[^?]+\.(wasm|js)$/.test(new URL(r.url()).pathname)) app.add(r.url());
      });
      await page.goto(path);
      await waitForHydration(page);
      let total = 0;
      const parts: string[] = [];
      for (const url of app) {
        const n = await brotliBytes(url.replace(/^https?:\/\/[^/]+/, baseURL!));
        total += n;
        parts.push(`${new URL(url).pathname.split("/").pop()} ${n} B`);
      }
      const line = `${path}: ${total} B brotli of wasm + JS (budget ${BUDGET} B): ${parts.join(", ")}`;
      console.log(line);
      test.info().annotations.push({ type: "page weight", description: line });
      expect(app.size, "the page loaded the app").toBeGreaterThan(0);
      expect(total, line).toBeLessThanOrEqual(BUDGET);
    });
  }
});
