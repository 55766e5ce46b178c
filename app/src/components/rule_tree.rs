//! An editor for an eligibility rule tree ([`RuleNode`]): all/any groups that hold conditions
//! (field, operator, value) and nested groups.
//!
//! The tree lives with its owner (the program studio keeps it inside the program design); the
//! editor reads it from a signal and hands every edit back as a whole new tree, so it does not
//! care where the tree is stored. Rows are named by their position ("Rule 2.1" is the first rule
//! of the second item, a group), which is also their accessible name.

use leptos::prelude::*;

use crate::engine::eligibility::{Combine, RawCondition, RuleNode, MAX_DEPTH};

/// The profile fields a condition can test (value, label); questions add `answer:<question>`.
const RULE_FIELDS: [(&str, &str); 7] = [
    ("level", "Level"),
    ("tenure_months", "Tenure (months)"),
    ("department", "Department"),
    ("title", "Title"),
    ("location", "Location"),
    ("role", "Role"),
    ("manager_nomination", "Manager nomination"),
];

/// The operators (value, label), as [`RawCondition::op`] spells them.
const RULE_OPS: [(&str, &str); 7] = [
    (">=", "at least"),
    ("<=", "at most"),
    ("=", "is"),
    ("!=", "is not"),
    ("in", "is one of"),
    ("not_in", "is none of"),
    ("is_true", "is required"),
];

/// A rule tree editor inside a fieldset named `title`, with the tree's error under it.
///
/// Server-side rendering: the whole tree renders on the server; editing needs hydration.
#[component]
pub fn RuleTree(
    /// The fieldset's legend and accessible name ("Mentee eligibility").
    title: &'static str,
    /// Prefix of the element ids, unique on the page: `mentee` gives `mentee-combine` for the
    /// top group and `mentee-combine-2` for the group in position 2.
    id_prefix: &'static str,
    /// The tree being edited. A `Memo` is best: the editor then redraws only when the tree changes.
    #[prop(into)]
    rules: Signal<RuleNode>,
    /// Receives the whole tree after every edit; the owner stores it (and so updates `rules`).
    on_change: Callback<RuleNode>,
    /// The application questions; a condition can test the answer to one (`answer:<question>`).
    #[prop(into)]
    questions: Signal<Vec<String>>,
    /// The error for the tree as a whole (from the latest save), shown under it.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let tree = Tree { rules, on_change, questions, id_prefix };
    view! {
        <fieldset class="objective rules" aria-label=title>
            <legend>{title}</legend>
            {group_editor(tree, vec![])}
            <p class="field-error" aria-live="polite">
                {move || error.get()}
            </p>
        </fieldset>
    }
}

/// What every group of one tree shares.
#[derive(Clone, Copy)]
struct Tree {
    rules: Signal<RuleNode>,
    on_change: Callback<RuleNode>,
    questions: Signal<Vec<String>>,
    id_prefix: &'static str,
}

impl Tree {
    /// Applies `f` to the group at `path` and hands the edited tree to the owner.
    fn edit_group(self, path: &[usize], f: &dyn Fn(&mut Combine, &mut Vec<RuleNode>)) {
        let mut root = self.rules.get_untracked();
        let edited = match node_at_mut(&mut root, path) {
            Some(RuleNode::Group { combine, rules }) => {
                f(combine, rules);
                true
            }
            _ => false,
        };
        if edited {
            self.on_change.run(root);
        }
    }
}

