//! Eligibility rules: who may join a cohort as a mentee or a mentor.
//!
//! A program stores its rules as a tree of [`RuleNode`]s: conditions over profile fields combined
//! with all/any groups. Rules arrive from the admin's editor in a loose, text-friendly form
//! ([`RawCondition`]) and are checked by [`parse`] into typed [`Condition`]s, with one error per
//! bad node. [`evaluate`] gives a verdict per rule with a reason a person can read
//! ("level 3 < required 4").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a group combines its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// Every child must pass.
    All,
    /// At least one child must pass.
    Any,
}

/// A rule tree as the editor sends and the database stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "node", rename_all = "lowercase")]
pub enum RuleNode {
    /// A group of rules.
    Group {
        /// All or any.
        combine: Combine,
        /// The children, at least one.
        rules: Vec<RuleNode>,
    },
    /// One condition, not yet checked.
    Condition(RawCondition),
}

impl RuleNode {
    /// A condition node from its three texts.
    pub fn condition(field: &str, op: &str, value: &str) -> RuleNode {
        RuleNode::Condition(RawCondition { field: field.into(), op: op.into(), value: value.into() })
    }
}

/// A condition as typed in the editor: field, operator and value, all text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawCondition {
    /// `level`, `tenure_months`, `department`, `title`, `location`, `role`, `manager_nomination`
    /// or `answer:<question id>`.
    pub field: String,
    /// `>=`, `<=`, `=`, `!=`, `in`, `not_in`, `is_true`.
    pub op: String,
    /// The value: a number, a text, or a comma-separated list for `in`/`not_in`.
    pub value: String,
}

/// A profile field a rule can test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Career level (1..=10).
    Level,
    /// Months since hire.
    TenureMonths,
    /// Department name.
    Department,
    /// Job title.
    Title,
    /// Office or remote location.
    Location,
    /// A platform role (mentor, mentee, …).
    Role,
    /// Whether the applicant's manager nominated them.
    ManagerNomination,
    /// The answer to one of the program's application questions.
    Answer(String),
}

impl Field {
    fn parse(s: &str, questions: &[String]) -> Result<Field, String> {
        Ok(match s.trim() {
            "level" => Field::Level,
            "tenure_months" => Field::TenureMonths,
            "department" => Field::Department,
            "title" => Field::Title,
            "location" => Field::Location,
            "role" => Field::Role,
            "manager_nomination" => Field::ManagerNomination,
            other => match other.strip_prefix("answer:") {
                Some(q) if questions.iter().any(|x| x == q) => Field::Answer(q.to_string()),
                Some(q) => return Err(format!("there is no application question \"{q}\"")),
                None => return Err(format!("unknown field \"{other}\"")),
            },
        })
    }

    /// How the field is named in verdicts.
    pub fn label(&self) -> String {
        match self {
            Field::Level => "level".into(),
            Field::TenureMonths => "tenure".into(),
            Field::Department => "department".into(),
            Field::Title => "title".into(),
            Field::Location => "location".into(),
            Field::Role => "role".into(),
            Field::ManagerNomination => "manager nomination".into(),
            Field::Answer(q) => format!("answer to \"{q}\""),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Field::Level | Field::TenureMonths)
    }
}

/// A checked condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// A number field compared with a bound.
    Number {
        /// Level or tenure.
        field: Field,
        /// `>=`, `<=`, `=` or `!=`.
        cmp: NumberCmp,
        /// The bound.
        bound: i64,
    },
    /// A text field is (or is not) one of a set (compared without case).
    OneOf {
        /// Department, title, location, role or an answer.
        field: Field,
        /// The allowed (or excluded) values.
        values: Vec<String>,
        /// True for `not_in` / `!=`.
        negate: bool,
    },
    /// The manager must have nominated the applicant.
    Nominated,
}

/// A numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberCmp {
    /// `>=`
    AtLeast,
    /// `<=`
    AtMost,
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
}

