// The matching board: an admin drags mentees onto mentors with the mouse and with touch, assigns
// one with the keyboard only, sees a hard rule refuse a drop, undoes and redoes, publishes, and the
// mentee then sees their mentor. Another admin's stale change is refused and their board refreshed.
//
// Each test builds its own cohort through the real HTTP API: the admin opens it, four mentees and
// two mentors of the demo organization apply with matching preferences, the admin approves them
// and moves the cohort to matching.

import * as fs from "node:fs/promises";
import * as path from "node:path";

import type { Locator, Page, TestInfo } from "@playwright/test";

import { USERS, expect, installHydrationProbe, signIn, signOut, test, waitForHydration } from "./helpers";
import { MENTEES, MENTORS, apiAs, matchingCohort, ok } from "./setup";

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-${name}.png`), fullPage: true });
}

function mentorCard(page: Page, name: string): Locator {
  return page.getByRole("article", { name: `Mentor ${name}` });
}

function menteeCard(scope: Page | Locator, name: string): Locator {
  // The card's button is named by its content: "Mentee <name>" and then the details.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return scope.getByRole("button", { name: new RegExp(`^Mentee ${escaped}(?![\\w'-])`) });
}

function unmatched(page: Page): Locator {
  return page.getByRole("region", { name: /Unmatched mentees/ });
}

async function openBoard(page: Page, id: string): Promise<void> {
  await page.goto(`/admin/cohorts/${id}/board`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

/** Drags with the mouse from the card's grip to the middle of the target. */
async function mouseDrag(page: Page, card: Locator, target: Locator): Promise<void> {
  // On a phone the two ends may not fit on one screen: start with the card in the middle.
  await card.evaluate((el) => el.scrollIntoView({ block: "center" }));
  const from = await card.locator(".grip").boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("drag ends not visible");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(40, to.height / 2), { steps: 12 });
  await page.mouse.up();
}

/** Drags with a finger (Chromium touch events through the DevTools protocol). */
async function touchDrag(page: Page, card: Locator, target: Locator): Promise<void> {
  await card.evaluate((el) => el.scrollIntoView({ block: "center" }));
  const from = await card.locator(".grip").boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("drag ends not visible");
  const cdp = await page.context().newCDPSession(page);
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const end = { x: to.x + to.width / 2, y: to.y + Math.min(40, to.height / 2) };
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [start] });
  for (let k = 1; k <= 12; k++) {
    const p = { x: start.x + ((end.x - start.x) * k) / 12, y: start.y + ((end.y - start.y) * k) / 12 };
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [p] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

const totals = (page: Page) => page.getByTestId("board-totals");

test("drag a mentee onto a mentor with the mouse: pinned, the rest re-optimised, undo and redo", async ({ page, problems, baseURL }, testInfo) => {
  test.slow();
  problems.expect({ url: "/api/board/edit", status: 422 });
  const id = await matchingCohort(baseURL!, `Board mouse ${testInfo.project.name} ${Date.now()}`);
  await signIn(page, USERS.admin.email);
  await openBoard(page, id);
  await expect(totals(page)).toHaveText(/^0 of 4 mentees matched/);
  await expect(unmatched(page).getByRole("button", { name: /^Mentee / })).toHaveCount(4);

  // Drop Liam on Daniel: the pair is pinned and everyone else is matched around it.
  await mouseDrag(page, menteeCard(page, MENTEES.liam.name), mentorCard(page, MENTORS.daniel.name));
  const liamAtDaniel = menteeCard(mentorCard(page, MENTORS.daniel.name), MENTEES.liam.name);
  await expect(liamAtDaniel).toBeVisible();
  await expect(liamAtDaniel.getByLabel("pinned")).toBeVisible();
  await expect(totals(page)).toHaveText(/^4 of 4 mentees matched · total score \d+/);
  // Hannah never gets Chloé (her manager): Chloé is with Daniel.
  await expect(menteeCard(mentorCard(page, MENTORS.daniel.name), MENTEES.chloe.name)).toBeVisible();
  // A drag is not a click: nobody got selected.
  await expect(page.getByRole("region", { name: "Selected mentee" })).toHaveCount(0);
  // Each action on a card has its own control: the score button sits beside the card's button,
  // not inside it, and explains the pair without selecting the mentee.
  await expect(liamAtDaniel.getByRole("button")).toHaveCount(0);
  await liamAtDaniel.locator("..").getByRole("button", { name: /^Score \d+, explain$/ }).click();
  const explain = page.getByRole("region", { name: "Pair explanation" });
  await expect(explain.getByText(/^Score \d+ of 100$/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Selected mentee" })).toHaveCount(0);
  await explain.getByRole("button", { name: "Close" }).click();
  await expect(explain).toHaveCount(0);
  await shot(page, testInfo, "board-after-drag");

  // The server stored it: a reload shows the same board.
  const after = await totals(page).textContent();
  await openBoard(page, id);
  await expect(totals(page)).toHaveText(after!);
  await expect(menteeCard(mentorCard(page, MENTORS.daniel.name), MENTEES.liam.name).getByLabel("pinned")).toBeVisible();

  // A hard rule refuses a drop, with the reason, and nothing changes.
  await mouseDrag(page, menteeCard(page, MENTEES.chloe.name), mentorCard(page, MENTORS.hannah.name));
  await expect(page.getByTestId("board-message")).toContainText("reporting line");
  await expect(totals(page)).toHaveText(after!);
  await expect(menteeCard(mentorCard(page, MENTORS.daniel.name), MENTEES.chloe.name)).toBeVisible();

  // Drop Liam back on the unmatched list: unassigned. Undo brings him back, redo takes him away.
  await mouseDrag(page, menteeCard(page, MENTEES.liam.name), unmatched(page));
  await expect(menteeCard(unmatched(page), MENTEES.liam.name)).toBeVisible();
  await expect(totals(page)).toHaveText(/^3 of 4 mentees matched/);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(menteeCard(mentorCard(page, MENTORS.daniel.name), MENTEES.liam.name)).toBeVisible();
  await expect(totals(page)).toHaveText(after!);
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(menteeCard(unmatched(page), MENTEES.liam.name)).toBeVisible();
  await expect(totals(page)).toHaveText(/^3 of 4 mentees matched/);
});

test.describe("with a touch screen", () => {
  test.use({ hasTouch: true });

  test("drag a mentee onto a mentor with a finger", async ({ page, baseURL }, testInfo) => {
    test.slow();
    const id = await matchingCohort(baseURL!, `Board touch ${testInfo.project.name} ${Date.now()}`);
    await signIn(page, USERS.admin.email);
    await openBoard(page, id);
    await expect(totals(page)).toHaveText(/^0 of 4 mentees matched/);
    await touchDrag(page, menteeCard(page, MENTEES.mei.name), mentorCard(page, MENTORS.hannah.name));
    const meiAtHannah = menteeCard(mentorCard(page, MENTORS.hannah.name), MENTEES.mei.name);
    await expect(meiAtHannah).toBeVisible();
    await expect(meiAtHannah.getByLabel("pinned")).toBeVisible();
    await expect(totals(page)).toHaveText(/^4 of 4 mentees matched/);
    // The drag swallowed only its own click: the next click selects. (Not a tap: right after a
    // fast swipe Chrome may treat a tap as stopping a fling and send no click at all.)
    await menteeCard(page, MENTEES.kevin.name).click();
    const selected = page.getByRole("region", { name: "Selected mentee" });
    await expect(selected.getByRole("heading", { name: MENTEES.kevin.name })).toBeVisible();
    await shot(page, testInfo, "board-touch");
  });
});

test("assign with the keyboard only, explain a pair, then publish; the mentee sees their mentor", async ({ page, baseURL }, testInfo) => {
  test.slow();
  const cohortName = `Board keys ${testInfo.project.name} ${Date.now()}`;
  const id = await matchingCohort(baseURL!, cohortName);
  await signIn(page, USERS.admin.email);
  await openBoard(page, id);

  // Stable matching is offered too, with the board's stability audit.
  await page.getByRole("button", { name: "Stable match unpinned" }).click();
  await expect(totals(page)).not.toHaveText(/^0 of 4/);
  await expect(page.getByTestId("board-stability")).toHaveText(/^Stable: no mentee and mentor would both rather be together/);

  // Select Kevin with the keyboard, then "Assign to…" Hannah.
  await menteeCard(page, MENTEES.kevin.name).focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("region", { name: "Selected mentee" });
  await expect(panel.getByRole("heading", { name: MENTEES.kevin.name })).toBeVisible();
  // Chloé's manager can't be chosen for her, but Kevin may have Hannah.
  const choice = panel.getByRole("option", { name: new RegExp(`^${MENTORS.hannah.name} — score`) });
  const value = await choice.getAttribute("value");
  await panel.getByLabel("Assign to…").focus();
  await panel.getByLabel("Assign to…").selectOption(value!);
  await panel.getByRole("button", { name: "Assign", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(menteeCard(mentorCard(page, MENTORS.hannah.name), MENTEES.kevin.name)).toBeVisible();
  await expect(totals(page)).toHaveText(/^4 of 4 mentees matched/);

  // Why this pair: the breakdown and the cost of forcing it.
  await panel.getByRole("button", { name: "Explain pair" }).click();
  const explain = page.getByRole("region", { name: "Pair explanation" });
  await expect(explain.getByText(/^Score \d+ of 100$/)).toBeVisible();
  await expect(explain.getByRole("cell", { name: "Skills", exact: true })).toBeVisible();
  // Kevin named Hannah as his first wish when he applied.
  await expect(explain.getByRole("cell", { name: "1st of 1 wish" })).toBeVisible();
  await expect(explain.getByTestId("forcing-cost")).toBeVisible();

  // Chloé's option for Hannah is disabled, with the reason in its label.
  await page.getByRole("button", { name: "Close" }).first().click();
  await menteeCard(page, MENTEES.chloe.name).focus();
  await page.keyboard.press("Enter");
  const option = panel.getByRole("option", { name: new RegExp(`^${MENTORS.hannah.name} — can't`) });
  await expect(option).toBeDisabled();

  // Unpublished pairs never reach participants.
  const liam = await apiAs(baseURL!, MENTEES.liam.email);
  const before = await ok(liam.post("/api/matches/mine"));
  expect(before.filter((m: any) => m.cohort_name === cohortName)).toHaveLength(0);

  // Publish.
  await page.getByRole("button", { name: "Publish…" }).click();
  await page.getByRole("button", { name: "Publish now" }).click();
  await expect(page.getByText(/^Published /)).toBeVisible();
  await expect(page.getByRole("button", { name: "Auto-match all" })).toHaveCount(0);
  await expect(totals(page)).toHaveText(/^4 of 4 mentees matched/);
  await shot(page, testInfo, "board-published");

  // Now the pair reaches Liam, with the mentor the board shows him under.
  const after = await ok(liam.post("/api/matches/mine"));
  await liam.dispose();
  const mentors = after.filter((m: any) => m.cohort_name === cohortName).map((m: any) => m.other_name);
  expect(mentors).toHaveLength(1);
  const mentorOfLiam: string = mentors[0];
  expect([MENTORS.daniel.name, MENTORS.hannah.name]).toContain(mentorOfLiam);
  await expect(menteeCard(mentorCard(page, mentorOfLiam), MENTEES.liam.name)).toBeVisible();
  await signOut(page);

  // Liam sees his mentor and the notification.
  await signIn(page, MENTEES.liam.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const pairs = page.getByRole("region", { name: "Your mentor" });
  const mine = pairs.getByRole("listitem").filter({ hasText: cohortName });
  await expect(mine.getByText(mentorOfLiam, { exact: true })).toBeVisible();
  const notes = page.getByRole("region", { name: "Notifications" });
  await expect(notes).toContainText(`You have been matched with ${mentorOfLiam}`);
  await shot(page, testInfo, "mentee-sees-mentor");
  // Marked as read, the panel goes, and stays gone on the next visit: the server kept it.
  await notes.getByRole("button", { name: "Mark as read" }).click();
  await expect(notes).toBeHidden();
  await page.reload();
  await waitForHydration(page);
  await expect(pairs.getByText(mentorOfLiam, { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Notifications" })).toBeHidden();
  await signOut(page);
});

test("a stale change from a second admin is refused and their board refreshes", async ({ page, browser, problems, baseURL }, testInfo) => {
  test.slow();
  problems.expect({ url: "/api/board/edit", status: 409 });
  const id = await matchingCohort(baseURL!, `Board stale ${testInfo.project.name} ${Date.now()}`);
  await signIn(page, USERS.admin.email);
  await openBoard(page, id);

  const other = await browser.newPage();
  await installHydrationProbe(other);
  problems.watch(other);
  await signIn(other, USERS.admin.email);
  await openBoard(other, id);

  await page.getByRole("button", { name: "Auto-match all" }).click();
  await expect(totals(page)).toHaveText(/^4 of 4 mentees matched/);
  // The totals show the wasm preview at once; Undo comes on when the server has saved the change.
  await expect(page.getByRole("button", { name: "Undo" })).toBeEnabled();

  // The second admin still sees the old board and acts on it.
  await expect(totals(other)).toHaveText(/^0 of 4 mentees matched/);
  await other.getByRole("button", { name: "Clear unpinned" }).click();
  await expect(other.getByTestId("board-message")).toContainText("Another admin changed this board");
  // Refreshed to the first admin's board; nothing was lost.
  await expect(totals(other)).toHaveText(/^4 of 4 mentees matched/);
  await other.close();
  await openBoard(page, id);
  await expect(totals(page)).toHaveText(/^4 of 4 mentees matched/);
});
