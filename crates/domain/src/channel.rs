//! The manual's channel matrix columns, and the channels a ticket can arrive through.

use std::{fmt, str::FromStr};

use crate::text::ParseError;

/// A column of the manual's channel matrix: what a plan includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Documentation,
    Forum,
    Portal,
    Email,
    Whatsapp,
    Phone,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Documentation,
        Channel::Forum,
        Channel::Portal,
        Channel::Email,
        Channel::Whatsapp,
        Channel::Phone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Documentation => "documentation",
            Channel::Forum => "forum",
            Channel::Portal => "portal",
            Channel::Email => "email",
            Channel::Whatsapp => "whatsapp",
            Channel::Phone => "phone",
        }
    }

    /// Whether tickets can be opened through this column (documentation and forum are self-service).
    pub fn opens_tickets(self) -> bool {
        !matches!(self, Channel::Documentation | Channel::Forum)
    }
}

impl FromStr for Channel {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or(ParseError::NotOneOf {
                field: "channel",
                allowed: "documentation, forum, portal, email, whatsapp, phone",
            })
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a ticket, message or change reached atende.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TicketChannel {
    Portal,
    Email,
    Whatsapp,
    Webchat,
    Phone,
    Api,
}

impl TicketChannel {
    pub const ALL: [TicketChannel; 6] = [
        TicketChannel::Portal,
        TicketChannel::Email,
        TicketChannel::Whatsapp,
        TicketChannel::Webchat,
        TicketChannel::Phone,
        TicketChannel::Api,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TicketChannel::Portal => "portal",
            TicketChannel::Email => "email",
            TicketChannel::Whatsapp => "whatsapp",
            TicketChannel::Webchat => "webchat",
            TicketChannel::Phone => "phone",
            TicketChannel::Api => "api",
        }
    }

    /// The matrix column that decides whether a plan includes this channel. The web chat and the
    /// REST API are ways into the support portal, so they follow its column.
    pub fn matrix_column(self) -> Channel {
        match self {
            TicketChannel::Portal | TicketChannel::Webchat | TicketChannel::Api => Channel::Portal,
            TicketChannel::Email => Channel::Email,
            TicketChannel::Whatsapp => Channel::Whatsapp,
            TicketChannel::Phone => Channel::Phone,
        }
    }
}

impl FromStr for TicketChannel {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TicketChannel::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or(ParseError::NotOneOf {
                field: "channel",
                allowed: "portal, email, whatsapp, webchat, phone, api",
            })
    }
}

impl fmt::Display for TicketChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.code().parse(), Ok(c));
        }
        for c in TicketChannel::ALL {
            assert_eq!(c.code().parse(), Ok(c));
        }
    }

    #[test]
    fn webchat_and_api_follow_the_portal_column() {
        assert_eq!(TicketChannel::Webchat.matrix_column(), Channel::Portal);
        assert_eq!(TicketChannel::Api.matrix_column(), Channel::Portal);
        assert_eq!(TicketChannel::Phone.matrix_column(), Channel::Phone);
    }
}
