//! The smart contact: the conversation engine of the domain (`atende_domain::bot`) run for a
//! person on WhatsApp or the web chat. A message is recorded (once, however often the channel
//! delivers it), the person identified, the engine stepped and its actions carried out, and the
//! answers stored and queued for the channel. The state is saved after each message, so a restart
//! or a second server loses nothing.

mod actions;
mod facts;
pub mod render;
pub mod webchat;
pub mod whatsapp;

use atende_domain::{
    Lang, TicketChannel,
    bot::{Action, Input, Say, State, flow},
};
use atende_store::{conversations as store, directory};

pub use atende_store::conversations::{Conversation, Said};
pub use render::Rendered;

use crate::{Actor, App, Result, auth::commit};

/// The channels the bot talks on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Whatsapp,
    Webchat,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Whatsapp => "whatsapp",
            Channel::Webchat => "webchat",
        }
    }

    /// How tickets opened here are recorded, and which column of the plan's matrix decides.
    pub fn ticket_channel(self) -> TicketChannel {
        match self {
            Channel::Whatsapp => TicketChannel::Whatsapp,
            Channel::Webchat => TicketChannel::Webchat,
        }
    }
}

/// A message that reached the bot.
pub struct Inbound<'a> {
    pub channel: Channel,
    /// The WhatsApp number, or the web chat visitor's key.
    pub identity: &'a str,
    /// The name the channel gives the person.
    pub display_name: &'a str,
    pub input: Input,
    /// The text kept in the transcript (what was typed, or the title of what was tapped).
    pub shown: &'a str,
    /// The channel's id of the message: a second delivery of it is ignored.
    pub external_id: Option<&'a str>,
    /// For a web chat visitor who signed in: who they are.
    pub user_id: Option<i64>,
}

/// What the bot answered to one message.
#[derive(Debug, Default)]
pub struct Answered {
    pub conversation_id: i64,
    /// The person's message as stored.
    pub inbound_id: i64,
    /// The stored messages, in order: (their id, what they say).
    pub replies: Vec<(i64, Rendered)>,
    /// Whether the message had been taken before (nothing was done).
    pub duplicate: bool,
}

fn initial_state() -> String {
    serde_json::to_string(&State::Start).unwrap_or_else(|_| "{\"at\":\"start\"}".to_owned())
}

/// Handles one message from a person.
pub async fn receive(app: &App, inbound: Inbound<'_>) -> Result<Answered> {
    let now = app.clock.now();
    let channel = inbound.channel;
    // The message is recorded first, in its own transaction: a delivery seen twice stops here.
    let mut tx = app.db.begin().await?;
    let conversation = store::open(
        &mut tx,
        channel.code(),
        inbound.identity,
        inbound.display_name,
        &initial_state(),
        now,
    )
    .await?;
    let Some(inbound_id) =
        store::record_inbound(&mut tx, conversation.id, inbound.shown, inbound.external_id, now).await?
    else {
        return Ok(Answered {
            conversation_id: conversation.id,
            duplicate: true,
            ..Answered::default()
        });
    };
    let user_id = match channel {
        Channel::Whatsapp => store::user_of_number(&mut tx, inbound.identity).await?,
        Channel::Webchat => inbound.user_id.or(conversation.user_id),
    };
    let user = match user_id {
        Some(id) => directory::get_user(&mut tx, id).await?,
        None => None,
    };
    commit(tx).await?;

    let Some(user) = user.filter(|u| !u.role.is_staff()) else {
        // Nobody we know: how to register or link the number, and the support address.
        let key = match channel {
            Channel::Whatsapp => "bot-unknown-number",
            Channel::Webchat => "bot-sign-in-first",
        };
        let words = render::unknown_person(key, &app.settings.support_email, &app.settings.public_url);
        let answer = Answer {
            user_id: None,
            state: &conversation.state,
            words: vec![words],
            ticket: None,
        };
        return deliver(app, &conversation, inbound_id, answer).await;
    };
    let actor = Actor { user };
    let mut facts = facts::facts(app, &actor, channel).await?;
    let state: State = serde_json::from_str(&conversation.state).unwrap_or_default();
    let mut turn = flow::step(state, &inbound.input, &facts);
    let mut said: Vec<Say> = std::mem::take(&mut turn.say);
    let mut lang = facts.lang.unwrap_or(app.settings.default_language);
    let mut ticket = None;
    // An action's outcome may ask for no further action; the loop is bounded all the same.
    for _ in 0..4 {
        let Some(action) = turn.action.take() else { break };
        let mut person = actor.clone();
        if let Action::SetLanguage(chosen) = action {
            lang = chosen;
            facts.lang = Some(chosen);
            person.user.language = Some(chosen);
        }
        let outcome = actions::perform(app, &person, channel, conversation.id, lang, &action).await?;
        ticket = ticket.or(match (&action, &outcome) {
            (_, atende_domain::bot::Outcome::Opened { id, .. }) => Some(*id),
            (_, atende_domain::bot::Outcome::Handed { ticket }) => Some(*ticket),
            (Action::Reply { ticket, .. } | Action::Relay { ticket, .. }, atende_domain::bot::Outcome::Done) => {
                Some(*ticket)
            }
            _ => None,
        });
        turn = flow::outcome(turn.state, &action, outcome, &facts);
        said.append(&mut turn.say);
    }
    let state = serde_json::to_string(&turn.state).map_err(|e| crate::AppError::Internal(format!("bot state: {e}")))?;
    let words = render::render(&said, lang, &app.settings.support_email);
    if let Some(ticket) = ticket {
        let mut tx = app.db.begin().await?;
        store::link_ticket(&mut tx, inbound_id, ticket).await?;
        commit(tx).await?;
    }
    let answer = Answer {
        user_id: Some(actor.id()),
        state: &state,
        words,
        ticket,
    };
    deliver(app, &conversation, inbound_id, answer).await
}

