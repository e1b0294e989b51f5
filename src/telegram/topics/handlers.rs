//! The Telegram side of topic lists: the forms (attach a list, add topics — typed or as a
//! `.txt` document), the topic browser (pick, change, withdraw), and the leader's distribution
//! (confirm, reject, remove topics, delete the list, CSV export).
//!
//! Navigation edits the pressed message in place; every callback query is answered (a refusal
//! with a toast). Buttons carry ids, never permissions: the service checks every press.

use futures::StreamExt;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{
    Document, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ParseMode, ReplyMarkup,
};
use uuid::Uuid;

use super::form::TopicForm;
use crate::members::csv::Csv;
use crate::notifications::{Kind, Note, Notice, Screen, Text};
use crate::telegram::callback::{self, CallbackAction, Reader, Writer, button};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::errors::UserFacing;
use crate::telegram::screen::{self, Target};
use crate::telegram::{
    Args, Branch, Ctx, HandlerError, HandlerResult, Locale, Session, common, keyboards as menus,
    send,
};
use crate::topics::input::{
    Capacity, DocumentError, ListTitle, MAX_DOCUMENT_BYTES, TopicLines, document_text,
};
use crate::topics::service::{
    self, Browser, Decided, DistTopic, Distribution, Removed, TopicError,
};

/// Topics per page of the browser and the distribution.
pub const PAGE_SIZE: usize = 10;
/// The most pages a button may name (200 topics / 10).
const MAX_PAGE: i64 = 100;
/// A screen's text is cut below Telegram's 4096 characters (emoji count twice there).
const MAX_SCREEN_CHARS: usize = 3600;
/// Titles on buttons are cut to this many characters.
const BUTTON_CHARS: usize = 40;

/// Inline buttons of topic lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show the topic list (the browser, first page).
    Open { list: Uuid },
    /// Attach a new topic list to the event (leader/assistant).
    Create { event: Uuid },
    /// A page of the browser.
    Page { list: Uuid, page: u32 },
    /// Pick a topic (the browser stays at `page`).
    Pick { topic: Uuid, page: u32 },
    /// The viewer's own choice.
    Mine { list: Uuid },
    /// Give up one's unconfirmed pick.
    Unpick { list: Uuid },
    /// The distribution (leader/assistant) at a page.
    Dist { list: Uuid, page: u32 },
    /// One topic's picks with confirm/reject buttons.
    Topic { topic: Uuid },
    /// Confirm one pick.
    Confirm { selection: Uuid },
    /// Confirm every pick of the list.
    ConfirmAll { list: Uuid },
    /// Reject a pick.
    Reject { selection: Uuid },
    /// The CSV export.
    Export { list: Uuid },
    /// Add topics (asks for them).
    Add { list: Uuid },
    /// The topics of a page as remove buttons.
    RemoveMenu { list: Uuid, page: u32 },
    /// Remove a topic: asks to confirm.
    Remove { topic: Uuid },
    /// Remove a topic: confirmed.
    RemoveConfirmed { topic: Uuid },
    /// Delete the list: asks to confirm.
    Delete { list: Uuid },
    /// Delete the list: confirmed.
    DeleteConfirmed { list: Uuid },
}

fn read_page(fields: &mut Reader<'_>) -> Option<u32> {
    u32::try_from(fields.int(0..=MAX_PAGE)?).ok()
}

impl CallbackAction for Action {
    const PREFIX: &'static str = "t";

    fn write(&self, out: &mut Writer) {
        match self {
            Action::Open { list } => out.tag("o").uuid(*list),
            Action::Create { event } => out.tag("n").uuid(*event),
            Action::Page { list, page } => out.tag("p").uuid(*list).int(i64::from(*page)),
            Action::Pick { topic, page } => out.tag("k").uuid(*topic).int(i64::from(*page)),
            Action::Mine { list } => out.tag("m").uuid(*list),
            Action::Unpick { list } => out.tag("u").uuid(*list),
            Action::Dist { list, page } => out.tag("d").uuid(*list).int(i64::from(*page)),
            Action::Topic { topic } => out.tag("v").uuid(*topic),
            Action::Confirm { selection } => out.tag("c").uuid(*selection),
            Action::ConfirmAll { list } => out.tag("ca").uuid(*list),
            Action::Reject { selection } => out.tag("r").uuid(*selection),
            Action::Export { list } => out.tag("x").uuid(*list),
            Action::Add { list } => out.tag("a").uuid(*list),
            Action::RemoveMenu { list, page } => out.tag("rm").uuid(*list).int(i64::from(*page)),
            Action::Remove { topic } => out.tag("rt").uuid(*topic),
            Action::RemoveConfirmed { topic } => out.tag("ry").uuid(*topic),
            Action::Delete { list } => out.tag("dl").uuid(*list),
            Action::DeleteConfirmed { list } => out.tag("dy").uuid(*list),
        };
    }

