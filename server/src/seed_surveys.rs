//! The demo's survey history on the running cohort ("Autumn 2026"): a monthly "Cohort pulse"
//! asked of mentees and mentors, anonymous with k = 3. Two rounds are closed and the third is
//! open (Tom and Elena, the demo mentee and mentor, have not answered it yet, so it waits on
//! their home pages). With six people in three departments, a department breakdown shows
//! Engineering and hides the others, so a newcomer sees results and suppression at once.

use app::db::{checked, Db};
use app::domain::surveys::types::{
    Answer, Answers, Audience, Measure, Question, QuestionKind, Schedule, ScheduleKind, SurveyDesign,
};

use crate::seed::SeedError;

pub(crate) fn design() -> SurveyDesign {
    let mut q1 = Question::new("q1".into(), QuestionKind::Likert, "Our mentoring sessions are worth the time.");
    q1.measure = Measure::Satisfaction;
    let q2 = Question::new("q2".into(), QuestionKind::Likert, "We met as often as we planned this month.");
    let q3 =
        Question::new("q3".into(), QuestionKind::Nps, "How likely are you to recommend this program to a colleague?");
    let mut q4 = Question::new("q4".into(), QuestionKind::ShortText, "One thing that would make next month better");
    q4.required = false;
    SurveyDesign {
        title: "Cohort pulse".into(),
        intro: "Four questions about the past month, for mentees and mentors.".into(),
        audience: Audience::Both,
        anonymous: true,
        min_group: 3,
        questions: vec![q1, q2, q3, q4],
        schedule: Schedule {
            kind: ScheduleKind::AfterPublish,
            days: 30,
            open_days: 7,
            remind_days_before: 2,
            repeat_monthly: true,
            ..Schedule::default()
        },
    }
}

/// One respondent's answers in round `round`, varied but fixed (the demo is the same every time).
fn answers(person: usize, round: usize) -> Answers {
    let scale = |base: usize| Answer::Scale((1 + (base + person * 3 + round * 2) % 5).max(2) as u8);
    let mut a = Answers::new();
    a.insert("q1".into(), scale(3));
    a.insert("q2".into(), scale(1));
    a.insert("q3".into(), Answer::Scale((6 + (person + round * 2) % 5) as u8));
    let notes = [
        "More time on real situations from work",
        "Shorter agendas, so we finish on time",
        "Meet in person once",
        "",
        "Share the workshop slides before the session",
        "",
    ];
    let note = notes[(person + round) % notes.len()];
    if !note.is_empty() {
        a.insert("q4".into(), Answer::Text(note.into()));
    }
    a
}

/// Seeds the pulse's three rounds. Runs after the running cohort exists.
pub async fn seed(db: &Db) -> Result<(), SeedError> {
    let design = serde_json::to_value(design()).map_err(|e| SeedError::Input(e.to_string()))?;
    // (round, opened days ago, respondents as indexes into the cohort's six people)
    let rounds: [(usize, i64, &[usize]); 3] =
        [(1, 62, &[0, 1, 2, 3, 4, 5]), (2, 32, &[0, 1, 2, 4, 5]), (3, 3, &[2, 3, 4, 5])];
    let mut responses = Vec::new();
    for (round, _, who) in rounds {
        for &p in who {
            responses.push(serde_json::json!({
                "round": round,
                "person": p,
                "answers": serde_json::to_value(answers(p, round)).map_err(|e| SeedError::Input(e.to_string()))?,
            }));
        }
    }
    let rounds_json: Vec<serde_json::Value> =
        rounds.iter().map(|(r, ago, who)| serde_json::json!({ "round": r, "ago": ago, "who": who })).collect();
    db.query(
        "LET $cohort = cohort:autumn2026;
         LET $admin = (SELECT VALUE id FROM user WHERE email = 'admin@northwind.example')[0];
         -- The six people of the cohort's three pairs: mentee, mentor of each, in a fixed order.
         LET $people = [
             [pairing:pilot_tom.mentee, 'mentee'], [pairing:pilot_tom.mentor, 'mentor'],
             [pairing:pilot_noah.mentee, 'mentee'], [pairing:pilot_noah.mentor, 'mentor'],
             [pairing:pilot_yuki.mentee, 'mentee'], [pairing:pilot_yuki.mentor, 'mentor']];
         FOR $r IN $rounds {
             LET $id = IF $r.round = 1 THEN 'pulse' ELSE string::concat('pulser', <string> $r.round) END;
             LET $opened = time::floor(time::now(), 1d) - duration::from_days($r.ago);
             LET $open = $r.ago < 7;
             CREATE type::record('survey', $id) SET org = org:main, cohort = $cohort, title = $design.title,
                 design = $design, audience = 'both', anonymous = true, min_group = 3,
                 status = IF $open THEN 'open' ELSE 'closed' END,
                 opens_at = $opened, opened_at = $opened, closes_at = $opened + 8d, remind_at = $opened + 5d,
                 closed_at = IF $open THEN NONE ELSE $opened + 8d END,
                 series = 'pulse', round = $r.round, invited = 6, version = 1, created_by = $admin;
             FOR $i IN $r.who {
                 CREATE type::record('survey_answered', string::concat($id, '_', record::id($people[$i][0])))
                     SET org = org:main, survey = type::record('survey', $id), user = $people[$i][0];
             };
         };
         -- Round 4 is scheduled, as the repeat would have made it.
         CREATE survey:pulser4 SET org = org:main, cohort = $cohort, title = $design.title, design = $design,
             audience = 'both', anonymous = true, min_group = 3, status = 'scheduled',
             opens_at = time::floor(time::now(), 1d) + 27d, closes_at = time::floor(time::now(), 1d) + 35d,
             remind_at = time::floor(time::now(), 1d) + 32d, series = 'pulse', round = 4, version = 1, created_by = $admin;
         FOR $x IN $responses {
             LET $id = IF $x.round = 1 THEN 'pulse' ELSE string::concat('pulser', <string> $x.round) END;
             LET $u = $people[$x.person][0];
             LET $s = type::record('survey', $id);
             CREATE survey_response SET org = org:main, survey = $s, side = $people[$x.person][1],
                 department = $u.department ?? '', level = $u.level,
                 day = time::format($s.opened_at + duration::from_days($x.person % 3), '%Y-%m-%d'),
                 answers = $x.answers;
         };",
    )
    .bind(("design", design))
    .bind(("rounds", rounds_json))
    .bind(("responses", responses))
    .await
    .and_then(checked)?;
    Ok(())
}

/// The running cohort's first-session fit checks: Tom and Elena a good fit; Noah says "not a
/// fit" (Oliver is still deciding), so an admin opening the cohort sees one flagged pair.
pub async fn seed_fit_checks(db: &Db) -> Result<(), SeedError> {
    db.query(
        "FOR $f IN [
             ['pilot_tom', 'mentee', 'good', ''],
             ['pilot_tom', 'mentor', 'good', ''],
             ['pilot_noah', 'mentee', 'not_fit', 'We have met twice in three months; I need a mentor with more time for this.'],
             ['pilot_noah', 'mentor', 'deciding', '']
         ] {
             CREATE type::record('fit_check', string::concat($f[0], '_', $f[1])) SET org = org:main,
                 pairing = type::record('pairing', $f[0]), side = $f[1], answer = $f[2], note = $f[3],
                 at = type::record('pairing', $f[0]).created_at + 10d;
         };",
    )
    .await
    .and_then(checked)?;
    Ok(())
}
