//! Browser logic reused by pages, in the leptos-use shape: `use_x(target, options) -> UseXReturn`.
//! Each hook is safe to call during server-side rendering (it does nothing there) and does its
//! browser work only after hydration.

pub mod use_autosave;
pub mod use_interactive;
pub mod use_live;
pub mod use_pointer_drag;
