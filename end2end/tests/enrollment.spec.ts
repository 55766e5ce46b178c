// Enrollment: an admin opens a cohort of the demo program (which has rules on both sides and two
// application questions); people apply for themselves and see the verdict per rule; the admin
// approves, overrides a failed rule with a reason, and rejects with a reason the applicant sees.

import * as fs from "node:fs/promises";
import * as path from "node:path";

import type { Page, TestInfo } from "@playwright/test";

import { USERS, checkAccessibility, expect, signIn, signOut, test, waitForHydration } from "./helpers";

const HOPE = "What do you hope to get from this program?";
const COMMIT = "Can you commit two hours a month? (yes/no)";

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-${name}.png`), fullPage: true });
}

/** Opens an enrolling cohort of "Emerging Leaders" through the admin's cohorts page. */
async function openEnrollingCohort(page: Page, name: string): Promise<void> {
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/programs");
  await waitForHydration(page);
  // "Open a cohort" on a published program opens the cohorts page with the program chosen.
  await page.getByRole("link", { name: "Open a cohort of Emerging Leaders" }).first().click();
  await expect(page).toHaveURL(/\/admin\/cohorts\?program=/);
  await waitForHydration(page);
  await expect(page.getByLabel("Program", { exact: true }).locator("option:checked")).toHaveText("Emerging Leaders");
  await page.getByLabel("Cohort name").fill(name);
  await page.getByLabel("Starts").fill("2027-09-01");
  await page.getByLabel("Ends").fill("2028-02-28");
  await page.getByRole("button", { name: "Open cohort" }).click();
  const row = page.getByRole("listitem").filter({ has: page.getByText(name, { exact: true }) });
  await row.getByRole("button", { name: `Move to enrolling: ${name}` }).click();
  await expect(row.getByText("enrolling", { exact: true })).toBeVisible();
  await signOut(page);
}

/**
 * Applies as the signed-in user; returns the cohort's card. `mustPickSkill`: the applicant's
 * profile lists none of the program's skills on this side (server/src/seed.rs), so the form asks
 * for one.
 */
async function applyTo(
  page: Page,
  cohort: string,
  side: "mentee" | "mentor",
  answers: [string, string],
  mustPickSkill: boolean,
) {
  await page.goto("/cohorts");
  await waitForHydration(page);
  const card = page.getByRole("region", { name: `Emerging Leaders · ${cohort}` });
  await card.getByRole("button", { name: `Apply as ${side}`, exact: true }).click();
  const form = card.getByRole("form", { name: `Apply as ${side}` });
  await form.getByLabel(HOPE).fill(answers[0]);
  await form.getByLabel(COMMIT).fill(answers[1]);
  // Matching preferences: skills come from the profile; a meeting time is required.
  await form.getByRole("button", { name: "Send application" }).click();
  await expect(form.getByText("Choose at least one time you could meet.")).toBeVisible();
  const pickSkill = form.getByText(/^Pick at least one skill/);
  if (mustPickSkill) {
    await expect(pickSkill).toBeVisible();
    await form.getByRole("group", { name: /^Skills you/ }).getByRole("checkbox").first().check();
  } else {
    await expect(pickSkill).toHaveCount(0);
  }
  await form.getByRole("checkbox", { name: "Mon morning" }).check();
  await form.getByRole("checkbox", { name: "Thu afternoon" }).check();
  await form.getByRole("button", { name: "Send application" }).click();
  await expect(card.getByText("Pending review")).toBeVisible();
  return card;
}

test("people apply with a verdict per rule and the admin decides", async ({ page, problems }, testInfo) => {
  test.slow();
  problems.expect({ url: "/api/enrollment/apply", status: 422 });
  problems.expect({ url: "/api/enrollment/decide", status: 422 });
  const cohort = `Enroll ${testInfo.project.name}${Date.now()}`;
  await openEnrollingCohort(page, cohort);

  // Tom (level 4, 18 months in) applies as a mentee. Unanswered questions are field errors.
  await signIn(page, USERS.mentee.email);
  await page.goto("/cohorts");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Join a program" })).toBeVisible();
  let card = page.getByRole("region", { name: `Emerging Leaders · ${cohort}` });
  await expect(card.getByText("level ≤ 5")).toBeVisible();
  await card.getByRole("button", { name: "Apply as mentee", exact: true }).click();
  const form = card.getByRole("form", { name: "Apply as mentee" });
  await form.getByRole("button", { name: "Send application" }).click();
  await expect(form.getByText("Answer this question.")).toHaveCount(2);
  await expect(form.getByText("Choose at least one time you could meet.")).toBeVisible();
  await expect(card.getByText("Pending review")).toHaveCount(0);
  await form.getByLabel(HOPE).fill("Lead my first team with confidence");
  await form.getByLabel(COMMIT).fill("yes");
  // Matching preferences: the skills Tom wants are taken from his profile.
  await expect(form.getByRole("group", { name: /^Skills you want to develop/ }).getByRole("checkbox", { checked: true })).not.toHaveCount(0);
  await form.getByRole("checkbox", { name: "Tue evening" }).check();
  await form.getByLabel("Preferred mentoring approach").selectOption("coaching");
  await form.getByRole("button", { name: "Send application" }).click();
  await expect(card.getByText("Pending review")).toBeVisible();
  const verdict = card.getByRole("list", { name: "Eligibility, rule by rule" });
  await expect(verdict.getByText("level 4 ≤ required 5")).toBeVisible();
  await expect(verdict.getByText("tenure 18 months ≥ required 12 months")).toBeVisible();
  await expect(card.getByText("You meet the criteria:")).toBeVisible();
  await shot(page, testInfo, "apply-mentee");
  await signOut(page);

  // Aiko (level 5) applies as a mentor: the level rule fails, with the reason. None of the skills
  // she offers is one of the program's, so she picks one.
  await signIn(page, USERS.mentorMentee.email);
  card = await applyTo(page, cohort, "mentor", ["Help new managers", "yes"], true);
  await expect(card.getByText("level 5 < required 6")).toBeVisible();
  await expect(card.getByText(/You do not meet every criterion yet/)).toBeVisible();
  await signOut(page);

  // Elena (level 7) applies as a mentor and meets every criterion.
  await signIn(page, USERS.mentor.email);
  card = await applyTo(page, cohort, "mentor", ["Grow the next engineering managers", "yes"], false);
  await expect(card.getByText("level 7 ≥ required 6")).toBeVisible();
  await signOut(page);

  // The admin reviews the cohort's applications.
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/cohorts");
  await waitForHydration(page);
  await page.getByRole("link", { name: cohort, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: cohort })).toBeVisible();
  await expect(page.getByText("3 applications · 3 pending · 0 approved")).toBeVisible();
  // Reached by a link (no page load): checked here, with the applications to review on it.
  await checkAccessibility(page);
  const tom = page.getByRole("listitem", { name: `${USERS.mentee.name} as mentee` });
  await expect(tom.getByText("Lead my first team with confidence")).toBeVisible();
  await expect(tom.getByText("Meets criteria")).toBeVisible();
  await tom.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByText("3 applications · 2 pending · 1 approved")).toBeVisible();

  // Approving Aiko needs a recorded reason for overriding the failed rule.
  const aiko = page.getByRole("listitem", { name: `${USERS.mentorMentee.name} as mentor` });
  await expect(aiko.getByText("level 5 < required 6")).toBeVisible();
  await aiko.getByRole("button", { name: "Approve with override" }).click();
  await expect(aiko.getByText("Enter why you override the failed rule (it is recorded).")).toBeVisible();
  await aiko.getByLabel(/Why you override the failed criterion/).fill("Promotion to level 6 confirmed for April");
  await aiko.getByRole("button", { name: "Approve with override" }).click();
  await expect(page.getByText("3 applications · 1 pending · 2 approved")).toBeVisible();

  // Rejecting needs a reason the applicant will see.
  const elena = page.getByRole("listitem", { name: `${USERS.mentor.name} as mentor` });
  await elena.getByRole("button", { name: "Reject" }).click();
  await expect(elena.getByText("Enter a reason the applicant will see.")).toBeVisible();
  await elena.getByLabel(/Reason the applicant sees/).fill("We have enough mentors in Engineering this round.");
  await elena.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByText("3 applications · 0 pending · 2 approved")).toBeVisible();
  await page.getByRole("button", { name: "All", exact: true }).click();
  await expect(page.getByText("Override recorded: Promotion to level 6 confirmed for April")).toBeVisible();
  await shot(page, testInfo, "admin-cohort-review");
  await signOut(page);

  // Elena sees the decision and its reason; Tom sees his approval.
  await signIn(page, USERS.mentor.email);
  await page.goto("/cohorts");
  await waitForHydration(page);
  card = page.getByRole("region", { name: `Emerging Leaders · ${cohort}` });
  await expect(card.getByText("Not accepted")).toBeVisible();
  await expect(card.getByText("Reason: We have enough mentors in Engineering this round.")).toBeVisible();
  await signOut(page);
  await signIn(page, USERS.mentee.email);
  await page.goto("/cohorts");
  await waitForHydration(page);
  card = page.getByRole("region", { name: `Emerging Leaders · ${cohort}` });
  await expect(card.getByText("Approved", { exact: true })).toBeVisible();
});

test("a participant cannot see or decide other people's applications", async ({ page }) => {
  await signIn(page, USERS.mentee.email);
  const list = await page.request.post("/api/enrollment/cohort", { form: { cohort_id: "whatever" } });
  expect(list.status()).toBe(403);
  const decide = await page.request.post("/api/enrollment/decide", {
    data: { decision: { id: "x", approve: true, reason: "", override_reason: "", version: 0 } },
  });
  expect(decide.status()).toBe(403);
  await page.goto("/admin/cohorts/anything");
  await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
});

test("a manager nominates a direct report, and the nomination persists", async ({ page }) => {
  await signIn(page, USERS.admin.email);
  await page.goto("/cohorts");
  await waitForHydration(page);
  const team = page.getByRole("region", { name: "Nominate your team" });
  const box = team.getByRole("checkbox", { name: "Nominate Samuel Adeyemi for Emerging Leaders · Spring 2027" });
  await expect(box).not.toBeChecked();
  const saved = () => page.waitForResponse((r) => r.url().endsWith("/api/enrollment/nominate") && r.ok());
  await Promise.all([saved(), box.check()]);
  await page.reload();
  await waitForHydration(page);
  await expect(box).toBeChecked();
  // Withdrawing the nomination also persists (and leaves the demo data as it was).
  await Promise.all([saved(), box.uncheck()]);
  await page.reload();
  await waitForHydration(page);
  await expect(box).not.toBeChecked();
});
