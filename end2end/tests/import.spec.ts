// Bulk import from CSV: bad rows show their errors and nothing is imported; the fixed file
// imports every row, HR dates included.

import * as fs from "node:fs/promises";
import * as path from "node:path";

import { USERS, expect, signIn, test, waitForHydration } from "./helpers";

test("a CSV with bad rows imports nothing; the fixed file imports all", async ({ page, problems }, testInfo) => {
  problems.expect({ url: "/api/import/run", status: 409 });
  const stamp = `${testInfo.project.name}${Date.now()}`;
  const emails = [0, 1, 2].map((i) => `csv${i}.${stamp}@import.example`);
  const rows = (level3: string, left0 = "") =>
    [
      "email,name,department,title,level,manager_email,skills,role,hired_on,left_on",
      `${emails[0]},Csv Zero ${stamp},Sales,Account Executive,3,${emails[1]},Giving feedback,mentee,2021-04-01,${left0}`,
      `${emails[1]},Csv One ${stamp},Sales,Sales Manager,6,admin@northwind.example,,mentor,,`,
      `${emails[2]},"Three, Csv ${stamp}",Sales,Analyst,${level3},,,,,`,
    ].join("\r\n") + "\r\n";

  await signIn(page, USERS.admin.email);
  await page.goto("/admin/users");
  await waitForHydration(page);
  await page.getByRole("link", { name: "Import from CSV" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import people" })).toBeVisible();
  await waitForHydration(page);

  await page.getByLabel("CSV file (UTF-8)").setInputFiles({
    name: "people.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(rows("12", "2020-01-31")),
  });
  await expect(page.getByText("2 problems found. Nothing will be imported until every row is fixed.")).toBeVisible();
  const problemsTable = page.getByRole("table", { name: "Problems by line" });
  await expect(problemsTable.getByRole("row", { name: /4 level “12” is not a level from 1 to 10/ })).toBeVisible();
  await expect(
    problemsTable.getByRole("row", { name: /2 left_on this says they left before they were hired \(2021-04-01\)/ }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Import 3 people" })).toBeDisabled();
  // Even a direct call imports nothing while a row is wrong.
  const direct = await page.request.post("/api/import/run", { data: { csv: rows("12") } });
  expect(direct.status()).toBe(409);
  expect(await direct.text()).toContain("nothing was imported");
  await page.goto("/admin/users");
  await expect(page.getByText(`Csv Zero ${stamp}`)).toHaveCount(0);

  await page.goto("/admin/import");
  await waitForHydration(page);
  await page.getByLabel("CSV file (UTF-8)").setInputFiles({
    name: "people.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(rows("4")),
  });
  await expect(page.getByText("3 rows: 3 new, 0 to update. No problems found.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Preview" }).getByText(`Three, Csv ${stamp}`)).toBeVisible();
  const dir = path.resolve(testInfo.project.testDir, "..", "screenshots");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-import-preview.png`), fullPage: true });
  await page.getByRole("button", { name: "Import 3 people" }).click();
  await expect(page.getByText(/Imported: 3 added, 0 updated in/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Import 3 people" })).toBeDisabled();
  await page.getByRole("link", { name: "See everyone" }).click();
  await expect(page.getByText(`Csv Zero ${stamp}`)).toBeVisible();
  await expect(page.getByText(`Three, Csv ${stamp}`)).toBeVisible();
  await expect(
    page.getByRole("listitem").filter({ hasText: `Csv Zero ${stamp}` }).locator(".person-hr"),
  ).toHaveText("Hired 2021-04-01");
});

test("a file that is not UTF-8 or lacks a column is refused as a whole", async ({ page }) => {
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/import");
  await waitForHydration(page);
  // "Zoë" in Latin-1: the ë byte (0xEB) is not UTF-8.
  await page.getByLabel("CSV file (UTF-8)").setInputFiles({
    name: "latin1.csv",
    mimeType: "text/csv",
    buffer: Buffer.concat([Buffer.from("email,name\nzoe@import.example,Zo"), Buffer.from([0xeb]), Buffer.from("\n")]),
  });
  await expect(page.getByText(/The file is not UTF-8 text \(line 2/)).toBeVisible();
  await page.getByLabel("CSV file (UTF-8)").setInputFiles({
    name: "nameless.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("email,department\nzoe@import.example,Sales\n"),
  });
  await expect(page.getByText(/Missing column: name\./)).toBeVisible();
  // A quote opened on line 2 and never closed is named by the line it opens on.
  await page.getByLabel("CSV file (UTF-8)").setInputFiles({
    name: "open-quote.csv",
    mimeType: "text/csv",
    buffer: Buffer.from('\ufeffemail,name\r\nzoe@import.example,"Zoe\r\nnext@import.example,Next\r\n'),
  });
  await expect(page.getByText(/Line 2: a quoted field is never closed/)).toBeVisible();
  await expect(page.getByRole("button", { name: /^Import/ })).toBeDisabled();
});
