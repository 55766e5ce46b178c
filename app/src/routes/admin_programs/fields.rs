//! The studio's inputs: a text field bound to one field of the design, and the field errors of
//! the latest save or publish, by the path the server names (`objectives.0.statement`).

use leptos::prelude::*;

use crate::domain::program::types::ProgramDesign;
use crate::error::AppError;

/// Reads and writes one text field inside the design.
pub(super) fn field(
    design: RwSignal<ProgramDesign>,
    get: impl Fn(&ProgramDesign) -> Option<String> + Send + Sync + 'static,
    set: impl Fn(&mut ProgramDesign, String) + Send + Sync + 'static,
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || design.with(|d| get(d).unwrap_or_default())),
        Callback::new(move |v: String| design.update(|d| set(d, v))),
    )
}

/// [`field`] for text field `$f` of item `$i` of the list `$list` in the design:
/// `item_field!(design, phases[i].name)`. A removed item reads as empty and ignores writes.
macro_rules! item_field {
    ($design:expr, $list:ident[$i:expr].$f:ident) => {
        super::fields::field(
            $design,
            move |d| d.$list.get($i).map(|x| x.$f.clone()),
            move |d, v| {
                if let Some(x) = d.$list.get_mut($i) {
                    x.$f = v;
                }
            },
        )
    };
}
pub(super) use item_field;

/// The field errors of the latest save and of the latest publish; the save's win.
#[derive(Clone, Copy)]
pub(super) struct FieldErrors {
    save: Signal<Option<AppError>>,
    publish: Signal<Option<AppError>>,
}

impl FieldErrors {
    /// From the errors of the two actions.
    pub(super) fn new(save: Signal<Option<AppError>>, publish: Signal<Option<AppError>>) -> Self {
        Self { save, publish }
    }

    /// The message for the field at `path`, if the latest save or publish refused it.
    pub(super) fn at(self, path: impl Into<String>) -> Signal<Option<String>> {
        let path = path.into();
        Signal::derive(move || {
            let message = |e: &Option<AppError>| e.as_ref().and_then(|e| e.field_message(&path));
            self.save.with(message).or_else(|| self.publish.with(message))
        })
    }
}

/// A labelled input bound to a field of the design.
#[component]
pub(super) fn Bound(
    /// Visible label.
    #[prop(into)]
    label: String,
    /// The element id (unique on the page); the error line is `{id}-error`.
    #[prop(into)]
    id: String,
    /// The field's value, from [`field`].
    value: Signal<String>,
    /// Writes the field, from [`field`].
    set: Callback<String>,
    /// The field's error, from [`FieldErrors::at`].
    error: Signal<Option<String>>,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The input type (`text`, `date`).
    #[prop(default = "text")]
    r#type: &'static str,
    /// A three-row text area instead of an input.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                rows="3"
                prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=err_id.clone()
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type=r#type
                prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=err_id.clone()
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {input}
            <p class="field-error" id=err_id aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}
