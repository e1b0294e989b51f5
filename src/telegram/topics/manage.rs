//! The leader's screens of a topic list: the distribution (who took which topic, who has
//! none), one topic's picks with confirm/reject, the choice of a topic to remove, the
//! confirmations, and the CSV export.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use super::screens::{BUTTON_CHARS, Here, clamp_page, cut, fit, on_page, page_rows, pages_of};
use crate::members::csv::Csv;
use crate::telegram::callback::button;
use crate::telegram::kit::{Flow, label};
use crate::telegram::{Args, Locale, send};
use crate::topics::reads::{self, DistTopic, Distribution, Pick, TopicRow};

/// «◀️ К распределению».
fn back_to_distribution(locale: Locale, list: Uuid, page: usize) -> Vec<InlineKeyboardButton> {
    let page = page as u32;
    vec![label(
        locale,
        "topics-btn-back-dist",
        Action::Dist { list, page },
    )]
}

fn pick_line(locale: Locale, pick: &Pick) -> String {
    let username = pick
        .username
        .as_deref()
        .map(|u| format!(" @{u}"))
        .unwrap_or_default();
    let id = if pick.confirmed {
        "topics-dist-pick-confirmed"
    } else {
        "topics-dist-pick-pending"
    };
    let args = Args::new()
        .user("name", &pick.name)
        .user("username", &username);
    locale.text_with(id, &args)
}

fn picked_count(dist: &Distribution) -> usize {
    dist.topics.iter().map(|t| t.picks.len()).sum()
}

fn distribution_text(locale: Locale, dist: &Distribution, page: usize) -> String {
    let capacity = dist.list.max_participants_per_topic.max(0);
    let pages = pages_of(dist.topics.len());
    let confirmed = dist
        .topics
        .iter()
        .flat_map(|t| &t.picks)
        .filter(|p| p.confirmed)
        .count();
    let head = locale.text_with(
        "topics-dist-title",
        &Args::new()
            .user("title", &dist.list.title)
            .num("picked", picked_count(dist) as i64)
            .num("confirmed", confirmed as i64)
            .num("page", page as i64 + 1)
            .num("pages", pages as i64),
    );
    let mut lines = Vec::new();
    for (n, topic) in on_page(&dist.topics, page) {
        lines.push(
            locale.text_with(
                "topics-dist-topic",
                &Args::new()
                    .num("n", n as i64)
                    .user("title", &topic.title)
                    .num("taken", topic.picks.len() as i64)
                    .num("capacity", i64::from(capacity)),
            ),
        );
        if topic.picks.is_empty() {
            lines.push(locale.text("topics-dist-free"));
        }
        lines.extend(topic.picks.iter().map(|p| pick_line(locale, p)));
    }
    if page + 1 == pages {
        lines.push(String::new());
        if dist.without.is_empty() {
            lines.push(locale.text("topics-dist-everyone"));
        } else {
            lines.push(locale.text_with(
                "topics-dist-without",
                &Args::new().num("count", dist.without.len() as i64),
            ));
            lines.extend(
                dist.without
                    .iter()
                    .map(|name| format!("• {}", crate::telegram::escape::html(name))),
            );
        }
    }
    fit(head, &lines)
}

fn distribution_keyboard(locale: Locale, dist: &Distribution, page: usize) -> InlineKeyboardMarkup {
    let list = dist.list.id;
    let open = |n: usize, t: &DistTopic| {
        let text = format!("👥 {n}. {}", cut(&t.title, BUTTON_CHARS));
        (!t.picks.is_empty()).then(|| button(text, &Action::Topic { topic: t.id }))
    };
    let mut rows = page_rows(&dist.topics, page, open, |page| Action::Dist { list, page });
    let remove = Action::RemoveMenu {
        list,
        page: page as u32,
    };
    rows.push(vec![
        label(
            locale,
            "topics-btn-confirm-all",
            Action::ConfirmAll { list },
        ),
        label(locale, "topics-btn-export", Action::Export { list }),
    ]);
    rows.push(vec![
        label(locale, "topics-btn-add", Action::Add { list }),
        label(locale, "topics-btn-remove", remove),
    ]);
    rows.push(vec![label(
        locale,
        "topics-btn-delete",
        Action::Delete { list },
    )]);
    rows.push(vec![label(
        locale,
        "topics-btn-back-list",
        Action::Open { list },
    )]);
    rows.retain(|row| !row.is_empty());
    InlineKeyboardMarkup::new(rows)
}

/// «📊 Распределение» at `page` (the last page if there are fewer).
pub(super) async fn show_distribution(here: Here<'_>, list: Uuid, page: u32) -> Flow {
    let dist = reads::distribution(here.db(), here.user(), list).await?;
    let page = clamp_page(page, dist.topics.len());
    let locale = here.locale();
    here.show((
        distribution_text(locale, &dist, page),
        distribution_keyboard(locale, &dist, page),
    ))
    .await
}

