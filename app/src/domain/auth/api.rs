//! Sign-in, sign-out, the current session, and changes to one's own name and password.

use leptos::prelude::*;

use crate::domain::auth::types::SessionUser;
#[cfg(feature = "ssr")]
use crate::domain::auth::{
    server::{change_own_name, change_own_password, sign_in, sign_out, Access},
    types::{check_login_input, check_own_name, check_password_change},
};
use crate::error::AppError;

/// The signed-in user, or `None` for an anonymous visitor. Never an auth error: every page asks.
#[server(prefix = "/api", endpoint = "auth/me", output = crate::codec::Json)]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(Access::optional_user().await?.user)
}

/// Signs in with email and password; sets the session cookie.
#[server(prefix = "/api", endpoint = "auth/login", output = crate::codec::Json)]
pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
    let access = Access::public().await?;
    let email = check_login_input(&email, &password).map_err(AppError::Validation)?;
    sign_in(&access, &email, &password).await
}

/// Ends the current session (idempotent) and clears the cookie.
#[server(prefix = "/api", endpoint = "auth/logout", output = crate::codec::Json)]
pub async fn logout() -> Result<(), AppError> {
    let access = Access::optional_user().await?;
    sign_out(&access).await
}

/// Changes the caller's password; other sessions of the account are ended.
#[server(prefix = "/api", endpoint = "auth/change-password", output = crate::codec::Json)]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    let access = Access::signed_in().await?;
    check_password_change(&current, &new, &confirm).map_err(AppError::Validation)?;
    change_own_password(&access, &current, &new).await
}

/// Changes the caller's own name (as shown to their mentor, mentees and admins).
#[server(prefix = "/api", endpoint = "auth/change-name", output = crate::codec::Json)]
pub async fn change_name(name: String) -> Result<SessionUser, AppError> {
    let access = Access::participant().await?;
    let name = check_own_name(&name).map_err(AppError::Validation)?;
    change_own_name(&access, &name).await
}
