// A mentee's SMART goal: the wizard one question per screen (checked at 390 px on the phone
// project), autosave and a reload mid-way, field-level guidance that keeps what was typed, sending
// to the mentor, a check-in; the mentor comments and approves; another mentee cannot see it.

import * as fs from "node:fs/promises";
import * as path from "node:path";

import type { Page, TestInfo } from "@playwright/test";

import { callServerFn, expect, signIn, signOut, test, waitForHydration } from "./helpers";
import { MENTEES, MENTORS, apiAs, ok, publishedCohort } from "./setup";

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-${name}.png`), fullPage: true });
}

async function next(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Next", exact: true }).click();
}

async function saved(page: Page): Promise<void> {
  await expect(page.getByTestId("save-state")).toHaveText(/^Saved/);
}

test("a mentee builds a SMART goal step by step, reloads mid-way, sends it and checks in; the mentor comments and approves; others cannot see it", async ({ page, problems, baseURL }, testInfo) => {
  test.slow();
  problems.expect({ url: "/api/goals/checkin", status: 422 });
  problems.expect({ url: /\/api\/goals\/get/, status: 404 });
  problems.expect({ url: /\/goals\//, status: 404 });
  const cohortName = `Goals ${testInfo.project.name} ${Date.now()}`;
  // The same people take part on both projects: each run's goal has its own headline.
  const headline = `Run weekly one-to-ones with each of my three reports (${testInfo.project.name} ${Date.now() % 100000})`;
  await publishedCohort(baseURL!, cohortName);
  const liamApi = await apiAs(baseURL!, MENTEES.liam.email);
  const pairs = await ok(liamApi.post("/api/matches/mine"));
  const pair = pairs.find((m: any) => m.cohort_name === cohortName);
  const mentor = pair.other_name as string;
  await liamApi.dispose();

  await signIn(page, MENTEES.liam.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const card = page.getByRole("region", { name: "Your mentor" }).getByRole("listitem").filter({ hasText: cohortName });
  await card.getByRole("link", { name: "Set a SMART goal" }).click();
  await expect(page).toHaveURL(/\/goals\/new\?pairing=/);
  await waitForHydration(page);

  // Skill.
  await expect(page.getByRole("heading", { level: 1, name: "Which skill will this goal develop?" })).toBeVisible();
  await next(page);
  await expect(page.getByText("Choose the skill this goal develops.")).toBeVisible();
  // Each error is tied to its field: announced as invalid, with the message as its description.
  await expect(page.getByRole("radiogroup")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("radiogroup")).toHaveAccessibleDescription("Choose the skill this goal develops.");
  await page.getByRole("radio").first().check();
  await next(page);
  // Specific: too vague first; the guidance says what is missing and keeps the text.
  await expect(page.getByRole("heading", { level: 1, name: /^Specific/ })).toBeVisible();
  const specific = page.getByLabel("What exactly will you do?");
  await specific.fill("lead better");
  await next(page);
  await expect(page.getByText(/at least 4 words/)).toBeVisible();
  await expect(specific).toHaveValue("lead better");
  await expect(specific).toHaveAttribute("aria-invalid", "true");
  await expect(specific).toHaveAccessibleDescription(/at least 4 words/);
  await specific.fill(headline);
  await next(page);
  // Measurable: needs a number or a yes/no test.
  const measurable = page.getByLabel("The measure and the target");
  await measurable.fill("get better at it");
  await next(page);
  await expect(page.getByText("Measurable: add a number or a yes/no test (“6 one-to-ones”, “signed off: yes/no”).")).toBeVisible();
  await measurable.fill("12 one-to-ones held with written follow-ups");
  await next(page);
  await page.getByLabel("Resources and obstacles").fill("30 minutes each; risk: release weeks, so book them early");
  await saved(page);
  await shot(page, testInfo, "goal-wizard");

  // Reload mid-way: the draft and the step come back from the server.
  await expect(page).toHaveURL(/\/goals\/[a-z0-9]+\/edit$/);
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: /^Achievable/ })).toBeVisible();
  await expect(page.getByLabel("Resources and obstacles")).toHaveValue("30 minutes each; risk: release weeks, so book them early");
  await page.getByRole("button", { name: "Back", exact: true }).click();
  await expect(page.getByLabel("The measure and the target")).toHaveValue("12 one-to-ones held with written follow-ups");
  // Going back leaves the steps already filled in open (up to the first one still to fill).
  const stepBar = page.getByRole("navigation", { name: "Goal steps" });
  await expect(stepBar.getByRole("button", { name: "Step 4: A" })).toBeEnabled();
  await expect(stepBar.getByRole("button", { name: "Step 5: R" })).toBeEnabled();
  await expect(stepBar.getByRole("button", { name: "Step 6: T" })).toBeDisabled();
  await next(page);
  await next(page);
  await page.getByLabel("Why it matters for your role or the program").fill("I take over a team of three in spring");
  await next(page);

  // Time-bound: the deadline must fall inside the cohort (its hint says the cohort's dates).
  await expect(page.getByLabel("Deadline")).toHaveAccessibleDescription(/The cohort runs \d{4}-\d{2}-\d{2} → 2028-03-31\./);
  await expect(page.getByLabel("Deadline")).toHaveAttribute("aria-invalid", "false");
  await page.getByLabel("Deadline").fill("2028-06-30");
  await next(page);
  await expect(page.getByText("Time-bound: the date must fall before the cohort ends (2028-03-31).")).toBeVisible();
  await expect(page.getByLabel("Deadline")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Deadline")).toHaveAccessibleDescription(/The cohort runs .*Time-bound: the date must fall before the cohort ends/);
  await page.getByLabel("Deadline").fill("2028-02-15");
  await next(page);

  // Milestones: 2 to 5, each before the deadline.
  await page.getByRole("button", { name: "Add a milestone" }).click();
  await page.getByRole("button", { name: "Add a milestone" }).click();
  await page.getByLabel("Milestone 1", { exact: true }).fill("Agree a shared agenda template");
  await page.getByLabel("Milestone 1 date").fill("2027-11-01");
  await page.getByLabel("Milestone 2", { exact: true }).fill("Six one-to-ones done");
  await page.getByLabel("Milestone 2 date").fill("2028-03-01");
  await next(page);
  await expect(page.getByText("A milestone must come before the goal's deadline (2028-02-15).")).toBeVisible();
  await expect(page.getByLabel("Milestone 2 date")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Milestone 1 date")).toHaveAttribute("aria-invalid", "false");
  await page.getByLabel("Milestone 2 date").fill("2028-01-10");
  await next(page);

  // Review, then send.
  await expect(page.getByRole("heading", { level: 1, name: "Review and send to your mentor" })).toBeVisible();
  await expect(page.getByText(headline)).toBeVisible();
  await page.getByRole("button", { name: "Send to my mentor" }).click();
  await expect(page).toHaveURL(/\/goals\/[a-z0-9]+$/);
  const goalUrl = new URL(page.url()).pathname;
  const goalId = goalUrl.split("/").pop()!;
  await waitForHydration(page);
  await expect(page.getByTestId("goal-status")).toHaveText("Waiting for the mentor");

  // A check-in: bad progress and a 10 000-character note are field errors, and nothing typed is lost.
  const form = page.getByRole("form", { name: "Check in" });
  await form.getByLabel("Progress (%)").fill("150");
  const long = "x".repeat(10_000);
  await form.getByLabel("What moved since last time?").fill(long);
  await form.getByRole("button", { name: "Save check-in" }).click();
  await expect(form.getByText("Progress goes from 0 to 100 %.")).toBeVisible();
  await expect(form.getByText("Use at most 1000 characters (this has 10000).")).toBeVisible();
  await expect(form.getByLabel("Progress (%)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Progress (%)")).toHaveAccessibleDescription("Progress goes from 0 to 100 %.");
  await expect(form.getByLabel("What moved since last time?")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Evidence link (optional)")).toHaveAttribute("aria-invalid", "false");
  await expect(form.getByLabel("What moved since last time?")).toHaveValue(long);
  // The server checks too.
  const direct = await page.request.post("/api/goals/checkin", { data: { input: { goal_id: goalId, progress: "150", note: "n", evidence: "" } } });
  expect(direct.status()).toBe(422);
  await form.getByLabel("Progress (%)").fill("30");
  await form.getByLabel("What moved since last time?").fill("Booked all twelve slots; first two done.");
  await form.getByRole("button", { name: "Save check-in" }).click();
  const checkins = page.getByRole("region", { name: "Check-ins" });
  await expect(checkins.getByText("Booked all twelve slots; first two done.")).toBeVisible();
  await expect(checkins.getByText("30 %")).toBeVisible();
  await shot(page, testInfo, "goal-page");
  await signOut(page);

  // The mentor sees it, comments and approves.
  const mentorEmail = Object.values(MENTORS).find((m) => m.name === mentor)!.email;
  await signIn(page, mentorEmail);
  await page.goto("/home/mentor");
  await waitForHydration(page);
  await page.getByRole("region", { name: "Your mentees' goals" }).getByRole("link", { name: headline }).click();
  await waitForHydration(page);
  await expect(page.getByTestId("goal-status")).toHaveText("Waiting for the mentor");
  await expect(page.getByRole("form", { name: "Check in" })).toHaveCount(0);
  await page.getByRole("textbox", { name: "Add a comment" }).fill("Great start. Try a skip-level in month two.");
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(page.getByRole("region", { name: "Comments" }).getByText("Great start. Try a skip-level in month two.")).toBeVisible();
  await page.getByRole("button", { name: "Approve goal" }).click();
  await expect(page.getByTestId("goal-status")).toHaveText("Approved by the mentor");
  await signOut(page);

  // Another mentee of the same cohort: the direct URL shows nothing, the API says 404.
  await signIn(page, MENTEES.mei.email);
  const response = await page.goto(goalUrl);
  expect([403, 404]).toContain(response!.status());
  await expect(page.getByText("This goal does not exist, or it is private to a mentoring pair.")).toBeVisible();
  await expect(page.getByText(headline)).toHaveCount(0);
  const api = await callServerFn(page, "goals/get", { id: goalId });
  expect(api.status()).toBe(404);
  await signOut(page);

  // Liam sees the comment and the approval.
  await signIn(page, MENTEES.liam.email);
  await page.goto(goalUrl);
  await waitForHydration(page);
  await expect(page.getByTestId("goal-status")).toHaveText("Approved by the mentor");
  await expect(page.getByText("Great start. Try a skip-level in month two.")).toBeVisible();
});

test("the pair logs a meeting and plans the next; notes stay between the two", async ({ page, problems, baseURL }, testInfo) => {
  test.slow();
  problems.expect({ url: /\/api\/pairs\/get/, status: 404 });
  problems.expect({ url: /\/pairs\//, status: 404 });
  const cohortName = `Meetings ${testInfo.project.name} ${Date.now()}`;
  await publishedCohort(baseURL!, cohortName);
  const mei = await apiAs(baseURL!, MENTEES.mei.email);
  const pair = (await ok(mei.post("/api/matches/mine"))).find((m: any) => m.cohort_name === cohortName);
  await mei.dispose();
  const mentorEmail = Object.values(MENTORS).find((m) => m.name === pair.other_name)!.email;
  const secret = `Worried about the reorg (${testInfo.project.name})`;

  await signIn(page, MENTEES.mei.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const card = page.getByRole("region", { name: "Your mentor" }).getByRole("listitem").filter({ hasText: cohortName });
  await expect(card.getByText("No meeting planned yet.")).toBeVisible();
  await card.getByRole("link", { name: "Meetings" }).click();
  await waitForHydration(page);
  const form = page.getByRole("form", { name: "Log a meeting" });
  // A date outside the cohort is refused on its field; what was typed stays.
  await form.getByLabel("Date").fill("2030-01-01");
  await form.getByLabel("Topics").fill("First meeting: goals and rhythm");
  await form.getByRole("button", { name: "Save meeting" }).click();
  await expect(form.getByText(/Choose a date inside the cohort/)).toBeVisible();
  await expect(form.getByLabel("Topics")).toHaveValue("First meeting: goals and rhythm");
  await expect(form.getByLabel("Date")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Date")).toHaveAccessibleDescription(/Choose a date inside the cohort/);
  await expect(form.getByLabel("Topics")).toHaveAttribute("aria-invalid", "false");
  await form.getByLabel("Date").fill("2027-10-05");
  await form.getByLabel("Private notes (only the two of you see them)").fill(secret);
  await form.getByRole("button", { name: "Save meeting" }).click();
  const list = page.getByRole("region", { name: "Meetings" });
  await expect(list.getByText("First meeting: goals and rhythm")).toBeVisible();
  await expect(list.getByText(`Private notes: ${secret}`)).toBeVisible();
  await expect(form.getByLabel("Date")).toHaveAttribute("aria-invalid", "false");
  // Plan the next one.
  await form.getByLabel("Date").fill("2028-01-20");
  await form.getByLabel("Topics").fill("Review the first milestone");
  await form.getByRole("button", { name: "Save meeting" }).click();
  // Both dates are still to come (the cohort starts in the future): both are planned.
  await expect(list.getByText("planned")).toHaveCount(2);
  const pairUrl = new URL(page.url()).pathname;
  await shot(page, testInfo, "pair-meetings");
  await page.goto("/home/mentee");
  await waitForHydration(page);
  await expect(page.getByRole("region", { name: "Your mentor" }).getByRole("listitem").filter({ hasText: cohortName }).getByText("Next meeting: 2027-10-05")).toBeVisible();
  await signOut(page);

  // The mentor reads the notes; an admin sees the meetings but not the notes; another mentee nothing.
  await signIn(page, mentorEmail);
  await page.goto(pairUrl);
  await waitForHydration(page);
  await expect(page.getByText(`Private notes: ${secret}`)).toBeVisible();
  await signOut(page);
  await signIn(page, "admin@northwind.example");
  await page.goto(pairUrl);
  await waitForHydration(page);
  await expect(page.getByText("First meeting: goals and rhythm")).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Log a meeting" })).toHaveCount(0);
  await signOut(page);
  await signIn(page, MENTEES.liam.email);
  const response = await page.goto(pairUrl);
  expect(response!.status()).toBe(404);
  await expect(page.getByText(secret)).toHaveCount(0);
});
