//! The rules for topic lists: use cases that run in a unit of work ([`Uow`]). No Telegram
//! types here; the screens' reads are in [`reads`](super::reads).
//!
//! Every use case looks only at the acting member's group: a list, topic or pick of another
//! group is [`TopicError::NotFound`]. The role comes from the database inside the unit of
//! work. Picks never exceed a topic's capacity and a student never holds two topics of one
//! list, however many press at once: a use case that changes picks locks the list first and
//! counts after the lock (see [`repo`](super::repo)); a conflict the database reports runs the
//! whole unit again, and the checks then tell what happened (the topic is full, already
//! yours, …).

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

pub use super::events::Decided;
use super::events::TopicEvent;
use super::input::{Capacity, ListTitle, TopicLines, fold};
use super::repo;
use crate::events::repo::find_event;
use crate::members::Role;
use crate::members::service::Member;
use crate::storage;
use crate::storage::constraints::UQ_TOPICSELECTIONS_TOPIC_USER;
use crate::storage::entities::{topiclists, topics, topicselections};
use crate::uow::{Uow, use_case_error};

use_case_error! {
    pub enum TopicError {
        /// No such list, topic or pick in the user's group (deleted, or another group's).
        #[error("no such topic list, topic or pick in the user's group")]
        NotFound,
        /// No such event in the user's group.
        #[error("no such event in the user's group")]
        EventNotFound,
        /// The topic has as many students as it may.
        #[error("the topic is taken")]
        Full { title: String },
        /// The student already holds this topic.
        #[error("the topic is already the user's")]
        AlreadyYours { title: String },
        /// The student's pick in this list is confirmed: it is final.
        #[error("the user's pick is confirmed")]
        Confirmed { title: String },
        /// The student holds no topic in this list.
        #[error("no pick to withdraw")]
        NoPick,
        /// Adding the topics would make the list longer than allowed.
        #[error("too many topics")]
        TooManyTopics { count: usize, max: usize },
        /// Topics already in the list.
        #[error("topics already in the list")]
        Duplicates(Vec<String>),
        /// The list is collected by preference: no picking until the topics are assigned.
        #[error("the list collects rankings until its deadline")]
        ByPreference { deadline: chrono::DateTime<chrono::Utc> },
        /// The list is not collecting rankings (not by preference, or past its deadline).
        #[error("the list is not collecting rankings")]
        NotCollecting,
        #[error("the topic is ranked already")]
        AlreadyRanked { rank: i32 },
        #[error("at most {max} choices")]
        TooManyChoices { max: i32 },
    }
}

/// A new topic list, as the form has collected it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewList {
    pub title: ListTitle,
    pub capacity: Capacity,
    pub lines: TopicLines,
}

/// A pick made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub list: Uuid,
    pub title: String,
    /// The topic given up for it.
    pub replaced: Option<String>,
}

/// A removed topic and the students whose picks went with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub list: Uuid,
    pub list_title: String,
    pub title: String,
    pub students: Vec<i64>,
}

/// A deleted list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    pub title: String,
    pub event: Uuid,
}

fn anyone(_: Role) -> bool {
    true
}

/// The acting member, if their role passes `allowed`, and the list `list` of their group,
/// locked.
async fn locked_list(
    uow: &Uow<'_>,
    allowed: fn(Role) -> bool,
    list: Uuid,
) -> Result<(Member, topiclists::Model), TopicError> {
    let me = uow.member(allowed).await?;
    repo::lock_list(uow.db(), list).await?;
    let (list, _) = repo::list_in_group(uow.db(), me.group_id, list).await?;
    Ok((me, list))
}

/// Takes back the student's unconfirmed `pick` of `list` (`replaced`: for another topic).
async fn withdraw(
    uow: &mut Uow<'_>,
    group: Uuid,
    list: Uuid,
    pick: &topicselections::Model,
    replaced: bool,
) -> Result<(), TopicError> {
    repo::delete_pick(uow.db(), pick.id).await?;
    uow.record(TopicEvent::Unpicked {
        group,
        list,
        topic: pick.topic_id,
        selection: pick.id,
        replaced,
    });
    Ok(())
}

/// The title of topic `id` among `topics`.
fn title_of(topics: &[topics::Model], id: Uuid) -> String {
    topics
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.title.clone())
        .unwrap_or_default()
}

// ----- use cases: the leader's list ---------------------------------------------------------

