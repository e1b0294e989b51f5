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

impl UserFacing for crate::queues::QueueError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::queues::QueueError;
        Ok(match self {
            QueueError::Access(err) => return err.user_message(locale),
            QueueError::NotFound => locale.text("queue-not-found"),
            QueueError::EventNotFound => locale.text("queue-event-not-found"),
            QueueError::ParticipantNotFound => locale.text("queue-participant-not-found"),
            QueueError::Closed => locale.text("queue-closed"),
            QueueError::Full { max } => {
                locale.text_with("queue-full", &Args::new().num("max", i64::from(max)))
            }
            QueueError::AlreadyIn { position } => locale.text_with(
                "queue-already-in",
                &Args::new().num("position", i64::from(position)),
            ),
            QueueError::NotIn => locale.text("queue-not-in"),
            QueueError::Empty => locale.text("queue-empty-toast"),
            QueueError::NoSuchPosition { len, .. } => locale.text_with(
                "queue-position-invalid",
                &Args::new().num("max", i64::from(len)),
            ),
            QueueError::NotYetOpen { .. } => locale.text("queue-not-yet-open"),
            QueueError::LotteryNeedsOpening => locale.text("queue-lottery-needs-opening"),
            QueueError::AllAway => locale.text("queue-all-away"),
            QueueError::NotFirst => locale.text("queue-not-first"),
            QueueError::SwapWithSelf => locale.text("queue-swap-self"),
            QueueError::SwapGone => locale.text("queue-swap-gone"),
            QueueError::Db(err) => return Err(err.into()),
        })
    }
}

impl UserFacing for crate::queues::QueueInputError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::queues::QueueInputError;
        let num = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        Ok(match self {
            QueueInputError::TitleEmpty => locale.text("queue-title-empty"),
            QueueInputError::TitleTooLong { length, max } => locale.text_with(
                "queue-title-too-long",
                &Args::new().num("length", num(length)).num("max", num(max)),
            ),
            QueueInputError::TitleControl => locale.text("queue-title-control-chars"),
            QueueInputError::DescriptionEmpty => locale.text("queue-description-empty"),
            QueueInputError::DescriptionTooLong { length, max } => locale.text_with(
                "queue-description-too-long",
                &Args::new().num("length", num(length)).num("max", num(max)),
            ),
            QueueInputError::DescriptionControl => locale.text("queue-description-control-chars"),
            QueueInputError::MaxNotANumber { min, max } => locale.text_with(
                "queue-max-invalid",
                &Args::new()
                    .num("min", i64::from(min))
                    .num("max", i64::from(max)),
            ),
            QueueInputError::PositionNotANumber { max } => locale.text_with(
                "queue-position-invalid",
                &Args::new().num("max", i64::from(max)),
            ),
            QueueInputError::LotteryNotANumber { min, max } => locale.text_with(
                "queue-lottery-invalid",
                &Args::new()
                    .num("min", i64::from(min))
                    .num("max", i64::from(max)),
            ),
        })
    }
}

impl UserFacing for crate::topics::TopicError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::topics::TopicError;
        Ok(match self {
            TopicError::Access(err) => return err.user_message(locale),
            TopicError::NotFound => locale.text("topics-not-found"),
            TopicError::EventNotFound => locale.text("topics-event-not-found"),
            TopicError::Full { title } => {
                locale.text_with("topics-error-full", &Args::new().user("title", &title))
            }
            TopicError::AlreadyYours { title } => locale.text_with(
                "topics-error-already-yours",
                &Args::new().user("title", &title),
            ),
            TopicError::Confirmed { title } => {
                locale.text_with("topics-error-confirmed", &Args::new().user("title", &title))
            }
            TopicError::NoPick => locale.text("topics-error-no-pick"),
            // The browser shows the deadline in the group's zone; here only the rule.
            TopicError::ByPreference { .. } => locale.text("topics-error-by-preference"),
            TopicError::NotCollecting => locale.text("topics-error-not-collecting"),
            TopicError::AlreadyRanked { rank } => locale.text_with(
                "topics-error-already-ranked",
                &Args::new().num("rank", i64::from(rank)),
            ),
            TopicError::TooManyChoices { max } => locale.text_with(
                "topics-error-too-many-choices",
                &Args::new().num("max", i64::from(max)),
            ),
            TopicError::TooManyTopics { count, max } => locale.text_with(
                "topics-error-too-many-total",
                &Args::new()
                    .num("count", count as i64)
                    .num("max", max as i64),
            ),
            TopicError::Duplicates(topics) => {
                let shown: Vec<String> = topics
                    .iter()
                    .take(10)
                    .map(|t| t.chars().take(60).collect())
                    .collect();
                locale.text_with(
                    "topics-error-existing",
                    &Args::new()
                        .user("topics", &shown.join("; "))
                        .num("count", topics.len() as i64),
                )
            }
            // Conflicts outlasted the unit of work's retries.
            TopicError::Db(err) if crate::uow::is_transient(&err) => {
                locale.text("topics-error-busy")
            }
            TopicError::Db(err) => return Err(err.into()),
        })
    }
}

impl UserFacing for crate::topics::input::ListTitleError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::topics::input::ListTitleError;
        Ok(match self {
            ListTitleError::Empty => locale.text("topics-title-empty"),
            ListTitleError::TooLong { length, max } => locale.text_with(
                "topics-title-too-long",
                &Args::new()
                    .num("length", length as i64)
                    .num("max", max as i64),
            ),
            ListTitleError::ControlCharacters => locale.text("topics-title-control-chars"),
        })
    }
}

