// Shared helpers for the journeys: the demo accounts, waiting for hydration, signing in and out,
// calling server functions with the page's cookies, and the `test` fixture that fails a journey on
// a console error, an unexpected failed response or a serious accessibility violation.

import {
  test as base,
  expect,
  type APIResponse,
  type ConsoleMessage,
  type Locator,
  type Page,
  type Response,
} from "@playwright/test";

import { checkAccessibility, endAccessibilityScan, startAccessibilityScan } from "./a11y";

export { expect, checkAccessibility };

/** Password of every demo account (server/src/seed.rs). */
export const DEMO_PASSWORD = "mentorship-demo";

/** The demo accounts with memorable logins (server/src/seed.rs). */
export const USERS = {
  admin: { email: "admin@northwind.example", name: "Priya Raman", first: "Priya", home: "/home/admin" },
  leader: { email: "leader@northwind.example", name: "Marcus Oyelaran", first: "Marcus", home: "/home/leadership" },
  mentor: { email: "mentor@northwind.example", name: "Elena Vasquez", first: "Elena", home: "/home/mentor" },
  mentee: { email: "mentee@northwind.example", name: "Tom Becker", first: "Tom", home: "/home/mentee" },
  mentorMentee: {
    email: "mentor.mentee@northwind.example",
    name: "Aiko Tanaka",
    first: "Aiko",
    home: "/home/mentor",
  },
} as const;

/**
 * The main wasm module the hydration script instantiates: `mentorship.<build id>.wasm` (the build
 * names every front-end file with an id of its contents; see frontend/site.mjs). A regex source.
 */
export const WASM_FILE = String.raw`/pkg/mentorship\.[A-Za-z0-9_-]{22}\.wasm$`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A matcher for a full URL on any origin whose path (and query) is exactly `pathAndQuery`. */
export function urlPath(pathAndQuery: string): RegExp {
  return new RegExp(`^https?://[^/]+${escapeRegExp(pathAndQuery)}$`);
}

/** The path of a URL. */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}

/** The header navigation (links per role, account, "Sign out" or "Sign in"). */
export function mainNav(page: Page): Locator {
  return page.getByRole("navigation", { name: "Main" });
}

// ---------------------------------------------------------------------------------------------
// Hydration
// ---------------------------------------------------------------------------------------------

/**
 * Runs in every document before the page's own scripts (installed by the `page` fixture below).
 * It wraps `WebAssembly.instantiateStreaming`/`instantiate` so the page records when wasm modules
 * are instantiated: the main module, and the chunks of a lazily loaded page (routes/lazy.rs),
 * which hydrate only once their chunks arrive. Each `.wasm` fetch is followed by one
 * instantiation, so the page is ready when every wasm module it fetched is instantiated. The
 * hydration script calls `hydrate()` in a promise continuation right after the main module is
 * instantiated (and a lazy page asks for its chunks from there, in microtasks), so a timer queued
 * when an instantiation resolves fires only after that work ran.
 *
 * It also counts the page's fetches still in flight (`__e2eNet.inFlight`; a fetch counts until
 * its body has arrived and the continuations that render it have run), so the accessibility scan
 * (a11y.ts) can wait for data that loads without a "Loading…" placeholder.
 */
function hydrationProbe(): void {
  const w = window as unknown as {
    __e2eWasm?: { calls: number; ready: boolean; error: string | null };
    __e2eNet?: { inFlight: number };
  };
  let wasmFetches = 0;
  let settled = 0;
  const state = {
    calls: 0,
    error: null as string | null,
    get ready() {
      return settled > 0 && settled >= wasmFetches && settled >= this.calls;
    },
  };
  w.__e2eWasm = state;
  const net = { inFlight: 0 };
  w.__e2eNet = net;
  const fetch = window.fetch;
  window.fetch = function (...args: Parameters<typeof window.fetch>) {
    const target = args[0];
    const url = typeof target === "string" ? target : target instanceof URL ? target.href : target.url;
    if (/\.wasm(\?|$)/.test(url)) wasmFetches += 1;
    net.inFlight += 1;
    const done = () => setTimeout(() => (net.inFlight -= 1), 0);
    const response = fetch.apply(window, args);
    response.then((r) => r.clone().arrayBuffer().then(done, done), done);
    return response;
  };
  const wasm = (globalThis as unknown as { WebAssembly?: Record<string, unknown> }).WebAssembly;
  if (!wasm) return;
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const original = wasm[name];
    if (typeof original !== "function") continue;
    wasm[name] = function (...args: unknown[]) {
      state.calls += 1;
      const result = (original as (...a: unknown[]) => unknown).apply(wasm, args);
      Promise.resolve(result).then(
        () => setTimeout(() => (settled += 1), 0),
        (e: unknown) => (state.error = String(e)),
      );
      return result;
    };
  }
}

