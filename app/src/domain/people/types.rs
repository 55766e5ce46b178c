//! People in the organization: the admin's view of users and the inputs that change them.

use serde::{Deserialize, Serialize};

use crate::domain::auth::types::{normalize_email, Role};
use crate::error::FieldErrors;
use crate::validate;

/// Highest career level in the organization's ladder (1 = entry).
pub const LEVEL_MAX: i64 = 10;

/// One user as listed for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    fn surrealql_looking_names_are_just_text() {
        let mut i = input();
        i.name = "Robert'); REMOVE TABLE user; --".into();
        assert_eq!(i.validate().unwrap().name, "Robert'); REMOVE TABLE user; --");
    }
}
