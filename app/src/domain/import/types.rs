//! Bulk import of people from CSV: parsing and the checks that need no database, shared by the
//! browser (instant feedback) and the server (which checks again, with the database).
//!
//! Columns (first line, any order, case and spacing ignored): `email`, `name` (required),
//! `department`, `title`, `level`, `manager_email`, `skills` (separated by `;` or `|`), and
//! optionally `role` (`mentee`, `mentor` or both, separated by `;`; default mentee), and the HR
//! outcomes `hired_on`, `left_on`, `promoted_on` (dates `YYYY-MM-DD`) and `new_level`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::auth::types::{normalize_email, Role};
use crate::domain::people::types::{outcome_problems, read_date, Outcomes, LEVEL_MAX};

/// The most rows one import takes.
pub const MAX_ROWS: usize = 20_000;
/// The largest file, in bytes.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// The columns a file must have.
pub const REQUIRED: [&str; 2] = ["email", "name"];
/// Every column understood.
pub const KNOWN: [&str; 12] = [
    "email",
    "name",
    "department",
    "title",
    "level",
    "manager_email",
    "skills",
    "role",
    "hired_on",
    "left_on",
    "promoted_on",
    "new_level",
];

/// One problem, on one line of the file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// Line number in the file.
    pub line: usize,
    /// The column at fault (`""` for the whole line).
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// A person as read from one line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// Line number in the file.
    pub line: usize,
    /// Normalized email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Department.
    pub department: String,
    /// Job title.
    pub title: String,
    /// Level 1–10.
    pub level: Option<i64>,
    /// Normalized manager email, or empty.
    pub manager_email: String,
    /// Skill names as written.
    pub skills: Vec<String>,
    /// Roles (mentee and/or mentor).
    pub roles: Vec<Role>,
    /// HR outcomes given (an empty cell is none: an existing person keeps their value).
    pub outcomes: Outcomes,
}

/// What reading a file gave: rows, and every problem found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// A problem with the whole file (encoding, header, size); no rows when set.
    pub file_error: Option<String>,
    /// The rows that could be read (also those with row errors).
    pub rows: Vec<ImportRow>,
    /// Row-level problems.
    pub errors: Vec<RowError>,
}

/// The server's preview of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// A problem with the whole file.
    pub file_error: Option<String>,
    /// Rows read.
    pub rows: usize,
    /// People who will be added.
    pub new: usize,
    /// Existing people whose profile will be updated.
    pub updated: usize,
    /// Every problem, by line (nothing is imported while there is one).
    pub errors: Vec<RowError>,
    /// The first rows, as they will be imported.
    pub sample: Vec<ImportRow>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// People added.
    pub created: usize,
    /// People updated.
    pub updated: usize,
    /// Server time taken, in milliseconds.
    pub millis: u64,
}

/// Splits CSV text into records with the `csv` crate (RFC 4180: quoted fields may hold the
/// delimiter, quotes written twice, and line breaks). Each record carries the line it starts on;
/// blank lines, and lines of spaces only, are skipped. The delimiter is the one of `,`, `;` and tab
/// that the header line uses most (spreadsheets in many locales write `;`).
pub fn split_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().next().unwrap_or("");
    let delim =
        [b',', b';', b'\t'].into_iter().max_by_key(|d| header.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut records = Vec::new();
    // Where line breaks have been counted up to, and the line number there.
    let (mut counted, mut line) = (0, 1);
    let mut last = None;
    for record in reader(text, delim).into_records() {
        let record = record.map_err(|e| format!("The file could not be read as CSV ({e})."))?;
        // A record's position is where the previous one ended: the blank lines come before it.
        let ended = record.position().map_or(0, |p| p.byte() as usize);
        let start = ended + text[ended..].bytes().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        line += line_breaks(&text[counted..start]);
        counted = start;
        if !(record.len() == 1 && record[0].trim().is_empty()) {
            records.push((line, record.iter().map(str::to_string).collect()));
        }
        last = Some((start, record));
    }
    // The reader closes a quoted field left open at the end of the file without a word. Reading
    // the last record again with a line break and a quote after it tells which: after a closed
    // record the quote opens a second one; an open field takes both in and stays one record.
    if let Some((start, record)) = last {
        let tail = format!("{}\n\"", &text[start..]);
        if reader(&tail, delim).into_records().count() < 2 {
            // The open field runs to the end of the file, so it holds every line break after its quote.
            let open_field = record.iter().next_back().unwrap_or_default();
            let quote_line = 1 + line_breaks(text) - line_breaks(open_field);
            return Err(format!("Line {quote_line}: a quoted field is never closed (a \" is missing)."));
        }
    }
    Ok(records)
}

