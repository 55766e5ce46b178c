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
use leptos_meta::{provide_meta_context, Link, Meta, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::auth::{provide_auth, Layout};
use crate::routes::{
    account, admin_board, admin_cohort, admin_cohorts, admin_import, admin_programs, admin_skills, admin_users, award,
    enroll, goals, home, landing, login, not_found, pair, timeline,
};

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

    view! {
        <Stylesheet id="leptos" href="/pkg/mentorship.css" />
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
                    <Route path=path!("/home/admin") view=home::AdminHome />
                    <Route path=path!("/home/leadership") view=home::LeadershipHome />
                    <Route path=path!("/home/mentor") view=home::MentorHome />
                    <Route path=path!("/home/mentee") view=home::MenteeHome />
                    <Route path=path!("/admin/users") view=admin_users::AdminUsers />
                    <Route path=path!("/admin/skills") view=admin_skills::AdminSkills />
                    <Route path=path!("/admin/programs") view=admin_programs::AdminPrograms />
                    <Route path=path!("/admin/cohorts") view=admin_cohorts::AdminCohorts />
                    <Route path=path!("/admin/cohorts/:id") view=admin_cohort::AdminCohort />
                    <Route path=path!("/admin/cohorts/:id/board") view=admin_board::AdminBoard />
                    <Route path=path!("/cohorts") view=enroll::Enroll />
                    <Route path=path!("/admin/import") view=admin_import::AdminImport />
                    <Route path=path!("/admin/programs/:id") view=admin_programs::ProgramStudio />
                    <Route path=path!("/account") view=account::Account />
                    <Route path=path!("/goals/new") view=goals::GoalNew ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id") view=goals::GoalPage ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id/edit") view=goals::GoalEdit ssr=SsrMode::Async />
                    <Route path=path!("/pairs/:id") view=pair::Pair ssr=SsrMode::Async />
                    <Route path=path!("/pairs/:id/timeline") view=timeline::TimelinePage ssr=SsrMode::Async />
                    <Route path=path!("/awards/:id") view=award::AwardPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
