//! «📢 Объявление»: a leader or assistant sends a text to every member of the group (and to the
//! group's bound chat). The rules only — no Telegram types: the text is validated once
//! ([`AnnouncementText::parse`]), the role re-checked from the database, and the use case
//! records [`AnnouncementSent`], whose change-log row and notices the unit of work
//! writes. An announcement has an id fixed at its preview, so pressing «Отправить» twice sends
//! it once.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use super::{Kind, Notice, Text};
use crate::changelog::Change;
use crate::members::service::require;
use crate::members::{PersonName, Role};
use crate::storage::entities::{changelog as changelog_rows, groups, users};
use crate::text::bounded_text;
use crate::uow::{DomainEvent, Uow, use_case_error};

const ACTION: &str = "announcement.send";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnouncementTextError {
    #[error("the announcement is empty")]
    Empty,
    #[error("the announcement has {length} characters, at most {max} are allowed")]
    TooLong { length: usize, max: usize },
}

bounded_text!(
    /// The text of an announcement: trimmed, not empty, at most [`Self::MAX_CHARS`] characters
    /// (the rest of Telegram's 4096 is the heading); any character is kept.
    AnnouncementText, max = 3500, controls = Any,
    refused = AnnouncementTextError { Empty, TooLong }
);

use_case_error! {
    pub enum AnnouncementError {
        /// This announcement was sent already (a second press of «Отправить»).
        #[error("the announcement was sent already")]
        AlreadySent,
    }
}

/// Who writes an announcement, and to which group: what its heading names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub group_name: String,
    pub author_name: String,
}

impl Draft {
    /// The announcement as its recipients read it (the author's preview shows the same).
    pub fn message(&self, text: &AnnouncementText) -> Text {
        Text::new("announce-message")
            .user("group", &self.group_name)
            .user("author", &self.author_name)
            .user("text", text.as_str())
    }
}

/// The group name and the author's name, for the preview (the role checked as for sending).
pub async fn draft(db: &DatabaseConnection, user_id: i64) -> Result<Draft, AnnouncementError> {
    let member = require(db, user_id, Role::can_manage).await?;
    draft_of(db, user_id, member.group_id).await
}

async fn draft_of(
    conn: &impl ConnectionTrait,
    user_id: i64,
    group: Uuid,
) -> Result<Draft, AnnouncementError> {
    let group_name = groups::Entity::find_by_id(group)
        .one(conn)
        .await?
        .map(|g| g.name)
        .unwrap_or_default();
    let author_name = users::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .map(|u| PersonName::of(&u).full())
        .unwrap_or_default();
    Ok(Draft {
        group_name,
        author_name,
    })
}

/// An announcement sent: what the unit of work logs and sends.
#[derive(Debug, Clone)]
pub struct AnnouncementSent {
    pub group: Uuid,
    pub id: Uuid,
    pub text: AnnouncementText,
    pub draft: Draft,
    /// The members it goes to.
    pub members: Vec<i64>,
    /// The group's bound Telegram chat.
    pub chat: Option<i64>,
}

impl DomainEvent for AnnouncementSent {
    fn change(&self) -> Option<Change> {
        Some(Change {
            actor: None,
            group: Some(self.group),
            action: ACTION,
            entity_type: "announcement",
            entity_id: self.id.to_string(),
            details: json!({
                "text": self.text.as_str(),
                "members": self.members.len(),
                "chat": self.chat.is_some(),
            }),
        })
    }

    /// One notice per member and one for the group's chat.
    fn notices(&self) -> Vec<Notice> {
        self.members
            .iter()
            .copied()
            .chain(self.chat)
            .map(|to| Notice::new(to, Kind::Announcement, self.draft.message(&self.text)))
            .collect()
    }
}

/// The acting leader or assistant sends announcement `id` to their group; returns how many
/// members it goes to.
/// Who an announcement reached: `reached` members are sent it, `muted` turned announcements
/// off and are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub reached: usize,
    pub muted: usize,
}

pub async fn send(
    uow: &mut Uow<'_>,
    id: Uuid,
    text: &AnnouncementText,
) -> Result<Sent, AnnouncementError> {
    let me = uow.member(Role::can_manage).await?;
    let already = changelog_rows::Entity::find()
        .filter(changelog_rows::Column::GroupId.eq(me.group_id))
        .filter(changelog_rows::Column::ActionType.eq(ACTION))
        .filter(changelog_rows::Column::EntityId.eq(id.to_string()))
        .count(uow.db())
        .await?;
    if already > 0 {
        return Err(AnnouncementError::AlreadySent);
    }
    let draft = draft_of(uow.db(), me.user_id, me.group_id).await?;
    let (members, muted) =
        crate::members::service::audience(uow.db(), me.group_id, me.user_id, Kind::Announcement)
            .await?;
    let chat = crate::chats::service::bound_chat(uow.db(), me.group_id).await?;
    let sent = Sent {
        reached: members.len(),
        muted,
    };
    uow.record(AnnouncementSent {
        group: me.group_id,
        id,
        text: text.clone(),
        draft,
        members,
        chat,
    });
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::AnnouncementTextError::*;
    use super::*;
    use crate::text::assert_limits;

    #[test]
    fn any_text_of_at_most_3500_is_kept() {
        let too_long = TooLong {
            length: 3501,
            max: 3500,
        };
        assert_limits(AnnouncementText::parse, 3500, [Empty, too_long], None);
    }
}
