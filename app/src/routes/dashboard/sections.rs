//! The dashboard's sections: each a chart (where one helps) with the same numbers as a table,
//! and a CSV export of that table for the same filters.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::chart::{ChartSpec, EChart};
use crate::domain::metrics::api::export_table;
use crate::domain::metrics::types::{Dashboard, Filters, GroupRow, MeasureRow, ObjectiveStatus, Standing, Table};
use crate::engine::stats::Estimate;

fn one(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}")).unwrap_or_else(|| "—".into())
}

fn est(e: &Estimate) -> String {
    if e.low.is_finite() && e.high.is_finite() {
        format!("{:.1} (95 % CI {:.1}–{:.1})", e.value, e.low, e.high)
    } else {
        format!("{:.1}", e.value)
    }
}

/// The dashboard's address with one filter changed (a drill-down).
fn with(f: &Filters, change: impl FnOnce(&mut Filters)) -> String {
    let mut f = f.clone();
    change(&mut f);
    let q = f.query();
    if q.is_empty() {
        "/dashboard".into()
    } else {
        format!("/dashboard?{q}")
    }
}

/// "Export CSV": asks the server for the table and saves it as a file.
#[component]
fn Export(filters: Filters, table: Table) -> impl IntoView {
    view! { <CsvExport name=table.as_str() fetch=move || export_table(filters.clone(), table) /> }
}

/// "Export CSV" of the table `name`: `fetch` asks the server for the file's text (the same rules
/// as the screen), which is saved as `<name>.csv`; a refusal is shown beside the button.
#[component]
pub(crate) fn CsvExport<F, Fut>(name: &'static str, fetch: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<String, crate::error::AppError>> + Send + 'static,
{
    let (error, set_error) = signal(None::<String>);
    let export = Action::new(move |_: &()| {
        let call = fetch();
        async move {
            match call.await {
                Ok(csv) => {
                    set_error.set(None);
                    #[cfg(feature = "hydrate")]
                    save(&format!("{name}.csv"), &csv);
                    #[cfg(not(feature = "hydrate"))]
                    let _ = csv;
                }
                Err(e) => set_error.set(Some(e.field_message("export").unwrap_or_else(|| e.to_string()))),
            }
        }
    });
    view! {
        <button
            type="button"
            class="button button-ghost button-small"
            aria-label=format!("Export CSV of {name}")
            data-export=name
            on:click=move |_| {
                export.dispatch(());
            }
        >
            "Export CSV"
        </button>
        {move || {
            error
                .get()
                .map(|e| {
                    view! {
                        <span class="field-error" role="alert">
                            {e}
                        </span>
                    }
                })
        }}
    }
}

/// "Print report": opens every table view first (a report on paper has the numbers, not
/// toggles), then the browser's print dialog.
#[component]
pub(crate) fn PrintReport() -> impl IntoView {
    view! {
        <button type="button" class="button button-small no-print" data-print="report">
            "Print report"
        </button>
    }
}

/// Saves `text` as a download named `name`.
#[cfg(feature = "hydrate")]
fn save(name: &str, text: &str) {
    use leptos::wasm_bindgen::JsCast;
    let href = format!("data:text/csv;charset=utf-8,{}", js_sys::encode_uri_component(text));
    let Ok(a) = document().create_element("a") else { return };
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", name);
    if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
        a.click();
    }
}

/// A section: heading, export, content.
#[component]
fn Section(title: &'static str, filters: Filters, table: Table, children: Children) -> impl IntoView {
    view! {
        <section class="panel dash-panel" aria-label=title>
            <div class="panel-head">
                <h2>{title}</h2>
                <Export filters table />
            </div>
            {children()}
        </section>
    }
}

/// A table view beside a chart.
#[component]
pub(crate) fn TableView(children: Children) -> impl IntoView {
    view! {
        <details class="table-view">
            <summary>"Table view"</summary>
            <div class="table-wrap" tabindex="0">
                {children()}
            </div>
        </details>
    }
}

/// Program objectives against their targets.
#[component]
pub fn Objectives(d: Dashboard) -> impl IntoView {
    let empty = d.objectives.is_empty();
    view! {
        <Section title="Objectives" filters=d.filters.clone() table=Table::Objectives>
            {empty
                .then(|| {
                    view! {
                        <p class="empty">
                            "No objective in scope is bound to a metric yet. Bind one in the program studio (step 1, Objectives)."
                        </p>
                    }
                })}
            <ObjectiveList objectives=d.objectives />
        </Section>
    }
}

