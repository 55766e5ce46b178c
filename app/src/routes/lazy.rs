//! Pages whose code loads only when someone opens them: every page but the landing and sign-in
//! pages (which every visitor meets first and which stay in the main module with the layout).
//!
//! Pages come in groups, each group one split point: on the server a group's pages render as usual,
//! and in the browser the group's code (its views, the server-function codecs only they call, and
//! for the board the matching engine) is moved into chunks by `wasm-split` (see the `x` script's
//! `build_front`). Code two groups share goes into a chunk of its own, so the number of chunks grows
//! with the number of groups; hence groups of related pages rather than one split per page. The build
//! also writes each group's files into one pack (`frontend/site.mjs`), which the HTML of a page
//! preloads (the server knows which: `#[lazy]` records the split point it renders) and the loader
//! takes the chunks from: one request instead of 40-odd, so a first load does not wait twice.
//!
//! A participant never downloads the admin pages, the studio or the board and its engine.
//!
//! Each group renders a hidden `[data-lazy-page]` marker after the page, and reports the page
//! interactive once it has hydrated (see `hooks/use_interactive.rs`). The routes' `data()` is empty:
//! every page starts its own resources when it renders, and on a first load those come from the
//! server-rendered HTML anyway.

use leptos::prelude::*;
use leptos_router::{Lazy, LazyRoute};

use crate::hooks::use_interactive::use_interactive;
use crate::routes::{
    account, admin_board, admin_cohort, admin_cohorts, admin_import, admin_programs, admin_skills, admin_users, award,
    dashboard, enroll, goals, home, pair, pair_assessment, progress_report, retros, surveys, timeline,
};

