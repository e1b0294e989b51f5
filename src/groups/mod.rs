//! Study groups: creation (the creator becomes the leader) and the leader's settings: name,
//! description, time zone, deletion.

pub mod description;
pub mod feed;
pub mod name;
pub mod service;
pub mod timezone;

pub use description::{Description, DescriptionError};
pub use name::{GroupName, GroupNameError};
pub use service::GroupError;
pub use timezone::{Timezone, TimezoneError};