/// Objectives as cards: where each stands, its value against the target, and why.
#[component]
pub fn ObjectiveList(objectives: Vec<ObjectiveStatus>) -> impl IntoView {
    view! {
        <ul class="objectives">
            {objectives
                .into_iter()
                .map(|o| {
                    let class = format!("objective objective-{}", o.standing.as_str());
                    let value = o.value.map(|v| format!("{v}{}", o.unit)).unwrap_or_else(|| "—".into());
                    let target = format!("target {}{} by {}", o.target, o.unit, o.due);
                    let badge = match o.standing {
                        Standing::Met | Standing::OnTrack => "badge badge-approved",
                        Standing::AtRisk => "badge badge-warn",
                        Standing::Missed => "badge badge-rejected",
                        Standing::NoData => "badge",
                    };
                    view! {
                        <li class=class>
                            <div class="objective-head">
                                <span class=badge>{o.standing.label()}</span>
                                <span class="muted small">{format!("{} · {}", o.program_name, o.cohort_name)}</span>
                            </div>
                            <p class="objective-statement">{o.statement}</p>
                            <p class="objective-figure">
                                <strong>{value}</strong>
                                " "
                                <span class="muted">{format!("{} · {target}", o.metric)}</span>
                            </p>
                            <p class="muted small">{o.note}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Tile(label: &'static str, value: String, #[prop(optional)] note: Option<String>) -> impl IntoView {
    view! {
        <div class="stat" data-stat=label>
            <span class="stat-value">{value}</span>
            <span class="stat-label">{label}</span>
            {note.map(|n| view! { <span class="stat-note muted">{n}</span> })}
        </div>
    }
}

/// The headline counts.
#[component]
pub fn Totals(d: Dashboard) -> impl IntoView {
    let t = d.totals;
    view! {
        <div class="stats stats-wide" aria-label="Totals">
            <Tile label="Mentees matched" value=t.mentees.to_string() note=format!("{} mentors", t.mentors) />
            <Tile
                label="Pairs"
                value=t.pairs.to_string()
                note=format!(
                    "{} running now · {} quiet · {} ended early",
                    t.running_pairs,
                    t.quiet_pairs,
                    t.ended_pairs,
                )
            />
            <Tile
                label="Meetings"
                value=t.meetings.to_string()
                note=format!("{:.1} hours · {} per pair per month", t.hours, one(t.meetings_per_pair_month, 1))
            />
            <Tile
                label="Check-ins"
                value=t.checkins.to_string()
                note=format!("{} per pair per month", one(t.checkins_per_pair_month, 1))
            />
            <Tile
                label="Goals completed"
                value=t.goals_completed.to_string()
                note=format!("{} approved · {} sent · {} created", t.goals_approved, t.goals_sent, t.goals_created)
            />
            <Tile label="Milestones done" value=t.milestones_done.to_string() note=format!("of {}", t.milestones) />
            <Tile
                label="Workshops attended"
                value=t.workshop_attended.to_string()
                note=format!(
                    "{} going of {} invited · {} reflections signed off",
                    t.workshop_going,
                    t.workshop_seats,
                    t.reflections_signed_off,
                )
            />
            <Tile label="Awards" value=t.awards.to_string() />
        </div>
    }
}

/// Applied → completed.
#[component]
pub fn Funnel(d: Dashboard) -> impl IntoView {
    // Bars rather than a funnel shape: the steps' sizes differ too much for labels inside a funnel.
    let spec = ChartSpec::Bars {
        categories: d.funnel.iter().map(|s| s.label.clone()).collect(),
        series: vec![("Mentees".into(), d.funnel.iter().map(|s| Some(f64::from(s.count))).collect())],
    };
    let label = format!(
        "Enrollment funnel: {}",
        d.funnel.iter().map(|s| format!("{} {}", s.label, s.count)).collect::<Vec<_>>().join(", ")
    );
    view! {
        <Section title="Enrollment funnel" filters=d.filters.clone() table=Table::Funnel>
            <EChart id="chart-funnel" label spec=Signal::derive(move || spec.clone()) height=280 />
            <TableView>
                <table class="table" data-table="funnel">
                    <thead>
                        <tr>
                            <th scope="col">"Step"</th>
                            <th scope="col">"Mentees"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d
                            .funnel
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <tr>
                                        <td>{s.label}</td>
                                        <td>{s.count}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableView>
        </Section>
    }
}

/// Activity by month.
#[component]
pub fn Activity(d: Dashboard) -> impl IntoView {
    let months: Vec<String> = d.months.iter().map(|m| m.month.clone()).collect();
    let spec = ChartSpec::Months {
        months,
        series: vec![
            ("Meetings".into(), d.months.iter().map(|m| f64::from(m.meetings)).collect()),
            ("Check-ins".into(), d.months.iter().map(|m| f64::from(m.checkins)).collect()),
            ("Milestones done".into(), d.months.iter().map(|m| f64::from(m.milestones)).collect()),
            ("Goals completed".into(), d.months.iter().map(|m| f64::from(m.goals_completed)).collect()),
        ],
    };
    let empty = d.months.is_empty();
    view! {
        <Section title="Activity over time" filters=d.filters.clone() table=Table::Months>
            {if empty {
                view! { <p class="empty">"No meetings, check-ins or milestones yet."</p> }.into_any()
            } else {
                view! {
                    <EChart
                        id="chart-months"
                        label="Meetings, check-ins, milestones and goals completed per month; the table view has the numbers."
                            .to_string()
                        spec=Signal::derive(move || spec.clone())
                        height=280
                    />
                }
                    .into_any()
            }}
            <TableView>
                <table class="table" data-table="months">
                    <thead>
                        <tr>
                            <th scope="col">"Month"</th>
                            <th scope="col">"Meetings"</th>
                            <th scope="col">"Hours"</th>
                            <th scope="col">"Check-ins"</th>
                            <th scope="col">"Milestones"</th>
                            <th scope="col">"Goals completed"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d
                            .months
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <tr>
                                        <td>{m.month}</td>
                                        <td>{m.meetings}</td>
                                        <td>{format!("{:.1}", m.hours)}</td>
                                        <td>{m.checkins}</td>
                                        <td>{m.milestones}</td>
                                        <td>{m.goals_completed}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableView>
        </Section>
    }
}

/// By department, level or cohort: active share, meetings and goals per mentee; hidden groups say
/// why. Departments and cohorts drill down on click.
#[component]
pub fn Breakdown(d: Dashboard, which: Table) -> impl IntoView {
    let (title, rows, chart_id): (&'static str, Vec<GroupRow>, &'static str) = match which {
        Table::Departments => ("By department", d.departments.clone(), "chart-departments"),
        Table::Levels => ("By level", d.levels.clone(), "chart-levels"),
        _ => ("By cohort", d.cohorts.clone(), "chart-cohorts"),
    };
    let filters = d.filters.clone();
    let link = {
        let filters = filters.clone();
        move |key: &str| -> Option<String> {
            match which {
                Table::Departments if filters.department.is_empty() => {
                    Some(with(&filters, |f| f.department = key.to_string()))
                }
                Table::Cohorts if filters.cohort.is_empty() => Some(with(&filters, |f| f.cohort = key.to_string())),
                _ => None,
            }
        }
    };
    let shown: Vec<&GroupRow> = rows.iter().filter(|r| r.hidden.is_none()).collect();
    // Two figures on one scale (both a few per mentee or pair); the active share is in the table.
    let spec = ChartSpec::Bars {
        categories: shown.iter().map(|r| r.label.clone()).collect(),
        series: vec![
            ("Goals completed per mentee".into(), shown.iter().map(|r| r.goals_per_mentee).collect()),
            ("Meetings per pair per month".into(), shown.iter().map(|r| r.meetings_per_pair_month).collect()),
        ],
    };
    let hidden: Vec<String> = rows.iter().filter(|r| r.hidden.is_some()).map(|r| r.label.clone()).collect();
    let hidden_note = (!hidden.is_empty()).then(|| {
        format!(
            "Not shown: {} (fewer than {} mentees, or hidden so that such a group cannot be worked out from the total).",
            hidden.join(", "),
            d.k
        )
    });
    let keys: Vec<(String, String)> = shown.iter().map(|r| (r.label.clone(), r.key.clone())).collect();
    let navigate = use_navigate();
    let drill = link.clone();
    let on_pick = Callback::new(move |label: String| {
        if let Some((_, key)) = keys.iter().find(|(l, _)| *l == label) {
            if let Some(href) = drill(key) {
                navigate(&href, Default::default());
            }
        }
    });
    let height = (shown.len() as u32 * 56 + 70).clamp(150, 560);
    let chart = (!shown.is_empty()).then(|| {
        let label = format!(
            "{title}: goals completed per mentee and meetings per pair per month; the table view has the numbers."
        );
        view! { <EChart id=chart_id label spec=Signal::derive(move || spec.clone()) height on_pick=on_pick /> }
    });
    let empty = rows.is_empty();
    view! {
        <Section title filters table=which>
            {empty.then(|| view! { <p class="empty">"No matched mentees in scope yet."</p> })}
            {chart}
            {hidden_note.map(|n| view! { <p class="muted small">{n}</p> })}
            <TableView>
                <table class="table" data-table=which.as_str()>
                    <thead>
                        <tr>
                            <th scope="col">"Group"</th>
                            <th scope="col">"Mentees"</th>
                            <th scope="col">"Active"</th>
                            <th scope="col">"Meetings / pair / month"</th>
                            <th scope="col">"Goals done / mentee"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                let href = if r.hidden.is_none() { link(&r.key) } else { None };
                                let name = match href {
                                    Some(h) => view! { <a href=h>{r.label.clone()}</a> }.into_any(),
                                    None => view! { <span>{r.label.clone()}</span> }.into_any(),
                                };
                                match r.hidden {
                                    Some(why) => {
                                        view! {
                                            <tr class="row-hidden">
                                                <td>{name}</td>
                                                <td colspan="4" class="muted">
                                                    {format!("Hidden: {why}")}
                                                </td>
                                            </tr>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <tr>
                                                <td>{name}</td>
                                                <td>{r.mentees}</td>
                                                <td>
                                                    {r
                                                        .active_pct
                                                        .map(|p| format!("{p:.0} %"))
                                                        .unwrap_or_else(|| "—".into())}
                                                </td>
                                                <td>{one(r.meetings_per_pair_month, 1)}</td>
                                                <td>{one(r.goals_per_mentee, 1)}</td>
                                            </tr>
                                        }
                                            .into_any()
                                    }
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableView>
        </Section>
    }
}

fn measure_cells(m: &MeasureRow) -> impl IntoView {
    let value = match (&m.value, &m.hidden) {
        (Some(e), _) => est(e),
        (None, Some(why)) if why == "no answers yet" => "No answers yet".into(),
        (None, Some(why)) => format!("Hidden: {why}"),
        (None, None) => "—".into(),
    };
    let n = if m.hidden.is_some() { "—".to_string() } else { m.n.to_string() };
    view! {
        <td>{value}</td>
        <td>{n}</td>
    }
}

/// Survey figures and skill growth, overall and by cohort and mentor approach.
#[component]
pub fn Measures(d: Dashboard) -> impl IntoView {
    let groups: Vec<(&'static str, crate::domain::metrics::types::SurveyGroup)> = d
        .surveys_by_cohort
        .iter()
        .cloned()
        .map(|g| ("Cohort", g))
        .chain(d.surveys_by_approach.iter().cloned().map(|g| ("Mentor approach", g)))
        .collect();
    view! {
        <Section title="Surveys and skill growth" filters=d.filters.clone() table=Table::Measures>
            <div class="table-wrap" tabindex="0">
                <table class="table" data-table="measures">
                    <thead>
                        <tr>
                            <th scope="col">"Figure"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">"Answers"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d
                            .measures
                            .iter()
                            .map(|m| {
                                view! {
                                    <tr>
                                        <td>{m.label.clone()}</td>
                                        {measure_cells(m)}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(!groups.is_empty()).then(|| view! { <h3>"By cohort and by mentor approach"</h3> })}
            {groups
                .into_iter()
                .map(|(kind, g)| {
                    let caption = format!("{kind}: {}", g.label);
                    view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="table survey-group" data-table="survey-group">
                                <caption>{caption}</caption>
                                <tbody>
                                    {g
                                        .measures
                                        .iter()
                                        .map(|m| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{m.label.clone()}</th>
                                                    {measure_cells(m)}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })
                .collect_view()}
        </Section>
    }
}

/// A cohort's pairs (admins, one cohort chosen).
#[component]
pub fn Pairs(d: Dashboard) -> impl IntoView {
    if !d.admin {
        return ().into_any();
    }
    if d.filters.cohort.is_empty() {
        return view! { <p class="muted small">"Choose a cohort (or click one above) to see its pairs."</p> }
            .into_any();
    }
    view! {
        <Section title="Pairs" filters=d.filters.clone() table=Table::Pairs>
            <div class="table-wrap" tabindex="0">
                <table class="table" data-table="pairs">
                    <thead>
                        <tr>
                            <th scope="col">"Mentee"</th>
                            <th scope="col">"Mentor"</th>
                            <th scope="col">"Department"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Meetings"</th>
                            <th scope="col">"Check-ins"</th>
                            <th scope="col">"Goals done / sent"</th>
                            <th scope="col">"Last activity"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d
                            .pairs
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <tr>
                                        <td>
                                            <a href=format!("/pairs/{}", p.id)>{p.mentee}</a>
                                        </td>
                                        <td>{p.mentor}</td>
                                        <td>{p.department}</td>
                                        <td>{p.state}</td>
                                        <td>{p.meetings}</td>
                                        <td>{p.checkins}</td>
                                        <td>{format!("{} / {}", p.goals_completed, p.goals_sent)}</td>
                                        <td>{p.last_activity}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </Section>
    }
    .into_any()
}
