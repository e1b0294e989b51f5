//! The Telegram side of homework: «📚 Домашка», a task's card (its attachments sent back as
//! they came), «✅ Сделано», deleting, approving and rejecting, and the task form.
//!
//! Navigation edits the pressed message in place; every callback query is answered (a refusal
//! or an outdated button with a toast). Form steps typed or sent get new messages.

use teloxide::payloads::{SendDocument, SendPhoto};
use teloxide::prelude::*;
use teloxide::types::{InputFile, Message};
use uuid::Uuid;

use super::action::Action;
use super::form::HomeworkForm;
use super::render;
use crate::events::EventDate;
use crate::homework::reads;
use crate::homework::service::{self, Attachment, DueOn, FileKind, MAX_FILES, NewHomework};
use crate::homework::text::HomeworkBody;
use crate::telegram::dialogue::{self, Dialogue};
use crate::telegram::kit::{self, Flow, inline, outdated, say};
use crate::telegram::screen::{self, Target};
use crate::telegram::{Args, Branch, Ctx, HandlerResult, MenuButton, Session, common, keyboards};

/// How many dates of a subject the form offers.
const DATES: usize = 4;

/// Messages: the steps of the task form, then «📚 Домашка».
pub fn branch() -> Branch {
    dptree::entry()
        .branch(
            dptree::filter_map(|session: Session| match session.dialogue {
                Dialogue::Homework(form) => Some(form),
                _ => None,
            })
            .endpoint(on_form_message),
        )
        .branch(kit::menu_button(MenuButton::Homework).endpoint(on_homework_button))
}

/// Inline buttons with prefix `hw`.
pub fn callbacks() -> Branch {
    kit::form_buttons::<Action>(
        |ctx, session, target, action| Box::pin(run_action(ctx, session, target, action)),
        |session, action| {
            is_form_action(*action) && matches!(session.dialogue, Dialogue::Homework(_))
        },
        |ctx, session, text| Box::pin(leave_with(ctx, session, text)),
    )
}

/// Whether the form's current step takes a photo (the attachments).
pub fn takes_photos(dialogue: &Dialogue) -> bool {
    matches!(dialogue, Dialogue::Homework(HomeworkForm::Files { .. }))
}

fn in_form(dialogue: &Dialogue) -> bool {
    matches!(dialogue, Dialogue::Homework(_))
}

async fn leave_with(ctx: &Ctx, session: &Session, text: &str) -> HandlerResult {
    common::leave_form_with(ctx, session, text, in_form).await
}

/// «📚 Домашка»: the list as a new message.
async fn on_homework_button(ctx: Ctx, session: Session) -> HandlerResult {
    let flow = list(&ctx, &session, Target::New(session.chat), 0).await;
    common::finish_form_message(&ctx, &session, flow, in_form).await
}

fn is_form_action(action: Action) -> bool {
    matches!(
        action,
        Action::Subjects
            | Action::Subject { .. }
            | Action::PickClass { .. }
            | Action::Save
            | Action::Cancel
    )
}

