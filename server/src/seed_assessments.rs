//! The demo's skill assessments on the running cohort ("Autumn 2026"): every pair's start-of-
//! program ratings, given in September (Yuki rated herself; Anna, whose pair never started, did
//! not), and for Tom and Elena (the demo mentee and mentor) the end-of-program ratings too, so
//! the growth table on their pair page (`/pairs/pilot_tom`) shows at once.
//!
//! Demo-forced: the cohort runs until 2027-02-26, so its end-of-program window (three weeks
//! before the end to two weeks after) has not opened yet; Tom's and Elena's end ratings are
//! stored as if given two days ago all the same. Nobody can give or change end ratings through
//! the app before the window opens.

use app::db::{checked, Db};
use app::domain::assessments::types::{Phase, Rater};

use crate::seed::SeedError;

/// The demo program's skills, in the order of the scores below.
const SKILLS: [&str; 7] = [
    "Giving feedback",
    "Difficult conversations",
    "Delegation",
    "Coaching others",
    "Strategic thinking",
    "Influencing without authority",
    "Conflict resolution",
];

/// (pairing, phase, rater, days ago, one score per skill of [`SKILLS`]).
const SETS: &[(&str, Phase, Rater, i64, [i64; 7])] = &[
    ("pilot_tom", Phase::Pre, Rater::Mentee, 77, [2, 2, 2, 3, 3, 2, 2]),
    ("pilot_tom", Phase::Pre, Rater::Mentor, 76, [2, 2, 1, 3, 2, 2, 2]),
    ("pilot_tom", Phase::Post, Rater::Mentee, 2, [4, 3, 3, 3, 3, 3, 3]),
    ("pilot_tom", Phase::Post, Rater::Mentor, 2, [4, 3, 3, 3, 3, 3, 2]),
    ("pilot_noah", Phase::Pre, Rater::Mentee, 74, [3, 2, 3, 2, 3, 2, 3]),
    ("pilot_noah", Phase::Pre, Rater::Mentor, 70, [3, 3, 3, 2, 2, 2, 3]),
    ("pilot_yuki", Phase::Pre, Rater::Mentee, 72, [2, 3, 2, 2, 3, 2, 3]),
];

/// Seeds the ratings. Runs after the running cohort exists.
pub async fn seed(db: &Db) -> Result<(), SeedError> {
    let mut skills = Vec::with_capacity(SKILLS.len());
    for name in SKILLS {
        let mut res = db
            .query(
                "SELECT VALUE record::id(id) FROM skill WHERE name = $name AND id INSIDE cohort:autumn2026.program.skills",
            )
            .bind(("name", name))
            .await?;
        let found: Vec<String> = res.take(0)?;
        let id = found
            .into_iter()
            .next()
            .ok_or_else(|| SeedError::Input(format!("the demo program has no skill named {name:?}")))?;
        skills.push(id);
    }
    let sets: Vec<serde_json::Value> = SETS
        .iter()
        .map(|(pairing, phase, rater, ago, scores)| {
            let ratings: Vec<serde_json::Value> =
                skills.iter().zip(scores).map(|(s, v)| serde_json::json!([s, v])).collect();
            serde_json::json!({
                "pairing": pairing, "phase": phase.as_str(), "rater": rater.as_str(), "ago": ago, "ratings": ratings,
            })
        })
        .collect();
    db.query(
        "FOR $a IN $sets {
             LET $p = type::record('pairing', $a.pairing);
             LET $at = time::now() - duration::from_days($a.ago);
             CREATE type::record('assessment', string::concat($a.pairing, '_', $a.phase, '_', $a.rater))
                 SET org = org:main, pairing = $p, cohort = $p.cohort, mentee = $p.mentee,
                     rated_by = IF $a.rater = 'mentee' THEN $p.mentee ELSE $p.mentor END,
                     phase = $a.phase, rater = $a.rater,
                     ratings = $a.ratings.map(|$r| { skill: type::record('skill', $r[0]), score: $r[1] }),
                     version = 1, submitted_at = $at, updated_at = $at;
         };
         -- The start-of-program phase was announced when the pairs were published.
         FOR $p IN [pairing:pilot_tom, pairing:pilot_noah, pairing:pilot_yuki] {
             CREATE type::record('assessment_notice', string::concat(record::id($p), '_pre'))
                 SET org = org:main, pairing = $p, phase = 'pre', at = $p.created_at;
         };",
    )
    .bind(("sets", sets))
    .await
    .and_then(checked)?;
    Ok(())
}
