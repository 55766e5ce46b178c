//! Step 1, "Objectives": the program's name and purpose, and its SMART objectives, each optionally
//! bound to a metric the dashboards compute.

use leptos::prelude::*;

use super::fields::{field, item_field, Bound, FieldErrors};
use crate::domain::program::types::{Metric, Objective, ProgramDesign};

/// Step 1: name, purpose and the list of objectives.
#[component]
pub(super) fn ObjectivesStep(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let (name, set_name) = field(design, |d| Some(d.name.clone()), |d, v| d.name = v);
    let (purpose, set_purpose) = field(design, |d| Some(d.purpose.clone()), |d, v| d.purpose = v);
    let count = Memo::new(move |_| design.with(|d| d.objectives.len()));
    view! {
        <h2>"Why the program exists"</h2>
        <Bound label="Program name" id="program-name" value=name set=set_name error=errors.at("name") />
        <Bound
            label="Purpose"
            id="program-purpose"
            multiline=true
            value=purpose
            set=set_purpose
            error=errors.at("purpose")
            hint="Why the program exists and what success means to participants."
        />
        <h2>"SMART objectives"</h2>
        <p class="muted small">
            "Each objective is Specific, Measurable, Achievable, Relevant and Time-bound, and can be bound to a metric the dashboards compute."
        </p>
        {move || (0..count.get()).map(|i| view! { <ObjectiveEditor design i errors /> }).collect_view()}
        <p class="field-error" aria-live="polite">
            {move || errors.at("objectives").get()}
        </p>
        <button
            type="button"
            class="button"
            on:click=move |_| design.update(|d| d.objectives.push(Objective::default()))
        >
            "Add objective"
        </button>
    }
}

/// One objective: its statement, the five SMART answers, a metric and a target.
#[component]
fn ObjectiveEditor(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The objective's index.
    i: usize,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let (statement, set_statement) = item_field!(design, objectives[i].statement);
    let (specific, set_specific) = item_field!(design, objectives[i].specific);
    let (measurable, set_measurable) = item_field!(design, objectives[i].measurable);
    let (achievable, set_achievable) = item_field!(design, objectives[i].achievable);
    let (relevant, set_relevant) = item_field!(design, objectives[i].relevant);
    let (time_bound, set_time_bound) = item_field!(design, objectives[i].time_bound);
    let (metric, set_metric) = item_field!(design, objectives[i].metric);
    let (target, set_target) = item_field!(design, objectives[i].target);
    let e = move |f: &str| errors.at(format!("objectives.{i}.{f}"));
    view! {
        <fieldset class="objective">
            <legend>{format!("Objective {}", i + 1)}</legend>
            <Bound
                label="Objective"
                id=format!("obj-{i}-statement")
                value=statement
                set=set_statement
                error=e("statement")
            />
            <div class="grid-2">
                <Bound
                    label="Specific: what exactly will change"
                    id=format!("obj-{i}-specific")
                    value=specific
                    set=set_specific
                    error=e("specific")
                />
                <Bound
                    label="Measurable: how you will know"
                    id=format!("obj-{i}-measurable")
                    value=measurable
                    set=set_measurable
                    error=e("measurable")
                    hint="Add a number or a yes/no test."
                />
                <Bound
                    label="Achievable: resources and obstacles"
                    id=format!("obj-{i}-achievable")
                    value=achievable
                    set=set_achievable
                    error=e("achievable")
                />
                <Bound
                    label="Relevant: why it matters"
                    id=format!("obj-{i}-relevant")
                    value=relevant
                    set=set_relevant
                    error=e("relevant")
                />
                <Bound
                    label="Time-bound: met by"
                    id=format!("obj-{i}-time")
                    r#type="date"
                    value=time_bound
                    set=set_time_bound
                    error=e("time_bound")
                />
                <div class="field" class:field-invalid=move || e("metric").get().is_some()>
                    <label for=format!("obj-{i}-metric")>"Dashboard metric"</label>
                    <select
                        id=format!("obj-{i}-metric")
                        prop:value=move || metric.get()
                        on:change=move |ev| set_metric.run(event_target_value(&ev))
                    >
                        <option value="">"None"</option>
                        {Metric::ALL
                            .into_iter()
                            .map(|m| view! { <option value=m.as_str()>{m.label()}</option> })
                            .collect_view()}
                    </select>
                    <p class="field-error" aria-live="polite">
                        {move || e("metric").get()}
                    </p>
                </div>
                <Bound label="Target" id=format!("obj-{i}-target") value=target set=set_target error=e("target") />
            </div>
            <button
                type="button"
                class="button button-small button-ghost"
                on:click=move |_| {
                    design
                        .update(|d| {
                            if i < d.objectives.len() {
                                d.objectives.remove(i);
                            }
                        })
                }
            >
                "Remove objective"
            </button>
        </fieldset>
    }
}
