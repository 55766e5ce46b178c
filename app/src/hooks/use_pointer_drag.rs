//! Pointer-event dragging (mouse, touch, pen) with hit-testing of drop targets (see the matching
//! board).
//!
//! One set of listeners on a container serves every draggable item inside it, so a board of
//! hundreds of cards costs no per-card closures. An item is an element with a [`DRAG_ITEM`]
//! attribute whose value parses into the item; a drop target is an element with a
//! [`DROP_TARGET`] attribute whose value parses into the target. A press becomes a drag only once
//! the pointer has moved past the threshold, so a plain click still clicks; the click that ends a
//! drag is swallowed. Near the top or bottom edge of the viewport the page scrolls, so a far-away
//! target can be reached. On touch screens only parts styled `touch-action: none` (a grip) can
//! start a drag: elsewhere the finger scrolls the page and the browser cancels the press.
//!
//! # Server-side rendering
//! Does nothing on the server: the returned signals keep their initial values (nothing pressed,
//! nothing dragged, no target) and no listener exists. In the browser the listeners are attached
//! by an Effect once the target element is mounted (after hydration), and removed when the
//! calling component is cleaned up.

use std::str::FromStr;
use std::sync::Arc;

use leptos::html::ElementType;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// The attribute that makes an element draggable; its value parses into the dragged item.
pub const DRAG_ITEM: &str = "data-drag";

/// The attribute that makes an element a drop target; its value parses into the target.
pub const DROP_TARGET: &str = "data-drop";

/// A callback with the item that started being dragged.
type OnStart<T> = Arc<dyn Fn(T) + Send + Sync>;
/// A callback with the dropped item and the target under the pointer, if any.
type OnDrop<T, D> = Arc<dyn Fn(T, Option<D>) + Send + Sync>;

/// Options of [`use_pointer_drag`]: build from `Default` and the setters.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct UsePointerDragOptions<T, D> {
    enabled: Signal<bool>,
    threshold: f64,
    edge: f64,
    scroll_step: f64,
    on_start: OnStart<T>,
    on_drop: OnDrop<T, D>,
}

impl<T, D> Default for UsePointerDragOptions<T, D> {
    /// Always enabled, a 6 px threshold, scrolling 28 px per move within 56 px of an edge, no
    /// callbacks.
    fn default() -> Self {
        Self {
            enabled: Signal::stored(true),
            threshold: 6.0,
            edge: 56.0,
            scroll_step: 28.0,
            on_start: Arc::new(|_| {}),
            on_drop: Arc::new(|_, _| {}),
        }
    }
}

impl<T, D> UsePointerDragOptions<T, D> {
    /// Whether a press may start a drag; read when the pointer goes down.
    pub fn enabled(mut self, enabled: impl Into<Signal<bool>>) -> Self {
        self.enabled = enabled.into();
        self
    }

    /// How far (CSS pixels) the pointer must move before a press becomes a drag.
    pub fn threshold(mut self, px: f64) -> Self {
        self.threshold = px;
        self
    }

    /// Within `edge` pixels of the viewport's top or bottom, each pointer move scrolls the page
    /// by `step` pixels.
    pub fn edge_scroll(mut self, edge: f64, step: f64) -> Self {
        self.edge = edge;
        self.scroll_step = step;
        self
    }

    /// Called once when a press becomes a drag, with the dragged item.
    pub fn on_start(mut self, f: impl Fn(T) + Send + Sync + 'static) -> Self {
        self.on_start = Arc::new(f);
        self
    }

    /// Called when a drag ends with the pointer released, with the item and the drop target
    /// under the pointer (`None`: dropped elsewhere). Not called for a cancelled drag.
    pub fn on_drop(mut self, f: impl Fn(T, Option<D>) + Send + Sync + 'static) -> Self {
        self.on_drop = Arc::new(f);
        self
    }
}

/// What [`use_pointer_drag`] reports, as signals.
pub struct UsePointerDragReturn<T: Send + Sync + 'static, D: Send + Sync + 'static> {
    /// The item under a pressed pointer, before and during a drag.
    pub pressed: Signal<Option<T>>,
    /// The item being dragged: a press that has moved past the threshold.
    pub dragging: Signal<Option<T>>,
    /// The drop target under the pointer during a drag.
    pub over: Signal<Option<D>>,
    /// Where the pointer is during a drag, in viewport (client) pixels.
    pub position: Signal<(f64, f64)>,
}

impl<T: Send + Sync + 'static, D: Send + Sync + 'static> Clone for UsePointerDragReturn<T, D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static, D: Send + Sync + 'static> Copy for UsePointerDragReturn<T, D> {}

