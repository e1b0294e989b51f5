//! The glue every domain's Telegram side shares, written once: how handling stops (a refusal
//! the user is told, or a failure the pipeline reports), replies, inline keyboards, toasts, and
//! running a use case with its reactions.

use futures::future::BoxFuture;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, ReplyMarkup};

use super::callback::{self, CallbackAction};
use super::errors::UserFacing;
use super::screen::Target;
use super::{
    Branch, Ctx, Dialogue, HandlerError, HandlerResult, Locale, MenuButton, Session, screen, send,
};
use crate::uow::{self, Retry, Step, Uow};

/// A refusal, told to the user in their language.
pub trait Refusal: Send {
    fn message(self: Box<Self>, locale: Locale) -> Result<String, HandlerError>;
}

impl<E: UserFacing + Send + 'static> Refusal for E {
    fn message(self: Box<Self>, locale: Locale) -> Result<String, HandlerError> {
        (*self).user_message(locale)
    }
}

/// Why handling stopped: a refusal the user is told about, or an infrastructure failure.
pub enum Stop {
    Refused(Box<dyn Refusal>),
    Failed(HandlerError),
}

impl<E: UserFacing + Send + 'static> From<E> for Stop {
    fn from(err: E) -> Self {
        Stop::Refused(Box::new(err))
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

impl Stop {
    /// The message of a refusal; a failure stays an error.
    pub fn message(self, locale: Locale) -> Result<String, HandlerError> {
        match self {
            Stop::Refused(refusal) => refusal.message(locale),
            Stop::Failed(err) => Err(err),
        }
    }
}

/// What a handler step ends with: `Ok(Some(toast))` answers a callback with a toast.
pub type Flow = Result<Option<String>, Stop>;

/// The answer to a button that no longer means anything.
pub fn outdated(locale: Locale) -> Flow {
    Ok(Some(locale.text("callback-outdated")))
}

/// A new message to the user.
pub async fn say(ctx: &Ctx, session: &Session, text: &str, markup: Option<ReplyMarkup>) -> Flow {
    send::html(ctx, session.chat, text, markup).await?;
    Ok(None)
}

/// An inline keyboard as a reply markup.
pub fn inline(keyboard: InlineKeyboardMarkup) -> Option<ReplyMarkup> {
    Some(ReplyMarkup::InlineKeyboard(keyboard))
}

/// A button labelled with the text `id` that carries `action`.
pub fn label<A: CallbackAction>(locale: Locale, id: &str, action: A) -> InlineKeyboardButton {
    callback::button(locale.text(id), &action)
}

/// The one pager under a paged list: «◀️», «2/5», «▶️» — the arrows as far as there are pages
/// (the count shows the current page again). `at(n)` is the action showing page `n` (from 0);
/// nothing when there is one page.
pub fn pager<A: CallbackAction>(
    page: usize,
    pages: usize,
    at: impl Fn(u32) -> A,
) -> Option<Vec<InlineKeyboardButton>> {
    if pages <= 1 {
        return None;
    }
    let number = |page: usize| u32::try_from(page).unwrap_or(u32::MAX);
    let mut row = Vec::new();
    if page > 0 {
        row.push(callback::button(PAGE_BACK, &at(number(page - 1))));
    }
    row.push(callback::button(
        format!("{}/{}", page + 1, pages),
        &at(number(page)),
    ));
    if page + 1 < pages {
        row.push(callback::button(PAGE_NEXT, &at(number(page + 1))));
    }
    Some(row)
}

/// The pager's arrows (see [`pager`]).
pub const PAGE_BACK: &str = "◀️";
pub const PAGE_NEXT: &str = "▶️";

/// [`pager`] for a list shown from the `from`-th item, `size` a page: `at` gets the first
/// item of the page to show.
pub fn pager_from<A: CallbackAction>(
    from: usize,
    total: usize,
    size: usize,
    at: impl Fn(u32) -> A,
) -> Option<Vec<InlineKeyboardButton>> {
    let size = size.max(1);
    pager(from / size, total.div_ceil(size), |page| {
        at(page.saturating_mul(u32::try_from(size).unwrap_or(u32::MAX)))
    })
}

/// How many characters of button text a row shows untruncated on a phone (about 360 pt wide,
/// the narrow end of common phones): the buttons of a row share it, so three buttons get about
/// eight characters each. Emoji count one character, their variation selectors none.
pub const ROW_CHARS: usize = 26;

/// The characters a button label takes on screen (see [`ROW_CHARS`]).
pub fn label_chars(label: &str) -> usize {
    label.chars().filter(|&c| c != '\u{FE0F}').count()
}

/// Every row of `keyboard` shows its labels untruncated on a phone (see [`ROW_CHARS`]); for
/// tests of each screen's keyboard.
#[track_caller]
pub fn assert_fits_a_phone(keyboard: &InlineKeyboardMarkup) {
    for row in &keyboard.inline_keyboard {
        let labels: Vec<&str> = row.iter().map(|b| b.text.as_str()).collect();
        let chars: usize = labels.iter().map(|l| label_chars(l)).sum();
        assert!(
            chars <= ROW_CHARS,
            "a row of {chars} characters is cut on a phone: {labels:?}"
        );
    }
}

/// Strips tags and the common entities, for a callback toast (plain text, ≤ 200 characters).
pub fn toast(text: &str) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let plain = plain
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    plain.chars().take(190).collect()
}

