//! The student's screens of a topic list: the browser (pages of topics to pick, how many places
//! are free) and «⭐ Моя тема»; with the paging and cutting every topic screen shares.

use sea_orm::DatabaseConnection;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use uuid::Uuid;

use super::action::Action;
use crate::members::service::{AccessError, Viewer};
use crate::telegram::callback::button;
use crate::telegram::kit::{Flow, label};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Ctx, Locale, Session};
use crate::topics::preferences;
use crate::topics::reads::{self, Browser, TopicRow};

/// Topics per page of the browser and the distribution.
pub const PAGE_SIZE: usize = 10;
/// A screen's text is cut below Telegram's 4096 characters (emoji count twice there).
const MAX_SCREEN_CHARS: usize = 3600;
/// Titles on buttons are cut to this many characters.
pub(super) const BUTTON_CHARS: usize = 40;

// ----- paging and cutting -------------------------------------------------------------------

/// `text` cut to `max` characters, with «…» when cut.
pub(super) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Joins `lines` under `head` while the text stays below [`MAX_SCREEN_CHARS`]; the rest is
/// replaced by «…».
pub(super) fn fit(head: String, lines: &[String]) -> String {
    let mut text = head;
    for line in lines {
        if text.chars().count() + line.chars().count() + 1 > MAX_SCREEN_CHARS {
            text.push_str("\n…");
            break;
        }
        text.push('\n');
        text.push_str(line);
    }
    text
}

pub(super) fn pages_of(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

/// `page` if there is such a page of `count` items, else the last page.
pub(super) fn clamp_page(page: u32, count: usize) -> usize {
    (page as usize).min(pages_of(count) - 1)
}

/// The items of page `page`, each with its number in the whole list (from 1).
pub(super) fn on_page<T>(items: &[T], page: usize) -> impl Iterator<Item = (usize, &T)> {
    items
        .iter()
        .enumerate()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(i, item)| (i + 1, item))
}

/// The one pager (`kit::pager`) between pages.
fn nav_row(page: usize, pages: usize, to: impl Fn(u32) -> Action) -> Vec<InlineKeyboardButton> {
    crate::telegram::kit::pager(page, pages, to).unwrap_or_default()
}

/// A button per item of page `page` (`item` may skip one), then ◀️ / ▶️ (`to` a page).
pub(super) fn page_rows<T>(
    items: &[T],
    page: usize,
    item: impl Fn(usize, &T) -> Option<InlineKeyboardButton>,
    to: impl Fn(u32) -> Action,
) -> Vec<Vec<InlineKeyboardButton>> {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = on_page(items, page)
        .filter_map(|(n, it)| item(n, it))
        .map(|button| vec![button])
        .collect();
    rows.push(nav_row(page, pages_of(items.len()), to));
    rows
}

/// Where a press is answered: the presser's session, and the message a screen goes to (the
/// pressed one, or a new one).
#[derive(Clone, Copy)]
pub(super) struct Here<'a> {
    pub ctx: &'a Ctx,
    pub session: &'a Session,
    pub target: Target,
}

impl Here<'_> {
    pub fn locale(&self) -> Locale {
        self.session.locale
    }

    pub fn user(&self) -> i64 {
        self.session.user_id
    }

    /// The user looking, as this update's session read them.
    pub fn viewer(&self) -> Result<Viewer, AccessError> {
        self.session.viewer()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.ctx.db
    }

    /// Shows a screen: its text and keyboard.
    pub async fn show(&self, (text, keyboard): (String, InlineKeyboardMarkup)) -> Flow {
        screen::show(self.ctx, self.target, &text, keyboard).await?;
        Ok(None)
    }
}

/// How a topic is marked for the viewer: ✅ theirs and confirmed, 👉 theirs and pending.
fn mark(mine: Option<bool>) -> &'static str {
    match mine {
        Some(true) => "✅ ",
        Some(false) => "👉 ",
        None => "",
    }
}

// ----- the browser --------------------------------------------------------------------------

