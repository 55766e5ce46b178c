//! The participant home's lists: my pairs, my goals, and a mentor's quiet pairs.

use super::*;
use leptos::prelude::*;

/// A mentee's mentor, or a mentor's mentees, once published.
#[component]
pub(super) fn MyPairs(role: Role, pairs: Vec<MyMatch>) -> impl IntoView {
    let side = if role == Role::Mentor { Side::Mentor } else { Side::Mentee };
    let title = if role == Role::Mentor { "Your mentees" } else { "Your mentor" };
    let empty = if role == Role::Mentor {
        "No mentees yet. They appear here when an admin publishes the pairs of your cohort."
    } else {
        "No mentor yet. Your mentor appears here when an admin publishes the pairs of your cohort."
    };
    view! {
        <section class="panel my-pairs" aria-label=title>
            <h2>{title}</h2>
            {pairs_body(pairs, side, empty)}
        </section>
    }
}

/// [`MyPairs`]' list: the caller's side of each pair.
fn pairs_body(pairs: Vec<MyMatch>, side: Side, empty: &'static str) -> AnyView {
    let mine: Vec<MyMatch> = pairs.into_iter().filter(|m| m.my_side == side).collect();
    if mine.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="pair-list">
            {mine
                .into_iter()
                .map(|m| {
                    let meta = [m.other_title.clone(), m.other_department.clone()]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let ended = m.ended.clone();
                    let running = ended.is_none();
                    view! {
                        <li class="pair" class:ended=!running>
                            <p>
                                <strong class="pair-name">{m.other_name.clone()}</strong>
                                " "
                                <span class="muted small">{meta}</span>
                                {(!running)
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="badge">"Ended"</span>
                                        }
                                    })}
                            </p>
                            {ended
                                .map(|e| {
                                    view! {
                                        <p class="small">
                                            {format!(
                                                "This pair ended on {}: {} Its record stays readable.",
                                                e.on,
                                                e.reason,
                                            )}
                                        </p>
                                    }
                                })}
                            <p class="small">
                                <a href=format!("mailto:{}", m.other_email)>{m.other_email.clone()}</a>
                            </p>
                            <p class="small muted">
                                {format!(
                                    "{} · {} · since {} · match score {}",
                                    m.program_name,
                                    m.cohort_name,
                                    m.since,
                                    m.score,
                                )}
                            </p>
                            <p class="small">
                                {match &m.next_meeting {
                                    Some(d) => format!("Next meeting: {d}"),
                                    None => "No meeting planned yet.".to_string(),
                                }}
                            </p>
                            <div class="form-actions">
                                <a class="button button-small" href=format!("/pairs/{}", m.id)>
                                    "Meetings"
                                </a>
                                <a class="button button-small" href=format!("/pairs/{}/timeline", m.id)>
                                    "Timeline"
                                </a>
                                <a class="button button-small" href=format!("/pairs/{}/report", m.id)>
                                    "Progress"
                                </a>
                                {(side == Side::Mentee && running)
                                    .then(|| {
                                        view! {
                                            <a
                                                class="button button-small button-primary"
                                                href=format!("/goals/new?pairing={}", m.id)
                                            >
                                                "Set a SMART goal"
                                            </a>
                                        }
                                    })}
                            </div>
                            {(!m.reasons.is_empty())
                                .then(|| {
                                    view! {
                                        <details>
                                            <summary class="small">"Why you were paired"</summary>
                                            <ul class="small">
                                                {m.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                            </ul>
                                        </details>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// A mentee's goals, or a mentor's mentees' goals, with progress and what is next.
#[component]
pub(super) fn MyGoals(role: Role, goals: Vec<GoalSummary>) -> impl IntoView {
    let mentor = role == Role::Mentor;
    let title = if mentor { "Your mentees' goals" } else { "Your goals" };
    view! {
        <section class="panel" aria-label=title>
            <h2>{title}</h2>
            {goals_body(goals, mentor)}
        </section>
    }
}

/// [`MyGoals`]' list.
fn goals_body(goals: Vec<GoalSummary>, mentor: bool) -> AnyView {
    let list: Vec<GoalSummary> = goals.into_iter().filter(|g| g.as_mentee != mentor).collect();
    if list.is_empty() {
        let empty = if mentor {
            "Goals your mentees send you appear here."
        } else {
            "No goals yet. Once you have a mentor, set your first SMART goal from the card above."
        };
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="goal-list">
            {list
                .into_iter()
                .map(|g| {
                    let headline = if g.specific.trim().is_empty() {
                        "Untitled goal".to_string()
                    } else {
                        g.specific.clone()
                    };
                    let href = if g.status == GoalStatus::Draft {
                        format!("/goals/{}/edit", g.id)
                    } else {
                        format!("/goals/{}", g.id)
                    };
                    view! {
                        <li>
                            <a href=href>
                                <strong>{headline}</strong>
                            </a>
                            <p class="small muted">
                                {format!(
                                    "{}{} · {} · {} %",
                                    if mentor { format!("{} · ", g.mentee_name) } else { String::new() },
                                    g.skill_name,
                                    g.status,
                                    g.progress,
                                )}
                            </p>
                            <div class="progress" aria-hidden="true">
                                <span style:width=format!("{}%", g.progress)></span>
                            </div>
                            {g
                                .next_milestone
                                .map(|(t, d)| {
                                    view! { <p class="small">{format!("Next milestone: {t} ({d})")}</p> }
                                })}
                            {g
                                .latest_checkin
                                .map(|(n, d)| {
                                    view! { <p class="small muted">{format!("Last check-in {d}: {n}")}</p> }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Pairs of running cohorts with no meeting or check-in for longer than their cohort allows: the
/// quietest few, and when there are more, how many in each cohort (whose page lists them all).
#[component]
pub(super) fn QuietPairs(
    quiet: Resource<Result<crate::domain::activity::types::QuietSummary, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-label="Pairs gone quiet">
            <h2>"Pairs gone quiet"</h2>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let q = match quiet.await {
                        Ok(q) => q,
                        Err(e) => return super::panels::load_failed("The quiet pairs", e),
                    };
                    if q.total == 0 {
                        return view! {
                            <p class="empty">"Every pair of the running cohorts met or checked in recently."</p>
                        }
                            .into_any();
                    }
                    let more = q.total > q.shown.len();
                    view! {
                        {more
                            .then(|| {
                                view! {
                                    <p class="muted">
                                        {format!(
                                            "{} pairs have gone quiet; the {} quietest are listed. Each cohort's page lists all of its pairs.",
                                            q.total,
                                            q.shown.len(),
                                        )}
                                    </p>
                                }
                            })}
                        <ul class="plain-list quiet-list">
                            {q
                                .shown
                                .into_iter()
                                .map(|q| {
                                    view! {
                                        <li>
                                            <span class="badge badge-warn">
                                                {format!("{} days quiet", q.quiet_days)}
                                            </span>
                                            " "
                                            <a href=format!(
                                                "/pairs/{}/timeline",
                                                q.pairing_id,
                                            )>{format!("{} & {}", q.mentee_name, q.mentor_name)}</a>
                                            <span class="muted small">{format!(" · {} · ", q.cohort_name)}</span>
                                            <a class="small" href=format!("/admin/cohorts/{}", q.cohort_id)>
                                                "Cohort"
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {more
                            .then(|| {
                                view! {
                                    <h3 class="small quiet-cohorts-title">"Quiet pairs by cohort"</h3>
                                    <ul class="plain-list quiet-cohorts" aria-label="Quiet pairs by cohort">
                                        {q
                                            .by_cohort
                                            .into_iter()
                                            .map(|c| {
                                                view! {
                                                    <li>
                                                        <a href=format!(
                                                            "/admin/cohorts/{}",
                                                            c.cohort_id,
                                                        )>{c.cohort_name}</a>
                                                        {format!(" · {} quiet", c.quiet)}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                            })}
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}
