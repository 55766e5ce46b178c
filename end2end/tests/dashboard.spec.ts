// Measuring success: the live dashboard for leadership and admins, drawn with charming (ECharts
// served by our own server) with a table view of every chart; a check-in made in a second browser
// context moves the open dashboard without a reload; drill-down by clicking; CSV export; and the
// mentee's progress report in print.

import type { Page } from "@playwright/test";

import { USERS, drawn, expect, signIn, signOut, test, waitForHydration } from "./helpers";
import { MENTEES, apiAs, ok, publishedCohort } from "./setup";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The numbers of a table view, row by row (first cell, then the rest). */
async function rows(page: Page, table: string): Promise<string[][]> {
  return page.locator(`table[data-table="${table}"] tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
  );
}

test("the cohort's funnel is drawn and in a table, leadership's view keeps to groups of five, and a check-in elsewhere moves it live", async ({ page, browser, baseURL, problems }, testInfo) => {
  test.slow();
  const cohortName = `Dash ${testInfo.project.name} ${Date.now()}`;
  const cohortId = await publishedCohort(baseURL!, cohortName, { starts: day(-30), ends: day(90) });

  // Leadership: the organization's dashboard, every department group under k hidden with the
  // reason; the four-mentee cohort alone is refused (it would single people out).
  await signIn(page, USERS.leader.email);
  await page.goto("/dashboard");
  await waitForHydration(page);
  await expect(page.getByTestId("scope")).toContainText("All programs");
  // ECharts comes from our own server, content-named, and only chart pages load it.
  const echarts = await page.locator('meta[name="echarts-src"]').getAttribute("content");
  expect(echarts).toMatch(/^\/pkg\/echarts\.[A-Za-z0-9_-]{22}\.js$/);
  await page.getByRole("region", { name: "By department" }).getByText("Table view").click();
  const depts = await rows(page, "departments");
  expect(depts.some((r) => r[1].startsWith("Hidden: fewer than 5 mentees"))).toBe(true);
  problems.expect({ url: "/api/metrics/dashboard", status: 422 });
  await page.goto(`/dashboard?cohort=${cohortId}`);
  await expect(page.getByRole("alert")).toContainText("Fewer than 5 mentees are in this selection (4)");
  await signOut(page);

  // An admin opens the cohort: the exact funnel, drawn and in its table view.
  await signIn(page, USERS.admin.email);
  await page.goto(`/dashboard?cohort=${cohortId}`);
  await waitForHydration(page);
  await expect(page.getByTestId("scope")).toContainText(cohortName);
  await expect.poll(() => drawn(page, "chart-funnel"), { message: "the funnel is drawn" }).toBe(true);
  await page.getByRole("region", { name: "Enrollment funnel" }).getByText("Table view").click();
  const funnel = Object.fromEntries(await rows(page, "funnel"));
  // Four mentees applied and were approved and matched (setup.ts); the pairs are new, so active,
  // and none has met yet.
  expect(funnel).toMatchObject({ Applied: "4", Approved: "4", Matched: "4", "First meeting": "0", "Active lately": "4", Completed: "0" });
  await expect(page.getByTestId("live")).toContainText("live · updated");
  const checkins = page.locator('[data-stat="Check-ins"] .stat-value');
  await expect(checkins).toHaveText("0");

  // In a second browser context, Liam's mentor approves his goal and Liam checks in.
  const other = await browser.newContext({ baseURL });
  const liam = await apiAs(baseURL!, MENTEES.liam.email);
  const pair = (await ok(liam.post("/api/matches/mine"))).find((m: any) => m.cohort_name === cohortName);
  const ctx = await ok(liam.post("/api/goals/context", { form: { pairing_id: pair.id } }));
  const draft = {
    skill_id: ctx.skills[0][0],
    specific: "Run the weekly planning meeting for my team",
    measurable: "8 meetings led, notes sent the same day",
    achievable: "My manager hands them over",
    relevant: "I take over the team next quarter",
    deadline: day(60),
    milestones: [
      { title: "First meeting led", due: day(20) },
      { title: "Four meetings led", due: day(50) },
    ],
  };
  let g = await ok(liam.post("/api/goals/save-draft", { data: { pairing_id: pair.id, goal_id: null, step: 7, version: 0, draft } }));
  g = await ok(liam.post("/api/goals/submit", { data: { id: g.id, version: g.version } }));
  const mentorEmail: string = pair.other_email;
  const mentor = await apiAs(baseURL!, mentorEmail);
  g = await ok(mentor.post("/api/goals/approve", { data: { id: g.id, version: g.version } }));
  const liamPage = await other.newPage();
  await signIn(liamPage, MENTEES.liam.email);
  const answer = await liamPage.request.post("/api/goals/checkin", {
    data: { input: { goal_id: g.id, progress: "30", note: "Led the first one.", evidence: "" } },
  });
  expect(answer.status()).toBe(200);
  const at = Date.now();
  await expect(checkins).toHaveText("1", { timeout: 2_000 });
  testInfo.annotations.push({ type: "live update", description: `${Date.now() - at} ms after the check-in was acknowledged` });
  await other.close();
  await liam.dispose();
  await mentor.dispose();

  // Liam's progress report: his goal and check-in, and it prints.
  await signOut(page);
  await signIn(page, MENTEES.liam.email);
  await page.goto(`/pairs/${pair.id}/report`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: MENTEES.liam.name })).toBeVisible();
  expect((await rows(page, "goals"))[0].slice(2)).toEqual(["Approved", "30 %", "0 of 2"]);
  await expect.poll(() => drawn(page, "chart-report-months"), { message: "the activity chart is drawn" }).toBe(true);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  await expect(page.locator('table[data-table="goals"]')).toBeVisible();
  if (testInfo.project.name === "desktop") {
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages, "the report prints on one or two pages").toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
  }
});

test("an admin drills from all cohorts into one and its pairs, and exports a table as CSV", async ({ page, baseURL, problems }, testInfo) => {
  test.slow();
  const cohortName = `Drill ${testInfo.project.name} ${Date.now()}`;
  const cohortId = await publishedCohort(baseURL!, cohortName, { starts: day(-20), ends: day(100) });
  await signIn(page, USERS.admin.email);
  await page.goto("/dashboard");
  await waitForHydration(page);
  await expect(page.getByTestId("scope")).toContainText("All programs");
  await expect.poll(() => drawn(page, "chart-months"), { message: "activity over time is drawn" }).toBe(true);
  // The demo's bound objectives are measured against their targets.
  const objectives = page.getByRole("region", { name: "Objectives" });
  await expect(objectives.locator("li").first()).toBeVisible();
  await expect(objectives).toContainText("% of mentees who complete ≥ 2 goals");

  // Drill down: the cohort's row in "By cohort" narrows the whole dashboard to it.
  const byCohort = page.getByRole("region", { name: "By cohort" });
  await byCohort.getByText("Table view").click();
  await byCohort.getByRole("link", { name: new RegExp(cohortName) }).click();
  await expect(page).toHaveURL(new RegExp(`cohort=${cohortId}`));
  await expect(page.getByTestId("scope")).toContainText(cohortName);
  await waitForHydration(page);
  const pairs = page.getByRole("region", { name: "Pairs" });
  await expect(pairs.locator("tbody tr")).toHaveCount(4);

  // Export the pairs as CSV: a BOM, the header, one row per pair.
  const download = page.waitForEvent("download");
  await pairs.getByRole("button", { name: "Export CSV of pairs" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("pairs.csv");
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split("\r\n");
  expect(lines[0]).toBe("mentee,mentor,department,state,meetings,check-ins,goals sent,goals completed,last activity");
  expect(lines.length).toBe(1 + 4);

  // A filter that cannot be shown says why, and changes nothing.
  problems.expect({ url: "/api/metrics/dashboard", status: 422 });
  await page.goto("/dashboard?from=2026-05-01&to=2026-04-01");
  await expect(page.getByRole("alert")).toContainText("The end of the range is before its start.");
});
