//! Texts and inline keyboards of the admin panel and of the change history.

use chrono::{DateTime, Utc};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use crate::admin::Audience;
use crate::admin::access::CodeInfo;
use crate::admin::history::Subject;
use crate::admin::service::{GroupCard, GroupsPage, History, Stats};
use crate::groups::Timezone;
use crate::members::Role;
use crate::telegram::callback;
use crate::telegram::texts::{Args, Locale};

fn button(locale: Locale, text_id: &str, action: &Action) -> InlineKeyboardButton {
    callback::button(locale.text(text_id), action)
}

fn back_to_panel(locale: Locale) -> Vec<InlineKeyboardButton> {
    vec![button(locale, "admin-btn-back", &Action::Panel)]
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `at` in `zone`, as `dd.mm.yyyy hh:mm`.
pub fn local_time(at: DateTime<Utc>, zone: Timezone) -> String {
    at.with_timezone(&zone.tz())
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The one pager (`kit::pager`) under a paginated list; empty when there is one page.
fn pager(page: u64, pages: u64, at: impl Fn(u32) -> Action) -> Vec<InlineKeyboardButton> {
    let page = usize::try_from(page).unwrap_or(usize::MAX);
    let pages = usize::try_from(pages).unwrap_or(usize::MAX);
    crate::telegram::kit::pager(page, pages, at).unwrap_or_default()
}

pub fn panel(locale: Locale) -> (String, InlineKeyboardMarkup) {
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(locale, "admin-btn-stats", &Action::Stats)],
        vec![
            button(locale, "admin-btn-groups", &Action::Groups { page: 0 }),
            button(locale, "admin-btn-search", &Action::Search),
        ],
        vec![
            button(
                locale,
                "admin-btn-broadcast-all",
                &Action::Broadcast {
                    audience: Audience::All,
                },
            ),
            button(
                locale,
                "admin-btn-broadcast-leaders",
                &Action::Broadcast {
                    audience: Audience::Leaders,
                },
            ),
        ],
        vec![button(locale, "admin-btn-log", &Action::Log { page: 0 })],
        vec![button(locale, "admin-btn-codes", &Action::Codes)],
    ]);
    (locale.text("admin-panel"), keyboard)
}

pub fn stats(locale: Locale, stats: &Stats) -> (String, InlineKeyboardMarkup) {
    let text = locale.text_with(
        "admin-stats",
        &Args::new()
            .num("users", count(stats.users))
            .num("groups", count(stats.groups))
            .num("events", count(stats.events))
            .num("active", count(stats.active_7d)),
    );
    (text, InlineKeyboardMarkup::new([back_to_panel(locale)]))
}

/// The group list; `search` is the searched text, if this is a search's result.
pub fn groups(
    locale: Locale,
    page: &GroupsPage,
    search: Option<&str>,
) -> (String, InlineKeyboardMarkup) {
    let text = match search {
        Some(search) => locale.text_with(
            "admin-search-result",
            &Args::new()
                .user("query", search)
                .num("count", count(page.total)),
        ),
        None => locale.text_with("admin-groups", &Args::new().num("count", count(page.total))),
    };
    let mut rows: Vec<Vec<InlineKeyboardButton>> = page
        .groups
        .iter()
        .map(|group| {
            let label = locale.text_with(
                "admin-group-row",
                &Args::new()
                    .plain("name", &group.name)
                    .num("members", count(group.members)),
            );
            vec![callback::button(label, &Action::Group { group: group.id })]
        })
        .collect();
    if search.is_none() {
        let pages = pager(page.page, page.pages, |page| Action::Groups { page });
        if !pages.is_empty() {
            rows.push(pages);
        }
    }
    rows.push(vec![button(locale, "admin-btn-search", &Action::Search)]);
    rows.push(back_to_panel(locale));
    (text, InlineKeyboardMarkup::new(rows))
}

fn role_label(locale: Locale, role: Role) -> String {
    locale.text(match role {
        Role::Leader => "admin-role-leader",
        Role::Assistant => "admin-role-assistant",
        Role::Member => "admin-role-member",
    })
}

