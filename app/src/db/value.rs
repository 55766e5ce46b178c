//! Reading fields of a record as SurrealDB hands it over untyped: live-query notifications and
//! rows decoded by hand. One place for what a stored field looks like (a record id's string key,
//! a string, an integer, a datetime's day); anything else reads as `None`.

use surrealdb::types::{Number, RecordIdKey, Value};

/// The string key of a record id (`user:abc` → `abc`).
pub fn record_key(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::RecordId(r) => match &r.key {
            RecordIdKey::String(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A string.
pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// An integer that fits `T`.
pub fn int<T: TryFrom<i64>>(v: Option<&Value>) -> Option<T> {
    match v? {
        Value::Number(Number::Int(i)) => T::try_from(*i).ok(),
        _ => None,
    }
}

/// The day (days since 1970-01-01, UTC) of a datetime.
pub fn day(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Datetime(d) => Some(d.timestamp().div_euclid(86_400)),
        _ => None,
    }
}

/// A field of an object.
pub fn field<'a>(record: &'a Value, name: &str) -> Option<&'a Value> {
    match record {
        Value::Object(o) => o.get(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_the_wrong_kind_read_as_none() {
        let s = Value::String("x".into());
        let n = Value::Number(Number::Int(300));
        assert_eq!(text(Some(&s)), Some("x".to_string()));
        assert_eq!(text(Some(&n)), None);
        assert_eq!(int::<i64>(Some(&n)), Some(300));
        assert_eq!(int::<u8>(Some(&n)), None, "300 does not fit a u8");
        assert_eq!(int::<i64>(Some(&s)), None);
        assert_eq!(record_key(Some(&s)), None);
        assert_eq!(day(None), None);
        assert_eq!(field(&s, "id"), None);
    }
}
