//! Domain events: what a use case says happened. Each domain's events say, once, what follows
//! from them: the change-log row, the notices to write in the same transaction, and the live
//! views (published queue and topic-list messages) to refresh after the commit.

use std::fmt::Debug;

use uuid::Uuid;

use crate::changelog::Change;
use crate::notifications::Notice;

/// A published view whose message follows the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Live {
    Queue(Uuid),
    TopicList(Uuid),
    /// The queue's places changed: the screens its students keep open follow
    /// (`queues::screens`).
    QueuePlaces(Uuid),
}

/// Something that happened in a unit of work.
pub trait DomainEvent: Debug + Send + Sync + 'static {
    /// The change-log row (the actor and the time are the unit of work's).
    fn change(&self) -> Option<Change>;

    /// The notices this event causes (the use case puts the recipients it read into the
    /// event); written in the change's transaction, to those whose settings want them.
    fn notices(&self) -> Vec<Notice> {
        Vec::new()
    }

    /// The live views to refresh after the commit (published messages, and the queue screens
    /// students keep open when their places change).
    fn live(&self) -> Vec<Live> {
        Vec::new()
    }
}
