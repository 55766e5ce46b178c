// Cohort retrospectives: leadership compares the demo's two closed cohorts (coaching every two
// weeks against peer mentoring monthly) with intervals, plain-words differences, small-sample
// warnings, charts with table views, CSV and print; grouped by strategy the cohort is the unit.
// An admin writes a retrospective note (history kept, bad input refused), then opens the next
// cohort with the lesson marked applied, and finds the decision on the new cohort's page.

import { USERS, drawn, expect, signIn, test, waitForHydration } from "./helpers";

test("leadership compares two cohorts with intervals, warnings, charts, CSV and print", async ({ page, problems }) => {
  test.slow();
  await signIn(page, USERS.leader.email);
  await page.goto("/retros");
  await waitForHydration(page);
  const form = page.getByRole("form", { name: "Cohorts to compare" });
  await form.getByLabel("Autumn 2025").check();
  await form.getByLabel("Spring 2026").check();
  await form.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(/cohort=autumn2025&cohort=spring2026/);
  await waitForHydration(page);

  // Outcomes side by side, each with its interval and what it counts.
  const outcomes = page.getByRole("region", { name: "Outcomes side by side" });
  await outcomes.getByText("Table view").click();
  const head = await outcomes.locator('table[data-table="outcomes"] thead th').allTextContents();
  expect(head).toEqual(["Outcome", "Autumn 2025", "Spring 2026"]);
  const meetings = outcomes.locator("tr", { hasText: "Meetings per pair per month" });
  await expect(meetings.locator("td").first()).toContainText("95 % CI");
  await expect(meetings.locator("td").first()).toContainText("pairs");

  // Every difference in words with its interval; coaching every two weeks met more often.
  const sentences = page.getByTestId("sentences");
  await expect(sentences).toContainText(
    /Spring 2026 had a higher number of meetings per pair per month than Autumn 2025 \([\d.]+ vs [\d.]+; difference [\d.]+, 95 % CI [\d.]+ to [\d.]+\)/,
  );
  await expect(sentences.locator("li").first()).toContainText("95 % CI");
  // Nine answers a side: read with care; and many comparisons at once.
  await expect(sentences).toContainText("Fewer than 10 behind Spring 2026 (9 answers)");
  await expect(page.getByTestId("warnings")).toContainText("would still look clear by chance");
  await expect.poll(() => drawn(page, "chart-retro-outcomes"), { message: "the outcomes are drawn" }).toBe(true);
  await expect.poll(() => drawn(page, "chart-retro-forest"), { message: "the forest plot is drawn" }).toBe(true);

  // Retention and promotion against the applicants each cohort did not match: observational,
  // with intervals and the small-sample warning.
  const hr = page.getByRole("region", { name: "Retention and promotion" });
  await expect(hr.getByText("Observational comparison", { exact: true })).toBeVisible();
  await expect(hr.getByTestId("hr-note")).toContainText("not an experiment");
  await expect(hr.getByTestId("hr-sentences")).toContainText(
    /Autumn 2025: matched mentees had a higher retention at 12 months than eligible applicants who were not matched \(100 % \(11 of 11\) of matched mentees vs 50 % \(3 of 6\) of eligible applicants not matched; difference 50 points, 95 % CI \d+ to \d+\)/,
  );
  await expect(hr.getByTestId("hr-warnings")).toContainText("Small groups in Autumn 2025");
  await expect.poll(() => drawn(page, "chart-retro-hr"), { message: "the HR rates are drawn" }).toBe(true);
  await hr.getByText("Table view").click();
  await expect(hr.locator('table[data-table="hr"] tbody tr').first()).toContainText("95 % CI");

  // The differences as CSV.
  const differences = page.getByRole("region", { name: "Differences" });
  const download = page.waitForEvent("download");
  await differences.getByRole("button", { name: "Export CSV of differences" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("differences.csv");
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text.slice(1).split("\r\n")[0]).toBe("outcome,comparison,difference,low,high,hedges_g,g_low,g_high,clear,in words,warnings");

  // "Print report" opens every table view first (the browser's print dialog is stubbed here); on
  // paper the choices are left out and the numbers are in.
  await page.evaluate(() => {
    window.print = () => {};
  });
  await page.getByRole("button", { name: "Print report" }).click();
  await expect(page.locator("details.table-view:not([open])")).toHaveCount(0);
  await page.emulateMedia({ media: "print" });
  await expect(form).toBeHidden();
  await expect(page.locator('table[data-table="differences"]')).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  // Grouped by the mentors' approach: the cohort is the unit, and one cohort a side says little.
  await page.goto("/retros?cohort=autumn2025&cohort=spring2026&by=approach");
  await waitForHydration(page);
  await expect(page.getByTestId("unit-note")).toContainText("the cohort is the unit");
  await expect(page.getByTestId("warnings")).toContainText("Fewer than 3 cohorts used Peer mentoring and Coaching");

  // One cohort is no comparison.
  problems.expect({ url: "/api/retros/compare", status: 422 });
  await page.goto("/retros?cohort=autumn2025");
  await expect(page.getByRole("alert")).toContainText("Choose at least two cohorts to compare.");
});

test("an admin writes a retrospective note and carries it into the next cohort", async ({ page, problems }, testInfo) => {
  test.slow();
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const lesson = `Try weekly check-ins ${stamp}`;
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/cohorts/spring2026");
  await waitForHydration(page);
  const retro = page.getByRole("region", { name: "Retrospective" });
  // The demo's lesson from autumn, applied when spring opened.
  await expect(retro.getByTestId("decided").first()).toContainText("Applied — Meeting cadence: every two weeks");

  const note = retro.getByRole("form", { name: "Retrospective note" });
  await note.getByLabel("Kind").selectOption({ label: "Change next time" });
  await note.getByLabel("About a strategy tag").selectOption({ label: "Meeting cadence" });
  // Too long a note is refused with the reason, and nothing is saved.
  problems.expect({ url: "/api/retros/save-note", status: 422 });
  await note.getByLabel("Note").fill("x".repeat(2001));
  await note.getByRole("button", { name: "Save note" }).click();
  await expect(note.getByText("Use at most 2000 characters (this has 2001).")).toBeVisible();
  await note.getByLabel("Note").fill(lesson);
  await note.getByRole("button", { name: "Save note" }).click();
  const changes = retro.getByRole("list", { name: "Change next time" });
  await expect(changes).toContainText(lesson);
  await expect(changes.locator("li", { hasText: lesson })).toContainText("Meeting cadence");

  // An edit is kept in the history, with who and when.
  await changes.getByRole("button", { name: `Edit note: ${lesson.slice(0, 40)}` }).click();
  await note.getByLabel("Note").fill(`${lesson}, then every two weeks`);
  await note.getByRole("button", { name: "Save note" }).click();
  await expect(changes).toContainText(`${lesson}, then every two weeks`);
  await retro.getByText(/^History \(\d+ changes\)$/).click();
  const history = retro.locator(".retro-history");
  await expect(history).toContainText(`Priya`);
  await expect(history).toContainText(`edited a “Change next time” note: ${lesson}, then every two weeks`);
  await expect(history).toContainText(`added a “Change next time” note: ${lesson}`);

  // A note written by mistake is deleted after a second click; the history keeps it.
  const mistake = `Wrong cohort ${stamp}`;
  await note.getByLabel("Kind").selectOption({ label: "What didn't" });
  await note.getByLabel("About a strategy tag").selectOption({ label: "None" });
  await note.getByLabel("Note").fill(mistake);
  await note.getByRole("button", { name: "Save note" }).click();
  const didnt = retro.getByRole("list", { name: "What didn't" });
  await expect(didnt).toContainText(mistake);
  await didnt.getByRole("button", { name: `Delete note: ${mistake}` }).click();
  await expect(didnt).toContainText("Delete this note? Its history keeps it.");
  await didnt.getByRole("button", { name: "Delete note", exact: true }).click();
  await expect(didnt).not.toContainText(mistake);
  await expect(history).toContainText(`deleted a “What didn't” note: ${mistake}`);

  // Repeat the cohort: the lesson is beside the form; a decision without its detail is refused.
  await page.goto("/admin/cohorts");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Repeat: open another cohort like Spring 2026" }).click();
  const name = `Next ${stamp}`;
  await page.getByLabel("Cohort name").fill(name);
  const item = page.locator(".retro-lesson", { hasText: lesson });
  await expect(item).toBeVisible();
  await item.getByLabel("Decision").selectOption({ label: "Applied" });
  await page.getByRole("button", { name: "Open cohort" }).click();
  await expect(item.getByText("The setting it changed is required.")).toBeVisible();
  await item.getByLabel("Setting changed, or why skipped").fill("Meeting cadence: weekly");
  await page.getByRole("button", { name: "Open cohort" }).click();
  await page.getByRole("link", { name: `Go to ${name}` }).click();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const carried = page.getByRole("region", { name: "Lessons from earlier cohorts" });
  const decided = carried.locator(".retro-carry", { hasText: lesson });
  await expect(decided.getByTestId("decided")).toContainText("Applied — Meeting cadence: weekly");
  await expect(decided.getByRole("link", { name: "How the outcomes moved" })).toHaveAttribute(
    "href",
    /\/retros\?cohort=spring2026&cohort=/,
  );
  // Changed on the cohort's page: skipped, with the reason.
  await decided.getByLabel("Skipped").check();
  await decided.getByLabel("Why it was skipped").fill("Mentors could not meet weekly");
  await decided.getByRole("button", { name: "Save decision" }).click();
  await expect(decided.getByTestId("decided")).toContainText("Skipped — Mentors could not meet weekly");
});