/// One group of the tree at `path` (child indexes from the root); recursive, so it returns a
/// type-erased view.
fn group_editor(tree: Tree, path: Vec<usize>) -> AnyView {
    let path = StoredValue::new(path);
    let update = move |f: &dyn Fn(&mut Combine, &mut Vec<RuleNode>)| path.with_value(|p| tree.edit_group(p, f));
    // The shape (which children are groups) decides what is rendered; values update in place.
    let shape = Memo::new(move |_| {
        tree.rules.with(|root| match path.with_value(|p| node_at(root, p)) {
            Some(RuleNode::Group { rules, .. }) => rules.iter().map(|r| matches!(r, RuleNode::Group { .. })).collect(),
            _ => Vec::<bool>::new(),
        })
    });
    let combine = Memo::new(move |_| {
        tree.rules.with(|root| match path.with_value(|p| node_at(root, p)) {
            Some(RuleNode::Group { combine, .. }) => *combine,
            _ => Combine::All,
        })
    });
    let depth = path.with_value(Vec::len);
    let name = path.with_value(|p| p.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join("."));
    let prefix = tree.id_prefix;
    let combine_id = if depth == 0 { format!("{prefix}-combine") } else { format!("{prefix}-combine-{name}") };
    let combine_label = if depth == 0 { "Applicants must meet".to_string() } else { format!("Group {name}: meet") };
    let add_label = (depth > 0).then(|| format!("Add rule to group {name}"));
    let rule_name = move |i: usize| if name.is_empty() { (i + 1).to_string() } else { format!("{name}.{}", i + 1) };
    let rule_name = StoredValue::new(rule_name);
    view! {
        <div class=if depth == 0 { "rule-group" } else { "rule-group rule-group-nested" }>
            <div class="rule-combine">
                <label for=combine_id.clone()>{combine_label}</label>
                <select
                    id=combine_id
                    prop:value=move || if combine.get() == Combine::All { "all" } else { "any" }
                    on:change=move |ev| {
                        let all = event_target_value(&ev) == "all";
                        update(&|c, _| *c = if all { Combine::All } else { Combine::Any });
                    }
                >
                    <option value="all">"all of these rules"</option>
                    <option value="any">"any of these rules"</option>
                </select>
            </div>
            {move || {
                if shape.with(Vec::is_empty) {
                    Some(
                        view! {
                            <p class="muted small">
                                {if depth == 0 {
                                    "No rules: everyone may apply."
                                } else {
                                    "Empty group: add a rule or remove the group."
                                }}
                            </p>
                        },
                    )
                } else {
                    None
                }
            }}
            {move || {
                shape
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, is_group)| {
                        let label = rule_name.with_value(|f| f(i));
                        if !is_group {
                            return condition_row(tree, path, i, label);
                        }
                        let child = path
                            .with_value(|p| {
                                let mut c = p.clone();
                                c.push(i);
                                c
                            });
                        view! {
                            <div class="rule-subgroup">
                                {group_editor(tree, child)}
                                <button
                                    type="button"
                                    class="button button-small button-ghost"
                                    aria-label=format!("Remove group {label}")
                                    on:click=move |_| update(&|_, rules| remove_at(rules, i))
                                >
                                    "Remove group"
                                </button>
                            </div>
                        }
                            .into_any()
                    })
                    .collect_view()
            }}
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-small"
                    aria-label=add_label
                    on:click=move |_| update(&|_, rules| rules.push(RuleNode::condition("level", ">=", "3")))
                >
                    "Add rule"
                </button>
                {(depth + 2 < MAX_DEPTH)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-small button-ghost"
                                on:click=move |_| update(
                                    &|_, rules| {
                                        rules
                                            .push(RuleNode::Group {
                                                combine: Combine::Any,
                                                rules: vec![RuleNode::condition("tenure_months", ">=", "12")],
                                            })
                                    },
                                )
                            >
                                "Add group"
                            </button>
                        }
                    })}
            </div>
        </div>
    }
    .into_any()
}

