//! The matching board in SurrealDB, in three rooms: `load` (who is on the board — approved
//! applications — and the pair scores from their profiles and preferences), `board` (the stored
//! draft, edits with a version check, explanations and publishing) and `participants` (what
//! mentees and mentors see once the pairs are published).

mod board;
mod load;
mod participants;

pub use board::{edit, explain, get, publish, restore, set_config};
pub use load::{load, Loaded};
pub use participants::{mark_read, my_matches, notifications};
