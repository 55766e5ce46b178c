//! The signed-in user's account: who they are, their own name, and a password change.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::auth::{use_auth, RequireRole};
use crate::components::form::{action_error, field_error, FormAlert, TextField};
use crate::components::page::PageHead;
use crate::domain::auth::api::{ChangeName, ChangePassword};
use crate::domain::auth::types::PASSWORD_HINT;

/// The password form's state. It lives outside the role guard, which re-renders the page when the
/// session is refetched after a change; the outcome must survive that.
#[derive(Clone, Copy)]
struct PasswordForm {
    current: RwSignal<String>,
    new: RwSignal<String>,
    confirm: RwSignal<String>,
    change: ServerAction<ChangePassword>,
    /// Renaming oneself; lives here for the same reason.
    rename: ServerAction<ChangeName>,
}

/// `/account`.
#[component]
pub fn Account() -> impl IntoView {
    let auth = use_auth();
    let form = PasswordForm {
        current: RwSignal::new(String::new()),
        new: RwSignal::new(String::new()),
        confirm: RwSignal::new(String::new()),
        change: ServerAction::<ChangePassword>::new(),
        rename: ServerAction::<ChangeName>::new(),
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = form.rename.value().get() {
            // The header and every page show the new name.
            auth.user.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = form.change.value().get() {
            form.current.set(String::new());
            form.new.set(String::new());
            form.confirm.set(String::new());
            // The session no longer carries the temporary-password flag.
            auth.user.refetch();
        }
    });
    view! {
        <Title text="Your account" />
        <RequireRole>
            <AccountBody form />
        </RequireRole>
    }
}

#[component]
fn AccountBody(form: PasswordForm) -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let first = move || query.with(|q| q.get("first").is_some());
    let PasswordForm { current, new, confirm, change, rename } = form;
    let result = move || change.value().get();
    let changed = move || matches!(result(), Some(Ok(())));
    let form_error = action_error(result);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangePassword { current: current.get(), new: new.get(), confirm: confirm.get() });
    };
    view! {
        <PageHead eyebrow="Account" title="Your account" />
        <Show when=move || first() && !changed()>
            <div class="alert alert-info" role="status">
                "Welcome! Please replace the temporary password you were given."
            </div>
        </Show>
        <div class="grid-2">
            <section class="panel">
                <h2>"Profile"</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        auth.user
                            .await
                            .ok()
                            .flatten()
                            .map(|u| {
                                view! {
                                    <NameForm initial=u.name.clone() rename />
                                    <dl class="facts">
                                        <dt>"Email"</dt>
                                        <dd>{u.email.clone()}</dd>
                                        <dt>"Roles"</dt>
                                        <dd>
                                            <ul class="chips">
                                                {u
                                                    .roles
                                                    .iter()
                                                    .map(|r| view! { <li class="chip">{r.label()}</li> })
                                                    .collect_view()}
                                            </ul>
                                        </dd>
                                    </dl>
                                }
                            })
                    })}
                </Suspense>
            </section>
            <section class="panel">
                <h2>"Change password"</h2>
                <Show when=changed>
                    <div class="alert alert-success" role="status">
                        "Password changed. Other devices were signed out."
                    </div>
                </Show>
                <FormAlert error=form_error />
                <form class="form" method="post" novalidate on:submit=on_submit>
                    <TextField
                        label="Current password"
                        name="current"
                        r#type="password"
                        autocomplete="current-password"
                        value=current
                        error=field_error(result, "current")
                        required=true
                    />
                    <TextField
                        label="New password"
                        name="new"
                        r#type="password"
                        autocomplete="new-password"
                        hint=PASSWORD_HINT
                        value=new
                        error=field_error(result, "new")
                        required=true
                    />
                    <TextField
                        label="Repeat new password"
                        name="confirm"
                        r#type="password"
                        autocomplete="new-password"
                        value=confirm
                        error=field_error(result, "confirm")
                        required=true
                    />
                    <button type="submit" class="button button-primary" disabled=move || change.pending().get()>
                        {move || if change.pending().get() { "Saving…" } else { "Change password" }}
                    </button>
                </form>
            </section>
        </div>
    }
}

/// The caller's own name, editable.
#[component]
fn NameForm(
    /// The name as stored.
    initial: String,
    /// The rename action (owned by the page, so its outcome outlives a re-render).
    rename: ServerAction<ChangeName>,
) -> impl IntoView {
    let name = RwSignal::new(initial);
    let result = move || rename.value().get();
    let saved = move || matches!(result(), Some(Ok(_)));
    view! {
        <form
            class="form"
            method="post"
            novalidate
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                rename
                    .dispatch(ChangeName {
                        name: name.get_untracked(),
                    });
            }
        >
            <TextField
                label="Name"
                name="name"
                autocomplete="name"
                value=name
                error=field_error(result, "name")
                required=true
            />
            <Show when=saved>
                <p class="alert alert-success" role="status">
                    "Name saved."
                </p>
            </Show>
            <button type="submit" class="button" disabled=move || rename.pending().get()>
                {move || if rename.pending().get() { "Saving…" } else { "Save name" }}
            </button>
        </form>
    }
}