/// One condition: field, operator and value, and its "Remove" button.
fn condition_row(tree: Tree, path: StoredValue<Vec<usize>>, i: usize, label: String) -> AnyView {
    let update = move |f: &dyn Fn(&mut Combine, &mut Vec<RuleNode>)| path.with_value(|p| tree.edit_group(p, f));
    let cond = Memo::new(move |_| {
        tree.rules.with(|root| match path.with_value(|p| node_at(root, p)) {
            Some(RuleNode::Group { rules, .. }) => match rules.get(i) {
                Some(RuleNode::Condition(c)) => Some(c.clone()),
                _ => None,
            },
            _ => None,
        })
    });
    let set = move |f: fn(&mut RawCondition, String), v: String| {
        update(&|_, rules| {
            if let Some(RuleNode::Condition(c)) = rules.get_mut(i) {
                f(c, v.clone());
            }
        })
    };
    // Set again after the question options are redrawn, which drops the selected option.
    let field = move || {
        tree.questions.track();
        cond.with(|c| c.as_ref().map(|c| c.field.clone()).unwrap_or_default())
    };
    view! {
        <div class="rule-row">
            <select
                aria-label=format!("Rule {label} field")
                prop:value=field
                on:change=move |ev| set(|c, v| c.field = v, event_target_value(&ev))
            >
                {RULE_FIELDS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                {move || {
                    tree.questions
                        .get()
                        .into_iter()
                        .map(|q| view! { <option value=format!("answer:{q}")>{format!("Answer: {q}")}</option> })
                        .collect_view()
                }}
            </select>
            <select
                aria-label=format!("Rule {label} operator")
                prop:value=move || cond.with(|c| c.as_ref().map(|c| c.op.clone()).unwrap_or_default())
                on:change=move |ev| set(|c, v| c.op = v, event_target_value(&ev))
            >
                {RULE_OPS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
            </select>
            <input
                aria-label=format!("Rule {label} value")
                type="text"
                placeholder="value, or a, b, c"
                prop:value=move || cond.with(|c| c.as_ref().map(|c| c.value.clone()).unwrap_or_default())
                on:input=move |ev| set(|c, v| c.value = v, event_target_value(&ev))
            />
            <button
                type="button"
                class="button button-small button-ghost"
                aria-label=format!("Remove rule {label}")
                on:click=move |_| update(&|_, rules| remove_at(rules, i))
            >
                "Remove"
            </button>
        </div>
    }
    .into_any()
}

/// Removes item `i` if it is still there (a stale click must not panic).
fn remove_at(rules: &mut Vec<RuleNode>, i: usize) {
    if i < rules.len() {
        rules.remove(i);
    }
}

/// The node at `path` (child indexes from the root).
fn node_at<'a>(node: &'a RuleNode, path: &[usize]) -> Option<&'a RuleNode> {
    match path.split_first() {
        None => Some(node),
        Some((i, rest)) => match node {
            RuleNode::Group { rules, .. } => rules.get(*i).and_then(|c| node_at(c, rest)),
            RuleNode::Condition(_) => None,
        },
    }
}

/// The node at `path`, to edit.
fn node_at_mut<'a>(node: &'a mut RuleNode, path: &[usize]) -> Option<&'a mut RuleNode> {
    match path.split_first() {
        None => Some(node),
        Some((i, rest)) => match node {
            RuleNode::Group { rules, .. } => rules.get_mut(*i).and_then(|c| node_at_mut(c, rest)),
            RuleNode::Condition(_) => None,
        },
    }
}

/// Renames `answer:<old>` to `answer:<new>` everywhere in a tree: a question's text is its id, so
/// renaming a question must carry the rules that test its answer along.
pub fn rename_answer(node: &mut RuleNode, old: &str, new: &str) {
    match node {
        RuleNode::Group { rules, .. } => rules.iter_mut().for_each(|r| rename_answer(r, old, new)),
        RuleNode::Condition(c) => {
            if c.field.strip_prefix("answer:") == Some(old) {
                c.field = format!("answer:{new}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> RuleNode {
        RuleNode::Group {
            combine: Combine::All,
            rules: vec![
                RuleNode::condition("level", ">=", "3"),
                RuleNode::Group {
                    combine: Combine::Any,
                    rules: vec![
                        RuleNode::condition("tenure_months", ">=", "12"),
                        RuleNode::condition("answer:Old question", "=", "yes"),
                    ],
                },
            ],
        }
    }

    #[test]
    fn paths_address_nodes_and_stop_at_conditions() {
        let t = tree();
        assert_eq!(node_at(&t, &[]), Some(&t));
        assert_eq!(node_at(&t, &[1, 0]), Some(&RuleNode::condition("tenure_months", ">=", "12")));
        assert_eq!(node_at(&t, &[0, 0]), None, "a condition has no children");
        assert_eq!(node_at(&t, &[5]), None);
        let mut t = tree();
        if let Some(RuleNode::Condition(c)) = node_at_mut(&mut t, &[1, 1]) {
            c.value = "no".into();
        }
        assert_eq!(node_at(&t, &[1, 1]), Some(&RuleNode::condition("answer:Old question", "=", "no")));
    }

    #[test]
    fn renaming_a_question_renames_the_rules_that_test_its_answer() {
        let mut t = tree();
        rename_answer(&mut t, "Old question", "New question");
        assert_eq!(node_at(&t, &[1, 1]), Some(&RuleNode::condition("answer:New question", "=", "yes")));
        assert_eq!(node_at(&t, &[0]), Some(&RuleNode::condition("level", ">=", "3")), "other rules unchanged");
    }

    #[test]
    fn removing_a_stale_index_changes_nothing() {
        let mut rules = vec![RuleNode::condition("level", ">=", "3")];
        remove_at(&mut rules, 1);
        assert_eq!(rules.len(), 1);
        remove_at(&mut rules, 0);
        assert!(rules.is_empty());
    }
}
