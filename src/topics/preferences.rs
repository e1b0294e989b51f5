//! Topic lists by preference: instead of a click race, each student ranks up to N topics until
//! a deadline; then the topics are assigned once by **random serial dictatorship**:
//!
//! 1. the students who ranked anything, by Telegram id ascending, are put in a random order by
//!    `queues::lottery::shuffle` with a fresh seed (SplitMix64 + Fisher–Yates, documented
//!    there);
//! 2. in that order each student gets the first topic of their ranking that still has a free
//!    place (places already booked in the list count), or none if every topic they ranked is
//!    full — they can then pick a free topic or be given one by the leader;
//! 3. a student who already holds a topic of the list keeps it and is passed over.
//!
//! Capacity is never exceeded: every assignment counts the places under the list's lock. The
//! change-log row `topics.allocate` holds the seed, the order and the result, so anyone can
//! recompute it from the rankings. The assigned picks are ordinary unconfirmed picks: the
//! leader adjusts (rejects, confirms) them on the distribution screen as any other.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::repo;
use super::service::TopicError;
use crate::changelog::Change;
use crate::members::Role;
use crate::notifications::{Kind, Note, Notice, Screen, Text};
use crate::storage::entities::{topiclists, topicpreferences};
use crate::uow::{DomainEvent, Live, Uow};

/// How many topics a student may rank: 1..=10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choices(i32);

impl Choices {
    pub const MIN: i32 = 1;
    pub const MAX: i32 = 10;