/// Drags items inside `target` with any pointer and reports the drop target under it.
///
/// Items and drop targets are marked with the [`DRAG_ITEM`] and [`DROP_TARGET`] attributes;
/// drop targets are found by hit-testing the page, so they need not be inside `target`.
pub fn use_pointer_drag<E, T, D>(target: NodeRef<E>, options: UsePointerDragOptions<T, D>) -> UsePointerDragReturn<T, D>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
    T: FromStr + Copy + PartialEq + Send + Sync + 'static,
    D: FromStr + Copy + PartialEq + Send + Sync + 'static,
{
    let signals = Signals {
        pressed: RwSignal::new(None),
        dragging: RwSignal::new(None),
        over: RwSignal::new(None),
        position: RwSignal::new((0.0, 0.0)),
    };
    #[cfg(feature = "hydrate")]
    browser::attach(target, options, signals);
    #[cfg(not(feature = "hydrate"))]
    let _ = (target, options);
    UsePointerDragReturn {
        pressed: signals.pressed.into(),
        dragging: signals.dragging.into(),
        over: signals.over.into(),
        position: signals.position.into(),
    }
}

/// The writable side of [`UsePointerDragReturn`].
struct Signals<T: Send + Sync + 'static, D: Send + Sync + 'static> {
    pressed: RwSignal<Option<T>>,
    dragging: RwSignal<Option<T>>,
    over: RwSignal<Option<D>>,
    position: RwSignal<(f64, f64)>,
}

impl<T: Send + Sync + 'static, D: Send + Sync + 'static> Clone for Signals<T, D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static, D: Send + Sync + 'static> Copy for Signals<T, D> {}

#[cfg(feature = "hydrate")]
mod browser {
    use std::time::Duration;

    use leptos::wasm_bindgen::closure::Closure;

    use super::*;

    /// `[data-drag]`: the closest draggable element.
    const ITEM_SELECTOR: &str = "[data-drag]";
    /// `[data-drop]`: the closest drop target.
    const TARGET_SELECTOR: &str = "[data-drop]";

    /// A pointer pressed on an item, before and during a drag.
    #[derive(Clone, Copy)]
    struct Press<T> {
        item: T,
        pointer: i32,
        x0: f64,
        y0: f64,
        active: bool,
    }

    /// An attached listener, kept so it can be removed (and its closure freed).
    struct Listener {
        on: web_sys::EventTarget,
        event: &'static str,
        capture: bool,
        f: Closure<dyn Fn(web_sys::Event)>,
    }

    fn detach(listeners: &mut Vec<Listener>) {
        for l in listeners.drain(..) {
            let _ = l.on.remove_event_listener_with_callback_and_bool(l.event, l.f.as_ref().unchecked_ref(), l.capture);
        }
    }