impl UserFacing for crate::topics::input::CapacityError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::topics::input::CapacityError;
        Ok(match self {
            CapacityError::NotANumber => locale.text("topics-capacity-not-number"),
            CapacityError::OutOfRange { min, max } => locale.text_with(
                "topics-capacity-range",
                &Args::new()
                    .num("min", i64::from(min))
                    .num("max", i64::from(max)),
            ),
        })
    }
}

impl UserFacing for crate::topics::TopicLinesError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::topics::TopicLinesError;
        Ok(match self {
            TopicLinesError::Empty => locale.text("topics-lines-empty"),
            TopicLinesError::TooMany { count, max } => locale.text_with(
                "topics-lines-too-many",
                &Args::new()
                    .num("count", count as i64)
                    .num("max", max as i64),
            ),
            TopicLinesError::TooLong { line, length, max } => locale.text_with(
                "topics-lines-too-long",
                &Args::new()
                    .num("line", line as i64)
                    .num("length", length as i64)
                    .num("max", max as i64),
            ),
            TopicLinesError::ControlCharacters { line } => locale.text_with(
                "topics-lines-control-chars",
                &Args::new().num("line", line as i64),
            ),
            TopicLinesError::Duplicates(topics) => {
                let shown: Vec<String> = topics
                    .iter()
                    .take(10)
                    .map(|t| t.chars().take(60).collect())
                    .collect();
                locale.text_with(
                    "topics-lines-duplicates",
                    &Args::new()
                        .user("topics", &shown.join("; "))
                        .num("count", topics.len() as i64),
                )
            }
        })
    }
}

impl UserFacing for crate::topics::DocumentError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::topics::DocumentError;
        Ok(match self {
            DocumentError::Empty => locale.text("topics-doc-empty"),
            DocumentError::TooBig { max_kib } => locale.text_with(
                "topics-doc-too-big",
                &Args::new().num("max", max_kib as i64),
            ),
            DocumentError::NotText => locale.text("topics-doc-binary"),
            DocumentError::NotUtf8 => locale.text("topics-doc-not-utf8"),
            DocumentError::Download => locale.text("topics-doc-download"),
        })
    }
}

impl UserFacing for crate::admin::AdminError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::admin::AdminError;
        match self {
            // The panel does not exist for a non-admin: an outdated button, an unknown text.
            AdminError::NotAdmin => Ok(locale.text("callback-outdated")),
            AdminError::WrongCode => Ok(locale.text("admin-code-wrong")),
            AdminError::TooManyAttempts => Ok(locale.text("admin-code-too-many")),
            AdminError::NotFound => Ok(locale.text("admin-not-found")),
            AdminError::NothingToSend => Ok(locale.text("admin-broadcast-nothing")),
            AdminError::Group(err) => err.user_message(locale),
            AdminError::Access(err) => err.user_message(locale),
            AdminError::Db(err) => Err(err.into()),
        }
    }
}

/// An announcement's or a broadcast's text.
impl UserFacing for crate::notifications::announcements::AnnouncementTextError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::notifications::announcements::AnnouncementTextError;
        Ok(match self {
            AnnouncementTextError::Empty => locale.text("announce-empty"),
            AnnouncementTextError::TooLong { length, max } => locale.text_with(
                "announce-too-long",
                &Args::new()
                    .num("length", length as i64)
                    .num("max", max as i64),
            ),
        })
    }
}

impl UserFacing for crate::chats::ChatError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::chats::ChatError;
        Ok(match self {
            ChatError::Access(err) => return err.user_message(locale),
            ChatError::ChatTaken => locale.text("chat-taken"),
            ChatError::BotNotInChat => locale.text("chat-bot-not-in-chat"),
            ChatError::NotBound => locale.text("chat-not-bound"),
            ChatError::TargetNotFound => locale.text("chat-target-not-found"),
            ChatError::Db(err) => return Err(err.into()),
        })
    }
}

impl UserFacing for crate::notifications::announcements::AnnouncementError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::notifications::announcements::AnnouncementError;
        match self {
            AnnouncementError::Access(err) => err.user_message(locale),
            AnnouncementError::AlreadySent => Ok(locale.text("announce-outdated")),
            AnnouncementError::Db(err) => Err(err.into()),
        }
    }
}

impl UserFacing for crate::timetable::TimetableError {
    fn user_message(self, locale: Locale) -> Result<String, HandlerError> {
        use crate::timetable::TimetableError;
        use crate::timetable::week::SemesterError;
        match self {
            TimetableError::Access(err) => err.user_message(locale),
            TimetableError::ClassNotFound => Ok(locale.text("timetable-class-not-found")),
            TimetableError::MemberNotFound => Ok(locale.text("timetable-member-not-found")),
            TimetableError::NotOnThatDate => Ok(locale.text("timetable-not-on-date")),
            TimetableError::AlreadyChanged => Ok(locale.text("timetable-already-changed")),
            TimetableError::OutsideSemester => Ok(locale.text("timetable-date-outside-semester")),
            TimetableError::NoSemester => Ok(locale.text("timetable-no-semester-first")),
            TimetableError::Field(problem) => Ok(crate::telegram::timetable::typed::problem_text(
                locale, &problem,
            )),
            TimetableError::Semester(SemesterError::EndsBeforeStart) => {
                Ok(locale.text("timetable-semester-ends-before-start"))
            }
            TimetableError::Semester(SemesterError::TooLong) => {
                Ok(locale.text("timetable-semester-too-long"))
            }
            TimetableError::Db(err) => Err(err.into()),
        }
    }
}