/** Installs the hydration probe in a page the `page` fixture did not make (a second window). */
export async function installHydrationProbe(page: Page): Promise<void> {
  await page.addInitScript(hydrationProbe);
}

/**
 * Waits until the main wasm module was fetched (a resource timing entry matching WASM_FILE)
 * and instantiated, and the hydration call that follows has run.
 */
export async function waitForWasm(page: Page, timeout = 20_000): Promise<void> {
  try {
    await page.waitForFunction(
      (file) => {
        const fetched = performance
          .getEntriesByType("resource")
          .some((e) => new RegExp(file).test(new URL(e.name, location.href).pathname));
        const probe = (window as unknown as { __e2eWasm?: { ready: boolean } }).__e2eWasm;
        // Without the probe (helper used outside the fixture) only the download can be checked.
        return fetched && (probe ? probe.ready : true);
      },
      WASM_FILE,
      { timeout, polling: 100 },
    );
  } catch (e) {
    const state = await page
      .evaluate((file) => {
        const probe = (window as unknown as { __e2eWasm?: unknown }).__e2eWasm;
        const wasmEntries = performance
          .getEntriesByType("resource")
          .map((r) => r.name)
          .filter((n) => n.includes(".wasm") || n.includes(file));
        return JSON.stringify({ probe, wasmEntries });
      }, WASM_FILE)
      .catch(() => "(page not readable)");
    throw new Error(`the page at ${page.url()} did not load and instantiate ${WASM_FILE}: ${state}\n${e}`);
  }
}

/**
 * Proves the sign-in page is interactive: clicking "Show" next to the password must turn it into
 * "Hide" and make the input a text field. Before hydration a click does nothing, so the click is
 * retried (only while the field is still hidden, so a late reaction is not undone). Leaves the
 * password hidden again.
 */
export async function proveLoginHydrated(page: Page, timeout = 15_000): Promise<void> {
  const password = page.getByLabel("Password", { exact: true });
  const toggle = page.getByRole("button", { name: /^(Show|Hide)$/ });
  await expect(async () => {
    if ((await password.getAttribute("type")) !== "text") {
      await toggle.click({ timeout: 2_000 });
    }
    await expect(password).toHaveAttribute("type", "text", { timeout: 1_000 });
    await expect(page.getByRole("button", { name: "Hide", exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout, intervals: [100, 250, 500, 1_000] });
  await page.getByRole("button", { name: "Hide", exact: true }).click();
  await expect(password).toHaveAttribute("type", "password");
  await expect(page.getByRole("button", { name: "Show", exact: true })).toBeVisible();
}

/** Whether the chart in `#id` drew something: a canvas with non-transparent pixels. */
export async function drawn(page: Page, id: string): Promise<boolean> {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement | null;
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  }, id);
}

/**
 * Waits until the server-rendered page has hydrated. Call after every full page load
 * (`page.goto`, `page.reload`) before clicking anything: before hydration clicks do nothing and
 * forms submit natively. Then checks the page's accessibility (once per path and test).
 */
export async function waitForHydration(page: Page): Promise<void> {
  await waitForWasm(page);
  if (pathOf(page.url()) === "/login") {
    await proveLoginHydrated(page);
  }
  await checkAccessibility(page);
}

// ---------------------------------------------------------------------------------------------
// Signing in and out
// ---------------------------------------------------------------------------------------------

/** Opens the sign-in page and waits for hydration. */
export async function openLogin(page: Page, path = "/login"): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in", exact: true })).toBeVisible();
}

/** Fills and submits the sign-in form on the current (hydrated) page; returns the server's answer. */
export async function submitLogin(page: Page, email: string, password: string): Promise<Response> {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => pathOf(r.url()) === "/api/auth/login" && r.request().method() === "POST"),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
  return response;
}

/** Signs in through the form and waits until the app has navigated away from /login. */
export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await openLogin(page);
  const response = await submitLogin(page, email, password);
  expect(response.status(), `sign-in of ${email} answered ${response.status()}`).toBe(200);
  await expect(page).not.toHaveURL(/\/login(\?|$)/, { timeout: 15_000 });
  // The page the app went to (home, or where the visitor was heading) came by client-side
  // navigation: no hydration to wait for, so it is checked here.
  await checkAccessibility(page);
}

