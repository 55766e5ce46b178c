//! Form building blocks: labelled fields with their error, and the form-level alert. A field's
//! error line has the id `<field id>-error`, and the field points to it with `aria-describedby`
//! and says `aria-invalid` while it has an error, so a screen reader announces both.

use leptos::prelude::*;

use crate::error::AppError;

/// The message for `field` from the latest result of an action, if it failed on that field.
pub fn field_error<T: Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || match result() {
        Some(Err(e)) => e.field_message(field),
        _ => None,
    })
}

/// A labelled text input bound to a signal, with its field error under it.
#[component]
pub fn TextField(
    /// Visible label.
    label: &'static str,
    /// The input's `name` and `id` suffix (matches the DTO field; unique on the page).
    #[prop(into)]
    name: String,
    /// The value, two-way.
    value: RwSignal<String>,
    /// The field's error message.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Input type (`text`, `email`, `password`, `number`).
    #[prop(default = "text")]
    r#type: &'static str,
    /// Browser autocomplete hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A hint shown under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Whether the field is required (shown, and checked on the server).
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let err_id = error_id(&id);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some() class:field-required=required>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <input
                id=id
                name=name
                type=r#type
                autocomplete=autocomplete
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=aria_invalid(error)
                aria-describedby=err_id.clone()
            />
            <FieldError id=err_id error />
        </div>
    }
}

/// A labelled select bound to a signal, with its field error under it.
#[component]
pub fn Choice(
    label: &'static str,
    #[prop(into)] name: String,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
            </select>
            <p class="field-error" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// The error of the latest result of an action, if it failed.
pub fn action_error<T: Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    Signal::derive(move || result().and_then(Result::err))
}

/// The form-level message for an error that is not about one field (field errors, validation and
/// conflicts, are shown under their fields).
#[component]
pub fn FormAlert(
    /// The latest error, if any.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        error.get().filter(|e| !matches!(e, AppError::Validation(_) | AppError::Conflict { .. }))
    });
    view! { <ErrorAlert error /> }
}

/// An alert with any error, for an action whose errors belong to no field (or whose form shows
/// field errors from its own list).
#[component]
pub fn ErrorAlert(
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        {move || {
            error
                .get()
                .map(|e| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {e.to_string()}
                        </div>
                    }
                })
        }}
    }
}

/// The id of the error line of the field with id `field_id` (what its `aria-describedby` names).
pub fn error_id(field_id: &str) -> String {
    format!("{field_id}-error")
}

/// The `aria-invalid` value of a field with this error.
pub fn aria_invalid(error: Signal<Option<String>>) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || if error.with(Option::is_some) { "true" } else { "false" }
}

/// A field's error line, announced when it changes. Give it the [`error_id`] of its field.
#[component]
pub fn FieldError(
    /// The element id the field's `aria-describedby` points to.
    #[prop(into)]
    id: String,
    /// The message, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || error.get()}
        </p>
    }
}

/// A labelled multi-line text field bound to a signal, with its field error under it.
#[component]
pub fn TextArea(
    /// Visible label.
    #[prop(into)]
    label: String,
    /// The field's `name` and `id` suffix (unique on the page).
    #[prop(into)]
    name: String,
    /// The value, two-way.
    value: RwSignal<String>,
    /// The field's error message.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Visible rows.
    #[prop(default = 3)]
    rows: u32,
) -> impl IntoView {
    let id = format!("field-{name}");
    let err_id = error_id(&id);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows=rows
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=aria_invalid(error)
                aria-describedby=err_id.clone()
            ></textarea>
            <FieldError id=err_id error />
        </div>
    }
}

/// What an action returns, as far as telling whether its call succeeded.
pub trait Outcome {
    /// The call succeeded.
    fn succeeded(&self) -> bool;
}

impl<T> Outcome for Result<T, AppError> {
    fn succeeded(&self) -> bool {
        self.is_ok()
    }
}

/// The outcome of one row's call through an action the rows of a list share: the row's key and
/// the result.
pub type Keyed<T> = (String, Result<T, AppError>);

impl<T> Outcome for Keyed<T> {
    fn succeeded(&self) -> bool {
        self.1.is_ok()
    }
}

/// The version of `action`'s latest successful call. A resource keyed on it reloads after a change
/// succeeds but not after a refused one, which would redraw the rows and lose what was typed there.
pub fn successes<I, O>(action: Action<I, O>) -> Memo<usize>
where
    I: Send + Sync + 'static,
    O: Outcome + Send + Sync + 'static,
{
    Memo::new(move |last: Option<&usize>| {
        let version = action.version().get();
        if action.value().with(|v| v.as_ref().is_some_and(Outcome::succeeded)) {
            version
        } else {
            last.copied().unwrap_or(0)
        }
    })
}

/// The latest result of an action the page owns, if it came after this view was drawn: a view
/// redrawn by a reload starts clean, as it would with an action of its own.
pub fn result_since_drawn<I, T>(
    action: Action<I, Result<T, AppError>>,
) -> impl Fn() -> Option<Result<T, AppError>> + Copy + Send + Sync + 'static
where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let drawn = action.version().get_untracked();
    move || if action.version().get() > drawn { action.value().get() } else { None }
}

/// One row's latest result from an action the rows share: only a call this row (`key`) made, and
/// only since the row was drawn.
pub fn row_result<I, T>(
    action: Action<I, Keyed<T>>,
    key: String,
) -> impl Fn() -> Option<Result<T, AppError>> + Copy + Send + Sync + 'static
where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let drawn = action.version().get_untracked();
    let key = StoredValue::new(key);
    move || {
        if action.version().get() <= drawn {
            return None;
        }
        action.value().with(|v| v.as_ref().filter(|(k, _)| key.with_value(|key| k == key)).map(|(_, r)| r.clone()))
    }
}
