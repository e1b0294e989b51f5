//! What the administration does, for the change log: access codes made, deactivated and
//! redeemed, broadcasts sent. (An admin's deletion of a group is the groups' own event.)

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::broadcast::Audience;
use crate::changelog::Change;
use crate::uow::DomainEvent;

#[derive(Debug, Clone)]
pub enum AdminEvent {
    CodeCreated {
        code: Uuid,
        one_time: bool,
        expires_at: Option<DateTime<Utc>>,
    },
    CodeDeactivated {
        code: Uuid,
    },
    /// The acting user became an admin with `code`.
    Redeemed {
        code: Uuid,
        one_time: bool,
    },
    /// A broadcast `id` was queued for `recipients` users.
    Broadcast {
        id: Uuid,
        audience: Audience,
        recipients: usize,
        text: String,
    },
}

impl DomainEvent for AdminEvent {
    fn change(&self) -> Option<Change> {
        let (action, entity_type, id, details) = match self {
            AdminEvent::CodeCreated {
                code,
                one_time,
                expires_at,
            } => (
                "admin.code_create",
                "admin_code",
                code,
                json!({ "one_time": one_time, "expires_at": expires_at }),
            ),
            AdminEvent::CodeDeactivated { code } => {
                ("admin.code_deactivate", "admin_code", code, json!({}))
            }
            AdminEvent::Redeemed { code, one_time } => (
                "admin.redeem",
                "admin_code",
                code,
                json!({ "one_time": one_time }),
            ),
            AdminEvent::Broadcast {
                id,
                audience,
                recipients,
                text,
            } => (
                "admin.broadcast",
                "broadcast",
                id,
                json!({
                    "audience": audience.as_str(),
                    "recipients": recipients,
                    "text": text,
                }),
            ),
        };
        Some(Change {
            actor: None,
            group: None,
            action,
            entity_type,
            entity_id: id.to_string(),
            details,
        })
    }
}
