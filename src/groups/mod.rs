//! Study groups: creation (the creator becomes the leader). Settings, renaming and deletion grow here.

pub mod handlers;
pub mod name;
pub mod service;

pub use handlers::{branch, callbacks};
pub use name::{GroupName, GroupNameError};
pub use service::GroupError;
