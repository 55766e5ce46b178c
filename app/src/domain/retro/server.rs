//! Cohort retrospectives on the server: the comparison (from the same facts as the dashboards),
//! notes with their history, and the decisions carried into later cohorts.

use std::collections::BTreeMap;

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, Db, Rows};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::cohort::types::CohortStatus;
use crate::domain::metrics::csv;
use crate::domain::metrics::server::{MetricsCache, K};
use crate::domain::retro::compare::{self, CohortTags};
use crate::domain::retro::types::{
    CarryItem, CohortChoice, CohortRetro, CompareInput, Comparison, Decision, DecisionInput, DeleteNoteInput,
    NoteChange, NoteInput, NoteKind, RetroNote, RetroTable,
};
use crate::error::AppError;

#[derive(SurrealValue)]
struct TagRow {
    id: String,
    name: String,
    program_id: String,
    program_name: Option<String>,
    status: String,
    approach: Option<String>,
    matching_mode: Option<String>,
    meeting_cadence: Option<String>,
    workshop_format: Option<String>,
}

const TAG_ROWS: &str = "SELECT record::id(id) AS id, name, record::id(program) AS program_id,
    program.name AS program_name, status,
    strategy_tags.approach ?? program.approach AS approach, strategy_tags.matching_mode AS matching_mode,
    strategy_tags.meeting_cadence AS meeting_cadence, strategy_tags.workshop_format AS workshop_format
    FROM cohort WHERE status != 'draft' ORDER BY starts, name;";

async fn tag_rows(db: &Db) -> Result<Vec<TagRow>, AppError> {
    db.query(TAG_ROWS).await?.rows(0)
}

fn tags_of(r: &TagRow) -> CohortTags {
    CohortTags {
        approach: r.approach.clone().unwrap_or_default(),
        matching_mode: r.matching_mode.clone().unwrap_or_default(),
        meeting_cadence: r.meeting_cadence.clone().unwrap_or_default(),
        workshop_format: r.workshop_format.clone().unwrap_or_default(),
    }
}

/// Every cohort that can be compared (all but drafts), oldest first.
pub async fn menu(db: &Db) -> Result<Vec<CohortChoice>, AppError> {
    Ok(tag_rows(db)
        .await?
        .into_iter()
        .map(|r| CohortChoice {
            tags: tags_of(&r).words(),
            id: r.id,
            name: r.name,
            program_id: r.program_id,
            program_name: r.program_name.unwrap_or_default(),
            status: r.status,
        })
        .collect())
}

/// The comparison asked for, from the facts the dashboards keep (`cache`; read afresh without the
/// live feed). Leadership (`!admin`) may only pick cohorts of k mentees or more.
pub async fn comparison(
    db: &Db,
    cache: &MetricsCache,
    input: &CompareInput,
    admin: bool,
) -> Result<Comparison, AppError> {
    let loaded = cache.facts(db).await?;
    let tags: BTreeMap<String, CohortTags> = tag_rows(db).await?.iter().map(|r| (r.id.clone(), tags_of(r))).collect();
    compare::compare(&loaded.ds, &tags, input, K, admin)
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{:.4}", v).trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        String::new()
    }
}