fn browser_text(locale: Locale, browser: &Browser, page: usize) -> String {
    let capacity = u32::try_from(browser.list.max_participants_per_topic).unwrap_or(0);
    let mut head = locale.text_with(
        "topics-browser-title",
        &Args::new()
            .user("title", &browser.list.title)
            .user("event", &browser.event.title)
            .num("capacity", i64::from(capacity))
            .num("count", browser.topics.len() as i64)
            .num("page", page as i64 + 1)
            .num("pages", pages_of(browser.topics.len()) as i64),
    );
    let mine = match browser.my_pick() {
        Some((title, true)) => locale.text_with(
            "topics-mine-confirmed",
            &Args::new().user("title", &cut(title, 100)),
        ),
        Some((title, false)) => locale.text_with(
            "topics-mine-pending",
            &Args::new().user("title", &cut(title, 100)),
        ),
        None => locale.text("topics-mine-none"),
    };
    head.push('\n');
    head.push_str(&mine);
    head.push('\n');
    if browser.topics.is_empty() {
        head.push('\n');
        head.push_str(&locale.text("topics-empty"));
        return head;
    }
    // The buttons show every topic's number and title (the viewer's own marked): the text
    // adds only what they cannot say — a title cut short, a topic that is full, the places
    // left where a topic takes several students.
    let lines: Vec<String> = on_page(&browser.topics, page)
        .filter_map(|(n, t)| {
            let free = capacity.saturating_sub(t.taken);
            let state = if t.mine.is_some() {
                None
            } else if free == 0 {
                Some(locale.text("topics-state-taken"))
            } else if capacity > 1 {
                Some(
                    locale.text_with(
                        "topics-state-free",
                        &Args::new()
                            .num("free", i64::from(free))
                            .num("capacity", i64::from(capacity)),
                    ),
                )
            } else {
                None
            };
            let cut_short = cut(&t.title, BUTTON_CHARS) != t.title;
            let state = match (state, cut_short) {
                (Some(state), _) => state,
                (None, true) if t.mine.is_some() => locale.text("topics-state-mine"),
                (None, true) => locale.text("topics-state-open"),
                (None, false) => return None,
            };
            Some(
                locale.text_with(
                    "topics-browser-line",
                    &Args::new()
                        .num("n", n as i64)
                        .plain("mark", mark(t.mine))
                        .user("title", &t.title)
                        .plain("state", &state),
                ),
            )
        })
        .collect();
    fit(head, &lines)
}

fn browser_keyboard(
    locale: Locale,
    browser: &Browser,
    page: usize,
    collecting: bool,
) -> InlineKeyboardMarkup {
    let list = browser.list.id;
    let pick = |n: usize, t: &TopicRow| {
        let page = page as u32;
        if collecting {
            let rank = browser.ranking.iter().position(|id| *id == t.id);
            let mark = rank.map_or_else(String::new, |r| format!("[{}] ", r + 1));
            let text = format!("{mark}{n}. {}", cut(&t.title, BUTTON_CHARS));
            return Some(button(text, &Action::Rank { topic: t.id, page }));
        }
        let text = format!("{}{n}. {}", mark(t.mine), cut(&t.title, BUTTON_CHARS));
        Some(button(text, &Action::Pick { topic: t.id, page }))
    };
    let mut rows = page_rows(&browser.topics, page, pick, |page| Action::Page {
        list,
        page,
    });
    if collecting && !browser.ranking.is_empty() {
        let clear = Action::ClearRanking { list };
        rows.push(vec![label(locale, "topics-btn-clear-ranking", clear)]);
    }
    rows.push(vec![label(
        locale,
        "topics-btn-mine",
        Action::Mine { list },
    )]);
    if browser.viewer.role.can_manage() && browser.list.allocation_seed.is_none() {
        let by_preference = Action::ByPreference { list };
        rows.push(vec![label(
            locale,
            "topics-btn-by-preference",
            by_preference,
        )]);
    }
    if browser.viewer.role.can_manage() {
        let dist = Action::Dist { list, page: 0 };
        rows.push(vec![label(locale, "topics-btn-distribution", dist)]);
        let publish = crate::telegram::chats::render::publish_button;
        rows.push(vec![publish(locale, crate::chats::LiveKind::Topics, list)]);
    }
    rows.push(vec![back_to_event(locale, browser.event.id)]);
    rows.retain(|row| !row.is_empty());
    InlineKeyboardMarkup::new(rows)
}

/// «◀️ К событию».
pub(super) fn back_to_event(locale: Locale, event: Uuid) -> InlineKeyboardButton {
    label(
        locale,
        "topics-btn-back-event",
        crate::telegram::events::Action::Open { event },
    )
}

