//! The board's state machine: the board as stored, the wasm preview shown until the server
//! answers, the undo/redo history of drafts, and the calls that keep the server in sync.

use std::fmt;
use std::str::FromStr;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::matching::api::{edit_board, get_board, publish_board, restore_board, set_board_weights};
use crate::domain::matching::types::{BoardEdit, BoardPerson, BoardView, Draft};
use crate::engine::board::{self, Cells, Edit, Names, State};
use crate::engine::scoring::Config;
use crate::error::AppError;
use crate::hooks::use_pointer_drag::UsePointerDragReturn;

/// Where a dragged card is over: a mentor's card or the unmatched list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Mentor `j`'s card: a drop pins the pair.
    Mentor(usize),
    /// The unmatched list: a drop unassigns.
    Unmatched,
}

/// The `data-drop` value of a target: `unmatched` or `mentor:<j>`.
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Mentor(j) => write!(f, "mentor:{j}"),
            Target::Unmatched => f.write_str("unmatched"),
        }
    }
}

/// Reads a `data-drop` value back.
impl FromStr for Target {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        if s == "unmatched" {
            return Ok(Target::Unmatched);
        }
        s.strip_prefix("mentor:").and_then(|j| j.parse().ok()).map(Target::Mentor).ok_or(())
    }
}

/// The board's pointer drag: mentee indexes dropped on [`Target`]s.
pub type Drag = UsePointerDragReturn<usize, Target>;

/// What a server call does to the undo history when it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A new change: the old draft goes on the undo stack, redo is cleared.
    Push,
    /// An undo: the old draft goes on the redo stack.
    Undo,
    /// A redo: the old draft goes on the undo stack.
    Redo,
    /// Leaves the history alone.
    Keep,
}

/// A change sent to the server.
pub enum Request {
    /// An edit of the draft (pin, unassign, auto-match…).
    Edit(BoardEdit),
    /// Go back (or forward) to an earlier draft.
    Restore(Draft),
    /// New scoring weights for the program.
    Weights(Config),
    /// Publish the pairs.
    Publish,
}

/// The board's shared signals.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The board as the server last sent it.
    pub board: RwSignal<BoardView>,
    /// The wasm preview of a change, shown until the server answers.
    pub preview: RwSignal<Option<State>>,
    /// What the board shows: the preview, else the stored state.
    pub shown: Memo<State>,
    /// The mentee selected for the keyboard path.
    pub selected: RwSignal<Option<usize>>,
    /// The mentor chosen in the selected mentee's "Assign to…" list (empty: none); a new
    /// selection clears it.
    pub choice: RwSignal<String>,
    /// Mentees whose mentor the last change moved (highlighted).
    pub changed: RwSignal<Vec<usize>>,
    /// A message to show: (is an error, text).
    pub message: RwSignal<Option<(bool, String)>>,
    /// A server call is under way.
    pub busy: RwSignal<bool>,
    /// Drafts to go back to.
    pub undo: RwSignal<Vec<Draft>>,
    /// Drafts undone, to go forward to.
    pub redo: RwSignal<Vec<Draft>>,
    /// The pair (mentee, mentor) being explained.
    pub explain: RwSignal<Option<(usize, usize)>>,
}

/// The message to show for a failed call.
fn message_of(e: &AppError) -> String {
    ["board", "config.weights", "config.ideal_gap"]
        .iter()
        .find_map(|f| e.field_message(f))
        .unwrap_or_else(|| e.to_string())
}

impl Ctx {
    /// The signals of a board fresh from the server.
    pub fn new(initial: BoardView) -> Self {
        let board = RwSignal::new(initial);
        let preview = RwSignal::new(None::<State>);
        let shown = Memo::new(move |_| preview.get().unwrap_or_else(|| board.with(|b| b.state.clone())));
        Ctx {
            board,
            preview,
            shown,
            selected: RwSignal::new(None),
            choice: RwSignal::new(String::new()),
            changed: RwSignal::new(Vec::new()),
            message: RwSignal::new(None),
            busy: RwSignal::new(false),
            undo: RwSignal::new(Vec::new()),
            redo: RwSignal::new(Vec::new()),
            explain: RwSignal::new(None),
        }
    }

    /// Whether the board can still change.
    pub fn editable(&self) -> bool {
        self.board.with_untracked(|b| b.editable)
    }

    /// Selects mentee `i` (or nobody), forgetting the mentor chosen for the previous one.
    pub fn select(&self, i: Option<usize>) {
        if self.selected.get_untracked() != i {
            self.choice.set(String::new());
        }
        self.selected.set(i);
    }

    /// Why mentee `i` can't go to mentor `j` right now, or `None` when it can.
    pub fn refusal(&self, i: usize, j: usize) -> Option<String> {
        self.board.with_untracked(|b| {
            let cells = Cells::new(&b.cells, b.mentors.len()).ok()?;
            let s = self.shown.get_untracked();
            if let Err(why) = board::blocked(&cells, &s, b, i, j) {
                return Some(why);
            }
            let others = s.pins.iter().filter(|p| p.1 == j && p.0 != i).count();
            (others >= s.capacity[j] as usize).then(|| {
                format!(
                    "{} is full: all {} places are pinned. Raise the capacity or unpin someone first.",
                    b.mentor(j),
                    s.capacity[j]
                )
            })
        })
    }