    pub fn new(n: i32) -> Option<Self> {
        (Self::MIN..=Self::MAX).contains(&n).then_some(Self(n))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// What happened to a list collected by preference.
#[derive(Debug, Clone)]
pub enum PreferenceEvent {
    /// The leader set the list to collect rankings.
    Set {
        group: Uuid,
        list: topiclists::Model,
    },
    /// A student ranked a topic.
    Ranked {
        group: Uuid,
        list: Uuid,
        user: i64,
        topic: Uuid,
        rank: i32,
    },
    /// A student cleared their ranking.
    Cleared { group: Uuid, list: Uuid, user: i64 },
    /// The topics were assigned: `result` per student in `order`, with the topic's title.
    Allocated {
        group: Uuid,
        list: topiclists::Model,
        seed: i64,
        order: Vec<i64>,
        result: Vec<(i64, Option<(Uuid, String)>)>,
    },
}

impl DomainEvent for PreferenceEvent {
    fn change(&self) -> Option<Change> {
        let (group, list, action, details) = match self {
            PreferenceEvent::Set { group, list } => (
                group,
                list.id,
                "topics.by_preference",
                json!({ "choices": list.choices, "deadline": list.preference_deadline }),
            ),
            PreferenceEvent::Ranked {
                group,
                list,
                user,
                topic,
                rank,
            } => (
                group,
                *list,
                "topics.rank",
                json!({ "user_id": user, "topic_id": topic, "rank": rank }),
            ),
            PreferenceEvent::Cleared { group, list, user } => (
                group,
                *list,
                "topics.rank_clear",
                json!({ "user_id": user }),
            ),
            PreferenceEvent::Allocated {
                group,
                list,
                seed,
                order,
                result,
            } => {
                let assigned: Vec<serde_json::Value> = result
                    .iter()
                    .map(|(user, topic)| json!([user, topic.as_ref().map(|(id, _)| id)]))
                    .collect();
                (
                    group,
                    list.id,
                    "topics.allocate",
                    json!({
                        "rule": "random-serial-dictatorship/splitmix64-fisher-yates",
                        "seed": seed,
                        "order": order,
                        "assigned": assigned,
                    }),
                )
            }
        };
        Some(Change {
            actor: None,
            group: Some(*group),
            action,
            entity_type: "topic_list",
            entity_id: list.to_string(),
            details,
        })
    }

    fn notices(&self) -> Vec<Notice> {
        let PreferenceEvent::Allocated { list, result, .. } = self else {
            return Vec::new();
        };
        result
            .iter()
            .map(|(user, topic)| {
                let text = match topic {
                    Some((_, title)) => Text::new("topics-allocated-notice").user("topic", title),
                    None => Text::new("topics-allocated-none-notice"),
                }
                .user("title", &list.title);
                let note = Note::new(text).button("topics-btn-open", Screen::TopicList(list.id));
                Notice::new(*user, Kind::Notice, note)
            })
            .collect()
    }

    fn live(&self) -> Vec<Live> {
        match self {
            PreferenceEvent::Allocated { list, .. } => vec![Live::TopicList(list.id)],
            _ => Vec::new(),
        }
    }
}

/// The rule itself, pure: `order` of students, each student's `rankings` (most wanted first),
/// the free places per topic. Returns each student's topic (or none), in `order`.
pub fn serial_dictatorship(
    order: &[i64],
    rankings: &HashMap<i64, Vec<Uuid>>,
    mut free: HashMap<Uuid, usize>,
) -> Vec<(i64, Option<Uuid>)> {
    order
        .iter()
        .map(|user| {
            let wanted = rankings.get(user).map(Vec::as_slice).unwrap_or_default();
            let topic = wanted
                .iter()
                .find(|topic| free.get(topic).is_some_and(|n| *n > 0))
                .copied();
            if let Some(topic) = topic
                && let Some(n) = free.get_mut(&topic)
            {
                *n -= 1;
            }
            (*user, topic)
        })
        .collect()
}

fn anyone(_: Role) -> bool {
    true
}

/// The time zone of the user's group (a deadline is typed and shown in it).
pub async fn zone(
    db: &sea_orm::DatabaseConnection,
    user: i64,
) -> Result<crate::groups::Timezone, TopicError> {
    let member = crate::members::service::require(db, user, anyone).await?;
    Ok(
        crate::storage::entities::groups::Entity::find_by_id(member.group_id)
            .one(db)
            .await?
            .map(|g| crate::groups::Timezone::stored(&g.timezone))
            .unwrap_or_default(),
    )
}

/// The rankings of `list`, by student, most wanted first.
async fn rankings(
    conn: &impl ConnectionTrait,
    list: Uuid,
) -> Result<HashMap<i64, Vec<Uuid>>, DbErr> {
    let rows = topicpreferences::Entity::find()
        .filter(topicpreferences::Column::TopicListId.eq(list))
        .order_by_asc(topicpreferences::Column::UserId)
        .order_by_asc(topicpreferences::Column::Rank)
        .all(conn)
        .await?;
    let mut by_user: HashMap<i64, Vec<Uuid>> = HashMap::new();
    for row in rows {
        by_user.entry(row.user_id).or_default().push(row.topic_id);
    }
    Ok(by_user)
}

/// The acting member's ranking in `list` (topic ids, most wanted first).
pub async fn ranking_of(
    conn: &impl ConnectionTrait,
    list: Uuid,
    user: i64,
) -> Result<Vec<Uuid>, DbErr> {
    topicpreferences::Entity::find()
        .filter(topicpreferences::Column::TopicListId.eq(list))
        .filter(topicpreferences::Column::UserId.eq(user))
        .order_by_asc(topicpreferences::Column::Rank)
        .all(conn)
        .await
        .map(|rows| rows.into_iter().map(|row| row.topic_id).collect())
}

/// Whether `list` collects rankings now (`now` before its deadline, not yet assigned).
pub fn collecting(list: &topiclists::Model, now: DateTime<Utc>) -> bool {
    list.choices.is_some()
        && list.allocation_seed.is_none()
        && list.preference_deadline.is_some_and(|at| now < at)
}

/// Whether `list`'s assignment is due at `now` and not made.
pub fn allocation_due(list: &topiclists::Model, now: DateTime<Utc>) -> bool {
    list.choices.is_some()
        && list.allocation_seed.is_none()
        && list.preference_deadline.is_some_and(|at| now >= at)
}

/// The leader sets `list` to collect up to `choices` ranked topics per student until
/// `deadline` (checked to be ahead where it was typed).
pub async fn set_by_preference(
    uow: &mut Uow<'_>,
    list: Uuid,
    choices: Choices,
    deadline: DateTime<Utc>,
) -> Result<(), TopicError> {
    let me = uow.member(Role::can_manage).await?;
    repo::lock_list(uow.db(), list).await?;
    let (mut list, _) = repo::list_in_group(uow.db(), me.group_id, list).await?;
    list.choices = Some(choices.get());
    list.preference_deadline = Some(deadline);
    list.allocation_seed = None;
    topiclists::Entity::update_many()
        .set(topiclists::ActiveModel {
            choices: Set(list.choices),
            preference_deadline: Set(list.preference_deadline),
            allocation_seed: Set(None),
            ..Default::default()
        })
        .filter(topiclists::Column::Id.eq(list.id))
        .exec(uow.db())
        .await?;
    uow.record(PreferenceEvent::Set {
        group: me.group_id,
        list,
    });
    Ok(())
}

/// The acting member ranks `topic` next in its list; returns (the list, the topic's title,
/// its rank).
pub async fn rank(uow: &mut Uow<'_>, topic: Uuid) -> Result<(Uuid, String, i32), TopicError> {
    let me = uow.member(anyone).await?;
    let (topic, list) = repo::topic_in_group(uow.db(), me.group_id, topic).await?;
    repo::lock_list(uow.db(), list.id).await?;
    if !collecting(&list, uow.now()) {
        return Err(TopicError::NotCollecting);
    }
    let mine = ranking_of(uow.db(), list.id, me.user_id).await?;
    if let Some(at) = mine.iter().position(|t| *t == topic.id) {
        return Err(TopicError::AlreadyRanked {
            rank: i32::try_from(at).unwrap_or(i32::MAX - 1) + 1,
        });
    }
    let max = list.choices.unwrap_or(0);
    let rank = i32::try_from(mine.len()).unwrap_or(i32::MAX - 1) + 1;
    if rank > max {
        return Err(TopicError::TooManyChoices { max });
    }
    topicpreferences::Entity::insert(topicpreferences::ActiveModel {
        id: Set(Uuid::new_v4()),
        topic_list_id: Set(list.id),
        user_id: Set(me.user_id),
        topic_id: Set(topic.id),
        rank: Set(rank),
    })
    .exec_without_returning(uow.db())
    .await?;
    uow.record(PreferenceEvent::Ranked {
        group: me.group_id,
        list: list.id,
        user: me.user_id,
        topic: topic.id,
        rank,
    });
    Ok((list.id, topic.title, rank))
}

/// The acting member clears their ranking in `list` (while it is collected).
pub async fn clear_ranking(uow: &mut Uow<'_>, list: Uuid) -> Result<(), TopicError> {
    let me = uow.member(anyone).await?;
    repo::lock_list(uow.db(), list).await?;
    let (list, _) = repo::list_in_group(uow.db(), me.group_id, list).await?;
    if !collecting(&list, uow.now()) {
        return Err(TopicError::NotCollecting);
    }
    topicpreferences::Entity::delete_many()
        .filter(topicpreferences::Column::TopicListId.eq(list.id))
        .filter(topicpreferences::Column::UserId.eq(me.user_id))
        .exec(uow.db())
        .await?;
    uow.record(PreferenceEvent::Cleared {
        group: me.group_id,
        list: list.id,
        user: me.user_id,
    });
    Ok(())
}

/// Assigns the topics of `list` if its deadline has passed and it has not been done: the
/// screen of the list asks for this when it is due, so it happens at the first look after the
/// deadline, on whichever instance, once (the list's lock and `allocation_seed`).
pub async fn settle(uow: &mut Uow<'_>, list: Uuid) -> Result<(), TopicError> {
    let me = uow.member(anyone).await?;
    repo::lock_list(uow.db(), list).await?;
    let (mut list, _) = repo::list_in_group(uow.db(), me.group_id, list).await?;
    if !allocation_due(&list, uow.now()) {
        return Ok(());
    }
    let (topics, picks) = repo::topics_and_picks(uow.db(), list.id).await?;
    let capacity = usize::try_from(list.max_participants_per_topic).unwrap_or(0);
    let mut free: HashMap<Uuid, usize> = topics.iter().map(|t| (t.id, capacity)).collect();
    for pick in &picks {
        if let Some(n) = free.get_mut(&pick.topic_id) {
            *n = n.saturating_sub(1);
        }
    }
    let holders: std::collections::HashSet<i64> = picks.iter().map(|p| p.user_id).collect();
    let rankings = rankings(uow.db(), list.id).await?;
    let mut students: Vec<i64> = rankings
        .keys()
        .copied()
        .filter(|user| !holders.contains(user))
        .collect();
    students.sort_unstable();
    let seed: i64 = rand::random();
    let order = crate::queues::lottery::shuffle(&students, seed);
    let assigned = serial_dictatorship(&order, &rankings, free);
    let mut result = Vec::with_capacity(assigned.len());
    for (user, topic) in assigned {
        let titled = match topic {
            Some(topic) => {
                repo::insert_pick(uow.db(), topic, user, uow.now()).await?;
                let title = topics
                    .iter()
                    .find(|t| t.id == topic)
                    .map(|t| t.title.clone())
                    .unwrap_or_default();
                Some((topic, title))
            }
            None => None,
        };
        result.push((user, titled));
    }
    list.allocation_seed = Some(seed);
    topiclists::Entity::update_many()
        .set(topiclists::ActiveModel {
            allocation_seed: Set(Some(seed)),
            ..Default::default()
        })
        .filter(topiclists::Column::Id.eq(list.id))
        .exec(uow.db())
        .await?;
    uow.record(PreferenceEvent::Allocated {
        group: me.group_id,
        list,
        seed,
        order,
        result,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_in_turn_takes_their_best_free_topic() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let rankings = HashMap::from([(1, vec![a, b]), (2, vec![a]), (3, vec![a, b])]);
        let free = HashMap::from([(a, 1), (b, 1)]);
        let result = serial_dictatorship(&[2, 1, 3], &rankings, free);
        assert_eq!(result, vec![(2, Some(a)), (1, Some(b)), (3, None)]);
    }
}
