//! `/admin/programs`: every program with its status, and "Clone" / "Open a cohort".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::components::auth::RequireRole;
use crate::components::page::PageHead;
use crate::domain::auth::types::Role;
use crate::domain::program::api::{clone_program, list_programs};
use crate::domain::program::types::{ApproachKind, ProgramStatus};

/// The programs list.
#[component]
pub fn AdminPrograms() -> impl IntoView {
    view! {
        <Title text="Programs" />
        <RequireRole role=Role::Admin>
            <ProgramsList />
        </RequireRole>
    }
}

/// The list itself; a clone opens in the studio.
#[component]
fn ProgramsList() -> impl IntoView {
    // Loaded once: the only change made here (a clone) leaves the page.
    let programs = Resource::new(|| (), |_| list_programs());
    let navigate = use_navigate();
    let copy = Action::new(|(id, name): &(String, String)| clone_program(id.clone(), name.clone()));
    // The copy opens in the studio. Navigating is a side effect, so it waits for an Effect: run
    // from the action itself, it would unmount this list before the list has seen the answer.
    Effect::new(move |_| {
        if let Some(Ok(p)) = copy.value().get() {
            navigate(&format!("/admin/programs/{}", p.id), Default::default());
        }
    });
    view! {
        <PageHead
            eyebrow="Admin"
            title="Programs"
            lead="Design a program step by step: objectives, skills, approach, structure."
        >
            <a class="button button-primary" href="/admin/programs/new">
                "New program"
            </a>
        </PageHead>
        {move || {
            copy.value()
                .get()
                .and_then(|r| r.err())
                .map(|e| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {e.to_string()}
                        </div>
                    }
                })
        }}
        <section class="panel">
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let list = match programs.await {
                        Ok(list) => list,
                        Err(e) => {
                            return view! {
                                <div class="alert alert-error" role="alert">
                                    {format!("The programs could not be loaded: {e}")}
                                </div>
                            }
                                .into_any();
                        }
                    };
                    if list.is_empty() {
                        return view! { <p class="empty">"No programs yet."</p> }.into_any();
                    }
                    view! {
                        <ul class="cohort-list">
                            {list
                                .into_iter()
                                .map(|p| {
                                    let href = format!("/admin/programs/{}", p.id);
                                    let id = p.id.clone();
                                    let copy_name = format!("{} (copy)", p.name);
                                    let approach = ApproachKind::parse(&p.approach).map(|a| a.label()).unwrap_or("—");
                                    view! {
                                        <li class="cohort">
                                            <div>
                                                <a href=href>
                                                    <strong>{p.name.clone()}</strong>
                                                </a>
                                                <span class=format!(
                                                    "badge badge-{}",
                                                    p.status,
                                                )>{p.status.as_str()}</span>
                                                <div class="muted small">
                                                    {format!(
                                                        "{approach} · {} skills · {} cohorts · updated {}",
                                                        p.skills,
                                                        p.cohorts,
                                                        p.updated,
                                                    )}
                                                </div>
                                            </div>
                                            {(p.status == ProgramStatus::Published)
                                                .then(|| {
                                                    view! {
                                                        <a
                                                            class="button button-small"
                                                            aria-label=format!("Open a cohort of {}", p.name)
                                                            href=format!("/admin/cohorts?program={}", p.id)
                                                        >
                                                            "Open a cohort"
                                                        </a>
                                                    }
                                                })}
                                            <button
                                                type="button"
                                                class="button button-small button-ghost"
                                                aria-label=format!("Clone {}", p.name)
                                                on:click=move |_| {
                                                    copy.dispatch((id.clone(), copy_name.clone()));
                                                }
                                            >
                                                "Clone"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                })}
            </Transition>
        </section>
    }
}