fn topic_keyboard(locale: Locale, list: Uuid, topic: &DistTopic) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    for pick in &topic.picks {
        let name = cut(&pick.name, 30);
        let args = Args::new().plain("name", &name);
        let selection = pick.selection;
        let mut row = Vec::new();
        if !pick.confirmed {
            let text = locale.text_with("topics-btn-confirm", &args);
            row.push(button(text, &Action::Confirm { selection }));
        }
        let text = locale.text_with("topics-btn-reject", &args);
        row.push(button(text, &Action::Reject { selection }));
        rows.push(row);
    }
    rows.push(back_to_distribution(locale, list, 0));
    InlineKeyboardMarkup::new(rows)
}

/// One topic's picks, with «✅ confirm» and «✖️ reject» for each.
pub(super) async fn show_topic(here: Here<'_>, topic: Uuid) -> Flow {
    let locale = here.locale();
    let (list, topic) = reads::topic_picks(here.db(), here.user(), topic).await?;
    let head = locale.text_with(
        "topics-topic-title",
        &Args::new()
            .user("title", &topic.title)
            .user("list", &list.title)
            .num("taken", topic.picks.len() as i64)
            .num("capacity", i64::from(list.max_participants_per_topic)),
    );
    let mut lines: Vec<String> = topic.picks.iter().map(|p| pick_line(locale, p)).collect();
    if lines.is_empty() {
        lines.push(locale.text("topics-dist-free"));
    }
    let keyboard = topic_keyboard(locale, list.id, &topic);
    here.show((fit(head, &lines), keyboard)).await
}

/// «🗑 Удалить тему»: the topics of a page as remove buttons.
pub(super) async fn show_remove_menu(here: Here<'_>, list: Uuid, page: u32) -> Flow {
    let locale = here.locale();
    let browser = reads::browse(here.db(), &here.viewer()?, list).await?;
    reads::editable(here.db(), here.user(), list).await?;
    let page = clamp_page(page, browser.topics.len());
    let remove = |n: usize, t: &TopicRow| {
        let text = format!("🗑 {n}. {}", cut(&t.title, BUTTON_CHARS));
        Some(button(text, &Action::Remove { topic: t.id }))
    };
    let to = |page| Action::RemoveMenu { list, page };
    let mut rows = page_rows(&browser.topics, page, remove, to);
    rows.push(back_to_distribution(locale, list, page));
    let text = locale.text("topics-remove-choose");
    here.show((text, InlineKeyboardMarkup::new(rows))).await
}

/// Asks `text` with «yes» (`yes` labelled `yes_id`) and «◀️ К распределению».
async fn ask(here: Here<'_>, text: String, (yes_id, yes): (&str, Action), list: Uuid) -> Flow {
    let locale = here.locale();
    let keyboard = InlineKeyboardMarkup::new(vec![
        vec![label(locale, yes_id, yes)],
        back_to_distribution(locale, list, 0),
    ]);
    here.show((text, keyboard)).await
}

/// Removing a topic: asks first, saying how many picks go with it.
pub(super) async fn ask_remove(here: Here<'_>, topic: Uuid) -> Flow {
    let (list, picks) = reads::topic_picks(here.db(), here.user(), topic).await?;
    let text = here.locale().text_with(
        "topics-remove-confirm",
        &Args::new()
            .user("title", &picks.title)
            .num("count", picks.picks.len() as i64),
    );
    let yes = ("topics-btn-remove-yes", Action::RemoveConfirmed { topic });
    ask(here, text, yes, list.id).await
}

/// Deleting the list: asks first.
pub(super) async fn ask_delete(here: Here<'_>, list: Uuid) -> Flow {
    let stored = reads::editable(here.db(), here.user(), list).await?;
    let args = Args::new().user("title", &stored.title);
    let text = here.locale().text_with("topics-delete-confirm", &args);
    let yes = ("topics-btn-delete-yes", Action::DeleteConfirmed { list });
    ask(here, text, yes, list).await
}

/// The CSV export: topic, student, username, confirmed, picked at (group time zone).
pub(super) async fn export(here: Here<'_>, list: Uuid) -> Flow {
    let (ctx, locale) = (here.ctx, here.locale());
    let dist = reads::distribution(here.db(), here.user(), list).await?;
    let zone = dist.timezone.tz();
    let mut csv = Csv::new();
    csv.row([
        locale.text("topics-csv-topic"),
        locale.text("topics-csv-student"),
        locale.text("topics-csv-username"),
        locale.text("topics-csv-confirmed"),
        locale.text("topics-csv-picked-at"),
    ]);
    let yes = locale.text("topics-csv-yes");
    let no = locale.text("topics-csv-no");
    for topic in &dist.topics {
        if topic.picks.is_empty() {
            csv.row([topic.title.as_str(), "", "", "", ""]);
        }
        for pick in &topic.picks {
            csv.row([
                topic.title.clone(),
                pick.name.clone(),
                pick.username.clone().unwrap_or_default(),
                (if pick.confirmed { &yes } else { &no }).clone(),
                pick.at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ]);
        }
    }
    let bytes = csv.into_bytes();
    let file_name = format!("topics-{}.csv", send::file_safe(&dist.list.title, "list"));
    let caption = locale.text_with(
        "topics-export-caption",
        &Args::new()
            .user("title", &cut(&dist.list.title, 100))
            .num("count", picked_count(&dist) as i64),
    );
    ctx.api
        .send_document(here.session.chat, &file_name, bytes, &caption)
        .await?;
    Ok(None)
}
