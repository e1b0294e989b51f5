//! The one place where domain errors become messages for the user.

use super::HandlerError;
use super::texts::{Args, Locale};
use crate::groups::{GroupError, GroupNameError};

/// A domain error as the user sees it: a message in their language, or — for infrastructure
/// failures — a [`HandlerError`] for the update pipeline to report.
pub trait UserFacing {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError>;
}

impl UserFacing for GroupNameError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        Ok(match self {
            GroupNameError::Empty => locale.text("group-name-empty"),
            GroupNameError::TooLong { length, max } => locale.text_with(
                "group-name-too-long",
                &Args::new()
                    .num("length", length as i64)
                    .num("max", max as i64),
            ),
            GroupNameError::ControlCharacters => locale.text("group-name-control-chars"),
        })
    }
}

impl UserFacing for GroupError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        match self {
            GroupError::AlreadyInGroup { group } => {
                Ok(locale.text_with("group-already-member", &Args::new().user("group", &group)))
            }
            GroupError::Access(err) => err.user_message(locale),
            GroupError::NotFound => Ok(locale.text("group-not-found")),
            GroupError::Db(err) => Err(err.into()),
        }
    }
}

impl UserFacing for crate::members::service::AccessError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::members::service::AccessError;
        match self {
            AccessError::NotInGroup => Ok(locale.text("access-not-in-group")),
            AccessError::Forbidden => Ok(locale.text("access-forbidden")),
            AccessError::Db(err) => Err(err.into()),
        }
    }
}

impl UserFacing for crate::invites::InviteError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::invites::{InviteError, InviteTokenError};
        Ok(match self {
            InviteError::Unknown => locale.text("invite-unknown"),
            InviteError::Expired => locale.text("invite-expired"),
            InviteError::Revoked => locale.text("invite-revoked"),
            InviteError::UsedUp => locale.text("invite-used-up"),
            InviteError::AlreadyInGroup { group } => locale.text_with(
                "invite-already-in-group",
                &Args::new().user("group", &group),
            ),
            InviteError::NotFound => locale.text("invite-not-found"),
            InviteError::Malformed(InviteTokenError::NotAnInvite) => {
                locale.text("invite-not-a-token")
            }
            InviteError::Malformed(InviteTokenError::OtherBot { bot }) => {
                locale.text_with("invite-other-bot", &Args::new().user("bot", &bot))
            }
            InviteError::Access(err) => return err.user_message(locale),
            InviteError::Db(err) => return Err(err.into()),
        })
    }
}

impl UserFacing for crate::groups::DescriptionError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::groups::DescriptionError;
        Ok(match self {
            DescriptionError::Empty => locale.text("group-description-empty"),
            DescriptionError::TooLong { length, max } => locale.text_with(
                "group-description-too-long",
                &Args::new()
                    .num("length", length as i64)
                    .num("max", max as i64),
            ),
            DescriptionError::ControlCharacters => locale.text("group-description-control-chars"),
        })
    }
}

impl UserFacing for crate::groups::TimezoneError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::groups::TimezoneError;
        Ok(match self {
            TimezoneError::Empty => locale.text("group-timezone-empty"),
            TimezoneError::Unknown { input } => {
                locale.text_with("group-timezone-unknown", &Args::new().user("input", &input))
            }
        })
    }
}

impl UserFacing for crate::members::FioError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::members::FioError;
        Ok(match self {
            FioError::TooFewWords => locale.text("profile-fio-too-few"),
            FioError::TooManyWords { .. } => locale.text("profile-fio-too-many"),
            FioError::BadCharacters { word } => {
                let shown: String = word.chars().take(64).collect();
                locale.text_with("profile-fio-bad-chars", &Args::new().user("word", &shown))
            }
            FioError::WordTooLong { length, max } => locale.text_with(
                "profile-fio-word-too-long",
                &Args::new()
                    .num("length", length as i64)
                    .num("max", max as i64),
            ),
        })
    }
}

impl UserFacing for crate::members::MemberError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::members::MemberError;
        match self {
            MemberError::NotFound => Ok(locale.text("members-error-not-found")),
            MemberError::SelfAction => Ok(locale.text("members-error-self")),
            MemberError::AlreadyAssistant => Ok(locale.text("members-error-already-assistant")),
            MemberError::NotAssistant => Ok(locale.text("members-error-not-assistant")),
            MemberError::LeaderCannotLeave => Ok(locale.text("members-error-leader-leaves")),
            MemberError::Access(err) => err.user_message(locale),
            MemberError::Db(err) => Err(err.into()),
        }
    }
}

impl UserFacing for crate::events::EventError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::events::EventError;
        match self {
            EventError::Access(err) => err.user_message(locale),
            EventError::NotFound => Ok(locale.text("event-not-found")),
            EventError::DeadlineNotFound => Ok(locale.text("deadline-not-found")),
            EventError::AlreadySaved => Ok(locale.text("event-already-saved")),
            EventError::Db(err) => Err(err.into()),
        }
    }
}

impl UserFacing for crate::events::TextInputError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::events::{TextError, TextInput};
        let prefix = match self.input {
            TextInput::Title => "event-title",
            TextInput::Subject => "event-subject",
            TextInput::Description => "event-description",
            TextInput::DeadlineText => "deadline-text",
        };
        Ok(match self.error {
            TextError::Empty => locale.text(&format!("{prefix}-empty")),
            TextError::TooLong { length, max } => locale.text_with(
                &format!("{prefix}-too-long"),
                &Args::new()
                    .num("length", length as i64)
                    .num("max", max as i64),
            ),
            TextError::ControlCharacters => locale.text(&format!("{prefix}-control-chars")),
        })
    }
}

impl UserFacing for crate::events::EventDateError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::events::EventDateError;
        Ok(locale.text(match self {
            EventDateError::Format => "event-date-format",
            EventDateError::NoSuchDay => "event-date-no-such-day",
            EventDateError::OutOfRange => "event-date-out-of-range",
        }))
    }
}

impl UserFacing for crate::events::DeadlineAtError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::events::DeadlineAtError;
        Ok(locale.text(match self {
            DeadlineAtError::Format => "deadline-at-format",
            DeadlineAtError::NoSuchDay => "deadline-at-no-such-day",
            DeadlineAtError::NoSuchTime => "deadline-at-no-such-time",
            DeadlineAtError::SkippedByClockChange => "deadline-at-clock-change",
            DeadlineAtError::OutOfRange => "deadline-at-out-of-range",
            DeadlineAtError::InPast => "deadline-at-in-past",
        }))
    }
}
