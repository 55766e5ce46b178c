//! Roles, the signed-in user, and the input rules for credentials (shared by browser and server).

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// What a person does in the organization's mentoring programs. A user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Designs programs, manages people, runs matching.
    Admin,
    /// Sees live dashboards (aggregates only).
    Leadership,
    /// Guides mentees.
    Mentor,
    /// Develops leadership skills with a mentor.
    Mentee,
}

impl Role {
    /// Every role, in the order home pages are offered.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Leadership, Role::Mentor, Role::Mentee];

    /// The stored and URL form (`admin`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leadership => "leadership",
            Role::Mentor => "mentor",
            Role::Mentee => "mentee",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Leadership => "Leadership",
            Role::Mentor => "Mentor",
            Role::Mentee => "Mentee",
        }
    }

    /// The home page for this role.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Admin => "/home/admin",
            Role::Leadership => "/home/leadership",
            Role::Mentor => "/home/mentor",
            Role::Mentee => "/home/mentee",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The signed-in person as the UI sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    /// Record key of the user.
    pub id: String,
    /// Sign-in email (lower case).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Roles, sorted, without duplicates.
    pub roles: Vec<Role>,
    /// Set for accounts created with a temporary password.
    pub must_change_password: bool,
}

impl SessionUser {
    /// True when the user holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The home page to land on after sign-in: the first role in [`Role::ALL`] order.
    pub fn home_path(&self) -> &'static str {
        Role::ALL.into_iter().find(|r| self.has_role(*r)).map(Role::home_path).unwrap_or("/account")
    }
}

/// Longest accepted email (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// Shortest new password.
pub const PASSWORD_MIN: usize = 10;
/// The policy in words, for forms.
pub const PASSWORD_HINT: &str = "At least 10 characters. A short sentence works well.";
/// Longest password (argon2 has no limit, but a 10 000-char password is a mistake or an attack).
pub const PASSWORD_MAX: usize = 128;

/// Trims and lower-cases an email and checks its shape; the error says what is wrong.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err("Enter an email address.".into());
    }
    if email.chars().count() > EMAIL_MAX {
        return Err(format!("An email address has at most {EMAIL_MAX} characters."));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("An email address needs an @, like name@company.com.".into());
    };
    let valid_local = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let valid_domain = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if !valid_local || !valid_domain {
        return Err("This is not a valid email address; use the form name@company.com.".into());
    }
    Ok(email)
}

/// Checks a new password against the policy.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(format!("Use at least {PASSWORD_MIN} characters."));
    }
    if n > PASSWORD_MAX {
        return Err(format!("Use at most {PASSWORD_MAX} characters."));
    }
    if password.trim().is_empty() {
        return Err("A password cannot be only spaces.".into());
    }
    Ok(())
}

/// Validates the sign-in form before anything touches the database.
pub fn check_login_input(email: &str, password: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    let email = match normalize_email(email) {
        Ok(e) => Some(e),
        Err(m) => {
            errors.add("email", m);
            None
        }
    };
    if password.is_empty() {
        errors.add("password", "Enter your password.");
    } else if password.chars().count() > PASSWORD_MAX {
        errors.add("password", format!("A password has at most {PASSWORD_MAX} characters."));
    }
    match (email, errors.is_empty()) {
        (Some(e), true) => Ok(e),
        _ => Err(errors),
    }
}

/// Validates the name a person gives themselves on the account page; returns it trimmed.
pub fn check_own_name(name: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    match crate::validate::text(&mut errors, "name", "your name", name, true, 120) {
        Some(name) if errors.is_empty() => Ok(name),
        _ => Err(errors),
    }
}

/// Validates the change-password form.
pub fn check_password_change(current: &str, new: &str, confirm: &str) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if current.is_empty() {
        errors.add("current", "Enter your current password.");
    }
    if let Err(m) = check_new_password(new) {
        errors.add("new", m);
    } else if new == current {
        errors.add("new", "Choose a password different from the current one.");
    }
    if confirm != new {
        errors.add("confirm", "The two new passwords do not match.");
    }
    errors.into_result().map_err(|e| match e {
        crate::error::AppError::Validation(f) => f,
        _ => unreachable!("into_result only yields Validation"),
    })
}

/// Only local paths are accepted as a post-sign-in target (no open redirects).
pub fn safe_next_path(next: &str) -> Option<&str> {
    // Browsers drop tabs and newlines inside URLs ("/\t/evil.com" becomes "//evil.com"), so only
    // visible ASCII is accepted.
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.len() < 512
        && next.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(normalize_email("  Ada.Lovelace@Example.COM ").unwrap(), "ada.lovelace@example.com");
        assert!(normalize_email("").unwrap_err().contains("Enter"));
        assert!(normalize_email("no-at-sign").unwrap_err().contains("@"));
        assert!(normalize_email("a@b").is_err());
        assert!(normalize_email("a@@b.com").is_err());
        assert!(normalize_email("x'; DELETE user; --@evil.com").is_err());
        assert!(normalize_email("ünïcode@example.com").is_err());
        assert!(normalize_email(&format!("{}@example.com", "a".repeat(10_000))).unwrap_err().contains("254"));
        assert!(normalize_email("first.last+tag@sub.example.org").is_ok());
    }

    #[test]
    fn password_policy() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password(&"x".repeat(10_000)).is_err());
        assert!(check_new_password("          ").is_err());
        assert!(check_new_password("correct horse battery").is_ok());
        assert!(check_new_password("pässwörd-ünïcode").is_ok());
    }

    #[test]
    fn password_change_reports_each_field() {
        let e = check_password_change("", "short", "other").unwrap_err();
        assert!(e.get("current").is_some());
        assert!(e.get("new").is_some());
        assert!(e.get("confirm").is_some());
        let e = check_password_change("same-password-1", "same-password-1", "same-password-1").unwrap_err();
        assert!(e.get("new").unwrap().contains("different"));
        assert!(check_password_change("old-password", "new-password-1", "new-password-1").is_ok());
    }

    #[test]
    fn login_input_errors_are_per_field() {
        let e = check_login_input("bad", "").unwrap_err();
        assert!(e.get("email").is_some() && e.get("password").is_some());
        assert_eq!(check_login_input("A@B.CO", "x").unwrap(), "a@b.co");
    }

    #[test]
    fn home_is_first_role_in_priority_order() {
        let u = SessionUser {
            id: "u".into(),
            email: "e@x.io".into(),
            name: "n".into(),
            roles: vec![Role::Mentee, Role::Mentor],
            must_change_password: false,
        };
        assert_eq!(u.home_path(), "/home/mentor");
        assert_eq!(Role::parse("leadership"), Some(Role::Leadership));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn next_path_rejects_open_redirects() {
        assert_eq!(safe_next_path("/home/admin"), Some("/home/admin"));
        assert_eq!(safe_next_path("//evil.com"), None);
        assert_eq!(safe_next_path("https://evil.com"), None);
        assert_eq!(safe_next_path("/\\evil.com"), None);
        assert_eq!(safe_next_path("/\t/evil.com"), None);
        assert_eq!(safe_next_path("/\n/evil.com"), None);
        assert_eq!(safe_next_path("/ /evil.com"), None);
        assert_eq!(safe_next_path("/home/mentee?tab=goals"), Some("/home/mentee?tab=goals"));
    }
}
