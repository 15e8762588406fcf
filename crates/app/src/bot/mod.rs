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
    let channel = inbound.channel;
    // The message is recorded first, in a transaction of its own (shared with the messages that
    // arrive at the same moment): a delivery seen twice stops here.
    let arrived = app
        .bot_arrivals
        .write(
            app,
            Arrival {
                channel,
                identity: inbound.identity.to_owned(),
                display_name: inbound.display_name.to_owned(),
                shown: inbound.shown.to_owned(),
                external_id: inbound.external_id.map(str::to_owned),
                user_id: inbound.user_id,
            },
        )
        .await?;
    let (conversation, user) = (arrived.conversation, arrived.user);
    let Some(inbound_id) = arrived.inbound_id else {
        return Ok(Answered {
            conversation_id: conversation.id,
            duplicate: true,
            ..Answered::default()
        });
    };

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
            lang: app.settings.default_language,
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
    let answer = Answer {
        user_id: Some(actor.id()),
        state: &state,
        words,
        lang,
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
    /// The language the words are in.
    lang: Lang,
    /// The ticket it is about, if any.
    ticket: Option<i64>,
}

/// Stores the bot's words (and the conversation's new state, and the message's link to the
/// ticket it led to), queued for WhatsApp or shown at once in the web chat; in a transaction
/// shared with the answers stored at the same moment.
async fn deliver(app: &App, conversation: &Conversation, inbound_id: i64, answer: Answer<'_>) -> Result<Answered> {
    app.bot_replies
        .write(
            app,
            Reply {
                conversation: conversation.clone(),
                inbound_id,
                user_id: answer.user_id,
                state: answer.state.to_owned(),
                words: answer.words,
                lang: answer.lang,
                ticket: answer.ticket,
            },
        )
        .await
}

/// A message that reached the bot, to be recorded.
pub(crate) struct Arrival {
    channel: Channel,
    identity: String,
    display_name: String,
    shown: String,
    external_id: Option<String>,
    user_id: Option<i64>,
}

/// The conversation a message belongs to, the message's id (none for a second delivery), and
/// who wrote it, if known.
pub(crate) struct Arrived {
    conversation: Conversation,
    inbound_id: Option<i64>,
    user: Option<atende_domain::entities::User>,
}

impl crate::group_commit::Batch for Arrival {
    type Written = Arrived;
    const WHAT: &'static str = "bot message";

    async fn write_all(app: &App, tx: &mut atende_store::Conn, batch: &[Self]) -> Result<Vec<Arrived>> {
        let mut arrived = Vec::with_capacity(batch.len());
        for a in batch {
            let now = app.clock.now();
            let conversation = store::open(
                tx,
                a.channel.code(),
                &a.identity,
                &a.display_name,
                &initial_state(),
                now,
            )
            .await?;
            let inbound_id =
                store::record_inbound(tx, conversation.id, &a.shown, a.external_id.as_deref(), now).await?;
            let user = match (inbound_id, a.channel) {
                (None, _) => None,
                (Some(_), Channel::Whatsapp) => store::person_of_number(tx, &a.identity).await?,
                (Some(_), Channel::Webchat) => match a.user_id.or(conversation.user_id) {
                    Some(id) => directory::get_user(tx, id).await?,
                    None => None,
                },
            };
            arrived.push(Arrived {
                conversation,
                inbound_id,
                user,
            });
        }
        Ok(arrived)
    }
}

/// The bot's answer to one message, to be stored.
pub(crate) struct Reply {
    conversation: Conversation,
    inbound_id: i64,
    user_id: Option<i64>,
    state: String,
    words: Vec<Rendered>,
    lang: Lang,
    ticket: Option<i64>,
}

impl crate::group_commit::Batch for Reply {
    type Written = Answered;
    const WHAT: &'static str = "bot answer";

    async fn write_all(app: &App, tx: &mut atende_store::Conn, batch: &[Self]) -> Result<Vec<Answered>> {
        let mut answered = Vec::with_capacity(batch.len());
        for r in batch {
            let now = app.clock.now();
            if let Some(ticket) = r.ticket {
                store::link_ticket(tx, r.inbound_id, ticket).await?;
            }
            // The person's message just came in: WhatsApp's window opens again from now.
            store::save(
                tx,
                r.conversation.id,
                r.user_id.or(r.conversation.user_id),
                &r.state,
                Some(now),
                now,
            )
            .await?;
            let mut replies = Vec::with_capacity(r.words.len());
            for w in &r.words {
                let id = queue_words(app, tx, &r.conversation, w, r.lang, r.ticket).await?;
                replies.push((id, w.clone()));
            }
            answered.push(Answered {
                conversation_id: r.conversation.id,
                inbound_id: r.inbound_id,
                replies,
                duplicate: false,
            });
        }
        Ok(answered)
    }
}

/// Records one message of the bot or an agent in the conversation and, on WhatsApp, queues it
/// (a list's button labelled in `lang`, the language of the words).
pub(crate) async fn queue_words(
    app: &App,
    tx: &mut atende_store::Conn,
    conversation: &Conversation,
    words: &Rendered,
    lang: Lang,
    ticket: Option<i64>,
) -> Result<i64> {
    let now = app.clock.now();
    let payload = serde_json::to_string(words).map_err(|e| crate::AppError::Internal(format!("bot words: {e}")))?;
    let whatsapp = conversation.channel == Channel::Whatsapp.code();
    let status = if whatsapp { "queued" } else { "sent" };
    let id = store::record_outbound(tx, conversation.id, &words.plain(), &payload, status, ticket, now).await?;
    if whatsapp {
        let button = crate::i18n::I18n::shared().text(lang, "bot-list-button", &[]);
        let request = words.whatsapp(&conversation.identity, &button).to_string();
        store::queue_whatsapp(tx, id, &conversation.identity, &request, now).await?;
    }
    Ok(id)
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
