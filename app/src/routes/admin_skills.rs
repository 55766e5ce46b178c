//! `/admin/skills`: the organization's leadership skills catalog (admins).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::auth::RequireRole;
use crate::components::form::{action_error, field_error, FormAlert, TextArea, TextField};
use crate::components::page::PageHead;
use crate::domain::auth::types::Role;
use crate::domain::skills::api::{create_skill, list_skills, set_skill_archived, update_skill};
use crate::domain::skills::types::{Skill, SkillInput};

/// The skills catalog page.
#[component]
pub fn AdminSkills() -> impl IntoView {
    view! {
        <Title text="Skills catalog" />
        <RequireRole role=Role::Admin>
            <AdminSkillsBody />
        </RequireRole>
    }
}

#[component]
fn AdminSkillsBody() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let show_archived = RwSignal::new(false);
    let skills = Resource::new(move || (changed.get(), show_archived.get()), |(_, archived)| list_skills(archived));
    view! {
        <PageHead
            eyebrow="Admin"
            title="Skills catalog"
            lead="The leadership skills your programs develop. Archived skills stay on record for past programs and goals."
        />
        <div class="grid-sidebar">
            <section class="panel">
                <div class="panel-head">
                    <h2>"Skills"</h2>
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || show_archived.get()
                            on:change=move |ev| show_archived.set(event_target_checked(&ev))
                        />
                        "Show archived"
                    </label>
                </div>
                <Transition fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        skills
                            .await
                            .map(|list| {
                                if list.is_empty() {
                                    return view! { <p class="empty">"No skills yet. Add the first one."</p> }
                                        .into_any();
                                }
                                let mut groups: Vec<(String, Vec<Skill>)> = Vec::new();
                                for s in list {
                                    let cat = if s.archived {
                                        "Archived".to_string()
                                    } else if s.category.is_empty() {
                                        "Uncategorised".to_string()
                                    } else {
                                        s.category.clone()
                                    };
                                    match groups.iter_mut().find(|(c, _)| *c == cat) {
                                        Some((_, v)) => v.push(s),
                                        None => groups.push((cat, vec![s])),
                                    }
                                }
                                view! {
                                    <div class="skill-groups">
                                        {groups
                                            .into_iter()
                                            .map(|(cat, skills)| {
                                                let heading = cat.clone();
                                                view! {
                                                    <section class="skill-group" aria-label=cat>
                                                        <h3>{heading}</h3>
                                                        <ul class="skills">
                                                            {skills
                                                                .into_iter()
                                                                .map(|s| view! { <SkillRow s changed /> })
                                                                .collect_view()}
                                                        </ul>
                                                    </section>
                                                }
                                            })
                                            .collect_view()}
                                    </div>
                                }
                                    .into_any()
                            })
                    })}
                </Transition>
            </section>
            <SkillForm changed />
        </div>
    }
}

#[component]
fn SkillRow(s: Skill, changed: RwSignal<u32>) -> impl IntoView {
    let editing = RwSignal::new(false);
    let name = RwSignal::new(s.name.clone());
    let category = RwSignal::new(s.category.clone());
    let description = RwSignal::new(s.description.clone());
    let id = StoredValue::new(s.id.clone());
    let save = Action::new(move |input: &SkillInput| update_skill(id.get_value(), input.clone()));
    let archive = Action::new(move |archived: &bool| set_skill_archived(id.get_value(), *archived));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(false);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = archive.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let result = move || save.value().get();
    let archived = s.archived;
    let used = match s.programs {
        0 => "not used by a program yet".to_string(),
        1 => "used by 1 program".to_string(),
        n => format!("used by {n} programs"),
    };
    let label = s.name.clone();
    view! {
        <li class="skill" class:inactive=archived>
            <Show
                when=move || editing.get()
                fallback={
                    let s = s.clone();
                    let used = used.clone();
                    let label = label.clone();
                    move || {
                        let label = label.clone();
                        view! {
                            <div class="skill-main">
                                <div>
                                    <strong class="skill-name">{s.name.clone()}</strong>
                                    <p class="muted small">{s.description.clone()}</p>
                                    <p class="muted small">{used.clone()}</p>
                                </div>
                                <div class="person-actions">
                                    <button
                                        type="button"
                                        class="button button-small button-ghost"
                                        aria-label=format!("Edit {label}")
                                        on:click=move |_| editing.set(true)
                                    >
                                        "Edit"
                                    </button>
                                    <button
                                        type="button"
                                        class="button button-small button-ghost"
                                        aria-label=format!("{} {}", if archived { "Restore" } else { "Archive" }, label)
                                        on:click=move |_| {
                                            archive.dispatch(!archived);
                                        }
                                    >
                                        {if archived { "Restore" } else { "Archive" }}
                                    </button>
                                </div>
                            </div>
                        }
                    }
                }
            >
                <form
                    class="form"
                    method="post"
                    novalidate
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        save.dispatch(SkillInput {
                            name: name.get(),
                            category: category.get(),
                            description: description.get(),
                        });
                    }
                >
                    <FormAlert error=action_error(result) />
                    <TextField
                        label="Skill name"
                        name=format!("edit-name-{}", id.get_value())
                        value=name
                        error=field_error(result, "name")
                        required=true
                    />
                    <TextField
                        label="Category"
                        name=format!("edit-category-{}", id.get_value())
                        value=category
                        error=field_error(result, "category")
                    />
                    <TextArea
                        label="Description"
                        name=format!("edit-description-{}", id.get_value())
                        value=description
                        error=field_error(result, "description")
                    />
                    <div class="person-actions">
                        <button type="submit" class="button button-small button-primary">
                            "Save"
                        </button>
                        <button
                            type="button"
                            class="button button-small button-ghost"
                            on:click=move |_| editing.set(false)
                        >
                            "Cancel"
                        </button>
                    </div>
                </form>
            </Show>
            {move || {
                archive
                    .value()
                    .get()
                    .and_then(|r| r.err())
                    .map(|e| {
                        view! {
                            <p class="field-error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
        </li>
    }
}

#[component]
fn SkillForm(changed: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let create = Action::new(|input: &SkillInput| create_skill(input.clone()));
    let result = move || create.value().get();
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            changed.update(|n| *n += 1);
            for s in [name, category, description] {
                s.set(String::new());
            }
        }
    });
    let form_error = action_error(result);
    view! {
        <section class="panel">
            <h2>"Add a skill"</h2>
            {move || match result() {
                Some(Ok(s)) => {
                    Some(
                        view! {
                            <div class="alert alert-success" role="status">
                                {format!("Added “{}”.", s.name)}
                            </div>
                        },
                    )
                }
                _ => None,
            }}
            <FormAlert error=form_error />
            <form
                class="form"
                method="post"
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    create
                        .dispatch(SkillInput {
                            name: name.get(),
                            category: category.get(),
                            description: description.get(),
                        });
                }
            >
                <TextField label="Skill name" name="name" value=name error=field_error(result, "name") required=true />
                <TextField
                    label="Category"
                    name="category"
                    hint="For example Communication or Direction"
                    value=category
                    error=field_error(result, "category")
                />
                <TextArea
                    label="Description"
                    name="description"
                    value=description
                    error=field_error(result, "description")
                />
                <button type="submit" class="button button-primary" disabled=move || create.pending().get()>
                    "Add skill"
                </button>
            </form>
        </section>
    }
}
