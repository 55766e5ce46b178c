//! The surveys an admin starts from. Short on purpose (the article: keep the survey short); each
//! is an ordinary design the builder can change before scheduling.

use serde::{Deserialize, Serialize};

use crate::domain::surveys::types::{Audience, Measure, Question, QuestionKind, Schedule, ScheduleKind, SurveyDesign};
use crate::engine::suppress::DEFAULT_K;

wire_enum! {
    /// A starting point.
    pub enum Template {
        /// After the first session: is this pair a fit?
        FitCheck = "fit_check",
        /// Three to five questions, monthly.
        MonthlyPulse = "monthly_pulse",
        /// "My mentor helps me grow as a leader", asked of mentees.
        MentorEffectiveness = "mentor_effectiveness",
        /// How engaged is my mentee, asked of mentors.
        MenteeEngagement = "mentee_engagement",
        /// At the end: outcomes, skills and whether to recommend the program.
        EndOfProgram = "end_of_program",
        /// An empty survey.
        Blank = "blank",
    }
}

impl Template {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Template::FitCheck => "First-session fit check",
            Template::MonthlyPulse => "Monthly pulse",
            Template::MentorEffectiveness => "Mentor effectiveness",
            Template::MenteeEngagement => "Mentee engagement (for mentors)",
            Template::EndOfProgram => "End of program",
            Template::Blank => "Blank survey",
        }
    }

    /// One line on when to use it.
    pub fn blurb(self) -> &'static str {
        match self {
            Template::FitCheck => "Both sides, after the first meeting: good fit, still deciding or not a fit.",
            Template::MonthlyPulse => "Four quick questions to mentees every month.",
            Template::MentorEffectiveness => "Does the mentor help the mentee grow as a leader?",
            Template::MenteeEngagement => "Mentors say how engaged their mentee is.",
            Template::EndOfProgram => "Outcomes, skills and the recommendation question at cohort end.",
            Template::Blank => "Start from nothing.",
        }
    }

    /// The design it starts from.
    pub fn design(self) -> SurveyDesign {
        let mut n = 0;
        let mut q = |kind: QuestionKind, text: &str| {
            n += 1;
            Question::new(format!("q{n}"), kind, text)
        };
        let measured = |mut q: Question, m: Measure| {
            q.measure = m;
            q
        };
        let optional = |mut q: Question| {
            q.required = false;
            q
        };
        let (title, intro, audience, questions, schedule) = match self {
            Template::FitCheck => (
                "First-session fit check",
                "You have met for the first time. Tell us honestly how it went: a pair that is not a fit can be re-matched.",
                Audience::Both,
                vec![
                    {
                        let mut x = q(QuestionKind::Single, "After the first session, how is the fit with your mentoring partner?");
                        x.options = vec!["Good fit".into(), "Still deciding".into(), "Not a fit".into()];
                        x
                    },
                    optional(q(QuestionKind::LongText, "Anything the program team should know? (only admins read this)")),
                ],
                Schedule { kind: ScheduleKind::AfterPublish, days: 14, open_days: 10, remind_days_before: 3, ..Schedule::default() },
            ),
            Template::MonthlyPulse => (
                "Monthly pulse",
                "Four questions, one minute.",
                Audience::Mentees,
                vec![
                    measured(q(QuestionKind::Likert, "My mentor helps me grow as a leader."), Measure::MentorEffectiveness),
                    q(QuestionKind::Likert, "We met as often as we planned this month."),
                    measured(q(QuestionKind::Likert, "I am satisfied with the program so far."), Measure::Satisfaction),
                    optional(q(QuestionKind::ShortText, "One thing that would make next month better")),
                ],
                Schedule { kind: ScheduleKind::AfterPublish, days: 30, open_days: 7, remind_days_before: 2, repeat_monthly: true, ..Schedule::default() },
            ),
            Template::MentorEffectiveness => (
                "Mentor effectiveness",
                "How is your mentor helping you grow?",
                Audience::Mentees,
                vec![
                    measured(q(QuestionKind::Likert, "My mentor helps me grow as a leader."), Measure::MentorEffectiveness),
                    q(QuestionKind::Likert, "My mentor listens and asks good questions."),
                    q(QuestionKind::Likert, "I leave our sessions with something I will try."),
                    optional(q(QuestionKind::LongText, "What does your mentor do that helps most?")),
                ],
                Schedule { kind: ScheduleKind::PhaseEnd, phase: 1, open_days: 14, remind_days_before: 4, ..Schedule::default() },
            ),
            Template::MenteeEngagement => (
                "Mentee engagement",
                "For mentors: how is it going with your mentee?",
                Audience::Mentors,
                vec![
                    measured(q(QuestionKind::Likert, "My mentee comes prepared to our sessions."), Measure::Engagement),
                    q(QuestionKind::Likert, "My mentee follows through on what we agree."),
                    {
                        let mut x = q(QuestionKind::Single, "How often do you meet?");
                        x.options = vec!["Weekly".into(), "Every two weeks".into(), "Monthly".into(), "Less often".into()];
                        x
                    },
                    optional(q(QuestionKind::LongText, "Anything the program team could help with?")),
                ],
                Schedule { kind: ScheduleKind::PhaseEnd, phase: 1, open_days: 14, remind_days_before: 4, ..Schedule::default() },
            ),
            Template::EndOfProgram => (
                "End of program",
                "The program is ending. Your answers shape the next cohort.",
                Audience::Mentees,
                vec![
                    measured(q(QuestionKind::Likert, "My mentor helped me grow as a leader."), Measure::MentorEffectiveness),
                    measured(q(QuestionKind::Likert, "Overall, I am satisfied with the program."), Measure::Satisfaction),
                    q(QuestionKind::Skills, "Rate yourself today on each of the program's skills."),
                    q(QuestionKind::Nps, "How likely are you to recommend this program to a colleague?"),
                    {
                        let mut x = q(QuestionKind::Multi, "What helped most?");
                        x.options = vec!["Mentoring sessions".into(), "Workshops".into(), "SMART goals".into(), "Peers in the cohort".into()];
                        x.required = false;
                        x
                    },
                    optional(q(QuestionKind::LongText, "What should we change for the next cohort?")),
                ],
                Schedule { kind: ScheduleKind::CohortEnd, open_days: 21, remind_days_before: 7, ..Schedule::default() },
            ),
            Template::Blank => ("", "", Audience::Mentees, Vec::new(), Schedule::default()),
        };
        SurveyDesign {
            title: title.into(),
            intro: intro.into(),
            audience,
            anonymous: self != Template::FitCheck,
            min_group: DEFAULT_K,
            questions,
            schedule,
        }
    }
}

/// Every template, as the builder offers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateCard {
    /// Which.
    pub template: Template,
    /// Name.
    pub label: String,
    /// When to use it.
    pub blurb: String,
    /// Questions in it.
    pub questions: usize,
}

/// The cards for every template.
pub fn cards() -> Vec<TemplateCard> {
    Template::ALL
        .iter()
        .map(|t| TemplateCard {
            template: *t,
            label: t.label().into(),
            blurb: t.blurb().into(),
            questions: t.design().questions.len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_but_blank_is_valid_and_short() {
        for t in Template::ALL {
            let d = t.design();
            if *t == Template::Blank {
                assert!(d.validate(3, 4).is_err(), "a blank survey has no questions yet");
                continue;
            }
            let v = d.validate(3, 4).unwrap_or_else(|e| panic!("{t:?}: {e}"));
            assert!(v.questions.len() <= 10 && d.length_warning().is_none(), "{t:?} is short");
        }
        let pulse = Template::MonthlyPulse.design();
        assert!((3..=5).contains(&pulse.questions.len()) && pulse.schedule.repeat_monthly);
        assert!(!Template::FitCheck.design().anonymous, "the fit check names the pair for the admin");
    }
}
