//! Study groups: creation (the creator becomes the leader) and the leader's settings: name,
//! description, time zone, the calendar feed, deletion.

pub mod description;
pub mod events;
pub mod feed;
pub mod name;
mod repo;
pub mod service;
pub mod timezone;

pub use description::{Description, DescriptionError};
pub use events::{DeletedBy, DeletedGroup, GroupEvent};
pub use name::{GroupName, GroupNameError};
pub use service::GroupError;
pub use timezone::{Timezone, TimezoneError};
