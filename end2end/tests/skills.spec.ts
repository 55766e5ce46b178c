// The skills catalog: an admin adds, renames and archives skills; bad input is explained per
// field; participants cannot manage the catalog.

import * as fs from "node:fs/promises";
import * as path from "node:path";

import type { Locator, Page, TestInfo } from "@playwright/test";

import { USERS, expect, signIn, test, waitForHydration } from "./helpers";

function stampOf(testInfo: TestInfo): string {
  return `${testInfo.project.name}${Date.now()}`;
}

async function openSkills(page: Page): Promise<void> {
  await page.goto("/admin/skills");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Skills catalog", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Add a skill", exact: true })).toBeVisible();
}

/** The add form (the page also has edit forms once a row is being edited). */
function addForm(page: Page): Locator {
  return page.locator("section.panel").filter({ has: page.getByRole("heading", { name: "Add a skill" }) });
}

function skillRow(page: Page, name: string): Locator {
  return page.getByRole("listitem").filter({ has: page.getByText(name, { exact: true }) });
}

async function addSkill(page: Page, name: string, category = "", description = ""): Promise<number> {
  const form = addForm(page);
  await form.getByLabel("Skill name", { exact: true }).fill(name);
  await form.getByLabel("Category", { exact: true }).fill(category);
  await form.getByLabel("Description", { exact: true }).fill(description);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/skills/create")),
    form.getByRole("button", { name: "Add skill", exact: true }).click(),
  ]);
  return response.status();
}

test("an admin adds, renames and archives a skill without losing it", async ({ page }, testInfo) => {
  const stamp = stampOf(testInfo);
  const name = `Storytelling ${stamp}`;
  await signIn(page, USERS.admin.email);
  await openSkills(page);
  // The demo catalog is grouped by category.
  await expect(page.getByRole("region", { name: "Communication" })).toBeVisible();
  await expect(skillRow(page, "Giving feedback")).toBeVisible();

  expect(await addSkill(page, name, "Influence", "Making a case people remember.")).toBe(200);
  await expect(page.getByRole("status").filter({ hasText: `Added “${name}”.` })).toBeVisible();
  await expect(addForm(page).getByLabel("Skill name", { exact: true })).toHaveValue("");
  const row = skillRow(page, name);
  await expect(row).toBeVisible();
  await expect(row.getByText("not used by a program yet")).toBeVisible();

  // Rename.
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const renamed = `Persuasive storytelling ${stamp}`;
  const edit = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: "Save", exact: true }) });
  await edit.getByLabel("Skill name", { exact: true }).fill(renamed);
  await edit.getByRole("button", { name: "Save", exact: true }).click();
  await expect(skillRow(page, renamed)).toBeVisible();
  await expect(page.getByText(name, { exact: true })).toHaveCount(0);

  // Archive: gone from the list, back with "Show archived", restorable.
  await skillRow(page, renamed).getByRole("button", { name: `Archive ${renamed}` }).click();
  await expect(page.getByText(renamed, { exact: true })).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Show archived", exact: true }).check();
  const archived = page.getByRole("region", { name: "Archived" });
  await expect(archived.getByText(renamed, { exact: true })).toBeVisible();
  await archived.getByRole("button", { name: `Restore ${renamed}` }).click();
  await expect(page.getByRole("region", { name: "Influence" }).getByText(renamed, { exact: true })).toBeVisible();
});

test("bad skill input is explained next to the field and nothing is stored", async ({ page, problems }) => {
  problems.expect({ url: "/api/skills/create", status: 422 });
  problems.expect({ url: "/api/skills/create", status: 409 });
  await signIn(page, USERS.admin.email);
  await openSkills(page);
  const form = addForm(page);

  expect(await addSkill(page, "   ")).toBe(422);
  await expect(form.getByText("Enter a skill name.")).toBeVisible();

  expect(await addSkill(page, "x".repeat(200))).toBe(422);
  await expect(form.getByText(/Use at most 80 characters/)).toBeVisible();

  // A duplicate, ignoring case and extra spaces.
  expect(await addSkill(page, "  giving   FEEDBACK ")).toBe(409);
  await expect(form.getByText("The catalog already has a skill with this name.")).toBeVisible();
  // What was typed is kept, so it can be corrected.
  await expect(form.getByLabel("Skill name", { exact: true })).toHaveValue("  giving   FEEDBACK ");
});

test("participants cannot manage the catalog", async ({ page, problems }) => {
  problems.expect({ url: "/api/skills/create", status: 403 });
  await signIn(page, USERS.mentee.email);
  await page.goto("/admin/skills");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "No access", exact: true })).toBeVisible();
  const r = await page.request.post("/api/skills/create", {
    data: { input: { name: "Sneaky", category: "", description: "" } },
    headers: { accept: "application/json" },
  });
  expect(r.status()).toBe(403);
});

test("screenshot of the skills catalog", async ({ page }, testInfo) => {
  await signIn(page, USERS.admin.email);
  await openSkills(page);
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-admin-skills.png`), fullPage: true });
});
