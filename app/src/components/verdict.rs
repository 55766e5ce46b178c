//! Eligibility shown in words: the rules before applying, and the verdict per rule after.

use leptos::prelude::*;

use crate::engine::eligibility::{RuleOutline, RuleVerdict};

/// A verdict tree: each rule with a mark, its wording and why it passed or failed.
#[component]
pub fn Verdict(verdict: RuleVerdict) -> impl IntoView {
    view! {
        <ul class="verdict" aria-label="Eligibility, rule by rule">
            {verdict_node(verdict)}
        </ul>
    }
}

fn verdict_node(v: RuleVerdict) -> AnyView {
    let passed = v.passed;
    let children = v.children;
    view! {
        <li class=if passed { "rule rule-pass" } else { "rule rule-fail" }>
            <span class="rule-mark" aria-hidden="true">
                {if passed { "✓" } else { "✗" }}
            </span>
            <span class="rule-body">
                <span class="rule-text">{v.rule}</span>
                <span class="visually-hidden">{if passed { " (met)" } else { " (not met)" }}</span>
                <span class="rule-why">{v.why}</span>
            </span>
            {(!children.is_empty()).then(|| view! { <ul>{children.into_iter().map(verdict_node).collect_view()}</ul> })}
        </li>
    }
    .into_any()
}

/// The rules in words, before anyone applies (`None`: everyone may apply).
#[component]
pub fn RulesOutline(outline: Option<RuleOutline>) -> impl IntoView {
    match outline {
        None => view! { <p class="muted small">"Open to everyone."</p> }.into_any(),
        Some(o) => view! { <ul class="outline">{outline_node(o)}</ul> }.into_any(),
    }
}

fn outline_node(o: RuleOutline) -> AnyView {
    let children = o.children;
    view! {
        <li>
            {o.rule}
            {(!children.is_empty()).then(|| view! { <ul>{children.into_iter().map(outline_node).collect_view()}</ul> })}
        </li>
    }
    .into_any()
}
