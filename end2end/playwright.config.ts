import { defineConfig } from "@playwright/test";

// Journeys run against an already running server (see `./x test`, which starts one on port 3100
// with an in-memory database and the demo organization). Browsers are not downloaded: Debian's
// Chromium is used.
export default defineConfig({
  testDir: "./tests",
  // The journeys share one server and one database: run them one after the other.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: "list",
  // Journeys are many steps against a debug server on a shared machine: 30 s was exceeded by a
  // passing journey in CI (stop 23). `test.slow()` triples this for the longest ones.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3100",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    // The service worker (public/sw.js) is tested on its own (installable.spec.ts); elsewhere it
    // would serve the build's files from its cache and hide what a first visit loads.
    serviceWorkers: "block",
    screenshot: "only-on-failure",
    trace: "off",
  },
  projects: [
    {
      name: "desktop",
      use: { browserName: "chromium", viewport: { width: 1280, height: 800 } },
    },
    {
      name: "phone",
      use: {
        browserName: "chromium",
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
      },
    },
  ],
});
