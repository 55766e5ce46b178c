//! Small input checks shared by every form, on both sides of the wire.

use crate::error::FieldErrors;

/// Trims `value` and checks it is present (when `required`), at most `max` characters and free of
/// control characters. Returns the trimmed text, or `None` after recording an error.
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
    max: usize,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.add(field, format!("Enter {label}."));
            return None;
        }
        return Some(String::new());
    }
    let n = v.chars().count();
    if n > max {
        errors.add(field, format!("Use at most {max} characters (this has {n})."));
        return None;
    }
    if v.chars().any(|c| c.is_control()) {
        errors.add(field, "Remove line breaks and control characters.");
        return None;
    }
    Some(v.to_string())
}

/// Parses an optional whole number in `min..=max`.
pub fn optional_int(errors: &mut FieldErrors, field: &str, value: &str, min: i64, max: i64) -> Option<Option<i64>> {
    let v = value.trim();
    if v.is_empty() {
        return Some(None);
    }
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(Some(n)),
        Ok(_) => {
            errors.add(field, format!("Enter a whole number from {min} to {max}."));
            None
        }
        Err(_) => {
            errors.add(field, format!("Enter a whole number from {min} to {max}, like {min}."));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        let mut e = FieldErrors::default();
        assert_eq!(text(&mut e, "name", "a name", "  Zoë Ñúñez ", true, 120).as_deref(), Some("Zoë Ñúñez"));
        assert!(e.is_empty());
        assert!(text(&mut e, "name", "a name", "   ", true, 120).is_none());
        assert_eq!(e.get("name"), Some("Enter a name."));
        let mut e = FieldErrors::default();
        assert!(text(&mut e, "t", "x", &"y".repeat(10_000), false, 120).is_none());
        assert!(e.get("t").unwrap().contains("10000"));
        let mut e = FieldErrors::default();
        assert!(text(&mut e, "t", "x", "a\u{0}b", false, 120).is_none());
        assert_eq!(text(&mut e, "o", "x", "", false, 10).as_deref(), Some(""));
    }

    #[test]
    fn int_rules() {
        let mut e = FieldErrors::default();
        assert_eq!(optional_int(&mut e, "level", "", 1, 10), Some(None));
        assert_eq!(optional_int(&mut e, "level", " 4 ", 1, 10), Some(Some(4)));
        assert!(optional_int(&mut e, "level", "11", 1, 10).is_none());
        let mut e = FieldErrors::default();
        assert!(optional_int(&mut e, "level", "4; DROP", 1, 10).is_none());
        assert!(e.get("level").is_some());
    }
}