/// The browser at `page` (the last page if there are fewer).
fn browser_screen(
    locale: Locale,
    browser: &Browser,
    page: u32,
    collecting: bool,
) -> (String, InlineKeyboardMarkup) {
    let page = clamp_page(page, browser.topics.len());
    let mut text = browser_text(locale, browser, page);
    if collecting {
        text = preference_head(locale, browser, text);
    }
    (text, browser_keyboard(locale, browser, page, collecting))
}

/// A list collecting rankings: the deadline, the rule and the viewer's ranking so far, before
/// the topics.
fn preference_head(locale: Locale, browser: &Browser, text: String) -> String {
    let deadline = browser
        .list
        .preference_deadline
        .map_or_else(String::new, |at| {
            at.with_timezone(&browser.timezone.tz())
                .format("%d.%m.%Y %H:%M")
                .to_string()
        });
    let mut head = locale.text_with(
        "topics-preference-head",
        &Args::new()
            .plain("deadline", &deadline)
            .num("choices", i64::from(browser.list.choices.unwrap_or(0))),
    );
    let ranked: Vec<String> = browser
        .ranking
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let topic = browser.topics.iter().find(|t| t.id == *id)?;
            Some(format!(
                "{}. {}",
                i + 1,
                crate::telegram::escape::html(&cut(&topic.title, 100))
            ))
        })
        .collect();
    head.push('\n');
    if ranked.is_empty() {
        head.push_str(&locale.text("topics-ranking-none"));
    } else {
        head.push_str(&locale.text("topics-ranking-mine"));
        head.push('\n');
        head.push_str(&ranked.join("\n"));
    }
    head.push_str("\n\n");
    head.push_str(&text);
    head
}

/// The browser of `list` at `page`; a list by preference whose deadline has passed is
/// assigned first.
pub(super) async fn show_browser(here: Here<'_>, list: Uuid, page: u32) -> Flow {
    let mut browser = reads::browse(here.db(), &here.viewer()?, list).await?;
    let now = here.ctx.notifier.now();
    if preferences::allocation_due(&browser.list, now) {
        here.ctx
            .write(here.user(), |uow| Box::pin(preferences::settle(uow, list)))
            .await?;
        browser = reads::browse(here.db(), &here.viewer()?, list).await?;
    }
    let collecting = preferences::collecting(&browser.list, now);
    here.show(browser_screen(here.locale(), &browser, page, collecting))
        .await
}

/// «⭐ Моя тема»: the viewer's pick, with «withdraw» while it is not confirmed.
pub(super) async fn show_mine(here: Here<'_>, list: Uuid) -> Flow {
    let locale = here.locale();
    let browser = reads::browse(here.db(), &here.viewer()?, list).await?;
    let list_title = &browser.list.title;
    let mut rows = Vec::new();
    let text = match browser.my_pick() {
        Some((title, confirmed)) => {
            if !confirmed {
                rows.push(vec![label(
                    locale,
                    "topics-btn-unpick",
                    Action::Unpick { list },
                )]);
            }
            let id = if confirmed {
                "topics-my-choice-confirmed"
            } else {
                "topics-my-choice-pending"
            };
            let args = Args::new().user("title", title).user("list", list_title);
            locale.text_with(id, &args)
        }
        None => locale.text_with(
            "topics-my-choice-none",
            &Args::new().user("list", list_title),
        ),
    };
    let back = Action::Open { list };
    rows.push(vec![label(locale, "topics-btn-back-list", back)]);
    here.show((text, InlineKeyboardMarkup::new(rows))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
        let lines: Vec<String> = (0..100).map(|_| "я".repeat(200)).collect();
        let text = fit("head".into(), &lines);
        assert!(text.chars().count() <= MAX_SCREEN_CHARS + 2);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn pages_number_their_items_in_the_whole_list() {
        let items: Vec<u32> = (0..25).collect();
        let third: Vec<usize> = on_page(&items, 2).map(|(n, _)| n).collect();
        assert_eq!(third, vec![21, 22, 23, 24, 25]);
        assert_eq!(clamp_page(7, 25), 2);
        assert_eq!(clamp_page(0, 0), 0);
    }
}
