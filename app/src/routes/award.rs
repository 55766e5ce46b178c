//! `/awards/:id`: an award's certificate (or badge), laid out to print on one page. The mentee,
//! their mentor and admins only; anyone else gets a 404.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::auth::RequireRole;
use crate::components::page::NotAvailable;
use crate::domain::awards::api::get_award;
use crate::domain::awards::types::{Award, RewardKind};

/// The page.
#[component]
pub fn AwardPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(|| (), move |_| get_award(id.clone()));
    view! {
        <Title text="Certificate" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(a) => view! { <Certificate a /> }.into_any(),
                        Err(e) => {
                            view! {
                                <NotAvailable
                                    eyebrow="Award"
                                    e
                                    not_found="This page does not exist, or it is private."
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn Certificate(a: Award) -> impl IntoView {
    let badge = a.kind == RewardKind::Badge;
    let kicker = if badge { "Badge of achievement" } else { "Certificate of achievement" };
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let skills: Vec<String> = {
        let mut s: Vec<String> = a.goals.iter().map(|g| g.0.clone()).filter(|s| !s.is_empty()).collect();
        s.sort();
        s.dedup();
        s
    };
    view! {
        <div class="no-print form-actions">
            <a class="button button-small" href="/home">
                "← Home"
            </a>
            <button type="button" class="button button-small button-primary" on:click=print>
                "Print or save as PDF"
            </button>
        </div>
        <article class="certificate" class:certificate-badge=badge aria-label=kicker>
            <p class="cert-org">{a.org_name.clone()}" · "{a.program_name.clone()}</p>
            <p class="cert-kicker">{kicker}</p>
            <h1 class="cert-title">{a.name.clone()}</h1>
            <p class="cert-to">"awarded to"</p>
            <p class="cert-name">{a.mentee_name.clone()}</p>
            <p class="cert-for">
                {format!(
                    "for the leadership goals completed in the {} cohort of {}, mentored by {}",
                    a.cohort_name,
                    a.program_name,
                    a.mentor_name,
                )} {(!skills.is_empty()).then(|| format!(", developing {}", skills.join(", ")))} "."
            </p>
            {(!a.goals.is_empty())
                .then(|| {
                    view! {
                        <ul class="cert-goals">
                            {a
                                .goals
                                .iter()
                                .map(|(skill, what)| {
                                    view! {
                                        <li>
                                            <strong>{skill.clone()}</strong>
                                            " — "
                                            {what.clone()}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {(!a.workshops.is_empty())
                .then(|| {
                    view! {
                        <p class="cert-for small">{format!("Workshops completed: {}.", a.workshops.join(", "))}</p>
                    }
                })}
            <footer class="cert-foot">
                <span>{format!("Awarded on {}", a.awarded_on)}</span>
                <span>{format!("Verification code {}", a.id)}</span>
            </footer>
        </article>
    }
}
