// Sign-in journeys: the landing page, each role's home page, role guards, failed and throttled
// sign-ins, hydration and the 404 page. Every test runs in the desktop and the phone project.

import {
  USERS,
  callServerFn,
  expect,
  mainNav,
  openLogin,
  proveLoginHydrated,
  signIn,
  signOut,
  submitLogin,
  test,
  urlPath,
  waitForHydration,
  waitForWasm,
} from "./helpers";
import { apiAs, ok } from "./setup";
import type { Page } from "@playwright/test";

test("the landing page introduces the product and offers sign-in", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Grow the leaders you already have.", exact: true })).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
});

/** The panel (section) a heading opens. */
function panelOf(page: Page, heading: string) {
  return page.getByRole("heading", { level: 2, name: heading, exact: true }).locator("xpath=..");
}

interface Journey {
  who: keyof typeof USERS;
  heading: string;
  content: (page: Page) => Promise<void>;
}

const journeys: Journey[] = [
  {
    who: "admin",
    heading: "Program administration",
    content: async (page) => {
      // The seed has 40 people and 12 applicants of closed cohorts, five of whom have left (and
      // are deactivated); earlier journeys (admin.spec.ts runs first) may have added some, so the
      // stat is compared with the admin's own list of people.
      const list = await callServerFn(page, "people/list");
      expect(list.status()).toBe(200);
      const people = (await list.json()) as Array<{ email: string; active: boolean }>;
      const active = people.filter((p) => p.active);
      expect(active.filter((p) => p.email.endsWith("@northwind.example"))).toHaveLength(47);
      const stat = page.getByText("Active people", { exact: true }).locator("xpath=..");
      await expect(stat.getByText(String(active.length), { exact: true })).toBeVisible();
      await expect(page.getByRole("heading", { level: 2, name: "People by role", exact: true })).toBeVisible();
    },
  },
  {
    who: "leader",
    heading: "Mentoring across the organization",
    content: async (page) => {
      const panel = panelOf(page, "People by department");
      await expect(panel).toBeVisible();
      await expect(panel.getByText("Engineering", { exact: true })).toBeVisible();
    },
  },
  {
    who: "mentor",
    heading: `Welcome, ${USERS.mentor.first}`,
    content: async (page) => {
      const chips = panelOf(page, "Skills you can mentor").getByRole("listitem");
      await expect(chips.first()).toBeVisible();
      expect(await chips.count()).toBeGreaterThanOrEqual(1);
      await expect(chips.filter({ hasText: "Delegation" })).toBeVisible();
    },
  },
  {
    who: "mentee",
    heading: `Welcome, ${USERS.mentee.first}`,
    content: async (page) => {
      const panel = panelOf(page, "Skills you want to develop");
      await expect(panel).toBeVisible();
      await expect(panel.getByRole("listitem").filter({ hasText: "Giving feedback" })).toBeVisible();
    },
  },
];

for (const j of journeys) {
  test(`${j.who} signs in, sees their home page and signs out`, async ({ page }) => {
    const user = USERS[j.who];
    await signIn(page, user.email);
    await expect(page).toHaveURL(urlPath(user.home));
    await expect(page.getByRole("heading", { level: 1, name: j.heading, exact: true })).toBeVisible();
    await j.content(page);

    // Loaded directly (a bookmark, a reload), the server-rendered home hydrates too: a mismatch is
    // a page error, which the fixture fails on.
    await page.reload();
    await waitForHydration(page);
    await j.content(page);

    await signOut(page);
    await expect(page.getByRole("heading", { level: 1, name: "Grow the leaders you already have.", exact: true })).toBeVisible();

    // The session is gone: a guarded page sends the visitor to sign in, and back afterwards.
    await page.goto("/home/admin");
    await expect(page).toHaveURL(urlPath("/login?next=/home/admin"));
    await waitForHydration(page);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in", exact: true })).toBeVisible();
  });
}

test("a mentor who is also a mentee lands on the mentor page and can switch", async ({ page }) => {
  const user = USERS.mentorMentee;
  await signIn(page, user.email);
  await expect(page).toHaveURL(urlPath("/home/mentor"));
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.first}`, exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Skills you can mentor", exact: true })).toBeVisible();

  const nav = mainNav(page);
  await expect(nav.getByRole("link", { name: "Mentor", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Mentee", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Leadership", exact: true })).toHaveCount(0);

  await nav.getByRole("link", { name: "Mentee", exact: true }).click();
  await expect(page).toHaveURL(urlPath("/home/mentee"));
  await expect(page.getByRole("heading", { level: 2, name: "Skills you want to develop", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.first}`, exact: true })).toBeVisible();
});