    fn read(fields: &mut Reader<'_>) -> Option<Self> {
        Some(match fields.tag()? {
            "o" => Action::Open {
                list: fields.uuid()?,
            },
            "n" => Action::Create {
                event: fields.uuid()?,
            },
            "p" => Action::Page {
                list: fields.uuid()?,
                page: read_page(fields)?,
            },
            "k" => Action::Pick {
                topic: fields.uuid()?,
                page: read_page(fields)?,
            },
            "m" => Action::Mine {
                list: fields.uuid()?,
            },
            "u" => Action::Unpick {
                list: fields.uuid()?,
            },
            "d" => Action::Dist {
                list: fields.uuid()?,
                page: read_page(fields)?,
            },
            "v" => Action::Topic {
                topic: fields.uuid()?,
            },
            "c" => Action::Confirm {
                selection: fields.uuid()?,
            },
            "ca" => Action::ConfirmAll {
                list: fields.uuid()?,
            },
            "r" => Action::Reject {
                selection: fields.uuid()?,
            },
            "x" => Action::Export {
                list: fields.uuid()?,
            },
            "a" => Action::Add {
                list: fields.uuid()?,
            },
            "rm" => Action::RemoveMenu {
                list: fields.uuid()?,
                page: read_page(fields)?,
            },
            "rt" => Action::Remove {
                topic: fields.uuid()?,
            },
            "ry" => Action::RemoveConfirmed {
                topic: fields.uuid()?,
            },
            "dl" => Action::Delete {
                list: fields.uuid()?,
            },
            "dy" => Action::DeleteConfirmed {
                list: fields.uuid()?,
            },
            _ => return None,
        })
    }
}

/// Messages: the steps of the topic-list forms.
pub fn branch() -> Branch {
    dptree::filter_map(|session: Session| match session.dialogue {
        Dialogue::Topics(form) => Some(form),
        _ => None,
    })
    .endpoint(on_form_message)
}

/// Inline buttons with prefix `t`.
pub fn callbacks() -> Branch {
    callback::filter::<Action>().endpoint(on_action)
}

// ----- outcomes -----------------------------------------------------------------------------

enum Stop {
    Refused(TopicError),
    Failed(HandlerError),
}

impl From<TopicError> for Stop {
    fn from(err: TopicError) -> Self {
        Stop::Refused(err)
    }
}

impl From<HandlerError> for Stop {
    fn from(err: HandlerError) -> Self {
        Stop::Failed(err)
    }
}

impl From<sea_orm::DbErr> for Stop {
    fn from(err: sea_orm::DbErr) -> Self {
        Stop::Failed(err.into())
    }
}

impl From<teloxide::RequestError> for Stop {
    fn from(err: teloxide::RequestError) -> Self {
        Stop::Failed(err.into())
    }
}

/// `Ok(Some(toast))` answers a callback with a toast.
type Flow = Result<Option<String>, Stop>;

/// Toasts are plain text of at most 200 characters.
fn toast(text: &str) -> String {
    cut(&plain_text(text), 190)
}

/// HTML as plain text: tags dropped, entities unescaped.
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `text` cut to `max` characters, with «…» when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn label(locale: Locale, id: &str, action: Action) -> InlineKeyboardButton {
    button(locale.text(id), &action)
}

