// The admin's people page: adding a person (and their first sign-in), input errors, the filter,
// and screenshots of every main page.

import * as fs from "node:fs/promises";
import * as path from "node:path";

import type { Locator, Page, Response, TestInfo } from "@playwright/test";

import {
  USERS,
  expect,
  mainNav,
  openLogin,
  pathOf,
  signIn,
  signOut,
  submitLogin,
  test,
  urlPath,
  waitForHydration,
} from "./helpers";

/** A unique, valid, lower-case suffix for emails and names created by one test. */
function stampOf(testInfo: TestInfo): string {
  return `${testInfo.project.name}${Date.now()}`;
}

/** Opens /admin/users (signed in as an admin) and waits until the page is interactive. */
async function openPeople(page: Page): Promise<void> {
  await page.goto("/admin/users");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "People", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Add a person", exact: true })).toBeVisible();
  // The role boxes are ticked by the browser code (prop:checked), so this also proves hydration.
  await expect(page.getByRole("checkbox", { name: "Mentee", exact: true })).toBeChecked({ timeout: 15_000 });
  await expect(peopleCounter(page)).toBeVisible();
}

/** The "N of M people" line above the list. */
function peopleCounter(page: Page): Locator {
  return page.getByText(/^\d+ of \d+ people$/);
}

async function readCount(page: Page): Promise<{ shown: number; total: number }> {
  const text = (await peopleCounter(page).textContent()) ?? "";
  const m = /(\d+) of (\d+) people/.exec(text);
  if (!m) throw new Error(`unexpected people counter: ${JSON.stringify(text)}`);
  return { shown: Number(m[1]), total: Number(m[2]) };
}

/** A person's entry in the list, found by their exact name. */
function personRow(page: Page, name: string): Locator {
  return page.getByRole("listitem").filter({ has: page.getByText(name, { exact: true }) });
}

/** Clicks "Add person" and returns the answer of the create server function. */
async function submitAddPerson(page: Page): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => pathOf(r.url()) === "/api/people/create" && r.request().method() === "POST"),
    page.getByRole("button", { name: "Add person", exact: true }).click(),
  ]);
  return response;
}

/** The success panel that shows a new person's temporary password. */
function issuedPanel(page: Page): Locator {
  return page.getByRole("status").filter({ hasText: "can now sign in as" });
}

test("an admin adds a person, who signs in with the temporary password and replaces it", async ({ page }, testInfo) => {
  test.slow();
  const stamp = stampOf(testInfo);
  const email = `e2e.new.${stamp}@example.com`;
  const name = `Ada Newcomer ${stamp}`;

  await signIn(page, USERS.admin.email);
  await openPeople(page);
  const before = await readCount(page);

  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Full name", { exact: true }).fill(name);
  await page.getByLabel("Department", { exact: true }).fill("Research");
  await page.getByLabel("Job title", { exact: true }).fill("Analyst");
  await page.getByLabel("Level", { exact: true }).fill("3");
  await expect(page.getByRole("checkbox", { name: "Mentee", exact: true })).toBeChecked();
  for (const role of ["Admin", "Leadership", "Mentor"]) {
    await expect(page.getByRole("checkbox", { name: role, exact: true })).not.toBeChecked();
  }
  const created = await submitAddPerson(page);
  expect(created.status(), await created.text()).toBe(200);

  const issued = issuedPanel(page);
  await expect(issued).toBeVisible();
  await expect(issued).toContainText(name);
  await expect(issued).toContainText(email);
  const temporary = ((await page.locator(".temp-password").textContent()) ?? "").trim();
  expect(temporary.length, "temporary password").toBeGreaterThanOrEqual(10);

  // The form is cleared, and the list shows the new person, not signed in yet.
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Full name", { exact: true })).toHaveValue("");
  await expect.poll(async () => (await readCount(page)).total).toBe(before.total + 1);
  const row = personRow(page, name);
  await expect(row).toBeVisible();
  await expect(row.getByText(email, { exact: true })).toBeVisible();
  await expect(row.getByText("not signed in yet", { exact: true })).toBeVisible();

  // First sign-in: straight to the account page to replace the temporary password.
  await signOut(page);
  await signIn(page, email, temporary);
  await expect(page).toHaveURL(urlPath("/account?first=1"));
  await expect(page.getByRole("heading", { level: 1, name: "Your account", exact: true })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "replace the temporary password" })).toBeVisible();

  const newPassword = `a fresh sentence ${stamp}`;
  await page.getByLabel("Current password", { exact: true }).fill(temporary);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat new password", { exact: true }).fill(newPassword);
  const [changed] = await Promise.all([
    page.waitForResponse((r) => pathOf(r.url()) === "/api/auth/change-password" && r.request().method() === "POST"),
    page.getByRole("button", { name: "Change password", exact: true }).click(),
  ]);
  expect(changed.status(), await changed.text()).toBe(200);
  await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();
  await expect(page.getByLabel("Current password", { exact: true })).toHaveValue("");

  // The mentee home page is reachable from the header.
  await mainNav(page).getByRole("link", { name: "Mentee", exact: true }).click();
  await expect(page).toHaveURL(urlPath("/home/mentee"));
  await expect(page.getByRole("heading", { level: 1, name: "Welcome, Ada", exact: true })).toBeVisible();

  // From now on the new password is the one that works, and leads straight home.
  await signOut(page);
  await signIn(page, email, newPassword);
  await expect(page).toHaveURL(urlPath("/home/mentee"));
  await expect(page.getByRole("heading", { level: 1, name: "Welcome, Ada", exact: true })).toBeVisible();
});

