//! One survey question with its answer control, as a participant sees it. The builder's preview
//! draws the same component, so the preview is exactly what a participant gets.

use leptos::prelude::*;

use crate::components::form::error_id;
use crate::domain::surveys::types::{Answer, Answers, Question, QuestionKind, LONG_TEXT_MAX, SHORT_TEXT_MAX};

/// A question and its control, bound to `answers[q.id]`.
#[component]
pub fn QuestionField(
    /// The question.
    q: Question,
    /// Its number (1-based) and the number of questions.
    number: usize,
    /// See `number`.
    total: usize,
    /// The program's skills (key, name), for a skill matrix.
    skills: Vec<(String, String)>,
    /// All answers; this question reads and writes its own.
    answers: RwSignal<Answers>,
    /// Its error, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A prefix making input names unique (the preview and the form can share a page).
    #[prop(into, default = String::new())]
    scope: String,
) -> impl IntoView {
    let qid = q.id.clone();
    let name = format!("{scope}{}", q.id);
    let legend_id = format!("{name}-legend");
    let err_id = error_id(&name);
    let required = q.required;
    let body = match q.kind {
        QuestionKind::Likert | QuestionKind::Nps => {
            let (lo, hi) = q.range();
            let class = if q.kind == QuestionKind::Nps { "scale scale-nps" } else { "scale" };
            view! {
                <div class=class>
                    {(lo..=hi)
                        .map(|v| {
                            let qid = qid.clone();
                            let qid2 = qid.clone();
                            view! {
                                <label class="scale-point">
                                    <input
                                        type="radio"
                                        name=name.clone()
                                        value=v.to_string()
                                        prop:checked=move || {
                                            answers.with(|a| a.get(&qid) == Some(&Answer::Scale(v)))
                                        }
                                        on:change=move |_| {
                                            answers
                                                .update(|a| {
                                                    a.insert(qid2.clone(), Answer::Scale(v));
                                                })
                                        }
                                    />
                                    <span>{v.to_string()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <div class="scale-ends muted small" aria-hidden="true">
                    <span>{q.low_label.clone()}</span>
                    <span>{q.high_label.clone()}</span>
                </div>
            }
            .into_any()
        }
        QuestionKind::Single | QuestionKind::Multi => {
            let multi = q.kind == QuestionKind::Multi;
            view! {
                <div class="choices">
                    {q
                        .options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            let i = i as u32;
                            let (qid, qid2) = (qid.clone(), qid.clone());
                            view! {
                                <label class="choice">
                                    <input
                                        type=if multi { "checkbox" } else { "radio" }
                                        name=name.clone()
                                        value=i.to_string()
                                        prop:checked=move || {
                                            answers
                                                .with(|a| {
                                                    matches!(a.get(&qid), Some(Answer::Choices(c)) if c.contains(&i))
                                                })
                                        }
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            answers
                                                .update(|a| {
                                                    let mut c = match a.get(&qid2) {
                                                        Some(Answer::Choices(c)) if multi => c.clone(),
                                                        _ => Vec::new(),
                                                    };
                                                    c.retain(|x| *x != i);
                                                    if on {
                                                        c.push(i);
                                                        c.sort_unstable();
                                                    }
                                                    a.insert(qid2.clone(), Answer::Choices(c));
                                                })
                                        }
                                    />
                                    <span>{o.clone()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
        QuestionKind::ShortText | QuestionKind::LongText => {
            let long = q.kind == QuestionKind::LongText;
            let max = if long { LONG_TEXT_MAX } else { SHORT_TEXT_MAX };
            let (qid, qid2) = (qid.clone(), qid.clone());
            let value = move || match answers.with(|a| a.get(&qid).cloned()) {
                Some(Answer::Text(t)) => t,
                _ => String::new(),
            };
            let set = move |t: String| {
                answers.update(|a| {
                    a.insert(qid2.clone(), Answer::Text(t));
                })
            };
            let count = {
                let value = value.clone();
                move || format!("{} / {max}", value().chars().count())
            };
            let field_id = format!("{name}-text");
            let described = err_id.clone();
            let label_id = legend_id.clone();
            let input = if long {
                view! {
                    <textarea
                        id=field_id
                        name=name.clone()
                        rows="4"
                        aria-labelledby=label_id
                        aria-describedby=described
                        prop:value=value
                        on:input=move |ev| set(event_target_value(&ev))
                    ></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input
                        id=field_id
                        type="text"
                        name=name.clone()
                        aria-labelledby=label_id
                        aria-describedby=described
                        prop:value=value
                        on:input=move |ev| set(event_target_value(&ev))
                    />
                }
                .into_any()
            };
            view! {
                {input}
                <p class="muted small counter">{count}</p>
            }
            .into_any()
        }
        QuestionKind::Skills => view! {
            <table class="skill-matrix">
                <thead>
                    <tr>
                        <th scope="col">"Skill"</th>
                        {(1..=5u8).map(|v| view! { <th scope="col">{v.to_string()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {skills
                        .iter()
                        .map(|(sid, sname)| {
                            let row_name = format!("{name}-{sid}");
                            view! {
                                <tr>
                                    <th scope="row">{sname.clone()}</th>
                                    {(1..=5u8)
                                        .map(|v| {
                                            let (qid, qid2, sid, sid2) = (
                                                qid.clone(),
                                                qid.clone(),
                                                sid.clone(),
                                                sid.clone(),
                                            );
                                            let label = format!("{sname}: {v}");
                                            view! {
                                                <td>
                                                    <input
                                                        type="radio"
                                                        name=row_name.clone()
                                                        value=v.to_string()
                                                        aria-label=label
                                                        prop:checked=move || {
                                                            answers
                                                                .with(|a| {
                                                                    matches!(
                                                                        a.get(&qid),
                                                                        Some(Answer::Skills(m))
                                                                        if m.get(&sid) == Some(&v)
                                                                    )
                                                                })
                                                        }
                                                        on:change=move |_| {
                                                            answers
                                                                .update(|a| {
                                                                    let mut m = match a.get(&qid2) {
                                                                        Some(Answer::Skills(m)) => m.clone(),
                                                                        _ => Default::default(),
                                                                    };
                                                                    m.insert(sid2.clone(), v);
                                                                    a.insert(qid2.clone(), Answer::Skills(m));
                                                                })
                                                        }
                                                    />
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="muted small">"1 = " {q.low_label.clone()} " · 5 = " {q.high_label.clone()}</p>
        }
        .into_any(),
    };
    view! {
        <fieldset
            class="survey-question"
            class:field-invalid=move || error.get().is_some()
            aria-describedby=err_id.clone()
            data-question=q.id.clone()
        >
            <legend id=legend_id>
                <span class="muted small q-number">{format!("Question {number} of {total}")}</span>
                <span class="q-text">{q.text.clone()}</span>
                {(!required).then(|| view! { <span class="muted small">" (optional)"</span> })}
            </legend>
            {body}
            <p class="field-error" id=err_id.clone() aria-live="polite">
                {move || error.get()}
            </p>
        </fieldset>
    }
}