/// Joins `lines` under `head` while the text stays below [`MAX_SCREEN_CHARS`]; the rest is
/// replaced by «…».
fn fit(head: String, lines: &[String]) -> String {
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

fn pages_of(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

fn clamp_page(page: u32, count: usize) -> usize {
    (page as usize).min(pages_of(count) - 1)
}

/// ◀️ / ▶️ between pages, as far as there are pages.
fn nav_row(page: usize, pages: usize, to: impl Fn(u32) -> Action) -> Vec<InlineKeyboardButton> {
    let mut row = Vec::new();
    if page > 0 {
        row.push(button("◀️", &to(page as u32 - 1)));
    }
    if page + 1 < pages {
        row.push(button("▶️", &to(page as u32 + 1)));
    }
    row
}

// ----- inline buttons -----------------------------------------------------------------------

async fn on_action(
    ctx: Ctx,
    session: Session,
    query: CallbackQuery,
    action: Action,
) -> HandlerResult {
    let target = Target::of_query(&query, session.chat);
    let toast_text = match run_action(&ctx, &session, &query, target, action).await {
        Ok(text) => text,
        Err(Stop::Refused(err)) => Some(err.user_message(session.locale)?),
        Err(Stop::Failed(err)) => {
            if matches!(err, HandlerError::Telegram(_)) {
                let _ = screen::answer(&ctx, &query, None).await;
            }
            return Err(err);
        }
    };
    let toast_text = toast_text.map(|t| toast(&t));
    screen::answer(&ctx, &query, toast_text.as_deref()).await
}

async fn run_action(
    ctx: &Ctx,
    session: &Session,
    query: &CallbackQuery,
    target: Target,
    action: Action,
) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::Open { list } => show_browser(ctx, session, target, list, 0).await,
        Action::Page { list, page } => show_browser(ctx, session, target, list, page).await,
        Action::Create { event } => {
            let stored = service::may_create(&ctx.db, user, event).await?;
            save_form(ctx, session, TopicForm::Title { event }).await?;
            let text = locale.text_with(
                "topics-ask-title",
                &Args::new()
                    .user("event", &stored.title)
                    .num("max", ListTitle::MAX_CHARS as i64),
            );
            say(ctx, session, &text, Some(menus::cancel_only(locale))).await
        }
        Action::Pick { topic, page } => {
            let outcome = service::pick(&ctx.db, user, topic).await;
            let (list, toast) = match outcome {
                Ok(picked) => {
                    let text = match &picked.replaced {
                        Some(old) => locale.text_with(
                            "topics-picked-replaced",
                            &Args::new().plain("title", &picked.title).plain("old", old),
                        ),
                        None => locale
                            .text_with("topics-picked", &Args::new().plain("title", &picked.title)),
                    };
                    crate::telegram::chats::live::touch(
                        ctx,
                        crate::chats::LiveKind::Topics,
                        picked.list,
                    )
                    .await;
                    (picked.list, text)
                }
                Err(
                    err @ (TopicError::Full { .. }
                    | TopicError::AlreadyYours { .. }
                    | TopicError::Confirmed { .. }),
                ) => {
                    // Show the list as it is now, with the reason.
                    let text = err.user_message(locale)?;
                    let list = topic_list_of(ctx, topic).await?;
                    (list, text)
                }
                Err(err) => return Err(err.into()),
            };
            show_browser(ctx, session, target, list, page).await?;
            Ok(Some(toast))
        }
        Action::Mine { list } => show_mine(ctx, session, target, list).await,
        Action::Unpick { list } => {
            let title = service::unpick(&ctx.db, user, list).await?;
            crate::telegram::chats::live::touch(ctx, crate::chats::LiveKind::Topics, list).await;
            show_browser(ctx, session, target, list, 0).await?;
            Ok(Some(locale.text_with(
                "topics-unpicked",
                &Args::new().plain("title", &title),
            )))
        }
        Action::Dist { list, page } => show_distribution(ctx, session, target, list, page).await,
        Action::Topic { topic } => show_topic(ctx, session, target, topic).await,
        Action::Confirm { selection } => {
            let told = |d: &Decided| vec![tell(d, "topics-confirmed-notice")];
            let now = ctx.notifier.now();
            let decided = service::confirm(&ctx.db, user, selection, now, told).await?;
            ctx.deliver(&decided.notices).await;
            show_topic(ctx, session, target, decided.topic).await?;
            Ok(Some(locale.text("topics-confirmed-toast")))
        }
        Action::ConfirmAll { list } => {
            let told = |d: &Decided| vec![tell(d, "topics-confirmed-notice")];
            let now = ctx.notifier.now();
            let confirmed = service::confirm_all(&ctx.db, user, list, now, told).await?;
            ctx.deliver(&confirmed.notices).await;
            show_distribution(ctx, session, target, list, 0).await?;
            Ok(Some(locale.text_with(
                "topics-confirmed-all-toast",
                &Args::new().num("count", confirmed.decided.len() as i64),
            )))
        }
        Action::Reject { selection } => {
            let told = |d: &Decided| vec![tell(d, "topics-rejected-notice")];
            let now = ctx.notifier.now();
            let decided = service::reject(&ctx.db, user, selection, now, told).await?;
            crate::telegram::chats::live::touch(ctx, crate::chats::LiveKind::Topics, decided.list)
                .await;
            ctx.deliver(&decided.notices).await;
            show_topic(ctx, session, target, decided.topic).await?;
            Ok(Some(locale.text("topics-rejected-toast")))
        }
        Action::Export { list } => export(ctx, session, list).await,
        Action::Add { list } => {
            let stored = service::editable(&ctx.db, user, list).await?;
            save_form(ctx, session, TopicForm::AddTopics { list }).await?;
            let text = locale.text_with(
                "topics-ask-more",
                &Args::new()
                    .user("title", &stored.title)
                    .num("max", TopicLines::MAX_TOPICS as i64)
                    .num("chars", TopicLines::MAX_CHARS as i64),
            );
            say(ctx, session, &text, Some(menus::cancel_only(locale))).await
        }
        Action::RemoveMenu { list, page } => {
            let browser = service::browse(&ctx.db, user, list).await?;
            service::editable(&ctx.db, user, list).await?;
            let page = clamp_page(page, browser.topics.len());
            let mut rows: Vec<Vec<InlineKeyboardButton>> = browser
                .topics
                .iter()
                .enumerate()
                .skip(page * PAGE_SIZE)
                .take(PAGE_SIZE)
                .map(|(i, t)| {
                    let text = format!("🗑 {}. {}", i + 1, cut(&t.title, BUTTON_CHARS));
                    vec![button(text, &Action::Remove { topic: t.id })]
                })
                .collect();
            rows.push(nav_row(page, pages_of(browser.topics.len()), |page| {
                Action::RemoveMenu { list, page }
            }));
            rows.push(vec![label(
                locale,
                "topics-btn-back-dist",
                Action::Dist {
                    list,
                    page: page as u32,
                },
            )]);
            let text = locale.text("topics-remove-choose");
            screen::show(ctx, target, &text, InlineKeyboardMarkup::new(rows)).await?;
            Ok(None)
        }
        Action::Remove { topic } => {
            let (list, picks) = service::topic_picks(&ctx.db, user, topic).await?;
            let text = locale.text_with(
                "topics-remove-confirm",
                &Args::new()
                    .user("title", &picks.title)
                    .num("count", picks.picks.len() as i64),
            );
            let keyboard = InlineKeyboardMarkup::new(vec![
                vec![label(
                    locale,
                    "topics-btn-remove-yes",
                    Action::RemoveConfirmed { topic },
                )],
                vec![label(
                    locale,
                    "topics-btn-back-dist",
                    Action::Dist {
                        list: list.id,
                        page: 0,
                    },
                )],
            ]);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::RemoveConfirmed { topic } => {
            let told = |removed: &Removed| {
                let text = Text::new("topics-removed-notice")
                    .user("title", &removed.title)
                    .user("list", &removed.list_title);
                removed
                    .students
                    .iter()
                    .map(|&student| notice(student, removed.list, text.clone()))
                    .collect()
            };
            let now = ctx.notifier.now();
            let removed = service::remove_topic(&ctx.db, user, topic, now, told).await?;
            ctx.deliver(&removed.notices).await;
            show_distribution(ctx, session, target, removed.list, 0).await?;
            Ok(Some(locale.text("topics-removed-toast")))
        }
        Action::Delete { list } => {
            let stored = service::editable(&ctx.db, user, list).await?;
            let text = locale.text_with(
                "topics-delete-confirm",
                &Args::new().user("title", &stored.title),
            );
            let keyboard = InlineKeyboardMarkup::new(vec![
                vec![label(
                    locale,
                    "topics-btn-delete-yes",
                    Action::DeleteConfirmed { list },
                )],
                vec![label(
                    locale,
                    "topics-btn-back-dist",
                    Action::Dist { list, page: 0 },
                )],
            ]);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::DeleteConfirmed { list } => {
            let deleted = service::delete_list(&ctx.db, user, list).await?;
            let text =
                locale.text_with("topics-deleted", &Args::new().user("title", &deleted.title));
            let keyboard = InlineKeyboardMarkup::new(vec![vec![button(
                locale.text("topics-btn-back-event"),
                &crate::telegram::events::Action::Open {
                    event: deleted.event,
                },
            )]]);
            screen::show(ctx, target, &text, keyboard).await?;
            let _ = query;
            Ok(None)
        }
    }
}

/// The list a topic belongs to (for showing the browser after a refused pick).
async fn topic_list_of(ctx: &Ctx, topic: Uuid) -> Result<Uuid, Stop> {
    use sea_orm::EntityTrait;
    let topic = crate::storage::entities::topics::Entity::find_by_id(topic)
        .one(&ctx.db)
        .await?
        .ok_or(TopicError::NotFound)?;
    Ok(topic.topic_list_id)
}

/// A notice to `student` about list `list`: the text `id` with `args`, in their language, with
/// a button to open the list.
fn notice(student: i64, list: Uuid, text: Text) -> Notice {
    let note = Note::new(text).button("topics-btn-open", Screen::TopicList(list));
    Notice::new(student, Kind::Notice, note)
}

/// The student is told about a decision on their pick.
fn tell(decided: &Decided, id: &'static str) -> Notice {
    let text = Text::new(id)
        .user("title", &decided.topic_title)
        .user("list", &decided.list_title);
    notice(decided.student, decided.list, text)
}

// ----- screens ------------------------------------------------------------------------------

fn browser_text(locale: Locale, browser: &Browser, page: usize) -> String {
    let capacity = browser.list.max_participants_per_topic.max(0) as u32;
    let pages = pages_of(browser.topics.len());
    let mut head = locale.text_with(
        "topics-browser-title",
        &Args::new()
            .user("title", &browser.list.title)
            .user("event", &browser.event.title)
            .num("capacity", i64::from(capacity))
            .num("count", browser.topics.len() as i64)
            .num("page", page as i64 + 1)
            .num("pages", pages as i64),
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
    let lines: Vec<String> = browser
        .topics
        .iter()
        .enumerate()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(i, t)| {
            let free = capacity.saturating_sub(t.taken);
            let state = if free == 0 {
                locale.text("topics-state-taken")
            } else {
                locale.text_with(
                    "topics-state-free",
                    &Args::new()
                        .num("free", i64::from(free))
                        .num("capacity", i64::from(capacity)),
                )
            };
            let mark = match t.mine {
                Some(true) => "✅ ",
                Some(false) => "👉 ",
                None => "",
            };
            locale.text_with(
                "topics-browser-line",
                &Args::new()
                    .num("n", i as i64 + 1)
                    .plain("mark", mark)
                    .user("title", &t.title)
                    .plain("state", &state),
            )
        })
        .collect();
    fit(head, &lines)
}

fn browser_keyboard(locale: Locale, browser: &Browser, page: usize) -> InlineKeyboardMarkup {
    let list = browser.list.id;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = browser
        .topics
        .iter()
        .enumerate()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(i, t)| {
            let mark = match t.mine {
                Some(true) => "✅ ",
                Some(false) => "👉 ",
                None => "",
            };
            let text = format!("{mark}{}. {}", i + 1, cut(&t.title, BUTTON_CHARS));
            vec![button(
                text,
                &Action::Pick {
                    topic: t.id,
                    page: page as u32,
                },
            )]
        })
        .collect();
    rows.push(nav_row(page, pages_of(browser.topics.len()), |page| {
        Action::Page { list, page }
    }));
    rows.push(vec![label(
        locale,
        "topics-btn-mine",
        Action::Mine { list },
    )]);
    if browser.viewer.role.can_manage() {
        rows.push(vec![label(
            locale,
            "topics-btn-distribution",
            Action::Dist { list, page: 0 },
        )]);
        rows.push(vec![crate::telegram::chats::render::publish_button(
            locale,
            crate::telegram::chats::Action::Publish {
                kind: crate::chats::LiveKind::Topics,
                target: list,
            },
        )]);
    }
    rows.push(vec![button(
        locale.text("topics-btn-back-event"),
        &crate::telegram::events::Action::Open {
            event: browser.event.id,
        },
    )]);
    rows.retain(|row| !row.is_empty());
    InlineKeyboardMarkup::new(rows)
}

async fn show_browser(ctx: &Ctx, session: &Session, target: Target, list: Uuid, page: u32) -> Flow {
    let browser = service::browse(&ctx.db, session.user_id, list).await?;
    let page = clamp_page(page, browser.topics.len());
    let text = browser_text(session.locale, &browser, page);
    let keyboard = browser_keyboard(session.locale, &browser, page);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn show_mine(ctx: &Ctx, session: &Session, target: Target, list: Uuid) -> Flow {
    let locale = session.locale;
    let browser = service::browse(&ctx.db, session.user_id, list).await?;
    let mut rows = Vec::new();
    let text = match browser.my_pick() {
        Some((title, true)) => locale.text_with(
            "topics-my-choice-confirmed",
            &Args::new()
                .user("title", title)
                .user("list", &browser.list.title),
        ),
        Some((title, false)) => {
            rows.push(vec![label(
                locale,
                "topics-btn-unpick",
                Action::Unpick { list },
            )]);
            locale.text_with(
                "topics-my-choice-pending",
                &Args::new()
                    .user("title", title)
                    .user("list", &browser.list.title),
            )
        }
        None => locale.text_with(
            "topics-my-choice-none",
            &Args::new().user("list", &browser.list.title),
        ),
    };
    rows.push(vec![label(
        locale,
        "topics-btn-back-list",
        Action::Open { list },
    )]);
    screen::show(ctx, target, &text, InlineKeyboardMarkup::new(rows)).await?;
    Ok(None)
}

fn pick_line(locale: Locale, pick: &service::Pick) -> String {
    let username = pick
        .username
        .as_deref()
        .map(|u| format!(" @{u}"))
        .unwrap_or_default();
    locale.text_with(
        if pick.confirmed {
            "topics-dist-pick-confirmed"
        } else {
            "topics-dist-pick-pending"
        },
        &Args::new()
            .user("name", &pick.name)
            .user("username", &username),
    )
}

fn distribution_text(locale: Locale, dist: &Distribution, page: usize) -> String {
    let capacity = dist.list.max_participants_per_topic.max(0);
    let pages = pages_of(dist.topics.len());
    let picked: usize = dist.topics.iter().map(|t| t.picks.len()).sum();
    let confirmed: usize = dist
        .topics
        .iter()
        .flat_map(|t| &t.picks)
        .filter(|p| p.confirmed)
        .count();
    let head = locale.text_with(
        "topics-dist-title",
        &Args::new()
            .user("title", &dist.list.title)
            .num("picked", picked as i64)
            .num("confirmed", confirmed as i64)
            .num("page", page as i64 + 1)
            .num("pages", pages as i64),
    );
    let mut lines = Vec::new();
    for (i, topic) in dist
        .topics
        .iter()
        .enumerate()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
    {
        lines.push(
            locale.text_with(
                "topics-dist-topic",
                &Args::new()
                    .num("n", i as i64 + 1)
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
    let mut rows: Vec<Vec<InlineKeyboardButton>> = dist
        .topics
        .iter()
        .enumerate()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .filter(|(_, t)| !t.picks.is_empty())
        .map(|(i, t)| {
            let text = format!("👥 {}. {}", i + 1, cut(&t.title, BUTTON_CHARS));
            vec![button(text, &Action::Topic { topic: t.id })]
        })
        .collect();
    rows.push(nav_row(page, pages_of(dist.topics.len()), |page| {
        Action::Dist { list, page }
    }));
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
        label(
            locale,
            "topics-btn-remove",
            Action::RemoveMenu {
                list,
                page: page as u32,
            },
        ),
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

async fn show_distribution(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    list: Uuid,
    page: u32,
) -> Flow {
    let dist = service::distribution(&ctx.db, session.user_id, list).await?;
    let page = clamp_page(page, dist.topics.len());
    let text = distribution_text(session.locale, &dist, page);
    let keyboard = distribution_keyboard(session.locale, &dist, page);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

fn topic_keyboard(locale: Locale, list: Uuid, topic: &DistTopic) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    for pick in &topic.picks {
        let name = cut(&pick.name, 30);
        let mut row = Vec::new();
        if !pick.confirmed {
            row.push(button(
                locale.text_with("topics-btn-confirm", &Args::new().plain("name", &name)),
                &Action::Confirm {
                    selection: pick.selection,
                },
            ));
        }
        row.push(button(
            locale.text_with("topics-btn-reject", &Args::new().plain("name", &name)),
            &Action::Reject {
                selection: pick.selection,
            },
        ));
        rows.push(row);
    }
    rows.push(vec![label(
        locale,
        "topics-btn-back-dist",
        Action::Dist { list, page: 0 },
    )]);
    InlineKeyboardMarkup::new(rows)
}

async fn show_topic(ctx: &Ctx, session: &Session, target: Target, topic: Uuid) -> Flow {
    let locale = session.locale;
    let (list, topic) = service::topic_picks(&ctx.db, session.user_id, topic).await?;
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
    let text = fit(head, &lines);
    screen::show(ctx, target, &text, topic_keyboard(locale, list.id, &topic)).await?;
    Ok(None)
}

/// The CSV export: topic, student, username, confirmed, picked at (group time zone).
async fn export(ctx: &Ctx, session: &Session, list: Uuid) -> Flow {
    let locale = session.locale;
    let dist = service::distribution(&ctx.db, session.user_id, list).await?;
    let zone: chrono_tz::Tz = dist.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
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
                if pick.confirmed {
                    yes.clone()
                } else {
                    no.clone()
                },
                pick.at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ]);
        }
    }
    let bytes = csv.into_bytes();
    let file_name = format!("topics-{}.csv", file_safe(&dist.list.title));
    let picked: usize = dist.topics.iter().map(|t| t.picks.len()).sum();
    let caption = locale.text_with(
        "topics-export-caption",
        &Args::new()
            .user("title", &cut(&dist.list.title, 100))
            .num("count", picked as i64),
    );
    send::with_retries(|| {
        ctx.bot
            .send_document(
                session.chat,
                InputFile::memory(bytes.clone()).file_name(file_name.clone()),
            )
            .caption(caption.clone())
            .parse_mode(ParseMode::Html)
            .send()
    })
    .await?;
    Ok(None)
}

/// Letters, digits, `-` and `_` of a title, for a file name.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if safe.is_empty() {
        "list".to_owned()
    } else {
        safe
    }
}

