//! The one error type every server function returns.
//!
//! Expected outcomes a user can act on (bad input, no access, rate limits) are variants with
//! safe, specific messages; anything unexpected is logged on the server and crosses the wire as
//! the generic `Internal`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A message attached to one form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name, as in the DTO (`email`, `password`, …).
    pub field: String,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

/// All field errors of one submitted form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Adds every message of `other` (the first message per field still wins).
    pub fn extend(&mut self, other: FieldErrors) {
        for f in other.0 {
            self.add(&f.field, f.message);
        }
    }

    /// Records a message for `field` (the first message per field wins).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push(FieldError { field: field.to_string(), message: message.into() });
        }
    }

    /// The message for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// True when no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, otherwise `AppError::Validation`.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

/// The error of every server function and service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session.
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// Signed in, but the role or ownership does not allow this.
    #[error("You do not have access to this.")]
    Forbidden,
    /// The account is on a temporary password, which must be replaced before anything else.
    #[error("Please choose your own password first.")]
    PasswordChangeRequired,
    /// The thing does not exist (or the caller may not know it exists).
    #[error("Not found.")]
    NotFound,
    /// Bad input, per field; nothing was changed.
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    /// The change clashes with existing data (e.g. a duplicate email).
    #[error("{message}")]
    Conflict {
        /// The form field the clash is about.
        field: String,
        /// What clashes, in plain words.
        message: String,
    },
    /// Too many attempts; the caller should wait.
    #[error("Too many attempts. Try again in {}.", human_wait(*retry_after_secs))]
    RateLimited {
        /// Seconds until another attempt is allowed.
        retry_after_secs: u64,
    },
    /// The server (or its database) cannot take this request now; it is worth trying again.
    #[error("The server is busy. Please try again in {}.", human_wait(*retry_after_secs))]
    Busy {
        /// Seconds after which another try is likely to work.
        retry_after_secs: u64,
    },
    /// Sign-in failed; deliberately the same for an unknown email and a wrong password.
    #[error("The email or password is not right.")]
    BadCredentials,
    /// Something failed on the server; details are in the server log only.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request did not reach the server or its answer could not be read. The detail (the
    /// browser's words for what failed) is for the console, not the person: the release bundle
    /// formats no debug output, so it may be empty there.
    #[error("Could not reach the server. Check your connection and try again.")]
    Transport(String),
}

fn human_wait(secs: u64) -> String {
    if secs < 90 {
        format!("{secs} seconds")
    } else {
        format!("{} minutes", secs.div_ceil(60))
    }
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        AppError::Validation(errors)
    }

    /// The message for one form field, if this error is about that field.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.get(field).map(str::to_string),
            AppError::Conflict { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict { .. } => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Internal => 500,
            AppError::Busy { .. } => 503,
            AppError::Transport(_) => 502,
        }
    }

    /// Logs an unexpected failure and hides its details from the caller.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl fmt::Display) -> Self {
        tracing::error!(%err, "{context}");
        AppError::Internal
    }
}

/// Server functions answer every error with 500 (`server_fn` knows nothing of our variants); this
/// response mapper gives such an answer the status of the `AppError` it carries, and `Retry-After`
/// for a rate limit. Installed once on the router, so a server function only returns its error
/// (`?` anywhere in its body), and the status is always the error's.
#[cfg(feature = "ssr")]
pub async fn answer_with_error_status(res: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode};
    use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Error bodies are a few hundred bytes of JSON; anything bigger is not ours to reinterpret.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } = err {
            parts.headers.insert(axum::http::header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A database failure is never the caller's business: logged with where it happened, answered
/// as the generic [`AppError::Internal`]. This is what lets services use `?` on queries.
#[cfg(feature = "ssr")]
impl From<surrealdb::Error> for AppError {
    #[track_caller]
    fn from(err: surrealdb::Error) -> Self {
        // Two transactions wrote the same record at the same moment and this one lost: nothing
        // was written, and trying again a moment later succeeds. Not our bug; the caller is told
        // to retry (503 with a retry hint) instead of seeing an internal error.
        if crate::db::is_write_conflict(&err) {
            tracing::info!(%err, "write conflict with a concurrent transaction; asked to retry");
            return AppError::Busy { retry_after_secs: 1 };
        }
        let at = std::panic::Location::caller();
        tracing::error!(%err, %at, "database error");
        AppError::Internal
    }
}

/// A stored document that no longer reads as its type is our bug, not the caller's: logged with
/// where it happened, answered as [`AppError::Internal`].
#[cfg(feature = "ssr")]
impl From<serde_json::Error> for AppError {
    #[track_caller]
    fn from(err: serde_json::Error) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(%err, %at, "stored data could not be read");
        AppError::Internal
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = crate::codec::JsonText;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_first_message_per_field() {
        let mut e = FieldErrors::default();
        e.add("email", "Enter your email.");
        e.add("email", "second");
        e.add("name", "Enter a name.");
        assert_eq!(e.get("email"), Some("Enter your email."));
        assert_eq!(e.0.len(), 2);
        assert!(e.into_result().is_err());
        assert!(FieldErrors::default().into_result().is_ok());
    }

    #[test]
    fn status_codes_follow_http_meaning() {
        assert_eq!(AppError::Unauthenticated.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(AppError::field("x", "y").status_code(), 422);
        assert_eq!(AppError::RateLimited { retry_after_secs: 5 }.status_code(), 429);
        assert_eq!(AppError::Busy { retry_after_secs: 1 }.status_code(), 503);
    }

    #[test]
    fn rate_limit_message_says_how_long() {
        assert!(AppError::RateLimited { retry_after_secs: 30 }.to_string().contains("30 seconds"));
        assert!(AppError::RateLimited { retry_after_secs: 600 }.to_string().contains("10 minutes"));
    }

    #[test]
    fn conflict_message_lands_on_its_field() {
        let e = AppError::Conflict { field: "email".into(), message: "taken".into() };
        assert_eq!(e.field_message("email").as_deref(), Some("taken"));
        assert_eq!(e.field_message("name"), None);
    }
}
