//! The rules for members: the leader's actions on the member list (assistants, removal,
//! leadership), leaving a group and the profile (ФИО, language) — use cases that run in a unit
//! of work ([`Uow`]) — and the profile screen's read. No Telegram types here.
//!
//! A role change locks the memberships it reads (see [`repo`](super::repo)), so of a transfer
//! and the target leaving at once exactly one wins and the group keeps one leader.

use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait};
use uuid::Uuid;

pub use super::access::{
    AccessError, Member, Membership, Role, Viewer, member, membership, require, viewer,
};
use super::events::{InGroup, MemberEvent, Subject};
use super::repo;
pub use super::repo::{audience, reachable_members};
pub use super::roster::{
    MemberCard, MemberInfo, MemberPage, PAGE_SIZE, Roster, card, list, roster,
};
pub use super::users::{Arrival, TelegramProfile, arrive, register, set_blocked};
use super::{Fio, Language, PersonName};
use crate::notifications::reminders;
use crate::storage::entities::{groupmembers, users};
use crate::uow::{Uow, use_case_error};

use_case_error! {
    /// Why a member-list, role or profile action was refused before anything changed.
    pub enum MemberError {
        /// The target is not (or no longer) a member of the acting user's group.
        #[error("no such member in the actor's group")]
        NotFound,
        /// The leader tried to demote, remove or hand leadership to himself.
        #[error("the leader cannot do this to himself")]
        SelfAction,
        #[error("the member is already an assistant")]
        AlreadyAssistant,
        #[error("the member is not an assistant")]
        NotAssistant,
        /// A group always has a leader: leadership is transferred, or the group deleted, first.
        #[error("the leader cannot leave the group")]
        LeaderCannotLeave,
    }
}

/// What a change of a membership did, for the reply.
#[derive(Debug, Clone)]
pub struct MemberChange {
    pub group_id: Uuid,
    pub group_name: String,
    /// The member acted upon, as they are after the change (before it, for an ending).
    pub member: MemberInfo,
}

impl MemberChange {
    fn group(&self) -> InGroup {
        InGroup {
            id: self.group_id,
            name: self.group_name.clone(),
        }
    }

    fn subject(&self) -> Subject {
        Subject {
            membership: self.member.id,
            user: self.member.user_id,
            name: self.member.name().full(),
        }
    }
}

/// The acting user of `uow`: a person, never the system.
fn acting_user(uow: &Uow<'_>) -> Result<i64, AccessError> {
    uow.actor().ok_or(AccessError::NotInGroup)
}

/// The acting user's membership, locked, if their role passes `allowed`.
async fn locked_actor(uow: &Uow<'_>, allowed: fn(Role) -> bool) -> Result<Member, AccessError> {
    repo::locked_member(uow.db(), acting_user(uow)?, allowed).await
}

/// The change to `member` of the acting member's group.
async fn change_of(
    uow: &Uow<'_>,
    actor: &Member,
    member: groupmembers::Model,
) -> Result<MemberChange, DbErr> {
    Ok(MemberChange {
        group_id: actor.group_id,
        group_name: repo::group_name(uow.db(), actor.group_id).await?,
        member: repo::member_info(uow.db(), member).await?,
    })
}

// ----- use cases: the leader's actions ------------------------------------------------------

/// The leader makes `member` an assistant (`assistant`), or takes the role from them.
pub async fn set_assistant(
    uow: &mut Uow<'_>,
    member: Uuid,
    assistant: bool,
) -> Result<MemberChange, MemberError> {
    let leader = locked_actor(uow, Role::is_leader).await?;
    let mut target = repo::lock_target(uow.db(), &leader, member).await?;
    if target.is_assistant == assistant {
        return Err(if assistant {
            MemberError::AlreadyAssistant
        } else {
            MemberError::NotAssistant
        });
    }
    let role = if assistant {
        Role::Assistant
    } else {
        Role::Member
    };
    repo::set_role(uow.db(), groupmembers::Column::Id.eq(target.id), role).await?;
    target.is_assistant = assistant;
    let change = change_of(uow, &leader, target).await?;
    uow.record(MemberEvent::AssistantSet {
        group: change.group(),
        member: change.subject(),
        assistant,
    });
    Ok(change)
}

