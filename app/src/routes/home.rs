//! Each role's home page, and `/home`, which sends a user to the first of theirs.

mod panels;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::components::auth::{use_auth, RequireRole};
use crate::components::markdown::Markdown;
use crate::components::page::PageHead;
use crate::domain::activity::api::quiet_pairs;
use crate::domain::auth::types::Role;
use crate::domain::awards::api::my_rewards;
use crate::domain::awards::types::RewardProgress;
use crate::domain::enrollment::types::Side;
use crate::domain::goals::api::my_goals;
use crate::domain::goals::types::{GoalStatus, GoalSummary};
use crate::domain::matching::api::{mark_notifications_read, my_matches, my_notifications};
use crate::domain::matching::types::{MyMatch, Notification};
use crate::domain::overview::api::{
    get_admin_overview, get_leadership_overview, get_mentee_overview, get_mentor_overview,
};
use crate::domain::overview::types::{CohortSummary, Count, ParticipantOverview};
use crate::domain::workshops::api::my_workshops;
use crate::domain::workshops::types::WorkshopCard;
use crate::routes::home::panels::{MyRewards, MyWorkshops};

/// `/home`: redirects to the user's first home page (or to sign-in).
#[component]
pub fn HomeRedirect() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let path = match auth.user.await {
                    Ok(Some(user)) => user.home_path().to_string(),
                    _ => "/login?next=/home".to_string(),
                };
                view! { <Redirect path /> }
            })}
        </Suspense>
    }
}

#[component]
fn Stat(label: &'static str, value: String, #[prop(optional)] note: Option<String>) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-value">{value}</span>
            <span class="stat-label">{label}</span>
            {note.map(|n| view! { <span class="stat-note">{n}</span> })}
        </div>
    }
}

