//! The records atende keeps, as plain values. Storage fills them; the rules read them.

use jiff::{Timestamp, civil::Date};

use crate::{Lang, Priority, Role, TicketChannel, TicketStatus, TicketType, Visibility};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub language: Option<Lang>,
    pub time_zone: String,
    /// When the person set up their own account; `None` for a contact known only from a channel.
    pub registered_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: i64,
    pub organization_id: i64,
    pub plan_code: String,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub phone_addon: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bot {
    pub id: i64,
    pub contract_id: i64,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: i64,
    pub ticket_type: TicketType,
    pub subject: String,
    pub description: String,
    pub priority: Priority,
    pub status: TicketStatus,
    pub channel: TicketChannel,
    pub contract_id: i64,
    pub bot_id: Option<i64>,
    pub requester_id: i64,
    pub assignee_id: Option<i64>,
    /// The group (queue) of support staff the ticket belongs to.
    pub group_id: Option<i64>,
    /// The earliest due time of the ticket's running SLA clocks.
    pub sla_due_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub ticket_id: i64,
    pub author_id: i64,
    pub visibility: Visibility,
    pub channel: TicketChannel,
    pub body: String,
    pub created_at: Timestamp,
}

/// One entry of a ticket's audit trail. `data` is a JSON object whose shape depends on `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEvent {
    pub id: i64,
    pub ticket_id: i64,
    pub actor_id: Option<i64>,
    pub channel: String,
    pub kind: String,
    pub data: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub organization_id: i64,
    pub contract_id: Option<i64>,
    pub bot_id: Option<i64>,
    pub role: Role,
    pub invited_by: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinStatus {
    Pending,
    Approved,
    Rejected,
}

impl JoinStatus {
    pub fn code(self) -> &'static str {
        match self {
            JoinStatus::Pending => "pending",
            JoinStatus::Approved => "approved",
            JoinStatus::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [JoinStatus::Pending, JoinStatus::Approved, JoinStatus::Rejected]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    pub id: i64,
    pub user_id: i64,
    pub contract_id: i64,
    pub bot_id: Option<i64>,
    pub message: String,
    pub status: JoinStatus,
    pub decided_by: Option<i64>,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

/// A ticket type's name and definition in one language (admin-editable profile data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketTypeText {
    pub ticket_type: TicketType,
    pub lang: Lang,
    pub name: String,
    pub definition: String,
}

/// A group (queue) of support staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
}