/// One table of a comparison as CSV (UTF-8 with BOM, formulas neutralised).
pub fn csv_of(c: &Comparison, table: RetroTable) -> String {
    match table {
        RetroTable::Outcomes => {
            let header = ["outcome", "side", "n", "counts", "value", "low", "high", "hidden"];
            let mut rows = Vec::new();
            for r in &c.rows {
                for (side, cell) in c.sides.iter().zip(&r.cells) {
                    let e = cell.value;
                    rows.push(vec![
                        r.label.clone(),
                        side.label.clone(),
                        cell.n.to_string(),
                        cell.unit.clone(),
                        e.map(|e| num(e.value)).unwrap_or_default(),
                        e.map(|e| num(e.low)).unwrap_or_default(),
                        e.map(|e| num(e.high)).unwrap_or_default(),
                        cell.hidden.clone().unwrap_or_default(),
                    ]);
                }
            }
            csv::file(&header, &rows)
        }
        RetroTable::Differences => {
            let header = [
                "outcome",
                "comparison",
                "difference",
                "low",
                "high",
                "hedges_g",
                "g_low",
                "g_high",
                "clear",
                "in words",
                "warnings",
            ];
            let rows: Vec<Vec<String>> = c
                .differences
                .iter()
                .map(|d| {
                    vec![
                        d.label.clone(),
                        format!("{} − {}", c.sides[d.side].label, c.sides[d.against].label),
                        d.diff.map(|e| num(e.value)).unwrap_or_default(),
                        d.diff.map(|e| num(e.low)).unwrap_or_default(),
                        d.diff.map(|e| num(e.high)).unwrap_or_default(),
                        d.effect.map(|e| num(e.value)).unwrap_or_default(),
                        d.effect.map(|e| num(e.low)).unwrap_or_default(),
                        d.effect.map(|e| num(e.high)).unwrap_or_default(),
                        if d.clear { "yes" } else { "no" }.to_string(),
                        d.sentence.clone(),
                        d.warnings.join(" "),
                    ]
                })
                .collect();
            csv::file(&header, &rows)
        }
        RetroTable::Hr => {
            let header = [
                "cohort",
                "measure",
                "months",
                "matched_n",
                "matched_pct",
                "matched_low",
                "matched_high",
                "unmatched_n",
                "unmatched_pct",
                "unmatched_low",
                "unmatched_high",
                "difference_points",
                "low",
                "high",
                "clear",
                "in words",
                "warnings",
            ];
            let cell = |c: &crate::domain::retro::types::Cell| {
                let e = c.value;
                [
                    if c.hidden.is_some() { String::new() } else { c.n.to_string() },
                    e.map(|e| num(e.value)).unwrap_or_default(),
                    e.map(|e| num(e.low)).unwrap_or_default(),
                    e.map(|e| num(e.high)).unwrap_or_default(),
                ]
            };
            let rows: Vec<Vec<String>> =
                c.hr.rows
                    .iter()
                    .map(|r| {
                        let mut row = vec![r.cohort_name.clone(), r.measure.as_str().to_string(), r.months.to_string()];
                        row.extend(cell(&r.matched));
                        row.extend(cell(&r.unmatched));
                        row.extend([
                            r.diff.map(|e| num(e.value)).unwrap_or_default(),
                            r.diff.map(|e| num(e.low)).unwrap_or_default(),
                            r.diff.map(|e| num(e.high)).unwrap_or_default(),
                            if r.clear { "yes" } else { "no" }.to_string(),
                            r.sentence.clone(),
                            r.warnings.join(" "),
                        ]);
                        row
                    })
                    .collect();
            csv::file(&header, &rows)
        }
    }
}

#[derive(SurrealValue)]
struct CohortHead {
    name: String,
    program: String,
    status: CohortStatus,
    starts: String,
}

async fn cohort_head(db: &Db, id: &str) -> Result<CohortHead, AppError> {
    let mut res = db
        .query(
            "SELECT name, record::id(program) AS program, status, time::format(starts, '%Y-%m-%d') AS starts
             FROM type::record('cohort', $id)",
        )
        .bind(("id", id.to_string()))
        .await?;
    res.one(0)
}

#[derive(SurrealValue)]
struct NoteRow {
    id: String,
    kind: NoteKind,
    text: String,
    tag: String,
    metric: String,
    by: Option<String>,
    at: String,
    version: i64,
}

#[derive(SurrealValue)]
struct ChangeRow {
    action: String,
    kind: NoteKind,
    text: String,
    by: Option<String>,
    at: String,
}

#[derive(SurrealValue)]
struct CarryRow {
    note_id: String,
    from_cohort_id: String,
    from_cohort_name: String,
    text: String,
    tag: String,
    metric: String,
}

impl CarryRow {
    /// The item, with the decision taken on it (if any).
    fn into_item(self, d: Option<&DecisionRow>) -> CarryItem {
        CarryItem {
            decision: d.map(|d| d.decision),
            detail: d.map(|d| d.detail.clone()).unwrap_or_default(),
            decided_by: d.and_then(|d| d.by.clone()).unwrap_or_default(),
            decided_at: d.map(|d| d.at.clone()).unwrap_or_default(),
            note_id: self.note_id,
            from_cohort_id: self.from_cohort_id,
            from_cohort_name: self.from_cohort_name,
            text: self.text,
            tag: self.tag,
            metric: self.metric,
        }
    }
}

