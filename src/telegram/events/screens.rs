//! The events screens: the month, a day, the upcoming days, the deadlines, an event card and
//! the forms' date picker. Each reads through the service and shows the result in place
//! (`target`); a refusal stops with the service's error.

use chrono::NaiveDate;
use uuid::Uuid;

use super::action::Action;
use super::form::EventForm;
use super::{card, keyboards, render};
use crate::events::calendar::Month;
use crate::events::service::{self, EventCard};
use crate::telegram::dialogue::Dialogue;
use crate::telegram::kit::{Flow, Stop};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Ctx, Session, common};

pub async fn calendar(ctx: &Ctx, session: &Session, target: Target, month: Option<Month>) -> Flow {
    let now = ctx.notifier.now();
    let view = service::calendar(&ctx.db, session.viewer()?, month, now).await?;
    let locale = session.locale;
    let text = render::calendar_text(locale, &view);
    let keyboard = keyboards::calendar(
        locale,
        view.month,
        view.today,
        &view.days,
        view.viewer.role.can_manage(),
    );
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

pub async fn day(ctx: &Ctx, session: &Session, target: Target, date: NaiveDate, from: u32) -> Flow {
    let list = service::day(&ctx.db, session.viewer()?, date, ctx.notifier.now()).await?;
    let locale = session.locale;
    let from = from as usize;
    let text = render::day_text(locale, date, &list.events, from);
    let keyboard = keyboards::event_list(locale, &list.events, from, Month::of(date), |from| {
        Action::Day { date, from }
    });
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

pub async fn upcoming(ctx: &Ctx, session: &Session, target: Target, from: u32) -> Flow {
    let list = service::upcoming(&ctx.db, session.viewer()?, ctx.notifier.now()).await?;
    let locale = session.locale;
    let from = from as usize;
    let text = render::upcoming_text(locale, &list.events, from);
    let keyboard =
        keyboards::event_list(locale, &list.events, from, Month::of(list.today), |from| {
            Action::Upcoming { from }
        });
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

pub async fn deadlines(ctx: &Ctx, session: &Session, target: Target, from: u32) -> Flow {
    let now = ctx.notifier.now();
    let list = service::deadlines(&ctx.db, session.viewer()?, now).await?;
    let locale = session.locale;
    let from = from as usize;
    let text = render::deadlines_text(locale, &list, from, ctx.notifier.now());
    let back_to = Month::of(list.viewer.today(now));
    let keyboard = keyboards::deadline_list(locale, from, list.deadlines.len(), back_to);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// Reads an event's card; opening it marks the event seen by the viewer.
pub async fn open(ctx: &Ctx, session: &Session, event: Uuid) -> Result<EventCard, Stop> {
    let card = service::card(&ctx.db, session.viewer()?, event).await?;
    if !card.seen {
        service::mark_seen(&ctx.db, &card, ctx.notifier.now()).await?;
    }
    Ok(card)
}

/// The event card.
pub async fn card(ctx: &Ctx, session: &Session, target: Target, event: Uuid) -> Flow {
    let card = open(ctx, session, event).await?;
    let locale = session.locale;
    let text = card::card_text(locale, &card);
    screen::show(ctx, target, &text, keyboards::card(locale, &card)).await?;
    Ok(None)
}

/// The date step's question with the inline month calendar (existing events marked).
pub async fn date_picker(
    ctx: &Ctx,
    session: &Session,
    target: Target,
    form: &EventForm,
    month: Option<Month>,
) -> Flow {
    let locale = session.locale;
    let now = ctx.notifier.now();
    let view = service::calendar(&ctx.db, session.viewer()?, month, now).await?;
    let id = match form {
        EventForm::Edit { .. } => "event-edit-ask-date",
        _ => "event-ask-date",
    };
    let keyboard = keyboards::date_picker(locale, view.month, view.today, &view.days);
    screen::show(ctx, target, &locale.text(id), keyboard).await?;
    Ok(None)
}

/// After a form: `text` with the main menu, then the event's card.
pub async fn back_to_card(ctx: &Ctx, session: &Session, event: Uuid, text: &str) -> Flow {
    let mut session = session.clone();
    session.dialogue = Dialogue::Idle;
    common::show_menu_with(ctx, &session, text).await?;
    card(ctx, &session, Target::New(session.chat), event).await
}