// ----- the forms ----------------------------------------------------------------------------

async fn say(ctx: &Ctx, session: &Session, text: &str, markup: Option<ReplyMarkup>) -> Flow {
    send::html(&ctx.bot, session.chat, text, markup).await?;
    Ok(None)
}

async fn explain(ctx: &Ctx, session: &Session, err: impl UserFacing) -> Flow {
    let text = err.user_message(session.locale)?;
    say(ctx, session, &text, None).await
}

async fn save_form(ctx: &Ctx, session: &Session, form: TopicForm) -> Result<(), Stop> {
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Topics(form)).await?;
    Ok(())
}

async fn on_form_message(
    ctx: Ctx,
    session: Session,
    message: Message,
    form: TopicForm,
) -> HandlerResult {
    let flow = step(&ctx, &session, &message, form).await;
    match flow {
        Ok(_) => Ok(()),
        Err(Stop::Refused(err)) => {
            // The form cannot go on (the role changed, the event or list is gone): leave it.
            let text = err.user_message(session.locale)?;
            dialogue::clear(&ctx.db, session.user_id).await?;
            let mut session = session.clone();
            session.dialogue = Dialogue::Idle;
            session.membership =
                crate::members::service::membership(&ctx.db, session.user_id).await?;
            common::show_menu_with(&ctx, &session, &text).await
        }
        Err(Stop::Failed(err)) => Err(err),
    }
}