#[derive(SurrealValue)]
struct DecisionRow {
    note_id: String,
    decision: Decision,
    detail: String,
    by: Option<String>,
    at: String,
}

/// A cohort's retrospective: its notes, their history, and every "change next time" item of the
/// program's cohorts that began before it, with what was decided about each here. Admins.
pub async fn cohort_retro(access: &Access, cohort_id: &str) -> Result<CohortRetro, AppError> {
    let id = check_key(cohort_id)?.to_string();
    let head = cohort_head(&access.db, &id).await?;
    let mut res = access
        .db
        .query(
            "SELECT record::id(id) AS id, kind, text, tag, metric, updated_by.name AS by,
                 time::format(updated_at, '%Y-%m-%d %H:%M UTC') AS at, version, created_at
                 FROM retro_note WHERE cohort = type::record('cohort', $id) ORDER BY created_at;
             SELECT action, kind, text, by.name AS by, time::format(at, '%Y-%m-%d %H:%M UTC') AS at, at AS t
                 FROM retro_note_change WHERE cohort = type::record('cohort', $id) ORDER BY t DESC;
             SELECT record::id(id) AS note_id, record::id(cohort) AS from_cohort_id, cohort.name AS from_cohort_name,
                 text, tag, metric, cohort.starts AS s, created_at
                 FROM retro_note
                 WHERE kind = 'change' AND cohort.program = type::record('program', $program)
                     AND cohort != type::record('cohort', $id)
                     AND cohort.starts < <datetime> ($starts + 'T00:00:00Z')
                 ORDER BY s, created_at;
             SELECT record::id(note) AS note_id, decision, detail, decided_by.name AS by,
                 time::format(decided_at, '%Y-%m-%d') AS at
                 FROM carry_forward WHERE cohort = type::record('cohort', $id);",
        )
        .bind(("id", id.clone()))
        .bind(("program", head.program.clone()))
        .bind(("starts", head.starts.clone()))
        .await
        .and_then(checked)?;
    let notes: Vec<NoteRow> = res.rows(0)?;
    let changes: Vec<ChangeRow> = res.rows(1)?;
    let items: Vec<CarryRow> = res.rows(2)?;
    let decisions: Vec<DecisionRow> = res.rows(3)?;
    let decided: BTreeMap<String, DecisionRow> = decisions.into_iter().map(|d| (d.note_id.clone(), d)).collect();
    Ok(CohortRetro {
        cohort_id: id,
        cohort_name: head.name,
        editable: matches!(head.status, CohortStatus::Running | CohortStatus::Closed),
        decidable: head.status != CohortStatus::Closed,
        notes: notes
            .into_iter()
            .map(|n| RetroNote {
                id: n.id,
                kind: n.kind,
                text: n.text,
                tag: n.tag,
                metric: n.metric,
                by: n.by.unwrap_or_default(),
                at: n.at,
                version: n.version,
            })
            .collect(),
        history: changes
            .into_iter()
            .map(|c| NoteChange {
                action: c.action,
                kind: c.kind,
                text: c.text,
                by: c.by.unwrap_or_default(),
                at: c.at,
            })
            .collect(),
        carried: items
            .into_iter()
            .map(|i| {
                let d = decided.get(&i.note_id);
                i.into_item(d)
            })
            .collect(),
    })
}

