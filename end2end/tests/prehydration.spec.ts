// Typing before the app is interactive (a slow phone: the page is there, the wasm is not yet): what
// was typed is kept through hydration, a form that needs the app does not submit until it is
// interactive (its button reads as busy), and then it works with what was typed.
// The wasm requests are held back here so "before hydration" lasts long enough to act in.

import type { Page } from "@playwright/test";

import { USERS, expect, signIn, test, waitForHydration } from "./helpers";

/** Holds every .wasm response back by `ms`, so the server-rendered page stays inert that long. */
async function delayWasm(page: Page, ms: number): Promise<void> {
  await page.route(/\.wasm(\?|$)/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
}

test("typed before hydration: a name form keeps the text, holds the press, then saves it", async ({ page }) => {
  const user = USERS.mentee;
  await signIn(page, user.email);
  await delayWasm(page, 2_500);
  const saves: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/auth/change-name")) saves.push(r.url());
  });
  await page.goto("/account");
  const name = page.getByLabel("Name", { exact: true });
  const save = page.getByRole("button", { name: "Save name" });
  const renamed = `${user.name} (before hydration)`;
  await name.fill(renamed);
  await expect(save).toHaveAttribute("aria-disabled", "true");
  // A press on the busy button, and the phone keyboard's "Go" (Enter in the field), while the app
  // is still loading (`force`: Playwright itself would wait for an aria-disabled button).
  await save.click({ force: true });
  await name.press("Enter");
  // Nothing was sent, the page did not navigate, and the page is still not interactive.
  await expect(save).toHaveAttribute("aria-disabled", "true");
  expect(saves).toHaveLength(0);
  await expect(page).toHaveURL(/\/account$/);
  await expect(name).toHaveValue(renamed);

  await waitForHydration(page);
  await expect(page.locator("html")).toHaveAttribute("data-interactive", "");
  await expect(save).not.toHaveAttribute("aria-disabled");
  await expect(name).toHaveValue(renamed);
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(renamed);

  await page.getByLabel("Name", { exact: true }).fill(user.name);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();
});

test("typed before hydration: a lazily loaded page (the goal wizard) keeps a choice through its chunk's arrival", async ({
  page,
}) => {
  await signIn(page, USERS.mentee.email);
  await page.goto("/home/mentee");
  await waitForHydration(page);
  const start = page.getByRole("region", { name: "Your mentor" }).getByRole("link", { name: "Set a SMART goal" }).first();
  const wizard = await start.getAttribute("href");
  expect(wizard).toMatch(/^\/goals\/new\?pairing=/);

  await delayWasm(page, 2_500);
  await page.goto(wizard!);
  await expect(page.getByRole("heading", { level: 1, name: "Which skill will this goal develop?" })).toBeVisible();
  const skill = page.getByRole("radio").first();
  await skill.check();
  await waitForHydration(page);
  await expect(page.locator("html")).toHaveAttribute("data-interactive", "");
  await expect(skill).toBeChecked();
  // The wizard's state saw the choice: Next moves on instead of asking for a skill.
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Specific/ })).toBeVisible();
});
