//! `/admin/users`: the admin's list of people, adding people, roles, deactivation, resets.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::auth::RequireRole;
use crate::components::form::{action_error, field_error, row_result, successes, FormAlert, Keyed, TextField};
use crate::components::page::PageHead;
use crate::domain::auth::types::Role;
use crate::domain::people::api::{create_user, list_users, reset_password, set_active, set_outcomes, set_roles};
use crate::domain::people::types::{CreatedUser, NewUserInput, OutcomesInput, UserRow};
use crate::error::AppError;

/// The people page (admins).
#[component]
pub fn AdminUsers() -> impl IntoView {
    view! {
        <Title text="People" />
        <RequireRole role=Role::Admin>
            <AdminUsersBody />
        </RequireRole>
    }
}

/// The "Add a person" form's fields as typed.
#[derive(Clone, Copy)]
struct NewPersonFields {
    email: RwSignal<String>,
    name: RwSignal<String>,
    department: RwSignal<String>,
    title: RwSignal<String>,
    level: RwSignal<String>,
    roles: RwSignal<Vec<Role>>,
}

impl NewPersonFields {
    fn new() -> Self {
        NewPersonFields {
            email: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            department: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            level: RwSignal::new(String::new()),
            roles: RwSignal::new(vec![Role::Mentee]),
        }
    }

    fn input(&self) -> NewUserInput {
        NewUserInput {
            email: self.email.get(),
            name: self.name.get(),
            department: self.department.get(),
            title: self.title.get(),
            level: self.level.get(),
            roles: self.roles.get(),
        }
    }

    fn clear(&self) {
        for s in [self.email, self.name, self.department, self.title, self.level] {
            s.set(String::new());
        }
        self.roles.set(vec![Role::Mentee]);
    }
}

/// The page's actions. A row's changes go through actions all rows share (the result names the
/// person), so the list can reload on their versions.
#[derive(Clone, Copy)]
struct PeopleActions {
    create: Action<NewUserInput, Result<CreatedUser, AppError>>,
    save_roles: Action<(String, Vec<Role>), Keyed<UserRow>>,
    set_active: Action<(String, bool), Keyed<UserRow>>,
    reset: Action<String, Keyed<CreatedUser>>,
    save_outcomes: Action<(String, OutcomesInput), Keyed<UserRow>>,
}

impl PeopleActions {
    /// A new person's and a reset's temporary password go to `issued`, shown once.
    fn new(fields: NewPersonFields, issued: RwSignal<Option<CreatedUser>>) -> Self {
        PeopleActions {
            create: Action::new(move |input: &NewUserInput| {
                let call = create_user(input.clone());
                async move {
                    let created = call.await;
                    if let Ok(c) = &created {
                        issued.set(Some(c.clone()));
                        fields.clear();
                    }
                    created
                }
            }),
            save_roles: Action::new(|(id, roles): &(String, Vec<Role>)| {
                let (key, call) = (id.clone(), set_roles(id.clone(), roles.clone()));
                async move { (key, call.await) }
            }),
            set_active: Action::new(|(id, active): &(String, bool)| {
                let (key, call) = (id.clone(), set_active(id.clone(), *active));
                async move { (key, call.await) }
            }),
            save_outcomes: Action::new(|(id, input): &(String, OutcomesInput)| {
                let (key, call) = (id.clone(), set_outcomes(id.clone(), input.clone()));
                async move { (key, call.await) }
            }),
            reset: Action::new(move |id: &String| {
                let (key, call) = (id.clone(), reset_password(id.clone()));
                async move {
                    let reset = call.await;
                    if let Ok(c) = &reset {
                        issued.set(Some(c.clone()));
                    }
                    (key, reset)
                }
            }),
        }
    }
}