/// Adds or edits a note (with a history row and an audit entry). Notes open once the cohort runs;
/// an edit of a version someone else changed since is a conflict. Admins.
pub async fn save_note(access: &Access, input: NoteInput) -> Result<CohortRetro, AppError> {
    let id = check_key(&input.cohort_id)?.to_string();
    let head = cohort_head(&access.db, &id).await?;
    input.validate().map_err(AppError::Validation)?;
    if !matches!(head.status, CohortStatus::Running | CohortStatus::Closed) {
        return Err(AppError::field("cohort", "Retrospective notes open once the cohort runs."));
    }
    let by = access.user().id.clone();
    let text = input.text.trim().to_string();
    if input.note_id.is_empty() {
        let audit = Audit::by(access, "added a retrospective note", format!("{}: {}", head.name, input.kind.label()));
        let query = access.db.query(format!(
            "BEGIN;
             LET $n = CREATE ONLY retro_note SET org = org:main, cohort = type::record('cohort', $id), kind = $kind,
                 text = $text, tag = $tag, metric = $metric, created_by = type::record('user', $by),
                 updated_by = type::record('user', $by);
             CREATE retro_note_change SET org = org:main, note = $n.id, cohort = type::record('cohort', $id),
                 action = 'added', kind = $kind, text = $text, by = type::record('user', $by);
             {AUDIT_STATEMENT}
             COMMIT;"
        ));
        audit
            .bind(query)
            .bind(("id", id.clone()))
            .bind(("kind", input.kind))
            .bind(("text", text))
            .bind(("tag", input.tag.clone()))
            .bind(("metric", input.metric.clone()))
            .bind(("by", by))
            .await
            .and_then(checked)?;
    } else {
        let note = check_key(&input.note_id)?.to_string();
        let audit = Audit::by(access, "edited a retrospective note", format!("{}: {}", head.name, input.kind.label()));
        let query = access.db.query(format!(
            "BEGIN;
             LET $u = (UPDATE type::record('retro_note', $note) SET kind = $kind, text = $text, tag = $tag,
                 metric = $metric, updated_by = type::record('user', $by), updated_at = time::now(), version += 1
                 WHERE cohort = type::record('cohort', $id) AND version = $version RETURN VALUE record::id(id));
             IF array::len($u) > 0 {{
                 CREATE retro_note_change SET org = org:main, note = type::record('retro_note', $note),
                     cohort = type::record('cohort', $id), action = 'edited', kind = $kind, text = $text,
                     by = type::record('user', $by);
                 {AUDIT_STATEMENT}
             }};
             RETURN $u;
             COMMIT;"
        ));
        let mut res = audit
            .bind(query)
            .bind(("id", id.clone()))
            .bind(("note", note.clone()))
            .bind(("kind", input.kind))
            .bind(("text", text))
            .bind(("tag", input.tag.clone()))
            .bind(("metric", input.metric.clone()))
            .bind(("by", by))
            .bind(("version", input.version))
            .await
            .and_then(checked)?;
        // BEGIN, LET, IF, RETURN: the note's key if the edit was made.
        let updated: Vec<String> = res.take(3)?;
        if updated.is_empty() {
            return Err(missing_or_changed(&access.db, &id, note, "version").await);
        }
    }
    cohort_retro(access, &id).await
}

/// Why a version-checked write to a note of cohort `id` changed nothing: the note is not there
/// (not found), or someone changed it since (a conflict on `field`).
async fn missing_or_changed(db: &Db, id: &str, note: String, field: &str) -> AppError {
    let exists = db
        .query("SELECT VALUE record::id(id) FROM retro_note WHERE id = type::record('retro_note', $note) AND cohort = type::record('cohort', $id)")
        .bind(("note", note))
        .bind(("id", id.to_string()))
        .await
        .and_then(|mut r| r.take::<Vec<String>>(0));
    match exists {
        Ok(found) if found.is_empty() => AppError::NotFound,
        Ok(_) => AppError::Conflict {
            field: field.into(),
            message: "Someone else changed this note since you opened it. Reload to see their change.".into(),
        },
        Err(e) => AppError::from(e),
    }
}

