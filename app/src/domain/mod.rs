//! One folder per capability: `types` (shared DTOs and validation), `api` (server functions),
//! `server` (SurrealQL and services, server only).

/// Declares a fieldless enum whose stored, wire and URL form is one fixed string per variant
/// (`Variant = "wire"`). serde and, with `ssr`, SurrealDB read and write exactly that string, so
/// stored rows and SurrealQL literals keep working; an unknown string is refused by both. Adds
/// `ALL` (the variants in declaration order), `as_str`, `parse` and `Display` (the stored form).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant,
            )+
        }

        // By hand rather than derived: the derive needs the trait imported where it is used.
        #[cfg(feature = "ssr")]
        impl surrealdb::types::SurrealValue for $name {
            fn kind_of() -> surrealdb::types::Kind {
                <String as surrealdb::types::SurrealValue>::kind_of()
            }

            fn is_value(value: &surrealdb::types::Value) -> bool {
                matches!(value, surrealdb::types::Value::String(s) if Self::parse(s).is_some())
            }

            fn into_value(self) -> surrealdb::types::Value {
                surrealdb::types::Value::String(self.as_str().into())
            }

            fn from_value(value: surrealdb::types::Value) -> Result<Self, surrealdb::types::Error> {
                let s = <String as surrealdb::types::SurrealValue>::from_value(value)?;
                Self::parse(&s).ok_or_else(|| {
                    surrealdb::types::Error::validation(format!("unknown {} {s:?}", stringify!($name)), None)
                })
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// Parses the stored form; `None` for anything else.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod activity;
pub mod assessments;
pub mod auth;
pub mod awards;
pub mod cohort;
pub mod enrollment;
pub mod goals;
pub mod import;
pub mod matching;
pub mod meetings;
pub mod metrics;
pub mod overview;
pub mod pairs;
pub mod people;
pub mod program;
pub mod retro;
pub mod skills;
pub mod surveys;
pub mod workshops;

/// Checks a [`wire_enum!`] type: the stored strings are `expected`, in order; each round-trips
/// through serde; an unknown string (or one in the wrong case) is refused.
#[cfg(test)]
pub(crate) fn assert_wire_strings<T>(all: &[T], as_str: fn(T) -> &'static str, expected: &[&str])
where
    T: Copy + std::fmt::Debug + PartialEq + serde::Serialize + serde::de::DeserializeOwned + DbValue,
{
    let wires: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
    assert_eq!(wires, expected);
    for v in all {
        let json = serde_json::to_value(v).expect("serializes");
        assert_eq!(json, serde_json::Value::String(as_str(*v).to_string()));
        assert_eq!(serde_json::from_value::<T>(json).expect("deserializes"), *v);
    }
    for bad in ["bogus".to_string(), expected[0].to_uppercase(), String::new()] {
        assert!(serde_json::from_value::<T>(serde_json::Value::String(bad.clone())).is_err(), "{bad} accepted");
    }
    #[cfg(feature = "ssr")]
    assert_db_strings(all, as_str);
}

/// The same through SurrealDB's value mapping, which reads the rows.
#[cfg(all(test, feature = "ssr"))]
fn assert_db_strings<T>(all: &[T], as_str: fn(T) -> &'static str)
where
    T: Copy + std::fmt::Debug + PartialEq + surrealdb::types::SurrealValue,
{
    use surrealdb::types::Value;
    for v in all {
        assert_eq!(v.into_value(), Value::String(as_str(*v).into()));
        assert_eq!(T::from_value(Value::String(as_str(*v).into())).expect("reads back"), *v);
    }
    assert!(T::from_value(Value::String("bogus".into())).is_err());
}

/// With `ssr`, what the database mapping needs; nothing without it.
#[cfg(all(test, feature = "ssr"))]
pub(crate) trait DbValue: surrealdb::types::SurrealValue {}
#[cfg(all(test, feature = "ssr"))]
impl<T: surrealdb::types::SurrealValue> DbValue for T {}
/// With `ssr`, what the database mapping needs; nothing without it.
#[cfg(all(test, not(feature = "ssr")))]
pub(crate) trait DbValue {}
#[cfg(all(test, not(feature = "ssr")))]
impl<T> DbValue for T {}