pub fn group_card(locale: Locale, card: &GroupCard) -> (String, InlineKeyboardMarkup) {
    let members: Vec<String> = card
        .members
        .iter()
        .map(|m| {
            format!(
                "• {} — {}",
                crate::telegram::escape::html(&m.name),
                role_label(locale, m.role)
            )
        })
        .collect();
    let text = locale.text_with(
        "admin-group-card",
        &Args::new()
            .user("name", &card.name)
            .user("timezone", card.timezone.name())
            .plain("created", &local_time(card.created_at, card.timezone))
            .num("members", count(card.member_count))
            .num("events", count(card.event_count)),
    );
    let text = if members.is_empty() {
        text
    } else {
        format!("{text}\n\n{}", members.join("\n"))
    };
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            locale,
            "admin-btn-group-log",
            &Action::GroupLog {
                group: card.id,
                page: 0,
            },
        )],
        vec![button(
            locale,
            "admin-btn-delete-group",
            &Action::Delete { group: card.id },
        )],
        vec![button(
            locale,
            "admin-btn-groups",
            &Action::Groups { page: 0 },
        )],
    ]);
    (text, keyboard)
}

pub fn delete_confirmation(locale: Locale, card: &GroupCard) -> (String, InlineKeyboardMarkup) {
    let text = locale.text_with(
        "admin-delete-confirm",
        &Args::new()
            .user("name", &card.name)
            .num("members", count(card.member_count)),
    );
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            locale,
            "admin-btn-delete-confirm",
            &Action::DeleteConfirmed { group: card.id },
        )],
        vec![button(
            locale,
            "admin-btn-cancel",
            &Action::Group { group: card.id },
        )],
    ]);
    (text, keyboard)
}

pub fn broadcast_preview(
    locale: Locale,
    audience: Audience,
    message: &str,
) -> (String, InlineKeyboardMarkup) {
    let audience = locale.text(match audience {
        Audience::All => "admin-audience-all",
        Audience::Leaders => "admin-audience-leaders",
    });
    let text = locale.text_with(
        "admin-broadcast-preview",
        &Args::new().plain("audience", &audience),
    );
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            locale,
            "admin-btn-broadcast-send",
            &Action::BroadcastSend,
        )],
        vec![button(locale, "admin-btn-cancel", &Action::BroadcastCancel)],
    ]);
    (format!("{text}\n\n{message}"), keyboard)
}

/// A readable name for a change-log action (`group.create` → «создание группы»); the code
/// itself for an action without a text.
pub fn action_name(locale: Locale, action: &str) -> String {
    let id = format!("history-action-{}", action.replace(['.', '_'], "-"));
    let text = locale.text(&id);
    if text.is_empty() || text == id || text.contains("Unknown localization") {
        crate::telegram::escape::html(action)
    } else {
        text
    }
}

/// What a change was about, after its action's name: « · очередь «Защита лаб»».
fn subject(locale: Locale, subject: Option<&Subject>) -> String {
    let (id, title) = match subject {
        Some(Subject::Event(title)) => ("history-about-event", title),
        Some(Subject::Queue(title)) => (
            "history-about-queue",
            &crate::telegram::queues::render::title(locale, title),
        ),
        Some(Subject::TopicList(title)) => ("history-about-topics", title),
        Some(Subject::Homework(title)) => ("history-about-homework", title),
        None => return String::new(),
    };
    format!(
        " · {}",
        locale.text_with(id, &Args::new().user("title", title))
    )
}

fn history_text(locale: Locale, history: &History, now: DateTime<Utc>) -> String {
    let header = match &history.group {
        Some((_, name)) => {
            let zone = crate::telegram::groups::render::zone_label(locale, history.timezone, now);
            locale.text_with(
                "history-header",
                &Args::new().user("name", name).plain("timezone", &zone),
            )
        }
        None => locale.text("admin-log-header"),
    };
    if history.entries.is_empty() {
        return format!("{header}\n\n{}", locale.text("history-empty"));
    }
    let lines: Vec<String> = history
        .entries
        .iter()
        .map(|entry| {
            let who = entry.actor.as_deref().map_or_else(
                || locale.text("history-system"),
                crate::telegram::escape::html,
            );
            format!(
                "{} — {} — {}{}",
                local_time(entry.at, history.timezone),
                who,
                action_name(locale, &entry.action),
                subject(locale, entry.subject.as_ref()),
            )
        })
        .collect();
    format!("{header}\n\n{}", lines.join("\n"))
}

