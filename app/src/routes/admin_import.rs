//! `/admin/import`: bulk import of people from a CSV file, with a preview, row-level errors and
//! no partial import.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::auth::RequireRole;
use crate::components::form::{action_error, FormAlert};
use crate::components::page::PageHead;
use crate::domain::auth::types::Role;
use crate::domain::import::api::{preview_import, run_import};
use crate::domain::import::types::{parse, ImportOutcome, ImportPreview, KNOWN, MAX_BYTES};
use crate::error::AppError;

/// The page.
#[component]
pub fn AdminImport() -> impl IntoView {
    view! {
        <Title text="Import people" />
        <RequireRole role=Role::Admin>
            <ImportBody />
        </RequireRole>
    }
}

const TEMPLATE: &str = "email,name,department,title,level,manager_email,skills,role\r\n\
ana.lima@example.com,Ana Lima,Sales,Account Executive,3,bo.chen@example.com,Giving feedback;Delegation,mentee\r\n\
bo.chen@example.com,Bo Chen,Sales,Sales Manager,6,,Coaching others,mentor\r\n";

fn template_href() -> String {
    let mut out = String::from("data:text/csv;charset=utf-8,");
    for b in TEMPLATE.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What picking a file gave: its name and text, or why it is not read.
type Picked = Result<(String, String), String>;

/// The message for a file over the size the server takes (checked before anything is sent).
fn too_large(name: &str) -> String {
    format!("{name} is larger than {} MB; split it into smaller files.", MAX_BYTES / 1024 / 1024)
}

#[cfg(feature = "hydrate")]
async fn read_file(ev: leptos::ev::Event) -> Option<Picked> {
    use leptos::wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    let name = file.name();
    if file.size() > MAX_BYTES as f64 {
        return Some(Err(too_large(&name)));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok()?.as_string()?;
    Some(Ok((name, text)))
}

#[cfg(not(feature = "hydrate"))]
async fn read_file(_ev: leptos::ev::Event) -> Option<Picked> {
    let _ = too_large;
    None
}

#[component]
fn ImportBody() -> impl IntoView {
    let csv = RwSignal::new(String::new());
    let file_name = RwSignal::new(String::new());
    let reading = RwSignal::new(false);
    let file_problem = RwSignal::new(None::<String>);
    let check = Action::new(|text: &String| preview_import(text.clone()));
    let import = Action::new(|text: &String| run_import(text.clone()));
    // Rows counted in the browser, before the server answers.
    // Only the number of rows is used here; the server checks the dates against its own today.
    let local_rows =
        Memo::new(move |_| csv.with(|t| if t.trim().is_empty() { 0 } else { parse(t, i64::MAX).rows.len() }));
    let preview = move || check.value().get().and_then(Result::ok);
    let outcome = move || import.value().get();
    let stale = RwSignal::new(false);
    let run_check = move || {
        stale.set(false);
        import.value().set(None);
        check.dispatch(csv.get_untracked());
    };
    let on_file = move |ev: leptos::ev::Event| {
        reading.set(true);
        leptos::task::spawn_local(async move {
            match read_file(ev).await {
                Some(Ok((name, text))) => {
                    file_problem.set(None);
                    file_name.set(name);
                    csv.set(text);
                    run_check();
                }
                Some(Err(problem)) => {
                    file_problem.set(Some(problem));
                    file_name.set(String::new());
                    csv.set(String::new());
                    check.value().set(None);
                }
                None => {}
            }
            reading.set(false);
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = import.value().get() {
            // The preview describes the file before the import: check again before re-importing.
            stale.set(true);
        }
    });
    let busy = move || reading.get() || check.pending().get() || import.pending().get();
    let stage = move || {
        if reading.get() {
            Some("Reading the file…".to_string())
        } else if check.pending().get() {
            Some(format!("Checking {} rows against the people and skills already here…", local_rows.get()))
        } else if import.pending().get() {
            Some(format!("Importing {} people in one transaction (all or nothing)…", local_rows.get()))
        } else {
            None
        }
    };
    let can_import = move || {
        !busy()
            && !stale.get()
            && preview().is_some_and(|p| p.file_error.is_none() && p.errors.is_empty() && p.rows > 0)
    };
    view! {
        <PageHead
            eyebrow="Admin"
            title="Import people"
            lead="Add or update many people at once from a spreadsheet saved as CSV. You see every problem before anything is saved, and an import with a problem saves nothing."
        />
        <div class="grid-sidebar">
            <section class="panel">
                <h2>"Choose a file"</h2>
                <div class="field">
                    <label for="csv-file">"CSV file (UTF-8)"</label>
                    <input
                        id="csv-file"
                        type="file"
                        accept=".csv,text/csv"
                        aria-describedby="csv-file-error"
                        on:change=on_file
                    />
                    <p class="field-error" id="csv-file-error" aria-live="polite">
                        {move || file_problem.get()}
                    </p>
                </div>
                <details>
                    <summary>"…or paste the rows"</summary>
                    <div class="field">
                        <label for="csv-text">"CSV text"</label>
                        <textarea
                            id="csv-text"
                            rows=6
                            prop:value=move || csv.get()
                            on:input=move |ev| {
                                csv.set(event_target_value(&ev));
                                file_name.set(String::new());
                                stale.set(true);
                            }
                        ></textarea>
                    </div>
                    <button type="button" class="button" disabled=busy on:click=move |_| run_check()>
                        "Check these rows"
                    </button>
                </details>
                {move || {
                    (!file_name.get().is_empty())
                        .then(|| {
                            view! {
                                <p class="muted small">{format!("{} · {} rows", file_name.get(), local_rows.get())}</p>
                            }
                        })
                }}
            </section>
            <section class="panel">
                <h2>"Columns"</h2>
                <p class="small">
                    "The first line names the columns, in any order. Required: " <strong>"email"</strong> ", "
                    <strong>"name"</strong> "."
                </p>
                <ul class="small">
                    <li>
                        <code>"department"</code>
                        ", "
                        <code>"title"</code>
                    </li>
                    <li>
                        <code>"level"</code>
                        " — 1 to 10"
                    </li>
                    <li>
                        <code>"manager_email"</code>
                        " — someone in the file or already here"
                    </li>
                    <li>
                        <code>"skills"</code>
                        " — names from the skills catalog, separated by ; (wanted by mentees, offered by mentors)"
                    </li>
                    <li>
                        <code>"role"</code>
                        " — mentee (default), mentor, or both"
                    </li>
                    <li>
                        <code>"hired_on"</code>
                        ", "
                        <code>"left_on"</code>
                        ", "
                        <code>"promoted_on"</code>
                        " — dates as YYYY-MM-DD, not in the future, not before the hire date; "
                        <code>"new_level"</code>
                        " — the level that promotion took them to. Retrospectives compare mentees' retention and promotion with these."
                    </li>
                </ul>
                <p class="small muted">{format!("Understood: {}.", KNOWN.join(", "))}</p>
                <p class="small muted">
                    "People already here are updated: empty cells keep their values, and roles and skills are only added. New people get no password until you issue a temporary one on the People page."
                </p>
                <a class="button button-small" href=template_href() download="people-template.csv">
                    "Download a template"
                </a>
            </section>
        </div>
        // Full width, so the preview's ten columns fit on a laptop screen.
        <section class="panel" aria-labelledby="import-check">
            <h2 id="import-check">"Check and import"</h2>
            {move || {
                stage()
                    .map(|s| {
                        view! {
                            <div class="import-progress" role="status">
                                <progress aria-label="Import progress"></progress>
                                <span>{s}</span>
                            </div>
                        }
                    })
            }}
            <FormAlert error=action_error(move || check.value().get()) />
            {move || preview().map(|p| view! { <PreviewView p /> })}
            {move || match outcome() {
                Some(Ok(o)) => Some(view! { <Done o /> }.into_any()),
                Some(Err(e)) => Some(view! { <ImportError e /> }.into_any()),
                None => None,
            }}
            {move || {
                (check.value().get().is_none() && outcome().is_none() && !busy())
                    .then(|| {
                        view! {
                            <p class="muted small">
                                "Choose a file or paste rows: every row is checked here before anything is saved."
                            </p>
                        }
                    })
            }}
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-primary"
                    disabled=move || !can_import()
                    on:click=move |_| {
                        import.dispatch(csv.get_untracked());
                    }
                >
                    {move || match preview() {
                        Some(p) if p.rows > 0 => format!("Import {} people", p.rows),
                        _ => "Import".to_string(),
                    }}
                </button>
            </div>
        </section>
    }
}

#[component]
fn PreviewView(p: ImportPreview) -> impl IntoView {
    if let Some(m) = p.file_error {
        return view! {
            <div class="alert alert-error" role="alert">
                {m}
            </div>
        }
        .into_any();
    }
    let summary = format!("{} rows: {} new, {} to update.", p.rows, p.new, p.updated);
    if !p.errors.is_empty() {
        let n = p.errors.len();
        let shown: Vec<_> = p.errors.into_iter().take(200).collect();
        return view! {
            <div class="alert alert-error" role="alert">
                {format!(
                    "{n} problem{} found. Nothing will be imported until every row is fixed.",
                    if n == 1 { "" } else { "s" },
                )}
            </div>
            <p class="small">{summary}</p>
            <div class="table-wrap" role="region" aria-label="Problems found" tabindex="0">
                <table class="table" aria-label="Problems by line">
                    <thead>
                        <tr>
                            <th>"Line"</th>
                            <th>"Column"</th>
                            <th>"Problem"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {shown
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <tr>
                                        <td>{e.line}</td>
                                        <td>{e.column}</td>
                                        <td>{e.message}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(n > 200).then(|| view! { <p class="muted small">{format!("…and {} more.", n - 200)}</p> })}
        }
        .into_any();
    }
    let more = p.rows.saturating_sub(p.sample.len());
    view! {
        <div class="alert alert-success" role="status">
            {format!("{summary} No problems found.")}
        </div>
        <div class="table-wrap" role="region" aria-label="Rows to import" tabindex="0">
            <table class="table" aria-label="Preview">
                <thead>
                    <tr>
                        <th>"Line"</th>
                        <th>"Email"</th>
                        <th>"Name"</th>
                        <th>"Department"</th>
                        <th>"Title"</th>
                        <th>"Level"</th>
                        <th>"Manager"</th>
                        <th>"Skills"</th>
                        <th>"Roles"</th>
                        <th>"HR outcomes"</th>
                    </tr>
                </thead>
                <tbody>
                    {p
                        .sample
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td>{r.line}</td>
                                    <td>{r.email}</td>
                                    <td>{r.name}</td>
                                    <td>{r.department}</td>
                                    <td>{r.title}</td>
                                    <td>{r.level.map(|l| l.to_string()).unwrap_or_default()}</td>
                                    <td>{r.manager_email}</td>
                                    <td>{r.skills.join(", ")}</td>
                                    <td>{r.roles.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ")}</td>
                                    <td>{r.outcomes.words()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {(more > 0).then(|| view! { <p class="muted small">{format!("…and {more} more rows.")}</p> })}
    }
    .into_any()
}

#[component]
fn Done(o: ImportOutcome) -> impl IntoView {
    view! {
        <div class="alert alert-success" role="status">
            {format!("Imported: {} added, {} updated in {:.1} s. ", o.created, o.updated, o.millis as f64 / 1000.0)}
            <a href="/admin/users">"See everyone"</a>
        </div>
    }
}

#[component]
fn ImportError(e: AppError) -> impl IntoView {
    let message = e.field_message("file").unwrap_or_else(|| e.to_string());
    view! {
        <div class="alert alert-error" role="alert">
            {message}
        </div>
    }
}