/// A reader of every record, the header included, whatever its number of fields.
fn reader(text: &str, delim: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delim).from_reader(text.as_bytes())
}

/// Line breaks as an editor counts them: `\n`, `\r\n` or a lone `\r` (the reader ends records at
/// each of them, but counts lines by `\n` only).
fn line_breaks(s: &str) -> usize {
    s.matches('\n').count() + s.matches('\r').count() - s.matches("\r\n").count()
}

fn column_key(s: &str) -> String {
    let k: String = s.trim().to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect();
    let k = k.trim_matches('_').to_string();
    match k.as_str() {
        "e_mail" | "mail" | "email_address" => "email".into(),
        "full_name" => "name".into(),
        "manager" | "manager_e_mail" | "manager_mail" => "manager_email".into(),
        "roles" => "role".into(),
        "job_title" => "title".into(),
        "skill" => "skills".into(),
        "hire_date" | "hired" | "start_date" => "hired_on".into(),
        "left" | "left_date" | "leaving_date" | "termination_date" => "left_on".into(),
        "promoted" | "promotion_date" => "promoted_on".into(),
        "level_after_promotion" | "promoted_to" => "new_level".into(),
        _ => k,
    }
}

fn add(errors: &mut Vec<RowError>, line: usize, column: &str, message: impl Into<String>) {
    errors.push(RowError { line, column: column.into(), message: message.into() });
}

fn text_cell(errors: &mut Vec<RowError>, line: usize, column: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    let n = v.chars().count();
    if n > max {
        add(errors, line, column, format!("use at most {max} characters (this has {n})"));
    } else if v.chars().any(char::is_control) {
        add(errors, line, column, "remove line breaks and control characters");
    }
    v.to_string()
}