impl NumberCmp {
    fn symbol(self) -> &'static str {
        match self {
            NumberCmp::AtLeast => "≥",
            NumberCmp::AtMost => "≤",
            NumberCmp::Equal => "=",
            NumberCmp::NotEqual => "≠",
        }
    }
    fn holds(self, actual: i64, bound: i64) -> bool {
        match self {
            NumberCmp::AtLeast => actual >= bound,
            NumberCmp::AtMost => actual <= bound,
            NumberCmp::Equal => actual == bound,
            NumberCmp::NotEqual => actual != bound,
        }
    }
    /// The symbol that says why the comparison failed ("3 < 4").
    fn failed_symbol(self) -> &'static str {
        match self {
            NumberCmp::AtLeast => "<",
            NumberCmp::AtMost => ">",
            NumberCmp::Equal => "≠",
            NumberCmp::NotEqual => "=",
        }
    }
}

/// A checked rule tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// All or any of the children.
    Group(Combine, Vec<Rule>),
    /// One condition.
    Leaf(Condition),
}

/// An error in a rule tree, located by its path (`"1.0"` = second child's first child).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleError {
    /// Position of the node in the tree, as dot-separated child indexes ("" for the root).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The most nesting a rule tree may have (deeper trees are a mistake, and recursion is bounded).
pub const MAX_DEPTH: usize = 6;
/// The most conditions a rule tree may have.
pub const MAX_CONDITIONS: usize = 100;

/// Checks a rule tree against the program's application questions; every bad node is reported.
pub fn parse(node: &RuleNode, questions: &[String]) -> Result<Rule, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut count = 0;
    let rule = parse_node(node, questions, "", 0, &mut count, &mut errors);
    if count > MAX_CONDITIONS {
        errors.push(RuleError { path: String::new(), message: format!("use at most {MAX_CONDITIONS} conditions") });
    }
    match rule {
        Some(r) if errors.is_empty() => Ok(r),
        _ => Err(errors),
    }
}

fn child_path(path: &str, i: usize) -> String {
    if path.is_empty() {
        i.to_string()
    } else {
        format!("{path}.{i}")
    }
}

fn parse_node(
    node: &RuleNode,
    questions: &[String],
    path: &str,
    depth: usize,
    count: &mut usize,
    errors: &mut Vec<RuleError>,
) -> Option<Rule> {
    match node {
        RuleNode::Group { combine, rules } => {
            if depth >= MAX_DEPTH {
                errors.push(RuleError { path: path.into(), message: format!("nest groups at most {MAX_DEPTH} deep") });
                return None;
            }
            if rules.is_empty() {
                errors.push(RuleError { path: path.into(), message: "a group needs at least one rule".into() });
                return None;
            }
            let children: Vec<Option<Rule>> = rules
                .iter()
                .enumerate()
                .map(|(i, r)| parse_node(r, questions, &child_path(path, i), depth + 1, count, errors))
                .collect();
            children.into_iter().collect::<Option<Vec<_>>>().map(|c| Rule::Group(*combine, c))
        }
        RuleNode::Condition(raw) => {
            *count += 1;
            match parse_condition(raw, questions) {
                Ok(c) => Some(Rule::Leaf(c)),
                Err(message) => {
                    errors.push(RuleError { path: path.into(), message });
                    None
                }
            }
        }
    }
}

fn parse_list(value: &str) -> Vec<String> {
    let mut v: Vec<String> = value.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    v.sort_by_key(|s| s.to_lowercase());
    v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    v
}

