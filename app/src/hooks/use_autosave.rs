//! Debounced autosave of a form draft (see the goal wizard).