/// The bot's answer to a message, to be stored.
struct Answer<'a> {
    /// Who the person turned out to be.
    user_id: Option<i64>,
    /// The conversation's state after it.
    state: &'a str,
    words: Vec<Rendered>,
    /// The ticket it is about, if any.
    ticket: Option<i64>,
}

/// Stores the bot's words (and the conversation's new state), queued for WhatsApp or shown at
/// once in the web chat.
async fn deliver(app: &App, conversation: &Conversation, inbound_id: i64, answer: Answer<'_>) -> Result<Answered> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    // The person's message just came in: WhatsApp's window opens again from now.
    store::save(
        &mut tx,
        conversation.id,
        answer.user_id.or(conversation.user_id),
        answer.state,
        Some(now),
        now,
    )
    .await?;
    let mut replies = Vec::with_capacity(answer.words.len());
    for w in answer.words {
        let id = queue_words(app, &mut tx, conversation, &w, answer.ticket).await?;
        replies.push((id, w));
    }
    commit(tx).await?;
    Ok(Answered {
        conversation_id: conversation.id,
        inbound_id,
        replies,
        duplicate: false,
    })
}

/// Records one message of the bot or an agent in the conversation and, on WhatsApp, queues it.
pub(crate) async fn queue_words(
    app: &App,
    tx: &mut atende_store::Conn,
    conversation: &Conversation,
    words: &Rendered,
    ticket: Option<i64>,
) -> Result<i64> {
    let now = app.clock.now();
    let payload = serde_json::to_string(words).map_err(|e| crate::AppError::Internal(format!("bot words: {e}")))?;
    let whatsapp = conversation.channel == Channel::Whatsapp.code();
    let status = if whatsapp { "queued" } else { "sent" };
    let id = store::record_outbound(tx, conversation.id, &words.plain(), &payload, status, ticket, now).await?;
    if whatsapp {
        let lang = conversation_lang(app, tx, conversation).await?;
        let button = crate::i18n::I18n::shared().text(lang, "bot-list-button", &[]);
        let request = words.whatsapp(&conversation.identity, &button).to_string();
        store::queue_whatsapp(tx, id, &conversation.identity, &request, now).await?;
    }
    Ok(id)
}

async fn conversation_lang(app: &App, tx: &mut atende_store::Conn, conversation: &Conversation) -> Result<Lang> {
    let user = match conversation.user_id {
        Some(id) => directory::get_user(tx, id).await?,
        None => None,
    };
    Ok(user.and_then(|u| u.language).unwrap_or(app.settings.default_language))
}

/// The conversations a person had with the bot, with their latest messages (staff, for the
/// customer's page and the ticket's).
pub async fn conversations_of(app: &App, actor: &Actor, user_id: i64) -> Result<Vec<(Conversation, Vec<Said>)>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    let mut out = Vec::new();
    for c in store::of_user(&mut conn, user_id).await? {
        let messages = store::messages(&mut conn, c.id, 100).await?;
        out.push((c, messages));
    }
    Ok(out)
}

/// The bot conversation that led to or went through a ticket (staff).
pub async fn transcript_of_ticket(app: &App, actor: &Actor, ticket_id: i64) -> Result<Vec<Said>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(store::messages_of_ticket(&mut conn, ticket_id).await?)
}

/// A WhatsApp number as WhatsApp writes it: the country code and number, digits only.
pub fn normalize_number(raw: &str) -> Result<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let allowed = raw.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if !allowed || !(8..=15).contains(&digits.len()) {
        return Err(atende_domain::ParseError::Invalid {
            field: "number",
            reason: "whatsapp_number",
        }
        .into());
    }
    Ok(digits)
}

/// Links the person's WhatsApp number: the bot knows them when they write from it.
pub async fn link_number(app: &App, actor: &Actor, raw: &str) -> Result<String> {
    let number = normalize_number(raw)?;
    let mut tx = app.db.begin().await?;
    store::link_number(&mut tx, actor.id(), &number, app.clock.now()).await?;
    commit(tx).await?;
    Ok(number)
}

pub async fn unlink_number(app: &App, actor: &Actor) -> Result<()> {
    let mut tx = app.db.begin().await?;
    if !store::unlink_number(&mut tx, actor.id()).await? {
        return Err(crate::AppError::NotFound("whatsapp_number"));
    }
    commit(tx).await
}

pub async fn number_of(app: &App, actor: &Actor) -> Result<Option<String>> {
    let mut conn = app.db.read().await?;
    Ok(store::number_of_user(&mut conn, actor.id()).await?)
}
