//! A value made once and sent many times: its JSON is written when it is made and copied into
//! every answer after that. A kept dashboard is read by many people at once, and cloning and
//! serializing it for each of them was most of a request's work. The browser reads the JSON back
//! into the value with [`Prepared::value`].

use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// `T` as JSON, written once.
pub struct Prepared<T> {
    raw: Arc<RawValue>,
    of: PhantomData<fn() -> T>,
}

impl<T> Clone for Prepared<T> {
    fn clone(&self) -> Self {
        Prepared { raw: self.raw.clone(), of: PhantomData }
    }
}

impl<T> std::fmt::Debug for Prepared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prepared({} bytes of JSON)", self.raw.get().len())
    }
}

impl<T: Serialize> Prepared<T> {
    /// Writes `value`'s JSON.
    pub fn new(value: &T) -> Result<Self, serde_json::Error> {
        Ok(Prepared { raw: Arc::from(serde_json::value::to_raw_value(value)?), of: PhantomData })
    }
}

impl<T: DeserializeOwned> Prepared<T> {
    /// The value, read back from its JSON.
    pub fn value(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.raw.get())
    }
}

impl<T> Prepared<T> {
    /// The JSON's length in bytes.
    pub fn len(&self) -> usize {
        self.raw.get().len()
    }

    /// Whether the JSON is empty (never, for a value that was written).
    pub fn is_empty(&self) -> bool {
        self.raw.get().is_empty()
    }
}

impl<T> Serialize for Prepared<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // serde_json copies the text as it is; other formats see a string.
        self.raw.serialize(s)
    }
}

impl<'de, T> Deserialize<'de> for Prepared<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        Ok(Prepared { raw: Arc::from(raw), of: PhantomData })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Figures {
        name: String,
        values: Vec<f64>,
    }

    #[test]
    fn the_json_is_written_once_and_read_back_as_the_value() {
        let f = Figures { name: "Zoë \"Ñ\"".into(), values: vec![1.5, -2.0] };
        let p = Prepared::new(&f).unwrap();
        // Inside another value (a server function's answer), the text is copied as it is.
        let wire = serde_json::to_string(&vec![p.clone(), p.clone()]).unwrap();
        assert_eq!(wire, format!("[{0},{0}]", serde_json::to_string(&f).unwrap()));
        let back: Vec<Prepared<Figures>> = serde_json::from_str(&wire).unwrap();
        assert_eq!(back[1].value().unwrap(), f);
        assert_eq!(p.len(), serde_json::to_string(&f).unwrap().len());
    }
}
