//! The member list as the screens read it: a page of the group's members sorted by last name,
//! every member for an export, one member's card.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::access::{AccessError, Member, Role, require};
use super::name::PersonName;
use super::service::MemberError;
use crate::groups::Timezone;
use crate::storage::entities::{groupmembers, groups, users};

/// Members shown on one page of the list.
pub const PAGE_SIZE: usize = 10;

/// One member of a group, as lists, cards and exports show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberInfo {
    /// The membership (`groupmembers.id`): what buttons carry.
    pub id: Uuid,
    pub user_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    /// Only once the member entered their ФИО.
    pub middle_name: Option<String>,
    pub username: Option<String>,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

impl MemberInfo {
    /// `user` is always there (memberships cascade with users); without it the id stands in.
    pub(super) fn new(member: groupmembers::Model, user: Option<users::Model>) -> Self {
        let (first_name, last_name, middle_name, username) = match user {
            Some(user) => (
                user.first_name,
                user.last_name,
                user.middle_name.filter(|_| user.has_full_name),
                user.telegram_username,
            ),
            None => (member.user_id.to_string(), None, None, None),
        };
        Self {
            id: member.id,
            user_id: member.user_id,
            role: Role::of(&member),
            joined_at: member.joined_at,
            first_name,
            last_name,
            middle_name,
            username,
        }
    }

    /// «Фамилия Имя Отчество» — the ФИО if entered, else the Telegram name.
    pub fn name(&self) -> PersonName<'_> {
        PersonName::new(
            self.last_name.as_deref(),
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }

    /// The day the member joined, in the group's time zone.
    pub fn joined_on(&self, zone: Timezone) -> NaiveDate {
        self.joined_at.with_timezone(&zone.tz()).date_naive()
    }

    /// By last name, then first and middle name, ignoring case; «ё» sorts with «е».
    fn sort_key(&self) -> (String, String, String, String, i64) {
        fn fold(text: &str) -> String {
            text.to_lowercase().replace('ё', "е")
        }
        let last = self
            .last_name
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(&self.first_name);
        (
            fold(last),
            fold(&self.first_name),
            fold(self.middle_name.as_deref().unwrap_or_default()),
            self.name().full().to_lowercase(),
            self.user_id,
        )
    }
}

/// A group with all its members, sorted.
#[derive(Debug, Clone)]
pub struct Roster {
    /// The acting user, as stored right now.
    pub viewer: Member,
    pub group_name: String,
    pub timezone: Timezone,
    pub members: Vec<MemberInfo>,
}

/// One page of the member list.
#[derive(Debug, Clone)]
pub struct MemberPage {
    pub viewer: Member,
    pub group_name: String,
    pub total: usize,
    /// Zero-based, clamped to the pages there are.
    pub page: i64,
    pub pages: i64,
    /// The 1-based position of the first member on this page.
    pub first_position: usize,
    pub members: Vec<MemberInfo>,
}

/// A member of the acting leader's group, for their card.
#[derive(Debug, Clone)]
pub struct MemberCard {
    pub group_name: String,
    pub timezone: Timezone,
    pub member: MemberInfo,
    /// The leader is looking at himself.
    pub is_self: bool,
}

/// A page of the acting user's group's members (any role may look), sorted by last name.
pub async fn list(
    db: &DatabaseConnection,
    actor: i64,
    page: i64,
) -> Result<MemberPage, MemberError> {
    let roster = load_roster(db, actor, |_| true).await?;
    let total = roster.members.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = usize::try_from(page).unwrap_or(0).min(pages - 1);
    let first = page * PAGE_SIZE;
    let members = roster
        .members
        .into_iter()
        .skip(first)
        .take(PAGE_SIZE)
        .collect();
    Ok(MemberPage {
        viewer: roster.viewer,
        group_name: roster.group_name,
        total,
        page: page as i64,
        pages: pages as i64,
        first_position: first + 1,
        members,
    })
}

/// Every member of the acting user's group, for an export (leader and assistants).
pub async fn roster(db: &DatabaseConnection, actor: i64) -> Result<Roster, MemberError> {
    load_roster(db, actor, Role::can_manage).await
}

async fn load_roster(
    db: &DatabaseConnection,
    actor: i64,
    allowed: fn(Role) -> bool,
) -> Result<Roster, MemberError> {
    let viewer = require(db, actor, allowed).await?;
    let group = group(db, viewer.group_id)
        .await?
        .ok_or(AccessError::NotInGroup)?;
    let mut members: Vec<MemberInfo> = groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(viewer.group_id))
        .find_also_related(users::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(member, user)| MemberInfo::new(member, user))
        .collect();
    members.sort_by_cached_key(MemberInfo::sort_key);
    Ok(Roster {
        viewer,
        timezone: Timezone::stored(&group.timezone),
        group_name: group.name,
        members,
    })
}

/// The card of `member` (a membership id), for the leader of that member's group.
pub async fn card(
    db: &DatabaseConnection,
    actor: i64,
    member: Uuid,
) -> Result<MemberCard, MemberError> {
    let leader = require(db, actor, Role::is_leader).await?;
    let (row, user) = groupmembers::Entity::find_by_id(member)
        .filter(groupmembers::Column::GroupId.eq(leader.group_id))
        .find_also_related(users::Entity)
        .one(db)
        .await?
        .ok_or(MemberError::NotFound)?;
    let group = group(db, leader.group_id)
        .await?
        .ok_or(MemberError::NotFound)?;
    Ok(MemberCard {
        timezone: Timezone::stored(&group.timezone),
        group_name: group.name,
        is_self: row.user_id == actor,
        member: MemberInfo::new(row, user),
    })
}

async fn group(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<groups::Model>, sea_orm::DbErr> {
    groups::Entity::find_by_id(id).one(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(last: Option<&str>, first: &str, user_id: i64) -> MemberInfo {
        MemberInfo {
            id: Uuid::nil(),
            user_id,
            first_name: first.to_owned(),
            last_name: last.map(str::to_owned),
            middle_name: None,
            username: None,
            role: Role::Member,
            joined_at: Utc::now(),
        }
    }

    #[test]
    fn sorts_by_last_then_first_name_ignoring_case_with_yo_as_ye() {
        let mut members = [
            info(Some("Жуков"), "Жан", 1),
            info(Some("ёжиков"), "Ефим", 2),
            info(Some("Егоров"), "Егор", 3),
            info(None, "Борис", 4),
            info(Some("Васильева"), "Галина", 5),
            info(Some("васильева"), "Вера", 6),
            info(Some("Abbot"), "Zed", 7),
        ];
        members.sort_by_cached_key(MemberInfo::sort_key);
        let names: Vec<String> = members.iter().map(|m| m.name().full()).collect();
        assert_eq!(
            names,
            [
                "Abbot Zed",
                "Борис",
                "васильева Вера",
                "Васильева Галина",
                "Егоров Егор",
                "ёжиков Ефим",
                "Жуков Жан",
            ]
        );
    }

    #[test]
    fn dates_are_local_to_the_group() {
        let mut member = info(Some("Иванов"), "Иван", 1);
        member.joined_at = DateTime::parse_from_rfc3339("2026-09-01T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let on = |zone: &str| member.joined_on(Timezone::stored(zone)).to_string();
        assert_eq!(on("Europe/Moscow"), "2026-09-02");
        assert_eq!(on("America/New_York"), "2026-09-01");
    }
}
