// Cohorts for journeys, built through the real HTTP API (server functions), as the people
// themselves would: the admin opens a cohort, people apply with matching preferences, the admin
// approves them, and (optionally) matches and publishes.

import { request as pwRequest } from "@playwright/test";
import type { APIRequestContext, APIResponse } from "@playwright/test";

import { DEMO_PASSWORD, USERS, expect } from "./helpers";

export const HOPE = "What do you hope to get from this program?";
export const COMMIT = "Can you commit two hours a month? (yes/no)";

export const MENTEES = {
  liam: { email: "liam.oconnor@northwind.example", name: "Liam O'Connor" },
  mei: { email: "mei.chen@northwind.example", name: "Mei Chen" },
  chloe: { email: "chloe.dubois@northwind.example", name: "Chloé Dubois" },
  kevin: { email: "kevin.murphy@northwind.example", name: "Kevin Murphy" },
};
export const MENTORS = {
  daniel: { email: "daniel.kim@northwind.example", name: "Daniel Kim" },
  // Head of Design: Chloé's manager, so the reporting-line rule forbids that pair.
  hannah: { email: "hannah.muller@northwind.example", name: "Hannah Müller" },
};

export async function apiAs(baseURL: string, email: string): Promise<APIRequestContext> {
  const ctx = await pwRequest.newContext({ baseURL, extraHTTPHeaders: { accept: "application/json" } });
  const r = await ctx.post("/api/auth/login", { form: { email, password: DEMO_PASSWORD } });
  expect(r.status(), `login of ${email}`).toBe(200);
  return ctx;
}

export async function ok(r: Promise<APIResponse>): Promise<any> {
  const res = await r;
  const body = await res.text();
  expect(res.status(), `${res.url()} answered ${body}`).toBe(200);
  return body ? JSON.parse(body) : null;
}

/** Opens a cohort of the demo program with four mentees and two mentors approved; returns its id. */
export async function matchingCohort(baseURL: string, name: string, dates = { starts: "2027-10-01", ends: "2028-03-31" }): Promise<string> {
  const admin = await apiAs(baseURL, USERS.admin.email);
  const cohorts = await ok(admin.post("/api/cohorts/list"));
  const programId = cohorts[0].program_id;
  const cohort = await ok(
    admin.post("/api/cohorts/create", {
      data: {
        input: {
          program_id: programId,
          name,
          starts: dates.starts,
          ends: dates.ends,
          matching_mode: "optimal",
          meeting_cadence: "biweekly",
          workshop_format: "remote",
        },
      },
    }),
  );
  await ok(admin.post("/api/cohorts/advance", { data: { id: cohort.id, from: "draft" } }));
  // Mentors first, so Kevin can name Hannah as the mentor he would like.
  const people: [string, "mentee" | "mentor"][] = [
    ...Object.values(MENTORS).map((p) => [p.email, "mentor"] as [string, "mentor"]),
    ...Object.values(MENTEES).map((p) => [p.email, "mentee"] as [string, "mentee"]),
  ];
  for (const [email, side] of people) {
    const me = await apiAs(baseURL, email);
    const open = await ok(me.post("/api/enrollment/open"));
    const c = open.find((o: any) => o.cohort.id === cohort.id);
    const profile = side === "mentee" ? c.profile_wanted : c.profile_offered;
    const skills = profile.length > 0 ? profile.slice(0, 3) : [c.skills[0][0]];
    const wishes = email === MENTEES.kevin.email ? c.mentors.filter((m: [string, string]) => m[1] === MENTORS.hannah.name).map((m: [string, string]) => m[0]) : [];
    expect(email !== MENTEES.kevin.email || wishes.length === 1, "Hannah is offered as a wish").toBe(true);
    await ok(
      me.post("/api/enrollment/apply", {
        data: {
          input: {
            cohort_id: cohort.id,
            side,
            answers: { [HOPE]: "To lead well.", [COMMIT]: "yes" },
            capacity: side === "mentor" ? "2" : "",
            prefs: { skills, slots: ["mon-am", "wed-pm"], remote_ok: true, approaches: ["coaching"], utc_offset: 0, wishes },
          },
        },
      }),
    );
    await me.dispose();
  }
  const apps = await ok(admin.post("/api/enrollment/cohort", { form: { cohort_id: cohort.id } }));
  for (const a of apps.applications) {
    await ok(
      admin.post("/api/enrollment/decide", {
        data: {
          decision: {
            id: a.id,
            approve: true,
            reason: "",
            override_reason: a.eligible ? "" : "Approved for the board journey.",
            capacity: "",
            version: a.version,
          },
        },
      }),
    );
  }
  await ok(admin.post("/api/cohorts/advance", { data: { id: cohort.id, from: "enrolling" } }));
  await admin.dispose();
  return cohort.id;
}


/** A cohort whose pairs are published (auto-matched); returns its id and name. */
export async function publishedCohort(baseURL: string, name: string, dates?: { starts: string; ends: string }): Promise<string> {
  const id = await matchingCohort(baseURL, name, dates);
  const admin = await apiAs(baseURL, USERS.admin.email);
  const board = await ok(admin.post("/api/board/edit", { data: { cohort_id: id, version: 0, edit: { edit: { kind: "auto_all" } } } }));
  await ok(admin.post("/api/board/publish", { data: { cohort_id: id, version: board.version } }));
  await admin.dispose();
  return id;
}
