// Pre/post skill assessments: a mentee of a newly published pair finds the start-of-program
// assessment waiting on their home page, rates every program skill on the 1–5 scale with its
// anchors on screen (by touch on the phone project, partly by keyboard on the desktop one), is
// told a missing rating on its skill, saves, and after a reload finds the ratings kept and the
// assessment gone from their home page. The demo pair of Tom and Elena, whose start and end
// ratings are seeded, shows skill growth on its pair page.

import { USERS, expect, signIn, signOut, test, waitForHydration } from "./helpers";
import { MENTEES, publishedCohort } from "./setup";

test("a mentee rates their skills at the start of the program and finds the ratings kept", async ({ page, baseURL }, testInfo) => {
  test.slow();
  const phone = testInfo.project.name === "phone";
  const cohortName = `Assessments ${testInfo.project.name} ${Date.now()}`;
  await publishedCohort(baseURL!, cohortName);

  // Liam's home page lists the assessment of his new pair (he is in other specs' cohorts too).
  await signIn(page, MENTEES.liam.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const waiting = page.getByRole("region", { name: "Skill assessment waiting" });
  const link = waiting.getByRole("link", { name: `Rate your leadership skills · ${cohortName}` });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/pairs\/[A-Za-z0-9_]+\/assessment$/);
  await waitForHydration(page);
  const assessmentUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: "Rate your leadership skills" })).toBeVisible();
  await expect(page.locator('li[data-phase="pre"]')).toContainText("You: not rated");

  const form = page.getByRole("form", { name: "Skill assessment" });
  await expect(form.getByRole("heading", { name: "Start-of-program assessment" })).toBeVisible();
  const skills = form.locator("fieldset.assessment-skill");
  const count = await skills.count();
  expect(count, "one row per program skill").toBeGreaterThan(1);
  // Every level's anchor is on screen, not behind a tooltip.
  const first = skills.first();
  await expect(first.getByText("5 · Role model", { exact: true })).toBeVisible();
  await expect(first.getByText("Others learn it from them; they coach it in others.", { exact: true })).toBeVisible();

  if (phone) {
    await first.getByRole("radio", { name: /^2 · Emerging/ }).check();
  } else {
    // Native radios: Arrow keys move between the levels of one skill.
    await first.getByRole("radio", { name: /^1 · Not yet/ }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(first.getByRole("radio", { name: /^2 · Emerging/ })).toBeChecked();
  }
  for (let i = 1; i < count - 1; i++) {
    await skills.nth(i).getByRole("radio", { name: /^3 · Developing/ }).check();
  }
  // The last skill is left out: the form says which one, and nothing is sent.
  const last = skills.nth(count - 1);
  const lastName = (await last.getAttribute("data-skill"))!;
  await form.getByRole("button", { name: "Save my ratings" }).click();
  await expect(last).toContainText(`Choose a level from 1 to 5 for ${lastName}.`);
  await expect(first.getByRole("radio", { name: /^2 · Emerging/ })).toBeChecked();
  await last.getByRole("radio", { name: /^4 · Strong/ }).check();
  await form.getByRole("button", { name: "Save my ratings" }).click();
  await expect(form.getByRole("status")).toContainText("Your ratings were saved");
  await expect(page.locator('li[data-phase="pre"]')).toContainText("You rated on");
  await expect(last).not.toContainText("Choose a level");

  // Recorded: a reload shows the ratings as given, offered for change while the phase is open.
  await page.reload();
  await waitForHydration(page);
  await expect(page).toHaveURL(new RegExp(`${assessmentUrl}$`));
  await expect(page.locator('li[data-phase="pre"]')).toContainText("You rated on");
  await expect(skills.first().getByRole("radio", { name: /^2 · Emerging/ })).toBeChecked();
  await expect(skills.nth(count - 1).getByRole("radio", { name: /^4 · Strong/ })).toBeChecked();
  await expect(form.getByRole("button", { name: "Update my ratings" })).toBeVisible();
  // The growth table has the self-rating at the start; the mentor has not rated yet.
  const growth = page.getByRole("region", { name: "Skill growth" });
  await expect(growth.locator(`tr[data-skill="${lastName}"] td[data-rater="mentee"]`)).toContainText("4 → –");
  await expect(growth.locator(`tr[data-skill="${lastName}"] td[data-rater="mentor"]`)).toContainText("– → –");

  // Done: the home page no longer lists it.
  await page.goto("/home/mentee");
  await waitForHydration(page);
  await expect(page.getByRole("link", { name: `Rate your leadership skills · ${cohortName}` })).toHaveCount(0);
  await signOut(page);
});

test("the demo pair's page shows skill growth from the start to the end of the program", async ({ page }) => {
  await signIn(page, USERS.mentee.email);
  await page.goto("/pairs/pilot_tom");
  await waitForHydration(page);
  const growth = page.getByRole("region", { name: "Skill growth" });
  await expect(growth.getByRole("columnheader", { name: "Self-rating" })).toBeVisible();
  await expect(growth.locator("tbody tr")).toHaveCount(7);
  // Tom's goals were feedback and delegation: both grew, by his own ratings and by Elena's.
  const feedback = growth.locator('tr[data-skill="Giving feedback"]');
  await expect(feedback.locator('td[data-rater="mentee"]')).toContainText("2 → 4");
  await expect(feedback.locator('td[data-rater="mentee"]')).toContainText("+2");
  await expect(feedback.locator('td[data-rater="mentor"]')).toContainText("2 → 4");
  const delegation = growth.locator('tr[data-skill="Delegation"]');
  await expect(delegation.locator('td[data-rater="mentee"]')).toContainText("2 → 3");
  await expect(delegation.locator('td[data-rater="mentor"]')).toContainText("1 → 3");
  await expect(delegation.locator('td[data-rater="mentor"]')).toContainText("+2");
  const conflict = growth.locator('tr[data-skill="Conflict resolution"]');
  await expect(conflict.locator('td[data-rater="mentor"]')).toContainText("±0");

  // The panel leads to the assessment page, which shows the same growth.
  await growth.getByRole("link", { name: /Skill assessment|Rate your skills/ }).click();
  await expect(page).toHaveURL(/\/pairs\/pilot_tom\/assessment$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Rate your leadership skills" })).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Skill growth" }).locator('tr[data-skill="Giving feedback"] td[data-rater="mentor"]'),
  ).toContainText("2 → 4");
  await signOut(page);

  // Elena, his mentor, sees the same figures.
  await signIn(page, USERS.mentor.email);
  await page.goto("/pairs/pilot_tom");
  await waitForHydration(page);
  await expect(
    page.getByRole("region", { name: "Skill growth" }).locator('tr[data-skill="Giving feedback"] td[data-rater="mentee"]'),
  ).toContainText("2 → 4");
});