#[component]
fn AdminUsersBody() -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let issued = RwSignal::new(None::<CreatedUser>);
    let fields = NewPersonFields::new();
    let actions = PeopleActions::new(fields, issued);
    // The list reloads after a change succeeds (a reload redraws the rows, closing an editor).
    let changes = [
        successes(actions.create),
        successes(actions.save_roles),
        successes(actions.set_active),
        successes(actions.reset),
        successes(actions.save_outcomes),
    ];
    let users = Resource::new(move || changes.map(|c| c.get()), |_| list_users());

    view! {
        <PageHead eyebrow="Admin" title="People" lead="Add people, set their roles, and manage access.">
            <a class="button" href="/admin/import">
                "Import from CSV"
            </a>
        </PageHead>
        {move || {
            issued
                .get()
                .map(|c| {
                    view! {
                        <div class="alert alert-success credentials" role="status">
                            <p>
                                <strong>{c.user.name.clone()}</strong>
                                " can now sign in as "
                                <code>{c.user.email.clone()}</code>
                                " with the temporary password "
                                <code class="temp-password">{c.temporary_password.clone()}</code>
                                "."
                            </p>
                            <p class="small">
                                "It is shown only once. They will be asked to choose their own password at first sign-in."
                            </p>
                            <button type="button" class="button button-small" on:click=move |_| issued.set(None)>
                                "Done"
                            </button>
                        </div>
                    }
                })
        }}
        <div class="grid-sidebar">
            <section class="panel">
                <div class="panel-head">
                    <h2>"Everyone"</h2>
                    <input
                        class="search"
                        type="search"
                        placeholder="Filter by name, email, department or role"
                        aria-label="Filter people"
                        prop:value=move || filter.get()
                        on:input=move |ev| filter.set(event_target_value(&ev))
                    />
                </div>
                <Transition fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        users
                            .await
                            .map(|list| {
                                let list = StoredValue::new(list);
                                let shown = move || {
                                    let f = filter.get().to_lowercase();
                                    list.get_value()
                                        .into_iter()
                                        .filter(|u| f.is_empty() || matches(u, &f))
                                        .collect::<Vec<_>>()
                                };
                                view! {
                                    <p class="muted small" aria-live="polite">
                                        {move || {
                                            format!("{} of {} people", shown().len(), list.with_value(|l| l.len()))
                                        }}
                                    </p>
                                    <ul class="people">
                                        <For each=shown key=|u| u.clone() let(u)>
                                            <PersonRow u actions />
                                        </For>
                                    </ul>
                                }
                            })
                    })}
                </Transition>
            </section>
            <AddPerson create=actions.create fields />
        </div>
    }
}

fn matches(u: &UserRow, f: &str) -> bool {
    u.name.to_lowercase().contains(f)
        || u.email.contains(f)
        || u.department.to_lowercase().contains(f)
        || u.roles.iter().any(|r| r.as_str().contains(f))
}

