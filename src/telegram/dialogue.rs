//! Half-filled forms, kept in the database keyed by user, so a restart (or another instance)
//! continues where the user left off.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::{Deserialize, Serialize};

use crate::storage::entities::dialogues;

/// Where a user is in a multi-step form. `Idle` is stored as the absence of a row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Dialogue {
    #[default]
    Idle,
    /// «🚀 Создать группу» was pressed; the next text is the group's name.
    CreateGroupName,
    /// «🔗 Присоединиться по ссылке» was pressed; the next text is an invite link or token.
    JoinToken,
    /// Waiting for the user's ФИО; `after_join` when asked once right after joining (skippable).
    Fio {
        after_join: bool,
    },
    /// Group settings: the next text is the group's new name / description / time zone.
    GroupRename,
    GroupDescription,
    GroupTimezone,
    /// A step of an event form (create an event, edit a field, add a deadline).
    Event(crate::telegram::events::form::EventForm),
    /// A step of a queue form (attach or edit a queue).
    Queue(crate::telegram::queues::form::QueueForm),
    /// A step of a topic-list form (attach a list, add topics).
    Topics(crate::telegram::topics::form::TopicForm),
    /// A step of a timetable form (semester, paste, a class moved, an extra class).
    Timetable(crate::telegram::timetable::form::TimetableForm),
    /// A step of the homework form (set or propose a task).
    Homework(crate::telegram::homework::form::HomeworkForm),
    /// Admin panel: the next text is a part of a group's name to search for.
    AdminSearch,
    /// Admin panel: the next text is a broadcast to `audience`.
    AdminBroadcast {
        audience: crate::admin::Audience,
    },
    /// Admin panel: `text` is previewed and waits for «Отправить» (another text replaces it).
    AdminBroadcastPreview {
        audience: crate::admin::Audience,
        text: String,
    },
    /// «📢 Объявление»: the next text is an announcement to the group.
    Announcement,
    /// An announcement previewed, waiting for «Отправить» (another text replaces it); `id`
    /// makes a second press harmless.
    AnnouncementPreview {
        id: uuid::Uuid,
        text: String,
    },
}

/// The user's dialogue; a row that no longer parses (an older form) counts as `Idle`.
pub async fn load(db: &impl ConnectionTrait, user_id: i64) -> Result<Dialogue, DbErr> {
    let row = dialogues::Entity::find_by_id(user_id).one(db).await?;
    Ok(parse(user_id, row))
}

/// The dialogue stored in `row`; a missing row or one that no longer parses is `Idle`.
pub fn parse(user_id: i64, row: Option<dialogues::Model>) -> Dialogue {
    row.and_then(|row| match serde_json::from_value(row.state) {
        Ok(state) => Some(state),
        Err(err) => {
            tracing::warn!(user_id, %err, "dropping a dialogue state that no longer parses");
            None
        }
    })
    .unwrap_or_default()
}

pub async fn save(
    db: &impl ConnectionTrait,
    user_id: i64,
    dialogue: &Dialogue,
) -> Result<(), DbErr> {
    if *dialogue == Dialogue::Idle {
        return clear(db, user_id).await;
    }
    let state = serde_json::to_value(dialogue).map_err(|e| DbErr::Json(e.to_string()))?;
    let row = dialogues::ActiveModel {
        user_id: Set(user_id),
        state: Set(state),
        updated_at: Set(Utc::now()),
    };
    dialogues::Entity::insert(row)
        .on_conflict(
            OnConflict::column(dialogues::Column::UserId)
                .update_columns([dialogues::Column::State, dialogues::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn clear(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    dialogues::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(())
}

/// For the forms' tests: each of `dialogues` is stored and loaded unchanged.
#[cfg(test)]
pub(crate) fn assert_round_trips(dialogues: impl IntoIterator<Item = Dialogue>) {
    for dialogue in dialogues {
        let json = serde_json::to_value(&dialogue).expect("serialises");
        let back: Dialogue = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, dialogue);
    }
}