#[component]
fn Cohorts(cohorts: Vec<CohortSummary>, empty: &'static str) -> impl IntoView {
    if cohorts.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="cohort-list">
            {cohorts
                .into_iter()
                .map(|c| {
                    let status_class = format!("badge badge-{}", c.status);
                    view! {
                        <li class="cohort">
                            <div>
                                <strong>{c.name}</strong>
                                <span class="muted">" · " {c.program_name}</span>
                            </div>
                            <div class="cohort-meta">
                                <span class="muted">{c.starts} " → " {c.ends}</span>
                                <span class=status_class>{c.status.as_str()}</span>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Bars(counts: Vec<Count>) -> impl IntoView {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    view! {
        <ul class="bars">
            {counts
                .into_iter()
                .map(|c| {
                    let width = format!("width: {}%", (c.count * 100 / max).max(2));
                    view! {
                        <li>
                            <span class="bar-label">{c.label}</span>
                            <span class="bar-track">
                                <span class="bar-fill" style=width></span>
                            </span>
                            <span class="bar-value">{c.count}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The admin's home page.
#[component]
pub fn AdminHome() -> impl IntoView {
    view! {
        <Title text="Admin" />
        <RequireRole role=Role::Admin>
            <AdminHomeBody />
        </RequireRole>
    }
}

#[component]
fn AdminHomeBody() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_admin_overview());
    let quiet = Resource::new(|| (), |_| quiet_pairs());
    view! {
        <PageHead eyebrow="Admin" title="Program administration">
            <div class="hero-actions">
                <a class="button" href="/admin/skills">
                    "Skills catalog"
                </a>
                <a class="button button-primary" href="/admin/users">
                    "Manage people"
                </a>
            </div>
        </PageHead>
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                data.await
                    .map(|o| {
                        let pending = (o.pending_first_sign_in > 0)
                            .then(|| format!("{} not signed in yet", o.pending_first_sign_in));
                        view! {
                            <div class="stats">
                                <Stat
                                    label="Active people"
                                    value=o.active_users.to_string()
                                    note=pending.unwrap_or_default()
                                />
                                <Stat label="Skills in catalog" value=o.skills.to_string() />
                                <Stat label="Programs" value=o.programs.to_string() />
                                <Stat label="Cohorts" value=o.cohorts.len().to_string() />
                            </div>
                            <div class="grid-2">
                                <section class="panel">
                                    <h2>"People by role"</h2>
                                    <Bars counts=o.users_by_role />
                                </section>
                                <section class="panel">
                                    <h2>"Cohorts"</h2>
                                    <Cohorts cohorts=o.cohorts empty="No cohorts yet." />
                                </section>
                            </div>
                            <QuietPairs quiet />
                            <section class="panel">
                                <h2>"Recent activity"</h2>
                                {if o.activity.is_empty() {
                                    view! { <p class="empty">"Nothing yet. Admin actions are recorded here."</p> }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul class="activity">
                                            {o
                                                .activity
                                                .into_iter()
                                                .map(|a| {
                                                    view! {
                                                        <li>
                                                            <span class="activity-at">{a.at}</span>
                                                            <span>
                                                                <strong>{a.who}</strong>
                                                                " "
                                                                {a.what}
                                                            </span>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}

/// The leadership home page: aggregates only.
#[component]
pub fn LeadershipHome() -> impl IntoView {
    view! {
        <Title text="Leadership" />
        <RequireRole role=Role::Leadership>
            <LeadershipHomeBody />
        </RequireRole>
    }
}

#[component]
fn LeadershipHomeBody() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_leadership_overview());
    view! {
        <PageHead eyebrow="Leadership" title="Mentoring across the organization" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                data.await
                    .map(|o| {
                        let ratio = if o.mentors > 0 {
                            format!("{:.1} mentees per mentor", o.mentees as f64 / o.mentors as f64)
                        } else {
                            "no mentors yet".to_string()
                        };
                        view! {
                            <div class="stats">
                                <Stat label="People" value=o.headcount.to_string() />
                                <Stat label="Mentors" value=o.mentors.to_string() />
                                <Stat label="Mentees" value=o.mentees.to_string() note=ratio />
                                <Stat label="Cohorts" value=o.cohorts.len().to_string() />
                            </div>
                            <div class="grid-2">
                                <section class="panel">
                                    <h2>"People by department"</h2>
                                    <Bars counts=o.by_department />
                                </section>
                                <section class="panel">
                                    <h2>"Cohorts"</h2>
                                    <Cohorts cohorts=o.cohorts empty="No cohorts yet." />
                                </section>
                            </div>
                            <p class="muted small">
                                "Leadership views show aggregates only; individual goals and notes stay private to each pair."
                            </p>
                        }
                    })
            })}
        </Suspense>
    }
}

/// The mentor's home page.
#[component]
pub fn MentorHome() -> impl IntoView {
    let home = HomeSlot::new();
    view! {
        <Title text="Mentor" />
        <RequireRole role=Role::Mentor>
            <ParticipantHomeBody role=Role::Mentor home />
        </RequireRole>
    }
}

/// The mentee's home page.
#[component]
pub fn MenteeHome() -> impl IntoView {
    let home = HomeSlot::new();
    view! {
        <Title text="Mentee" />
        <RequireRole role=Role::Mentee>
            <ParticipantHomeBody role=Role::Mentee home />
        </RequireRole>
    }
}

/// A participant home's data: one resource per panel.
#[derive(Clone, Copy)]
struct HomeData {
    data: Resource<Result<ParticipantOverview, crate::error::AppError>>,
    notes: Resource<Result<Vec<Notification>, crate::error::AppError>>,
    pairs: Resource<Result<Vec<MyMatch>, crate::error::AppError>>,
    goals: Resource<Result<Vec<GoalSummary>, crate::error::AppError>>,
    workshops: Resource<Result<Vec<WorkshopCard>, crate::error::AppError>>,
    rewards: Resource<Result<Vec<RewardProgress>, crate::error::AppError>>,
    /// Bumped after "mark as read", to reload the notifications.
    seen: RwSignal<u32>,
}

impl HomeData {
    fn new(role: Role) -> HomeData {
        let data = Resource::new(
            move || role,
            |role| async move {
                match role {
                    Role::Mentor => get_mentor_overview().await,
                    _ => get_mentee_overview().await,
                }
            },
        );
        let seen = RwSignal::new(0u32);
        let notes = Resource::new(move || seen.get(), |_| my_notifications());
        let pairs = Resource::new(|| (), |_| my_matches());
        let goals = Resource::new(|| (), |_| my_goals());
        let workshops = Resource::new(|| (), |_| my_workshops());
        let rewards = Resource::new(
            move || role,
            |role| async move {
                if role == Role::Mentee {
                    my_rewards().await
                } else {
                    Ok(Vec::new())
                }
            },
        );
        HomeData { data, notes, pairs, goals, workshops, rewards, seen }
    }
}

/// Where a home page keeps its [`HomeData`], made the first time the role check lets the body
/// render, under the page's owner. `RequireRole` builds its children inside a suspended closure
/// that server rendering runs more than once (a dry pass that registers the resources, then the
/// real one): resources made in the body would be loaded, and sent to the browser, once per pass.
#[derive(Clone, Copy)]
struct HomeSlot(StoredValue<(Option<HomeData>, Owner)>);

impl HomeSlot {
    // `Owner::new()` (a root with the shared context), not `Owner::default()` (a bare owner).
    #[allow(clippy::unwrap_or_default)]
    fn new() -> HomeSlot {
        HomeSlot(StoredValue::new((None, Owner::current().unwrap_or_else(Owner::new))))
    }

    fn get_or_make(self, role: Role) -> HomeData {
        if let Some(made) = self.0.with_value(|(made, _)| *made) {
            return made;
        }
        let owner = self.0.with_value(|(_, owner)| owner.clone());
        let made = owner.with(|| HomeData::new(role));
        self.0.update_value(|(slot, _)| *slot = Some(made));
        made
    }
}

#[component]
fn ParticipantHomeBody(role: Role, home: HomeSlot) -> impl IntoView {
    // Made once per page, not inside the suspended view, so their server-rendered values hydrate.
    let HomeData { data, notes, pairs, goals, workshops, rewards, seen } = home.get_or_make(role);
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                data.await.map(|o| view! { <ParticipantView o notes pairs goals workshops rewards seen /> })
            })}
        </Suspense>
    }
}

#[component]
fn ParticipantView(
    o: ParticipantOverview,
    notes: Resource<Result<Vec<Notification>, crate::error::AppError>>,
    pairs: Resource<Result<Vec<MyMatch>, crate::error::AppError>>,
    goals: Resource<Result<Vec<GoalSummary>, crate::error::AppError>>,
    workshops: Resource<Result<Vec<WorkshopCard>, crate::error::AppError>>,
    rewards: Resource<Result<Vec<RewardProgress>, crate::error::AppError>>,
    seen: RwSignal<u32>,
) -> impl IntoView {
    let first_name = o.name.split_whitespace().next().unwrap_or_default().to_string();
    let (heading, skills_title, skills_empty, next_steps): (String, &str, &str, Vec<&str>) = match o.role {
        Role::Mentor => (
            format!("Welcome, {first_name}"),
            "Skills you can mentor",
            "No skills recorded yet — ask your admin to add the skills you can mentor.",
            vec![
                "Meet each new mentee within two weeks of being matched.",
                "Read the program's mentor guide before your first meeting.",
                "Agree a meeting rhythm with each mentee in the first session.",
            ],
        ),
        _ => (
            format!("Welcome, {first_name}"),
            "Skills you want to develop",
            "No skills chosen yet — you will pick them when you apply to a cohort.",
            vec![
                "Apply to an open cohort and pick the skills you want to grow.",
                "Once matched, set your first SMART goal with your mentor.",
                "Check in on your goals every week or two — it takes a minute.",
            ],
        ),
    };
    let level = o.level.map(|l| format!("Level {l}")).unwrap_or_default();
    let profile_line = [o.title.clone(), o.department.clone(), level]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let role = o.role;
    view! {
        <PageHead eyebrow=o.role.label() title=heading lead=profile_line />
        <Notifications list=notes seen />
        <MyPairs role pairs />
        <MyGoals role goals />
        {(role == Role::Mentee).then(|| view! { <MyRewards list=rewards /> })}
        <MyWorkshops role list=workshops />
        <div class="grid-2">
            <section class="panel">
                <h2>{skills_title}</h2>
                {if o.skills.is_empty() {
                    view! { <p class="empty">{skills_empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="chips">
                            {o.skills.into_iter().map(|s| view! { <li class="chip">{s}</li> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <section class="panel">
                <h2>"Cohorts"</h2>
                <Cohorts cohorts=o.cohorts empty="No cohort is open or running right now." />
                <a class="button button-small" href="/cohorts">
                    "Browse cohorts and apply"
                </a>
            </section>
        </div>
        {o
            .guides
            .into_iter()
            .map(|g| {
                let guide = g.guide.clone();
                view! {
                    <section class="panel" aria-label=format!("Mentor guide: {}", g.program_name)>
                        <h2>{format!("Mentor guide · {}", g.program_name)}</h2>
                        <p class="muted small">
                            {format!("Approach: {}", g.approach)}
                            {(!g.mentees.is_empty()).then(|| format!(" · for {}", g.mentees.join(", ")))}
                        </p>
                        <Markdown text=guide />
                    </section>
                }
            })
            .collect_view()}
        <section class="panel">
            <h2>"Next steps"</h2>
            <ol class="next-steps">{next_steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
        </section>
    }
}

/// Unread in-app notifications, with "mark as read".
#[component]
fn Notifications(
    list: Resource<Result<Vec<Notification>, crate::error::AppError>>,
    seen: RwSignal<u32>,
) -> impl IntoView {
    let mark = Action::new(|_: &()| mark_notifications_read());
    Effect::new(move |_| {
        if let Some(Ok(())) = mark.value().get() {
            seen.update(|n| *n += 1);
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let unread: Vec<Notification> = list
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|n| !n.read)
                    .collect();
                (!unread.is_empty())
                    .then(|| {
                        view! {
                            <section class="panel notifications" aria-label="Notifications">
                                <div class="panel-head">
                                    <h2>{format!("New for you ({})", unread.len())}</h2>
                                    <button
                                        type="button"
                                        class="button button-small button-ghost"
                                        on:click=move |_| {
                                            mark.dispatch(());
                                        }
                                    >
                                        "Mark as read"
                                    </button>
                                </div>
                                <ul class="plain-list">
                                    {unread
                                        .into_iter()
                                        .map(|n| {
                                            let text = if n.link.is_empty() {
                                                view! { <span>{n.text}</span> }.into_any()
                                            } else {
                                                view! { <a href=n.link>{n.text}</a> }.into_any()
                                            };
                                            view! { <li>{text}" "<span class="muted small">{n.at}</span></li> }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}

/// A mentee's mentor, or a mentor's mentees, once published.
#[component]
fn MyPairs(role: Role, pairs: Resource<Result<Vec<MyMatch>, crate::error::AppError>>) -> impl IntoView {
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
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let mine: Vec<MyMatch> = pairs
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|m| m.my_side == side)
                        .collect();
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
                                    view! {
                                        <li class="pair">
                                            <p>
                                                <strong class="pair-name">{m.other_name.clone()}</strong>
                                                " "
                                                <span class="muted small">{meta}</span>
                                            </p>
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
                                                {(side == Side::Mentee)
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
                                                                {m
                                                                    .reasons
                                                                    .into_iter()
                                                                    .map(|r| view! { <li>{r}</li> })
                                                                    .collect_view()}
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
                })}
            </Suspense>
        </section>
    }
}

/// A mentee's goals, or a mentor's mentees' goals, with progress and what is next.
#[component]
fn MyGoals(role: Role, goals: Resource<Result<Vec<GoalSummary>, crate::error::AppError>>) -> impl IntoView {
    let mentor = role == Role::Mentor;
    let title = if mentor { "Your mentees' goals" } else { "Your goals" };
    view! {
        <section class="panel" aria-label=title>
            <h2>{title}</h2>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let list: Vec<GoalSummary> = goals.await.unwrap_or_default();
                    let list: Vec<GoalSummary> = list.into_iter().filter(|g| g.as_mentee != mentor).collect();
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
                                                    if mentor {
                                                        format!("{} · ", g.mentee_name)
                                                    } else {
                                                        String::new()
                                                    },
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
                                                    view! {
                                                        <p class="small">{format!("Next milestone: {t} ({d})")}</p>
                                                    }
                                                })}
                                            {g
                                                .latest_checkin
                                                .map(|(n, d)| {
                                                    view! {
                                                        <p class="small muted">{format!("Last check-in {d}: {n}")}</p>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}

/// Pairs of running cohorts with no meeting or check-in for longer than their cohort allows.
#[component]
fn QuietPairs(
    quiet: Resource<Result<Vec<crate::domain::activity::types::PairActivity>, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-label="Pairs gone quiet">
            <h2>"Pairs gone quiet"</h2>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let list = quiet.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! {
                            <p class="empty">"Every pair of the running cohorts met or checked in recently."</p>
                        }
                            .into_any();
                    }
                    view! {
                        <ul class="plain-list quiet-list">
                            {list
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
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}
