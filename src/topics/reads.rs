//! What the topic screens show: the browser of a list, a student's own pick, the leader's
//! distribution. Reads only; each looks at the acting user's group alone, and a list, topic or
//! pick of another group is [`TopicError::NotFound`].

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::repo;
use super::service::TopicError;
use crate::events::repo::find_event;
use crate::groups::Timezone;
use crate::members::service::{AccessError, Member, Viewer, require};
use crate::members::{PersonName, Role};
use crate::storage::entities::{events, groupmembers, groups, topiclists, users};

/// A topic as the browser shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRow {
    pub id: Uuid,
    pub title: String,
    /// Students holding it.
    pub taken: u32,
    /// The viewer's own pick: `Some(confirmed)`.
    pub mine: Option<bool>,
}

/// The topic browser of one list.
#[derive(Debug, Clone)]
pub struct Browser {
    pub viewer: Member,
    pub list: topiclists::Model,
    pub event: events::Model,
    pub topics: Vec<TopicRow>,
    /// The group's time zone (the deadline of a list by preference is shown in it).
    pub timezone: Timezone,
    /// A list by preference: the viewer's ranking, most wanted first.
    pub ranking: Vec<Uuid>,
}

impl Browser {
    /// The viewer's pick: the topic's title and whether it is confirmed.
    pub fn my_pick(&self) -> Option<(&str, bool)> {
        self.topics
            .iter()
            .find_map(|t| t.mine.map(|confirmed| (t.title.as_str(), confirmed)))
    }
}

/// One student's pick, as the distribution shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub selection: Uuid,
    pub user_id: i64,
    pub name: String,
    pub username: Option<String>,
    pub confirmed: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistTopic {
    pub id: Uuid,
    pub title: String,
    pub picks: Vec<Pick>,
}

/// Who took which topic (leader and assistants).
#[derive(Debug, Clone)]
pub struct Distribution {
    pub list: topiclists::Model,
    pub event: events::Model,
    /// The group's time zone.
    pub timezone: Timezone,
    pub topics: Vec<DistTopic>,
    /// Members of the group without a topic in this list, by name.
    pub without: Vec<String>,
}

/// The event, if the user may attach a topic list to it right now (checked again on saving).
pub async fn may_create(
    db: &DatabaseConnection,
    user_id: i64,
    event: Uuid,
) -> Result<events::Model, TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    find_event(db, member.group_id, event)
        .await?
        .ok_or(TopicError::EventNotFound)
}

/// A list the user may change right now (leader/assistant), e.g. before asking for topics.
pub async fn editable(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
) -> Result<topiclists::Model, TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    Ok(repo::list_in_group(db, member.group_id, list).await?.0)
}

/// The list of a topic of the user's group.
pub async fn list_of_topic(
    db: &DatabaseConnection,
    viewer: &Viewer,
    topic: Uuid,
) -> Result<Uuid, TopicError> {
    Ok(repo::topic_in_group(db, viewer.group_id, topic).await?.1.id)
}

/// The topics of a list with how many took each and the viewer's own pick.
pub async fn browse(
    db: &DatabaseConnection,
    looker: &Viewer,
    list: Uuid,
) -> Result<Browser, TopicError> {
    let (user_id, viewer) = (looker.user_id, looker.member());
    let (list, event) = repo::list_in_group(db, viewer.group_id, list).await?;
    let (topics, picks) = repo::topics_and_picks(db, list.id).await?;
    let mut taken: HashMap<Uuid, u32> = HashMap::new();
    let mut mine: HashMap<Uuid, bool> = HashMap::new();
    for pick in picks {
        *taken.entry(pick.topic_id).or_default() += 1;
        if pick.user_id == user_id {
            mine.insert(pick.topic_id, pick.is_confirmed);
        }
    }
    let topics = topics
        .into_iter()
        .map(|t| TopicRow {
            taken: taken.get(&t.id).copied().unwrap_or(0),
            mine: mine.get(&t.id).copied(),
            id: t.id,
            title: t.title,
        })
        .collect();
    let ranking = if list.choices.is_some() {
        super::preferences::ranking_of(db, list.id, user_id).await?
    } else {
        Vec::new()
    };
    let timezone = Timezone::from(looker.tz);
    Ok(Browser {
        viewer,
        list,
        event,
        topics,
        timezone,
        ranking,
    })
}