/// The leader removes `member` from the group; their pending reminders go with them.
pub async fn remove_member(uow: &mut Uow<'_>, member: Uuid) -> Result<MemberChange, MemberError> {
    let leader = locked_actor(uow, Role::is_leader).await?;
    let target = repo::lock_target(uow.db(), &leader, member).await?;
    let change = change_of(uow, &leader, target).await?;
    repo::end_membership(uow.db(), &change.member, true).await?;
    reminders::cancel_for_member(uow.db(), change.member.user_id).await?;
    uow.record(MemberEvent::Removed {
        group: change.group(),
        member: change.subject(),
    });
    Ok(change)
}

/// The leader hands leadership to `member` and becomes an assistant.
pub async fn transfer_leadership(
    uow: &mut Uow<'_>,
    member: Uuid,
) -> Result<MemberChange, MemberError> {
    let leader = locked_actor(uow, Role::is_leader).await?;
    let mut target = repo::lock_target(uow.db(), &leader, member).await?;
    let db = uow.db();
    repo::set_role(
        db,
        groupmembers::Column::UserId.eq(leader.user_id),
        Role::Assistant,
    )
    .await?;
    repo::set_role(db, groupmembers::Column::Id.eq(target.id), Role::Leader).await?;
    target.is_leader = true;
    target.is_assistant = false;
    let change = change_of(uow, &leader, target).await?;
    let from_name = repo::name_of(uow.db(), leader.user_id).await?;
    uow.record(MemberEvent::LeadershipTransferred {
        group: change.group(),
        from: leader.user_id,
        from_name,
        to: change.subject(),
    });
    Ok(change)
}

// ----- use cases: the member's own ----------------------------------------------------------

/// The acting user leaves their group; the leader cannot (they transfer leadership or delete
/// the group). Their pending reminders go; the leader is told.
pub async fn leave(uow: &mut Uow<'_>) -> Result<MemberChange, MemberError> {
    let me = locked_actor(uow, |_| true).await?;
    if me.role.is_leader() {
        return Err(MemberError::LeaderCannotLeave);
    }
    let row = repo::membership_of(uow.db(), me.user_id)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let change = change_of(uow, &me, row).await?;
    repo::end_membership(uow.db(), &change.member, false).await?;
    reminders::cancel_for_member(uow.db(), me.user_id).await?;
    let leader = repo::leader_of(uow.db(), me.group_id).await?;
    uow.record(MemberEvent::Left {
        group: change.group(),
        member: change.subject(),
        leader,
    });
    Ok(change)
}

/// Stores the acting user's ФИО; from now on registration no longer copies names from
/// Telegram.
pub async fn set_full_name(uow: &mut Uow<'_>, fio: &Fio) -> Result<(), MemberError> {
    let user = acting_user(uow)?;
    if !repo::set_names(uow.db(), user, fio).await? {
        return Err(DbErr::RecordNotFound(format!("user {user}")).into());
    }
    let group = member(uow.db(), user).await?.map(|m| m.group_id);
    uow.record(MemberEvent::FullNameSet {
        user,
        group,
        last: fio.last().to_owned(),
        first: fio.first().to_owned(),
        middle: fio.middle().map(str::to_owned),
    });
    Ok(())
}

/// Stores the interface language the acting user chose (`None`: follow the Telegram client).
pub async fn set_language(
    uow: &mut Uow<'_>,
    language: Option<Language>,
) -> Result<(), MemberError> {
    let user = acting_user(uow)?;
    let code = language.map(Language::code);
    if !repo::set_language(uow.db(), user, code).await? {
        return Err(DbErr::RecordNotFound(format!("user {user}")).into());
    }
    uow.record(MemberEvent::LanguageSet {
        user,
        language: code.map(str::to_owned),
    });
    Ok(())
}

// ----- reads --------------------------------------------------------------------------------

/// What the profile screen shows.
#[derive(Debug, Clone)]
pub struct Profile {
    pub full_name: String,
    /// The name is the user's ФИО (else it is their Telegram name).
    pub has_full_name: bool,
    /// The language chosen in the profile (`None`: Telegram's).
    pub language: Option<String>,
    pub membership: Option<Membership>,
}

pub async fn profile(db: &DatabaseConnection, user: i64) -> Result<Profile, DbErr> {
    let stored = users::Entity::find_by_id(user)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {user}")))?;
    Ok(Profile {
        full_name: PersonName::of(&stored).full(),
        has_full_name: stored.has_full_name,
        language: stored.language,
        membership: membership(db, user).await?,
    })
}