/// Attaches a new topic list to an event of the acting member's group.
pub async fn create_list(
    uow: &mut Uow<'_>,
    event: Uuid,
    new: &NewList,
) -> Result<topiclists::Model, TopicError> {
    let me = uow.member(Role::can_manage).await?;
    find_event(uow.db(), me.group_id, event)
        .await?
        .ok_or(TopicError::EventNotFound)?;
    let list = topiclists::Model {
        id: Uuid::new_v4(),
        event_id: event,
        title: new.title.as_str().to_owned(),
        max_participants_per_topic: i32::try_from(new.capacity.get()).unwrap_or(i32::MAX),
        created_by_user_id: Some(me.user_id),
        created_at: uow.now(),
        choices: None,
        preference_deadline: None,
        allocation_seed: None,
    };
    repo::insert_list(uow.db(), &list).await?;
    repo::insert_topics(uow.db(), list.id, 1, &new.lines).await?;
    uow.record(TopicEvent::Created {
        group: me.group_id,
        list: list.clone(),
        topics: new.lines.len(),
    });
    Ok(list)
}

/// Adds topics to a list of the acting member's group; refuses topics it already has and a
/// list longer than [`TopicLines::MAX_TOPICS`]. Returns the list and how many topics it has
/// now.
pub async fn add_topics(
    uow: &mut Uow<'_>,
    list: Uuid,
    lines: &TopicLines,
) -> Result<(topiclists::Model, usize), TopicError> {
    let (me, list) = locked_list(uow, Role::can_manage, list).await?;
    let existing = repo::list_topics(uow.db(), list.id).await?;
    let known: HashSet<String> = existing.iter().map(|t| fold(&t.title)).collect();
    let duplicates: Vec<String> = lines
        .topics()
        .iter()
        .filter(|t| known.contains(&fold(t)))
        .cloned()
        .collect();
    if !duplicates.is_empty() {
        return Err(TopicError::Duplicates(duplicates));
    }
    let count = existing.len() + lines.len();
    if count > TopicLines::MAX_TOPICS {
        return Err(TopicError::TooManyTopics {
            count,
            max: TopicLines::MAX_TOPICS,
        });
    }
    let next = existing.iter().map(|t| t.position).max().unwrap_or(0) + 1;
    repo::insert_topics(uow.db(), list.id, next, lines).await?;
    uow.record(TopicEvent::Added {
        group: me.group_id,
        list: list.id,
        titles: lines.topics().to_vec(),
    });
    Ok((list, count))
}

/// Removes a topic; the picks of it go with it (their students are told).
pub async fn remove_topic(uow: &mut Uow<'_>, topic: Uuid) -> Result<Removed, TopicError> {
    let me = uow.member(Role::can_manage).await?;
    let (topic, list) = repo::topic_in_group(uow.db(), me.group_id, topic).await?;
    repo::lock_list(uow.db(), list.id).await?;
    let students: Vec<i64> = repo::picks_of(uow.db(), &[topic.id])
        .await?
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    repo::delete_topic(uow.db(), topic.id).await?;
    let removed = Removed {
        list: list.id,
        list_title: list.title.clone(),
        title: topic.title.clone(),
        students: students.clone(),
    };
    let about = repo::about(uow.db(), &list).await?;
    uow.record(TopicEvent::TopicRemoved {
        group: me.group_id,
        list,
        about,
        topic,
        students,
    });
    Ok(removed)
}

/// Deletes a list with its topics and picks.
pub async fn delete_list(uow: &mut Uow<'_>, list: Uuid) -> Result<Deleted, TopicError> {
    let (me, list) = locked_list(uow, Role::can_manage, list).await?;
    repo::delete_list(uow.db(), list.id).await?;
    let deleted = Deleted {
        title: list.title.clone(),
        event: list.event_id,
    };
    uow.record(TopicEvent::Deleted {
        group: me.group_id,
        list,
    });
    Ok(deleted)
}

// ----- use cases: a student's pick ----------------------------------------------------------

/// The acting member picks `topic`, giving up an unconfirmed pick in the same list.
pub async fn pick(uow: &mut Uow<'_>, topic: Uuid) -> Result<Picked, TopicError> {
    let me = uow.member(anyone).await?;
    let (topic, list) = repo::topic_in_group(uow.db(), me.group_id, topic).await?;
    repo::lock_list(uow.db(), list.id).await?;
    if let (Some(_), None, Some(deadline)) =
        (list.choices, list.allocation_seed, list.preference_deadline)
    {
        return Err(TopicError::ByPreference { deadline });
    }
    // Counted under the lock: what others picked meanwhile is here.
    let (all, picks) = repo::topics_and_picks(uow.db(), list.id).await?;
    if !all.iter().any(|t| t.id == topic.id) {
        return Err(TopicError::NotFound);
    }
    let mine: Vec<&topicselections::Model> =
        picks.iter().filter(|p| p.user_id == me.user_id).collect();
    if mine.iter().any(|p| p.topic_id == topic.id) {
        return Err(TopicError::AlreadyYours { title: topic.title });
    }
    if let Some(confirmed) = mine.iter().find(|p| p.is_confirmed) {
        return Err(TopicError::Confirmed {
            title: title_of(&all, confirmed.topic_id),
        });
    }
    let taken = picks.iter().filter(|p| p.topic_id == topic.id).count();
    if taken >= usize::try_from(list.max_participants_per_topic).unwrap_or(0) {
        return Err(TopicError::Full { title: topic.title });
    }
    let replaced = mine.first().map(|p| title_of(&all, p.topic_id));
    for old in mine {
        withdraw(uow, me.group_id, list.id, old, true).await?;
    }
    let selection = match repo::insert_pick(uow.db(), topic.id, me.user_id, uow.now()).await {
        Ok(selection) => selection,
        Err(err)
            if storage::unique_violation_constraint(&err).as_deref()
                == Some(UQ_TOPICSELECTIONS_TOPIC_USER) =>
        {
            return Err(TopicError::AlreadyYours { title: topic.title });
        }
        Err(err) => return Err(err.into()),
    };
    let picked = Picked {
        list: list.id,
        title: topic.title.clone(),
        replaced,
    };
    uow.record(TopicEvent::Picked {
        group: me.group_id,
        list: list.id,
        topic,
        selection,
    });
    Ok(picked)
}