/// Reads a whole file: encoding, header, then every line, with every problem found. `today` (a
/// day number) is the last day an outcome may be dated.
pub fn parse(text: &str, today: i64) -> Parsed {
    let file = |m: String| Parsed { file_error: Some(m), ..Parsed::default() };
    if text.len() > MAX_BYTES {
        return file(format!("The file is larger than {} MB; split it into smaller files.", MAX_BYTES / 1024 / 1024));
    }
    // Browsers decode files as UTF-8 and replace bytes that are not with U+FFFD.
    if let Some(pos) = text.find('\u{fffd}') {
        let line = text[..pos].matches('\n').count() + 1;
        return file(format!(
            "The file is not UTF-8 text (line {line} has a character that could not be read). \
             Save it as “CSV UTF-8” and try again."
        ));
    }
    let records = match split_records(text) {
        Ok(r) => r,
        Err(m) => return file(m),
    };
    let Some(((_, header), body)) = records.split_first() else {
        return file("The file is empty. The first line must name the columns: email, name, …".into());
    };
    let keys: Vec<String> = header.iter().map(|h| column_key(h)).collect();
    let missing: Vec<&str> = REQUIRED.iter().filter(|r| !keys.iter().any(|k| k == *r)).copied().collect();
    if !missing.is_empty() {
        return file(format!(
            "Missing column{}: {}. The first line must name the columns, e.g. {}.",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            KNOWN.join(", ")
        ));
    }
    let mut seen_cols = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if !k.is_empty() && seen_cols.insert(k.clone(), i).is_some() {
            return file(format!("The column “{k}” appears twice in the first line."));
        }
    }
    if let Some(unknown) = keys.iter().find(|k| !k.is_empty() && !KNOWN.contains(&k.as_str())) {
        return file(format!("Unknown column “{unknown}”. The columns understood are: {}.", KNOWN.join(", ")));
    }
    if body.len() > MAX_ROWS {
        return file(format!("The file has {} rows; import at most {MAX_ROWS} at a time.", body.len()));
    }
    let col = |name: &str| keys.iter().position(|k| k == name);
    let cols: Vec<Option<usize>> = KNOWN.iter().map(|k| col(k)).collect();
    let mut out = Parsed::default();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (line, cells) in body {
        let line = *line;
        let cell = |i: usize| cols[i].and_then(|c| cells.get(c)).map(String::as_str).unwrap_or("");
        if cells.len() > header.len() {
            add(&mut out.errors, line, "", format!("has {} fields but the header has {}", cells.len(), header.len()));
        }
        let e = &mut out.errors;
        let email = match normalize_email(cell(0)) {
            Ok(email) => {
                if let Some(first) = first_line.get(&email) {
                    add(e, line, "email", format!("{email} is already on line {first}"));
                } else {
                    first_line.insert(email.clone(), line);
                }
                email
            }
            Err(m) => {
                add(e, line, "email", m.trim_end_matches('.').to_string());
                cell(0).trim().to_lowercase()
            }
        };
        let name = text_cell(e, line, "name", cell(1), 120);
        if name.is_empty() {
            add(e, line, "name", "enter the person's name");
        }
        let department = text_cell(e, line, "department", cell(2), 80);
        let title = text_cell(e, line, "title", cell(3), 120);
        let level = match cell(4).trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(n) if (1..=10).contains(&n) => Some(n),
                _ => {
                    add(e, line, "level", format!("“{v}” is not a level from 1 to 10"));
                    None
                }
            },
        };
        let manager_email = match cell(5).trim() {
            "" => String::new(),
            m => match normalize_email(m) {
                Ok(m) if m == email => {
                    add(e, line, "manager_email", "a person cannot be their own manager");
                    m
                }
                Ok(m) => m,
                Err(msg) => {
                    add(e, line, "manager_email", msg.trim_end_matches('.').to_string());
                    m.to_lowercase()
                }
            },
        };
        let skills: Vec<String> =
            cell(6).split([';', '|']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        if skills.len() > 30 {
            add(e, line, "skills", "list at most 30 skills");
        }
        let mut roles = Vec::new();
        for r in cell(7).split([';', '|', '/']).map(str::trim).filter(|r| !r.is_empty()) {
            match r.to_lowercase().as_str() {
                "mentee" => roles.push(Role::Mentee),
                "mentor" => roles.push(Role::Mentor),
                "both" => roles.extend([Role::Mentee, Role::Mentor]),
                other => add(e, line, "role", format!("“{other}” is not mentee or mentor")),
            }
        }
        if roles.is_empty() {
            roles.push(Role::Mentee);
        }
        roles.sort();
        roles.dedup();
        let mut date = |i: usize, column: &str| {
            read_date(cell(i)).unwrap_or_else(|m| {
                add(e, line, column, m);
                None
            })
        };
        let hired_on = date(8, "hired_on");
        let left_on = date(9, "left_on");
        let promoted_on = date(10, "promoted_on");
        let new_level = match cell(11).trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(n) if (1..=LEVEL_MAX).contains(&n) => Some(n),
                _ => {
                    add(e, line, "new_level", format!("“{v}” is not a level from 1 to 10"));
                    None
                }
            },
        };
        let outcomes = Outcomes { hired_on, left_on, promoted_on, new_level };
        // Checked again on the server with the hire dates of people already here.
        for (column, m) in outcome_problems(&outcomes, today) {
            if !e.iter().any(|x| x.line == line && x.column == column) {
                add(e, line, column, lower_first(m.trim_end_matches('.')));
            }
        }
        out.rows.push(ImportRow {
            line,
            email,
            name,
            department,
            title,
            level,
            manager_email,
            skills,
            roles,
            outcomes,
        });
    }
    if out.rows.is_empty() {
        out.file_error = Some("The file has a header but no people.".into());
    }
    out
}

