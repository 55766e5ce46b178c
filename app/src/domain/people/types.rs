//! People in the organization: the admin's view of users and the inputs that change them.

use serde::{Deserialize, Serialize};

use crate::domain::auth::types::{normalize_email, Role};
use crate::error::FieldErrors;
use crate::validate;

/// Highest career level in the organization's ladder (1 = entry).
pub const LEVEL_MAX: i64 = 10;

/// One user as listed for admins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserRow {
    /// Record key.
    pub id: String,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// Department, empty when unknown.
    pub department: String,
    /// Job title, empty when unknown.
    pub title: String,
    /// Career level 1..=10, when known.
    pub level: Option<i64>,
    /// Deactivated users cannot sign in.
    pub active: bool,
    /// Still on the temporary password an admin gave them.
    pub must_change_password: bool,
    /// HR dates and the level a promotion took them to.
    pub outcomes: Outcomes,
}

/// A person's HR outcomes: hire date, the day they left, their latest promotion and the level it
/// took them to (dates `YYYY-MM-DD`; each optional). Retrospectives compare mentees' retention and
/// promotion with these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Outcomes {
    /// Hire date.
    pub hired_on: Option<String>,
    /// Left the organization on.
    pub left_on: Option<String>,
    /// Latest promotion on.
    pub promoted_on: Option<String>,
    /// The level that promotion took them to.
    pub new_level: Option<i64>,
}

impl Outcomes {
    /// "Hired 2021-04-01 · Promoted 2026-05-04 to L5 · Left 2026-09-30", the parts that are known.
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = &self.hired_on {
            parts.push(format!("Hired {d}"));
        }
        match (&self.promoted_on, self.new_level) {
            (Some(d), Some(l)) => parts.push(format!("Promoted {d} to L{l}")),
            (Some(d), None) => parts.push(format!("Promoted {d}")),
            _ => {}
        }
        if let Some(d) = &self.left_on {
            parts.push(format!("Left {d}"));
        }
        parts.join(" · ")
    }
}

/// The People page's HR outcomes form, as typed (empty clears a value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomesInput {
    /// Hire date, `YYYY-MM-DD`.
    pub hired_on: String,
    /// Left on, `YYYY-MM-DD`.
    pub left_on: String,
    /// Promoted on, `YYYY-MM-DD`.
    pub promoted_on: String,
    /// New level, 1..=10.
    pub new_level: String,
}

/// A date cell or field as typed: empty is none; anything else must be `YYYY-MM-DD`.
pub fn read_date(value: &str) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match validate::day_number(v) {
        Some(_) => Ok(Some(v.to_string())),
        None => Err(format!("“{v}” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-04")),
    }
}

/// The checks between an outcome's values (each already a valid date or level): nothing in the
/// future, nothing before the hire date, no promotion after leaving, and a new level only with
/// the promotion's date. Every problem, as (field, message).
pub fn outcome_problems(o: &Outcomes, today: i64) -> Vec<(&'static str, String)> {
    let day = |d: &Option<String>| d.as_deref().and_then(validate::day_number);
    let (hired, left, promoted) = (day(&o.hired_on), day(&o.left_on), day(&o.promoted_on));
    let mut out = Vec::new();
    for (field, d, what) in [
        ("hired_on", hired, "A hire date"),
        ("left_on", left, "A leaving date"),
        ("promoted_on", promoted, "A promotion date"),
    ] {
        if d.is_some_and(|d| d > today) {
            out.push((field, format!("{what} cannot be in the future (today is {}).", validate::date_of_day(today))));
        }
    }
    if let Some(h) = hired {
        for (field, d, what) in [("left_on", left, "left"), ("promoted_on", promoted, "was promoted")] {
            if d.is_some_and(|d| d < h) {
                out.push((
                    field,
                    format!("This says they {what} before they were hired ({}).", validate::date_of_day(h)),
                ));
            }
        }
    }
    if let (Some(l), Some(p)) = (left, promoted) {
        if p > l {
            out.push(("promoted_on", format!("This is after they left ({}).", validate::date_of_day(l))));
        }
    }
    if o.new_level.is_some() && o.promoted_on.is_none() {
        out.push(("new_level", "Give the promotion's date with the new level.".to_string()));
    }
    out
}

impl OutcomesInput {
    /// Checks every field against `today` and reports all problems at once.
    pub fn validate(&self, today: i64) -> Result<Outcomes, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut date = |field: &str, v: &str| {
            read_date(v).unwrap_or_else(|m| {
                errors.add(field, format!("{m}."));
                None
            })
        };
        let hired_on = date("hired_on", &self.hired_on);
        let left_on = date("left_on", &self.left_on);
        let promoted_on = date("promoted_on", &self.promoted_on);
        let new_level = validate::optional_int(&mut errors, "new_level", &self.new_level, 1, LEVEL_MAX).flatten();
        let o = Outcomes { hired_on, left_on, promoted_on, new_level };
        for (field, m) in outcome_problems(&o, today) {
            if errors.get(field).is_none() {
                errors.add(field, m);
            }
        }
        if errors.is_empty() {
            Ok(o)
        } else {
            Err(errors)
        }
    }
}

