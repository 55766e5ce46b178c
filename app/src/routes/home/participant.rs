//! The mentee and mentor home pages: their data is loaded once per page (HomeSlot) and shown in panels.

use super::*;
use crate::domain::overview::types::ParticipantHome;
use crate::routes::pair_assessment::AssessmentsWaiting;
use leptos::prelude::*;
use leptos_meta::Title;

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

/// A participant home's data: one resource for the whole page, its panels included. (One
/// server function instead of one per panel: each resource costs the browser bundle its own copy
/// of the loading, hydrating and decoding code; eight of them cost a home about 10 KB.)
#[derive(Clone, Copy)]
pub(super) struct HomeData {
    home: Resource<Result<ParticipantHome, crate::error::AppError>>,
}

impl HomeData {
    fn new(role: Role) -> HomeData {
        let home = Resource::new(
            move || role,
            |role| async move {
                match role {
                    Role::Mentor => get_mentor_home().await,
                    _ => get_mentee_home().await,
                }
            },
        );
        HomeData { home }
    }
}

/// Where a home page keeps its [`HomeData`], made the first time the role check lets the body
/// render, under the page's owner. `RequireRole` builds its children inside a suspended closure
/// that server rendering runs more than once (a dry pass that registers the resources, then the
/// real one): resources made in the body would be loaded, and sent to the browser, once per pass.
#[derive(Clone, Copy)]
pub(super) struct HomeSlot(StoredValue<(Option<HomeData>, Owner)>);

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
pub(super) fn ParticipantHomeBody(role: Role, home: HomeSlot) -> impl IntoView {
    // Made once per page, not inside the suspended view, so their server-rendered values hydrate.
    let data = home.get_or_make(role).home;
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>{move || Suspend::new(async move { data.await.map(|home| view! { <ParticipantView home /> }) })}</Suspense>
    }
}

#[component]
pub(super) fn ParticipantView(home: ParticipantHome) -> impl IntoView {
    let ParticipantHome {
        overview: o,
        notes,
        pairs,
        goals,
        workshops,
        workshops_failed,
        rewards,
        rewards_failed,
        surveys,
        assessments,
    } = home;
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
        <Notifications list=notes />
        <MySurveys list=surveys />
        <AssessmentsWaiting list=assessments />
        <MyPairs role pairs />
        <MyGoals role goals />
        {(role == Role::Mentee).then(|| view! { <MyRewards list=rewards_failed.map_or(Ok(rewards), Err) /> })}
        <MyWorkshops role list=workshops_failed.map_or(Ok(workshops), Err) />
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

/// Unread in-app notifications, with "mark as read" (which, once the server has marked them,
/// takes the panel away: nothing is left unread).
#[component]
pub(super) fn Notifications(list: Vec<Notification>) -> impl IntoView {
    let mark = Action::new(|_: &()| mark_notifications_read());
    let marked = move || matches!(mark.value().get(), Some(Ok(())));
    let unread: Vec<Notification> = list.into_iter().filter(|n| !n.read).collect();
    view! {
        {move || {
            let unread = unread.clone();
            (!unread.is_empty() && !marked())
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
        }}
    }
}

/// The surveys waiting for me, closing soonest first.
#[component]
pub(super) fn MySurveys(list: Vec<PendingSurvey>) -> impl IntoView {
    let waiting = list;
    view! {
        {(!waiting.is_empty())
            .then(|| {
                view! {
                    <section class="panel surveys-waiting" aria-label="Surveys waiting for you">
                        <h2>{format!("Surveys waiting for you ({})", waiting.len())}</h2>
                        <ul class="plain-list">
                            {waiting
                                .into_iter()
                                .map(|s| {
                                    let about = format!(
                                        "{} questions · {} · closes {}",
                                        s.questions,
                                        if s.anonymous { "anonymous" } else { "with your name" },
                                        s.closes,
                                    );
                                    view! {
                                        <li>
                                            <a class="survey-link" href=format!("/surveys/{}", s.id)>
                                                {s.title}
                                            </a>
                                            <span class="muted small">
                                                {format!(" · {} · {about}", s.cohort_name)}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}