/// Declares a group of lazily loaded pages: an enum naming them, the group's split point (a
/// `#[lazy]` function rendering any of them), and per page a unit struct implementing
/// [`LazyRoute`] (use `Page::route()` as the route's view). `$preload` is the name `#[lazy]` gives
/// the split point's loader: `__preload_` and the split point's name.
macro_rules! lazy_group {
    (
        $(#[$gdoc:meta])* $group:ident, $split:ident, $preload:ident {
            $( $(#[$doc:meta])* $page:ident => $component:path ),+ $(,)?
        }
    ) => {
        $(#[$gdoc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $group {
            $( $(#[$doc])* $page, )+
        }

        /// The group's split point: its code is in the group's chunks.
        #[leptos::lazy]
        fn $split(page: $group) -> AnyView {
            use_interactive(false);
            let view = match page {
                $( $group::$page => view! { <$component /> }.into_any(), )+
            };
            view! {
                {view}
                <span hidden data-lazy-page="" />
            }
            .into_any()
        }

        $(
            $(#[$doc])*
            pub struct $page;

            impl $page {
                /// The route's view: `<Route view=lazy::Page::route() />`.
                pub fn route() -> Lazy<$page> {
                    Lazy::new()
                }
            }

            impl LazyRoute for $page {
                fn data() -> Self {
                    $page
                }

                async fn view(this: Self) -> AnyView {
                    let _ = this;
                    $split($group::$page).await
                }

                // The router awaits this before hydrating the page: the chunks must be there, or the
                // page would hydrate as "still loading" and not match the server's HTML.
                async fn preload() {
                    #[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
                    $preload().await;
                }
            }
        )+
    };
}

lazy_group!(
    /// A participant's home.
    HomePages, home_pages, __preload_home_pages {
        /// `/home/mentee`: a mentee's home.
        MenteeHomePage => home::MenteeHome,
        /// `/home/mentor`: a mentor's home.
        MentorHomePage => home::MentorHome,
    }
);

lazy_group!(
    /// One goal (what a mentee opens most: a check-in, a comment), without the wizard's code.
    GoalPages, goal_pages, __preload_goal_pages {
        /// `/goals/:id`: one goal, its check-ins and comments.
        GoalDetailPage => goals::GoalPage,
    }
);

lazy_group!(
    /// The goal wizard: a new goal, or editing one.
    GoalWizardPages, goal_wizard_pages, __preload_goal_wizard_pages {
        /// `/goals/new`: the goal wizard.
        GoalNewPage => goals::GoalNew,
        /// `/goals/:id/edit`: the goal wizard on an existing goal.
        GoalEditPage => goals::GoalEdit,
    }
);

lazy_group!(
    /// A pair's pages, and answering a survey.
    PairPages, pair_pages, __preload_pair_pages {
        /// `/pairs/:id`: a pair's meetings.
        PairPage => pair::Pair,
        /// `/pairs/:id/timeline`: a pair's timeline.
        PairTimelinePage => timeline::TimelinePage,
        /// `/pairs/:id/assessment`: a pair's pre/post skill assessment.
        PairAssessmentPage => pair_assessment::PairAssessment,
        /// `/awards/:id`: an award and its certificate.
        AwardDetailPage => award::AwardPage,
    }
);

lazy_group!(
    /// Answering a survey: a page of its own, as a survey's link is often the first page a
    /// participant opens on a phone. (More groups mean more small chunks shared between groups,
    /// but a page fetches its group's chunks as one pack, so they cost no round trips.)
    SurveyPages, survey_pages, __preload_survey_pages {
        /// `/surveys/:id`: answering a survey.
        SurveyAnswerPage => surveys::SurveyAnswer,
    }
);

lazy_group!(
    /// Applying to cohorts.
    SelfServicePages, self_service_pages, __preload_self_service_pages {
        /// `/cohorts`: open cohorts and applying.
        EnrollPage => enroll::Enroll,
    }
);

lazy_group!(
    /// One's own account.
    AccountPages, account_pages, __preload_account_pages {
        /// `/account`: name and password.
        AccountPage => account::Account,
    }
);

lazy_group!(
    /// Leadership's pages and the pages that draw charts (with charming: only these load its code,
    /// and only they load ECharts' script).
    ChartPages, chart_pages, __preload_chart_pages {
        /// `/home/leadership`: the leadership overview.
        LeadershipHomePage => home::LeadershipHome,
        /// `/admin/surveys/:id/results`: a survey's results (leadership and admins).
        SurveyResultsPage => surveys::SurveyResultsPage,
        /// `/dashboard`: the live dashboard with its charts (leadership and admins).
        DashboardPage => dashboard::DashboardPage,
        /// `/pairs/:id/report`: a mentee's progress report (the pair and admins).
        ProgressReportPage => progress_report::ProgressReport,
        /// `/retros`: cohort retrospectives, comparing cohorts and strategies (leadership and admins).
        RetrosPage => retros::RetrosPage,
    }
);

lazy_group!(
    /// The admin's pages, but the matching board.
    AdminPages, admin_pages, __preload_admin_pages {
        /// `/home/admin`: the admin's overview.
        AdminHomePage => home::AdminHome,
        /// `/admin/users`: people and roles.
        AdminUsersPage => admin_users::AdminUsers,
        /// `/admin/skills`: the skills catalog.
        AdminSkillsPage => admin_skills::AdminSkills,
        /// `/admin/import`: CSV import.
        AdminImportPage => admin_import::AdminImport,
        /// `/admin/programs`: the program list.
        AdminProgramsPage => admin_programs::AdminPrograms,
        /// `/admin/programs/:id`: the program studio.
        ProgramStudioPage => admin_programs::ProgramStudio,
        /// `/admin/cohorts`: the cohort list.
        AdminCohortsPage => admin_cohorts::AdminCohorts,
        /// `/admin/cohorts/:id`: one cohort's applications, pairs and workshops.
        AdminCohortPage => admin_cohort::AdminCohort,
        /// `/admin/surveys`: every survey, and a new one from a template.
        AdminSurveysPage => surveys::AdminSurveys,
        /// `/admin/surveys/:id`: the survey builder.
        SurveyBuilderPage => surveys::SurveyBuilder,
    }
);

lazy_group!(
    /// The matching board, with the matching engine it runs in the browser.
    BoardPages, board_pages, __preload_board_pages {
        /// `/admin/cohorts/:id/board`: the matching board.
        AdminBoardPage => admin_board::AdminBoard,
    }
);
