//! «🙋 Мои очереди и темы»: the member's places at a glance — where they stand in each queue,
//! which topic they took — and, under them, the open queues to join and the topic lists to
//! pick from, one press away.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::action::Action;
use crate::queues::places::{self, MyQueue};
use crate::telegram::callback;
use crate::telegram::events::render::{clip, format_date};
use crate::telegram::kit::{Flow, label};
use crate::telegram::screen::{self, Target};
use crate::telegram::topics::Action as TopicAction;
use crate::telegram::{Args, Branch, Ctx, HandlerResult, Locale, MenuButton, Session, common, kit};
use crate::topics::reads::{self as topics, MyList};

/// How much of a title a button shows.
const BUTTON_TITLE: usize = 40;

/// The main-menu button «🙋 Мои очереди и темы».
pub fn branch() -> Branch {
    kit::menu_button(MenuButton::MyPlaces).endpoint(|ctx: Ctx, session: Session| async move {
        let flow = show(&ctx, &session, Target::New(session.chat)).await;
        finish(&ctx, &session, flow).await
    })
}

async fn finish(ctx: &Ctx, session: &Session, flow: Flow) -> HandlerResult {
    match flow {
        Ok(_) => Ok(()),
        Err(stop) => {
            let text = stop.message(session.locale)?;
            common::show_menu_with(ctx, session, &text).await
        }
    }
}

/// The screen, at `target`.
pub async fn show(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let now = ctx.notifier.now();
    let viewer = session.viewer()?;
    let queues = places::mine(&ctx.db, &viewer, now).await?;
    let lists = topics::mine(&ctx.db, &viewer, now).await?;
    let locale = session.locale;
    let text = render(locale, &queues, &lists);
    screen::show(ctx, target, &text, keyboard(locale, &queues, &lists)).await?;
    Ok(None)
}

fn render(locale: Locale, queues: &[MyQueue], lists: &[MyList]) -> String {
    let mut lines = vec![locale.text("mine-title")];
    if queues.is_empty() && lists.is_empty() {
        lines.push(locale.text("mine-empty"));
    }
    for queue in queues {
        let args = Args::new()
            .user("queue", &super::render::title(locale, &queue.title))
            .user("event", &queue.event_title)
            .user("date", &format_date(queue.event_date));
        lines.push(match queue.place {
            Some((place, total)) => locale.text_with(
                "mine-queue-place",
                &args
                    .num("place", i64::from(place))
                    .num("total", i64::from(total)),
            ),
            None => locale.text_with("mine-queue-open", &args),
        });
    }
    for list in lists {
        let args = Args::new()
            .user("list", &list.title)
            .user("event", &list.event_title)
            .user("date", &format_date(list.event_date));
        lines.push(match &list.pick {
            Some((topic, confirmed)) => locale.text_with(
                "mine-topic-picked",
                &args
                    .user("topic", topic)
                    .num("confirmed", i64::from(*confirmed)),
            ),
            None => locale.text_with("mine-topic-open", &args),
        });
    }
    lines.join("\n\n")
}

fn keyboard(locale: Locale, queues: &[MyQueue], lists: &[MyList]) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for queue in queues {
        let title = clip(&super::render::title(locale, &queue.title), BUTTON_TITLE);
        let button = match queue.place {
            Some((place, _)) => {
                let args = Args::new()
                    .plain("queue", &title)
                    .num("place", i64::from(place));
                let text = locale.text_with("mine-btn-queue", &args);
                callback::button(
                    text,
                    &Action::Open {
                        queue: queue.queue_id,
                    },
                )
            }
            None => {
                let text = locale.text_with("mine-btn-join", &Args::new().plain("queue", &title));
                callback::button(
                    text,
                    &Action::Join {
                        queue: queue.queue_id,
                    },
                )
            }
        };
        rows.push(vec![button]);
    }
    for list in lists {
        let title = clip(&list.title, BUTTON_TITLE);
        let text = locale.text_with("mine-btn-topics", &Args::new().plain("list", &title));
        rows.push(vec![callback::button(
            text,
            &TopicAction::Open { list: list.list_id },
        )]);
    }
    rows.push(vec![label(locale, "mine-btn-refresh", Action::Mine)]);
    InlineKeyboardMarkup::new(rows)
}
