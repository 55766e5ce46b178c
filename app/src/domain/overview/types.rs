//! What each role's home page shows. Leadership and admin views are aggregates only.

use serde::{Deserialize, Serialize};

use crate::domain::assessments::types::PendingAssessment;
use crate::domain::auth::types::Role;
use crate::domain::awards::types::RewardProgress;
use crate::domain::cohort::types::CohortStatus;
use crate::domain::goals::types::GoalSummary;
use crate::domain::matching::types::{MyMatch, Notification};
use crate::domain::surveys::types::PendingSurvey;
use crate::domain::workshops::types::WorkshopCard;
use crate::error::AppError;

/// A cohort as listed on home pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSummary {
    /// Record key.
    pub id: String,
    /// Cohort name, e.g. "Spring 2027".
    pub name: String,
    /// The program it runs.
    pub program_name: String,
    /// First day, `YYYY-MM-DD`.
    pub starts: String,
    /// Last day, `YYYY-MM-DD`.
    pub ends: String,
    /// Where the cohort is in its life.
    pub status: CohortStatus,
}

/// A count for one label (a role, a department, a status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// What is counted.
    pub label: String,
    /// How many.
    pub count: i64,
}

/// One line of the admin activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    /// Who did it (name).
    pub who: String,
    /// What happened, in words.
    pub what: String,
    /// When, `YYYY-MM-DD HH:MM` UTC.
    pub at: String,
}

/// The admin home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    /// Active user accounts.
    pub active_users: i64,
    /// Users per role (a user may count under several).
    pub users_by_role: Vec<Count>,
    /// Accounts still on a temporary password.
    pub pending_first_sign_in: i64,
    /// Skills in the catalog (not archived).
    pub skills: i64,
    /// Programs defined.
    pub programs: i64,
    /// Every cohort, newest first.
    pub cohorts: Vec<CohortSummary>,
    /// Latest admin actions.
    pub activity: Vec<ActivityEntry>,
}

/// The leadership home page: organization-wide aggregates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadershipOverview {
    /// Active people.
    pub headcount: i64,
    /// Active mentors.
    pub mentors: i64,
    /// Active mentees.
    pub mentees: i64,
    /// People per department, largest first.
    pub by_department: Vec<Count>,
    /// Every cohort, newest first.
    pub cohorts: Vec<CohortSummary>,
}

/// Everything a mentor's or mentee's home page shows, loaded in one call. A list that could not
/// be loaded is empty; the workshops and rewards panels also say why (the others just stay empty
/// or hidden), and the rest of the page still shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParticipantHome {
    /// The person, their skills, the open cohorts and the mentor guides.
    pub overview: ParticipantOverview,
    /// In-app notifications.
    pub notes: Vec<Notification>,
    /// Published pairs, both sides.
    pub pairs: Vec<MyMatch>,
    /// Goals, both sides.
    pub goals: Vec<GoalSummary>,
    /// Workshop cards, both sides.
    pub workshops: Vec<WorkshopCard>,
    /// Why the workshops could not be loaded, if they could not.
    pub workshops_failed: Option<AppError>,
    /// A mentee's rewards with their progress (none for a mentor).
    pub rewards: Vec<RewardProgress>,
    /// Why the rewards could not be loaded, if they could not.
    pub rewards_failed: Option<AppError>,
    /// Surveys waiting for an answer.
    pub surveys: Vec<PendingSurvey>,
    /// Skill assessments waiting.
    pub assessments: Vec<PendingAssessment>,
}

/// A mentor's or mentee's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantOverview {
    /// Which of the two home pages this is.
    pub role: Role,
    /// The person's name.
    pub name: String,
    /// Job title.
    pub title: String,
    /// Department.
    pub department: String,
    /// Career level.
    pub level: Option<i64>,
    /// Skills offered (mentor) or wanted (mentee).
    pub skills: Vec<String>,
    /// Cohorts of the organization that are open or running.
    pub cohorts: Vec<CohortSummary>,
    /// For mentors: the mentor guide of each program they have mentees in (before that, of each
    /// program with an open or running cohort).
    pub guides: Vec<MentorGuide>,
}

/// A program's guide for its mentors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorGuide {
    /// The program.
    pub program_name: String,
    /// Its approach, in words.
    pub approach: String,
    /// The guide, in Markdown.
    pub guide: String,
    /// The mentor's mentees in this program (empty before pairs are published).
    pub mentees: Vec<String>,
}
