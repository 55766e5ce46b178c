//! `/admin/skills`: the organization's leadership skills catalog (admins).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::auth::RequireRole;
use crate::components::form::{
    action_error, field_error, row_result, successes, FormAlert, Keyed, TextArea, TextField,
};
use crate::components::page::PageHead;
use crate::domain::auth::types::Role;
use crate::domain::skills::api::{create_skill, list_skills, set_skill_archived, update_skill};
use crate::domain::skills::types::{Skill, SkillInput};
use crate::error::AppError;

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

/// A skill's three fields as typed.
#[derive(Clone, Copy)]
struct SkillFields {
    name: RwSignal<String>,
    category: RwSignal<String>,
    description: RwSignal<String>,
}

impl SkillFields {
    fn new(name: &str, category: &str, description: &str) -> Self {
        SkillFields {
            name: RwSignal::new(name.to_string()),
            category: RwSignal::new(category.to_string()),
            description: RwSignal::new(description.to_string()),
        }
    }

    fn input(&self) -> SkillInput {
        SkillInput { name: self.name.get(), category: self.category.get(), description: self.description.get() }
    }

    fn clear(&self) {
        for s in [self.name, self.category, self.description] {
            s.set(String::new());
        }
    }
}

/// The page's actions: each row's edit and archive go through one shared action (the result
/// names the skill), so the list can reload on their versions.
#[derive(Clone, Copy)]
struct SkillActions {
    save: Action<(String, SkillInput), Keyed<Skill>>,
    archive: Action<(String, bool), Keyed<Skill>>,
}

#[component]
fn AdminSkillsBody() -> impl IntoView {
    let show_archived = RwSignal::new(false);
    let new_skill = SkillFields::new("", "", "");
    let create = Action::new(move |input: &SkillInput| {
        let call = create_skill(input.clone());
        async move {
            let created = call.await;
            if created.is_ok() {
                new_skill.clear();
            }
            created
        }
    });
    let actions = SkillActions {
        save: Action::new(|(id, input): &(String, SkillInput)| {
            let (key, call) = (id.clone(), update_skill(id.clone(), input.clone()));
            async move { (key, call.await) }
        }),
        archive: Action::new(|(id, archived): &(String, bool)| {
            let (key, call) = (id.clone(), set_skill_archived(id.clone(), *archived));
            async move { (key, call.await) }
        }),
    };
    // The list reloads after a change succeeds (a reload redraws the rows, closing an editor).
    let (created, saved, archived) = (successes(create), successes(actions.save), successes(actions.archive));
    let skills = Resource::new(
        move || (created.get(), saved.get(), archived.get(), show_archived.get()),
        |(.., archived)| list_skills(archived),
    );
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
                                                                .map(|s| view! { <SkillRow s actions /> })
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
            <SkillForm create fields=new_skill />
        </div>
    }
}

#[component]
fn SkillRow(s: Skill, actions: SkillActions) -> impl IntoView {
    let editing = RwSignal::new(false);
    let fields = SkillFields::new(&s.name, &s.category, &s.description);
    let SkillFields { name, category, description } = fields;
    let id = StoredValue::new(s.id.clone());
    let result = row_result(actions.save, s.id.clone());
    let archive_result = row_result(actions.archive, s.id.clone());
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
                                            actions.archive.dispatch((id.get_value(), !archived));
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
                        actions.save.dispatch((id.get_value(), fields.input()));
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
                archive_result()
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
fn SkillForm(create: Action<SkillInput, Result<Skill, AppError>>, fields: SkillFields) -> impl IntoView {
    let SkillFields { name, category, description } = fields;
    let result = move || create.value().get();
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
                    create.dispatch(fields.input());
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
