//! The rules of the timetable: use cases that run in a unit of work ([`Uow`]); the reads the
//! screens show are in `reads` (re-exported here), who is told of a change in `announce`. No
//! Telegram types here.
//!
//! Defining the timetable (the semester, classes, changes to a date) is for the leader and
//! assistants, re-checked from the database in each change; choosing one's subgroup is for
//! every member. A change to a date tells, once and in the same transaction, every member whose
//! next seven days it changes (the subgroup's members, or everyone for a common class); a change
//! further ahead is written then too, due on the morning it comes within the seven days, and is
//! withdrawn with the change.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::events::TimetableEvent;
use super::fields::FieldValue;
use super::input::{ClassSpec, ExtraSpec, MoveSpec, Problem};
use super::repo;
use super::schedule::{self, ChangeKind, DateChange};
use super::week::{Bells, Parity, Semester, SemesterError, Subgroup};
use crate::members::Role;
use crate::storage;
use crate::uow::{Uow, use_case_error};

use_case_error! {
    pub enum TimetableError {
        /// No such class in the user's group (deleted, or another group's).
        #[error("no such class in the user's group")]
        ClassNotFound,
        /// The class does not meet on that date (or the semester is not set).
        #[error("the class does not meet on that date")]
        NotOnThatDate,
        /// The class was cancelled or moved on that date already.
        #[error("that date of the class was changed already")]
        AlreadyChanged,
        /// No such member in the leader's group.
        #[error("no such member in the group")]
        MemberNotFound,
        /// The date is outside the semester (or the semester is not set).
        #[error("the date is outside the semester")]
        OutsideSemester,
        /// The semester is not set (a calendar file cannot be read without it).
        #[error("the semester is not set")]
        NoSemester,
    }
    wrapping
        /// The semester's dates refused.
        Semester(SemesterError),
        /// A class's field refused (a new weekday off the class's listed dates).
        Field(Problem);
}

pub use super::announce::{NOTICE_DAYS, announce_prefix, chat_prefix};
use super::announce::{affected, announce_later, post_to_chat};
pub use super::reads::*;

// ----- use cases ----------------------------------------------------------------------------

/// Sets the group's semester: its first and last day and the parity of its first week.
pub async fn set_semester(
    uow: &mut Uow<'_>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    first_week: Parity,
) -> Result<Semester, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let semester = Semester::new(first_day, last_day, first_week)?;
    repo::set_semester(uow.db(), me.group_id, &semester, uow.now()).await?;
    uow.record(TimetableEvent::SemesterSet {
        group: me.group_id,
        first_day,
        last_day,
        first_week,
    });
    Ok(semester)
}

/// Sets the group's bell schedule (the semester must be set first).
pub async fn set_bells(uow: &mut Uow<'_>, bells: &Bells) -> Result<(), TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    if !repo::set_bells(uow.db(), me.group_id, bells, uow.now()).await? {
        return Err(TimetableError::NoSemester);
    }
    uow.record(TimetableEvent::BellsSet {
        group: me.group_id,
        pairs: bells.len(),
    });
    Ok(())
}

/// Turns posting the next day's changes to the group chat on or off (the semester must be
/// set first).
pub async fn set_post_changes(uow: &mut Uow<'_>, on: bool) -> Result<(), TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    if !repo::set_posts(uow.db(), me.group_id, repo::ChatPost::Changes, on).await? {
        return Err(TimetableError::NoSemester);
    }
    uow.record(TimetableEvent::PostChangesSet {
        group: me.group_id,
        on,
    });
    Ok(())
}

/// Turns posting the evening digest (tomorrow's classes, homework, deadlines) to the group
/// chat on or off (the semester must be set first).
pub async fn set_post_digest(uow: &mut Uow<'_>, on: bool) -> Result<(), TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    if !repo::set_posts(uow.db(), me.group_id, repo::ChatPost::Digest, on).await? {
        return Err(TimetableError::NoSemester);
    }
    uow.record(TimetableEvent::PostDigestSet {
        group: me.group_id,
        on,
    });
    Ok(())
}

/// Adds classes to the group's weekly timetable, all or none.
pub async fn add_classes(
    uow: &mut Uow<'_>,
    specs: &[ClassSpec],
) -> Result<Vec<Uuid>, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let ids = repo::insert_classes(uow.db(), me.group_id, specs, uow.now()).await?;
    uow.record(TimetableEvent::ClassesAdded {
        group: me.group_id,
        classes: ids.clone(),
    });
    Ok(ids)
}

/// Adds one class to the group's weekly timetable (the form's «Сохранить»).
pub async fn add_class(uow: &mut Uow<'_>, spec: &ClassSpec) -> Result<Uuid, TimetableError> {
    let ids = add_classes(uow, std::slice::from_ref(spec)).await?;
    ids.into_iter().next().ok_or(TimetableError::ClassNotFound)
}

