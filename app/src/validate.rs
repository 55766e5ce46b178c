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

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian), if it is one.
pub fn day_number(date: &str) -> Option<i64> {
    if !crate::domain::program::types::is_date(date) {
        return None;
    }
    let (y, m, d) = (date[..4].parse::<i64>().ok()?, date[5..7].parse::<i64>().ok()?, date[8..].parse::<i64>().ok()?);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `YYYY-MM-DD` date of a day number (days since 1970-01-01).
pub fn date_of_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
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
