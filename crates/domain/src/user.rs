//! Who a user is to atende.

use std::{fmt, str::FromStr};

use crate::text::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Customer,
    /// Manages the members of their own organization's contracts and bots, and sees all its tickets.
    CustomerAdmin,
    Agent,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Customer,
        Role::CustomerAdmin,
        Role::Agent,
        Role::Supervisor,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::CustomerAdmin => "customer_admin",
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// Support staff see every ticket; customers see what their memberships allow.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Agent | Role::Supervisor | Role::Admin)
    }

    pub fn is_customer(self) -> bool {
        !self.is_staff()
    }
}

impl FromStr for Role {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or(ParseError::NotOneOf {
                field: "role",
                allowed: "customer, customer_admin, agent, supervisor, admin",
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