test("the add-person form explains bad input next to each field", async ({ page, problems }, testInfo) => {
  test.slow();
  problems.expect({ url: "/api/people/create", status: [409, 422] });
  const stamp = stampOf(testInfo);
  await signIn(page, USERS.admin.email);
  await openPeople(page);
  const before = await readCount(page);
  const email = page.getByLabel("Email", { exact: true });
  const name = page.getByLabel("Full name", { exact: true });

  // Nothing filled in.
  let response = await submitAddPerson(page);
  expect(response.status()).toBe(422);
  await expect(email).toHaveAccessibleDescription("Enter an email address.");
  await expect(name).toHaveAccessibleDescription("Enter a name.");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter an email address.", { exact: true })).toBeVisible();
  await expect(page.getByText("Enter a name.", { exact: true })).toBeVisible();
  await expect(issuedPanel(page)).toHaveCount(0);

  // A 10 000-character name.
  await email.fill(`e2e.long.${stamp}@example.com`);
  await name.fill("x".repeat(10_000));
  response = await submitAddPerson(page);
  expect(response.status()).toBe(422);
  await expect(name).toHaveAccessibleDescription(/Use at most 120 characters/);
  await expect(email).toHaveAccessibleDescription("");
  await expect(email).toHaveAttribute("aria-invalid", "false");

  // An email that is already taken.
  await email.fill(USERS.mentor.email);
  await name.fill("Someone Else");
  response = await submitAddPerson(page);
  expect(response.status()).toBe(409);
  await expect(email).toHaveAccessibleDescription("A person with this email already exists.");
  await expect(name).toHaveAccessibleDescription("");
  await expect(issuedPanel(page)).toHaveCount(0);

  // Nothing was added.
  await page.reload();
  await waitForHydration(page);
  await expect(peopleCounter(page)).toBeVisible();
  expect((await readCount(page)).total).toBe(before.total);
  await expect(personRow(page, "Someone Else")).toHaveCount(0);
});

test("a name that looks like SurrealQL is stored as plain text", async ({ page }, testInfo) => {
  const stamp = stampOf(testInfo);
  const email = `e2e.quote.${stamp}@example.com`;
  const name = `x'); REMOVE TABLE user; -- ${stamp}`;
  await signIn(page, USERS.admin.email);
  await openPeople(page);
  const before = await readCount(page);

  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Full name", { exact: true }).fill(name);
  const response = await submitAddPerson(page);
  expect(response.status(), await response.text()).toBe(200);
  await expect(issuedPanel(page)).toContainText(name);

  const filter = page.getByRole("searchbox", { name: "Filter people" });
  await filter.fill(stamp);
  await expect(peopleCounter(page)).toHaveText(`1 of ${before.total + 1} people`);
  const row = personRow(page, name);
  await expect(row).toBeVisible();
  await expect(row.getByText(email, { exact: true })).toBeVisible();

  // The user table is intact: after a reload everyone is still there, with the new name verbatim.
  await page.reload();
  await waitForHydration(page);
  await expect(peopleCounter(page)).toHaveText(`${before.total + 1} of ${before.total + 1} people`);
  await expect(personRow(page, USERS.mentor.name)).toBeVisible();
  await expect(personRow(page, name)).toBeVisible();
});

test("the people filter narrows the list", async ({ page }) => {
  await signIn(page, USERS.admin.email);
  await openPeople(page);
  const all = await readCount(page);
  expect(all.shown).toBe(all.total);
  expect(all.total).toBeGreaterThanOrEqual(40);

  const filter = page.getByRole("searchbox", { name: "Filter people" });
  await filter.fill("Engineering");
  // The seed has eleven people in Engineering, two of them applicants of closed cohorts (the
  // filter looks at name, email, department, roles).
  await expect(peopleCounter(page)).toHaveText(`11 of ${all.total} people`);
  expect((await readCount(page)).shown).toBeLessThan(all.total);
  await expect(personRow(page, USERS.mentor.name)).toBeVisible();
  await expect(personRow(page, USERS.mentee.name)).toBeVisible();
  await expect(personRow(page, USERS.admin.name)).toHaveCount(0);

  await filter.fill("");
  await expect(peopleCounter(page)).toHaveText(`${all.total} of ${all.total} people`);
  await expect(personRow(page, USERS.admin.name)).toBeVisible();
});

