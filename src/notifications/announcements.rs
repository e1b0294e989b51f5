//! «📢 Объявление»: a leader or assistant sends a text to every member of the group (and to the
//! group's bound chat). The rules only — no Telegram types: the text is validated once
//! ([`AnnouncementText::parse`]), the role re-checked from the database, and the notices, the
//! change-log row and the outbox rows are written in one transaction. An announcement has an id
//! fixed at its preview, so pressing «Отправить» twice sends it once.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::{Notices, notice};
use crate::changelog::{self, Change};
use crate::members::Role;
use crate::members::service::{AccessError, require};
use crate::storage;
use crate::storage::entities::{changelog as changelog_rows, groups, users};

const ACTION: &str = "announcement.send";

/// The text of an announcement: trimmed, not empty, at most [`Self::MAX_CHARS`] characters
/// (the rest of Telegram's 4096 is the heading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncementText(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnouncementTextError {
    #[error("the announcement is empty")]
    Empty,
    #[error("the announcement has {length} characters, at most {max} are allowed")]
    TooLong { length: usize, max: usize },
}

impl AnnouncementText {
    pub const MAX_CHARS: usize = 3500;

    pub fn parse(text: &str) -> Result<Self, AnnouncementTextError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AnnouncementTextError::Empty);
        }
        let length = text.chars().count();
        if length > Self::MAX_CHARS {
            return Err(AnnouncementTextError::TooLong {
                length,
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AnnouncementError {
    #[error(transparent)]
    Access(#[from] AccessError),
    /// This announcement was sent already (a second press of «Отправить»).
    #[error("the announcement was sent already")]
    AlreadySent,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Who an announcement goes to, for the Telegram side to render its notices.
#[derive(Debug, Clone)]
pub struct Audience {
    pub id: Uuid,
    pub group_name: String,
    pub author_name: String,
    pub text: AnnouncementText,
    /// Members of the group but the author, who have not blocked the bot.
    pub members: Vec<i64>,
    /// The group's bound Telegram chat.
    pub chat: Option<i64>,
}

/// An announcement sent: how many members it was written for (their settings allowing it) and
/// the outbox rows (members and the group chat) to deliver.
#[derive(Debug, Clone)]
pub struct Sent {
    pub members: usize,
    pub notices: Vec<Uuid>,
}

/// The group name and the author's name, for the preview (the role checked as for sending).
pub async fn draft(
    db: &DatabaseConnection,
    user_id: i64,
) -> Result<(String, String), AnnouncementError> {
    let member = require(db, user_id, Role::can_manage).await?;
    names(db, user_id, member.group_id).await
}

async fn names(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    group: Uuid,
) -> Result<(String, String), AnnouncementError> {
    let group_name = groups::Entity::find_by_id(group)
        .one(conn)
        .await?
        .map(|g| g.name)
        .unwrap_or_default();
    let author = users::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .map(|u| crate::members::PersonName::of(&u).full())
        .unwrap_or_default();
    Ok((group_name, author))
}

/// Sends announcement `id` of `user_id` to their group: the notices `notices` makes of the
/// [`Audience`] go to the outbox with the change-log row, in one transaction.
pub async fn send(
    db: &DatabaseConnection,
    user_id: i64,
    id: Uuid,
    text: &AnnouncementText,
    now: DateTime<Utc>,
    notices: impl Notices<Audience>,
) -> Result<Sent, AnnouncementError> {
    let txn = storage::begin_write(db).await?;
    let member = require(&txn, user_id, Role::can_manage).await?;
    let already = changelog_rows::Entity::find()
        .filter(changelog_rows::Column::GroupId.eq(member.group_id))
        .filter(changelog_rows::Column::ActionType.eq(ACTION))
        .filter(changelog_rows::Column::EntityId.eq(id.to_string()))
        .count(&txn)
        .await?;
    if already > 0 {
        return Err(AnnouncementError::AlreadySent);
    }
    let (group_name, author_name) = names(&txn, user_id, member.group_id).await?;
    let members =
        crate::members::service::reachable_members(&txn, member.group_id, user_id).await?;
    let chat = crate::chats::service::bound_chat(&txn, member.group_id).await?;
    let audience = Audience {
        id,
        group_name,
        author_name,
        text: text.clone(),
        members,
        chat,
    };
    let written = notice::write(&txn, now, notices(&audience)).await?;
    let to_members = written.len() - usize::from(audience.chat.is_some()).min(written.len());
    changelog::record(
        &txn,
        Change {
            actor: Some(user_id),
            group: Some(member.group_id),
            action: ACTION,
            entity_type: "announcement",
            entity_id: id.to_string(),
            details: json!({
                "text": text.as_str(),
                "members": to_members,
                "chat": audience.chat.is_some(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Sent {
        members: to_members,
        notices: written,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_and_too_long_texts_are_refused() {
        assert_eq!(
            AnnouncementText::parse("  \n "),
            Err(AnnouncementTextError::Empty)
        );
        let long = "я".repeat(3501);
        assert_eq!(
            AnnouncementText::parse(&long),
            Err(AnnouncementTextError::TooLong {
                length: 3501,
                max: 3500
            })
        );
        assert!(AnnouncementText::parse(&"я".repeat(3500)).is_ok());
    }

    proptest! {
        #[test]
        fn accepted_texts_are_trimmed_and_within_the_limit(text in "\\PC{0,4000}") {
            if let Ok(parsed) = AnnouncementText::parse(&text) {
                prop_assert_eq!(parsed.as_str(), text.trim());
                prop_assert!(!parsed.as_str().is_empty());
                prop_assert!(parsed.as_str().chars().count() <= AnnouncementText::MAX_CHARS);
            }
        }
    }
}