/// Changes one field of a class of the group; returns the class as it is now.
pub async fn edit_class(
    uow: &mut Uow<'_>,
    class: Uuid,
    value: &FieldValue,
) -> Result<ClassSpec, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = repo::class_in_group(uow.db(), me.group_id, class)
        .await?
        .ok_or(TimetableError::ClassNotFound)?;
    let spec = stored.spec.with(value.clone())?;
    repo::update_class(uow.db(), class, &spec).await?;
    uow.record(TimetableEvent::ClassEdited {
        group: me.group_id,
        class,
        subject: spec.subject.as_str().to_owned(),
    });
    Ok(spec)
}

/// Adds the classes read from a calendar file, with the dates each does not meet on
/// (`cancelled`: the class's index in `specs` and the date), all or none. Nobody is told: the
/// timetable is being defined, nothing changes under anyone's feet.
pub async fn import_classes(
    uow: &mut Uow<'_>,
    specs: &[ClassSpec],
    cancelled: &[(usize, NaiveDate)],
) -> Result<Vec<Uuid>, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let ids = repo::insert_classes(uow.db(), me.group_id, specs, uow.now()).await?;
    let changes: Vec<DateChange> = cancelled
        .iter()
        .filter_map(|&(index, date)| {
            Some(DateChange {
                id: Uuid::new_v4(),
                class: Some(*ids.get(index)?),
                on_date: date,
                kind: ChangeKind::Cancel,
            })
        })
        .collect();
    repo::insert_changes(uow.db(), me.group_id, &changes, uow.now()).await?;
    uow.record(TimetableEvent::Imported {
        group: me.group_id,
        classes: ids.clone(),
        cancelled: changes.len(),
    });
    Ok(ids)
}

/// Deletes a class of the group with its changes; returns its subject.
pub async fn delete_class(uow: &mut Uow<'_>, class: Uuid) -> Result<String, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = repo::class_in_group(uow.db(), me.group_id, class)
        .await?
        .ok_or(TimetableError::ClassNotFound)?;
    for change in repo::changes_of_class(uow.db(), class).await? {
        crate::notifications::outbox::delete_pending(uow.db(), &announce_prefix(change)).await?;
        crate::notifications::outbox::delete_pending(uow.db(), &chat_prefix(change)).await?;
    }
    repo::delete_class(uow.db(), class).await?;
    let subject = stored.spec.subject.as_str().to_owned();
    uow.record(TimetableEvent::ClassDeleted {
        group: me.group_id,
        class,
        subject: subject.clone(),
    });
    Ok(subject)
}

/// Sets the acting member's own subgroup (`None`: not chosen, every class shown).
pub async fn set_my_subgroup(
    uow: &mut Uow<'_>,
    subgroup: Option<Subgroup>,
) -> Result<(), TimetableError> {
    let me = uow.member(|_| true).await?;
    set_subgroup_of(uow, me.group_id, me.user_id, subgroup).await
}

/// The leader sets the subgroup of the membership `member` of their group.
pub async fn set_member_subgroup(
    uow: &mut Uow<'_>,
    member: Uuid,
    subgroup: Option<Subgroup>,
) -> Result<(), TimetableError> {
    let me = uow.member(Role::is_leader).await?;
    let user = repo::member_user(uow.db(), me.group_id, member)
        .await?
        .ok_or(TimetableError::MemberNotFound)?;
    set_subgroup_of(uow, me.group_id, user, subgroup).await
}

/// Refuses anyone but the leader of a group with the membership `member`, before the choice.
pub async fn may_set_member_subgroup(
    conn: &impl ConnectionTrait,
    user: i64,
    member: Uuid,
) -> Result<(), TimetableError> {
    let viewer = viewer(conn, user).await?;
    if !viewer.role.is_leader() {
        return Err(crate::members::service::AccessError::Forbidden.into());
    }
    repo::member_user(conn, viewer.group_id, member)
        .await?
        .ok_or(TimetableError::MemberNotFound)?;
    Ok(())
}

async fn set_subgroup_of(
    uow: &mut Uow<'_>,
    group: Uuid,
    user: i64,
    subgroup: Option<Subgroup>,
) -> Result<(), TimetableError> {
    let member = repo::membership_id(uow.db(), group, user)
        .await?
        .ok_or(crate::members::service::AccessError::NotInGroup)?;
    repo::set_subgroup(uow.db(), member, group, user, subgroup).await?;
    uow.record(TimetableEvent::SubgroupSet {
        group,
        user,
        subgroup: subgroup.map(Subgroup::number),
    });
    Ok(())
}

/// Cancels `class` on `date` (a date it meets on).
pub async fn cancel(
    uow: &mut Uow<'_>,
    class: Uuid,
    date: NaiveDate,
) -> Result<DateChange, TimetableError> {
    change_class(uow, class, date, ChangeKind::Cancel).await
}

/// Moves `class` from `date` (a date it meets on) to another date, pair and room.
pub async fn move_class(
    uow: &mut Uow<'_>,
    class: Uuid,
    date: NaiveDate,
    to: &MoveSpec,
) -> Result<DateChange, TimetableError> {
    change_class(uow, class, date, ChangeKind::Move(to.clone())).await
}

