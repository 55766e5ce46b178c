//! A survey's results: computed from the stored responses by one pure function ([`compute`]), so
//! a unit test, the server function and the benchmark all run the same code, and every number
//! passes the k-anonymity rule (`engine::suppress`) before it leaves the server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::surveys::types::{Answer, Answers, Measure, Question, QuestionKind, SurveyStatus};
use crate::engine::stats::{self, Estimate, Nps};
use crate::engine::suppress::{self, Hidden};

wire_enum! {
    /// What a breakdown groups respondents by.
    pub enum Dimension {
        /// No breakdown.
        None = "none",
        /// Department (as it was when they answered).
        Department = "department",
        /// Level.
        Level = "level",
        /// Mentee or mentor.
        Side = "side",
    }
}

impl Dimension {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::None => "No breakdown",
            Dimension::Department => "Department",
            Dimension::Level => "Level",
            Dimension::Side => "Mentee / mentor",
        }
    }
}

/// One stored response, as results read it: what the respondent chose to answer and the
/// attributes breakdowns group by (no respondent, ever).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRow {
    /// "mentee" or "mentor".
    pub side: String,
    /// Department when answering ("" if none).
    pub department: String,
    /// Level when answering.
    pub level: Option<i64>,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The answers.
    pub answers: Answers,
}

/// A group of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    /// The group ("Engineering", "Level 4", "Mentees").
    pub label: String,
    /// Respondents in the group (0 when hidden, so the count cannot be subtracted either).
    pub n: u32,
    /// Why it is hidden, if it is.
    pub hidden: Option<String>,
    /// Mean of the question in this group (scale questions).
    pub mean: Option<Estimate>,
}

/// One question's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    /// The question.
    pub question: Question,
    /// People who answered it.
    pub n: u32,
    /// Why the whole question is hidden, if it is (fewer than k answers).
    pub hidden: Option<String>,
    /// Count per scale point or option, in order.
    pub distribution: Vec<(String, u32)>,
    /// Mean with its 95 % interval (scale questions).
    pub mean: Option<Estimate>,
    /// Net promoter score (NPS questions).
    pub nps: Option<Nps>,
    /// Per skill: (name, mean) (skill-matrix questions).
    pub skills: Vec<(String, Option<Estimate>)>,
    /// Free-text answers, sorted so their order says nothing (admins only).
    pub texts: Vec<String>,
    /// The breakdown of this question, if one was asked for (scale questions).
    pub groups: Vec<GroupResult>,
}

/// One round of a repeating survey, for the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundPoint {
    /// Round number.
    pub round: u32,
    /// `YYYY-MM-DD` it opened.
    pub opened: String,
    /// Answers.
    pub answered: u32,
    /// Mean of the headline question (the first scale question), if shown.
    pub mean: Option<Estimate>,
}

/// A survey's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    /// Key.
    pub id: String,
    /// Title.
    pub title: String,
    /// Cohort.
    pub cohort_name: String,
    /// Status.
    pub status: SurveyStatus,
    /// Anonymous?
    pub anonymous: bool,
    /// The survey's k.
    pub k: u32,
    /// People asked.
    pub invited: u32,
    /// People who answered.
    pub answered: u32,
    /// Response rate with its interval.
    pub rate: Option<Estimate>,
    /// Cumulative answers by day.
    pub by_day: Vec<(String, u32)>,
    /// The breakdown shown.
    pub dimension: Dimension,
    /// Respondents per group of the breakdown.
    pub groups: Vec<GroupResult>,
    /// Per question.
    pub questions: Vec<QuestionResult>,
    /// Earlier and later rounds of the same survey.
    pub rounds: Vec<RoundPoint>,
    /// Why free text is withheld, if it is.
    pub texts_hidden: Option<String>,
}

/// What [`compute`] needs besides the responses.
pub struct Inputs<'a> {
    /// The questions.
    pub questions: &'a [Question],
    /// The program's skills: (key, name).
    pub skills: &'a [(String, String)],
    /// k.
    pub k: u32,
    /// Anonymous survey?
    pub anonymous: bool,
    /// People asked.
    pub invited: u32,
    /// Breakdown.
    pub dimension: Dimension,
    /// Whether free text may be shown to this caller at all (admins).
    pub with_texts: bool,
}

