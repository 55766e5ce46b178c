// The program design studio: an admin builds a program through every step, sees specific
// errors for bad input, publishes it, and clones it.

import * as fs from "node:fs/promises";
import * as path from "node:path";

import type { Page, TestInfo } from "@playwright/test";

import { USERS, expect, signIn, test, waitForHydration } from "./helpers";

function stampOf(testInfo: TestInfo): string {
  return `${testInfo.project.name}${Date.now()}`;
}

async function saveStep(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/programs/save-step")),
    page.getByRole("button", { name: "Save and continue", exact: true }).click(),
  ]);
  return response.status();
}

function currentStep(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Design steps" }).getByRole("button", { name });
}

test("an admin designs a program step by step and publishes it", async ({ page, problems }, testInfo) => {
  test.slow();
  problems.expect({ url: "/api/programs/save-step", status: 422 });
  const stamp = stampOf(testInfo);
  const name = `First-time Managers ${stamp}`;
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/programs/new");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "New program" })).toBeVisible();

  // Step 1: objectives. A vague objective gets SMART guidance and nothing is saved.
  await page.getByLabel("Program name", { exact: true }).fill(name);
  await page.getByLabel("Purpose", { exact: true }).fill("Help new managers lead their first team.");
  await page.getByRole("button", { name: "Add objective", exact: true }).click();
  await page.getByLabel("Objective", { exact: true }).fill("New managers delegate confidently");
  await page.getByLabel("Specific: what exactly will change").fill("Each mentee hands over one project");
  await page.getByLabel("Measurable: how you will know").fill("they feel better");
  await page.getByLabel("Relevant: why it matters").fill("Managers are overloaded");
  expect(await saveStep(page)).toBe(422);
  await expect(page.getByText("Measurable: add a number, or bind the objective to a metric.")).toBeVisible();
  await expect(page.getByText("Time-bound: choose the date by which it is met.")).toBeVisible();
  await expect(page.getByText("not saved yet")).toBeVisible();

  await page.getByLabel("Measurable: how you will know").fill("75% of mentees complete 2 goals");
  await page.getByLabel("Time-bound: met by").fill("2027-09-30");
  await page.getByLabel("Dashboard metric").selectOption("mentees_completing_two_goals");
  await page.getByLabel("Target", { exact: true }).fill("75");
  expect(await saveStep(page)).toBe(200);
  await expect(page).toHaveURL(/\/admin\/programs\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(currentStep(page, "Skills")).toHaveAttribute("aria-current", "step");

  // Step 2: skills.
  await page.getByRole("checkbox", { name: /Delegation/ }).check();
  await page.getByRole("checkbox", { name: /Giving feedback/ }).check();
  expect(await saveStep(page)).toBe(200);

  // Step 3: approach, with a live preview of the mentor guide.
  await page.getByRole("radio", { name: "Peer mentoring" }).check();
  await expect(page.getByLabel("Mentor guide (Markdown)")).toHaveValue(/## Peer mentoring/);
  await page.getByLabel("Mentor guide (Markdown)").fill("## How we mentor\n\n- Listen **first**\n- Agree one next step");
  await expect(page.getByRole("heading", { name: "How we mentor" })).toBeVisible();
  await expect(page.locator(".guide-preview strong")).toHaveText("first");
  expect(await saveStep(page)).toBe(200);

  // Step 4: structure. An impossible capacity is refused, then fixed.
  await page.getByLabel("Mentees per mentor (default)").fill("9");
  await page.getByRole("group", { name: "Mentee eligibility" }).getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Rule 1 value").first().fill("4");
  await page.getByRole("button", { name: "Add phase", exact: true }).click();
  await page.getByLabel("Phase name").fill("Foundations");
  await page.getByLabel("Weeks").fill("6");
  expect(await saveStep(page)).toBe(422);
  await expect(page.getByText("Enter a whole number from 1 to 5.")).toBeVisible();
  await page.getByLabel("Mentees per mentor (default)").fill("2");
  // An application question, and a nested "any" group: tenure ≥ 12 months, or the answer is yes.
  await page.getByRole("button", { name: "Add question", exact: true }).click();
  await page.getByLabel("Question 1", { exact: true }).fill("Do you manage people today?");
  const menteeRules = page.getByRole("group", { name: "Mentee eligibility" });
  await menteeRules.getByRole("button", { name: "Add group", exact: true }).click();
  await menteeRules.getByRole("button", { name: "Add rule to group 2" }).click();
  await page.getByLabel("Rule 2.2 field").selectOption("answer:Do you manage people today?");
  await page.getByLabel("Rule 2.2 operator").selectOption("=");
  await page.getByLabel("Rule 2.2 value").fill("yes");
  await page.getByRole("button", { name: "Add workshop", exact: true }).click();
  await page.getByLabel("Workshop title").fill("Delegation lab");
  await page.getByLabel("Date", { exact: true }).fill("2027-05-12");
  await page.getByLabel("Skill practised").selectOption({ label: "Delegation" });
  await page.getByLabel("Format", { exact: true }).selectOption("hybrid");
  await page.getByRole("button", { name: "Add reward", exact: true }).click();
  await page.getByLabel("Reward name").fill("First-time Manager certificate");
  await page.getByRole("checkbox", { name: /A workshop must be completed/ }).check();
  expect(await saveStep(page)).toBe(200);

  // Step 5: review and publish.
  await expect(currentStep(page, "Review")).toHaveAttribute("aria-current", "step");
  await expect(page.getByText("2 chosen")).toBeVisible();
  await expect(page.getByText("1 phases, 6 weeks")).toBeVisible();
  await expect(page.getByText("Delegation lab (2027-05-12)")).toBeVisible();
  await expect(page.getByText("First-time Manager certificate")).toBeVisible();
  await expect(page.getByText("Do you manage people today?")).toBeVisible();
  await page.getByRole("button", { name: "Publish program" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published." })).toBeVisible();

  // The draft survives a reload, with every step's data.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByLabel("Program name", { exact: true })).toHaveValue(name);
  await expect(page.getByText("published", { exact: true })).toBeVisible();

  // Listed, and cloneable into a new draft.
  await page.goto("/admin/programs");
  await waitForHydration(page);
  await page.getByRole("button", { name: `Clone ${name}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${name} (copy)` })).toBeVisible();
  await expect(page.getByText("draft", { exact: true })).toBeVisible();

  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.getByRole("navigation", { name: "Design steps" }).getByRole("button", { name: "Structure" }).click();
  // The copy carries the question and the nested group.
  await expect(page.getByLabel("Question 1", { exact: true })).toHaveValue("Do you manage people today?");
  await expect(page.getByLabel("Rule 2.1 field")).toHaveValue("tenure_months");
  await expect(page.getByLabel("Rule 2.2 field")).toHaveValue("answer:Do you manage people today?");
  await expect(page.getByLabel("Rule 2.2 value")).toHaveValue("yes");
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-program-studio.png`), fullPage: true });

  // The rule tree edits in place: the nested group combines with "any"; removing its first rule
  // moves the answer rule up, and the group can go as a whole.
  await expect(menteeRules.getByLabel("Group 2: meet")).toHaveValue("any");
  await menteeRules.getByRole("button", { name: "Remove rule 2.1", exact: true }).click();
  await expect(page.getByLabel("Rule 2.1 field")).toHaveValue("answer:Do you manage people today?");
  await expect(page.getByLabel("Rule 2.1 value")).toHaveValue("yes");
  await expect(page.getByLabel("Rule 2.2 field")).toHaveCount(0);
  await menteeRules.getByRole("button", { name: "Remove group 2", exact: true }).click();
  await expect(menteeRules.getByLabel("Group 2: meet")).toHaveCount(0);
  await expect(menteeRules.getByLabel("Rule 1 value")).toHaveValue("4");
});

test("a program that does not exist says so instead of an empty studio", async ({ page, problems }) => {
  problems.expect({ url: "/admin/programs/nosuchprogram", status: 404 });
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/programs/nosuchprogram");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Not available" })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveText("There is no such program.");
  await expect(page.getByRole("link", { name: "Back to your home page" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Design steps" })).toHaveCount(0);
});

test("only admins reach the studio", async ({ page }) => {
  await signIn(page, USERS.mentor.email);
  await page.goto("/admin/programs");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "No access" })).toBeVisible();
});

test("mentors see the mentor guide of their program on their home page", async ({ page }) => {
  await signIn(page, USERS.mentor.email);
  const guide = page.getByRole("region", { name: "Mentor guide: Emerging Leaders" });
  await expect(guide).toBeVisible();
  await expect(guide.getByText("Approach: Coaching")).toBeVisible();
  await expect(guide.getByRole("heading", { name: "Coaching" })).toBeVisible();
  await expect(guide.getByRole("listitem").first()).toBeVisible();
});

test("an admin opens a cohort of a published program and moves it to enrollment", async ({ page, problems }, testInfo) => {
  problems.expect({ url: "/api/cohorts/create", status: 422 });
  const name = `Autumn ${stampOf(testInfo)}`;
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/cohorts");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Cohorts" })).toBeVisible();
  await expect(page.getByText("Spring 2027", { exact: true })).toBeVisible();

  await page.getByLabel("Program", { exact: true }).selectOption({ label: "Emerging Leaders" });
  await page.getByLabel("Cohort name").fill(name);
  await page.getByLabel("Starts").fill("2027-09-01");
  await page.getByLabel("Ends").fill("2027-08-01");
  await page.getByLabel("Meeting cadence").selectOption("monthly");
  await page.getByRole("button", { name: "Open cohort" }).click();
  await expect(page.getByText("The cohort must end after it starts.")).toBeVisible();
  await expect(page.getByText(name, { exact: true })).toHaveCount(0);

  await page.getByLabel("Ends").fill("2028-02-28");
  await page.getByRole("button", { name: "Open cohort" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Opened “${name}” as a draft.` })).toBeVisible();
  const row = page.getByRole("listitem").filter({ has: page.getByText(name, { exact: true }) });
  await expect(row.getByText("draft", { exact: true })).toBeVisible();
  await expect(row.getByText("2027-09-01 → 2028-02-28")).toBeVisible();
  await expect(row.getByText(/monthly meetings/)).toBeVisible();
  await row.getByRole("button", { name: `Move to enrolling: ${name}` }).click();
  await expect(row.getByText("enrolling", { exact: true })).toBeVisible();
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-admin-cohorts.png`), fullPage: true });
});
