//! The mentoring platform's shared crate: the HTML shell, the app and its routes, the domain
//! (types, server functions, services) and the pure engines.
#![recursion_limit = "256"]

pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod engine;
pub mod error;
pub mod hooks;
pub mod routes;
pub mod validate;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::components::auth::{provide_auth, Layout};
use crate::routes::{account, award, enroll, goals, home, landing, lazy, login, not_found, pair, timeline};

/// The script the shell inlines in the head: remembers typing and holds app forms until hydration.
const PREHYDRATION_JS: &str = include_str!("prehydration.js");

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                // Keeps what is typed before the app is interactive; see prehydration.js.
                <script nonce=leptos::nonce::use_nonce() inner_html=PREHYDRATION_JS></script>
                <HydrationScripts options />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: auth context, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_auth();
    crate::hooks::use_interactive::use_interactive(true);

    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta
            name="description"
            content="Leadership mentoring programs: objectives, matching, goals and honest measurement."
        />
        <Title formatter=|t: String| {
            if t.is_empty() { "Mentorship".to_string() } else { format!("{t} · Mentorship") }
        } />
        <Router>
            <Layout>
                <Routes fallback=not_found::NotFound>
                    <Route path=path!("/") view=landing::Landing />
                    <Route path=path!("/login") view=login::Login />
                    <Route path=path!("/home") view=home::HomeRedirect />
                    <Route path=path!("/home/admin") view=Lazy::<lazy::AdminHomePage>::new() />
                    <Route path=path!("/home/leadership") view=Lazy::<lazy::LeadershipHomePage>::new() />
                    <Route path=path!("/home/mentor") view=home::MentorHome />
                    <Route path=path!("/home/mentee") view=home::MenteeHome />
                    <Route path=path!("/admin/users") view=Lazy::<lazy::AdminUsersPage>::new() />
                    <Route path=path!("/admin/skills") view=Lazy::<lazy::AdminSkillsPage>::new() />
                    <Route path=path!("/admin/programs") view=Lazy::<lazy::AdminProgramsPage>::new() />
                    <Route path=path!("/admin/cohorts") view=Lazy::<lazy::AdminCohortsPage>::new() />
                    <Route path=path!("/admin/cohorts/:id") view=Lazy::<lazy::AdminCohortPage>::new() />
                    <Route path=path!("/admin/cohorts/:id/board") view=Lazy::<lazy::AdminBoardPage>::new() />
                    <Route path=path!("/cohorts") view=enroll::Enroll />
                    <Route path=path!("/admin/import") view=Lazy::<lazy::AdminImportPage>::new() />
                    <Route path=path!("/admin/programs/:id") view=Lazy::<lazy::ProgramStudioPage>::new() />
                    <Route path=path!("/account") view=account::Account />
                    <Route path=path!("/goals/new") view=Lazy::<lazy::GoalNewPage>::new() ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id") view=goals::GoalPage ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id/edit") view=Lazy::<lazy::GoalEditPage>::new() ssr=SsrMode::Async />
                    <Route path=path!("/pairs/:id") view=pair::Pair ssr=SsrMode::Async />
                    <Route path=path!("/pairs/:id/timeline") view=timeline::TimelinePage ssr=SsrMode::Async />
                    <Route path=path!("/awards/:id") view=award::AwardPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