/// Checks one condition.
pub fn parse_condition(raw: &RawCondition, questions: &[String]) -> Result<Condition, String> {
    let field = Field::parse(&raw.field, questions)?;
    let op = raw.op.trim();
    let value = raw.value.trim();
    if value.chars().count() > 1000 {
        return Err("the value is too long (at most 1000 characters)".into());
    }
    if field == Field::ManagerNomination {
        return match op {
            "is_true" | "=" => Ok(Condition::Nominated),
            _ => Err(format!("manager nomination can only be required (operator is_true), not \"{op}\"")),
        };
    }
    if field.is_numeric() {
        let cmp = match op {
            ">=" => NumberCmp::AtLeast,
            "<=" => NumberCmp::AtMost,
            "=" => NumberCmp::Equal,
            "!=" => NumberCmp::NotEqual,
            other => return Err(format!("{} compares with >=, <=, = or !=, not \"{other}\"", field.label())),
        };
        let bound: i64 = value.parse().map_err(|_| {
            format!("{} needs a whole number, not \"{}\"", field.label(), value.chars().take(40).collect::<String>())
        })?;
        let (min, max) = if field == Field::Level { (1, 10) } else { (0, 600) };
        if !(min..=max).contains(&bound) {
            return Err(format!("{} must be between {min} and {max}", field.label()));
        }
        return Ok(Condition::Number { field, cmp, bound });
    }
    let negate = match op {
        "in" | "=" => false,
        "not_in" | "!=" => true,
        other => return Err(format!("{} matches with in, not_in, = or !=, not \"{other}\"", field.label())),
    };
    let values = parse_list(value);
    if values.is_empty() {
        return Err(format!("{} needs at least one value", field.label()));
    }
    Ok(Condition::OneOf { field, values, negate })
}

/// The facts about an applicant that rules test.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    /// Career level, if known.
    pub level: Option<i64>,
    /// Months since hire, if known.
    pub tenure_months: Option<i64>,
    /// Department.
    pub department: String,
    /// Job title.
    pub title: String,
    /// Location.
    pub location: String,
    /// Platform roles (`mentor`, `mentee`, …).
    pub roles: Vec<String>,
    /// Whether their manager nominated them.
    pub manager_nominated: bool,
    /// Answers to application questions, by question id.
    pub answers: BTreeMap<String, String>,
}

/// The verdict on one node of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVerdict {
    /// The rule in words ("level ≥ 4", "all of:").
    pub rule: String,
    /// Whether it passed.
    pub passed: bool,
    /// Why, in words ("level 3 < required 4").
    pub why: String,
    /// Verdicts of a group's children.
    pub children: Vec<RuleVerdict>,
}

/// Describes a checked rule in words.
pub fn describe(rule: &Rule) -> String {
    match rule {
        Rule::Group(Combine::All, _) => "all of these".into(),
        Rule::Group(Combine::Any, _) => "any of these".into(),
        Rule::Leaf(Condition::Number { field, cmp, bound }) => {
            format!("{} {} {}{}", field.label(), cmp.symbol(), bound, unit(field))
        }
        Rule::Leaf(Condition::OneOf { field, values, negate }) => {
            let list = values.join(", ");
            match (values.len(), negate) {
                (1, false) => format!("{} is {list}", field.label()),
                (1, true) => format!("{} is not {list}", field.label()),
                (_, false) => format!("{} is one of {list}", field.label()),
                (_, true) => format!("{} is none of {list}", field.label()),
            }
        }
        Rule::Leaf(Condition::Nominated) => "nominated by their manager".into(),
    }
}

fn unit(field: &Field) -> &'static str {
    if *field == Field::TenureMonths {
        " months"
    } else {
        ""
    }
}

fn text_of<'a>(field: &Field, a: &'a Applicant) -> Vec<&'a str> {
    match field {
        Field::Department => vec![a.department.as_str()],
        Field::Title => vec![a.title.as_str()],
        Field::Location => vec![a.location.as_str()],
        Field::Role => a.roles.iter().map(String::as_str).collect(),
        Field::Answer(q) => a.answers.get(q).map(|s| vec![s.as_str()]).unwrap_or_default(),
        _ => vec![],
    }
}

/// A rule tree in words, shown to applicants before they apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOutline {
    /// The rule in words.
    pub rule: String,
    /// A group's children.
    pub children: Vec<RuleOutline>,
}

/// Describes a whole checked tree.
pub fn outline(rule: &Rule) -> RuleOutline {
    let children = match rule {
        Rule::Group(_, children) => children.iter().map(outline).collect(),
        Rule::Leaf(_) => vec![],
    };
    RuleOutline { rule: describe(rule), children }
}