/// Answers a callback query with what its handling came to: the toast, or a refusal as a
/// toast. A failure is returned for the pipeline, the spinner stopped first if the database
/// is fine (the pipeline answers database failures itself).
pub async fn answer(ctx: &Ctx, query: &CallbackQuery, locale: Locale, flow: Flow) -> HandlerResult {
    let toast = match flow {
        Ok(toast) => toast,
        Err(Stop::Refused(refusal)) => Some(toast(&refusal.message(locale)?)),
        Err(Stop::Failed(err)) => {
            if matches!(err, HandlerError::Telegram(_)) {
                let _ = screen::answer(ctx, query, None).await;
            }
            return Err(err);
        }
    };
    screen::answer(ctx, query, toast.as_deref()).await
}

/// What a press of one of a domain's buttons does, on the message it was pressed under.
pub type Press<A> = for<'a> fn(&'a Ctx, &'a mut Session, Target, A) -> BoxFuture<'a, Flow>;

/// Whether a press is a step of the form the session is in.
pub type InForm<A> = fn(&Session, &A) -> bool;

/// Leaves a form, telling the user `text` with the menu.
pub type LeaveForm = for<'a> fn(&'a Ctx, &'a Session, &'a str) -> BoxFuture<'a, HandlerResult>;

/// The handler of domain `A`'s buttons: every press decoded, done by `press`, and answered
/// (see [`answer`]).
pub fn buttons<A: CallbackAction>(press: Press<A>) -> Branch {
    pressed(press, None)
}

/// [`buttons`] of a domain with a form: a refused step of the form the user is in means the
/// form cannot go on (the role changed, the thing is gone), so the spinner stops and `leave`
/// leaves the form with the refusal's text.
pub fn form_buttons<A: CallbackAction>(
    press: Press<A>,
    in_form: InForm<A>,
    leave: LeaveForm,
) -> Branch {
    pressed(press, Some((in_form, leave)))
}

fn pressed<A: CallbackAction>(press: Press<A>, form: Option<(InForm<A>, LeaveForm)>) -> Branch {
    callback::filter::<A>().endpoint(
        move |ctx: Ctx, mut session: Session, query: CallbackQuery, action: A| async move {
            let target = Target::of_query(&query, session.chat);
            let leave = form
                .filter(|(in_form, _)| in_form(&session, &action))
                .map(|(_, leave)| leave);
            let flow = press(&ctx, &mut session, target, action).await;
            match (flow, leave) {
                (Err(Stop::Refused(refusal)), Some(leave)) => {
                    let text = refusal.message(session.locale)?;
                    screen::answer(&ctx, &query, None).await?;
                    leave(&ctx, &session, &text).await
                }
                (flow, _) => answer(&ctx, &query, session.locale, flow).await,
            }
        },
    )
}