/// The group label of a response under `dim`.
pub fn group_of(r: &ResponseRow, dim: Dimension) -> String {
    match dim {
        Dimension::None => String::new(),
        Dimension::Department if r.department.is_empty() => "No department".into(),
        Dimension::Department => r.department.clone(),
        Dimension::Level => r.level.map(|l| format!("Level {l}")).unwrap_or_else(|| "No level".into()),
        Dimension::Side if r.side == "mentor" => "Mentors".into(),
        Dimension::Side => "Mentees".into(),
    }
}

/// An estimate with its interval kept inside the scale `lo..=hi`.
fn clamp(e: Estimate, lo: u8, hi: u8) -> Estimate {
    let (lo, hi) = (f64::from(lo), f64::from(hi));
    Estimate { low: e.low.max(lo), high: e.high.min(hi), ..e }
}

fn scale_of(a: Option<&Answer>) -> Option<f64> {
    match a {
        Some(Answer::Scale(v)) => Some(f64::from(*v)),
        _ => None,
    }
}

/// Groups (label → per-question values) with suppression applied to `counts`.
fn suppressed_groups(
    labels: &[String],
    values: &[Vec<f64>],
    k: u32,
    total_shown: bool,
    (lo, hi): (u8, u8),
) -> Vec<GroupResult> {
    let counts: Vec<u32> = values.iter().map(|v| v.len() as u32).collect();
    let hidden = if total_shown {
        suppress::suppress(&counts, k)
    } else {
        counts.iter().map(|_| Some(Hidden::TooFew)).collect()
    };
    labels
        .iter()
        .zip(values)
        .zip(hidden)
        .map(|((label, v), h)| match h {
            Some(h) if !v.is_empty() => {
                GroupResult { label: label.clone(), n: 0, hidden: Some(h.reason(k)), mean: None }
            }
            _ => GroupResult {
                label: label.clone(),
                n: v.len() as u32,
                hidden: None,
                mean: stats::mean_ci(v).map(|e| clamp(e, lo, hi)),
            },
        })
        .collect()
}