async fn run_action(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let user = session.user_id;
    match action {
        Action::List { from } => list(ctx, session, target, from).await,
        Action::Open { task } => open(ctx, session, target, task).await,
        Action::Card { task } => show_card(ctx, session, target, task).await,
        Action::Done { task, yes } => {
            ctx.write(user, |uow| Box::pin(service::set_done(uow, task, yes)))
                .await?;
            show_card(ctx, session, target, task).await?;
            let toast = if yes {
                "homework-done-toast"
            } else {
                "homework-undone-toast"
            };
            Ok(Some(locale.text(toast)))
        }
        Action::Delete { task } => {
            let card = reads::card(&ctx.db, user, task).await?;
            if !card.viewer.role.can_manage() {
                return Err(crate::members::service::AccessError::Forbidden.into());
            }
            let (text, keyboard) = render::delete_confirmation(locale, &card.task);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        Action::Edit { task } => {
            let card = reads::card(&ctx.db, user, task).await?;
            if !card.viewer.role.can_manage() {
                return Err(crate::members::service::AccessError::Forbidden.into());
            }
            let form = Dialogue::Homework(HomeworkForm::Edit { task });
            dialogue::save(&ctx.db, user, &form).await?;
            let args = Args::new().num("max", HomeworkBody::MAX_CHARS as i64);
            let text = locale.text_with("homework-ask-edit", &args);
            say(ctx, session, &text, Some(keyboards::cancel_only(locale))).await
        }
        Action::DeleteConfirmed { task } => {
            ctx.write(user, |uow| Box::pin(service::delete(uow, task)))
                .await?;
            list(ctx, session, target, 0).await?;
            Ok(Some(locale.text("homework-deleted-toast")))
        }
        Action::Approve { task } => {
            ctx.write(user, |uow| Box::pin(service::approve(uow, task)))
                .await?;
            show_card(ctx, session, target, task).await?;
            Ok(Some(locale.text("homework-approved-toast")))
        }
        Action::Reject { task } => {
            ctx.write(user, |uow| Box::pin(service::reject(uow, task)))
                .await?;
            list(ctx, session, target, 0).await?;
            Ok(Some(locale.text("homework-rejected-toast")))
        }
        Action::New => {
            reads::viewer(&ctx.db, user).await?;
            dialogue::save(&ctx.db, user, &Dialogue::Homework(HomeworkForm::Due)).await?;
            ask_due(ctx, session, Target::New(session.chat)).await
        }
        action => form_button(ctx, session, target, action).await,
    }
}

/// A button of the form: outdated unless the user is at the step it belongs to.
async fn form_button(ctx: &Ctx, session: &Session, target: Target, action: Action) -> Flow {
    let locale = session.locale;
    let Dialogue::Homework(form) = &session.dialogue else {
        return outdated(locale);
    };
    match (action, form) {
        (Action::Cancel, _) => kit::cancel_form(ctx, session, target).await,
        (Action::Subjects, HomeworkForm::Due) => ask_due(ctx, session, target).await,
        (Action::Subject { class }, HomeworkForm::Due) => {
            let now = ctx.notifier.now();
            let (subject, dates) =
                service::next_dates(&ctx.db, session.user_id, class, now, DATES).await?;
            let (text, keyboard) = render::dates(locale, &subject, &dates);
            screen::show(ctx, target, &text, keyboard).await?;
            Ok(None)
        }
        (Action::PickClass { class, date }, HomeworkForm::Due) => {
            let form = HomeworkForm::Body {
                due: DueOn::Class { class, date },
            };
            dialogue::save(&ctx.db, session.user_id, &Dialogue::Homework(form)).await?;
            ask_body(ctx, session).await
        }
        (Action::Save, HomeworkForm::Files { task }) => save(ctx, session, target, task).await,
        _ => outdated(locale),
    }
}

/// The list of tasks due today and later.
async fn list(ctx: &Ctx, session: &Session, target: Target, from: u32) -> Flow {
    let viewer = reads::viewer(&ctx.db, session.user_id).await?;
    let today = viewer.today(ctx.notifier.now());
    let tasks = reads::upcoming(&ctx.db, &viewer, today).await?;
    let from = usize::try_from(from).unwrap_or(0);
    let manager = viewer.role.can_manage();
    let (text, keyboard) = render::list(session.locale, &tasks, from, manager);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// The card at `target`.
async fn show_card(ctx: &Ctx, session: &Session, target: Target, task: Uuid) -> Flow {
    let card = reads::card(&ctx.db, session.user_id, task).await?;
    let (text, keyboard) = render::card(session.locale, &card);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// Opens a task: its attachments as they were sent, in order, then the card under them (in
/// place when there are none).
async fn open(ctx: &Ctx, session: &Session, target: Target, task: Uuid) -> Flow {
    let card = reads::card(&ctx.db, session.user_id, task).await?;
    let target = if card.files.is_empty() {
        target
    } else {
        send_files(ctx, session.chat, &card.files).await;
        Target::New(session.chat)
    };
    let (text, keyboard) = render::card(session.locale, &card);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

/// Sends each attachment by its file id (a photo as a photo, a document as a document).
async fn send_files(ctx: &Ctx, chat: ChatId, files: &[Attachment]) {
    for file in files {
        let input = InputFile::file_id(file.file_id.clone().into());
        let sent = match file.kind {
            FileKind::Photo => ctx.api.call(SendPhoto::new(chat, input)).await.map(drop),
            FileKind::Document => ctx.api.call(SendDocument::new(chat, input)).await.map(drop),
        };
        if let Err(err) = sent {
            tracing::warn!(%err, chat = chat.0, "an attachment of a task could not be sent");
        }
    }
}

/// The form's first question: the subjects, or a typed date.
async fn ask_due(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let subjects = service::subjects(&ctx.db, session.user_id).await?;
    let (text, keyboard) = render::subjects(session.locale, &subjects);
    screen::show(ctx, target, &text, keyboard).await?;
    Ok(None)
}

async fn ask_body(ctx: &Ctx, session: &Session) -> Flow {
    let locale = session.locale;
    let args = Args::new().num("max", HomeworkBody::MAX_CHARS as i64);
    let text = locale.text_with("homework-ask-body", &args);
    say(ctx, session, &text, Some(keyboards::cancel_only(locale))).await
}

/// A message while in the form: a typed date, the task's text, or an attachment.
async fn on_form_message(
    ctx: Ctx,
    session: Session,
    message: Message,
    form: HomeworkForm,
) -> HandlerResult {
    let flow = form_message(&ctx, &session, &message, form).await;
    common::finish_form_message(&ctx, &session, flow, in_form).await
}

async fn form_message(ctx: &Ctx, session: &Session, message: &Message, form: HomeworkForm) -> Flow {
    let locale = session.locale;
    match form {
        HomeworkForm::Due => {
            let Some(text) = message.text() else {
                return ask_due(ctx, session, Target::New(session.chat)).await;
            };
            let viewer = reads::viewer(&ctx.db, session.user_id).await?;
            let today = viewer.today(ctx.notifier.now());
            let date = match EventDate::parse(text, today) {
                Ok(date) => date,
                Err(err) => {
                    let text = crate::telegram::errors::UserFacing::user_message(err, locale)?;
                    return say(ctx, session, &text, None).await;
                }
            };
            if date.in_past {
                return say(ctx, session, &locale.text("homework-date-past"), None).await;
            }
            let form = HomeworkForm::Body {
                due: DueOn::Date { date: date.date },
            };
            dialogue::save(&ctx.db, session.user_id, &Dialogue::Homework(form)).await?;
            ask_body(ctx, session).await
        }
        HomeworkForm::Body { due } => {
            let Some(text) = message.text() else {
                return ask_body(ctx, session).await;
            };
            match HomeworkBody::parse(text) {
                Ok(body) => {
                    let task = NewHomework {
                        id: Uuid::new_v4(),
                        due,
                        body,
                        files: Vec::new(),
                    };
                    let form = HomeworkForm::Files { task };
                    dialogue::save(&ctx.db, session.user_id, &Dialogue::Homework(form)).await?;
                    let keyboard = inline(render::save_keyboard(locale));
                    say(ctx, session, &locale.text("homework-ask-files"), keyboard).await
                }
                Err(err) => say(ctx, session, &render::body_refused(locale, err), None).await,
            }
        }
        HomeworkForm::Edit { task } => {
            let Some(text) = message.text() else {
                return say(ctx, session, &locale.text("homework-ask-edit-again"), None).await;
            };
            let body = match HomeworkBody::parse(text) {
                Ok(body) => body,
                Err(err) => {
                    return say(ctx, session, &render::body_refused(locale, err), None).await;
                }
            };
            ctx.write(session.user_id, |uow| {
                Box::pin(service::edit_body(uow, task, &body))
            })
            .await?;
            dialogue::clear(&ctx.db, session.user_id).await?;
            let idle = Session {
                dialogue: Dialogue::Idle,
                ..session.clone()
            };
            common::show_menu_with(ctx, &idle, &locale.text("homework-edited")).await?;
            show_card(ctx, session, Target::New(session.chat), task).await
        }
        HomeworkForm::Files { mut task } => {
            let keyboard = inline(render::save_keyboard(locale));
            let Some(file) = attachment(message) else {
                return say(ctx, session, &locale.text("homework-ask-files"), keyboard).await;
            };
            if task.files.len() >= MAX_FILES {
                let args = Args::new().num("max", MAX_FILES as i64);
                let text = locale.text_with("homework-too-many-files", &args);
                return say(ctx, session, &text, keyboard).await;
            }
            task.files.push(file);
            let count = task.files.len() as i64;
            let form = HomeworkForm::Files { task };
            dialogue::save(&ctx.db, session.user_id, &Dialogue::Homework(form)).await?;
            let text = locale.text_with("homework-file-added", &Args::new().num("count", count));
            say(ctx, session, &text, keyboard).await
        }
    }
}

/// The photo (its largest size) or document a message carries.
fn attachment(message: &Message) -> Option<Attachment> {
    if let Some(sizes) = message.photo() {
        let largest = sizes.iter().max_by_key(|size| {
            (
                u64::from(size.width) * u64::from(size.height),
                size.file.size,
            )
        })?;
        return Some(Attachment {
            kind: FileKind::Photo,
            file_id: largest.file.id.to_string(),
        });
    }
    message.document().map(|document| Attachment {
        kind: FileKind::Document,
        file_id: document.file.id.to_string(),
    })
}

/// «✅ Сохранить»: the task is set (or proposed), the form ends and the menu comes back.
async fn save(ctx: &Ctx, session: &Session, target: Target, task: &NewHomework) -> Flow {
    let locale = session.locale;
    let task = task.clone();
    let saved = ctx
        .write(session.user_id, |uow| {
            let task = task.clone();
            Box::pin(async move { service::create(uow, &task).await })
        })
        .await?;
    dialogue::clear(&ctx.db, session.user_id).await?;
    let id = if saved.status == crate::homework::PUBLISHED {
        "homework-saved"
    } else {
        "homework-proposed"
    };
    let text = locale.text(id);
    screen::show(
        ctx,
        target,
        &text,
        teloxide::types::InlineKeyboardMarkup::default(),
    )
    .await?;
    let session = Session {
        dialogue: Dialogue::Idle,
        ..session.clone()
    };
    common::show_menu_with(ctx, &session, &locale.text("main-menu")).await?;
    Ok(None)
}
