//! The entities under table-like names: `use crate::storage::entities::prelude::*;`.

pub use super::adminaccesscodes::Entity as Adminaccesscodes;
pub use super::changelog::Entity as Changelog;
pub use super::deadlines::Entity as Deadlines;
pub use super::dialogues::Entity as Dialogues;
pub use super::events::Entity as Events;
pub use super::groupinvitations::Entity as Groupinvitations;
pub use super::groupmembers::Entity as Groupmembers;
pub use super::groups::Entity as Groups;
pub use super::queueparticipants::Entity as Queueparticipants;
pub use super::queues::Entity as Queues;
pub use super::topiclists::Entity as Topiclists;
pub use super::topics::Entity as Topics;
pub use super::topicselections::Entity as Topicselections;
pub use super::users::Entity as Users;
pub use super::viewedevents::Entity as Viewedevents;
