// The accessibility check of the journeys: axe-core (pinned in package.json) runs in the page on
// every path a test visits, once that page has hydrated and its data has loaded, and the test
// fails on any violation of impact "serious" or "critical".
//
// Each path is scanned once per test (the first time it is seen settled), which keeps the check
// cheap: scans are triggered by `waitForHydration` and `signIn` (helpers.ts) and, for the page a
// test ends on, by the fixture's teardown. Violations are collected, so one run lists every page's
// problems, and reported when the test ends.

import * as fs from "node:fs";

import type { Page, TestInfo } from "@playwright/test";

/** axe-core's browser bundle, evaluated in the page (no script tag, so no CSP in the way). */
const AXE_SOURCE = readAxe();

function readAxe(): string {
  let file: string;
  try {
    file = require.resolve("axe-core/axe.min.js");
  } catch {
    throw new Error("axe-core is not installed: run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci` in end2end/");
  }
  return fs.readFileSync(file, "utf8");
}

/** The impacts that fail a test; "minor" and "moderate" ones are not checked. */
const FAILING_IMPACTS = ["serious", "critical"];

/** How long a scan waits for the page's "Loading…" placeholders to go before it scans anyway. */
const SETTLE_TIMEOUT = 10_000;

/** One rule broken on a page, as axe reports it (only what the report needs). */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  /** Each failing element: its selector and axe's summary of why (e.g. the colours and ratio). */
  nodes: { target: string; summary: string }[];
}

/** How many failing elements of one rule a report lists (the rest are counted). */
const NODES_SHOWN = 6;

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * The scans of one test: which paths were visited and scanned, and what was found. The fixture
 * creates one per test and makes it `current` (tests in a worker run one at a time).
 */
export class AccessibilityScan {
  private readonly scanned = new Set<string>();
  private readonly visited = new Set<string>();
  private readonly found: string[] = [];
  private scanMs = 0;

  constructor(private readonly testInfo: TestInfo) {}

  /** Records the paths `page` navigates to (full loads and client-side navigations). */
  watch(page: Page): void {
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) this.visited.add(pathOf(frame.url()));
    });
  }

  /** Scans the page's current path, unless this test scanned that path already. */
  async scan(page: Page): Promise<void> {
    if (page.isClosed()) return;
    const path = pathOf(page.url());
    if (this.scanned.has(path) || !path.startsWith("/")) return;
    this.scanned.add(path);
    const started = Date.now();
    try {
      await this.settleAndRun(page, path);
    } finally {
      this.scanMs += Date.now() - started;
    }
  }

  /** Waits until the page has settled, runs axe and keeps the serious and critical violations. */
  private async settleAndRun(page: Page, path: string): Promise<void> {
    // Scan what a person would see once the data is there: no fetch in flight (counted by the
    // hydration probe, helpers.ts) and no "Loading…" placeholder left.
    await page
      .waitForFunction(
        () =>
          ((window as unknown as { __e2eNet?: { inFlight: number } }).__e2eNet?.inFlight ?? 0) === 0 &&
          document.querySelector(".loading") === null,
        null,
        { timeout: SETTLE_TIMEOUT, polling: 100 },
      )
      .catch(() => undefined);
    let violations: Violation[];
    try {
      violations = await runAxe(page);
    } catch (e) {
      // The page navigated away mid-scan: the path gets another chance later in the test.
      if (/context was destroyed|navigation|Target .*closed/i.test(String(e))) {
        this.scanned.delete(path);
        return;
      }
      throw e;
    }
    for (const v of violations.filter((v) => FAILING_IMPACTS.includes(v.impact ?? ""))) {
      const shown = v.nodes.slice(0, NODES_SHOWN).map((n) => `    ${n.target}\n      ${n.summary}`);
      if (v.nodes.length > NODES_SHOWN) shown.push(`    … and ${v.nodes.length - NODES_SHOWN} more`);
      this.found.push(`${path}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${shown.join("\n")}`);
    }
  }

  /** Records what was covered and fails the test with every serious or critical violation. */
  finish(): void {
    const scanned = [...this.scanned].sort();
    const missed = [...this.visited].filter((p) => !this.scanned.has(p)).sort();
    this.testInfo.annotations.push({ type: "a11y scanned", description: scanned.join(" ") });
    this.testInfo.annotations.push({ type: "a11y time", description: `${this.scanMs} ms` });
    if (missed.length > 0) {
      this.testInfo.annotations.push({ type: "a11y not scanned", description: missed.join(" ") });
    }
    if (this.found.length > 0) {
      throw new Error(
        `accessibility: ${this.found.length} serious or critical axe violation(s) (${this.testInfo.project.name}):\n` +
          this.found.join("\n"),
      );
    }
  }
}

/** Injects axe-core if the document does not have it yet and runs every default rule. */
async function runAxe(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type AxeNode = { target: unknown[]; failureSummary?: string };
    type AxeResult = { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] };
    const axe = (window as unknown as {
      axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeResult[] }> };
    }).axe;
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(" >>> "),
        summary: (n.failureSummary ?? "").replace(/\s*\n\s*/g, " "),
      })),
    }));
  });
}

let current: AccessibilityScan | null = null;

/** Starts the scans of a test (called by the fixture). */
export function startAccessibilityScan(testInfo: TestInfo): AccessibilityScan {
  current = new AccessibilityScan(testInfo);
  return current;
}

/** Ends the scans of a test (called by the fixture). */
export function endAccessibilityScan(): void {
  current = null;
}

/**
 * Scans the page's current path for serious and critical violations (once per path and test).
 * Call when the page is hydrated; outside the journeys' fixture it does nothing.
 */
export async function checkAccessibility(page: Page): Promise<void> {
  await current?.scan(page);
}
