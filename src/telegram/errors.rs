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
