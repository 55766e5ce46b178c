//! The wizard's fields as types: a screen edits exactly its own part of the draft, and the error
//! keys (as `check_step` names them) and element ids come from one place.

use crate::components::form::error_id;
use crate::domain::goals::types::{GoalDraft, Step};
use crate::error::FieldErrors;

/// One of the four free-text SMART answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    /// S.
    Specific,
    /// M.
    Measurable,
    /// A.
    Achievable,
    /// R.
    Relevant,
}

impl Answer {
    /// Every answer, in the wizard's order.
    #[cfg(test)]
    const ALL: [Answer; 4] = [Answer::Specific, Answer::Measurable, Answer::Achievable, Answer::Relevant];

    /// The field's name in the draft and in its errors.
    fn key(self) -> &'static str {
        match self {
            Answer::Specific => "specific",
            Answer::Measurable => "measurable",
            Answer::Achievable => "achievable",
            Answer::Relevant => "relevant",
        }
    }

    /// The step that asks for it.
    #[cfg(test)]
    fn step(self) -> Step {
        match self {
            Answer::Specific => Step::Specific,
            Answer::Measurable => Step::Measurable,
            Answer::Achievable => Step::Achievable,
            Answer::Relevant => Step::Relevant,
        }
    }

    /// The label of its text box.
    pub(super) fn label(self) -> &'static str {
        match self {
            Answer::Specific => "What exactly will you do?",
            Answer::Measurable => "The measure and the target",
            Answer::Achievable => "Resources and obstacles",
            Answer::Relevant => "Why it matters for your role or the program",
        }
    }

    /// Its text in the draft.
    pub(super) fn get(self, d: &GoalDraft) -> &String {
        match self {
            Answer::Specific => &d.specific,
            Answer::Measurable => &d.measurable,
            Answer::Achievable => &d.achievable,
            Answer::Relevant => &d.relevant,
        }
    }

    /// Its text in the draft, to change.
    pub(super) fn get_mut(self, d: &mut GoalDraft) -> &mut String {
        match self {
            Answer::Specific => &mut d.specific,
            Answer::Measurable => &mut d.measurable,
            Answer::Achievable => &mut d.achievable,
            Answer::Relevant => &mut d.relevant,
        }
    }
}

/// A field of the draft, as the step checks report on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// The skill (a radio group).
    Skill,
    /// A free-text answer.
    Answer(Answer),
    /// The deadline.
    Deadline,
    /// The list of milestones as a whole (how many).
    Milestones,
    /// The title of the milestone at this position.
    MilestoneTitle(usize),
    /// The date of the milestone at this position.
    MilestoneDue(usize),
}

impl Field {
    /// The key of its message in [`FieldErrors`].
    pub(super) fn key(self) -> String {
        match self {
            Field::Skill => "skill_id".into(),
            Field::Answer(a) => a.key().into(),
            Field::Deadline => "deadline".into(),
            Field::Milestones => "milestones".into(),
            Field::MilestoneTitle(k) => format!("milestones.{k}.title"),
            Field::MilestoneDue(k) => format!("milestones.{k}.due"),
        }
    }

    /// The id of its element on the page.
    pub(super) fn id(self) -> String {
        match self {
            Field::Skill => "goal-skill".into(),
            Field::Answer(a) => format!("goal-{}", a.key()),
            Field::Deadline => "goal-deadline".into(),
            Field::Milestones => "goal-milestones".into(),
            Field::MilestoneTitle(k) => format!("milestone-{k}-title"),
            Field::MilestoneDue(k) => format!("milestone-{k}-due"),
        }
    }

    /// The id of its error line.
    pub(super) fn error_id(self) -> String {
        error_id(&self.id())
    }

    /// Its message in `errors`, if any.
    pub(super) fn message(self, errors: &FieldErrors) -> Option<String> {
        errors.get(&self.key()).map(str::to_string)
    }
}

/// The first message about a step's fields (for the review's row of that step).
pub(super) fn step_message(step: Step, errors: &FieldErrors) -> Option<String> {
    let field = match step {
        Step::Skill => Field::Skill,
        Step::Specific => Field::Answer(Answer::Specific),
        Step::Measurable => Field::Answer(Answer::Measurable),
        Step::Achievable => Field::Answer(Answer::Achievable),
        Step::Relevant => Field::Answer(Answer::Relevant),
        Step::TimeBound => Field::Deadline,
        Step::Milestones => {
            return Field::Milestones
                .message(errors)
                .or_else(|| errors.0.iter().find(|e| e.field.starts_with("milestones.")).map(|e| e.message.clone()));
        }
        Step::Review => return None,
    };
    field.message(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::goals::types::{check_step, GoalContext, MilestoneInput};

    fn context() -> GoalContext {
        GoalContext {
            skills: vec![("s1".into(), "Feedback".into())],
            cohort_starts: "2027-10-01".into(),
            cohort_ends: "2028-03-31".into(),
            today: "2027-09-01".into(),
        }
    }

    #[test]
    fn each_answer_edits_its_own_field_and_names_the_key_its_check_uses() {
        for a in Answer::ALL {
            let mut d = GoalDraft::default();
            *a.get_mut(&mut d) = "x".into();
            let filled =
                [&d.specific, &d.measurable, &d.achievable, &d.relevant].iter().filter(|v| !v.is_empty()).count();
            assert_eq!(filled, 1, "{a:?} edits one field");
            assert_eq!(a.get(&d), "x");
            let errors = check_step(a.step(), &GoalDraft::default(), &context());
            assert!(
                Field::Answer(a).message(&errors).is_some(),
                "{a:?}: the check reports on {}",
                Field::Answer(a).key()
            );
            assert!(step_message(a.step(), &errors).is_some());
        }
    }

    #[test]
    fn the_other_fields_name_the_keys_their_checks_use() {
        let ctx = context();
        let empty = GoalDraft::default();
        assert!(Field::Skill.message(&check_step(Step::Skill, &empty, &ctx)).is_some());
        assert!(Field::Deadline.message(&check_step(Step::TimeBound, &empty, &ctx)).is_some());
        assert!(Field::Milestones.message(&check_step(Step::Milestones, &empty, &ctx)).is_some());
        let two = GoalDraft { milestones: vec![MilestoneInput::default(); 2], ..Default::default() };
        let errors = check_step(Step::Milestones, &two, &ctx);
        assert!(Field::MilestoneTitle(1).message(&errors).is_some());
        assert!(Field::MilestoneDue(1).message(&errors).is_some());
        assert_eq!(step_message(Step::Milestones, &errors), Field::MilestoneTitle(0).message(&errors));
        assert_eq!(step_message(Step::Review, &errors), None);
    }

    #[test]
    fn ids_are_unique_and_errors_sit_next_to_them() {
        let fields = [
            Field::Skill,
            Field::Answer(Answer::Specific),
            Field::Answer(Answer::Measurable),
            Field::Answer(Answer::Achievable),
            Field::Answer(Answer::Relevant),
            Field::Deadline,
            Field::Milestones,
            Field::MilestoneTitle(0),
            Field::MilestoneDue(0),
            Field::MilestoneTitle(1),
        ];
        let ids: std::collections::HashSet<_> = fields.iter().map(|f| f.id()).collect();
        assert_eq!(ids.len(), fields.len());
        assert_eq!(Field::Deadline.error_id(), "goal-deadline-error");
    }
}
