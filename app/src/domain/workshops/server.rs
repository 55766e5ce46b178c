//! Workshop seats in SurrealDB. A program's workshops belong to the cohorts whose dates include
//! them; the mentee of each published pair replies, an admin marks attendance, the mentee writes
//! a reflection once attended, and the mentor signs it off (which may earn a reward).

use std::collections::BTreeMap;

use surrealdb::types::SurrealValue;

use crate::db::refusal::SIGNED_OFF;
use crate::db::{check_key, checked, is_refusal, Db, Rows};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::enrollment::types::Side;
use crate::domain::goals::server::{pair, viewer, Pair};
use crate::domain::matching::types::Viewer;
use crate::domain::program::server::{design_of, DesignRow, DESIGN_FIELDS};
use crate::domain::program::types::{ProgramDesign, Workshop};
use crate::domain::workshops::types::{
    check_reflection, in_cohort, AttendanceRow, AttendanceSheet, Rsvp, WorkshopCard,
};
use crate::error::AppError;

#[derive(SurrealValue)]
struct PairingRow {
    id: String,
    mentee: String,
    mentee_name: Option<String>,
    cohort_name: Option<String>,
    starts: String,
    ends: String,
    program: String,
}

#[derive(SurrealValue)]
struct SeatRow {
    pairing: String,
    workshop: String,
    rsvp: Rsvp,
    attended: bool,
    reflection: String,
    signed_off_by: Option<String>,
}

const PAIRING_FIELDS: &str = "record::id(id) AS id, record::id(mentee) AS mentee, mentee.name AS mentee_name,
    cohort.name AS cohort_name, time::format(cohort.starts, '%Y-%m-%d') AS starts,
    time::format(cohort.ends, '%Y-%m-%d') AS ends, record::id(cohort.program) AS program";

fn seat_key(pairing: &str, workshop: &str) -> String {
    format!("{pairing}_{workshop}")
}

/// Every skill's key and name (archived ones too: past workshops keep theirs).
const SKILL_NAMES: &str = "SELECT record::id(id) AS id, name FROM skill";

#[derive(SurrealValue)]
struct SkillName {
    id: String,
    name: String,
}

/// Programs' designs and the catalog's skill names, loaded once per request.
struct Designs<'a> {
    db: &'a Db,
    programs: BTreeMap<String, ProgramDesign>,
    skills: BTreeMap<String, String>,
}