async fn step(ctx: &Ctx, session: &Session, message: &Message, form: TopicForm) -> Flow {
    let locale = session.locale;
    let topics_text = if form.wants_topics() {
        match (message.text(), message.document()) {
            (Some(text), _) => Some(text.to_owned()),
            (None, Some(document)) => match read_document(ctx, document).await? {
                Ok(text) => Some(text),
                Err(err) => return explain(ctx, session, err).await,
            },
            (None, None) => return say(ctx, session, &locale.text("topics-not-text"), None).await,
        }
    } else {
        None
    };
    let Some(text) = topics_text.as_deref().or(message.text()) else {
        return say(ctx, session, &locale.text("topics-not-text"), None).await;
    };
    match form {
        TopicForm::Title { event } => match ListTitle::parse(text) {
            Ok(title) => {
                save_form(ctx, session, TopicForm::Capacity { event, title }).await?;
                let text = locale.text_with(
                    "topics-ask-capacity",
                    &Args::new()
                        .num("min", i64::from(Capacity::MIN))
                        .num("max", i64::from(Capacity::MAX)),
                );
                say(ctx, session, &text, None).await
            }
            Err(err) => explain(ctx, session, err).await,
        },
        TopicForm::Capacity { event, title } => match Capacity::parse(text) {
            Ok(capacity) => {
                save_form(
                    ctx,
                    session,
                    TopicForm::Topics {
                        event,
                        title,
                        capacity,
                    },
                )
                .await?;
                let text = locale.text_with(
                    "topics-ask-topics",
                    &Args::new()
                        .num("max", TopicLines::MAX_TOPICS as i64)
                        .num("chars", TopicLines::MAX_CHARS as i64)
                        .num("kib", (MAX_DOCUMENT_BYTES / 1024) as i64),
                );
                say(ctx, session, &text, None).await
            }
            Err(err) => explain(ctx, session, err).await,
        },
        TopicForm::Topics {
            event,
            title,
            capacity,
        } => {
            let lines = match TopicLines::parse(text) {
                Ok(lines) => lines,
                Err(err) => return explain(ctx, session, err).await,
            };
            let list =
                service::create_list(&ctx.db, session.user_id, event, &title, capacity, &lines)
                    .await?;
            let text = locale.text_with(
                "topics-created",
                &Args::new()
                    .user("title", &list.title)
                    .num("count", lines.len() as i64),
            );
            finish_form(ctx, session, &text, list.id).await
        }
        TopicForm::AddTopics { list } => {
            let lines = match TopicLines::parse(text) {
                Ok(lines) => lines,
                Err(err) => return explain(ctx, session, err).await,
            };
            match service::add_topics(&ctx.db, session.user_id, list, &lines).await {
                Ok((stored, total)) => {
                    let text = locale.text_with(
                        "topics-added",
                        &Args::new()
                            .user("title", &stored.title)
                            .num("count", lines.len() as i64)
                            .num("total", total as i64),
                    );
                    finish_form(ctx, session, &text, list).await
                }
                Err(err @ (TopicError::Duplicates(_) | TopicError::TooManyTopics { .. })) => {
                    explain(ctx, session, err).await
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}

/// The form is done: back to the main menu, and the list's browser as a new message.
async fn finish_form(ctx: &Ctx, session: &Session, text: &str, list: Uuid) -> Flow {
    dialogue::clear(&ctx.db, session.user_id).await?;
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, text).await?;
    show_browser(ctx, &session, Target::New(session.chat), list, 0).await
}

/// Downloads a `.txt` document (refusing big ones before downloading) and decodes it. A
/// download that fails is reported as a refusal the user may retry.
async fn read_document(
    ctx: &Ctx,
    document: &Document,
) -> Result<Result<String, DocumentError>, Stop> {
    let size = document.file.size as usize;
    if size > MAX_DOCUMENT_BYTES {
        return Ok(Err(DocumentError::TooBig {
            max_kib: MAX_DOCUMENT_BYTES / 1024,
        }));
    }
    let file = send::with_retries(|| ctx.bot.get_file(document.file.id.clone()).send()).await?;
    let mut stream = ctx.bot.download_file_stream(&file.path);
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > MAX_DOCUMENT_BYTES {
                    break;
                }
            }
            Err(err) => {
                tracing::warn!(%err, "could not download a topics document");
                return Ok(Err(DocumentError::Download));
            }
        }
    }
    Ok(document_text(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::callback::{MAX_BYTES, decode, encode};

    fn every_action() -> Vec<Action> {
        let id = Uuid::from_u128(u128::MAX);
        let page = MAX_PAGE as u32;
        vec![
            Action::Open { list: id },
            Action::Create { event: id },
            Action::Page { list: id, page },
            Action::Pick { topic: id, page },
            Action::Mine { list: id },
            Action::Unpick { list: id },
            Action::Dist { list: id, page },
            Action::Topic { topic: id },
            Action::Confirm { selection: id },
            Action::ConfirmAll { list: id },
            Action::Reject { selection: id },
            Action::Export { list: id },
            Action::Add { list: id },
            Action::RemoveMenu { list: id, page },
            Action::Remove { topic: id },
            Action::RemoveConfirmed { topic: id },
            Action::Delete { list: id },
            Action::DeleteConfirmed { list: id },
        ]
    }

    #[test]
    fn every_action_fits_and_round_trips() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            assert_eq!(decode::<Action>(&data), Some(action));
        }
    }

    #[test]
    fn forged_payloads_are_refused() {
        let id = encode(&Action::Open {
            list: Uuid::new_v4(),
        });
        let raw_id = id.rsplit('|').next().unwrap_or_default().to_owned();
        for forged in [
            "1|t".to_owned(),
            "1|t|zz".to_owned(),
            format!("1|t|o|{raw_id}|1"),
            format!("1|t|p|{raw_id}"),
            format!("1|t|p|{raw_id}|101"),
            format!("1|t|p|{raw_id}|-1"),
            format!("1|t|k|{raw_id}|01"),
            format!("1|t|c|{raw_id}x"),
            format!("1|q|o|{raw_id}"),
            format!("2|t|o|{raw_id}"),
            "1|t|o|short".to_owned(),
        ] {
            assert_eq!(decode::<Action>(&forged), None, "{forged}");
        }
    }

    #[test]
    fn long_lines_are_cut() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
        let lines: Vec<String> = (0..100).map(|_| "я".repeat(200)).collect();
        let text = fit("head".into(), &lines);
        assert!(text.chars().count() <= MAX_SCREEN_CHARS + 2);
        assert!(text.ends_with('…'));
    }

    mod exactness {
        use super::*;
        use crate::telegram::callback::testing;

        proptest::proptest! {
            #[test]
            fn forged_payloads_decode_only_to_their_own_encoding(data in testing::payloads("t", &["o", "n", "p", "k", "m", "u", "d", "v", "c", "ca", "r", "x", "a", "rm", "rt", "ry", "dl", "dy"])) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn arbitrary_strings_decode_exactly_or_not_at_all(data in proptest::prelude::any::<String>()) {
                testing::assert_exact::<Action>(&data)?;
            }

            #[test]
            fn any_action_round_trips(id in proptest::prelude::any::<u128>(), page in 0u32..=MAX_PAGE as u32) {
                let id = Uuid::from_u128(id);
                for action in every_action() {
                    let action = match action {
                        Action::Open { .. } => Action::Open { list: id },
                        Action::Create { .. } => Action::Create { event: id },
                        Action::Page { .. } => Action::Page { list: id, page },
                        Action::Pick { .. } => Action::Pick { topic: id, page },
                        Action::Mine { .. } => Action::Mine { list: id },
                        Action::Unpick { .. } => Action::Unpick { list: id },
                        Action::Dist { .. } => Action::Dist { list: id, page },
                        Action::Topic { .. } => Action::Topic { topic: id },
                        Action::Confirm { .. } => Action::Confirm { selection: id },
                        Action::ConfirmAll { .. } => Action::ConfirmAll { list: id },
                        Action::Reject { .. } => Action::Reject { selection: id },
                        Action::Export { .. } => Action::Export { list: id },
                        Action::Add { .. } => Action::Add { list: id },
                        Action::RemoveMenu { .. } => Action::RemoveMenu { list: id, page },
                        Action::Remove { .. } => Action::Remove { topic: id },
                        Action::RemoveConfirmed { .. } => Action::RemoveConfirmed { topic: id },
                        Action::Delete { .. } => Action::Delete { list: id },
                        Action::DeleteConfirmed { .. } => Action::DeleteConfirmed { list: id },
                    };
                    testing::assert_round_trip(&action)?;
                }
            }
        }
    }
}