/// Deletes a note (its history keeps a "deleted" row with the text it had). Refused for a lesson
/// a later cohort has decided on, whose decision would lose its meaning; a version someone else
/// changed since is a conflict. Admins.
pub async fn delete_note(access: &Access, input: DeleteNoteInput) -> Result<CohortRetro, AppError> {
    let id = check_key(&input.cohort_id)?.to_string();
    let note = check_key(&input.note_id)?.to_string();
    let head = cohort_head(&access.db, &id).await?;
    if !matches!(head.status, CohortStatus::Running | CohortStatus::Closed) {
        return Err(AppError::field("cohort", "Retrospective notes open once the cohort runs."));
    }
    let decided: Vec<String> = access
        .db
        .query("SELECT VALUE cohort.name FROM carry_forward WHERE note = type::record('retro_note', $note)")
        .bind(("note", note.clone()))
        .await?
        .take(0)?;
    if !decided.is_empty() {
        return Err(AppError::Conflict {
            field: "note".into(),
            message: format!(
                "{} decided on this lesson, so it stays; edit it instead if it needs correcting.",
                decided.join(" and ")
            ),
        });
    }
    let audit = Audit::by(access, "deleted a retrospective note", head.name.clone());
    let query = access.db.query(format!(
        "BEGIN;
         LET $d = (DELETE type::record('retro_note', $note) WHERE cohort = type::record('cohort', $id)
             AND version = $version RETURN BEFORE);
         IF array::len($d) > 0 {{
             CREATE retro_note_change SET org = org:main, note = type::record('retro_note', $note),
                 cohort = type::record('cohort', $id), action = 'deleted', kind = $d[0].kind, text = $d[0].text,
                 by = type::record('user', $by);
             {AUDIT_STATEMENT}
         }};
         RETURN array::len($d);
         COMMIT;"
    ));
    let mut res = audit
        .bind(query)
        .bind(("id", id.clone()))
        .bind(("note", note.clone()))
        .bind(("version", input.version))
        .bind(("by", access.user().id.clone()))
        .await
        .and_then(checked)?;
    let deleted: Option<i64> = res.take(3)?;
    if deleted.unwrap_or(0) == 0 {
        return Err(missing_or_changed(&access.db, &id, note, "note").await);
    }
    cohort_retro(access, &id).await
}

/// Records what was done on `input.cohort_id` with an earlier cohort's "change next time" item:
/// applied (and the setting it changed) or skipped (and why). Deciding again replaces the
/// decision. A closed cohort's decisions stand. Admins.
pub async fn decide(access: &Access, input: DecisionInput) -> Result<CohortRetro, AppError> {
    let id = check_key(&input.cohort_id)?.to_string();
    let head = cohort_head(&access.db, &id).await?;
    input.validate().map_err(AppError::Validation)?;
    if head.status == CohortStatus::Closed {
        return Err(AppError::field("cohort", "This cohort is closed; its decisions stand as they were."));
    }
    let before = cohort_retro(access, &id).await?;
    if !before.carried.iter().any(|c| c.note_id == input.note_id) {
        return Err(AppError::field(
            "note_id",
            "That item is not a “change next time” note of an earlier cohort of this program.",
        ));
    }
    let note = check_key(&input.note_id)?.to_string();
    let audit = Audit::by(
        access,
        "decided on a lesson from an earlier cohort",
        format!("{}: {} ({})", head.name, input.decision.label(), input.detail.trim()),
    );
    let query = access.db.query(format!(
        "BEGIN;
         UPSERT type::record('carry_forward', $key) SET org = org:main, cohort = type::record('cohort', $id),
             note = type::record('retro_note', $note), decision = $decision, detail = $detail,
             decided_by = type::record('user', $by), decided_at = time::now();
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("key", format!("{id}_{note}")))
        .bind(("id", id.clone()))
        .bind(("note", note))
        .bind(("decision", input.decision))
        .bind(("detail", input.detail.trim().to_string()))
        .bind(("by", access.user().id.clone()))
        .await
        .and_then(checked)?;
    cohort_retro(access, &id).await
}

/// The "change next time" items of a program's cohorts, for the form that opens its next cohort
/// (newest cohort first). Admins.
pub async fn lessons(db: &Db, program_id: &str) -> Result<Vec<CarryItem>, AppError> {
    let program = check_key(program_id)?.to_string();
    let mut res = db
        .query(
            "SELECT record::id(id) AS note_id, record::id(cohort) AS from_cohort_id, cohort.name AS from_cohort_name,
                 text, tag, metric, cohort.starts AS s, created_at
                 FROM retro_note WHERE kind = 'change' AND cohort.program = type::record('program', $program)
                 ORDER BY s DESC, created_at;",
        )
        .bind(("program", program))
        .await?;
    let rows: Vec<CarryRow> = res.rows(0)?;
    Ok(rows.into_iter().map(|i| i.into_item(None)).collect())
}
