//! The inline buttons of topic lists (callback prefix `t`).
//!
//! Buttons carry what to show or do, never a permission: every press is checked by the
//! service against the database, and an id of another group is "not found".

use uuid::Uuid;

use crate::telegram::callback;

/// The most pages a button may name (200 topics / 10).
pub(super) const MAX_PAGE: i64 = 100;

callback::actions! {
    /// Inline buttons of topic lists.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action = "t" {
        /// Show the topic list (the browser, first page).
        Open { list: Uuid } = "o",
        /// Attach a new topic list to the event (leader/assistant).
        Create { event: Uuid } = "n",
        /// A page of the browser.
        Page { list: Uuid, page: u32 in 0..=MAX_PAGE } = "p",
        /// Pick a topic (the browser stays at `page`).
        Pick { topic: Uuid, page: u32 in 0..=MAX_PAGE } = "k",
        /// The viewer's own choice.
        Mine { list: Uuid } = "m",
        /// Give up one's unconfirmed pick.
        Unpick { list: Uuid } = "u",
        /// The distribution (leader/assistant) at a page.
        Dist { list: Uuid, page: u32 in 0..=MAX_PAGE } = "d",
        /// One topic's picks with confirm/reject buttons.
        Topic { topic: Uuid } = "v",
        /// Confirm one pick.
        Confirm { selection: Uuid } = "c",
        /// Confirm every pick of the list.
        ConfirmAll { list: Uuid } = "ca",
        /// Reject a pick.
        Reject { selection: Uuid } = "r",
        /// The CSV export.
        Export { list: Uuid } = "x",
        /// Add topics (asks for them).
        Add { list: Uuid } = "a",
        /// The topics of a page as remove buttons.
        RemoveMenu { list: Uuid, page: u32 in 0..=MAX_PAGE } = "rm",
        /// Remove a topic: asks to confirm.
        Remove { topic: Uuid } = "rt",
        /// Remove a topic: confirmed.
        RemoveConfirmed { topic: Uuid } = "ry",
        /// Delete the list: asks to confirm.
        Delete { list: Uuid } = "dl",
        /// Delete the list: confirmed.
        DeleteConfirmed { list: Uuid } = "dy",
        /// A list by preference: rank this topic next (the browser stays at `page`).
        Rank { topic: Uuid, page: u32 in 0..=MAX_PAGE } = "rk",
        /// Clear one's ranking.
        ClearRanking { list: Uuid } = "rc",
        /// «🗳 По предпочтениям»: asks for the number of choices and the deadline.
        ByPreference { list: Uuid } = "bp",
    }
}

callback::codec_test!(the_codec_is_exact: Action, refuses
    "1|t|zz 1|t|p|{id}|101 1|t|p|{id}|-1 1|t|k|{id}|01 1|t|c|{id}x 1|q|o|{id} 2|t|o|{id} \
     1|t|o|short 1|t|rk|{id}|101 1|t|rc|short");