/// The acting member gives up their unconfirmed pick in `list`; returns the topic's title.
pub async fn unpick(uow: &mut Uow<'_>, list: Uuid) -> Result<String, TopicError> {
    let (me, list) = locked_list(uow, anyone, list).await?;
    let (topics, picks) = repo::topics_and_picks(uow.db(), list.id).await?;
    let pick = picks
        .into_iter()
        .find(|p| p.user_id == me.user_id)
        .ok_or(TopicError::NoPick)?;
    let title = title_of(&topics, pick.topic_id);
    if pick.is_confirmed {
        return Err(TopicError::Confirmed { title });
    }
    withdraw(uow, me.group_id, list.id, &pick, false).await?;
    Ok(title)
}

// ----- use cases: the leader's decisions ----------------------------------------------------

/// The pick `selection` of the acting member's group (leader/assistant), its list locked.
async fn decided(uow: &Uow<'_>, selection: Uuid) -> Result<(Member, Decided, bool), TopicError> {
    let me = uow.member(Role::can_manage).await?;
    let (_, topic, list) = repo::selection_in_group(uow.db(), me.group_id, selection).await?;
    repo::lock_list(uow.db(), list.id).await?;
    // Read again under the lock: it may have been decided or withdrawn meanwhile.
    let pick = repo::pick_row(uow.db(), selection)
        .await?
        .ok_or(TopicError::NotFound)?;
    let decided = Decided {
        about: repo::about(uow.db(), &list).await?,
        selection: pick.id,
        list: list.id,
        list_title: list.title,
        topic: topic.id,
        topic_title: topic.title,
        student: pick.user_id,
    };
    Ok((me, decided, pick.is_confirmed))
}

/// Confirms one pick; the student is told. Confirming a confirmed pick changes nothing and
/// tells nobody again.
pub async fn confirm(uow: &mut Uow<'_>, selection: Uuid) -> Result<Decided, TopicError> {
    let (me, pick, confirmed) = decided(uow, selection).await?;
    if !confirmed {
        repo::set_confirmed(uow.db(), &[pick.selection], me.user_id).await?;
        uow.record(TopicEvent::Confirmed {
            group: me.group_id,
            pick: pick.clone(),
        });
    }
    Ok(pick)
}

/// Confirms every unconfirmed pick of a list; their students are told. Returns how many.
pub async fn confirm_all(uow: &mut Uow<'_>, list: Uuid) -> Result<usize, TopicError> {
    let (me, list) = locked_list(uow, Role::can_manage, list).await?;
    let (topics, picks) = repo::topics_and_picks(uow.db(), list.id).await?;
    let titles: HashMap<Uuid, String> = topics.into_iter().map(|t| (t.id, t.title)).collect();
    let about = repo::about(uow.db(), &list).await?;
    let open: Vec<Decided> = picks
        .into_iter()
        .filter(|p| !p.is_confirmed)
        .map(|p| Decided {
            selection: p.id,
            list: list.id,
            list_title: list.title.clone(),
            topic: p.topic_id,
            topic_title: titles.get(&p.topic_id).cloned().unwrap_or_default(),
            student: p.user_id,
            about: about.clone(),
        })
        .collect();
    let count = open.len();
    if !open.is_empty() {
        let ids: Vec<Uuid> = open.iter().map(|p| p.selection).collect();
        repo::set_confirmed(uow.db(), &ids, me.user_id).await?;
        uow.record(TopicEvent::ConfirmedAll {
            group: me.group_id,
            list: list.id,
            picks: open,
        });
    }
    Ok(count)
}

/// Rejects a pick: the place is free again, and the student is told.
pub async fn reject(uow: &mut Uow<'_>, selection: Uuid) -> Result<Decided, TopicError> {
    let (me, pick, was_confirmed) = decided(uow, selection).await?;
    repo::delete_pick(uow.db(), pick.selection).await?;
    uow.record(TopicEvent::Rejected {
        group: me.group_id,
        pick: pick.clone(),
        was_confirmed,
    });
    Ok(pick)
}