    /// Attaches the listeners to `target` once it is mounted (again if it is replaced).
    pub(super) fn attach<E, T, D>(target: NodeRef<E>, options: UsePointerDragOptions<T, D>, s: Signals<T, D>)
    where
        E: ElementType,
        E::Output: JsCast + Clone + 'static,
        T: FromStr + Copy + PartialEq + Send + Sync + 'static,
        D: FromStr + Copy + PartialEq + Send + Sync + 'static,
    {
        let press = StoredValue::new(None::<Press<T>>);
        // Set between the release that ends a drag and the click the browser sends after it.
        let swallow_click = StoredValue::new(false);
        let listeners = StoredValue::new_local(Vec::<Listener>::new());
        on_cleanup(move || listeners.update_value(detach));
        let UsePointerDragOptions { enabled, threshold, edge, scroll_step, on_start, on_drop } = options;

        Effect::new(move |_| {
            let Some(el) = target.get() else { return };
            let container: web_sys::Element = el.unchecked_into();

            let down = {
                let container = container.clone();
                move |ev: web_sys::PointerEvent| {
                    swallow_click.set_value(false);
                    if !ev.is_primary() || ev.button() != 0 || !enabled.get_untracked() {
                        return;
                    }
                    let handle = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|e| e.closest(ITEM_SELECTOR).ok().flatten())
                        .filter(|h| container.contains(Some(h.as_ref())));
                    let Some(handle) = handle else { return };
                    let Some(item) = handle.get_attribute(DRAG_ITEM).and_then(|v| v.parse::<T>().ok()) else {
                        return;
                    };
                    press.set_value(Some(Press {
                        item,
                        pointer: ev.pointer_id(),
                        x0: ev.client_x() as f64,
                        y0: ev.client_y() as f64,
                        active: false,
                    }));
                    s.pressed.set(Some(item));
                    // Later moves and the release come to the item even when the pointer leaves it.
                    let _ = handle.set_pointer_capture(ev.pointer_id());
                }
            };
            let moved = {
                let on_start = on_start.clone();
                move |ev: web_sys::PointerEvent| {
                    let Some(mut p) = press.get_value() else { return };
                    if p.pointer != ev.pointer_id() {
                        return;
                    }
                    let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
                    if !p.active {
                        if (x - p.x0).hypot(y - p.y0) < threshold {
                            return;
                        }
                        p.active = true;
                        press.set_value(Some(p));
                        s.dragging.set(Some(p.item));
                        on_start(p.item);
                    }
                    ev.prevent_default();
                    s.position.set((x, y));
                    scroll_near_edge(y, edge, scroll_step);
                    let over = target_at::<D>(x, y);
                    if s.over.get_untracked() != over {
                        s.over.set(over);
                    }
                }
            };
            let up = {
                let on_drop = on_drop.clone();
                move |ev: web_sys::PointerEvent| {
                    let Some(p) = press.get_value() else { return };
                    if p.pointer != ev.pointer_id() {
                        return;
                    }
                    press.set_value(None);
                    s.pressed.set(None);
                    if !p.active {
                        return;
                    }
                    let over = target_at::<D>(ev.client_x() as f64, ev.client_y() as f64);
                    s.dragging.set(None);
                    s.over.set(None);
                    // The browser sends the click in the same task as the release; a touch drag
                    // sends none, so the flag must not outlive this task.
                    swallow_click.set_value(true);
                    set_timeout(move || swallow_click.set_value(false), Duration::ZERO);
                    on_drop(p.item, over);
                }
            };
            let cancel = move |ev: web_sys::PointerEvent| {
                if press.with_value(|p| p.is_some_and(|p| p.pointer != ev.pointer_id())) {
                    return;
                }
                press.set_value(None);
                s.pressed.set(None);
                s.dragging.set(None);
                s.over.set(None);
            };
            let click = move |ev: web_sys::Event| {
                if swallow_click.get_value() {
                    swallow_click.set_value(false);
                    ev.stop_propagation();
                    ev.prevent_default();
                }
            };

            let on: web_sys::EventTarget = container.into();
            let pointer = |event: &'static str, f: Box<dyn Fn(web_sys::PointerEvent)>| Listener {
                on: on.clone(),
                event,
                capture: false,
                f: Closure::new(move |ev: web_sys::Event| f(ev.unchecked_into())),
            };
            let attached = vec![
                pointer("pointerdown", Box::new(down)),
                pointer("pointermove", Box::new(moved)),
                pointer("pointerup", Box::new(up)),
                pointer("pointercancel", Box::new(cancel)),
                // Capture phase: seen before the click reaches the item's own handler.
                Listener { on: on.clone(), event: "click", capture: true, f: Closure::new(click) },
            ];
            for l in &attached {
                let _ =
                    l.on.add_event_listener_with_callback_and_bool(l.event, l.f.as_ref().unchecked_ref(), l.capture);
            }
            listeners.update_value(|ls| {
                detach(ls);
                ls.extend(attached);
            });
        });
    }

    /// Near the top or bottom edge the page scrolls, so a far-away target can be reached.
    fn scroll_near_edge(y: f64, edge: f64, step: f64) {
        let w = window();
        let h = w.inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(800.0);
        if y < edge {
            w.scroll_by_with_x_and_y(0.0, -step);
        } else if y > h - edge {
            w.scroll_by_with_x_and_y(0.0, step);
        }
    }

    /// The drop target under a point: the closest element with [`DROP_TARGET`].
    fn target_at<D: FromStr>(x: f64, y: f64) -> Option<D> {
        let el = document().element_from_point(x as f32, y as f32)?;
        let zone = el.closest(TARGET_SELECTOR).ok()??;
        zone.get_attribute(DROP_TARGET)?.parse().ok()
    }
}

// The browser build attaches listeners through an Effect, which needs a browser to run.
#[cfg(all(test, not(feature = "hydrate")))]
mod tests {
    use super::*;

    #[test]
    fn does_nothing_on_the_server() {
        let owner = Owner::new();
        owner.with(|| {
            let target = NodeRef::<leptos::html::Div>::new();
            let drag = use_pointer_drag::<_, usize, usize>(target, UsePointerDragOptions::default().threshold(4.0));
            assert_eq!(drag.pressed.get_untracked(), None);
            assert_eq!(drag.dragging.get_untracked(), None);
            assert_eq!(drag.over.get_untracked(), None);
            assert_eq!(drag.position.get_untracked(), (0.0, 0.0));
        });
    }
}
