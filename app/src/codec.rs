//! The wire format of every server function's result: JSON, as server_fn's `Json`, but read in
//! the browser as text (`serde_json::from_str`) rather than as bytes.
//!
//! A resource reads the same types from the HTML the server rendered, and that path (Leptos'
//! `JsonSerdeCodec`) reads text. With server_fn's `from_slice` beside it, the browser bundle held
//! two copies of the deserializer of every type a page loads, one per reader. One reader for both
//! takes a copy out (README, "Release size").

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON read as text; use [`Json`] as a server function's `output`. Also the encoding of
/// [`crate::error::AppError`], which a failed call returns.
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        // The server writes UTF-8 JSON; anything else is replaced and then fails as JSON.
        serde_json::from_str(&String::from_utf8_lossy(&bytes))
    }
}

/// A server function's result as JSON in the body of a `POST` response, read as text:
/// `#[server(..., output = crate::codec::Json)]`.
pub type Json = Post<JsonText>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Panel {
        title: String,
        count: u32,
    }

    #[test]
    fn reads_back_what_it_writes() {
        let panel = Panel { title: "Goals — ünïcode".into(), count: 3 };
        let bytes = <JsonText as Encodes<Panel>>::encode(&panel).unwrap();
        assert_eq!(<JsonText as Decodes<Panel>>::decode(bytes).unwrap(), panel);
    }

    #[test]
    fn refuses_what_is_not_its_json() {
        let bad = Bytes::from_static(b"{\"title\": \"x\", \"count\": -1}");
        assert!(<JsonText as Decodes<Panel>>::decode(bad).is_err());
        let not_utf8 = Bytes::from_static(b"{\"title\": \"\xff\", \"count\": 1}");
        let read = <JsonText as Decodes<Panel>>::decode(not_utf8).unwrap();
        assert_eq!(read.title, "\u{fffd}", "invalid UTF-8 is replaced, never read as bytes");
    }
}
