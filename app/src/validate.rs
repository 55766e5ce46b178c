//! Small input checks shared by every form, on both sides of the wire.

use time::macros::date;
use time::{Date, Month};

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

/// The day number 0 (the Unix epoch) as a Julian day.
const EPOCH: i32 = date!(1970 - 01 - 01).to_julian_day();

/// The date written `s`, read strictly: `YYYY-MM-DD` with a four-digit year from 2000 to 2100 and
/// a day that exists. No sign, space, other width or trailing text is taken (a date that passed
/// here once reached the database as `2027-12-+1`).
pub fn date(s: &str) -> Option<Date> {
    // The shape is checked here, the calendar by `time`. Its `Date::parse` (the `parsing`
    // feature: a format interpreter) measured +21.3 KB raw, +7.4 KB brotli on the shipped wasm
    // (after wasm-opt; 1.12 MB brotli in all), for ten bytes of shape, and takes `+2027` anyway.
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !shape {
        return None;
    }
    // Digits only, so no sign can reach `parse`.
    let number = |at: std::ops::Range<usize>| s[at].parse::<u16>().ok();
    let month = Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
    let day = u8::try_from(number(8..10)?).ok()?;
    Date::from_calendar_date(i32::from(number(0..4)?), month, day).ok().filter(|d| (2000..=2100).contains(&d.year()))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (as [`date`] reads it), if it is one.
pub fn day_number(date: &str) -> Option<i64> {
    self::date(date).map(|d| i64::from(d.to_julian_day() - EPOCH))
}

/// Seconds since 1970-01-01 UTC, now (on the server: the browser has no `SystemTime`).
#[cfg(not(target_arch = "wasm32"))]
pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The `YYYY-MM-DD` date of a day number (days since 1970-01-01); saturates at the years ±9999
/// that `time` counts, far from any day the app meets.
pub fn date_of_day(days: i64) -> String {
    let julian = days.saturating_add(i64::from(EPOCH));
    let d = i32::try_from(julian).ok().and_then(|j| Date::from_julian_day(j).ok()).unwrap_or(if julian < 0 {
        Date::MIN
    } else {
        Date::MAX
    });
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
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

    #[test]
    fn dates_are_read_strictly() {
        for ok in ["2027-01-01", "2028-02-29", "2000-01-01", "2100-12-31"] {
            assert!(date(ok).is_some(), "{ok}");
        }
        for bad in [
            "2027-12-+1",
            "2027-+1-01",
            "+2027-01-01",
            "-2027-01-01",
            "2027-1-01",
            "2027-01-1",
            "27-01-01",
            "02027-01-01",
            "2027-02-30",
            "2027-02-29",
            "2027-13-01",
            "2027-00-10",
            "2027-01-00",
            " 2027-01-01",
            "2027-01-01 ",
            "2027-01-01T00:00:00Z",
            "2027/01/01",
            "1999-12-31",
            "2101-01-01",
            "",
        ] {
            assert_eq!(date(bad), None, "{bad:?}");
            assert_eq!(day_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(day_number("2000-01-01"), Some(10_957));
        assert_eq!(day_number("2028-03-01").unwrap() - day_number("2028-02-28").unwrap(), 2);
        assert_eq!(day_number("2027-03-01").unwrap() - day_number("2027-02-28").unwrap(), 1);
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(-1), "1969-12-31");
        assert_eq!(date_of_day(10_957), "2000-01-01");
        for d in ["2000-01-01", "2024-02-29", "2027-12-31", "2100-12-31"] {
            assert_eq!(date_of_day(day_number(d).unwrap()), d);
        }
        assert_eq!(date_of_day(i64::MAX), "9999-12-31");
        assert_eq!(date_of_day(i64::MIN), "-9999-01-01");
    }
}
