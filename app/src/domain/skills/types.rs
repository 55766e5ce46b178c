//! The organization's catalog of leadership skills.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::validate;

/// One skill in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    /// Record key.
    pub id: String,
    /// Name, unique in the catalog (ignoring case).
    pub name: String,
    /// Grouping, e.g. "Communication".
    pub category: String,
    /// What the skill means here.
    pub description: String,
    /// Archived skills stay on record (programs and goals keep them) but are not offered anew.
    pub archived: bool,
    /// How many programs develop this skill.
    pub programs: i64,
}

/// The add/edit form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillInput {
    /// Name as typed.
    pub name: String,
    /// Category as typed (optional).
    pub category: String,
    /// Description as typed (optional).
    pub description: String,
}

/// A validated skill form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSkill {
    /// Trimmed name.
    pub name: String,
    /// Trimmed category.
    pub category: String,
    /// Trimmed description.
    pub description: String,
}

impl SkillInput {
    /// Checks every field.
    pub fn validate(&self) -> Result<ValidSkill, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = validate::text(&mut errors, "name", "a skill name", &self.name, true, 80);
        let category = validate::text(&mut errors, "category", "a category", &self.category, false, 80);
        let description = multiline(&mut errors, "description", &self.description, 500);
        match (name, category, description) {
            (Some(name), Some(category), Some(description)) if errors.is_empty() => {
                Ok(ValidSkill { name: collapse_spaces(&name), category, description })
            }
            _ => Err(errors),
        }
    }
}

/// Inner runs of spaces in a name are one space ("Giving   feedback" is "Giving feedback").
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key a skill name is unique by (the stored `name_key`): spaces collapsed, lower case.
pub fn name_key(name: &str) -> String {
    collapse_spaces(name).to_lowercase()
}

/// Free text that may span lines: trimmed, at most `max` characters, no control characters
/// other than line breaks and tabs.
pub fn multiline(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    let n = v.chars().count();
    if n > max {
        errors.add(field, format!("Use at most {max} characters (this has {n})."));
        return None;
    }
    if v.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        errors.add(field, "Remove control characters.");
        return None;
    }
    Some(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_collapsed() {
        let s = SkillInput {
            name: "  Giving   feedback ".into(),
            category: "Communication".into(),
            description: "Line one\nLine two".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(s.name, "Giving feedback");
        assert_eq!(s.description, "Line one\nLine two");
    }

    #[test]
    fn bad_input_is_reported_per_field() {
        let e = SkillInput { name: " ".into(), category: "x".repeat(81), description: "y".repeat(10_000) }
            .validate()
            .unwrap_err();
        assert_eq!(e.get("name"), Some("Enter a skill name."));
        assert!(e.get("category").unwrap().contains("80"));
        assert!(e.get("description").unwrap().contains("500"));
    }
}
