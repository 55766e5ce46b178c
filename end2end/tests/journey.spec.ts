// The rest of the participant journey: a workshop from the mentee's reply through the admin's
// attendance, the mentee's reflection and the mentor's sign-off; rewards earned automatically and
// a printable certificate; the pair's timeline; and the admin's quiet-pair flags (on the demo's
// running cohort "Autumn 2026", which has history).

import * as fs from "node:fs/promises";
import * as path from "node:path";

import type { APIRequestContext, Page, TestInfo } from "@playwright/test";

import { USERS, expect, signIn, signOut, test, waitForHydration } from "./helpers";
import { MENTEES, MENTORS, apiAs, ok, publishedCohort } from "./setup";

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-${name}.png`), fullPage: true });
}

/** A goal sent by the mentee, approved by the mentor and checked in at 100 % (completed). */
async function completedGoal(mentee: APIRequestContext, mentor: APIRequestContext, pairingId: string, n: number): Promise<void> {
  const ctx = await ok(mentee.post("/api/goals/context", { form: { pairing_id: pairingId } }));
  const draft = {
    skill_id: ctx.skills[0][0],
    specific: `Lead the weekly planning meeting for my team, round ${n}`,
    measurable: "8 meetings led, with notes sent the same day",
    achievable: "My manager hands them over; risk: release weeks",
    relevant: "I take over the team next quarter",
    deadline: "2027-03-15",
    milestones: [
      { title: "First meeting led", due: "2026-12-15" },
      { title: "Four meetings led", due: "2027-02-01" },
    ],
  };
  let g = await ok(mentee.post("/api/goals/save-draft", { data: { pairing_id: pairingId, goal_id: null, step: 7, version: 0, draft } }));
  g = await ok(mentee.post("/api/goals/submit", { data: { id: g.id, version: g.version } }));
  g = await ok(mentor.post("/api/goals/approve", { data: { id: g.id, version: g.version } }));
  g = await ok(mentee.post("/api/goals/checkin", { data: { input: { goal_id: g.id, progress: "100", note: "All eight led.", evidence: "" } } }));
  expect(g.status).toBe("completed");
}

test("a workshop from reply to sign-off; completed goals earn a badge and a printable certificate; the timeline shows it all", async ({ page, problems, baseURL }, testInfo) => {
  test.slow();
  problems.expect({ url: /\/awards\//, status: 404 });
  problems.expect({ url: /\/pairs\/.*\/timeline/, status: 404 });
  const cohortName = `Workshops ${testInfo.project.name} ${Date.now()}`;
  // Running since October: the program's "Feedback lab" (14 October) is past, "Delegation in
  // practice" (10 February) still to come.
  const cohortId = await publishedCohort(baseURL!, cohortName, { starts: "2026-10-01", ends: "2027-03-31" });
  const admin = await apiAs(baseURL!, USERS.admin.email);
  const activity = await ok(admin.post("/api/pairs/activity", { form: { cohort_id: cohortId } }));
  await admin.dispose();
  // Kevin wished for Hannah and gets her; any pair works, so take the first one.
  const pair = activity.pairs[0];
  const mentee = Object.values(MENTEES).find((m) => m.name === pair.mentee_name)!;
  const mentor = Object.values(MENTORS).find((m) => m.name === pair.mentor_name)!;
  const otherMentee = Object.values(MENTEES).find((m) => m.name !== pair.mentee_name)!;
  const reflection = `I gave situation-behaviour-impact feedback to two reports the week after (${testInfo.project.name}).`;

  // The mentee replies "going" to the coming workshop; the past one waits for the admin's record.
  await signIn(page, mentee.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const workshops = page.getByRole("region", { name: "Workshops" });
  const coming = workshops.getByRole("listitem", { name: "Delegation in practice" }).filter({ hasText: cohortName });
  await expect(coming.getByText("No reply yet")).toBeVisible();
  await coming.getByRole("button", { name: "Going", exact: true }).click();
  await expect(coming.getByRole("button", { name: "Going", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(coming.locator(".badge").getByText("Going", { exact: true })).toBeVisible();
  let past = workshops.getByRole("listitem", { name: "Feedback lab" }).filter({ hasText: cohortName });
  await expect(past.getByText("This workshop has taken place; attendance is recorded by your program admin.")).toBeVisible();
  await expect(past.getByRole("button", { name: "Going", exact: true })).toHaveCount(0);
  await expect(past.getByLabel("How I applied the skill")).toHaveCount(0);
  await signOut(page);

  // The admin marks attendance on the cohort page; the coming workshop cannot be marked yet.
  await signIn(page, USERS.admin.email);
  await page.goto(`/admin/cohorts/${cohortId}`);
  await waitForHydration(page);
  const attendance = page.getByRole("region", { name: "Workshop attendance" });
  await expect(attendance.getByRole("group", { name: "Delegation in practice" }).getByText(/1 going · 0 attended/)).toBeVisible();
  await expect(attendance.getByRole("group", { name: "Delegation in practice" }).getByRole("checkbox", { name: `${mentee.name} attended` })).toBeDisabled();
  const sheet = attendance.getByRole("group", { name: "Feedback lab" });
  await expect(sheet.getByText(/0 going · 0 attended/)).toBeVisible();
  await sheet.getByRole("checkbox", { name: `${mentee.name} attended` }).check();
  await expect(sheet.getByText(/0 going · 1 attended/)).toBeVisible();
  await page.reload();
  await waitForHydration(page);
  await expect(sheet.getByRole("checkbox", { name: `${mentee.name} attended` })).toBeChecked();
  await shot(page, testInfo, "cohort-attendance");
  await signOut(page);

  // The mentee reflects: too short is refused on the field and the text stays.
  await signIn(page, mentee.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  past = page.getByRole("region", { name: "Workshops" }).getByRole("listitem", { name: "Feedback lab" }).filter({ hasText: cohortName });
  await expect(past.getByText("Attended: reflection to write")).toBeVisible();
  await past.getByLabel("How I applied the skill").fill("It went well.");
  await past.getByRole("button", { name: "Save reflection" }).click();
  await expect(past.getByText(/at least 30 characters/)).toBeVisible();
  await expect(past.getByLabel("How I applied the skill")).toHaveValue("It went well.");
  await past.getByLabel("How I applied the skill").fill(reflection);
  await past.getByRole("button", { name: "Save reflection" }).click();
  await expect(past.getByText("Reflection waiting for the mentor's sign-off")).toBeVisible();
  await signOut(page);

  // The mentor reads it and signs it off.
  await signIn(page, mentor.email);
  await page.goto("/home/mentor");
  await waitForHydration(page);
  const mcard = page.getByRole("region", { name: "Your mentees' workshops" })
    .getByRole("listitem", { name: `${mentee.name} · Feedback lab` }).filter({ hasText: cohortName });
  await expect(mcard.getByText(reflection)).toBeVisible();
  await mcard.getByRole("button", { name: "Sign off reflection" }).click();
  await expect(mcard.getByText("Completed: reflection signed off")).toBeVisible();
  await expect(mcard.getByRole("button", { name: "Sign off reflection" })).toHaveCount(0);
  await signOut(page);

  // Two completed goals (through the API; the wizard has its own journey) earn both rewards.
  const menteeApi = await apiAs(baseURL!, mentee.email);
  const mentorApi = await apiAs(baseURL!, mentor.email);
  await completedGoal(menteeApi, mentorApi, pair.pairing_id, 1);
  let standing = await ok(menteeApi.post("/api/awards/mine"));
  const mine = (name: string) => standing.find((r: any) => r.cohort_name === cohortName && r.name === name);
  expect(mine("First goal reached").award_id).toBeTruthy();
  expect(mine("Emerging Leader certificate").award_id).toBeNull();
  await completedGoal(menteeApi, mentorApi, pair.pairing_id, 2);
  standing = await ok(menteeApi.post("/api/awards/mine"));
  const certificateId = mine("Emerging Leader certificate").award_id;
  expect(certificateId).toBeTruthy();
  await menteeApi.dispose();
  await mentorApi.dispose();

  await signIn(page, mentee.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const rewards = page.getByRole("region", { name: "Rewards" });
  const cert = rewards.getByRole("listitem", { name: `Emerging Leader certificate (${cohortName})` });
  await expect(cert.getByText(/^Earned on \d{4}-\d{2}-\d{2}/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Notifications" }).getByRole("link", { name: /You earned the certificate “Emerging Leader certificate”/ }).first()).toBeVisible();
  await cert.getByRole("link", { name: "View certificate" }).click();
  await waitForHydration(page);
  const article = page.getByRole("article", { name: "Certificate of achievement" });
  await expect(article.getByRole("heading", { name: "Emerging Leader certificate" })).toBeVisible();
  await expect(article.getByText(mentee.name, { exact: true })).toBeVisible();
  await expect(article.getByText(`mentored by ${mentor.name}`, { exact: false })).toBeVisible();
  await expect(article.getByText("Workshops completed: Feedback lab.")).toBeVisible();
  await expect(article.getByText(`Verification code ${certificateId}`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeVisible();
  // Printed, the page is the certificate alone.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await expect(page.locator(".topbar")).toBeHidden();
  await page.emulateMedia({ media: "screen" });
  await shot(page, testInfo, "certificate");
  const certUrl = new URL(page.url()).pathname;

  // The timeline: goals, the workshop's steps and the awards, newest first.
  await page.goto(`/pairs/${pair.pairing_id}/timeline`);
  await waitForHydration(page);
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByRole("link", { name: "Earned the certificate “Emerging Leader certificate”" })).toBeVisible();
  await expect(timeline.getByText("Reflected on “Feedback lab”")).toBeVisible();
  await expect(timeline.getByText(`${mentor.name} signed off the reflection on “Feedback lab”`)).toBeVisible();
  await expect(timeline.getByText("Signed up for “Delegation in practice”")).toBeVisible();
  await expect(timeline.getByRole("link", { name: /^Completed a goal/ })).toHaveCount(2);
  await expect(timeline.getByRole("link", { name: "Check-in at 100 %" })).toHaveCount(2);
  await shot(page, testInfo, "timeline");
  const timelineUrl = new URL(page.url()).pathname;
  await signOut(page);

  // Another mentee and leadership reach neither page.
  await signIn(page, otherMentee.email);
  expect((await page.goto(certUrl))!.status()).toBe(404);
  await expect(page.getByText("This page does not exist, or it is private.")).toBeVisible();
  expect((await page.goto(timelineUrl))!.status()).toBe(404);
  await signOut(page);
  await signIn(page, USERS.leader.email);
  expect((await page.goto(timelineUrl))!.status()).toBe(404);
  expect((await page.goto(certUrl))!.status()).toBe(404);
});

test("admins see pairs gone quiet, set the threshold per cohort and open a quiet pair's timeline", async ({ page, problems }, testInfo) => {
  problems.expect({ url: "/api/pairs/inactive-days", status: 422 });
  await signIn(page, USERS.admin.email);
  await page.goto("/home/admin");
  await waitForHydration(page);
  const quiet = page.getByRole("region", { name: "Pairs gone quiet" });
  await expect(quiet.getByRole("listitem").filter({ hasText: "Yuki Sato & Anna Kowalska" }).getByText("80 days quiet")).toBeVisible();
  await expect(quiet.getByRole("listitem").filter({ hasText: "Noah Schmidt & Oliver Brown" }).getByText("38 days quiet")).toBeVisible();
  await expect(quiet.getByText("Tom Becker & Elena Vasquez")).toHaveCount(0);
  await shot(page, testInfo, "admin-quiet-pairs");
  await quiet.getByRole("listitem").filter({ hasText: "Noah Schmidt" }).getByRole("link", { name: "Cohort" }).click();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Autumn 2026" })).toBeVisible();

  const pairs = page.getByRole("region", { name: "Pairs", exact: true });
  const row = (name: string) => pairs.getByRole("row", { name });
  await expect(row("Noah Schmidt & Oliver Brown").getByText("Inactive")).toBeVisible();
  await expect(row("Tom Becker & Elena Vasquez").getByText("Inactive")).toHaveCount(0);
  await expect(pairs.getByText("3 pairs · 2 quiet for more than 21 days")).toBeVisible();
  // A threshold out of range is refused on its field, and nothing changes.
  const days = pairs.getByLabel("Flag a pair after this many days without a meeting or check-in");
  await days.fill("2");
  await pairs.getByRole("button", { name: "Save" }).click();
  await expect(pairs.getByText("Enter a number of days from 3 to 120.")).toBeVisible();
  await expect(days).toHaveValue("2");
  await expect(row("Noah Schmidt & Oliver Brown").getByText("Inactive")).toBeVisible();
  // 45 days: Noah and Oliver (38 days) are no longer flagged; Yuki and Anna (80) still are.
  await days.fill("45");
  await pairs.getByRole("button", { name: "Save" }).click();
  await expect(pairs.getByText("Saved.")).toBeVisible();
  await expect(pairs.getByText("3 pairs · 1 quiet for more than 45 days")).toBeVisible();
  await expect(row("Noah Schmidt & Oliver Brown").getByText("Inactive")).toHaveCount(0);
  await page.reload();
  await waitForHydration(page);
  await expect(days).toHaveValue("45");
  await page.goto("/home/admin");
  await waitForHydration(page);
  await expect(quiet.getByText("Noah Schmidt & Oliver Brown")).toHaveCount(0);
  // Back to 21 for the other journeys.
  await page.goBack();
  await waitForHydration(page);
  await days.fill("21");
  await pairs.getByRole("button", { name: "Save" }).click();
  await expect(pairs.getByText("3 pairs · 2 quiet for more than 21 days")).toBeVisible();
  await shot(page, testInfo, "cohort-pairs");

  await row("Yuki Sato & Anna Kowalska").getByRole("link").click();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Yuki Sato's timeline" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "No meeting or check-in for 80 days" })).toBeVisible();
  await expect(page.getByText(/Nothing yet/)).toBeVisible();
});