/// Evaluates a checked rule for an applicant, with a reason for every node.
pub fn evaluate(rule: &Rule, a: &Applicant) -> RuleVerdict {
    let text = describe(rule);
    match rule {
        Rule::Group(combine, children) => {
            let children: Vec<RuleVerdict> = children.iter().map(|c| evaluate(c, a)).collect();
            let passed_count = children.iter().filter(|c| c.passed).count();
            let (passed, why) = match combine {
                Combine::All => (
                    passed_count == children.len(),
                    format!("{passed_count} of {} rules met; all are required", children.len()),
                ),
                Combine::Any => {
                    (passed_count > 0, format!("{passed_count} of {} rules met; one is enough", children.len()))
                }
            };
            RuleVerdict { rule: text, passed, why, children }
        }
        Rule::Leaf(Condition::Number { field, cmp, bound }) => {
            let actual = if *field == Field::Level { a.level } else { a.tenure_months };
            let u = unit(field);
            let (passed, why) = match actual {
                None => (false, format!("{} is not recorded in the profile", field.label())),
                Some(v) if cmp.holds(v, *bound) => {
                    (true, format!("{} {v}{u} {} required {bound}{u}", field.label(), cmp.symbol()))
                }
                Some(v) => (false, format!("{} {v}{u} {} required {bound}{u}", field.label(), cmp.failed_symbol())),
            };
            RuleVerdict { rule: text, passed, why, children: vec![] }
        }
        Rule::Leaf(Condition::OneOf { field, values, negate }) => {
            let actual = text_of(field, a);
            let hit = actual.iter().find(|v| values.iter().any(|x| x.eq_ignore_ascii_case(v.trim())));
            let shown = if actual.iter().all(|v| v.trim().is_empty()) {
                "not given".to_string()
            } else {
                actual.iter().filter(|v| !v.trim().is_empty()).cloned().collect::<Vec<_>>().join(", ")
            };
            let passed = hit.is_some() != *negate;
            let why = match (hit, negate) {
                (Some(h), false) => format!("{} is {h}", field.label()),
                (None, false) => format!("{} is {shown}, not in the allowed list", field.label()),
                (Some(h), true) => format!("{} is {h}, which is excluded", field.label()),
                (None, true) => format!("{} is {shown}, not excluded", field.label()),
            };
            RuleVerdict { rule: text, passed, why, children: vec![] }
        }
        Rule::Leaf(Condition::Nominated) => {
            let passed = a.manager_nominated;
            let why = if passed { "nominated by their manager" } else { "no manager nomination yet" };
            RuleVerdict { rule: text, passed, why: why.into(), children: vec![] }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(field: &str, op: &str, value: &str) -> RuleNode {
        RuleNode::Condition(RawCondition { field: field.into(), op: op.into(), value: value.into() })
    }

    fn all(rules: Vec<RuleNode>) -> RuleNode {
        RuleNode::Group { combine: Combine::All, rules }
    }

    fn any(rules: Vec<RuleNode>) -> RuleNode {
        RuleNode::Group { combine: Combine::Any, rules }
    }

    fn applicant() -> Applicant {
        Applicant {
            level: Some(3),
            tenure_months: Some(18),
            department: "Engineering".into(),
            title: "Software Engineer".into(),
            location: "Lisbon".into(),
            roles: vec!["mentee".into()],
            manager_nominated: false,
            answers: BTreeMap::from([("goal".to_string(), "Lead a team".to_string())]),
        }
    }

    fn verdict(node: RuleNode) -> RuleVerdict {
        let rule = parse(&node, &["goal".to_string()]).expect("valid rules");
        evaluate(&rule, &applicant())
    }

    #[test]
    fn level_rule_explains_the_gap() {
        let v = verdict(cond("level", ">=", "4"));
        assert!(!v.passed);
        assert_eq!(v.rule, "level ≥ 4");
        assert_eq!(v.why, "level 3 < required 4");
        let v = verdict(cond("level", "<=", "5"));
        assert!(v.passed);
        assert_eq!(v.why, "level 3 ≤ required 5");
    }

    #[test]
    fn tenure_rule_uses_months() {
        let v = verdict(cond("tenure_months", ">=", "24"));
        assert!(!v.passed);
        assert_eq!(v.why, "tenure 18 months < required 24 months");
        let mut a = applicant();
        a.tenure_months = None;
        let r = parse(&cond("tenure_months", ">=", "6"), &[]).unwrap();
        assert_eq!(evaluate(&r, &a).why, "tenure is not recorded in the profile");
    }

    #[test]
    fn department_in_and_not_in_ignore_case() {
        assert!(verdict(cond("department", "in", "engineering, Product")).passed);
        let v = verdict(cond("department", "not_in", "Engineering"));
        assert!(!v.passed);
        assert_eq!(v.why, "department is Engineering, which is excluded");
        let v = verdict(cond("department", "in", "Sales,Marketing"));
        assert_eq!(v.why, "department is Engineering, not in the allowed list");
        assert_eq!(v.rule, "department is one of Marketing, Sales");
    }

    #[test]
    fn role_nomination_and_answers() {
        assert!(verdict(cond("role", "=", "mentee")).passed);
        assert!(!verdict(cond("role", "=", "mentor")).passed);
        let v = verdict(cond("manager_nomination", "is_true", ""));
        assert!(!v.passed);
        assert_eq!(v.why, "no manager nomination yet");
        assert!(verdict(cond("answer:goal", "=", "lead a team")).passed);
    }

    #[test]
    fn groups_combine_all_and_any() {
        let v = verdict(all(vec![cond("level", ">=", "2"), cond("department", "=", "Sales")]));
        assert!(!v.passed);
        assert_eq!(v.why, "1 of 2 rules met; all are required");
        assert_eq!(v.children.len(), 2);
        let v = verdict(any(vec![cond("level", ">=", "5"), all(vec![cond("tenure_months", ">=", "12")])]));
        assert!(v.passed);
        assert_eq!(v.why, "1 of 2 rules met; one is enough");
    }

    #[test]
    fn invalid_rules_are_reported_per_node() {
        let node = all(vec![
            cond("salary", ">=", "100"),
            cond("level", ">=", "four"),
            any(vec![]),
            cond("department", "in", " , "),
            cond("level", "in", "3"),
            cond("answer:unknown", "=", "x"),
            cond("level", ">=", "11"),
            cond("manager_nomination", ">=", "1"),
        ]);
        let errors = parse(&node, &["goal".to_string()]).unwrap_err();
        let by_path: BTreeMap<&str, &str> = errors.iter().map(|e| (e.path.as_str(), e.message.as_str())).collect();
        assert_eq!(by_path["0"], "unknown field \"salary\"");
        assert_eq!(by_path["1"], "level needs a whole number, not \"four\"");
        assert_eq!(by_path["2"], "a group needs at least one rule");
        assert_eq!(by_path["3"], "department needs at least one value");
        assert!(by_path["4"].contains("compares with"));
        assert!(by_path["5"].contains("no application question"));
        assert_eq!(by_path["6"], "level must be between 1 and 10");
        assert!(by_path["7"].contains("manager nomination"));
        assert_eq!(errors.len(), 8);
    }

    #[test]
    fn depth_and_size_are_bounded() {
        let mut node = cond("level", ">=", "1");
        for _ in 0..=MAX_DEPTH {
            node = all(vec![node]);
        }
        assert!(parse(&node, &[]).unwrap_err()[0].message.contains("deep"));
        let many = all((0..=MAX_CONDITIONS).map(|_| cond("level", ">=", "1")).collect());
        assert!(parse(&many, &[]).unwrap_err().iter().any(|e| e.message.contains("at most")));
    }

    #[test]
    fn rules_round_trip_through_json() {
        let node = all(vec![cond("level", ">=", "4"), any(vec![cond("department", "in", "Sales")])]);
        let json = serde_json::to_string(&node).unwrap();
        assert!(json.contains("\"node\":\"group\"") && json.contains("\"combine\":\"all\""));
        assert_eq!(serde_json::from_str::<RuleNode>(&json).unwrap(), node);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn arb_condition() -> impl Strategy<Value = RuleNode> {
        prop_oneof![
            (prop_oneof![Just(">="), Just("<="), Just("="), Just("!=")], 1i64..=10).prop_map(|(op, n)| {
                RuleNode::Condition(RawCondition { field: "level".into(), op: op.into(), value: n.to_string() })
            }),
            (0i64..=120).prop_map(|n| RuleNode::Condition(RawCondition {
                field: "tenure_months".into(),
                op: ">=".into(),
                value: n.to_string()
            })),
            (prop::sample::subsequence(vec!["Engineering", "Sales", "Product", "People"], 1..4), any::<bool>())
                .prop_map(|(ds, neg)| RuleNode::Condition(RawCondition {
                    field: "department".into(),
                    op: if neg { "not_in".into() } else { "in".into() },
                    value: ds.join(","),
                })),
            Just(RuleNode::Condition(RawCondition {
                field: "manager_nomination".into(),
                op: "is_true".into(),
                value: String::new()
            })),
        ]
    }

    fn arb_tree() -> impl Strategy<Value = RuleNode> {
        arb_condition().prop_recursive(4, 40, 5, |inner| {
            (any::<bool>(), prop::collection::vec(inner, 1..5)).prop_map(|(all, rules)| RuleNode::Group {
                combine: if all { Combine::All } else { Combine::Any },
                rules,
            })
        })
    }

    fn arb_applicant() -> impl Strategy<Value = Applicant> {
        (
            prop::option::of(1i64..=10),
            prop::option::of(0i64..=240),
            prop::sample::select(vec!["Engineering", "Sales", "Product", "People", "Finance", ""]),
            any::<bool>(),
        )
            .prop_map(|(level, tenure, dept, nominated)| Applicant {
                level,
                tenure_months: tenure,
                department: dept.into(),
                manager_nominated: nominated,
                ..Applicant::default()
            })
    }

    /// An independent, direct reading of the rules, to check `evaluate` against.
    fn oracle(node: &RuleNode, a: &Applicant) -> bool {
        match node {
            RuleNode::Group { combine: Combine::All, rules } => rules.iter().all(|r| oracle(r, a)),
            RuleNode::Group { combine: Combine::Any, rules } => rules.iter().any(|r| oracle(r, a)),
            RuleNode::Condition(c) => match c.field.as_str() {
                "level" | "tenure_months" => {
                    let v = if c.field == "level" { a.level } else { a.tenure_months };
                    let n: i64 = c.value.parse().unwrap();
                    v.is_some_and(|v| match c.op.as_str() {
                        ">=" => v >= n,
                        "<=" => v <= n,
                        "=" => v == n,
                        _ => v != n,
                    })
                }
                "department" => {
                    let hit = c.value.split(',').any(|d| d == a.department);
                    if c.op == "in" {
                        hit
                    } else {
                        !hit
                    }
                }
                _ => a.manager_nominated,
            },
        }
    }

    proptest! {
        #[test]
        fn evaluate_agrees_with_a_direct_reading(tree in arb_tree(), a in arb_applicant()) {
            let rule = parse(&tree, &[]).expect("generated trees are valid");
            let v = evaluate(&rule, &a);
            prop_assert_eq!(v.passed, oracle(&tree, &a));
        }

        #[test]
        fn every_group_verdict_is_consistent_with_its_children(tree in arb_tree(), a in arb_applicant()) {
            fn check(v: &RuleVerdict) -> bool {
                let ok = if v.children.is_empty() { true } else if v.rule == "all of these" {
                    v.passed == v.children.iter().all(|c| c.passed)
                } else {
                    v.passed == v.children.iter().any(|c| c.passed)
                };
                ok && !v.why.is_empty() && v.children.iter().all(check)
            }
            let rule = parse(&tree, &[]).unwrap();
            prop_assert!(check(&evaluate(&rule, &a)));
        }

        #[test]
        fn parse_never_panics_on_arbitrary_text(field in ".{0,30}", op in ".{0,6}", value in ".{0,60}") {
            let _ = parse_condition(&RawCondition { field, op, value }, &["q".to_string()]);
        }
    }
}