/// The leader's history of their own group.
pub fn group_history(
    locale: Locale,
    history: &History,
    now: DateTime<Utc>,
) -> (String, InlineKeyboardMarkup) {
    let mut rows = Vec::new();
    let pages = pager(history.page, history.pages, |page| Action::History { page });
    if !pages.is_empty() {
        rows.push(pages);
    }
    rows.push(vec![callback::button(
        locale.text("settings-btn-back"),
        &crate::telegram::groups::Action::Settings,
    )]);
    (
        history_text(locale, history, now),
        InlineKeyboardMarkup::new(rows),
    )
}

/// The change log in the panel: everything, or one group's.
pub fn admin_log(
    locale: Locale,
    history: &History,
    now: DateTime<Utc>,
) -> (String, InlineKeyboardMarkup) {
    let mut rows = Vec::new();
    let group = history.group.as_ref().map(|(id, _)| *id);
    let pages = pager(history.page, history.pages, |page| match group {
        Some(group) => Action::GroupLog { group, page },
        None => Action::Log { page },
    });
    if !pages.is_empty() {
        rows.push(pages);
    }
    if let Some(group) = group {
        rows.push(vec![button(
            locale,
            "admin-btn-back-group",
            &Action::Group { group },
        )]);
    }
    rows.push(back_to_panel(locale));
    (
        history_text(locale, history, now),
        InlineKeyboardMarkup::new(rows),
    )
}

fn code_line(locale: Locale, code: &CodeInfo) -> String {
    let kind = locale.text(if code.one_time {
        "admin-code-one-time"
    } else {
        "admin-code-reusable"
    });
    let expires = code.expires_at.map_or_else(
        || locale.text("admin-code-no-expiry"),
        |at| local_time(at, Timezone::from(chrono_tz::Tz::UTC)),
    );
    locale.text_with(
        "admin-code-line",
        &Args::new()
            .plain("id", &short_id(code.id))
            .plain("kind", &kind)
            .plain("expires", &expires),
    )
}

/// The first 8 hex digits of an id: enough to tell codes apart on one screen.
fn short_id(id: Uuid) -> String {
    id.simple().to_string().chars().take(8).collect()
}

/// The codes screen; `new_code` is a code just created, shown this once.
pub fn codes(
    locale: Locale,
    codes: &[CodeInfo],
    new_code: Option<&str>,
) -> (String, InlineKeyboardMarkup) {
    let mut text = locale.text_with("admin-codes", &Args::new().num("count", codes.len() as i64));
    for code in codes {
        text.push('\n');
        text.push_str(&code_line(locale, code));
    }
    if let Some(code) = new_code {
        let shown = locale.text_with("admin-code-created", &Args::new().user("code", code));
        text = format!("{shown}\n\n{text}");
    }
    let mut rows = vec![vec![
        button(
            locale,
            "admin-btn-code-one-time",
            &Action::CodeCreate { one_time: true },
        ),
        button(
            locale,
            "admin-btn-code-reusable",
            &Action::CodeCreate { one_time: false },
        ),
    ]];
    for code in codes {
        let label = locale.text_with(
            "admin-btn-code-deactivate",
            &Args::new().plain("id", &short_id(code.id)),
        );
        rows.push(vec![callback::button(
            label,
            &Action::CodeDeactivate { code: code.id },
        )]);
    }
    rows.push(back_to_panel(locale));
    (text, InlineKeyboardMarkup::new(rows))
}

/// Under a question that waits for typed text: back to the panel.
pub fn back_only(locale: Locale) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([back_to_panel(locale)])
}