/// A form's «❌ Отмена»: the form is dropped, its message says so, and the menu comes back.
pub async fn cancel_form(ctx: &Ctx, session: &Session, target: Target) -> Flow {
    let locale = session.locale;
    super::dialogue::clear(&ctx.db, session.user_id).await?;
    let text = locale.text("cancelled");
    screen::show(ctx, target, &text, InlineKeyboardMarkup::default()).await?;
    let session = Session {
        dialogue: Dialogue::Idle,
        ..session.clone()
    };
    super::common::show_menu_with(ctx, &session, &locale.text("main-menu")).await?;
    Ok(None)
}

/// The updates of users in the dialogue `dialogue`.
pub fn in_dialogue(dialogue: Dialogue) -> Branch {
    dptree::filter(move |session: Session| session.dialogue == dialogue)
}

/// The messages that are the main-menu button `button`.
pub fn menu_button(button: MenuButton) -> Branch {
    dptree::filter(move |message: Message| {
        message.text().and_then(MenuButton::parse) == Some(button)
    })
}

impl Ctx {
    /// Runs `use_case` as one unit of work for the session's user, then reacts to what it
    /// committed: its notices are sent (now if the rate allows, else by the worker) and the
    /// live messages it touched are refreshed.
    pub async fn write<'env, T, E>(
        &self,
        actor: i64,
        use_case: impl for<'u> FnMut(&'u mut Uow<'env>) -> Step<'u, T, E>,
    ) -> Result<T, E>
    where
        E: Retry + From<sea_orm::DbErr>,
    {
        let clock = self.notifier.clock();
        let fence = self.claim.as_deref().map(|claim| claim as &dyn uow::Fence);
        let done = uow::run_fenced(&self.db, &clock, Some(actor), fence, use_case).await?;
        self.after_commit(done.committed).await;
        Ok(done.value)
    }

    /// What follows a commit: while an update is handled, its reactions wait until the handler
    /// has answered (the answer goes out first, and nothing stands between the change's commit
    /// and it); elsewhere they run at once.
    pub async fn after_commit(&self, committed: uow::Committed) {
        match &self.deferred {
            Some(deferred) => deferred.push(committed),
            None => self.react(&committed).await,
        }
    }

    /// Runs the reactions held back while an update was handled.
    pub async fn react_deferred(&self) {
        if let Some(deferred) = &self.deferred {
            for committed in deferred.take() {
                self.react(&committed).await;
            }
        }
    }

    /// The reactions after a commit, in one place.
    pub async fn react(&self, committed: &uow::Committed) {
        self.deliver(&committed.outbox).await;
        for live in committed.live() {
            let (kind, id) = match live {
                uow::Live::Queue(id) => (crate::chats::LiveKind::Queue, id),
                uow::Live::TopicList(id) => (crate::chats::LiveKind::Topics, id),
                uow::Live::QueuePlaces(queue) => {
                    crate::telegram::queues::screens::touch(self, queue).await;
                    continue;
                }
            };
            crate::telegram::chats::live::touch(self, kind, id).await;
        }
    }
}

/// Reactions held back until the update's answer is out (see [`Ctx::after_commit`]).
#[derive(Debug, Default)]
pub struct Deferred(std::sync::Mutex<Vec<uow::Committed>>);

impl Deferred {
    fn push(&self, committed: uow::Committed) {
        self.lock().push(committed);
    }

    fn take(&self) -> Vec<uow::Committed> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<uow::Committed>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::toast;

    #[test]
    fn toasts_are_plain_text() {
        assert_eq!(toast("<b>a &lt;b&gt; &amp;</b>"), "a <b> &");
        assert_eq!(toast(&"я".repeat(300)).chars().count(), 190);
    }
}
