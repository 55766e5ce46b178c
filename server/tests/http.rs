//! HTTP tests: the real router on a loopback port, a real HTTP client, the real database engine
//! (in memory). Every server function is called by an anonymous visitor and by each role, and
//! must answer exactly the allowed outcome.

mod common;

use app::domain::auth::server::AuthSettings;
use common::{start, start_with, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::seed;

fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().unwrap()
}

async fn signed_in(server: &TestServer, email: &str) -> reqwest::Client {
    let c = client();
    let r = c
        .post(format!("{}/api/auth/login", server.base))
        .form(&[("email", email), ("password", seed::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "sign-in of {email}");
    c
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Admin,
    Leadership,
    Mentor,
    Mentee,
}

const EVERYONE: [Who; 5] = [Who::Anonymous, Who::Admin, Who::Leadership, Who::Mentor, Who::Mentee];

fn email(who: Who) -> Option<String> {
    let local = match who {
        Who::Anonymous => return None,
        Who::Admin => "admin",
        Who::Leadership => "leader",
        Who::Mentor => "mentor",
        Who::Mentee => "mentee",
    };
    Some(format!("{local}@{}", seed::DEMO_DOMAIN))
}

enum Body {
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

struct Case {
    path: &'static str,
    body: fn() -> Body,
    /// The roles allowed; everyone else signed in gets 403, anonymous 401.
    allowed: &'static [Who],
    /// Status for the allowed callers.
    ok: StatusCode,
}

fn no_args() -> Body {
    Body::Form(vec![])
}

/// One row per server function. Later issues add their functions here.
fn table() -> Vec<Case> {
    use Who::*;
    vec![
        Case { path: "auth/me", body: no_args, allowed: &EVERYONE, ok: StatusCode::OK },
        Case {
            path: "auth/login",
            // Public: anyone reaches the input check (sign-in itself has its own tests below).
            body: || Body::Form(vec![("email", "not-an-email".into()), ("password", "x".into())]),
            allowed: &EVERYONE,
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case { path: "auth/logout", body: no_args, allowed: &EVERYONE, ok: StatusCode::OK },
        Case {
            path: "auth/change-password",
            // Valid shape, wrong current password: the gate is passed, the check fails on a field.
            body: || {
                Body::Form(vec![
                    ("current", "not-my-password".into()),
                    ("new", "a-brand-new-password".into()),
                    ("confirm", "a-brand-new-password".into()),
                ])
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "auth/change-name",
            // An empty name: the gate is passed, the check fails on the field and nothing changes.
            body: || Body::Form(vec![("name", "   ".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case { path: "home/admin", body: no_args, allowed: &[Admin], ok: StatusCode::OK },
        Case { path: "home/leadership", body: no_args, allowed: &[Leadership], ok: StatusCode::OK },
        Case { path: "home/mentor", body: no_args, allowed: &[Mentor], ok: StatusCode::OK },
        Case { path: "home/mentee", body: no_args, allowed: &[Mentee], ok: StatusCode::OK },
        Case { path: "home/mentor-page", body: no_args, allowed: &[Mentor], ok: StatusCode::OK },
        Case { path: "home/mentee-page", body: no_args, allowed: &[Mentee], ok: StatusCode::OK },
        Case { path: "people/list", body: no_args, allowed: &[Admin], ok: StatusCode::OK },
        Case {
            path: "people/create",
            // Invalid input: admins get 422 (nothing stored), others never reach validation.
            body: || {
                Body::Json(
                    json!({ "input": { "email": "bad", "name": "", "department": "", "title": "", "level": "", "roles": [] } }),
                )
            },
            allowed: &[Admin],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "people/set-roles",
            body: || Body::Json(json!({ "user_id": "doesnotexist", "roles": ["mentee"] })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "people/set-outcomes",
            // A date in the future: admins get 422 before anything is looked up or stored.
            body: || {
                Body::Json(json!({ "user_id": "doesnotexist", "input": {
                    "hired_on": "2099-01-01", "left_on": "", "promoted_on": "", "new_level": "" } }))
            },
            allowed: &[Admin],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "people/set-active",
            body: || Body::Json(json!({ "user_id": "doesnotexist", "active": true })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "skills/list",
            body: || Body::Form(vec![("include_archived", "true".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "skills/create",
            // Empty name: admins get the field error, nothing stored.
            body: || Body::Json(json!({ "input": { "name": " ", "category": "", "description": "" } })),
            allowed: &[Admin],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "skills/update",
            body: || {
                Body::Json(
                    json!({ "id": "doesnotexist", "input": { "name": "Listening", "category": "", "description": "" } }),
                )
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "skills/archive",
            body: || Body::Json(json!({ "id": "doesnotexist", "archived": true })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case { path: "programs/list", body: no_args, allowed: &[Admin], ok: StatusCode::OK },
        Case { path: "cohorts/list", body: no_args, allowed: &[Admin], ok: StatusCode::OK },
        Case {
            path: "cohorts/create",
            body: || {
                Body::Json(
                    json!({ "input": { "program_id": "", "name": "", "starts": "2027-01-02", "ends": "2027-01-01",
                "matching_mode": "optimal", "meeting_cadence": "weekly", "workshop_format": "remote" } }),
                )
            },
            allowed: &[Admin],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "cohorts/advance",
            body: || Body::Json(json!({ "id": "doesnotexist", "from": "draft" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "programs/get",
            body: || Body::Json(json!({ "id": "doesnotexist" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "programs/save-step",
            // A design without a name: admins get the field error, nothing is stored.
            body: || {
                let design = serde_json::to_value(app::domain::program::types::ProgramDesign::default()).unwrap();
                Body::Json(json!({ "design": design, "step": "objectives" }))
            },
            allowed: &[Admin],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "programs/publish",
            body: || Body::Json(json!({ "id": "doesnotexist", "version": 1 })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "programs/clone",
            body: || Body::Json(json!({ "id": "doesnotexist", "name": "Copy" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "cohorts/update",
            body: || {
                Body::Json(json!({ "id": "doesnotexist", "version": 0, "input": { "program_id": "", "name": "Autumn",
                "starts": "2027-01-01", "ends": "2027-06-01", "matching_mode": "optimal", "meeting_cadence": "weekly",
                "workshop_format": "remote" } }))
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "cohorts/get",
            body: || Body::Form(vec![("id", "doesnotexist".into())]),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "enrollment/open",
            body: no_args,
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "enrollment/mine",
            body: no_args,
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "enrollment/reports",
            body: no_args,
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "enrollment/apply",
            // Anyone signed in may apply, for themselves; an unknown cohort is a field error.
            body: || Body::Json(json!({ "input": { "cohort_id": "doesnotexist", "side": "mentee", "answers": {} } })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "enrollment/withdraw",
            body: || Body::Form(vec![("id", "doesnotexist".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "enrollment/nominate",
            // Nobody manages "doesnotexist": every signed-in caller is refused.
            body: || {
                Body::Form(vec![
                    ("cohort_id", "doesnotexist".into()),
                    ("user_id", "doesnotexist".into()),
                    ("on", "true".into()),
                ])
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::FORBIDDEN,
        },
        Case {
            path: "enrollment/cohort",
            body: || Body::Form(vec![("cohort_id", "doesnotexist".into())]),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "enrollment/decide",
            body: || {
                Body::Json(json!({ "decision": { "id": "doesnotexist", "approve": true, "reason": "",
                    "override_reason": "", "version": 0 } }))
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "import/preview",
            body: || Body::Json(json!({ "csv": "email,name\nana@example.com,Ana\n" })),
            allowed: &[Admin],
            ok: StatusCode::OK,
        },
        Case {
            path: "import/run",
            // A file with a problem: admins get 409 and nothing is imported.
            body: || Body::Json(json!({ "csv": "email,name\nnot-an-email,Ana\n" })),
            allowed: &[Admin],
            ok: StatusCode::CONFLICT,
        },
        Case {
            path: "people/reset-password",
            body: || Body::Json(json!({ "user_id": "doesnotexist" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "board/get",
            body: || Body::Form(vec![("cohort_id", "doesnotexist".into())]),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "board/edit",
            body: || {
                Body::Json(
                    json!({ "cohort_id": "doesnotexist", "version": 0, "edit": { "edit": { "kind": "auto_all" } } }),
                )
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "board/restore",
            body: || {
                Body::Json(json!({ "cohort_id": "doesnotexist", "version": 0,
                    "draft": { "pins": [], "forbids": [], "capacity": {}, "assignment": {} } }))
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "board/weights",
            // A weight out of range: admins get the field error before anything is looked up.
            body: || {
                Body::Json(json!({ "cohort_id": "doesnotexist", "version": 0, "config": {
                    "weights": { "skills": 11, "approach": 1, "seniority": 1, "availability": 1, "location": 1, "wishes": 1 },
                    "ideal_gap": 2, "avoid_same_department": false } }))
            },
            allowed: &[Admin],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "board/explain",
            body: || {
                Body::Form(vec![("cohort_id", "doesnotexist".into()), ("mentee", "a".into()), ("mentor", "b".into())])
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "board/publish",
            body: || Body::Json(json!({ "cohort_id": "doesnotexist", "version": 0 })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case { path: "matches/mine", body: no_args, allowed: &[Admin, Leadership, Mentor, Mentee], ok: StatusCode::OK },
        Case {
            path: "notifications/mine",
            body: no_args,
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "goals/context",
            body: || Body::Form(vec![("pairing_id", "doesnotexist".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "goals/get",
            body: || Body::Form(vec![("id", "doesnotexist".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case { path: "goals/mine", body: no_args, allowed: &[Admin, Leadership, Mentor, Mentee], ok: StatusCode::OK },
        Case {
            path: "goals/save-draft",
            body: || {
                Body::Json(json!({ "pairing_id": "doesnotexist", "goal_id": null, "step": 0, "version": 0, "draft": {
                    "skill_id": "", "specific": "", "measurable": "", "achievable": "", "relevant": "", "deadline": "", "milestones": [] } }))
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "goals/submit",
            body: || Body::Json(json!({ "id": "doesnotexist", "version": 0 })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "goals/approve",
            body: || Body::Json(json!({ "id": "doesnotexist", "version": 0 })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "goals/comment",
            body: || Body::Json(json!({ "id": "doesnotexist", "text": "hi" })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "goals/checkin",
            body: || {
                Body::Json(
                    json!({ "input": { "goal_id": "doesnotexist", "progress": "10", "note": "n", "evidence": "" } }),
                )
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "goals/milestone",
            body: || Body::Json(json!({ "id": "doesnotexist", "index": 0, "done": true })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "pairs/get",
            body: || Body::Form(vec![("id", "doesnotexist".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "pairs/log-meeting",
            body: || {
                Body::Json(json!({ "input": { "pairing_id": "doesnotexist", "on": "2027-01-01", "minutes": "30",
                    "topics": "t", "notes": "" } }))
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "pairs/fit-check",
            body: || Body::Json(json!({ "input": { "pairing_id": "doesnotexist", "answer": "good", "note": "" } })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "pairs/of-cohort",
            body: || Body::Form(vec![("cohort_id", "doesnotexist".into())]),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "pairs/end",
            body: || Body::Json(json!({ "pairing_id": "doesnotexist", "reason": "Schedules never overlap." })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "workshops/mine",
            body: no_args,
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "workshops/rsvp",
            body: || {
                Body::Form(vec![
                    ("pairing_id", "doesnotexist".into()),
                    ("workshop_id", "w1".into()),
                    ("going", "true".into()),
                ])
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "workshops/reflect",
            body: || {
                Body::Form(vec![
                    ("pairing_id", "doesnotexist".into()),
                    ("workshop_id", "w1".into()),
                    ("text", "I applied the model with two of my reports.".into()),
                ])
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "workshops/sign-off",
            body: || Body::Form(vec![("pairing_id", "doesnotexist".into()), ("workshop_id", "w1".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "workshops/attendance",
            body: || Body::Form(vec![("cohort_id", "doesnotexist".into())]),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "workshops/mark",
            body: || {
                Body::Form(vec![
                    ("cohort_id", "doesnotexist".into()),
                    ("pairing_id", "doesnotexist".into()),
                    ("workshop_id", "w1".into()),
                    ("attended", "true".into()),
                ])
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case { path: "awards/mine", body: no_args, allowed: &[Admin, Leadership, Mentor, Mentee], ok: StatusCode::OK },
        Case {
            path: "awards/get",
            body: || Body::Form(vec![("id", "doesnotexist".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "pairs/timeline",
            body: || Body::Form(vec![("id", "doesnotexist".into())]),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "pairs/activity",
            body: || Body::Form(vec![("cohort_id", "doesnotexist".into())]),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case { path: "pairs/quiet", body: no_args, allowed: &[Admin], ok: StatusCode::OK },
        Case {
            path: "pairs/inactive-days",
            body: || Body::Form(vec![("cohort_id", "doesnotexist".into()), ("days", "21".into())]),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "notifications/read",
            body: || Body::Json(json!({})),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "surveys/list",
            body: || Body::Json(json!({})),
            allowed: &[Admin, Leadership],
            ok: StatusCode::OK,
        },
        Case {
            path: "surveys/create",
            body: || Body::Json(json!({ "cohort_id": "doesnotexist", "template": "monthly_pulse" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/get",
            body: || Body::Json(json!({ "id": "doesnotexist" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/save",
            body: || Body::Json(json!({ "id": "doesnotexist", "design": survey_design(), "version": 1 })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/schedule",
            body: || Body::Json(json!({ "id": "doesnotexist", "design": survey_design(), "version": 1 })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/unschedule",
            body: || Body::Json(json!({ "id": "doesnotexist", "version": 1 })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/close",
            body: || Body::Json(json!({ "id": "doesnotexist" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/delete",
            body: || Body::Json(json!({ "id": "doesnotexist" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/results",
            // Aggregates for admins and leadership; participants never see results.
            body: || Body::Json(json!({ "id": "doesnotexist", "dimension": "department" })),
            allowed: &[Admin, Leadership],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/mine",
            body: || Body::Json(json!({})),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "surveys/form",
            // A survey not addressed to the caller does not exist for them.
            body: || Body::Json(json!({ "id": "doesnotexist" })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/draft",
            body: || Body::Json(json!({ "id": "doesnotexist", "answers": { "q1": { "scale": 4 } } })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "surveys/submit",
            body: || Body::Json(json!({ "id": "doesnotexist", "answers": { "q1": { "scale": 4 } } })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "assessments/get",
            // A pair the caller is not in does not exist for them (the seeded pair: see below).
            body: || Body::Json(json!({ "pairing_id": "doesnotexist" })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "assessments/submit",
            body: || {
                Body::Json(json!({ "input": { "pairing_id": "doesnotexist", "phase": "pre", "ratings": { "x": 3 } } }))
            },
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "assessments/mine",
            body: || Body::Json(json!({})),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::OK,
        },
        Case {
            path: "metrics/dashboard",
            body: || {
                Body::Json(
                    json!({ "filters": { "program": "", "cohort": "", "department": "", "from": "", "to": "" } }),
                )
            },
            allowed: &[Admin, Leadership],
            ok: StatusCode::OK,
        },
        Case {
            path: "metrics/objectives",
            body: || Body::Json(json!({ "program_id": "doesnotexist" })),
            allowed: &[Admin, Leadership],
            ok: StatusCode::OK,
        },
        Case {
            path: "metrics/export",
            body: || {
                Body::Json(
                    json!({ "filters": { "program": "", "cohort": "", "department": "", "from": "", "to": "" }, "table": "funnel" }),
                )
            },
            allowed: &[Admin, Leadership],
            ok: StatusCode::OK,
        },
        Case {
            path: "metrics/report",
            // A pair the caller is not in does not exist for them (the seeded pair: see below).
            body: || Body::Json(json!({ "pairing_id": "doesnotexist" })),
            allowed: &[Admin, Leadership, Mentor, Mentee],
            ok: StatusCode::NOT_FOUND,
        },
        Case { path: "retros/menu", body: no_args, allowed: &[Admin, Leadership], ok: StatusCode::OK },
        Case {
            path: "retros/compare",
            body: || Body::Json(json!({ "input": { "cohorts": ["doesnotexist"], "by": "" } })),
            allowed: &[Admin, Leadership],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "retros/export",
            body: || Body::Json(json!({ "input": { "cohorts": ["doesnotexist"], "by": "" }, "table": "outcomes" })),
            allowed: &[Admin, Leadership],
            ok: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Case {
            path: "retros/cohort",
            body: || Body::Json(json!({ "cohort_id": "doesnotexist" })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "retros/delete-note",
            body: || Body::Json(json!({ "input": { "cohort_id": "doesnotexist", "note_id": "n1", "version": 0 } })),
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "retros/save-note",
            body: || {
                Body::Json(json!({ "input": { "cohort_id": "doesnotexist", "note_id": "", "kind": "change",
                    "text": "Meet weekly.", "tag": "", "metric": "", "version": 0 } }))
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "retros/decide",
            body: || {
                Body::Json(json!({ "input": { "cohort_id": "doesnotexist", "note_id": "x", "decision": "applied",
                    "detail": "weekly" } }))
            },
            allowed: &[Admin],
            ok: StatusCode::NOT_FOUND,
        },
        Case {
            path: "retros/lessons",
            body: || Body::Json(json!({ "program_id": "doesnotexist" })),
            allowed: &[Admin],
            ok: StatusCode::OK,
        },
    ]
}

/// Leadership never receives pair-level data: the dashboard's pair rows and their export are the
/// admins'; a mentee's progress report is the pair's and the admins'; the live stream is for
/// those who see dashboards, and carries table names only.
#[tokio::test]
async fn dashboards_keep_pairs_from_leadership_and_reports_within_the_pair() {
    let server = start(AuthSettings::default()).await;
    let one_cohort = json!({ "program": "", "cohort": "autumn2026", "department": "", "from": "", "to": "" });
    let everything = json!({ "program": "", "cohort": "", "department": "", "from": "", "to": "" });
    for who in [Who::Admin, Who::Leadership] {
        let c = signed_in(&server, &email(who).unwrap()).await;
        let r = c
            .post(format!("{}/api/metrics/dashboard", server.base))
            .json(&json!({ "filters": one_cohort }))
            .send()
            .await
            .unwrap();
        if who == Who::Admin {
            let d: Value = r.json().await.unwrap();
            assert_eq!(d["pairs"].as_array().unwrap().len(), 3, "the running demo cohort's three pairs");
        } else {
            // Three mentees: below k, so leadership's view of that cohort alone is refused.
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.text().await.unwrap().contains("Fewer than 5 mentees are in this selection (3)"));
            let d: Value = c
                .post(format!("{}/api/metrics/dashboard", server.base))
                .json(&json!({ "filters": everything }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert!(d["pairs"].as_array().unwrap().is_empty(), "leadership never gets pair rows");
        }
        let export = c
            .post(format!("{}/api/metrics/export", server.base))
            .json(&json!({ "filters": one_cohort, "table": "pairs" }))
            .send()
            .await
            .unwrap();
        let expected = if who == Who::Admin { StatusCode::OK } else { StatusCode::FORBIDDEN };
        assert_eq!(export.status(), expected, "{who:?}");
    }
    for (who, expected) in [
        (Who::Mentee, StatusCode::OK),
        (Who::Mentor, StatusCode::OK),
        (Who::Admin, StatusCode::OK),
        (Who::Leadership, StatusCode::NOT_FOUND),
    ] {
        let c = signed_in(&server, &email(who).unwrap()).await;
        let r = c
            .post(format!("{}/api/metrics/report", server.base))
            .json(&json!({ "pairing_id": "pilot_tom" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), expected, "{who:?}");
        if expected == StatusCode::OK {
            let report: Value = r.json().await.unwrap();
            assert_eq!(report["goals"].as_array().unwrap().len(), 2, "{who:?}");
            // Meetings as (day, minutes, topics): the private notes are never part of a report.
            let meetings = report["meetings"].as_array().unwrap();
            assert!(!meetings.is_empty());
            assert!(meetings.iter().all(|m| m.as_array().unwrap().len() == 3), "{who:?}");
        }
    }
    for (who, expected) in [
        (Who::Anonymous, StatusCode::UNAUTHORIZED),
        (Who::Mentee, StatusCode::FORBIDDEN),
        (Who::Mentor, StatusCode::FORBIDDEN),
        (Who::Leadership, StatusCode::OK),
        (Who::Admin, StatusCode::OK),
    ] {
        let c = match email(who) {
            Some(e) => signed_in(&server, &e).await,
            None => client(),
        };
        let r = c.get(format!("{}/api/live", server.base)).send().await.unwrap();
        assert_eq!(r.status(), expected, "{who:?}");
        if expected == StatusCode::OK {
            assert_eq!(r.headers()["content-type"], "text/event-stream");
        }
    }
}

/// A valid survey design, as the builder sends it.
fn survey_design() -> Value {
    use app::domain::surveys::templates::Template;
    serde_json::to_value(Template::MentorEffectiveness.design()).unwrap()
}

/// The table is kept by hand, so this holds it to the truth: every server function the app
/// registers (the server-function registry at run time) has a row, and every row names one.
#[test]
fn every_registered_server_function_has_a_row_in_the_role_table() {
    use std::collections::BTreeSet;
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()).collect();
    let rows: BTreeSet<String> = table().iter().map(|c| format!("/api/{}", c.path)).collect();
    assert!(registered.len() > 50, "the registry looks empty: {registered:?}");
    let missing: Vec<_> = registered.difference(&rows).collect();
    assert!(missing.is_empty(), "server functions without a row in the HTTP role table: {missing:?}");
    let stale: Vec<_> = rows.difference(&registered).collect();
    assert!(stale.is_empty(), "rows for server functions that do not exist: {stale:?}");
}

#[tokio::test]
async fn a_person_renames_themselves_and_every_page_sees_it() {
    let server = start(AuthSettings::default()).await;
    let c = signed_in(&server, &email(Who::Mentee).unwrap()).await;
    let r = c
        .post(format!("{}/api/auth/change-name", server.base))
        .form(&[("name", "  Tom Q. Mentee  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = c.post(format!("{}/api/auth/me", server.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["name"], "Tom Q. Mentee");
    // A name that is too long is refused on its field, and the stored name stays.
    let r = c
        .post(format!("{}/api/auth/change-name", server.base))
        .form(&[("name", "x".repeat(121))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("at most 120 characters"));
    let me: Value = c.post(format!("{}/api/auth/me", server.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["name"], "Tom Q. Mentee");
}

#[tokio::test]
async fn every_server_function_answers_each_role_exactly() {
    let server = start(AuthSettings::default()).await;
    let mut failures = Vec::new();
    for case in table() {
        for who in EVERYONE {
            // A fresh session per call, so logout and password checks cannot affect other rows.
            let c = match email(who) {
                Some(e) => signed_in(&server, &e).await,
                None => client(),
            };
            let req = c.post(format!("{}/api/{}", server.base, case.path));
            let req = match (case.body)() {
                Body::Form(f) => req.form(&f),
                Body::Json(v) => req.json(&v),
            };
            let status = req.send().await.unwrap().status();
            let expected = if case.allowed.contains(&who) {
                case.ok
            } else if who == Who::Anonymous {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::FORBIDDEN
            };
            if status != expected {
                failures.push(format!("{} as {who:?}: got {status}, expected {expected}", case.path));
            }
        }
    }
    assert!(failures.is_empty(), "authorization table mismatches:\n{}", failures.join("\n"));
}

/// The demo pair of Tom (mentee) and Elena (mentor), whose start and end ratings are seeded:
/// the two of them and admins read it, leadership (not in the pair) finds nothing; its
/// start-of-program phase closed in October, so a new rating is refused on its field, and an
/// admin may not rate at all.
#[tokio::test]
async fn the_seeded_pairs_assessment_is_the_pairs_and_the_admins_only() {
    let server = start(AuthSettings::default()).await;
    let get = json!({ "pairing_id": "pilot_tom" });
    for (who, expected) in [
        (Who::Mentee, StatusCode::OK),
        (Who::Mentor, StatusCode::OK),
        (Who::Admin, StatusCode::OK),
        (Who::Leadership, StatusCode::NOT_FOUND),
    ] {
        let c = signed_in(&server, &email(who).unwrap()).await;
        let r = c.post(format!("{}/api/assessments/get", server.base)).json(&get).send().await.unwrap();
        assert_eq!(r.status(), expected, "{who:?}");
        if expected == StatusCode::OK {
            let page: Value = r.json().await.unwrap();
            let rows = page["growth"].as_array().unwrap();
            assert_eq!(rows.len(), 7, "{who:?}: one row per program skill");
            let feedback = rows.iter().find(|r| r["skill_name"] == "Giving feedback").unwrap();
            assert_eq!(
                (&feedback["self_pre"], &feedback["self_post"], &feedback["mentor_pre"], &feedback["mentor_post"]),
                (&json!(2), &json!(4), &json!(2), &json!(4)),
                "{who:?}"
            );
        }
    }
    let submit = |who: Who| {
        let server = &server;
        async move {
            let c = signed_in(server, &email(who).unwrap()).await;
            let page: Value = c
                .post(format!("{}/api/assessments/get", server.base))
                .json(&json!({ "pairing_id": "pilot_tom" }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let ratings: serde_json::Map<String, Value> = page["skills"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s["id"].as_str().unwrap().to_string(), json!(3)))
                .collect();
            let r = c
                .post(format!("{}/api/assessments/submit", server.base))
                .json(&json!({ "input": { "pairing_id": "pilot_tom", "phase": "pre", "ratings": ratings } }))
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (status, body) = submit(Who::Mentee).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("closed on"), "{body}");
    assert_eq!(submit(Who::Admin).await.0, StatusCode::FORBIDDEN);

    // The assessment page renders on the server with the growth in it (the pair page's panel
    // loads after hydration); outside the pair, not at all.
    let tom = signed_in(&server, &email(Who::Mentee).unwrap()).await;
    let r = tom.get(format!("{}/pairs/pilot_tom/assessment", server.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Rate your leadership skills") && html.contains("2 → 4"), "no growth table");
    let r = tom.get(format!("{}/pairs/pilot_tom", server.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Skill growth"), "no growth panel on the pair page");
    let leader = signed_in(&server, &email(Who::Leadership).unwrap()).await;
    let r = leader.get(format!("{}/pairs/pilot_tom/assessment", server.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_sign_out_ends_it() {
    let server = start(AuthSettings::default()).await;
    let c = client();
    let r = c
        .post(format!("{}/api/auth/login", server.base))
        .form(&[("email", "ADMIN@northwind.example "), ("password", seed::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let me: Value = c.post(format!("{}/api/auth/me", server.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "admin@northwind.example");
    assert_eq!(me["roles"], json!(["admin"]));

    let r = c.post(format!("{}/api/auth/logout", server.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = c.post(format!("{}/api/auth/me", server.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(me, Value::Null);
    let r = c.post(format!("{}/api/people/list", server.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_stolen_cookie_value_that_is_not_a_session_gets_nothing() {
    let server = start(AuthSettings::default()).await;
    let r = client()
        .post(format!("{}/api/people/list", server.base))
        .header("cookie", format!("mentorship_session={}", "a".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_errors_are_generic_and_rate_limited_with_retry_after() {
    let server = start(AuthSettings { max_failures_per_account: 3, ..AuthSettings::default() }).await;
    let c = client();
    let login = |email: &'static str, password: &'static str| {
        c.post(format!("{}/api/auth/login", server.base)).form(&[("email", email), ("password", password)]).send()
    };
    let unknown = login("nobody@northwind.example", "whatever-123").await.unwrap();
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown_body = unknown.text().await.unwrap();
    let wrong = login("mentor@northwind.example", "whatever-123").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.text().await.unwrap(), unknown_body, "unknown email and wrong password must look the same");

    for _ in 0..2 {
        assert_eq!(login("mentor@northwind.example", "whatever-123").await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    let limited = login("mentor@northwind.example", "mentorship-demo").await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900);
    let body: Value = limited.json().await.unwrap();
    assert!(body["RateLimited"]["retry_after_secs"].as_u64().is_some(), "{body}");
}

#[tokio::test]
async fn bad_input_on_every_login_field_is_rejected_per_field() {
    let server = start(AuthSettings::default()).await;
    let long = "x".repeat(10_000);
    let cases: Vec<(String, String, &str)> = vec![
        (String::new(), "pw".into(), "email"),
        ("not-an-email".into(), "pw".into(), "email"),
        (format!("{long}@example.com"), "pw".into(), "email"),
        ("admin@northwind.example".into(), String::new(), "password"),
        ("admin@northwind.example".into(), long.clone(), "password"),
        ("' OR 1=1; --@x.com".into(), "pw".into(), "email"),
        ("ünï@cødé.com".into(), "pw".into(), "email"),
    ];
    for (email, password, field) in cases {
        let r = client()
            .post(format!("{}/api/auth/login", server.base))
            .form(&[("email", email.as_str()), ("password", password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email:.40} / {password:.20}");
        let body: Value = r.json().await.unwrap();
        let fields: Vec<&str> =
            body["Validation"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{body}");
    }
}

#[tokio::test]
async fn pages_render_for_the_right_roles_and_health_checks_the_database() {
    let server = start(AuthSettings::default()).await;
    let health: Value = client().get(format!("{}/healthz", server.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["schema_version"], app::db::latest_version());

    let landing = client().get(format!("{}/", server.base)).send().await.unwrap();
    assert_eq!(landing.status(), StatusCode::OK);
    assert!(landing.text().await.unwrap().contains("Grow the leaders you already have."));

    let missing = client().get(format!("{}/no/such/page", server.base)).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let mentor = signed_in(&server, "mentor@northwind.example").await;
    let page = mentor.get(format!("{}/home/mentor", server.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Welcome, Elena"), "mentor home must be server-rendered with the user's data");
    assert!(page.contains("Mentor guide · Emerging Leaders"), "mentors see the guide of their open program");
    let mentee = signed_in(&server, "mentee@northwind.example").await;
    let page = mentee.get(format!("{}/home/mentee", server.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Welcome, Tom") && !page.contains("Mentor guide"));
    let admin_page = mentor.get(format!("{}/home/admin", server.base)).send().await.unwrap().text().await.unwrap();
    assert!(admin_page.contains("No access") && !admin_page.contains("Program administration"));
}

#[tokio::test]
async fn a_temporary_password_must_be_replaced_before_any_work() {
    let server = start(AuthSettings::default()).await;
    let admin = signed_in(&server, "admin@northwind.example").await;
    let created: Value = admin
        .post(format!("{}/api/people/create", server.base))
        .json(&json!({ "input": { "email": "new.hire@northwind.example", "name": "New Hire", "department": "Sales",
            "title": "", "level": "2", "roles": ["mentee"] } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let temporary = created["temporary_password"].as_str().unwrap().to_string();

    let c = client();
    let r = c
        .post(format!("{}/api/auth/login", server.base))
        .form(&[("email", "new.hire@northwind.example"), ("password", temporary.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c.post(format!("{}/api/home/mentee", server.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.json::<Value>().await.unwrap(), json!("PasswordChangeRequired"));

    let r = c
        .post(format!("{}/api/auth/change-password", server.base))
        .form(&[("current", temporary.as_str()), ("new", "my own long password"), ("confirm", "my own long password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c.post(format!("{}/api/home/mentee", server.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // The admin's log shows the addition, by the admin.
    let overview: Value =
        admin.post(format!("{}/api/home/admin", server.base)).send().await.unwrap().json().await.unwrap();
    assert!(overview["activity"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["who"] == "Priya Raman" && a["what"].as_str().unwrap().contains("new.hire@northwind.example")));
}

#[tokio::test]
async fn demo_data_is_never_added_to_a_database_with_other_people() {
    let db = app::db::connect("mem://").await.unwrap();
    seed::create_admin(&db, "owner@company.example", "Owner").await.unwrap();
    let err = seed::seed_demo(&db).await.unwrap_err();
    assert!(err.to_string().contains("only added to an empty database"), "{err}");
    assert_eq!(seed::user_count(&db).await.unwrap(), 1);
}

/// Signs in without a cookie store: the session cookie's value, to send by hand.
/// One person signing in on several devices at the same moment (or a shared account under load):
/// each sign-in tidies that person's old sessions, two of them may conflict, and the loser is made
/// again. Every sign-in gets a session of its own; none is a 500. (The load test found this: eight
/// virtual users on the one leadership account got "create session" write conflicts.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_person_signing_in_on_several_devices_at_once_gets_a_session_on_each() {
    // Sign-ins in flight count against the account's throttle until they succeed: raised here,
    // where what is tested is eight at once.
    let server = start(AuthSettings {
        max_failures_per_account: 1_000,
        backoff_after_failures: 1_000,
        max_failures_per_ip: 1_000,
        ..AuthSettings::default()
    })
    .await;
    let mut tokens = std::collections::HashSet::new();
    for round in 0..5 {
        let gate = std::sync::Arc::new(tokio::sync::Barrier::new(8));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (gate, base) = (gate.clone(), server.base.clone());
                tokio::spawn(async move {
                    gate.wait().await;
                    let r = client()
                        .post(format!("{base}/api/auth/login"))
                        .form(&[("email", "leader@northwind.example"), ("password", seed::DEMO_PASSWORD)])
                        .send()
                        .await
                        .unwrap();
                    let cookie = r.headers().get("set-cookie").map(|c| c.to_str().unwrap().to_string());
                    (r.status(), cookie, r.text().await.unwrap())
                })
            })
            .collect();
        for t in tasks {
            let (status, cookie, body) = t.await.unwrap();
            assert_eq!(status, StatusCode::OK, "round {round}: {body}");
            let cookie = cookie.expect("a session cookie").split(';').next().unwrap().to_string();
            assert_eq!(status_with(&server, &cookie, "home/leadership").await, StatusCode::OK, "the session works");
            assert!(tokens.insert(cookie), "a session of its own");
        }
    }
}

async fn session_of(server: &TestServer, email: &str) -> String {
    let r = client()
        .post(format!("{}/api/auth/login", server.base))
        .form(&[("email", email), ("password", seed::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    cookie.split(';').next().unwrap().to_string()
}

async fn status_with(server: &TestServer, cookie: &str, path: &str) -> StatusCode {
    client().post(format!("{}/api/{path}", server.base)).header("cookie", cookie).send().await.unwrap().status()
}

/// Polls `path` with `cookie` until it answers `want` (2 s at most); the last status.
async fn becomes(server: &TestServer, cookie: &str, path: &str, want: StatusCode) -> StatusCode {
    let mut last = StatusCode::OK;
    for _ in 0..40 {
        last = status_with(server, cookie, path).await;
        if last == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    last
}

#[tokio::test]
async fn kept_sessions_are_forgotten_when_a_session_or_user_changes_anywhere() {
    // The server with its live feed running, so that resolved sessions are kept between requests.
    let server = start_with(AuthSettings::default(), true).await;
    let db = server.db.clone();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // Signed out here: the old cookie gets nothing at once.
    let leader = session_of(&server, "leader@northwind.example").await;
    assert_eq!(status_with(&server, &leader, "home/leadership").await, StatusCode::OK);
    let r = client().post(format!("{}/api/auth/logout", server.base)).header("cookie", &leader).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(status_with(&server, &leader, "home/leadership").await, StatusCode::UNAUTHORIZED);

    // Changed by another server sharing the database (written straight to it here): a role taken
    // away, then the account deactivated; the kept session is forgotten within 2 s.
    let mentee = session_of(&server, "mentee@northwind.example").await;
    assert_eq!(status_with(&server, &mentee, "home/mentee").await, StatusCode::OK);
    assert_eq!(status_with(&server, &mentee, "home/mentee").await, StatusCode::OK);
    db.query("UPDATE user SET roles = ['mentor'] WHERE email = 'mentee@northwind.example'")
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(becomes(&server, &mentee, "home/mentee", StatusCode::FORBIDDEN).await, StatusCode::FORBIDDEN);
    db.query("UPDATE user SET active = false WHERE email = 'mentee@northwind.example'").await.unwrap().check().unwrap();
    let mut me = Value::Bool(true);
    for _ in 0..40 {
        me = client()
            .post(format!("{}/api/auth/me", server.base))
            .header("cookie", &mentee)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if me.is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(me, Value::Null, "a deactivated account's session is no session");
    // And a session deleted elsewhere (signed out on the other server).
    let admin = session_of(&server, "admin@northwind.example").await;
    assert_eq!(status_with(&server, &admin, "people/list").await, StatusCode::OK);
    db.query("DELETE session WHERE user.email = 'admin@northwind.example'").await.unwrap().check().unwrap();
    assert_eq!(becomes(&server, &admin, "people/list", StatusCode::UNAUTHORIZED).await, StatusCode::UNAUTHORIZED);
}

/// The dashboard as the server sends it, without the time it was made.
async fn dashboard_now(server: &TestServer, cookie: &str, cohort: &str) -> Value {
    let r = client()
        .post(format!("{}/api/metrics/dashboard", server.base))
        .header("cookie", cookie)
        .json(&json!({ "filters": { "program": "", "cohort": cohort, "department": "", "from": "", "to": "" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut v: Value = r.json().await.unwrap();
    v.as_object_mut().unwrap().remove("at");
    v
}

/// The same dashboard computed from the facts read afresh from the database.
async fn dashboard_fresh(server: &TestServer, cohort: &str) -> Value {
    let filters = app::domain::metrics::types::Filters { cohort: cohort.into(), ..Default::default() };
    let d = app::domain::metrics::server::get(&server.db, &filters, true).await.unwrap();
    // Through text, as the server's answer goes (serde_json's default float parsing may differ
    // from the exact value in the last digit; both sides then read the same text the same way).
    let mut v: Value = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("at");
    v
}

/// The top-level fields in which two dashboards differ, with both values (for a failure message).
fn differences(a: &Value, b: &Value) -> String {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return format!("{a} vs {b}") };
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}: kept {v} / fresh {}", b.get(k).cloned().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Waits (up to 3 s) until the kept dashboards of both scopes equal the ones computed afresh.
async fn agrees_with_a_fresh_read(server: &TestServer, cookie: &str) -> Vec<(Value, Value)> {
    let mut last = Vec::new();
    for _ in 0..60 {
        last.clear();
        for cohort in ["", "autumn2026"] {
            last.push((dashboard_now(server, cookie, cohort).await, dashboard_fresh(server, cohort).await));
        }
        if last.iter().all(|(kept, fresh)| kept == fresh) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    last
}

/// Waits until the dashboards' facts were read ahead, which happens once every live query runs;
/// fails after 60 s.
async fn facts_read_ahead(server: &TestServer) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while server.metrics.reads() == 0 {
        assert!(std::time::Instant::now() < deadline, "the facts were not read within 60 s of the start");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Once the live feed runs, the dashboards' facts are read ahead (not by the first visitor, whose
/// read competed with every other request under load), and the first dashboard is made from them.
#[tokio::test]
async fn dashboard_facts_are_read_ahead_once_the_live_feed_runs() {
    let server = start_with(AuthSettings::default(), true).await;
    facts_read_ahead(&server).await;
    assert_eq!(server.metrics.reads(), 1, "read once");
    let admin = session_of(&server, "admin@northwind.example").await;
    let kept = dashboard_now(&server, &admin, "").await;
    assert_eq!(server.metrics.reads(), 1, "the first dashboard was made from the facts read ahead");
    assert_eq!(kept, dashboard_fresh(&server, "").await);
}

/// Under load nearly every write is a check-in, a goal written or a survey answer: the kept
/// dashboard facts take these as the live feed reports them (from this server or another),
/// without reading every fact again, and the dashboards made from them equal dashboards made
/// from a fresh read. A change they cannot take (a cohort's settings) has them read again.
#[tokio::test]
async fn kept_dashboard_facts_take_reported_writes_and_agree_with_a_fresh_read() {
    let server = start_with(AuthSettings::default(), true).await;
    let db = server.db.clone();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let admin = session_of(&server, "admin@northwind.example").await;
    let before = agrees_with_a_fresh_read(&server, &admin).await;
    for (kept, fresh) in &before {
        assert!(kept == fresh, "{}", differences(kept, fresh));
    }
    let reads = server.metrics.reads();
    assert!(reads >= 1, "the facts were read for the first dashboard");

    // A check-in through the app (a check-in and its goal written).
    let mentee = session_of(&server, "mentee@northwind.example").await;
    let r = client()
        .post(format!("{}/api/goals/checkin", server.base))
        .header("cookie", &mentee)
        .json(&json!({ "input": { "goal_id": "pilot_delegation", "progress": "100", "note": "Released without me", "evidence": "" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    // A meeting held yesterday, logged through the app.
    let yesterday = app::domain::activity::types::date_of(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 86_400,
    );
    let r = client()
        .post(format!("{}/api/pairs/log-meeting", server.base))
        .header("cookie", &mentee)
        .json(&json!({ "input": { "pairing_id": "pilot_tom", "on": yesterday, "minutes": "50",
            "topics": "Delegation plan reviewed", "notes": "" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    // As another app server would write them: a check-in, a milestone ticked, a survey answer that
    // feeds the satisfaction figure, a person's department, and a workshop seat taken.
    let surveys: Vec<Value> = db
        .query("SELECT record::id(id) AS id, design FROM survey WHERE status IN ['open', 'closed'] AND cohort = cohort:autumn2026")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let (survey, question) = surveys
        .iter()
        .find_map(|s| {
            let design: app::domain::surveys::types::SurveyDesign = serde_json::from_value(s["design"].clone()).ok()?;
            let q = design.questions.iter().find(|q| {
                q.kind == app::domain::surveys::types::QuestionKind::Likert
                    && q.measure == app::domain::surveys::types::Measure::Satisfaction
            })?;
            Some((s["id"].as_str()?.to_string(), q.id.clone()))
        })
        .expect("the demo cohort has a survey that asks about satisfaction");
    db.query(
        "CREATE checkin SET org = org:main, goal = goal:pilot_noah, author = pairing:pilot_noah.mentee, progress = 35,
             note = 'From elsewhere', evidence = '';
         UPDATE goal:pilot_noah SET milestones = [{ title: 'Guidelines drafted', due: '2027-01-10', done: true,
             done_on: time::format(time::now(), '%Y-%m-%d') }];
         CREATE survey_response SET org = org:main, survey = type::record('survey', $survey), side = 'mentee',
             department = '', day = time::format(time::now(), '%Y-%m-%d'), answers = $answers;
         UPDATE user SET department = 'Operations' WHERE email = 'mentee@northwind.example';
         CREATE workshop_seat:pilot_noah_w0 SET org = org:main, pairing = pairing:pilot_noah, workshop = 'w0',
             rsvp = 'going', rsvp_at = time::now();",
    )
    .bind(("survey", survey))
    .bind(("answers", json!({ question: { "scale": 5 } })))
    .await
    .unwrap()
    .check()
    .unwrap();
    let after = agrees_with_a_fresh_read(&server, &admin).await;
    for ((kept, fresh), (old, _)) in after.iter().zip(&before) {
        assert!(kept == fresh, "the kept dashboard equals a fresh read: {}", differences(kept, fresh));
        assert_ne!(kept["totals"], old["totals"], "the writes moved the figures");
    }
    assert_eq!(server.metrics.reads(), reads, "the facts took the writes without being read again");

    // A change the facts cannot take as it is: read again, once.
    db.query("UPDATE cohort:autumn2026 SET inactive_days = 7").await.unwrap().check().unwrap();
    let last = agrees_with_a_fresh_read(&server, &admin).await;
    for (kept, fresh) in &last {
        assert!(kept == fresh, "the kept dashboard equals a fresh read: {}", differences(kept, fresh));
    }
    assert_eq!(server.metrics.reads(), reads + 1, "read again once after a cohort's settings changed");
}

/// A participant's home-page reads are kept between requests while the live feed runs, and never
/// outlive what they show: the caller's own write (seen at once, before the feed reports it),
/// and a write by someone else or another app server (as soon as the feed reports it).
#[tokio::test]
async fn kept_home_reads_show_the_callers_own_writes_at_once_and_others_once_reported() {
    let server = start_with(AuthSettings::default(), true).await;
    // All live queries run once the dashboards' facts are read ahead.
    facts_read_ahead(&server).await;
    let mentee = session_of(&server, "mentee@northwind.example").await;
    let read = |path: &'static str| {
        let (base, cookie) = (server.base.clone(), mentee.clone());
        async move {
            let r = client().post(format!("{base}/api/{path}")).header("cookie", cookie).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.json::<Value>().await.unwrap()
        }
    };
    let goal =
        |goals: &Value| goals.as_array().unwrap().iter().find(|g| g["id"] == "pilot_delegation").cloned().unwrap();

    // Read twice: the second is kept.
    let first = read("goals/mine").await;
    let served = server.kept.served();
    assert_eq!(read("goals/mine").await, first);
    assert_eq!(server.kept.served(), served + 1, "the second read was kept");
    assert_ne!(goal(&first)["progress"], 100);

    // The caller's own check-in shows in the very next read.
    let r = client()
        .post(format!("{}/api/goals/checkin", server.base))
        .header("cookie", &mentee)
        .json(&json!({ "input": { "goal_id": "pilot_delegation", "progress": "100", "note": "Kept reads step aside", "evidence": "" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let after = read("goals/mine").await;
    assert_eq!(goal(&after)["progress"], 100);
    assert_eq!(goal(&after)["latest_checkin"][0], "Kept reads step aside");

    // Kept again, then someone else's writes (straight to the database, as another app server
    // would): the goal's headline and a notification for the mentee.
    read("goals/mine").await;
    read("notifications/mine").await;
    let served = server.kept.served();
    assert_eq!(goal(&read("goals/mine").await)["progress"], 100);
    read("notifications/mine").await;
    assert_eq!(server.kept.served(), served + 2, "both reads were kept");
    server
        .db
        .query(
            "UPDATE goal:pilot_delegation SET draft.specific = 'Edited elsewhere';
             CREATE notification SET org = org:main, user = (SELECT VALUE id FROM ONLY user WHERE email = 'mentee@northwind.example' LIMIT 1),
                 text = 'Written elsewhere', link = '';",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let goals = read("goals/mine").await;
        let notes = read("notifications/mine").await;
        let seen_note = notes.as_array().unwrap().iter().any(|n| n["text"] == "Written elsewhere");
        if goal(&goals)["specific"] == "Edited elsewhere" && seen_note {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "other writes not shown within 2 s: {goals} {notes}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // The page itself shows them too.
    let page = client().get(format!("{}/home/mentee", server.base)).header("cookie", &mentee).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Written elsewhere"), "the home page shows the new notification");

    // A check-in on another pair's goal concerns its mentee and mentor, not this mentee: their
    // kept goals stay. One on this mentee's goal reaches them.
    read("goals/mine").await;
    let checkin = |goal: &'static str, note: &'static str| {
        server.db.query(format!(
            "CREATE checkin SET org = org:main, goal = goal:{goal}, author = goal:{goal}.mentee, progress = 40, note = '{note}', evidence = ''"
        ))
    };
    checkin("pilot_noah", "Another pair").await.unwrap().check().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let served = server.kept.served();
    read("goals/mine").await;
    assert_eq!(server.kept.served(), served + 1, "another pair's check-in left the mentee's goals kept");
    checkin("pilot_delegation", "Checked in elsewhere").await.unwrap().check().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while goal(&read("goals/mine").await)["latest_checkin"][0] != "Checked in elsewhere" {
        assert!(std::time::Instant::now() < deadline, "a check-in on the mentee's goal not shown within 2 s");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The admins' quiet pairs and leadership's home are counted across the organization: one read
/// kept for every caller of the role, yet a change to a cohort or a person shows in the next read.
#[tokio::test]
async fn quiet_pairs_and_leadership_home_are_kept_for_all_callers_and_follow_changes() {
    let server = start_with(AuthSettings::default(), true).await;
    facts_read_ahead(&server).await;
    // A second admin, so the kept read is seen to be shared (made before anything is kept).
    server
        .db
        .query("UPDATE user SET roles = array::union(roles, ['admin']) WHERE email = 'leader@northwind.example'")
        .await
        .unwrap()
        .check()
        .unwrap();
    // Its report from the live feed would forget the first read below.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let admin = session_of(&server, "admin@northwind.example").await;
    let leader = session_of(&server, "leader@northwind.example").await;
    let call = |cookie: &String, path: &'static str, form: Vec<(&'static str, &'static str)>| {
        let (base, cookie) = (server.base.clone(), cookie.clone());
        async move {
            let r =
                client().post(format!("{base}/api/{path}")).header("cookie", cookie).form(&form).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.json::<Value>().await.unwrap()
        }
    };
    let quiet_names = |q: &Value| -> Vec<String> {
        q["shown"].as_array().unwrap().iter().map(|p| p["mentee_name"].as_str().unwrap().to_string()).collect()
    };

    let first = call(&admin, "pairs/quiet", vec![]).await;
    assert!(quiet_names(&first).contains(&"Noah Schmidt".to_string()), "{first}");
    let served = server.kept.served();
    assert_eq!(call(&leader, "pairs/quiet", vec![]).await, first, "another admin gets the same list");
    assert_eq!(server.kept.served(), served + 1, "the other admin's read was the one kept");

    // The admins' home: its figures kept for the other admin, its recent activity read afresh.
    let figures = call(&admin, "home/admin", vec![]).await;
    let served = server.kept.served();
    let theirs = call(&leader, "home/admin", vec![]).await;
    assert_eq!(server.kept.served(), served + 1, "the other admin's figures were kept");
    assert_eq!(theirs["active_users"], figures["active_users"]);
    assert!(!theirs["activity"].as_array().unwrap().is_empty(), "{theirs}");

    // Leadership's home: kept for the second caller (before the cohort changes below, which
    // forget it).
    let home = call(&leader, "home/leadership", vec![]).await;
    let served = server.kept.served();
    let again = call(&leader, "home/leadership", vec![]).await;
    assert_eq!(again, home);
    assert_eq!(server.kept.served(), served + 1, "the second read was kept");

    // Noah and Oliver are 38 days quiet: past 21, not past 45. The threshold shows at once.
    call(&admin, "pairs/inactive-days", vec![("cohort_id", "autumn2026"), ("days", "45")]).await;
    let after = call(&leader, "pairs/quiet", vec![]).await;
    assert!(!quiet_names(&after).contains(&"Noah Schmidt".to_string()), "{after}");
    assert_eq!(after["total"].as_i64().unwrap(), first["total"].as_i64().unwrap() - 1);

    // Leadership's home is forgotten when a person leaves: counted out within 2 s.
    let home = call(&leader, "home/leadership", vec![]).await;
    let headcount = home["headcount"].as_i64().unwrap();
    server
        .db
        .query("UPDATE user SET active = false WHERE email = 'mentee@northwind.example'")
        .await
        .unwrap()
        .check()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let now = call(&leader, "home/leadership", vec![]).await;
        if now["headcount"].as_i64().unwrap() == headcount - 1 {
            assert_eq!(now["mentees"].as_i64().unwrap(), home["mentees"].as_i64().unwrap() - 1);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "a person made inactive not counted out within 2 s");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
