//! Pages whose code loads only when someone opens them: every page but the landing and sign-in
//! pages (which every visitor meets first and which stay in the main module with the layout).
//!
//! Each type here is a [`LazyRoute`]: on the server it renders the page as usual, and in the
//! browser the page's code (its view, its panels, the server-function codecs only it calls, and for
//! the board the matching engine) is split into its own `.wasm` chunk by `wasm-split` (see the `x`
//! script's `build_front`). A participant's first visit downloads only the participant pages; an
//! admin downloads the studio or the board when they open it. A page whose chunk the server knows it
//! needs is preloaded by a `<link rel=preload>` in the HTML, so a direct load does not wait twice.
//!
//! Each renders a hidden `[data-lazy-page]` marker after the page, and reports the page interactive
//! once it has hydrated (see `hooks/use_interactive.rs`).
//!
//! `data()` is empty: every page here starts its own resources when it renders, and on the first
//! load those come from the server-rendered HTML anyway.

use leptos::prelude::*;
use leptos_router::{lazy_route, Lazy, LazyRoute};

use crate::hooks::use_interactive::use_interactive;
use crate::routes::{
    account, admin_board, admin_cohort, admin_cohorts, admin_import, admin_programs, admin_skills, admin_users, award,
    enroll, goals, home, pair, timeline,
};

/// Declares one lazily loaded page: a unit struct and its `LazyRoute` impl rendering `$component`.
/// Keep one invocation per line: the split point's name includes its source position.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $name:ident => $component:path) => {
        $(#[$doc])*
        pub struct $name;

        impl $name {
            /// The route's view: `<Route view=lazy::Page::route() />`.
            pub fn route() -> Lazy<$name> {
                Lazy::new()
            }
        }

        #[lazy_route]
        impl LazyRoute for $name {
            fn data() -> Self {
                $name
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                use_interactive(false);
                view! {
                    <$component />
                    <span hidden data-lazy-page="" />
                }
                .into_any()
            }
        }
    };
}

lazy_page!(
    /// `/home/admin`: the admin's overview.
    AdminHomePage => home::AdminHome
);
lazy_page!(
    /// `/home/leadership`: the leadership overview.
    LeadershipHomePage => home::LeadershipHome
);
lazy_page!(
    /// `/admin/users`: people and roles.
    AdminUsersPage => admin_users::AdminUsers
);
lazy_page!(
    /// `/admin/skills`: the skills catalog.
    AdminSkillsPage => admin_skills::AdminSkills
);
lazy_page!(
    /// `/admin/programs`: the program list.
    AdminProgramsPage => admin_programs::AdminPrograms
);
lazy_page!(
    /// `/admin/programs/:id`: the program studio.
    ProgramStudioPage => admin_programs::ProgramStudio
);
lazy_page!(
    /// `/admin/cohorts`: the cohort list.
    AdminCohortsPage => admin_cohorts::AdminCohorts
);
lazy_page!(
    /// `/admin/cohorts/:id`: one cohort's applications, pairs and workshops.
    AdminCohortPage => admin_cohort::AdminCohort
);
lazy_page!(
    /// `/admin/cohorts/:id/board`: the matching board and its engine.
    AdminBoardPage => admin_board::AdminBoard
);
lazy_page!(
    /// `/admin/import`: CSV import.
    AdminImportPage => admin_import::AdminImport
);
lazy_page!(
    /// `/goals/new`: the goal wizard.
    GoalNewPage => goals::GoalNew
);
lazy_page!(
    /// `/goals/:id/edit`: the goal wizard on an existing goal.
    GoalEditPage => goals::GoalEdit
);
lazy_page!(
    /// `/home/mentor`: a mentor's home.
    MentorHomePage => home::MentorHome
);
lazy_page!(
    /// `/home/mentee`: a mentee's home.
    MenteeHomePage => home::MenteeHome
);
lazy_page!(
    /// `/goals/:id`: one goal, its check-ins and comments.
    GoalDetailPage => goals::GoalPage
);
lazy_page!(
    /// `/pairs/:id`: a pair's meetings.
    PairPage => pair::Pair
);
lazy_page!(
    /// `/pairs/:id/timeline`: a pair's timeline.
    PairTimelinePage => timeline::TimelinePage
);
lazy_page!(
    /// `/awards/:id`: an award and its certificate.
    AwardDetailPage => award::AwardPage
);
lazy_page!(
    /// `/cohorts`: open cohorts and applying.
    EnrollPage => enroll::Enroll
);
lazy_page!(
    /// `/account`: name and password.
    AccountPage => account::Account
);
