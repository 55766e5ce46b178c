//! Skill growth on a pair's page: per program skill, the mentee's self-rating and the mentor's
//! rating before → after and the change, as a table with small bars (no chart library), and a
//! link to the assessment form. The pair sees what the blind-rating rule lets them see; admins
//! see everything.

use leptos::prelude::*;

use crate::components::page::LoadFailed;
use crate::domain::assessments::api::load_assessment;
use crate::domain::assessments::types::{AssessmentPage, GrowthRow, Phase, Rater, WindowStatus, LEVEL_MAX};
use crate::domain::matching::types::Viewer;
use crate::error::AppError;

/// The pair page's panel: loads the pair's assessments itself, once the page has hydrated.
///
/// Server-side rendering: the panel renders as "Loading…". It sits inside the pair page's
/// suspended view, where a resource made while rendering on the server would not hydrate (see
/// `routes/admin_cohort.rs`), and the pair page's own data is not this panel's to extend.
#[component]
pub fn SkillGrowth(
    /// The pairing's key.
    #[prop(into)]
    pairing_id: String,
) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<AssessmentPage, AppError>>);
    let id = StoredValue::new(pairing_id);
    Effect::new(move |_| {
        let id = id.get_value();
        leptos::task::spawn_local(async move { loaded.set(Some(load_assessment(id).await)) });
    });
    move || match loaded.get() {
        None => view! {
            <section class="panel" aria-label="Skill growth">
                <h2>"Skill growth"</h2>
                <p class="loading">"Loading…"</p>
            </section>
        }
        .into_any(),
        Some(Ok(p)) => view! { <GrowthPanel p /> }.into_any(),
        Some(Err(e)) => view! {
            <section class="panel" aria-label="Skill growth">
                <h2>"Skill growth"</h2>
                <LoadFailed e />
            </section>
        }
        .into_any(),
    }
}

/// The link to the form, worded for what the viewer can do there.
fn form_link(p: &AssessmentPage) -> String {
    let first = p.mentee_name.split_whitespace().next().unwrap_or_default().to_string();
    let to_rate = p
        .current
        .zip(Rater::of(p.viewer))
        .filter(|(ph, r)| p.phase(*ph).is_some_and(|s| s.rated_on(*r).is_none() && s.status == WindowStatus::Open));
    match (to_rate, p.viewer) {
        (Some(_), Viewer::Mentee) => "Rate your skills".into(),
        (Some(_), _) => format!("Rate {first}'s skills"),
        (None, _) => "Skill assessment".into(),
    }
}

/// Who has not shown their ratings to the viewer yet, in a sentence (empty when nobody).
pub fn withheld_note(p: &AssessmentPage) -> String {
    let Some((phase, rater)) = p.withheld.first().copied() else { return String::new() };
    let who = match rater {
        Rater::Mentee => p.mentee_name.clone(),
        Rater::Mentor => p.mentor_name.clone(),
    };
    let closes = p.phase(phase).map(|s| s.closes.clone()).unwrap_or_default();
    format!(
        "{who} has sent their {} ratings; they appear here once you have sent yours (or after {closes}, when the assessment closes), so that neither of you is swayed by the other.",
        phase.label()
    )
}

#[component]
fn GrowthPanel(p: AssessmentPage) -> impl IntoView {
    let href = format!("/pairs/{}/assessment", p.pairing_id);
    let link = form_link(&p);
    let note = withheld_note(&p);
    let has = p.has_ratings();
    view! {
        <section class="panel skill-growth" aria-label="Skill growth">
            <div class="panel-head">
                <h2>"Skill growth"</h2>
                <a class="button button-small" href=href>
                    {link}
                </a>
            </div>
            {if has {
                view! { <GrowthTable rows=p.growth.clone() /> }.into_any()
            } else {
                view! {
                    <p class="empty">
                        "No ratings to show yet. The mentee rates themselves, and the mentor rates them, at the start and the end of the program."
                    </p>
                }
                    .into_any()
            }}
            {(!note.is_empty()).then(|| view! { <p class="small muted">{note}</p> })}
        </section>
    }
}

/// One cell: before → after, the change, and a bar from before to after on the 1–5 scale.
fn cell(row: &GrowthRow, rater: Rater) -> impl IntoView {
    let (pre, post) = (row.get(Phase::Pre, rater), row.get(Phase::Post, rater));
    let show = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
    let change = row.change(rater);
    let (class, said) = match change {
        Some(c) if c > 0 => ("growth-change up", format!("+{c}")),
        Some(c) if c < 0 => ("growth-change down", format!("−{}", -c)),
        Some(_) => ("growth-change", "±0".to_string()),
        None => ("growth-change", String::new()),
    };
    let spoken = match (pre, post, change) {
        (Some(a), Some(b), Some(c)) => format!("from {a} to {b}, a change of {c:+}"),
        (Some(a), None, _) => format!("{a} at the start; not rated at the end yet"),
        (None, Some(b), _) => format!("{b} at the end; no start rating"),
        _ => "not rated".into(),
    };
    let pct = |v: i64| format!("{}%", v * 100 / LEVEL_MAX);
    // Filled up to the latest rating, with a tick where it started.
    let bar = post.or(pre).map(|latest| {
        view! {
            <span class="growth-bar" aria-hidden="true">
                <span class="growth-fill" style:width=pct(latest)></span>
                {pre.map(|v| view! { <span class="growth-pre" style:left=pct(v)></span> })}
            </span>
        }
    });
    view! {
        <span class="growth-values" aria-hidden="true">
            {format!("{} → {}", show(pre), show(post))}
        </span>
        " "
        <span class=class aria-hidden="true">
            {said}
        </span>
        <span class="visually-hidden">{spoken}</span>
        {bar}
    }
}

/// The growth table: one row per skill, the self-rating and the mentor's side by side.
#[component]
pub fn GrowthTable(
    /// One row per program skill.
    rows: Vec<GrowthRow>,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Skill growth, scrolls sideways">
            <table class="table growth-table">
                <caption class="visually-hidden">
                    "Skill ratings at the start → at the end of the program, from 1 (not yet) to 5 (role model)"
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Skill"</th>
                        <th scope="col">"Self-rating"</th>
                        <th scope="col">"Mentor's rating"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr data-skill=r.skill_name.clone()>
                                    <th scope="row">{r.skill_name.clone()}</th>
                                    <td data-rater="mentee">{cell(&r, Rater::Mentee)}</td>
                                    <td data-rater="mentor">{cell(&r, Rater::Mentor)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="small muted">"Start → end of the program, 1 (not yet) to 5 (role model); the change after."</p>
    }
}
