//! CSV exports of the tables behind the dashboard's charts: UTF-8 with a byte-order mark (so
//! Excel reads names right), CRLF line ends, every cell that a spreadsheet would read as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) neutralised with a leading `'`.
//! The rows are exactly those the screen shows for the same filters (hidden groups stay hidden).

use crate::domain::metrics::types::{Dashboard, Table};
use crate::engine::stats::Estimate;

/// One cell, quoted when needed and neutralised against formula injection.
pub fn cell(value: &str) -> String {
    let mut v = value.to_string();
    // A negative number stays a number; anything else a spreadsheet would run is made text.
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) && v.parse::<f64>().is_err() {
        v.insert(0, '\'');
    }
    if v.contains([',', '"', '\n', '\r']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The file, if it holds at most `max` rows; else a field error on `export` that says how many
/// rows it would have had and how to get fewer.
pub fn capped(header: &[&str], rows: &[Vec<String>], max: usize) -> Result<String, crate::error::AppError> {
    if rows.len() > max {
        return Err(crate::error::AppError::field(
            "export",
            format!("{} rows is more than an export may hold ({max}); narrow the filters.", rows.len()),
        ));
    }
    Ok(file(header, rows))
}

/// A whole file: BOM, header, rows.
pub fn file(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| cell(h)).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|c| cell(c)).collect()));
    }
    out
}

fn num(v: Option<f64>) -> String {
    v.map(|v| format!("{:.2}", v)).unwrap_or_default()
}

fn est(e: &Option<Estimate>) -> [String; 3] {
    match e {
        Some(e) => [
            format!("{:.2}", e.value),
            num(e.low.is_finite().then_some(e.low)),
            num(e.high.is_finite().then_some(e.high)),
        ],
        None => [String::new(), String::new(), String::new()],
    }
}

/// The header and rows of `table` in `d`. Pairs only when `d` holds them (admins).
pub fn table(d: &Dashboard, table: Table) -> (Vec<&'static str>, Vec<Vec<String>>) {
    match table {
        Table::Funnel => {
            (vec!["step", "mentees"], d.funnel.iter().map(|s| vec![s.label.clone(), s.count.to_string()]).collect())
        }
        Table::Months => (
            vec!["month", "meetings", "hours", "check-ins", "milestones done", "goals completed"],
            d.months
                .iter()
                .map(|m| {
                    vec![
                        m.month.clone(),
                        m.meetings.to_string(),
                        format!("{:.1}", m.hours),
                        m.checkins.to_string(),
                        m.milestones.to_string(),
                        m.goals_completed.to_string(),
                    ]
                })
                .collect(),
        ),
        Table::Departments | Table::Levels | Table::Cohorts => {
            let rows = match table {
                Table::Departments => &d.departments,
                Table::Levels => &d.levels,
                _ => &d.cohorts,
            };
            (
                vec![
                    "group",
                    "mentees",
                    "active %",
                    "meetings per pair per month",
                    "goals completed per mentee",
                    "hidden",
                ],
                rows.iter()
                    .map(|g| {
                        vec![
                            g.label.clone(),
                            if g.hidden.is_some() { String::new() } else { g.mentees.to_string() },
                            num(g.active_pct),
                            num(g.meetings_per_pair_month),
                            num(g.goals_per_mentee),
                            g.hidden.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            )
        }
        Table::Objectives => (
            vec!["program", "cohort", "objective", "metric", "value", "target", "due", "standing", "why"],
            d.objectives
                .iter()
                .map(|o| {
                    vec![
                        o.program_name.clone(),
                        o.cohort_name.clone(),
                        o.statement.clone(),
                        o.metric.clone(),
                        num(o.value),
                        format!("{}", o.target),
                        o.due.clone(),
                        o.standing.label().to_string(),
                        o.note.clone(),
                    ]
                })
                .collect(),
        ),
        Table::Measures => {
            let mut rows = Vec::new();
            for m in &d.measures {
                let [v, lo, hi] = est(&m.value);
                rows.push(vec![
                    "All".into(),
                    m.label.clone(),
                    m.n.to_string(),
                    v,
                    lo,
                    hi,
                    m.hidden.clone().unwrap_or_default(),
                ]);
            }
            for g in d.surveys_by_cohort.iter().chain(&d.surveys_by_approach) {
                for m in &g.measures {
                    let [v, lo, hi] = est(&m.value);
                    rows.push(vec![
                        g.label.clone(),
                        m.label.clone(),
                        m.n.to_string(),
                        v,
                        lo,
                        hi,
                        m.hidden.clone().unwrap_or_default(),
                    ]);
                }
            }
            (vec!["group", "figure", "answers", "value", "95% low", "95% high", "hidden"], rows)
        }
        Table::Pairs => (
            vec![
                "mentee",
                "mentor",
                "department",
                "state",
                "meetings",
                "check-ins",
                "goals sent",
                "goals completed",
                "last activity",
            ],
            d.pairs
                .iter()
                .map(|p| {
                    vec![
                        p.mentee.clone(),
                        p.mentor.clone(),
                        p.department.clone(),
                        p.state.clone(),
                        p.meetings.to_string(),
                        p.checkins.to_string(),
                        p.goals_sent.to_string(),
                        p.goals_completed.to_string(),
                        p.last_activity.clone(),
                    ]
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_over_the_cap_is_refused_with_the_count() {
        let rows = vec![vec!["a".to_string()]; 3];
        assert!(capped(&["x"], &rows, 3).unwrap().ends_with("a\r\n"));
        let e = capped(&["x"], &rows, 2).unwrap_err();
        assert_eq!(
            e.field_message("export").unwrap(),
            "3 rows is more than an export may hold (2); narrow the filters."
        );
    }

    #[test]
    fn cells_are_neutralised_and_quoted() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        // Numbers stay numbers (a negative difference must sort and sum); anything else that
        // starts like a formula is made text.
        assert_eq!(cell("+1"), "+1");
        assert_eq!(cell("-2.5"), "-2.5");
        assert_eq!(cell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(cell("+1)"), "'+1)");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("Zoë, Ñúñez"), "\"Zoë, Ñúñez\"");
        assert_eq!(cell("plain"), "plain");
        let f = file(&["a", "b"], &[vec!["1".into(), "=x".into()]]);
        assert!(f.starts_with('\u{feff}'));
        assert_eq!(f.trim_start_matches('\u{feff}'), "a,b\r\n1,'=x\r\n");
    }
}