/// The admin's "add person" form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserInput {
    /// Email as typed.
    pub email: String,
    /// Name as typed.
    pub name: String,
    /// Department as typed (optional).
    pub department: String,
    /// Title as typed (optional).
    pub title: String,
    /// Level as typed (optional, 1..=10).
    pub level: String,
    /// Roles ticked.
    pub roles: Vec<Role>,
}

/// A validated new user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Normalized email.
    pub email: String,
    /// Trimmed name.
    pub name: String,
    /// Trimmed department, may be empty.
    pub department: String,
    /// Trimmed title, may be empty.
    pub title: String,
    /// Level, when given.
    pub level: Option<i64>,
    /// Sorted, de-duplicated, non-empty.
    pub roles: Vec<Role>,
}

/// Sorts and de-duplicates roles; an empty set is an error on `roles`.
pub fn check_roles(errors: &mut FieldErrors, roles: &[Role]) -> Option<Vec<Role>> {
    let mut r = roles.to_vec();
    r.sort();
    r.dedup();
    if r.is_empty() {
        errors.add("roles", "Choose at least one role.");
        return None;
    }
    Some(r)
}

impl NewUserInput {
    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<NewUser, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = match normalize_email(&self.email) {
            Ok(e) => Some(e),
            Err(m) => {
                errors.add("email", m);
                None
            }
        };
        let name = validate::text(&mut errors, "name", "a name", &self.name, true, 120);
        let department = validate::text(&mut errors, "department", "a department", &self.department, false, 80);
        let title = validate::text(&mut errors, "title", "a title", &self.title, false, 120);
        let level = validate::optional_int(&mut errors, "level", &self.level, 1, LEVEL_MAX);
        let roles = check_roles(&mut errors, &self.roles);
        match (email, name, department, title, level, roles) {
            (Some(email), Some(name), Some(department), Some(title), Some(level), Some(roles)) if errors.is_empty() => {
                Ok(NewUser { email, name, department, title, level, roles })
            }
            _ => Err(errors),
        }
    }
}

/// What an admin gets back after adding a person: the one-time temporary password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    /// The new user.
    pub user: UserRow,
    /// Shown once; the user must change it at first sign-in.
    pub temporary_password: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NewUserInput {
        NewUserInput {
            email: "New.Person@Example.com".into(),
            name: "New Person".into(),
            department: "Engineering".into(),
            title: "".into(),
            level: "3".into(),
            roles: vec![Role::Mentee, Role::Mentor, Role::Mentee],
        }
    }

    #[test]
    fn valid_input_is_normalized() {
        let u = input().validate().unwrap();
        assert_eq!(u.email, "new.person@example.com");
        assert_eq!(u.roles, vec![Role::Mentor, Role::Mentee]);
        assert_eq!(u.level, Some(3));
        assert_eq!(u.title, "");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let bad = NewUserInput {
            email: "nope".into(),
            name: "x".repeat(10_000),
            department: "".into(),
            title: "".into(),
            level: "eleven".into(),
            roles: vec![],
        };
        let e = bad.validate().unwrap_err();
        for f in ["email", "name", "level", "roles"] {
            assert!(e.get(f).is_some(), "missing error on {f}");
        }
        assert!(e.get("department").is_none());
    }

    #[test]
    fn outcomes_are_dates_in_order_and_not_in_the_future() {
        let today = validate::day_number("2026-12-02").unwrap();
        let input = |h: &str, l: &str, p: &str, n: &str| OutcomesInput {
            hired_on: h.into(),
            left_on: l.into(),
            promoted_on: p.into(),
            new_level: n.into(),
        };
        let ok = input("2020-01-06", "", " 2026-05-04 ", "5").validate(today).unwrap();
        assert_eq!(ok.promoted_on.as_deref(), Some("2026-05-04"));
        assert_eq!(ok.words(), "Hired 2020-01-06 · Promoted 2026-05-04 to L5");
        assert_eq!(input("", "", "", "").validate(today).unwrap(), Outcomes::default());
        // Today is not the future.
        assert!(input("", "2026-12-02", "", "").validate(today).is_ok());

        let e = input("2020-01-06", "2019-12-31", "2026-12-03", "5").validate(today).unwrap_err();
        assert_eq!(e.get("left_on").unwrap(), "This says they left before they were hired (2020-01-06).");
        assert_eq!(e.get("promoted_on").unwrap(), "A promotion date cannot be in the future (today is 2026-12-02).");
        let e = input("2020-01-06", "2025-03-31", "2025-06-01", "").validate(today).unwrap_err();
        assert_eq!(e.get("promoted_on").unwrap(), "This is after they left (2025-03-31).");
        let e = input("06/01/2020", "", "", "11").validate(today).unwrap_err();
        assert_eq!(e.get("hired_on").unwrap(), "“06/01/2020” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-04.");
        assert_eq!(e.get("new_level").unwrap(), "Enter a whole number from 1 to 10.");
        let e = input("", "", "", "4").validate(today).unwrap_err();
        assert_eq!(e.get("new_level").unwrap(), "Give the promotion's date with the new level.");
        assert!(input("2027-01-04", "", "", "").validate(today).unwrap_err().get("hired_on").is_some());
    }

    #[test]
    fn surrealql_looking_names_are_just_text() {
        let mut i = input();
        i.name = "Robert'); REMOVE TABLE user; --".into();
        assert_eq!(i.validate().unwrap().name, "Robert'); REMOVE TABLE user; --");
    }
}
