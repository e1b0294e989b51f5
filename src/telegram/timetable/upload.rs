//! «📥 Загрузить .ics»: the leader sends a calendar file, sees what it holds for the timetable
//! (classes found, events skipped and why) and saves it with «✅ Сохранить». Nothing is saved
//! before that, and nothing from a file that cannot be read.

use chrono::NaiveDate;
use teloxide::payloads::GetFile;
use teloxide::types::Document;

use super::form::TimetableForm;
use super::handlers::{ask, leave_with};
use super::steps::{class_text, save_keyboard};
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::kit::{Flow, inline, say};
use crate::telegram::{Args, Ctx, Locale, Session};
use crate::timetable::ics::{self, IcsError, Imported, MAX_ICS_BYTES, SkipReason};
use crate::timetable::input::ClassSpec;
use crate::timetable::service;

/// The most classes and skipped events a preview lists.
const SHOWN: usize = 20;
/// A preview stops adding lines before this many bytes (Telegram takes 4096 characters).
const MAX_TEXT: usize = 3900;

/// «📥 Загрузить .ics»: asks for the file (the semester must be set: it decides the weeks).
pub async fn start(ctx: &Ctx, session: &Session) -> Flow {
    service::import_context(&ctx.db, session.user_id).await?;
    let text = session.locale.text_with(
        "timetable-ics-ask",
        &Args::new().num("max_kib", (MAX_ICS_BYTES / 1024) as i64),
    );
    ask(ctx, session, TimetableForm::Ics, &text).await
}

fn refusal(locale: Locale, error: &IcsError) -> String {
    match error {
        IcsError::TooBig { max_kib } => locale.text_with(
            "timetable-ics-too-big",
            &Args::new().num("max_kib", *max_kib as i64),
        ),
        IcsError::NotText => locale.text("timetable-ics-not-text"),
        IcsError::NotCalendar => locale.text("timetable-ics-not-calendar"),
        IcsError::NoEvents => locale.text("timetable-ics-no-events"),
        IcsError::TooMany { max } => locale.text_with(
            "timetable-paste-too-many",
            &Args::new().num("max", *max as i64),
        ),
    }
}

fn reason(locale: Locale, reason: SkipReason) -> String {
    locale.text(match reason {
        SkipReason::NoStart => "timetable-ics-skip-no-start",
        SkipReason::AllDay => "timetable-ics-skip-all-day",
        SkipReason::NoSubject => "timetable-ics-skip-no-subject",
        SkipReason::Recurrence => "timetable-ics-skip-recurrence",
        SkipReason::NoPair => "timetable-ics-skip-no-pair",
        SkipReason::OutsideSemester => "timetable-ics-skip-outside",
        SkipReason::Override => "timetable-ics-skip-override",
    })
}

/// The file sent at the form's step: read, and previewed — or refused, the step staying.
pub async fn file(ctx: &Ctx, session: &Session, document: &Document) -> Flow {
    let locale = session.locale;
    let (tz, semester, bells) = service::import_context(&ctx.db, session.user_id).await?;
    let name = document.file_name.as_deref().unwrap_or_default();
    let calendar_type = document
        .mime_type
        .as_ref()
        .is_some_and(|mime| mime.essence_str() == "text/calendar");
    if !name.to_lowercase().ends_with(".ics") && !calendar_type {
        return say(ctx, session, &locale.text("timetable-ics-not-ics"), None).await;
    }
    let too_big = IcsError::TooBig {
        max_kib: MAX_ICS_BYTES / 1024,
    };
    if document.file.size as usize > MAX_ICS_BYTES {
        return say(ctx, session, &refusal(locale, &too_big), None).await;
    }
    let file = ctx.api.call(GetFile::new(document.file.id.clone())).await?;
    let bytes = match ctx.api.download(&file.path, MAX_ICS_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(%err, "could not download a calendar file");
            return say(ctx, session, &locale.text("timetable-ics-download"), None).await;
        }
    };
    let read = ics::decode(&bytes).and_then(|text| ics::read(text, tz, &semester, &bells));
    let imported = match read {
        Ok(imported) => imported,
        Err(err) => return say(ctx, session, &refusal(locale, &err), None).await,
    };
    let text = preview(locale, &imported, &bells);
    if imported.classes.is_empty() {
        return say(ctx, session, &text, None).await;
    }
    let Imported {
        classes, cancelled, ..
    } = imported;
    let form = TimetableForm::IcsPreview { classes, cancelled };
    dialogue::save(&ctx.db, session.user_id, &Dialogue::Timetable(form)).await?;
    say(ctx, session, &text, inline(save_keyboard(locale))).await
}

/// What the file holds: how many classes, the first of them, and the skipped events with
/// their reasons.
fn preview(locale: Locale, imported: &Imported, bells: &crate::timetable::week::Bells) -> String {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut lines = vec![
        locale.text_with(
            "timetable-ics-found",
            &Args::new()
                .num("count", count(imported.classes.len()))
                .num("skipped", count(imported.skipped.len()))
                .num("cancelled", count(imported.cancelled.len())),
        ),
    ];
    for class in imported.classes.iter().take(SHOWN) {
        lines.push(format!("• {}", class_text(locale, class, bells)));
    }
    if !imported.skipped.is_empty() {
        lines.push(locale.text("timetable-ics-skipped-title"));
    }
    for skipped in imported.skipped.iter().take(SHOWN) {
        lines.push(
            locale.text_with(
                "timetable-ics-skipped",
                &Args::new()
                    .user("name", &skipped.name.chars().take(60).collect::<String>())
                    .value("reason", reason(locale, skipped.reason).into()),
            ),
        );
    }
    let hidden =
        imported.classes.len().saturating_sub(SHOWN) + imported.skipped.len().saturating_sub(SHOWN);
    if hidden > 0 {
        lines.push(locale.text_with(
            "timetable-ics-more",
            &Args::new().num("count", count(hidden)),
        ));
    }
    let hint = if imported.classes.is_empty() {
        String::new()
    } else {
        locale.text("timetable-ics-save-hint")
    };
    // Lines stop before Telegram's 4096 characters (whole lines: no tag is cut).
    let mut text = String::new();
    for line in lines {
        if text.len() + line.len() + hint.len() + 8 > MAX_TEXT {
            text.push_str("\n…");
            break;
        }
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&hint);
    text
}

/// «✅ Сохранить» under the preview: the classes and their cancellations are saved together.
pub async fn save(
    ctx: &Ctx,
    session: &Session,
    classes: Vec<ClassSpec>,
    cancelled: Vec<(usize, NaiveDate)>,
) -> Flow {
    let locale = session.locale;
    let ids = ctx
        .write(session.user_id, |uow| {
            Box::pin(service::import_classes(uow, &classes, &cancelled))
        })
        .await?;
    let text = locale.text_with(
        "timetable-ics-saved",
        &Args::new()
            .num("count", i64::try_from(ids.len()).unwrap_or(i64::MAX))
            .num(
                "cancelled",
                i64::try_from(cancelled.len()).unwrap_or(i64::MAX),
            ),
    );
    leave_with(ctx, session, &text).await?;
    Ok(None)
}