impl<'a> Designs<'a> {
    async fn new(db: &'a Db) -> Result<Designs<'a>, AppError> {
        let mut res = db.query(SKILL_NAMES).await?;
        Ok(Designs::loaded(db, res.take(0)?, Vec::new()))
    }

    /// From skill names and program designs a query has already loaded.
    fn loaded(db: &'a Db, skills: Vec<SkillName>, programs: Vec<ProgramDesign>) -> Designs<'a> {
        Designs {
            db,
            programs: programs.into_iter().map(|d| (d.id.clone(), d)).collect(),
            skills: skills.into_iter().map(|s| (s.id, s.name)).collect(),
        }
    }

    /// The workshops of `program` inside `starts..=ends`, by date.
    async fn workshops(&mut self, program: &str, starts: &str, ends: &str) -> Result<Vec<Workshop>, AppError> {
        if !self.programs.contains_key(program) {
            let d = crate::domain::program::server::get(self.db, program).await?;
            self.programs.insert(program.to_string(), d);
        }
        let mut list: Vec<Workshop> =
            self.programs[program].workshops.iter().filter(|w| in_cohort(&w.date, starts, ends)).cloned().collect();
        list.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
        Ok(list)
    }

    fn skill(&self, id: &str) -> String {
        self.skills.get(id).cloned().unwrap_or_default()
    }
}

/// The seats of some pairs, followed by a `WHERE` on `pairing`.
const SEATS: &str = "SELECT record::id(pairing) AS pairing, workshop, rsvp, attended, reflection,
    signed_off_by.name AS signed_off_by FROM workshop_seat";

async fn seats(db: &Db, pairings: Vec<String>) -> Result<BTreeMap<(String, String), SeatRow>, AppError> {
    let mut res = db
        // The ids bound first: `IN $ids.map(…)` is not matched to the index and reads every seat.
        .query(format!("LET $pairs = $ids.map(|$p| type::record('pairing', $p)); {SEATS} WHERE pairing IN $pairs"))
        .bind(("ids", pairings))
        .await?;
    let rows: Vec<SeatRow> = res.take(1)?;
    Ok(rows.into_iter().map(|r| ((r.pairing.clone(), r.workshop.clone()), r)).collect())
}

async fn today(db: &Db) -> Result<String, AppError> {
    let mut res = db.query("RETURN time::format(time::now(), '%Y-%m-%d')").await?;
    let t: Option<String> = res.take(0)?;
    Ok(t.unwrap_or_default())
}

/// The workshops of the caller's published pairs: their own as mentee, their mentees' as mentor.
pub async fn mine(db: &Db, user_id: &str) -> Result<Vec<WorkshopCard>, AppError> {
    // One round trip (a home page loads this on every visit): the pairs, their seats, today,
    // the skill names and the pairs' programs.
    let pairs = "pairing WHERE status = 'published'
        AND (mentee = type::record('user', $me) OR mentor = type::record('user', $me))";
    // The pairs' ids are bound once (`$ps`): a subquery inside `IN (…)` made the seats and the
    // programs table scans; with a list, the seats come from their (pairing, workshop) index and
    // the programs are read by id.
    let mut res = db
        .query(format!(
            "LET $ps = (SELECT VALUE id FROM {pairs});
             SELECT {PAIRING_FIELDS} FROM {pairs};
             {SEATS} WHERE pairing IN $ps;
             RETURN time::format(time::now(), '%Y-%m-%d');
             {SKILL_NAMES};
             SELECT {DESIGN_FIELDS} FROM array::distinct($ps.cohort.program);"
        ))
        .bind(("me", user_id.to_string()))
        .await?;
    let rows: Vec<PairingRow> = res.take(1)?;
    let seats: Vec<SeatRow> = res.take(2)?;
    let seats: BTreeMap<(String, String), SeatRow> =
        seats.into_iter().map(|r| ((r.pairing.clone(), r.workshop.clone()), r)).collect();
    let today: Option<String> = res.take(3)?;
    let today = today.unwrap_or_default();
    let skills: Vec<SkillName> = res.take(4)?;
    let programs: Vec<DesignRow> = res.take(5)?;
    let programs = programs.into_iter().map(design_of).collect::<Result<Vec<_>, _>>()?;
    let mut designs = Designs::loaded(db, skills, programs);
    let mut out = Vec::new();
    for p in rows {
        let side = if p.mentee == user_id { Side::Mentee } else { Side::Mentor };
        for w in designs.workshops(&p.program, &p.starts, &p.ends).await? {
            let seat = seats.get(&(p.id.clone(), w.id.clone()));
            out.push(WorkshopCard {
                pairing_id: p.id.clone(),
                workshop_id: w.id.clone(),
                skill_name: designs.skill(&w.skill_id),
                past: w.date < today,
                title: w.title,
                date: w.date,
                format: w.format,
                cohort_name: p.cohort_name.clone().unwrap_or_default(),
                mentee_name: p.mentee_name.clone().unwrap_or_default(),
                rsvp: seat.map_or(Rsvp::None, |s| s.rsvp),
                attended: seat.is_some_and(|s| s.attended),
                reflection: seat.map(|s| s.reflection.clone()).unwrap_or_default(),
                signed_off_by: seat.and_then(|s| s.signed_off_by.clone()),
                viewer: side,
            });
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.mentee_name.cmp(&b.mentee_name)));
    Ok(out)
}

/// The workshop `workshop_id` of a pair, with the pair and the caller's part; "not found" for
/// anyone outside the pair and for a workshop outside the pair's cohort.
async fn workshop_of(
    access: &Access,
    pairing_id: &str,
    workshop_id: &str,
) -> Result<(Pair, Workshop, Viewer), AppError> {
    let p = pair(&access.db, pairing_id).await?;
    let who = viewer(access, &p)?;
    p.writable()?;
    let design = crate::domain::program::server::get(&access.db, &p.row.program).await?;
    let w = design
        .workshops
        .into_iter()
        .find(|w| w.id == workshop_id && in_cohort(&w.date, &p.row.starts, &p.row.ends))
        .ok_or(AppError::NotFound)?;
    Ok((p, w, who))
}

async fn seat(db: &Db, key: &str) -> Result<Option<SeatRow>, AppError> {
    let mut res = db
        .query(
            "SELECT record::id(pairing) AS pairing, workshop, rsvp, attended, reflection, signed_off_by.name AS signed_off_by
             FROM type::record('workshop_seat', $key)",
        )
        .bind(("key", key.to_string()))
        .await
        ?;
    Ok(res.take::<Vec<SeatRow>>(0)?.into_iter().next())
}

/// The mentee replies going / not going; not after the workshop's day.
pub async fn rsvp(
    access: &Access,
    pairing_id: &str,
    workshop_id: &str,
    going: bool,
) -> Result<Vec<WorkshopCard>, AppError> {
    let (p, w, who) = workshop_of(access, pairing_id, workshop_id).await?;
    if who != Viewer::Mentee {
        return Err(AppError::Forbidden);
    }
    if w.date < p.row.today {
        return Err(AppError::field("rsvp", "This workshop has already taken place."));
    }
    access
        .db
        .query(
            "UPSERT type::record('workshop_seat', $key) SET org = org:main, pairing = type::record('pairing', $pairing),
                 workshop = $workshop, rsvp = $rsvp, rsvp_at = time::now()",
        )
        .bind(("key", seat_key(&p.id, &w.id)))
        .bind(("pairing", p.id))
        .bind(("workshop", w.id))
        .bind(("rsvp", if going { Rsvp::Going } else { Rsvp::NotGoing }.as_str()))
        .await
        .and_then(checked)
        ?;
    mine(&access.db, &access.user().id).await
}

/// The mentee's reflection on how they applied the skill: once attended, until signed off.
pub async fn reflect(
    access: &Access,
    pairing_id: &str,
    workshop_id: &str,
    text: &str,
) -> Result<Vec<WorkshopCard>, AppError> {
    let (p, w, who) = workshop_of(access, pairing_id, workshop_id).await?;
    if who != Viewer::Mentee {
        return Err(AppError::Forbidden);
    }
    let text = check_reflection(text).map_err(AppError::Validation)?;
    let key = seat_key(&p.id, &w.id);
    let s = seat(&access.db, &key).await?;
    if !s.as_ref().is_some_and(|s| s.attended) {
        return Err(AppError::field("reflection", "Your reflection opens once an admin marks you as attended."));
    }
    if s.as_ref().is_some_and(|s| s.signed_off_by.is_some()) {
        return Err(AppError::field("reflection", "Your mentor has signed this reflection off; it no longer changes."));
    }
    // The conditions are part of the write: a sign-off landing meanwhile is never overwritten.
    let mut res = access
        .db
        .query(
            "UPDATE type::record('workshop_seat', $key) SET reflection = $text, reflected_at = time::now()
             WHERE attended = true AND signed_off_by = NONE RETURN VALUE record::id(id)",
        )
        .bind(("key", key))
        .bind(("text", text))
        .await
        .and_then(checked)?;
    let written: Vec<String> = res.take(0)?;
    if written.is_empty() {
        return Err(AppError::field("reflection", "Your mentor has signed this reflection off; it no longer changes."));
    }
    let note = format!("{} reflected on the workshop “{}”. Read it and sign it off.", access.user().name, w.title);
    access
        .db
        .query("CREATE notification SET org = org:main, user = type::record('user', $mentor), text = $note, link = '/home/mentor'")
        .bind(("mentor", p.row.mentor.clone()))
        .bind(("note", note))
        .await
        .and_then(checked)
        ?;
    mine(&access.db, &access.user().id).await
}

/// The mentor signs the mentee's reflection off; the workshop then counts towards rewards.
pub async fn sign_off(access: &Access, pairing_id: &str, workshop_id: &str) -> Result<Vec<WorkshopCard>, AppError> {
    let (p, w, who) = workshop_of(access, pairing_id, workshop_id).await?;
    if who != Viewer::Mentor {
        return Err(AppError::Forbidden);
    }
    let key = seat_key(&p.id, &w.id);
    let s = seat(&access.db, &key).await?;
    let Some(s) = s.filter(|s| s.attended && !s.reflection.is_empty()) else {
        return Err(AppError::field("sign_off", "There is no reflection to sign off yet."));
    };
    if s.signed_off_by.is_none() {
        let note = format!("{} signed off your reflection on “{}”.", access.user().name, w.title);
        access
            .db
            .query(
                "BEGIN;
                 UPDATE type::record('workshop_seat', $key) SET signed_off_by = type::record('user', $me), signed_off_at = time::now()
                     WHERE signed_off_by = NONE;
                 CREATE notification SET org = org:main, user = type::record('user', $mentee), text = $note, link = '/home/mentee';
                 COMMIT;",
            )
            .bind(("key", key))
            .bind(("me", access.user().id.clone()))
            .bind(("mentee", p.row.mentee.clone()))
            .bind(("note", note))
            .await
            .and_then(checked)
            ?;
        crate::domain::awards::server::evaluate_logged(&access.db, &p.id).await;
    }
    mine(&access.db, &access.user().id).await
}

#[derive(SurrealValue)]
struct CohortRow {
    starts: String,
    ends: String,
    program: String,
}

async fn cohort_row(db: &Db, cohort_id: &str) -> Result<CohortRow, AppError> {
    let id = check_key(cohort_id)?.to_string();
    let mut res = db
        .query(
            "SELECT time::format(starts, '%Y-%m-%d') AS starts, time::format(ends, '%Y-%m-%d') AS ends,
                 record::id(program) AS program FROM type::record('cohort', $id)",
        )
        .bind(("id", id))
        .await?;
    res.one::<CohortRow>(0)
}

/// A cohort's workshops with every published pair's mentee, reply and attendance (admins).
pub async fn attendance(db: &Db, cohort_id: &str) -> Result<Vec<AttendanceSheet>, AppError> {
    let c = cohort_row(db, cohort_id).await?;
    let mut res = db
        .query(format!(
            "SELECT {PAIRING_FIELDS} FROM pairing WHERE cohort = type::record('cohort', $id) AND status = 'published'"
        ))
        .bind(("id", cohort_id.to_string()))
        .await?;
    let mut pairs: Vec<PairingRow> = res.take(0)?;
    pairs.sort_by(|a, b| a.mentee_name.cmp(&b.mentee_name));
    let seats = seats(db, pairs.iter().map(|p| p.id.clone()).collect()).await?;
    let mut designs = Designs::new(db).await?;
    let workshops = designs.workshops(&c.program, &c.starts, &c.ends).await?;
    let today = today(db).await?;
    Ok(workshops
        .into_iter()
        .map(|w| AttendanceSheet {
            rows: pairs
                .iter()
                .map(|p| {
                    let s = seats.get(&(p.id.clone(), w.id.clone()));
                    AttendanceRow {
                        pairing_id: p.id.clone(),
                        mentee_name: p.mentee_name.clone().unwrap_or_default(),
                        rsvp: s.map_or(Rsvp::None, |s| s.rsvp),
                        attended: s.is_some_and(|s| s.attended),
                        signed_off: s.is_some_and(|s| s.signed_off_by.is_some()),
                    }
                })
                .collect(),
            skill_name: designs.skill(&w.skill_id),
            open: w.date <= today,
            workshop_id: w.id,
            title: w.title,
            date: w.date,
            format: w.format,
        })
        .collect())
}

/// An admin marks (or unmarks) a mentee as attended. Attendance behind a signed-off reflection
/// stays: the mentor's sign-off (and any reward it earned) rests on it.
pub async fn mark(
    access: &Access,
    cohort_id: &str,
    pairing_id: &str,
    workshop_id: &str,
    attended: bool,
) -> Result<Vec<AttendanceSheet>, AppError> {
    let c = cohort_row(&access.db, cohort_id).await?;
    let p = pair(&access.db, pairing_id).await?;
    if p.row.cohort != cohort_id {
        return Err(AppError::NotFound);
    }
    p.writable()?;
    let design = crate::domain::program::server::get(&access.db, &c.program).await?;
    let w = design
        .workshops
        .into_iter()
        .find(|w| w.id == workshop_id && in_cohort(&w.date, &c.starts, &c.ends))
        .ok_or(AppError::NotFound)?;
    if attended && w.date > p.row.today {
        return Err(AppError::field(
            "attended",
            format!("Attendance can be marked from the day of the workshop ({}).", w.date),
        ));
    }
    let key = seat_key(&p.id, &w.id);
    let signed = || {
        AppError::field(
            "attended",
            "This mentee's reflection is already signed off by their mentor, so the attendance stays.",
        )
    };
    if !attended && seat(&access.db, &key).await?.is_some_and(|s| s.signed_off_by.is_some()) {
        return Err(signed());
    }
    let detail = format!("{} · {}", w.title, p.row.mentee_name.clone().unwrap_or_default());
    let audit = Audit::by(access, if attended { "marked attended" } else { "unmarked attended" }, detail);
    // Unmarking is conditional in the write too, so a sign-off landing meanwhile keeps its ground.
    let write = if attended {
        "UPSERT type::record('workshop_seat', $key) SET org = org:main, pairing = type::record('pairing', $pairing),
             workshop = $workshop, attended = true, attended_at = attended_at ?? time::now();"
            .to_string()
    } else {
        format!(
            "IF (SELECT VALUE signed_off_by FROM ONLY type::record('workshop_seat', $key)) != NONE {{ THROW '{SIGNED_OFF}' }};
             UPDATE type::record('workshop_seat', $key) SET attended = false, attended_at = NONE;"
        )
    };
    let query = access.db.query(format!(
        "BEGIN;
         {write}
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let res = audit
        .bind(query)
        .bind(("key", key))
        .bind(("pairing", p.id.clone()))
        .bind(("workshop", w.id.clone()))
        .await
        .and_then(checked);
    match res {
        Ok(_) => attendance(&access.db, cohort_id).await,
        Err(e) if is_refusal(&e, SIGNED_OFF) => Err(signed()),
        Err(e) => Err(AppError::from(e)),
    }
}