#[component]
fn PersonRow(u: UserRow, actions: PeopleActions) -> impl IntoView {
    let editing = RwSignal::new(false);
    let editing_hr = RwSignal::new(false);
    let roles = RwSignal::new(u.roles.clone());
    let save = actions.save_roles;
    let (saved, toggled, reset) = (
        row_result(save, u.id.clone()),
        row_result(actions.set_active, u.id.clone()),
        row_result(actions.reset, u.id.clone()),
    );
    let error = move || {
        [saved(), toggled()].into_iter().flatten().find_map(|r| r.err()).or_else(|| reset().and_then(|r| r.err())).map(
            |e: AppError| match e {
                AppError::Validation(f) => f.0.first().map(|x| x.message.clone()).unwrap_or_default(),
                other => other.to_string(),
            },
        )
    };
    let id = u.id.clone();
    let id2 = u.id.clone();
    let id3 = u.id.clone();
    let active = u.active;
    let details = [u.title.clone(), u.department.clone(), u.level.map(|l| format!("L{l}")).unwrap_or_default()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let role_chips = u.roles.clone();
    let hr_words = u.outcomes.words();
    view! {
        <li class="person" class:inactive=!active>
            <div class="person-main">
                <div>
                    <strong class="person-name">{u.name.clone()}</strong>
                    {(!active).then(|| view! { <span class="badge badge-closed">"deactivated"</span> })}
                    {u
                        .must_change_password
                        .then(|| view! { <span class="badge badge-draft">"not signed in yet"</span> })}
                    <div class="muted small">{u.email.clone()}</div>
                    <div class="muted small">{details}</div>
                    {(!hr_words.is_empty()).then(|| view! { <div class="muted small person-hr">{hr_words}</div> })}
                </div>
                <ul class="chips">
                    {role_chips
                        .into_iter()
                        .map(|r| view! { <li class=format!("chip chip-{}", r.as_str())>{r.label()}</li> })
                        .collect_view()}
                </ul>
            </div>
            <div class="person-actions">
                <button
                    type="button"
                    class="button button-small button-ghost"
                    aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)
                >
                    {move || if editing.get() { "Cancel" } else { "Edit roles" }}
                </button>
                <button
                    type="button"
                    class="button button-small button-ghost"
                    aria-expanded=move || editing_hr.get().to_string()
                    on:click=move |_| editing_hr.update(|e| *e = !*e)
                >
                    {move || if editing_hr.get() { "Close HR outcomes" } else { "HR outcomes" }}
                </button>
                <button
                    type="button"
                    class="button button-small button-ghost"
                    on:click=move |_| {
                        actions.set_active.dispatch((id.clone(), !active));
                    }
                >
                    {if active { "Deactivate" } else { "Reactivate" }}
                </button>
                <button
                    type="button"
                    class="button button-small button-ghost"
                    on:click=move |_| {
                        actions.reset.dispatch(id2.clone());
                    }
                >
                    "New temporary password"
                </button>
            </div>
            <Show when=move || editing.get()>
                <fieldset class="role-editor">
                    <legend>"Roles"</legend>
                    <RoleCheckboxes roles prefix=format!("roles-{}", id3) />
                    <button
                        type="button"
                        class="button button-small button-primary"
                        disabled=move || save.pending().get()
                        on:click={
                            let id = id3.clone();
                            move |_| {
                                save.dispatch((id.clone(), roles.get()));
                            }
                        }
                    >
                        "Save roles"
                    </button>
                </fieldset>
            </Show>
            <Show when=move || editing_hr.get()>
                <HrOutcomes u=u.clone() save=actions.save_outcomes />
            </Show>
            {move || {
                error()
                    .map(|m| {
                        view! {
                            <p class="field-error" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
        </li>
    }
}

/// A person's HR outcomes form: hire date, left on, promoted on, new level; field errors under
/// each (the row redraws, closing the form, once saved).
#[component]
fn HrOutcomes(u: UserRow, save: Action<(String, OutcomesInput), Keyed<UserRow>>) -> impl IntoView {
    let o = &u.outcomes;
    let text = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
    let (hired_on, left_on, promoted_on) = (text(&o.hired_on), text(&o.left_on), text(&o.promoted_on));
    let new_level = RwSignal::new(o.new_level.map(|l| l.to_string()).unwrap_or_default());
    let result = row_result(save, u.id.clone());
    let prefix = format!("hr-{}", u.id);
    let id = u.id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = OutcomesInput {
            hired_on: hired_on.get(),
            left_on: left_on.get(),
            promoted_on: promoted_on.get(),
            new_level: new_level.get(),
        };
        save.dispatch((id.clone(), input));
    };
    let label = format!("HR outcomes of {}", u.name);
    view! {
        <form class="form hr-outcomes" aria-label=label novalidate on:submit=on_submit>
            <FormAlert error=action_error(result) />
            <p class="hint">
                "Leave a field empty if it does not apply. Retrospectives compare mentees' retention and promotion with these."
            </p>
            <div class="hr-grid">
                <TextField
                    label="Hired on"
                    name=format!("{prefix}-hired_on")
                    r#type="date"
                    value=hired_on
                    error=field_error(result, "hired_on")
                />
                <TextField
                    label="Left the organization on"
                    name=format!("{prefix}-left_on")
                    r#type="date"
                    value=left_on
                    error=field_error(result, "left_on")
                />
                <TextField
                    label="Promoted on"
                    name=format!("{prefix}-promoted_on")
                    r#type="date"
                    value=promoted_on
                    error=field_error(result, "promoted_on")
                />
                <TextField
                    label="New level"
                    name=format!("{prefix}-new_level")
                    hint="1 to 10, after that promotion"
                    value=new_level
                    error=field_error(result, "new_level")
                />
            </div>
            <button type="submit" class="button button-small button-primary" disabled=move || save.pending().get()>
                "Save HR outcomes"
            </button>
        </form>
    }
}

/// One checkbox per role, bound to a set of roles.
#[component]
fn RoleCheckboxes(roles: RwSignal<Vec<Role>>, prefix: String) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| {
            let id = format!("{prefix}-{}", r.as_str());
            view! {
                <label class="check" for=id.clone()>
                    <input
                        type="checkbox"
                        id=id.clone()
                        name="roles"
                        value=r.as_str()
                        prop:checked=move || roles.with(|rs| rs.contains(&r))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            roles
                                .update(|rs| {
                                    rs.retain(|x| *x != r);
                                    if on {
                                        rs.push(r);
                                        rs.sort();
                                    }
                                });
                        }
                    />
                    {r.label()}
                </label>
            }
        })
        .collect_view()
}

#[component]
fn AddPerson(create: Action<NewUserInput, Result<CreatedUser, AppError>>, fields: NewPersonFields) -> impl IntoView {
    let NewPersonFields { email, name, department, title, level, roles } = fields;
    let result = move || create.value().get();
    let form_error = action_error(result);
    let roles_error = field_error(result, "roles");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(fields.input());
    };
    view! {
        <section class="panel">
            <h2>"Add a person"</h2>
            <FormAlert error=form_error />
            <form class="form" method="post" novalidate on:submit=on_submit>
                <TextField
                    label="Email"
                    name="email"
                    r#type="email"
                    value=email
                    error=field_error(result, "email")
                    required=true
                />
                <TextField label="Full name" name="name" value=name error=field_error(result, "name") required=true />
                <TextField
                    label="Department"
                    name="department"
                    value=department
                    error=field_error(result, "department")
                />
                <TextField label="Job title" name="title" value=title error=field_error(result, "title") />
                <TextField
                    label="Level"
                    name="level"
                    r#type="text"
                    hint="1 (entry) to 10 (executive)"
                    value=level
                    error=field_error(result, "level")
                />
                <fieldset class="field" class:field-invalid=move || roles_error.get().is_some()>
                    <legend>"Roles"</legend>
                    <div class="checks">
                        <RoleCheckboxes roles prefix="new-role".to_string() />
                    </div>
                    <p class="field-error" role="alert">
                        {move || roles_error.get()}
                    </p>
                </fieldset>
                <button type="submit" class="button button-primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Adding…" } else { "Add person" }}
                </button>
            </form>
        </section>
    }
}
