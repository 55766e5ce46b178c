// Installable on a phone (issue 16): a valid web app manifest with icons, Chromium's install
// criteria met, and a service worker that keeps the app's static files and an offline page but
// never a page or a server function's answer (they carry personal data).

import { USERS, expect, signIn, test, waitForHydration } from "./helpers";

test.use({ serviceWorkers: "allow" });

test("the app is installable and its service worker keeps no personal data", async ({ page, context }) => {
  await page.goto("/");
  await waitForHydration(page);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send("Page.getAppManifest");
  expect(manifest.errors, "the manifest parses without errors").toEqual([]);
  const parsed = JSON.parse(manifest.data ?? "{}");
  expect(parsed.display).toBe("standalone");
  expect(parsed.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  for (const icon of parsed.icons) {
    const r = await page.request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()["content-type"], icon.src).toContain(icon.type.split("+")[0]);
  }

  // The service worker takes control once the page has loaded.
  await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === "activated");
  // Playwright's browser contexts are incognito, which Chromium never installs from ("in-incognito");
  // every criterion the site itself must meet is checked.
  await expect
    .poll(
      async () =>
        (await cdp.send("Page.getInstallabilityErrors")).installabilityErrors
          .map((e) => e.errorId)
          .filter((id) => id !== "in-incognito"),
      { message: "Chromium's install criteria" },
    )
    .toEqual([]);

  // A participant uses the app under the service worker: their pages and answers stay uncached.
  await signIn(page, USERS.mentee.email);
  await page.goto(USERS.mentee.home);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(USERS.mentee.first);
  const cached: string[] = await page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const r of await cache.keys()) out.push(new URL(r.url).pathname);
    }
    return out;
  });
  expect(cached).toContain("/offline.html");
  expect(cached.some((p) => /^\/pkg\/.+\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/.test(p)), cached.join(" ")).toBe(true);
  const personal = cached.filter((p) => !p.startsWith("/pkg/") && !p.startsWith("/icons/") &&
    !["/offline.html", "/favicon.svg", "/manifest.webmanifest"].includes(p));
  expect(personal, "no page or server-function answer is kept").toEqual([]);

  // Offline, a page says so plainly instead of the browser's error.
  await context.setOffline(true);
  await page.goto(USERS.mentee.home).catch(() => {});
  await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/home");
  await context.setOffline(false);
});