async fn change_class(
    uow: &mut Uow<'_>,
    class: Uuid,
    date: NaiveDate,
    kind: ChangeKind,
) -> Result<DateChange, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let stored = repo::class_in_group(uow.db(), me.group_id, class)
        .await?
        .ok_or(TimetableError::ClassNotFound)?;
    let (semester, _) = repo::semester(uow.db(), me.group_id).await?;
    if !schedule::meets(&stored, semester.as_ref(), date) {
        return Err(TimetableError::NotOnThatDate);
    }
    if let ChangeKind::Move(to) = &kind
        && !semester.is_some_and(|s| s.contains(to.date))
    {
        return Err(TimetableError::OutsideSemester);
    }
    let change = DateChange {
        id: Uuid::new_v4(),
        class: Some(class),
        on_date: date,
        kind,
    };
    match repo::insert_change(uow.db(), me.group_id, &change, uow.now()).await {
        Err(err) if storage::is_unique_violation(&err) => {
            return Err(TimetableError::AlreadyChanged);
        }
        other => other?,
    }
    let mut dates = vec![date];
    if let ChangeKind::Move(to) = &change.kind {
        dates.push(to.date);
    }
    let tell = affected(uow, me.group_id, me.user_id, stored.spec.subgroup, &dates).await?;
    let subject = stored.spec.subject.as_str().to_owned();
    let pair = stored.spec.pair.number();
    let text = TimetableEvent::change_text(&subject, date, pair, &change.kind);
    post_to_chat(uow, me.group_id, change.id, &dates, text.clone()).await?;
    announce_later(uow, change.id, &tell, text).await?;
    uow.record(TimetableEvent::DateChanged {
        group: me.group_id,
        change: change.id,
        class: Some(class),
        subject,
        on_date: date,
        pair,
        kind: change.kind.clone(),
        recipients: tell.now(),
    });
    Ok(change)
}

/// Adds an extra class on a date of the semester.
pub async fn add_extra(uow: &mut Uow<'_>, extra: &ExtraSpec) -> Result<DateChange, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let (semester, _) = repo::semester(uow.db(), me.group_id).await?;
    if !semester.is_some_and(|s| s.contains(extra.date)) {
        return Err(TimetableError::OutsideSemester);
    }
    let change = DateChange {
        id: Uuid::new_v4(),
        class: None,
        on_date: extra.date,
        kind: ChangeKind::Extra(extra.clone()),
    };
    repo::insert_change(uow.db(), me.group_id, &change, uow.now()).await?;
    let tell = affected(uow, me.group_id, me.user_id, extra.subgroup, &[extra.date]).await?;
    let subject = extra.subject.as_str().to_owned();
    let pair = extra.pair.number();
    let text = TimetableEvent::change_text(&subject, extra.date, pair, &change.kind);
    post_to_chat(uow, me.group_id, change.id, &[extra.date], text.clone()).await?;
    announce_later(uow, change.id, &tell, text).await?;
    uow.record(TimetableEvent::DateChanged {
        group: me.group_id,
        change: change.id,
        class: None,
        subject,
        on_date: extra.date,
        pair,
        kind: change.kind.clone(),
        recipients: tell.now(),
    });
    Ok(change)
}

/// Removes an extra class (a change of the group); the members whose next seven days held it
/// are told.
pub async fn remove_extra(uow: &mut Uow<'_>, change: Uuid) -> Result<ExtraSpec, TimetableError> {
    let me = uow.member(Role::can_manage).await?;
    let extra = repo::change_in_group(uow.db(), me.group_id, change)
        .await?
        .and_then(|stored| match stored.kind {
            ChangeKind::Extra(extra) => Some(extra),
            _ => None,
        })
        .ok_or(TimetableError::ClassNotFound)?;
    repo::delete_change(uow.db(), change).await?;
    // Not announced yet (further ahead than the window): withdrawn, and nobody is told.
    let withdrawn =
        crate::notifications::outbox::delete_pending(uow.db(), &announce_prefix(change)).await?;
    let recipients = match withdrawn {
        0 => affected(uow, me.group_id, me.user_id, extra.subgroup, &[extra.date])
            .await?
            .now(),
        _ => Vec::new(),
    };
    // The chat likewise: a post still waiting is withdrawn, one made is followed by another.
    let unposted =
        crate::notifications::outbox::delete_pending(uow.db(), &chat_prefix(change)).await?;
    if unposted == 0 {
        let text = crate::notifications::Text::new("timetable-notice-extra-removed")
            .user("subject", extra.subject.as_str())
            .date("date", extra.date)
            .num("pair", extra.pair.number());
        post_to_chat(uow, me.group_id, Uuid::new_v4(), &[extra.date], text).await?;
    }
    uow.record(TimetableEvent::ExtraRemoved {
        group: me.group_id,
        change,
        subject: extra.subject.as_str().to_owned(),
        on_date: extra.date,
        pair: extra.pair.number(),
        recipients,
    });
    Ok(extra)
}
