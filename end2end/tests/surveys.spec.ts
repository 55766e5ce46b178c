// Feedback surveys: an admin builds one from a template and opens it now; a mentee (one question
// per screen on the phone project) answers part, reloads, finds the answers kept, submits once
// and is thanked; the survey leaves the home page; the admin's results show the answer count and
// hide questions below k with the reason. The demo's pulse shows a department breakdown with
// suppressed groups; leadership reads the same aggregates without free text.

import type { Page } from "@playwright/test";

import { expect, signIn, signOut, test, waitForHydration } from "./helpers";
import { MENTEES, publishedCohort } from "./setup";

/** Picks `value` on the scale of question `qid`. */
async function pick(page: Page, qid: string, value: string): Promise<void> {
  await page.locator(`fieldset[data-question="${qid}"] .scale-point`).filter({ hasText: new RegExp(`^${value}$`) }).click();
}

test("an admin opens a survey from a template; a mentee answers, reloads mid-way, resumes and submits once; results hide what is below k", async ({ page, baseURL }, testInfo) => {
  test.slow();
  const phone = testInfo.project.name === "phone";
  const cohortName = `Surveys ${testInfo.project.name} ${Date.now()}`;
  await publishedCohort(baseURL!, cohortName);
  const title = `Pulse ${testInfo.project.name} ${Date.now() % 100000}`;

  // The admin starts from the monthly pulse, renames it and opens it now.
  await signIn(page, "admin@northwind.example");
  await page.goto("/admin/surveys");
  await waitForHydration(page);
  await page.getByLabel("Cohort").selectOption({ label: `${cohortName} · Emerging Leaders` });
  await page.getByRole("button", { name: /Monthly pulse/ }).click();
  await expect(page).toHaveURL(/\/admin\/surveys\/[A-Za-z0-9]+$/);
  await waitForHydration(page);
  await expect(page.getByLabel("Question", { exact: true }).first()).toHaveValue("My mentor helps me grow as a leader.");
  // The preview draws the participant's own question.
  await expect(page.getByRole("complementary", { name: "Preview on a phone" })).toContainText("My mentor helps me grow as a leader.");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Opens").selectOption("now");
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(page.getByText("Scheduled, and open now: participants were notified.")).toBeVisible();
  await signOut(page);

  // Liam finds it on his home page and in a notification.
  await signIn(page, MENTEES.liam.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const waiting = page.getByRole("region", { name: "Surveys waiting for you" });
  await expect(waiting.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByRole("region", { name: "Notifications" })).toContainText(`A short survey is waiting for you: “${title}”`);
  await waiting.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/surveys\//);
  await waitForHydration(page);
  await expect(page.getByTestId("survey-privacy")).toContainText("Anonymous");

  await pick(page, "q1", "4");
  if (phone) {
    // One question per screen: the second appears after "Next".
    await expect(page.locator('fieldset[data-question="q2"]')).toBeHidden();
    await page.getByRole("button", { name: "Next", exact: true }).click();
  }
  await pick(page, "q2", "3");
  await expect(page.getByText("2 of 4 answered")).toBeVisible();

  // A reload (or a closed tab) keeps what was given.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByText("2 of 4 answered")).toBeVisible();
  await expect(page.locator('fieldset[data-question="q1"] input[value="4"]')).toBeChecked();

  if (phone) {
    // It resumes at the first unanswered question; the submit is on the last screen.
    await expect(page.locator('fieldset[data-question="q3"]')).toBeVisible();
    await expect(page.locator('fieldset[data-question="q1"]')).toBeHidden();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("button", { name: "Submit answers" }).click();
    // Back to the unanswered third question.
    await expect(page.locator('fieldset[data-question="q3"]')).toBeVisible();
  } else {
    await page.getByRole("button", { name: "Submit answers" }).click();
  }
  await expect(page.locator('fieldset[data-question="q3"]')).toContainText("Please answer this question.");
  await pick(page, "q3", "5");
  if (phone) {
    await page.getByRole("button", { name: "Next", exact: true }).click();
  }
  await page.locator('fieldset[data-question="q4"] input[type="text"]').fill("More practice on real situations");
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  await expect(page.locator(".survey-thanks")).toContainText("stored without your name");

  // Submitted once: it leaves the home page, and the device forgot the draft.
  await page.goto("/home/mentee");
  await waitForHydration(page);
  await expect(page.getByRole("region", { name: "Surveys waiting for you" })).toHaveCount(0);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("mentorship.survey.")).length);
  expect(kept).toBe(0);
  await signOut(page);

  // The admin's results: one answer of four, every question hidden below k = 5, with the reason.
  await signIn(page, "admin@northwind.example");
  await page.goto("/admin/surveys");
  await waitForHydration(page);
  // The pulse repeats monthly: opening it scheduled the next round, under the same title.
  const rows = page.locator("tr", { hasText: title });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "round 2" })).toContainText("Scheduled");
  const row = rows.filter({ hasText: "Open" });
  await expect(row).toContainText("1 of 4");
  await row.getByRole("link", { name: "Results" }).click();
  await expect(page).toHaveURL(/\/results$/);
  await waitForHydration(page);
  await expect(page.getByTestId("answered")).toHaveText("1 of 4");
  await expect(page.locator('section[data-question="q1"]')).toContainText("Hidden: fewer than 5 answers");
  await expect(page.getByText("More practice on real situations")).toHaveCount(0);
});

test("the demo pulse shows a department breakdown with small groups suppressed; leadership sees aggregates without free text", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "phone", "one width is enough for the read-only results");
  await signIn(page, "admin@northwind.example");
  await page.goto("/admin/surveys/pulse/results?by=department");
  await waitForHydration(page);
  await expect(page.getByTestId("answered")).toHaveText("6 of 6");
  const groups = page.locator("section", { hasText: "Respondents by department" });
  await expect(groups.locator('tr[data-group="Engineering"]')).toContainText("3");
  await expect(groups.locator('tr[data-group="Marketing"]')).toContainText("Fewer than 3 answers");
  await expect(page.locator(".free-texts").first()).toBeVisible();
  await signOut(page);

  await signIn(page, "leader@northwind.example");
  await page.goto("/admin/surveys/pulse/results");
  await waitForHydration(page);
  await expect(page.getByTestId("answered")).toHaveText("6 of 6");
  await expect(page.getByText("Free-text answers are shown to program admins only.")).toBeVisible();
  await expect(page.locator(".free-texts")).toHaveCount(0);
  // The trend across the pulse's rounds.
  await expect(page.getByRole("heading", { name: "Trend across rounds" })).toBeVisible();
});
