//! The mentoring platform's shared crate: the HTML shell, the app and its routes, the domain
//! (types, server functions, services) and the pure engines.
#![recursion_limit = "256"]

pub mod codec;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod engine;
pub mod error;
pub mod hooks;
pub mod prepared;
#[cfg(feature = "ssr")]
pub mod rate;
pub mod routes;
pub mod validate;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::auth::{provide_auth, Layout};
use crate::routes::{home, landing, lazy, login, not_found};

/// The script the shell inlines in the head: remembers typing and holds app forms until hydration.
const PREHYDRATION_JS: &str = include_str!("prehydration.js");

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
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
                <meta name="echarts-src" content=echarts_src(&options) />
                <HydrationScripts options />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A fresh nonce for this response's inline scripts (the hydration script and
/// `prehydration.js`), and the Content-Security-Policy that allows only them, scripts of this
/// origin and the app's WebAssembly: an injected `<script>` or `onclick` never runs.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Where ECharts' script is served: `/pkg/echarts.<id>.js` as the build named it (the `echarts:`
/// line of the hash file), loaded only by pages that draw a chart (`components::chart`).
fn echarts_src(options: &LeptosOptions) -> String {
    #[cfg(feature = "ssr")]
    {
        static SRC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let hash_file = options.hash_file.to_string();
        SRC.get_or_init(|| {
            let id = std::fs::read_to_string(&hash_file).ok().and_then(|text| {
                text.lines().find_map(|l| l.trim().strip_prefix("echarts:").map(|id| id.trim().to_string()))
            });
            match id {
                Some(id) if options.hash_files => format!("/pkg/echarts.{id}.js"),
                _ => "/pkg/echarts.js".to_string(),
            }
        })
        .clone()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
        "/pkg/echarts.js".to_string()
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
        // Installable on a phone's home screen (public/manifest.webmanifest, public/sw.js).
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
        <Meta name="theme-color" content="#2f5bea" />
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
                    <Route path=path!("/home/admin") view=lazy::AdminHomePage::route() />
                    <Route path=path!("/home/leadership") view=lazy::LeadershipHomePage::route() />
                    <Route path=path!("/home/mentor") view=lazy::MentorHomePage::route() />
                    <Route path=path!("/home/mentee") view=lazy::MenteeHomePage::route() />
                    <Route path=path!("/admin/users") view=lazy::AdminUsersPage::route() />
                    <Route path=path!("/admin/skills") view=lazy::AdminSkillsPage::route() />
                    <Route path=path!("/admin/programs") view=lazy::AdminProgramsPage::route() />
                    <Route path=path!("/admin/cohorts") view=lazy::AdminCohortsPage::route() />
                    <Route path=path!("/admin/cohorts/:id") view=lazy::AdminCohortPage::route() />
                    <Route path=path!("/admin/cohorts/:id/board") view=lazy::AdminBoardPage::route() />
                    <Route path=path!("/cohorts") view=lazy::EnrollPage::route() />
                    <Route path=path!("/admin/import") view=lazy::AdminImportPage::route() />
                    <Route path=path!("/admin/programs/:id") view=lazy::ProgramStudioPage::route() />
                    <Route path=path!("/account") view=lazy::AccountPage::route() />
                    <Route path=path!("/goals/new") view=lazy::GoalNewPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id") view=lazy::GoalDetailPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id/edit") view=lazy::GoalEditPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/pairs/:id") view=lazy::PairPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/pairs/:id/timeline") view=lazy::PairTimelinePage::route() ssr=SsrMode::Async />
                    <Route
                        path=path!("/pairs/:id/assessment")
                        view=lazy::PairAssessmentPage::route()
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/pairs/:id/report") view=lazy::ProgressReportPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/awards/:id") view=lazy::AwardDetailPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id") view=lazy::SurveyAnswerPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/admin/surveys") view=lazy::AdminSurveysPage::route() />
                    <Route path=path!("/dashboard") view=lazy::DashboardPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/retros") view=lazy::RetrosPage::route() ssr=SsrMode::Async />
                    <Route path=path!("/admin/surveys/:id") view=lazy::SurveyBuilderPage::route() ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/surveys/:id/results")
                        view=lazy::SurveyResultsPage::route()
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}