/// The results of one survey from its responses. Every count, mean, distribution and breakdown
/// cell covers at least `k` respondents or is replaced by the reason it is hidden; a group too
/// small is hidden together with the next-smallest so that subtracting cannot reveal it.
pub fn compute(rows: &[ResponseRow], input: &Inputs) -> (Vec<GroupResult>, Vec<QuestionResult>, Option<String>) {
    let k = input.k;
    let reason = |h: Hidden| Some(h.reason(k));
    // The breakdown's groups, in label order.
    let group_index: BTreeMap<String, usize> = if input.dimension == Dimension::None {
        BTreeMap::new()
    } else {
        let mut labels: Vec<String> = rows.iter().map(|r| group_of(r, input.dimension)).collect();
        labels.sort();
        labels.dedup();
        labels.into_iter().enumerate().map(|(i, l)| (l, i)).collect()
    };
    let labels: Vec<String> = group_index.keys().cloned().collect();
    let row_group: Vec<usize> = if labels.is_empty() {
        Vec::new()
    } else {
        rows.iter().map(|r| group_index[&group_of(r, input.dimension)]).collect()
    };
    let everyone_shown = suppress::total_shown(rows.len() as u32, k);
    let groups = if labels.is_empty() {
        Vec::new()
    } else {
        let mut per: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
        for g in &row_group {
            per[*g].push(0.0);
        }
        suppressed_groups(&labels, &per, k, everyone_shown, (0, 0))
            .into_iter()
            .map(|g| GroupResult { mean: None, ..g })
            .collect()
    };
    let texts_hidden = if !input.with_texts {
        Some("Free-text answers are shown to program admins only.".to_string())
    } else if input.anonymous && !everyone_shown {
        Some(format!("Free-text answers of an anonymous survey are shown once {k} people have answered."))
    } else {
        None
    };
    let questions = input
        .questions
        .iter()
        .map(|q| {
            let answered: Vec<(usize, &Answer)> = rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.answers.get(&q.id).filter(|a| super::types::is_given(Some(a))).map(|a| (i, a)))
                .collect();
            let n = answered.len() as u32;
            let mut out = QuestionResult {
                question: q.clone(),
                n,
                hidden: None,
                distribution: Vec::new(),
                mean: None,
                nps: None,
                skills: Vec::new(),
                texts: Vec::new(),
                groups: Vec::new(),
            };
            if !suppress::total_shown(n, k) {
                out.n = 0;
                out.hidden = reason(Hidden::TooFew);
                return out;
            }
            match q.kind {
                QuestionKind::Likert | QuestionKind::Nps => {
                    let (lo, hi) = q.range();
                    let values: Vec<f64> = answered.iter().filter_map(|(_, a)| scale_of(Some(a))).collect();
                    out.distribution = (lo..=hi)
                        .map(|p| (p.to_string(), values.iter().filter(|v| **v == f64::from(p)).count() as u32))
                        .collect();
                    // A mean's interval cannot leave the scale (a t-interval of few answers would).
                    out.mean = stats::mean_ci(&values).map(|e| clamp(e, lo, hi));
                    if q.kind == QuestionKind::Nps {
                        let raw: Vec<u8> = values.iter().map(|v| *v as u8).collect();
                        out.nps = stats::nps(&raw);
                    }
                    if !labels.is_empty() {
                        let mut per: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
                        for (i, a) in &answered {
                            if let Some(v) = scale_of(Some(a)) {
                                per[row_group[*i]].push(v);
                            }
                        }
                        out.groups = suppressed_groups(&labels, &per, k, true, (lo, hi));
                    }
                }
                QuestionKind::Single | QuestionKind::Multi => {
                    let mut counts = vec![0u32; q.options.len()];
                    for (_, a) in &answered {
                        if let Answer::Choices(c) = a {
                            for i in c {
                                if let Some(x) = counts.get_mut(*i as usize) {
                                    *x += 1;
                                }
                            }
                        }
                    }
                    out.distribution = q.options.iter().cloned().zip(counts).collect();
                }
                QuestionKind::ShortText | QuestionKind::LongText => {
                    if texts_hidden.is_none() {
                        let mut texts: Vec<String> = answered
                            .iter()
                            .filter_map(|(_, a)| match a {
                                Answer::Text(t) => Some(t.clone()),
                                _ => None,
                            })
                            .collect();
                        texts.sort();
                        out.texts = texts;
                    }
                }
                QuestionKind::Skills => {
                    out.skills = input
                        .skills
                        .iter()
                        .map(|(id, name)| {
                            let v: Vec<f64> = answered
                                .iter()
                                .filter_map(|(_, a)| match a {
                                    Answer::Skills(m) => m.get(id).map(|x| f64::from(*x)),
                                    _ => None,
                                })
                                .collect();
                            let shown = suppress::total_shown(v.len() as u32, k);
                            (name.clone(), if shown { stats::mean_ci(&v) } else { None })
                        })
                        .collect();
                }
            }
            out
        })
        .collect();
    (groups, questions, texts_hidden)
}

/// Cumulative answers by day.
pub fn by_day(rows: &[ResponseRow]) -> Vec<(String, u32)> {
    let mut days: BTreeMap<&str, u32> = BTreeMap::new();
    for r in rows {
        *days.entry(&r.day).or_default() += 1;
    }
    let mut total = 0;
    days.into_iter()
        .map(|(d, n)| {
            total += n;
            (d.to_string(), total)
        })
        .collect()
}

/// The headline question of a design: the first measured scale question, else the first scale
/// question.
pub fn headline(questions: &[Question]) -> Option<&Question> {
    questions
        .iter()
        .find(|q| q.kind.is_scale() && q.measure != Measure::None)
        .or_else(|| questions.iter().find(|q| q.kind.is_scale()))
}

