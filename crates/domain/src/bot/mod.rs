//! The smart contact: one conversation engine for WhatsApp and the web chat. A conversation is a
//! `State`; each message a person sends is an `Input`; `flow::step` answers with what to say
//! (message keys the app translates) and at most one `Action` for the app to carry out, whose
//! `Outcome` `flow::outcome` turns into the next words. Pure: no I/O, no clock, no storage, so
//! every flow is tested here and a restart loses nothing but what the app did not store.

mod draft;
pub mod flow;
pub mod intent;

use serde::{Deserialize, Serialize};

use crate::{Lang, Priority, Refusal, TicketType};

/// What a person sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text(String),
    /// A button or list row they tapped, by its id.
    Choice(String),
    /// A picture or document, by the id the app stored it under.
    File {
        id: i64,
        name: String,
    },
}

/// A value inside a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Number(i64),
    /// Another message, by key (a ticket type's name, say).
    Term(String),
}

/// What an option shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Key(&'static str),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What comes back as `Input::Choice` when it is picked.
    pub id: String,
    pub label: Label,
    /// A second line, where the channel shows one (list rows).
    pub detail: Option<Label>,
}

impl Choice {
    fn key(id: &str, label: &'static str) -> Choice {
        Choice {
            id: id.to_owned(),
            label: Label::Key(label),
            detail: None,
        }
    }
}

/// One thing the bot says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say {
    Text {
        key: &'static str,
        args: Vec<(&'static str, Value)>,
    },
    /// A question with options: buttons where they fit, a list otherwise, numbers in plain text.
    Ask {
        key: &'static str,
        args: Vec<(&'static str, Value)>,
        choices: Vec<Choice>,
    },
    /// Why a ticket cannot be opened, with its remedy (the app words it as everywhere else).
    Refusal(Refusal),
}

impl Say {
    fn text(key: &'static str) -> Say {
        Say::Text { key, args: Vec::new() }
    }
}

/// A contract the person can see, with the verdict of the access rules for this channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractOption {
    pub id: i64,
    pub name: String,
    /// The contract's bots (id, name).
    pub bots: Vec<(i64, String)>,
    /// Why tickets cannot be opened on it through this channel, if they cannot.
    pub refusal: Option<Refusal>,
}

/// What the engine must know about the person for this turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub lang: Option<Lang>,
    pub contracts: Vec<ContractOption>,
}

/// A ticket as the person builds it, step by step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub contract_id: Option<i64>,
    pub bot_id: Option<i64>,
    /// Whether the bot was asked about (none is an answer too).
    pub bot_asked: bool,
    pub ticket_type: Option<TicketType>,
    pub priority: Option<Priority>,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub files: Vec<i64>,
    /// Whether the files step is over.
    pub files_done: bool,
}

/// Where a conversation stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum State {
    /// Nothing asked yet: the next message gets the menu.
    #[default]
    Start,
    /// The person has no language: asked in all three.
    ChooseLanguage,
    Menu,
    NewTicket(Draft),
    /// The open tickets were listed; one may be picked.
    Tickets,
    /// One ticket was shown.
    Ticket {
        id: i64,
    },
    /// Writing a reply to a ticket.
    Replying {
        id: i64,
    },
    /// Waiting for a question for the help center.
    FaqQuestion,
    /// Articles were shown; did they help?
    FaqFeedback {
        question: String,
    },
    /// Talking to a person through a ticket: what is written goes to it.
    Human {
        ticket: i64,
    },
}

/// What the app must do for the conversation to go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SetLanguage(Lang),
    OpenTicket(Draft),
    ListTickets,
    ShowTicket(i64),
    Reply {
        ticket: i64,
        text: String,
    },
    SearchHelp(String),
    ShowReports,
    /// Hand the conversation to a person: a ticket for it (or the open one it joins).
    Handoff,
    /// A message for the person on the ticket they talk through.
    Relay {
        ticket: i64,
        text: String,
        files: Vec<i64>,
    },
}

/// How an action went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Opened {
        id: i64,
        due: Option<String>,
    },
    Refused(Refusal),
    /// Open tickets: (id, a line describing it).
    Tickets(Vec<(i64, String)>),
    /// One ticket: (id, lines: status, due time, the latest replies).
    Ticket {
        id: i64,
        lines: Vec<String>,
    },
    /// Help-center articles: (title, address, a short answer).
    Articles(Vec<(String, String, String)>),
    /// Report lines, already worded.
    Reports(Vec<String>),
    Handed {
        ticket: i64,
    },
    /// The ticket is no longer the person's to see.
    Gone,
}

/// The bot's answer to one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub state: State,
    pub say: Vec<Say>,
    pub action: Option<Action>,
}

/// The longest text a step takes from a person (a description is longer, see `flow`).
pub const MAX_LINE: usize = 200;
pub const MAX_TEXT: usize = 5_000;
