//! Charts drawn with charming (ECharts) after hydration.
//!
//! The server renders a sized, labelled placeholder; in the browser the component loads ECharts'
//! script (built from the npm registry into `/pkg`, named in the page's `echarts-src` meta tag) the
//! first time a chart is drawn, so pages without charts never download it, then draws the chart
//! with charming's wasm renderer. Every chart has a table of the same numbers beside it (the
//! caller's), for screen readers and keyboard users; the canvas itself is hidden from them.

use leptos::prelude::*;

/// An interval as drawn: (low, estimate, high).
pub type Span = (f64, f64, f64);

/// What to draw: plain data, turned into an ECharts option in the browser only.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartSpec {
    /// Horizontal bars: one bar per category per series (`None`: not shown, e.g. hidden under k).
    Bars {
        /// Category names, top to bottom.
        categories: Vec<String>,
        /// (series name, one value per category).
        series: Vec<(String, Vec<Option<f64>>)>,
    },
    /// Lines over months (`YYYY-MM`), zoomable.
    Months {
        /// The months, in order.
        months: Vec<String>,
        /// (series name, one value per month).
        series: Vec<(String, Vec<f64>)>,
    },
    /// Estimates with their intervals, one row per category (a forest plot): per series and
    /// category (low, value, high), or nothing; `zero` draws the line of no difference.
    Intervals {
        /// Category names, top to bottom.
        categories: Vec<String>,
        /// (series name, per category the interval).
        series: Vec<(String, Vec<Option<Span>>)>,
        /// Draw a dashed line at zero.
        zero: bool,
    },
    /// A radar: (axis name, max) and (series name, one value per axis).
    Radar {
        /// The axes.
        indicators: Vec<(String, f64)>,
        /// The series.
        series: Vec<(String, Vec<f64>)>,
    },
}

/// A chart. `on_pick` receives the name of the category, step or month clicked.
#[component]
pub fn EChart(
    /// The element id (unique on the page).
    id: &'static str,
    /// What the chart shows, for the accessible name.
    label: String,
    /// Height in pixels.
    #[prop(default = 300)]
    height: u32,
    /// The data.
    #[prop(into)]
    spec: Signal<ChartSpec>,
    /// Called with the name of what was clicked.
    #[prop(optional)]
    on_pick: Option<Callback<String>>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    draw::effect(id, height, spec, on_pick);
    #[cfg(not(feature = "hydrate"))]
    let _ = (spec, on_pick);
    view! { <div class="chart" id=id role="img" aria-label=label data-chart="" style=format!("height: {height}px")></div> }
}