test("an admin records HR outcomes; dates out of order or in the future are refused by the field", async ({
  page,
  problems,
}, testInfo) => {
  const stamp = stampOf(testInfo);
  const name = `Hr Person ${stamp}`;
  await signIn(page, USERS.admin.email);
  await openPeople(page);
  await page.getByLabel("Email", { exact: true }).fill(`e2e.hr.${stamp}@example.com`);
  await page.getByLabel("Full name", { exact: true }).fill(name);
  expect((await submitAddPerson(page)).status()).toBe(200);
  await page.getByRole("searchbox", { name: "Filter people" }).fill(stamp);
  const row = personRow(page, name);
  await row.getByRole("button", { name: "HR outcomes" }).click();
  const form = page.getByRole("form", { name: `HR outcomes of ${name}` });
  await form.getByLabel("Hired on").fill("2020-01-06");
  await form.getByLabel("Left the organization on").fill("2019-05-01");
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel("Promoted on").fill(tomorrow);
  problems.expect({ url: "/api/people/set-outcomes", status: 422 });
  await form.getByRole("button", { name: "Save HR outcomes" }).click();
  await expect(form.getByText("This says they left before they were hired (2020-01-06).")).toBeVisible();
  await expect(form.getByText(/^A promotion date cannot be in the future/)).toBeVisible();
  await expect(form.getByLabel("Left the organization on")).toHaveAttribute("aria-invalid", "true");
  await expect(row).not.toContainText("Hired 2020-01-06");

  await form.getByLabel("Left the organization on").fill("");
  await form.getByLabel("Promoted on").fill("2024-02-01");
  await form.getByLabel("New level").fill("5");
  await form.getByRole("button", { name: "Save HR outcomes" }).click();
  await expect(row.locator(".person-hr")).toHaveText("Hired 2020-01-06 · Promoted 2024-02-01 to L5");
  await page.reload();
  await waitForHydration(page);
  await expect(personRow(page, name).locator(".person-hr")).toHaveText("Hired 2020-01-06 · Promoted 2024-02-01 to L5");
});

test("screenshots", async ({ page, problems }, testInfo) => {
  test.slow();
  problems.expect({ url: "/api/auth/login", status: 401 });
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  const shot = async (name: string) => {
    await page.screenshot({
      path: path.join(dir, `${testInfo.project.name}-${name}.png`),
      fullPage: true,
      animations: "disabled",
    });
  };
  const h1 = (name: string) => page.getByRole("heading", { level: 1, name, exact: true });

  await page.goto("/");
  await waitForHydration(page);
  await expect(h1("Grow the leaders you already have.")).toBeVisible();
  await shot("landing");

  // An account that does not exist, so no real account collects a failure.
  await openLogin(page);
  const failed = await submitLogin(page, "nobody@northwind.example", "not-the-right-password");
  expect(failed.status()).toBe(401);
  await expect(page.getByRole("alert")).toHaveText("The email or password is not right.");
  await shot("login");

  await signIn(page, USERS.admin.email);
  await expect(h1("Program administration")).toBeVisible();
  await expect(page.getByText("Active people", { exact: true })).toBeVisible();
  await shot("home-admin");

  await openPeople(page);
  await expect(personRow(page, USERS.mentor.name)).toBeVisible();
  await shot("admin-users");

  await page.goto("/account");
  await waitForHydration(page);
  await expect(h1("Your account")).toBeVisible();
  await expect(page.getByText(USERS.admin.email, { exact: true })).toBeVisible();
  await shot("account");
  await signOut(page);

  await signIn(page, USERS.leader.email);
  await expect(h1("Mentoring across the organization")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "People by department", exact: true })).toBeVisible();
  await shot("home-leadership");
  await signOut(page);

  await signIn(page, USERS.mentor.email);
  await expect(h1(`Welcome, ${USERS.mentor.first}`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Skills you can mentor", exact: true })).toBeVisible();
  await shot("home-mentor");
  await signOut(page);

  await signIn(page, USERS.mentee.email);
  await expect(h1(`Welcome, ${USERS.mentee.first}`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Skills you want to develop", exact: true })).toBeVisible();
  await shot("home-mentee");
  await signOut(page);
});
