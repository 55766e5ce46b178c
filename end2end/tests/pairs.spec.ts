// A pair's first session as a compatibility test: after the first meeting is logged the fit
// check appears on the pair page; the mentee says "not a fit" with a note; the admin sees the
// pair flagged on the cohort page, ends it with a reason, and re-matches the mentee on the
// reopened board while the other published pairs stay; the ended pair stays readable to the
// mentee, with no forms, and home shows the new mentor.

import { expect, signIn, signOut, test, waitForHydration } from "./helpers";
import { MENTEES, apiAs, ok, publishedCohort } from "./setup";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test("not a fit after the first session: the admin ends the pair and re-matches the mentee", async ({ page, baseURL, problems }, testInfo) => {
  test.slow();
  const cohortName = `Fit ${testInfo.project.name} ${Date.now()}`;
  const cohortId = await publishedCohort(baseURL!, cohortName, { starts: day(-30), ends: day(90) });
  const liamApi = await apiAs(baseURL!, MENTEES.liam.email);
  const first = (await ok(liamApi.post("/api/matches/mine"))).find((m: any) => m.cohort_name === cohortName);
  expect(first, "Liam has a pair in the new cohort").toBeTruthy();

  // Liam logs the first meeting; the fit check appears with it.
  await signIn(page, MENTEES.liam.email);
  await page.goto(`/pairs/${first.id}`);
  await waitForHydration(page);
  await expect(page.getByRole("form", { name: "How is this pairing going?" })).toHaveCount(0);
  await page.getByLabel("Date").fill(day(-1));
  await page.getByLabel("Topics").fill("Getting to know each other");
  await page.getByRole("button", { name: "Save meeting" }).click();
  const fit = page.getByRole("form", { name: "How is this pairing going?" });
  await expect(fit).toBeVisible();
  // Sending without a choice is refused on the spot.
  await fit.getByRole("button", { name: "Send" }).click();
  await expect(fit.getByText("Choose one of the three answers.")).toBeVisible();
  await fit.getByLabel(/Not a fit/).check();
  await fit.getByLabel("A note for the program team (optional)").fill("Our calendars never overlap.");
  await fit.getByRole("button", { name: "Send" }).click();
  await expect(fit.getByText("Your answer: Not a fit")).toBeVisible();
  await signOut(page);

  // The admin finds the pair flagged, with the note, and ends it with a reason.
  await signIn(page, "admin@northwind.example");
  await page.goto(`/admin/cohorts/${cohortId}`);
  await waitForHydration(page);
  const panel = page.getByRole("region", { name: "Fit checks" });
  await expect(panel.getByText("1 pair is flagged “not a fit”.")).toBeVisible();
  const row = panel.getByRole("listitem").filter({ hasText: "Not a fit" }).first();
  await expect(row).toContainText(`Mentee (${MENTEES.liam.name}): Not a fit — “Our calendars never overlap.”`);
  await row.getByRole("button", { name: "End this pair…" }).click();
  problems.expect({ url: "/api/pairs/end", status: 422 });
  await row.getByRole("button", { name: "End the pair" }).click();
  await expect(row.getByText("Say why the pair ends; both of them will read it.")).toBeVisible();
  await row.getByLabel(/Why does the pair end/).fill("Schedules never overlap.");
  await row.getByRole("button", { name: "End the pair" }).click();
  await expect(panel.getByText("1 mentee is waiting for a new mentor.")).toBeVisible();
  await expect(panel.getByRole("listitem").filter({ hasText: "Schedules never overlap." })).toContainText("Ended");

  // Every mentor is full, so the admin gives the other mentor a place, then re-optimises.
  const admin = await apiAs(baseURL!, "admin@northwind.example");
  const board = await ok(admin.post("/api/board/get", { form: { cohort_id: cohortId } }));
  expect(board.fixed).toHaveLength(3);
  const other = board.mentors.find((m: any) => m.name !== first.other_name);
  await ok(
    admin.post("/api/board/edit", {
      data: { cohort_id: cohortId, version: board.version, edit: { edit: { kind: "capacity", mentor: 0, capacity: 3 }, mentee: "", mentor: other.id } },
    }),
  );
  await admin.dispose();
  await page.getByRole("link", { name: "Re-match on the board" }).click();
  await waitForHydration(page);
  await expect(page.getByTestId("rematch-notice")).toContainText("The 3 published pairs stay as they are");
  await page.getByRole("button", { name: "Re-optimise unpinned" }).click();
  await expect(page.getByTestId("board-totals")).toContainText("4");
  await page.getByRole("button", { name: "Publish…" }).click();
  await expect(page.getByRole("alertdialog", { name: "Publish the pairs" })).toContainText("Publish 1 new pair?");
  await page.getByRole("button", { name: "Publish now" }).click();
  await expect(page.getByText(/^Published /)).toBeVisible();
  await signOut(page);

  // Liam: a new mentor on his home page, the ended pair readable but closed.
  await signIn(page, MENTEES.liam.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  // Liam has pairs in other journeys' cohorts too: only this cohort's two count here.
  const mine = page.getByRole("region", { name: "Your mentor" }).getByRole("listitem").filter({ hasText: cohortName });
  await expect(mine).toHaveCount(2);
  await expect(mine.filter({ hasNotText: "This pair ended on" })).toContainText(other.name);
  await expect(mine.filter({ hasText: "This pair ended on" })).toContainText(first.other_name);
  await expect(mine.filter({ hasText: "This pair ended on" }).getByRole("link", { name: "Set a SMART goal" })).toHaveCount(0);
  await page.goto(`/pairs/${first.id}`);
  await waitForHydration(page);
  await expect(page.getByRole("status", { name: "This pair has ended" })).toContainText("Reason: Schedules never overlap.");
  await expect(page.getByRole("form", { name: "Log a meeting" })).toHaveCount(0);
  await expect(page.getByText("Getting to know each other")).toBeVisible();
  await liamApi.dispose();
});