    /// Sends a request; `preview` is shown until the server answers.
    pub fn send(self, req: Request, preview: Option<State>, history: History) {
        let before = self.board.get_untracked();
        if let Some(p) = preview {
            self.preview.set(Some(p));
        }
        self.busy.set(true);
        self.message.set(None);
        spawn_local(async move {
            let (id, version) = (before.cohort.id.clone(), before.version);
            let res = match req {
                Request::Edit(e) => edit_board(id.clone(), version, e).await,
                Request::Restore(d) => restore_board(id.clone(), version, d).await,
                Request::Weights(c) => set_board_weights(id.clone(), version, c).await,
                Request::Publish => publish_board(id.clone(), version).await,
            };
            self.busy.set(false);
            match res {
                Ok(next) => self.accept(before, next, history),
                Err(e) => {
                    self.preview.set(None);
                    self.message.set(Some((true, message_of(&e))));
                    if matches!(e, AppError::Conflict { .. }) {
                        if let Ok(fresh) = get_board(id).await {
                            self.board.set(fresh);
                            self.undo.update(Vec::clear);
                            self.redo.update(Vec::clear);
                            self.changed.set(Vec::new());
                        }
                    }
                }
            }
        });
    }

    /// Takes the server's answer to a change: the history, the highlighted moves, the board.
    fn accept(self, before: BoardView, next: BoardView, history: History) {
        let old = Draft::of(&before.state, &before.mentees, &before.mentors);
        match history {
            History::Push => {
                self.undo.update(|u| u.push(old));
                self.redo.update(Vec::clear);
            }
            History::Undo => {
                self.undo.update(|u| {
                    u.pop();
                });
                self.redo.update(|r| r.push(old));
            }
            History::Redo => {
                self.redo.update(|r| {
                    r.pop();
                });
                self.undo.update(|u| u.push(old));
            }
            History::Keep => {}
        }
        if !next.editable {
            self.undo.update(Vec::clear);
            self.redo.update(Vec::clear);
        }
        let same_roster = before.mentees == next.mentees && before.mentors == next.mentors;
        let changed: Vec<usize> = if same_roster {
            (0..next.mentees.len()).filter(|&i| before.state.mentor_of[i] != next.state.mentor_of[i]).collect()
        } else {
            Vec::new()
        };
        self.changed.set(changed);
        self.board.set(next);
        self.preview.set(None);
    }

    /// Runs an edit: the wasm preview at once, then the server.
    pub fn edit(self, edit: Edit) {
        if !self.editable() || self.busy.get_untracked() {
            return;
        }
        let b = self.board.get_untracked();
        let key = |i: Option<usize>, names: &[BoardPerson]| {
            i.and_then(|i| names.get(i)).map(|p| p.id.clone()).unwrap_or_default()
        };
        let (mi, mj) = match edit {
            Edit::Pin { mentee, mentor } | Edit::Forbid { mentee, mentor } | Edit::Allow { mentee, mentor } => {
                (Some(mentee), Some(mentor))
            }
            Edit::Unassign { mentee } | Edit::Unpin { mentee } => (Some(mentee), None),
            Edit::Capacity { mentor, .. } => (None, Some(mentor)),
            _ => (None, None),
        };
        let Ok(cells) = Cells::new(&b.cells, b.mentors.len()) else { return };
        let current = self.shown.get_untracked();
        match board::apply(&cells, &current, edit, &b) {
            Ok(next) => {
                let req = BoardEdit { edit, mentee: key(mi, &b.mentees), mentor: key(mj, &b.mentors) };
                self.send(Request::Edit(req), Some(next), History::Push);
            }
            Err(why) => self.message.set(Some((true, why))),
        }
    }

    /// Drops mentee `i` on a target (by pointer, or "Assign to…").
    pub fn drop_on(self, i: usize, target: Option<Target>) {
        match target {
            Some(Target::Mentor(j)) => {
                if let Some(why) = self.refusal(i, j) {
                    self.message.set(Some((true, why)));
                    return;
                }
                let s = self.shown.get_untracked();
                if s.mentor_of[i] == Some(j) && s.pin_of(i) == Some(j) {
                    return;
                }
                self.edit(Edit::Pin { mentee: i, mentor: j });
            }
            Some(Target::Unmatched) if self.shown.with_untracked(|s| s.mentor_of[i].is_some()) => {
                self.edit(Edit::Unassign { mentee: i });
            }
            // Dropped where it already is, or outside any target.
            Some(Target::Unmatched) | None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_targets_read_back_what_the_markup_writes() {
        for t in [Target::Unmatched, Target::Mentor(0), Target::Mentor(149)] {
            assert_eq!(t.to_string().parse::<Target>(), Ok(t));
        }
        assert_eq!("mentor:".parse::<Target>(), Err(()));
        assert_eq!("mentor:x".parse::<Target>(), Err(()));
        assert_eq!("".parse::<Target>(), Err(()));
    }
}
