//! Pointer-event dragging (mouse, touch, pen) with hit-testing of drop targets (see the matching board).