/// How a stored user is named; their id if they are gone.
fn name_of(user_id: i64, user: Option<&users::Model>) -> String {
    user.map_or_else(|| user_id.to_string(), |u| PersonName::of(u).full())
}

/// Who took which topic, and who has none (leader and assistants).
pub async fn distribution(
    db: &DatabaseConnection,
    user_id: i64,
    list: Uuid,
) -> Result<Distribution, TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let (list, event) = repo::list_in_group(db, member.group_id, list).await?;
    let group = groups::Entity::find_by_id(member.group_id)
        .one(db)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let (topics, picks) = repo::topics_and_picks(db, list.id).await?;
    let pickers: HashSet<i64> = picks.iter().map(|p| p.user_id).collect();
    let people: HashMap<i64, users::Model> = users::Entity::find()
        .filter(users::Column::TelegramId.is_in(pickers.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.telegram_id, user))
        .collect();
    let mut by_topic: HashMap<Uuid, Vec<Pick>> = HashMap::new();
    for pick in picks {
        let user = people.get(&pick.user_id);
        by_topic.entry(pick.topic_id).or_default().push(Pick {
            selection: pick.id,
            user_id: pick.user_id,
            name: name_of(pick.user_id, user),
            username: user.and_then(|u| u.telegram_username.clone()),
            confirmed: pick.is_confirmed,
            at: pick.selected_at,
        });
    }
    let mut without: Vec<String> = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(member.group_id))
        .find_also_related(users::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter(|(m, _)| !pickers.contains(&m.user_id))
        .map(|(m, user)| name_of(m.user_id, user.as_ref()))
        .collect();
    without.sort_by_key(|name| name.to_lowercase());
    Ok(Distribution {
        topics: topics
            .into_iter()
            .map(|t| DistTopic {
                picks: by_topic.remove(&t.id).unwrap_or_default(),
                id: t.id,
                title: t.title,
            })
            .collect(),
        list,
        event,
        timezone: Timezone::stored(&group.timezone),
        without,
    })
}

/// A topic of the user's group with its picks (leader and assistants).
pub async fn topic_picks(
    db: &DatabaseConnection,
    user_id: i64,
    topic: Uuid,
) -> Result<(topiclists::Model, DistTopic), TopicError> {
    let member = require(db, user_id, Role::can_manage).await?;
    let (topic, list) = repo::topic_in_group(db, member.group_id, topic).await?;
    let mut distribution = distribution(db, user_id, list.id).await?;
    let found = distribution
        .topics
        .iter()
        .position(|t| t.id == topic.id)
        .ok_or(TopicError::NotFound)?;
    Ok((list, distribution.topics.swap_remove(found)))
}

/// A topic list on the member's «Мои очереди и темы»: their pick, or one they may still pick
/// from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyList {
    pub list_id: Uuid,
    pub title: String,
    pub event_title: String,
    pub event_date: chrono::NaiveDate,
    /// The topic the member took and whether it is confirmed; `None`: none yet.
    pub pick: Option<(String, bool)>,
}

/// The topic lists of the member's group that concern them: those they picked from (by event
/// date), then those of events from today on where they have no topic yet.
pub async fn mine(
    db: &DatabaseConnection,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> Result<Vec<MyList>, TopicError> {
    use crate::storage::entities::{topics, topicselections};
    use sea_orm::QueryOrder;
    let user_id = viewer.user_id;
    let today = viewer.today(now);
    let lists = topiclists::Entity::find()
        .find_also_related(events::Entity)
        .filter(events::Column::GroupId.eq(viewer.group_id))
        .order_by_asc(events::Column::EventDate)
        .order_by_asc(topiclists::Column::CreatedAt)
        .all(db)
        .await?;
    let picks = topicselections::Entity::find()
        .find_also_related(topics::Entity)
        .filter(topicselections::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let mut picked = Vec::new();
    let mut open = Vec::new();
    for (list, event) in lists {
        let Some(event) = event else { continue };
        let pick = picks.iter().find_map(|(selection, topic)| {
            let topic = topic.as_ref().filter(|t| t.topic_list_id == list.id)?;
            Some((topic.title.clone(), selection.is_confirmed))
        });
        let entry = MyList {
            list_id: list.id,
            title: list.title,
            event_title: event.title,
            event_date: event.event_date,
            pick,
        };
        if entry.pick.is_some() {
            picked.push(entry);
        } else if event.event_date >= today {
            open.push(entry);
        }
    }
    picked.extend(open);
    Ok(picked)
}