/// A sentence's first letter in lower case, as row problems read ("line 4, left_on: this says …").
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02.
    const TODAY: i64 = 20_789;

    #[test]
    fn quoted_fields_keep_delimiters_quotes_and_line_breaks() {
        let recs = split_records("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n").unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[1], (2, vec!["x, y".to_string(), "say \"hi\"".to_string()]));
        assert_eq!(recs[2], (3, vec!["two\nlines".to_string(), "z".to_string()]));
        assert!(split_records("a,b\n\"open,b\n").unwrap_err().starts_with("Line 2:"));
    }

    #[test]
    fn line_endings_bom_and_blank_lines() {
        let fields = |r: &[(usize, Vec<String>)]| r.iter().map(|(l, f)| (*l, f.join("|"))).collect::<Vec<_>>();
        // CRLF, with a quoted line break that is itself CRLF; a BOM; blank and space-only lines.
        let recs = split_records("\u{feff}a,b\r\n\r\n\"x\r\ny\",z\r\n   \r\nlast,1\r\n\r\n\r\n").unwrap();
        assert_eq!(fields(&recs), vec![(1, "a|b".into()), (3, "x\r\ny|z".into()), (6, "last|1".into())]);
        // Old Mac line ends (a lone CR) count as lines too; no line break at the end of the file.
        let recs = split_records("a;b\r1;2\r\r3;\"4\"").unwrap();
        assert_eq!(fields(&recs), vec![(1, "a|b".into()), (2, "1|2".into()), (4, "3|4".into())]);
        // A tab-separated header; a quote inside an unquoted field is kept as it is.
        let recs = split_records("a\tb\nsay \"hi\"\t\"\"\n").unwrap();
        assert_eq!(recs[1].1, vec!["say \"hi\"".to_string(), String::new()]);
        assert_eq!(split_records("").unwrap(), vec![]);
        assert_eq!(split_records("\n\r\n  \n").unwrap(), vec![]);
    }

    #[test]
    fn an_open_quote_names_the_line_it_opens_on() {
        assert_eq!(
            split_records("a,b\n1,2\n3,\"four\nfive\n\nsix").unwrap_err(),
            "Line 3: a quoted field is never closed (a \" is missing)."
        );
        // The record starts on line 2; its second field's quote opens on line 3.
        assert!(split_records("a,b\n\"1\n2\",\"3\n4").unwrap_err().starts_with("Line 3:"));
        assert!(split_records("a,b\n\"  ").unwrap_err().starts_with("Line 2:"));
        // Closed at the very end, or a quote that is only data: no error.
        assert!(split_records("a,b\n1,\"2\"").is_ok());
        assert!(split_records("a,b\n1,\"2\"\"\"\n").is_ok());
        assert!(split_records("a,b\n1,2\"").is_ok());
        assert!(split_records("a,b\n\"\"x,2").is_ok());
    }

    #[test]
    fn row_errors_keep_their_lines_after_multi_line_fields() {
        let p =
            parse("email,name,level\r\n\"ana@x.io\",\"Ana\r\nLee\",4\r\n\r\nbo@x.io,\"Bo, \"\"B\"\"\",12\r\n", TODAY);
        assert_eq!(p.rows.len(), 2);
        assert_eq!((p.rows[1].line, p.rows[1].name.as_str()), (5, "Bo, \"B\""));
        let at = |line: usize, column: &str| p.errors.iter().find(|e| e.line == line && e.column == column);
        assert_eq!(at(2, "name").unwrap().message, "remove line breaks and control characters");
        assert_eq!(at(5, "level").unwrap().message, "“12” is not a level from 1 to 10");
        assert_eq!(p.errors.len(), 2);
    }

    #[test]
    fn semicolon_files_and_header_spelling_are_understood() {
        let p = parse("\u{feff}E-mail;Full name;Manager;Level\nana@x.io;Ana;;4\n", TODAY);
        assert_eq!(p.file_error, None);
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.rows[0].email, "ana@x.io");
        assert_eq!(p.rows[0].level, Some(4));
        assert_eq!(p.rows[0].roles, vec![Role::Mentee]);
    }

    #[test]
    fn file_level_problems() {
        assert!(parse("name,department\nAna,Eng\n", TODAY).file_error.unwrap().starts_with("Missing column: email."));
        assert!(parse("", TODAY).file_error.unwrap().contains("empty"));
        assert!(parse("email,name,shoe size\n", TODAY).file_error.unwrap().contains("Unknown column “shoe_size”"));
        assert!(parse("email,name\nbad\u{fffd}@x.io,Ana\n", TODAY)
            .file_error
            .unwrap()
            .contains("not UTF-8 text (line 2"));
        assert!(parse("email,name\n", TODAY).file_error.unwrap().contains("no people"));
    }

    #[test]
    fn row_problems_name_the_line_and_column() {
        let csv = "email,name,level,manager_email,role,skills\n\
                   ana@x.io,Ana,4,,mentor;mentee,Feedback; Delegation\n\
                   not-an-email,Bo,11,ana@x.io,boss,\n\
                   ANA@x.io,,3,ana@x.io,,\n";
        let p = parse(csv, TODAY);
        assert_eq!(p.file_error, None);
        assert_eq!(p.rows.len(), 3);
        assert_eq!(p.rows[0].roles, vec![Role::Mentor, Role::Mentee]);
        assert_eq!(p.rows[0].skills, vec!["Feedback", "Delegation"]);
        let at = |line: usize, column: &str| {
            p.errors.iter().find(|e| e.line == line && e.column == column).map(|e| e.message.clone())
        };
        assert!(at(3, "email").unwrap().contains("needs an @"));
        assert_eq!(at(3, "level").unwrap(), "“11” is not a level from 1 to 10");
        assert_eq!(at(3, "role").unwrap(), "“boss” is not mentee or mentor");
        assert_eq!(at(4, "email").unwrap(), "ana@x.io is already on line 2");
        assert_eq!(at(4, "name").unwrap(), "enter the person's name");
        assert_eq!(at(4, "manager_email").unwrap(), "a person cannot be their own manager");
        assert_eq!(at(2, "email"), None);
    }

    #[test]
    fn hr_outcomes_are_read_and_checked() {
        let csv = "email,name,hire date,left_on,promoted_on,new_level\n\
                   ana@x.io,Ana,2020-01-06,,2026-05-04,5\n\
                   bo@x.io,Bo,2021-03-01,2020-12-31,2027-01-04,\n\
                   cy@x.io,Cy,,31/12/2025,,4\n";
        let p = parse(csv, TODAY);
        assert_eq!(p.file_error, None);
        assert_eq!(
            p.rows[0].outcomes,
            Outcomes {
                hired_on: Some("2020-01-06".into()),
                left_on: None,
                promoted_on: Some("2026-05-04".into()),
                new_level: Some(5)
            }
        );
        let at = |line: usize, column: &str| {
            p.errors.iter().find(|e| e.line == line && e.column == column).map(|e| e.message.clone())
        };
        assert_eq!(at(3, "left_on").unwrap(), "this says they left before they were hired (2021-03-01)");
        assert_eq!(at(3, "promoted_on").unwrap(), "a promotion date cannot be in the future (today is 2026-12-02)");
        assert_eq!(at(4, "left_on").unwrap(), "“31/12/2025” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-04");
        assert_eq!(at(4, "new_level").unwrap(), "give the promotion's date with the new level");
        assert_eq!(p.errors.len(), 4);
    }
}
