// The account page: a person changes their own name (and a bad one changes nothing).

import { USERS, expect, signIn, test, waitForHydration } from "./helpers";

test("a person changes their own name; an empty name is refused on its field", async ({ page, problems }) => {
  problems.expect({ url: "/api/auth/change-name", status: 422 });
  const user = USERS.leader;
  await signIn(page, user.email);
  await page.goto("/account");
  await waitForHydration(page);
  const name = page.getByLabel("Name", { exact: true });
  const save = page.getByRole("button", { name: "Save name" });
  await expect(name).toHaveValue(user.name);

  // Nothing but spaces: the field says why, and the stored name stays.
  await name.fill("   ");
  await save.click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/Enter your name\./);

  const renamed = `${user.name} (Strategy)`;
  await name.fill(renamed);
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(renamed);

  // Put the demo name back, so the other journeys (and the next project) see it.
  await page.getByLabel("Name", { exact: true }).fill(user.name);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Name saved." })).toBeVisible();
});
