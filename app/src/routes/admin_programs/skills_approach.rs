//! Steps 2 and 3: the leadership skills the program develops (from the catalog) and the mentor's
//! approach with its guide, previewed as it is typed.

use leptos::prelude::*;

use super::fields::{field, Bound, FieldErrors};
use crate::components::markdown::Markdown;
use crate::domain::program::types::{ApproachKind, ProgramDesign};
use crate::domain::skills::api::list_skills;

/// Step 2: the skills the program develops, ticked from the catalog.
#[component]
pub(super) fn SkillsStep(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let catalog = Resource::new(|| (), |_| list_skills(false));
    view! {
        <h2>"Leadership skills this program develops"</h2>
        <p class="muted small">
            "Mentees pick from these when they set goals. Manage the catalog on the "
            <a href="/admin/skills">"Skills"</a>" page."
        </p>
        <p class="field-error" aria-live="polite">
            {move || errors.at("skill_ids").get()}
        </p>
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let skills = match catalog.await {
                    Ok(skills) => skills,
                    Err(e) => {
                        return view! {
                            <div class="alert alert-error" role="alert">
                                {format!("The skills catalog could not be loaded: {e}")}
                            </div>
                        }
                            .into_any();
                    }
                };
                view! {
                    <div class="skill-picker">
                        {skills
                            .into_iter()
                            .map(|s| {
                                let id = s.id.clone();
                                let id2 = s.id.clone();
                                view! {
                                    <label class="check skill-choice">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || design.with(|d| d.skill_ids.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                design
                                                    .update(|d| {
                                                        d.skill_ids.retain(|x| *x != id2);
                                                        if on {
                                                            d.skill_ids.push(id2.clone());
                                                        }
                                                    });
                                            }
                                        />
                                        <span>
                                            <strong>{s.name.clone()}</strong>
                                            <span class="muted small">{format!(" · {}", s.category)}</span>
                                        </span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                }
                    .into_any()
            })}
        </Suspense>
    }
}

/// Step 3: the approach (starter guide included) and the mentor guide with its preview.
#[component]
pub(super) fn ApproachStep(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let (custom, set_custom) = field(design, |d| Some(d.approach_name.clone()), |d, v| d.approach_name = v);
    let (guide, set_guide) = field(design, |d| Some(d.guide.clone()), |d, v| d.guide = v);
    let choose = move |kind: ApproachKind| {
        design.update(|d| {
            // Swap in the new approach's starter guide unless the admin has written their own.
            let untouched = ApproachKind::parse(&d.approach).is_some_and(|old| d.guide == old.default_guide());
            d.approach = kind.as_str().to_string();
            if untouched || d.guide.trim().is_empty() {
                d.guide = kind.default_guide().to_string();
            }
        })
    };
    view! {
        <h2>"The mentor's approach"</h2>
        <div class="choices" role="radiogroup" aria-label="Approach">
            {ApproachKind::ALL
                .into_iter()
                .map(|k| {
                    view! {
                        <label class="check choice">
                            <input
                                type="radio"
                                name="approach"
                                value=k.as_str()
                                prop:checked=move || design.with(|d| d.approach == k.as_str())
                                on:change=move |_| choose(k)
                            />
                            {k.label()}
                        </label>
                    }
                })
                .collect_view()}
        </div>
        <p class="field-error" aria-live="polite">
            {move || errors.at("approach").get()}
        </p>
        <Show when=move || design.with(|d| d.approach == ApproachKind::Custom.as_str())>
            <Bound
                label="Name of your approach"
                id="approach-name"
                value=custom
                set=set_custom
                error=errors.at("approach_name")
            />
        </Show>
        <div class="grid-2">
            <Bound
                label="Mentor guide (Markdown)"
                id="approach-guide"
                multiline=true
                value=guide
                set=set_guide
                error=errors.at("guide")
                hint="Shown to mentors on their home page. Headings (##), lists (-), *emphasis* and **bold**."
            />
            <div class="guide-preview">
                <p class="hint">"Preview"</p>
                <Markdown text=guide />
            </div>
        </div>
    }
}