test("a mentee gets no access to the admin page, nor to its data", async ({ page }) => {
  await signIn(page, USERS.mentee.email);
  await page.goto("/home/admin");
  await waitForHydration(page);
  await expect(page).toHaveURL(urlPath("/home/admin"));
  await expect(page.getByRole("heading", { level: 1, name: "No access", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Program administration" })).toHaveCount(0);

  // The guard is not only in the UI: the server function refuses too (page.request shares cookies).
  const admin = await callServerFn(page, "home/admin");
  expect(admin.status(), await admin.text()).toBe(403);
  const own = await callServerFn(page, "home/mentee");
  expect(own.status(), await own.text()).toBe(200);
});

test.describe("failed sign-in", () => {
  test("a wrong password is refused with a clear message", async ({ page, problems }) => {
    problems.expect({ url: "/api/auth/login", status: 401 });
    await openLogin(page);
    const response = await submitLogin(page, USERS.mentee.email, "not-the-right-password");
    expect(response.status()).toBe(401);
    await expect(page.getByRole("alert")).toHaveText("The email or password is not right.");
    await expect(page).toHaveURL(urlPath("/login"));
    await expect(mainNav(page).getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  });

  test("a malformed email is explained under the Email field", async ({ page, problems }) => {
    problems.expect({ url: "/api/auth/login", status: 422 });
    await openLogin(page);
    const response = await submitLogin(page, "not-an-email", "whatever-password");
    expect(response.status()).toBe(422);
    const email = page.getByLabel("Email", { exact: true });
    await expect(email).toHaveAccessibleDescription(/@/);
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText(/An email address needs an @/)).toBeVisible();
    await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "false");
    await expect(page.getByRole("alert")).toHaveCount(0);
    await expect(page).toHaveURL(urlPath("/login"));
  });

  test("an empty password is explained under the Password field", async ({ page, problems }) => {
    problems.expect({ url: "/api/auth/login", status: 422 });
    await openLogin(page);
    const response = await submitLogin(page, USERS.mentee.email, "");
    expect(response.status()).toBe(422);
    const password = page.getByLabel("Password", { exact: true });
    await expect(password).toHaveAccessibleDescription("Enter your password.");
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("aria-invalid", "false");
    await expect(page).toHaveURL(urlPath("/login"));
  });

  test("an account is throttled after five wrong passwords", async ({ page, problems, baseURL }, testInfo) => {
    test.slow();
    // A new account for each run, so no earlier run (nor another journey's sign-in, which clears
    // the failures) changes what happens; its temporary password is the right one.
    const email = `e2e.throttle.${testInfo.project.name}${Date.now()}@example.com`;
    const admin = await apiAs(baseURL!, USERS.admin.email);
    const created = await ok(
      admin.post("/api/people/create", {
        data: {
          input: { email, name: "Throttled Person", department: "", title: "", level: "", roles: ["mentee"] },
        },
      }),
    );
    await admin.dispose();
    const password = created.temporary_password as string;
    problems.expect({ url: "/api/auth/login", status: [401, 429] });
    await openLogin(page);
    const alert = page.getByRole("alert");
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await submitLogin(page, email, `wrong-password-${attempt}`);
      expect(response.status(), `wrong password, attempt ${attempt}`).toBe(401);
      await expect(alert).toHaveText("The email or password is not right.");
      await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
    }
    // The sixth attempt is refused even with the right password.
    const response = await submitLogin(page, email, password);
    expect(response.status()).toBe(429);
    expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
    await expect(alert).toContainText("Too many attempts");
    await expect(page).toHaveURL(urlPath("/login"));
  });
});

test("the sign-in page hydrates: the password Show/Hide toggle works", async ({ page }) => {
  await page.goto("/login");
  await waitForWasm(page);
  const password = page.getByLabel("Password", { exact: true });
  await expect(password).toHaveAttribute("type", "password");
  await password.fill("a secret sentence");
  // Retried only while nothing happened, in case the click lands just before hydration finished.
  await expect(async () => {
    if ((await password.getAttribute("type")) !== "text") {
      await page.getByRole("button", { name: "Show", exact: true }).click({ timeout: 2_000 });
    }
    await expect(password).toHaveAttribute("type", "text", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const hide = page.getByRole("button", { name: "Hide", exact: true });
  await expect(hide).toBeVisible();
  await expect(hide).toHaveAttribute("aria-pressed", "true");
  await expect(password).toHaveValue("a secret sentence");

  await hide.click();
  await expect(password).toHaveAttribute("type", "password");
  const show = page.getByRole("button", { name: "Show", exact: true });
  await expect(show).toHaveAttribute("aria-pressed", "false");
  await expect(password).toHaveValue("a secret sentence");
});

test("an unknown address shows the not-found page with status 404", async ({ page, problems }) => {
  const path = `/no-such-page-${Date.now()}`;
  problems.expect({ url: path, status: 404 });
  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the start", exact: true })).toBeVisible();
});

test("after signing out, going to sign in again shows the form (no redirect to the old home)", async ({ page }) => {
  await signIn(page, USERS.mentor.email);
  await expect(page).toHaveURL(urlPath(USERS.mentor.home));
  await signOut(page);
  // A client-side navigation: the app (and its last sign-in result) is still alive.
  await mainNav(page).getByRole("link", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(urlPath("/login"));
  await expect(page.getByRole("heading", { level: 1, name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByLabel("Email", { exact: true })).toBeVisible();
  // The sign-in page reacts to a click, so its effects (the redirect after a sign-in among them)
  // have run; and it is still there: nothing navigated away.
  await proveLoginHydrated(page);
  await expect(page).toHaveURL(urlPath("/login"));
});