#[cfg(feature = "hydrate")]
mod draw {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};

    use super::ChartSpec;
    use charming::component::{Axis, DataZoom, DataZoomType, Grid, Legend, RadarCoordinate};
    use charming::datatype::{CompositeValue, DataPoint};
    use charming::element::{
        AxisLabel, AxisLine, AxisPointer, AxisPointerType, AxisTick, AxisType, ItemStyle, Label, LabelPosition,
        LineStyle, LineStyleType, SplitLine, Tooltip, Trigger,
    };
    use charming::series::{Bar, Line, Radar};
    use charming::{Chart, WasmRenderer};

    /// An ECharts instance (what charming's renderer returns), with the methods charming does not
    /// bind, called by name.
    #[derive(Clone)]
    struct Instance(JsValue);

    impl Instance {
        fn call(&self, method: &str, args: &[&JsValue]) {
            let Ok(f) = js_sys::Reflect::get(&self.0, &method.into()) else { return };
            let Ok(f) = f.dyn_into::<js_sys::Function>() else { return };
            let list = js_sys::Array::new();
            for a in args {
                list.push(a);
            }
            let _ = f.apply(&self.0, &list);
        }

        fn on(&self, event: &str, handler: &js_sys::Function) {
            self.call("on", &[&event.into(), handler]);
        }

        fn dispose(&self) {
            self.call("dispose", &[]);
        }

        fn resize(&self) {
            self.call("resize", &[]);
        }
    }

    /// The brand's series colours (tokens.css), in order.
    const COLORS: [&str; 6] = ["#2f5bea", "#137a4b", "#7a5af8", "#8a5a00", "#b42318", "#647184"];

    fn option(spec: &ChartSpec) -> Chart {
        let base = Chart::new().animation(false).color(COLORS.to_vec());
        match spec {
            ChartSpec::Bars { categories, series } => {
                let mut c = base
                    .tooltip(
                        Tooltip::new()
                            .trigger(Trigger::Axis)
                            .axis_pointer(AxisPointer::new().type_(AxisPointerType::Shadow)),
                    )
                    .grid(
                        Grid::new()
                            .left(8)
                            .right(40)
                            .top(if series.len() > 1 { 36 } else { 8 })
                            .bottom(8)
                            .contain_label(true),
                    )
                    .x_axis(Axis::new().type_(AxisType::Value))
                    .y_axis(Axis::new().type_(AxisType::Category).inverse(true).data(categories.clone()));
                if series.len() > 1 {
                    c = c.legend(Legend::new().top(0));
                }
                let labelled = series.len() == 1;
                for (name, values) in series {
                    let data: Vec<charming::datatype::DataPoint> = values
                        .iter()
                        .map(|v| match v {
                            Some(v) => ((v * 100.0).round() / 100.0).into(),
                            None => "-".into(),
                        })
                        .collect();
                    let bar = Bar::new().name(name.as_str()).data(data);
                    // One series: its value at the end of each bar.
                    let bar =
                        if labelled { bar.label(Label::new().show(true).position(LabelPosition::Right)) } else { bar };
                    c = c.series(bar);
                }
                c
            }
            ChartSpec::Months { months, series } => {
                let mut c = base
                    .tooltip(Tooltip::new().trigger(Trigger::Axis))
                    .legend(Legend::new().top(0))
                    .grid(Grid::new().left(8).right(28).top(48).bottom(56).contain_label(true))
                    .x_axis(Axis::new().type_(AxisType::Category).boundary_gap(false).data(months.clone()))
                    .y_axis(Axis::new().type_(AxisType::Value))
                    .data_zoom(DataZoom::new().type_(DataZoomType::Inside))
                    .data_zoom(DataZoom::new().type_(DataZoomType::Slider).bottom(8));
                for (name, values) in series {
                    c = c.series(Line::new().name(name.as_str()).data(values.clone()));
                }
                c
            }
            ChartSpec::Intervals { categories, series, zero } => {
                // Drawn with line series only: a two-point line per interval (whisker) and the
                // estimates as symbols without a line, each series in its own colour; a small
                // vertical offset per series keeps several sides apart on one row.
                let at = |x: f64, row: f64| -> DataPoint {
                    DataPoint::Value(CompositeValue::Array(vec![x.into(), row.into()]))
                };
                let n = series.len().max(1) as f64;
                let offset = |i: usize| if n > 1.0 { (i as f64 - (n - 1.0) / 2.0) * 0.5 / n } else { 0.0 };
                let mut c = base
                    .tooltip(Tooltip::new().trigger(Trigger::Item))
                    .grid(
                        Grid::new()
                            .left(8)
                            .right(24)
                            .top(if series.len() > 1 { 36 } else { 8 })
                            .bottom(8)
                            .contain_label(true),
                    )
                    // The x axis at the bottom, not across the row at index 0.
                    .x_axis(Axis::new().type_(AxisType::Value).scale(true).axis_line(AxisLine::new().on_zero(false)))
                    // Rows by index on a value axis (a category axis would round the offsets away),
                    // a spare row above and below; its own labels hidden...
                    .y_axis(
                        Axis::new()
                            .type_(AxisType::Value)
                            .inverse(true)
                            .min(-1)
                            .max(categories.len() as f64)
                            .interval(1)
                            .split_line(SplitLine::new().show(false))
                            .axis_label(AxisLabel::new().show(false))
                            .axis_tick(AxisTick::new().show(false)),
                    )
                    // ...and the row names from a category axis laid over it, one category per row
                    // and one for each spare row, edge to edge, so category k sits at value k - 1.
                    // (A label formatter would be a JavaScript function, which the page's
                    // Content-Security-Policy does not let run.)
                    .y_axis(
                        Axis::new()
                            .type_(AxisType::Category)
                            // A second y axis goes to the right unless told.
                            .position("left")
                            .inverse(true)
                            .boundary_gap(false)
                            .data(
                                std::iter::once(String::new())
                                    .chain(categories.iter().cloned())
                                    .chain(std::iter::once(String::new()))
                                    .collect::<Vec<_>>(),
                            )
                            .axis_line(AxisLine::new().show(false))
                            .axis_tick(AxisTick::new().show(false))
                            .split_line(SplitLine::new().show(false)),
                    );
                if series.len() > 1 {
                    c = c.legend(Legend::new().top(0));
                }
                if *zero && !categories.is_empty() {
                    c = c.series(
                        Line::new()
                            .show_symbol(false)
                            .silent(true)
                            .line_style(LineStyle::new().color("#98a2b3").type_(LineStyleType::Dashed).width(1))
                            .data(vec![at(0.0, -0.5), at(0.0, categories.len() as f64 - 0.5)]),
                    );
                }
                for (i, (name, values)) in series.iter().enumerate() {
                    let colour = COLORS[i % COLORS.len()];
                    let dy = offset(i);
                    for (row, v) in values.iter().enumerate() {
                        if let Some((low, _, high)) = v {
                            c = c.series(
                                Line::new()
                                    .name(name.as_str())
                                    .show_symbol(false)
                                    .silent(true)
                                    .line_style(LineStyle::new().color(colour).width(3))
                                    .data(vec![at(*low, row as f64 + dy), at(*high, row as f64 + dy)]),
                            );
                        }
                    }
                    let points: Vec<DataPoint> = values
                        .iter()
                        .enumerate()
                        .filter_map(|(row, v)| {
                            v.map(|(_, value, _)| at((value * 100.0).round() / 100.0, row as f64 + dy))
                        })
                        .collect();
                    c = c.series(
                        Line::new()
                            .name(name.as_str())
                            .symbol_size(10)
                            .line_style(LineStyle::new().width(0))
                            .item_style(ItemStyle::new().color(colour))
                            .data(points),
                    );
                }
                c
            }
            ChartSpec::Radar { indicators, series } => {
                let mut c = base.tooltip(Tooltip::new().trigger(Trigger::Item)).legend(Legend::new().bottom(0)).radar(
                    RadarCoordinate::new()
                        .radius("62%")
                        .indicator(indicators.iter().map(|(n, max)| (n.as_str(), 0.0, *max)).collect::<Vec<_>>()),
                );
                c = c.series(
                    Radar::new()
                        .data(series.iter().map(|(name, values)| (values.clone(), name.as_str())).collect::<Vec<_>>()),
                );
                c
            }
        }
    }

    /// The ECharts script's address, from the page's meta tag.
    fn script_src() -> String {
        document()
            .query_selector("meta[name=echarts-src]")
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_else(|| "/pkg/echarts.js".into())
    }

    /// Loads ECharts once per page; later calls wait for the same script.
    async fn load_echarts() -> Result<(), JsValue> {
        let global = js_sys::global();
        if js_sys::Reflect::has(&global, &"echarts".into()).unwrap_or(false) {
            return Ok(());
        }
        let doc = document();
        let script = match doc.get_element_by_id("echarts-js") {
            Some(s) => s,
            None => {
                let s = doc.create_element("script")?;
                s.set_id("echarts-js");
                s.set_attribute("src", &script_src())?;
                doc.head().ok_or("no head")?.append_child(&s)?;
                s
            }
        };
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            let ok = Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            let bad = Closure::once_into_js(move || {
                let _ = reject.call0(&JsValue::NULL);
            });
            let _ = script.add_event_listener_with_callback("load", ok.unchecked_ref());
            let _ = script.add_event_listener_with_callback("error", bad.unchecked_ref());
        });
        // The script may have finished between the check above and the listeners.
        if js_sys::Reflect::has(&global, &"echarts".into()).unwrap_or(false) {
            return Ok(());
        }
        wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ())
    }

    struct Drawn {
        instance: Instance,
        _click: Option<Closure<dyn FnMut(JsValue)>>,
        _resize: Closure<dyn FnMut()>,
    }

    impl Drop for Drawn {
        fn drop(&mut self) {
            let _ = window().remove_event_listener_with_callback("resize", self._resize.as_ref().unchecked_ref());
            self.instance.dispose();
        }
    }

    pub(super) fn effect(id: &'static str, height: u32, spec: Signal<ChartSpec>, on_pick: Option<Callback<String>>) {
        let drawn = StoredValue::new_local(None::<Drawn>);
        Effect::new(move |_| {
            let spec = spec.get();
            leptos::task::spawn_local(async move {
                if load_echarts().await.is_err() {
                    if let Some(el) = document().get_element_by_id(id) {
                        el.set_text_content(Some(
                            "The chart could not be loaded; the table below has the same numbers.",
                        ));
                    }
                    return;
                }
                // Redraw from scratch: a merged option would keep series the new data has not.
                drawn.try_update_value(|d| *d = None);
                let Ok(chart) = WasmRenderer::new_opt(None, Some(height)).render(id, &option(&spec)) else { return };
                let instance = Instance(chart.into());
                let click = on_pick.map(|pick| {
                    let c = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
                        if let Some(name) = js_sys::Reflect::get(&p, &"name".into()).ok().and_then(|v| v.as_string()) {
                            pick.run(name);
                        }
                    });
                    instance.on("click", c.as_ref().unchecked_ref());
                    c
                });
                let inst = instance.clone();
                let resize = Closure::<dyn FnMut()>::new(move || inst.resize());
                let _ = window().add_event_listener_with_callback("resize", resize.as_ref().unchecked_ref());
                drawn.try_update_value(|d| *d = Some(Drawn { instance, _click: click, _resize: resize }));
            });
        });
        on_cleanup(move || {
            drawn.try_update_value(|d| *d = None);
        });
    }
}