/** Signs out with the header button; the app goes back to "/" and offers "Sign in" again. */
export async function signOut(page: Page): Promise<void> {
  // Let what the page is still loading arrive first: signing out under a request in flight turns
  // its answer into a 401 that no user could provoke on purpose (they cannot click that fast).
  await page
    .waitForFunction(() => ((window as unknown as { __e2eNet?: { inFlight: number } }).__e2eNet?.inFlight ?? 0) === 0, null, {
      timeout: 5_000,
    })
    .catch(() => undefined);
  const nav = mainNav(page);
  await nav.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(urlPath("/"));
  await expect(nav.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await checkAccessibility(page);
}

/**
 * Calls a server function (`POST /api/<endpoint>`) with the browser context's cookies, like the
 * page would, and returns the raw answer (status and JSON body).
 */
export async function callServerFn(
  page: Page,
  endpoint: string,
  form: Record<string, string> = {},
): Promise<APIResponse> {
  return page.request.post(`/api/${endpoint}`, { form, headers: { accept: "application/json" } });
}

// ---------------------------------------------------------------------------------------------
// Console errors and failed responses
// ---------------------------------------------------------------------------------------------

/** A failure a test provokes on purpose: a path (exact) or URL pattern, and the status(es). */
export interface ExpectedFailure {
  url: string | RegExp;
  status: number | number[];
}

/**
 * Collects console errors, uncaught page errors and responses with status >= 400 from the moment
 * the test starts. A test declares the failures it provokes with `expect(...)`; the fixture calls
 * `assertNone()` when the test ends.
 */
export class PageProblems {
  private readonly expected: ExpectedFailure[] = [
    // Browsers may ask for /favicon.ico on their own; the app links /favicon.svg.
    { url: "/favicon.ico", status: 404 },
  ];
  readonly found: string[] = [];

  constructor(page: Page) {
    this.watch(page);
  }

  /** Collects from another page too (a second browser window the test opens). */
  watch(page: Page): void {
    page.on("console", (m) => this.onConsole(m));
    page.on("pageerror", (e) => this.found.push(`uncaught error: ${e.message}`));
    page.on("response", (r) => this.onResponse(r));
  }

  /** Declares a failure the test provokes, so it is not reported. */
  expect(failure: ExpectedFailure): void {
    this.expected.push(failure);
  }

  private isExpected(url: string, status: number): boolean {
    return this.expected.some((e) => {
      const statuses = Array.isArray(e.status) ? e.status : [e.status];
      if (!statuses.includes(status)) return false;
      if (!url) return true; // a console message without a location: the status must do
      if (typeof e.url === "string") {
        try {
          return pathOf(url) === e.url;
        } catch {
          return false;
        }
      }
      return e.url.test(url);
    });
  }

  private onResponse(r: Response): void {
    const status = r.status();
    if (status >= 400 && !this.isExpected(r.url(), status)) {
      this.found.push(`HTTP ${status} for ${r.request().method()} ${r.url()}`);
    }
  }

  private onConsole(m: ConsoleMessage): void {
    if (m.type() !== "error") return;
    const text = m.text();
    const url = m.location()?.url ?? "";
    // Chromium logs every failed request as a console error too.
    const failed = /Failed to load resource: the server responded with a status of (\d+)/.exec(text);
    if (failed && this.isExpected(url, Number(failed[1]))) return;
    this.found.push(`console error: ${text}${url ? ` (at ${url})` : ""}`);
  }

  /** Fails the test if anything unexpected was collected. */
  assertNone(): void {
    expect(this.found, "console errors, page errors or failed responses").toEqual([]);
  }
}

/**
 * The test function of these journeys. Every page gets the hydration probe. For every test, even
 * one that does not name them: `problems` collects console errors and failed responses and fails
 * the test on any it did not declare; the accessibility scan checks each path visited (see
 * a11y.ts) and fails the test on a serious or critical violation.
 */
export const test = base.extend<{ problems: PageProblems; accessibility: void }>({
  page: async ({ page }, use) => {
    await installHydrationProbe(page);
    await use(page);
  },
  problems: [
    async ({ page }, use) => {
      const problems = new PageProblems(page);
      await use(problems);
      problems.assertNone();
    },
    { auto: true },
  ],
  accessibility: [
    async ({ page }, use, testInfo) => {
      const scan = startAccessibilityScan(testInfo);
      scan.watch(page);
      try {
        await use();
        // The page the test ends on, if no helper scanned it on the way.
        if (testInfo.status === testInfo.expectedStatus) await scan.scan(page);
      } finally {
        endAccessibilityScan();
      }
      scan.finish();
    },
    { auto: true },
  ],
});
