//! Sign in with email and password.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::auth::use_auth;
use crate::domain::auth::api::Login as LoginArgs;
use crate::domain::auth::types::safe_next_path;
use crate::error::AppError;

/// The sign-in page.
#[component]
pub fn Login() -> impl IntoView {
    let auth = use_auth();
    let login = auth.login;
    let query = use_query_map();
    let navigate = use_navigate();
    let show_password = RwSignal::new(false);
    let email = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    // A plain form (it posts by itself before the app is interactive, and the server answers
    // that too); once interactive, the app sends it. Not `ActionForm`: its form-data decoding
    // weighs 9 KB in the bundle every page loads first, for two fields.
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |field: NodeRef<leptos::html::Input>| field.get().map(|f| f.value()).unwrap_or_default();
        login.dispatch(LoginArgs { email: value(email), password: value(password) });
    };
    // The sign-in action lives as long as the app; only attempts made on this visit count here
    // (after signing out, the last successful sign-in must not redirect again).
    let seen = login.version().get_untracked();
    let result = move || if login.version().get() > seen { login.value().get() } else { None };

    // After a successful sign-in go where the visitor was heading, else to their home page.
    Effect::new(move |_| {
        if let Some(Ok(user)) = result() {
            let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
            let target = if user.must_change_password {
                "/account?first=1".to_string()
            } else {
                safe_next_path(&next).map(str::to_string).unwrap_or_else(|| user.home_path().to_string())
            };
            navigate(&target, Default::default());
        }
    });

    let email_error = move || match result() {
        Some(Err(e)) => e.field_message("email"),
        _ => None,
    };
    let password_error = move || match result() {
        Some(Err(e)) => e.field_message("password"),
        _ => None,
    };
    let form_error = move || match result() {
        Some(Err(AppError::Validation(_))) | None | Some(Ok(_)) => None,
        Some(Err(e)) => Some(e.to_string()),
    };

    view! {
        <Title text="Sign in" />
        <section class="auth-card">
            <h1>"Sign in"</h1>
            <p class="muted">"Use the email your program admin registered for you."</p>
            {move || {
                form_error()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            <form action=LoginArgs::url() method="post" class="form" novalidate=true on:submit=submit>
                <div class="field" class:field-invalid=move || email_error().is_some()>
                    <label for="login-email">"Email"</label>
                    <input
                        id="login-email"
                        node_ref=email
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        aria-invalid=move || if email_error().is_some() { "true" } else { "false" }
                        aria-describedby="login-email-error"
                    />
                    <p class="field-error" id="login-email-error">
                        {email_error}
                    </p>
                </div>
                <div class="field" class:field-invalid=move || password_error().is_some()>
                    <label for="login-password">"Password"</label>
                    <div class="input-with-button">
                        <input
                            id="login-password"
                            node_ref=password
                            name="password"
                            type=move || if show_password.get() { "text" } else { "password" }
                            autocomplete="current-password"
                            required
                            aria-invalid=move || if password_error().is_some() { "true" } else { "false" }
                            aria-describedby="login-password-error"
                        />
                        <button
                            type="button"
                            class="button button-ghost button-small"
                            aria-pressed=move || show_password.get().to_string()
                            on:click=move |_| show_password.update(|s| *s = !*s)
                        >
                            {move || if show_password.get() { "Hide" } else { "Show" }}
                        </button>
                    </div>
                    <p class="field-error" id="login-password-error">
                        {password_error}
                    </p>
                </div>
                <button type="submit" class="button button-primary button-block" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
            <p class="muted small">"Forgot your password? Ask a program admin to issue a new temporary one."</p>
        </section>
    }
}