/// The mean of `question` over `rows`, if at least `k` answered it.
pub fn shown_mean(rows: &[ResponseRow], question: &str, k: u32) -> Option<Estimate> {
    let v: Vec<f64> = rows.iter().filter_map(|r| scale_of(r.answers.get(question))).collect();
    if suppress::total_shown(v.len() as u32, k) {
        stats::mean_ci(&v)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(dept: &str, v: u8, text: &str) -> ResponseRow {
        let mut answers = Answers::new();
        answers.insert("q1".into(), Answer::Scale(v));
        if !text.is_empty() {
            answers.insert("q2".into(), Answer::Text(text.into()));
        }
        ResponseRow {
            side: "mentee".into(),
            department: dept.into(),
            level: Some(3),
            day: "2026-11-02".into(),
            answers,
        }
    }

    fn questions() -> Vec<Question> {
        vec![
            Question::new("q1".into(), QuestionKind::Likert, "My mentor helps me grow"),
            Question::new("q2".into(), QuestionKind::LongText, "Anything else"),
        ]
    }

    fn input(qs: &[Question], dim: Dimension) -> Inputs<'_> {
        Inputs { questions: qs, skills: &[], k: 5, anonymous: true, invited: 20, dimension: dim, with_texts: true }
    }

    #[test]
    fn four_answers_are_hidden_five_are_shown() {
        let qs = questions();
        let four: Vec<ResponseRow> = (0..4).map(|i| row("Sales", 4 + (i % 2), "ok")).collect();
        let (_, q, texts) = compute(&four, &input(&qs, Dimension::None));
        assert_eq!(q[0].hidden.as_deref(), Some(Hidden::TooFew.reason(5).as_str()));
        assert!(q[0].mean.is_none() && q[0].distribution.is_empty() && q[0].n == 0);
        assert!(texts.is_some() && q[1].texts.is_empty(), "anonymous free text waits for k answers");
        let mut five = four.clone();
        five.push(row("Sales", 5, "great"));
        let (_, q, texts) = compute(&five, &input(&qs, Dimension::None));
        assert!(q[0].hidden.is_none() && q[0].n == 5);
        assert!((q[0].mean.unwrap().value - 4.6).abs() < 1e-9, "4,5,4,5,5");
        assert_eq!(q[0].distribution[3], ("4".to_string(), 2));
        assert!(texts.is_none() && q[1].texts == vec!["great", "ok", "ok", "ok", "ok"]);
    }

    #[test]
    fn a_small_department_is_hidden_with_the_next_smallest() {
        let qs = questions();
        let mut rows: Vec<ResponseRow> = (0..8).map(|_| row("Engineering", 4, "")).collect();
        rows.extend((0..6).map(|_| row("Sales", 3, "")));
        rows.extend((0..2).map(|_| row("Legal", 1, "")));
        let (groups, q, _) = compute(&rows, &input(&qs, Dimension::Department));
        let by: BTreeMap<&str, &GroupResult> = groups.iter().map(|g| (g.label.as_str(), g)).collect();
        assert!(by["Legal"].hidden.is_some() && by["Legal"].n == 0);
        assert!(by["Sales"].hidden.is_some(), "else Legal = total − Engineering − Sales");
        assert!(by["Engineering"].hidden.is_none() && by["Engineering"].n == 8);
        let g = &q[0].groups;
        assert!(g.iter().find(|x| x.label == "Legal").unwrap().mean.is_none());
        assert!(g.iter().find(|x| x.label == "Sales").unwrap().mean.is_none());
        assert_eq!(g.iter().find(|x| x.label == "Engineering").unwrap().mean.unwrap().value, 4.0);
    }

    #[test]
    fn texts_never_for_leadership() {
        let qs = questions();
        let rows: Vec<ResponseRow> = (0..9).map(|_| row("Sales", 4, "fine")).collect();
        let mut i = input(&qs, Dimension::None);
        i.with_texts = false;
        let (_, q, texts) = compute(&rows, &i);
        assert!(q[1].texts.is_empty() && texts.is_some());
        assert_eq!(by_day(&rows), vec![("2026-11-02".to_string(), 9)]);
    }
}
