//! Sign-in, sign-out, the current session and password changes.

use leptos::prelude::*;

use crate::domain::auth::types::SessionUser;
use crate::error::AppError;

/// The signed-in user, or `None` for an anonymous visitor. Never an auth error: every page asks.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(async { Ok(Access::optional_user().await?.user) }.await)
}

/// Signs in with email and password; sets the session cookie.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
    use crate::domain::auth::server::{finish, sign_in, Access};
    use crate::domain::auth::types::check_login_input;
    finish(
        async {
            let access = Access::public().await?;
            let email = check_login_input(&email, &password).map_err(AppError::Validation)?;
            sign_in(&access, &email, &password).await
        }
        .await,
    )
}

/// Ends the current session (idempotent) and clears the cookie.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::domain::auth::server::{finish, sign_out, Access};
    finish(
        async {
            let access = Access::optional_user().await?;
            sign_out(&access).await
        }
        .await,
    )
}

/// Changes the caller's password; other sessions of the account are ended.
#[server(prefix = "/api", endpoint = "auth/change-password")]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    use crate::domain::auth::server::{change_own_password, finish, Access};
    use crate::domain::auth::types::check_password_change;
    finish(
        async {
            let access = Access::signed_in().await?;
            check_password_change(&current, &new, &confirm).map_err(AppError::Validation)?;
            change_own_password(&access, &current, &new).await
        }
        .await,
    )
}
