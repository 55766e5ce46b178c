//! `/retros`: cohort retrospectives — pick two or more cohorts (or group them by a strategy tag)
//! and see their outcomes side by side, each with its 95 % interval, and every difference with its
//! interval, an effect size for means, and the words for it; warnings where the numbers are small
//! or many comparisons are shown. Admins and leadership (aggregates only; the k rule is applied on
//! the server). The choice is the query string (`?cohort=a&cohort=b&by=approach`), so a comparison
//! is a link; the form works before the page is interactive.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::auth::RequireRole;
use crate::components::chart::{ChartSpec, EChart};
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::retro::api::{compare_cohorts, export_comparison, retro_menu};
use crate::domain::retro::types::{
    shown, Cell, CohortChoice, CompareInput, Comparison, HrSection, Outcome, RetroTable, StrategyTag,
};
use crate::engine::stats::Estimate;
use crate::error::AppError;
use crate::routes::dashboard::sections::{CsvExport, PrintReport, TableView};

/// The page.
#[component]
pub fn RetrosPage() -> impl IntoView {
    let query = use_query_map();
    let input = Memo::new(move |_| {
        query.with(|q| CompareInput {
            cohorts: q.get_all("cohort").unwrap_or_default(),
            by: q.get("by").unwrap_or_default(),
        })
    });
    let menu = Resource::new(|| (), |_| retro_menu());
    let data = Resource::new(
        move || input.get(),
        |i| async move {
            if i.cohorts.is_empty() {
                None
            } else {
                Some(compare_cohorts(i).await)
            }
        },
    );
    view! {
        <Title text="Cohort retrospectives" />
        <RequireRole>
            <PageHead
                eyebrow="Cohort retrospectives"
                title="Compare cohorts"
                lead="Which strategies worked, with honest intervals: pick two or more cohorts, or group them by a strategy tag."
            >
                <div class="hero-actions">
                    <a class="button button-small button-ghost no-print" href="/dashboard">
                        "Dashboard"
                    </a>
                    <PrintReport />
                </div>
            </PageHead>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let menu = menu.await;
                    let result = data.await;
                    match menu {
                        Err(e) => {
                            view! { <NotAvailable eyebrow="Cohort retrospectives" e not_found="Nothing to show." /> }
                                .into_any()
                        }
                        Ok(menu) => {
                            let asked = input.get_untracked();
                            let (comparison, error) = match result {
                                None => (None, None),
                                Some(Ok(c)) => (Some(c), None),
                                Some(Err(e)) => (None, Some(e)),
                            };
                            view! {
                                <PickForm menu asked error />
                                {match comparison {
                                    Some(c) => view! { <Results c /> }.into_any(),
                                    None => {
                                        view! {
                                            <p class="muted">
                                                "Choose the cohorts to compare above. Closed cohorts say the most: their pairs ran to the end."
                                            </p>
                                        }
                                            .into_any()
                                    }
                                }}
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

/// The cohorts to compare, grouped by program, and the grouping; a GET form.
#[component]
fn PickForm(menu: Vec<CohortChoice>, asked: CompareInput, error: Option<AppError>) -> impl IntoView {
    let mut programs: Vec<(String, Vec<CohortChoice>)> = Vec::new();
    for c in menu {
        match programs.iter_mut().find(|(p, _)| *p == c.program_name) {
            Some((_, list)) => list.push(c),
            None => programs.push((c.program_name.clone(), vec![c])),
        }
    }
    let why = error
        .as_ref()
        .map(|e| e.field_message("cohorts").or_else(|| e.field_message("by")).unwrap_or_else(|| e.to_string()));
    let by = asked.by.clone();
    view! {
        <Form method="GET" action="/retros" attr:class="panel retro-pick" attr:aria-label="Cohorts to compare">
            {why
                .map(|w| {
                    view! {
                        <div class="alert alert-error" role="alert" id="retro-error">
                            {format!("This comparison cannot be shown: {w}")}
                        </div>
                    }
                })}
            <div class="retro-programs">
                {programs
                    .into_iter()
                    .map(|(program, cohorts)| {
                        view! {
                            <fieldset class="retro-cohorts">
                                <legend>{program}</legend>
                                {cohorts
                                    .into_iter()
                                    .map(|c| {
                                        let checked = asked.cohorts.contains(&c.id);
                                        let id = format!("retro-cohort-{}", c.id);
                                        view! {
                                            <div class="retro-choice">
                                                <input
                                                    type="checkbox"
                                                    name="cohort"
                                                    value=c.id.clone()
                                                    id=id.clone()
                                                    checked=checked
                                                />
                                                <label for=id>
                                                    <span class="retro-name">{c.name.clone()}</span>
                                                    <span class="small muted">
                                                        {format!("{} · {}", c.status, c.tags)}
                                                    </span>
                                                </label>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="retro-pick-actions">
                <label class="field">
                    <span class="label">"Compare"</span>
                    <select name="by">
                        <option value="" selected=by.is_empty()>
                            "Cohort by cohort"
                        </option>
                        {StrategyTag::ALL
                            .iter()
                            .map(|t| {
                                view! {
                                    <option value=t.as_str() selected=by == t.as_str()>
                                        {format!("By {}", t.label().to_lowercase())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" class="button button-primary">
                    "Compare"
                </button>
            </div>
        </Form>
    }
}

/// "1.3 (95 % CI 0.2 to 2.4)", or the figure alone without an interval.
fn with_interval(o: Outcome, e: &Estimate, difference: bool) -> String {
    if e.has_interval() {
        format!(
            "{} (95 % CI {} to {})",
            shown(o, e.value, difference),
            shown(o, e.low, difference),
            shown(o, e.high, difference)
        )
    } else {
        shown(o, e.value, difference)
    }
}

fn cell_text(o: Outcome, c: &Cell) -> String {
    match (&c.hidden, &c.value) {
        (Some(h), _) => format!("Hidden: {h}"),
        (None, Some(e)) => format!("{} · {} {}", with_interval(o, e, false), c.n, c.unit),
        (None, None) => "—".into(),
    }
}

fn g_text(e: &Estimate) -> String {
    let f = |v: f64| format!("{v:.2}").replace('-', "−");
    if e.has_interval() {
        format!("{} (95 % CI {} to {})", f(e.value), f(e.low), f(e.high))
    } else {
        f(e.value)
    }
}

/// An interval as the chart draws it: (low, value, high), or none.
fn span(e: Option<Estimate>) -> Option<(f64, f64, f64)> {
    e.filter(|e| e.has_interval() && e.value.is_finite()).map(|e| (e.low, e.value, e.high))
}

#[component]
fn Results(c: Comparison) -> impl IntoView {
    let mut warnings = c.warnings.clone();
    warnings.push(c.multiple.clone());
    let rates: Vec<Outcome> = Outcome::ALL.iter().copied().filter(|o| o.is_rate()).collect();
    // Outcomes side by side: the rates (in %), each side a series with its intervals.
    let outcome_spec = ChartSpec::Intervals {
        categories: rates.iter().map(|o| o.short().to_string()).collect(),
        series: c
            .sides
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let values = rates
                    .iter()
                    .map(|o| c.rows.iter().find(|r| r.outcome == *o).and_then(|r| span(r.cells[i].value)))
                    .collect();
                (s.label.clone(), values)
            })
            .collect(),
        zero: false,
    };
    // Differences against the first side: rates in points, means as Hedges' g.
    let compared: Vec<usize> = (1..c.sides.len()).collect();
    let diff_series = |pick: &dyn Fn(&crate::domain::retro::types::Difference) -> Option<Estimate>,
                       outcomes: &[Outcome]| {
        compared
            .iter()
            .map(|side| {
                let values = outcomes
                    .iter()
                    .map(|o| {
                        c.differences.iter().find(|d| d.outcome == *o && d.side == *side).and_then(|d| span(pick(d)))
                    })
                    .collect();
                (format!("{} − {}", c.sides[*side].label, c.sides[0].label), values)
            })
            .collect::<Vec<_>>()
    };
    let forest_spec = ChartSpec::Intervals {
        categories: rates.iter().map(|o| o.short().to_string()).collect(),
        series: diff_series(&|d| d.diff, &rates),
        zero: true,
    };
    let means: Vec<Outcome> = Outcome::ALL.iter().copied().filter(|o| !o.is_rate() && *o != Outcome::Nps).collect();
    let g_spec = ChartSpec::Intervals {
        categories: means.iter().map(|o| o.short().to_string()).collect(),
        series: diff_series(&|d| d.effect, &means),
        zero: true,
    };
    let outcomes_table = view! {
        <table class="table" data-table="outcomes">
            <thead>
                <tr>
                    <th scope="col">"Outcome"</th>
                    {c.sides.iter().map(|s| view! { <th scope="col">{s.label.clone()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {c
                    .rows
                    .iter()
                    .map(|r| {
                        let o = r.outcome;
                        view! {
                            <tr>
                                <th scope="row">{r.label.clone()}</th>
                                {r.cells.iter().map(|cell| view! { <td>{cell_text(o, cell)}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    };
    let differences_table = view! {
        <table class="table" data-table="differences">
            <thead>
                <tr>
                    <th scope="col">"Outcome"</th>
                    <th scope="col">"Comparison"</th>
                    <th scope="col">"Difference (95 % CI)"</th>
                    <th scope="col">"Hedges' g (95 % CI)"</th>
                    <th scope="col">"Clear"</th>
                </tr>
            </thead>
            <tbody>
                {c
                    .differences
                    .iter()
                    .map(|d| {
                        let o = d.outcome;
                        view! {
                            <tr>
                                <th scope="row">{d.label.clone()}</th>
                                <td>{format!("{} − {}", c.sides[d.side].label, c.sides[d.against].label)}</td>
                                <td>
                                    {d
                                        .diff
                                        .map(|e| format!("{}{}", with_interval(o, &e, true), o.diff_unit()))
                                        .unwrap_or_else(|| "—".into())}
                                </td>
                                <td>{d.effect.map(|e| g_text(&e)).unwrap_or_else(|| "—".into())}</td>
                                <td>{if d.clear { "yes" } else { "no" }}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    };
    let against = c.sides[0].label.clone();
    let input = c.input.clone();
    let hr_input = c.input.clone();
    let hr = c.hr.clone();
    let sides = c.sides.clone();
    view! {
        <p class="muted small" data-testid="unit-note">
            {c.unit_note.clone()}
        </p>
        <ul class="retro-warnings" data-testid="warnings" aria-label="Read with care">
            {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
        </ul>
        <section class="panel dash-panel" aria-label="Outcomes side by side">
            <div class="panel-head">
                <h2>"Outcomes side by side"</h2>
                <RetroExport input=input.clone() table=RetroTable::Outcomes />
            </div>
            <ul class="retro-sides">
                {sides
                    .iter()
                    .map(|s| {
                        view! {
                            <li>
                                <strong>{s.label.clone()}</strong>
                                {format!(
                                    " · {} cohort{} · {} mentees · {}",
                                    s.cohorts,
                                    if s.cohorts == 1 { "" } else { "s" },
                                    s.mentees,
                                    s.detail,
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <EChart
                id="chart-retro-outcomes"
                label="Rates per side with their 95 % intervals; the table view below has every outcome".to_string()
                spec=Signal::derive(move || outcome_spec.clone())
                height=360
            />
            <TableView>{outcomes_table}</TableView>
        </section>
        <section class="panel dash-panel" aria-label="Differences">
            <div class="panel-head">
                <h2>"Differences"</h2>
                <RetroExport input table=RetroTable::Differences />
            </div>
            <p class="small muted">
                {format!("Each side against {against}. A difference is clear when its 95 % interval leaves out zero.")}
            </p>
            <Sentences
                testid="sentences"
                items=c.differences.iter().map(|d| (d.sentence.clone(), d.clear, d.warnings.clone())).collect()
            />
            <div class="grid-2">
                <div>
                    <h3 class="small">"Differences in rates (percentage points)"</h3>
                    <EChart
                        id="chart-retro-forest"
                        label="Differences in rates with their 95 % intervals; the table view below has the numbers"
                            .to_string()
                        spec=Signal::derive(move || forest_spec.clone())
                        height=320
                    />
                </div>
                <div>
                    <h3 class="small">"Differences of means, standardised (Hedges' g)"</h3>
                    <EChart
                        id="chart-retro-g"
                        label="Standardised differences of means with their 95 % intervals; the table view below has the numbers"
                            .to_string()
                        spec=Signal::derive(move || g_spec.clone())
                        height=320
                    />
                </div>
            </div>
            <TableView>{differences_table}</TableView>
        </section>
        <HrPanel hr input=hr_input />
    }
}

/// Retention and promotion of each cohort's mentees against the eligible applicants it did not
/// match: an observational comparison, labelled as one.
#[component]
fn HrPanel(hr: HrSection, input: CompareInput) -> impl IntoView {
    let drawn: Vec<&crate::domain::retro::types::HrRow> =
        hr.rows.iter().filter(|r| r.matched.value.is_some() && r.unmatched.value.is_some()).collect();
    let spec = ChartSpec::Intervals {
        categories: drawn.iter().map(|r| format!("{} · {}", r.cohort_name, r.measure.label(r.months))).collect(),
        series: vec![
            ("Matched mentees".to_string(), drawn.iter().map(|r| span(r.matched.value)).collect()),
            ("Eligible, not matched".to_string(), drawn.iter().map(|r| span(r.unmatched.value)).collect()),
        ],
        zero: false,
    };
    let height = (120 + 44 * drawn.len()).clamp(240, 900) as u32;
    let any = !drawn.is_empty();
    let table = view! {
        <table class="table" data-table="hr">
            <thead>
                <tr>
                    <th scope="col">"Cohort"</th>
                    <th scope="col">"Outcome"</th>
                    <th scope="col">"Matched mentees"</th>
                    <th scope="col">"Eligible, not matched"</th>
                    <th scope="col">"Difference (points, 95 % CI)"</th>
                </tr>
            </thead>
            <tbody>
                {hr
                    .rows
                    .iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <th scope="row">{r.cohort_name.clone()}</th>
                                <td>{r.measure.label(r.months)}</td>
                                <td>{cell_text(Outcome::MatchRate, &r.matched)}</td>
                                <td>{cell_text(Outcome::MatchRate, &r.unmatched)}</td>
                                <td>
                                    {r
                                        .diff
                                        .map(|e| with_interval(Outcome::MatchRate, &e, true))
                                        .unwrap_or_else(|| "—".into())}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    };
    view! {
        <section class="panel dash-panel" aria-label="Retention and promotion">
            <div class="panel-head">
                <h2>"Retention and promotion"</h2>
                <RetroExport input table=RetroTable::Hr />
            </div>
            <p class="badge badge-draft retro-observational">"Observational comparison"</p>
            <p class="small muted" data-testid="hr-note">
                {hr.note.clone()}
            </p>
            <ul class="retro-warnings" data-testid="hr-warnings" aria-label="HR outcomes: read with care">
                {hr.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
            </ul>
            <Sentences
                testid="hr-sentences"
                items=hr.rows.iter().map(|r| (r.sentence.clone(), r.clear, r.warnings.clone())).collect()
            />
            {any
                .then(|| {
                    view! {
                        <EChart
                            id="chart-retro-hr"
                            label="Retention and promotion rates of matched mentees and of eligible applicants not matched, with 95 % intervals; the table view below has the numbers"
                                .to_string()
                            spec=Signal::derive(move || spec.clone())
                            height=height
                        />
                    }
                })}
            <TableView>{table}</TableView>
        </section>
    }
}

/// Differences in words, a clear one in bold, each with its warnings after it.
#[component]
fn Sentences(
    /// `data-testid` of the list.
    testid: &'static str,
    /// (sentence, clear, warnings).
    items: Vec<(String, bool, Vec<String>)>,
) -> impl IntoView {
    view! {
        <ol class="retro-sentences" data-testid=testid>
            {items
                .into_iter()
                .map(|(sentence, clear, warnings)| {
                    view! {
                        <li class:retro-clear=clear>
                            {sentence}
                            {(!warnings.is_empty())
                                .then(|| {
                                    view! {
                                        <span class="small muted retro-caveat">
                                            {format!(" ({})", warnings.join(" "))}
                                        </span>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// "Export CSV" of one of the comparison's tables.
#[component]
fn RetroExport(input: CompareInput, table: RetroTable) -> impl IntoView {
    view! { <CsvExport name=table.as_str() fetch=move || export_comparison(input.clone(), table) /> }
}
