//! The web chat: a visitor holds a random key (kept by their browser); the conversation is stored
//! under its hash, so a copy of the database lets nobody speak as them. A visitor signed in to
//! atende is known at once; anyone else says who they are with a one-time code sent to their
//! e-mail. Messages are stored as they are said: the widget reads what came after the last one it
//! has, over a WebSocket or by asking again, so a dropped connection loses nothing.

use atende_domain::{Email, bot::Input};
use atende_store::{conversations as store, directory};
use jiff::SignedDuration;

use super::{Channel, Inbound, Said, initial_state, receive};
use crate::{
    Actor, App, AppError, Result,
    auth::{commit, sha256_hex},
    i18n::{Arg, I18n},
    mail::letters::{Letter, queue},
};

/// A visitor's key: long and random.
pub fn new_visitor() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn identity(visitor: &str) -> Result<String> {
    let ok = (32..=64).contains(&visitor.len()) && visitor.chars().all(|c| c.is_ascii_hexdigit());
    if !ok {
        return Err(AppError::Unauthenticated("chat.visitor"));
    }
    Ok(sha256_hex(visitor.as_bytes()))
}

/// A visitor's conversation as the widget opens it.
pub struct ChatSession {
    pub visitor: String,
    pub conversation_id: i64,
    /// Whether the bot knows who the visitor is.
    pub known: bool,
    /// The latest messages, oldest first.
    pub messages: Vec<Said>,
}

/// Opens (or reopens) a visitor's conversation; a signed-in visitor is known from now on.
pub async fn session(app: &App, visitor: Option<&str>, actor: Option<&Actor>) -> Result<ChatSession> {
    let visitor = match visitor {
        Some(v) => v.to_owned(),
        None => new_visitor()?,
    };
    let id = identity(&visitor)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let mut conversation = store::open(&mut tx, Channel::Webchat.code(), &id, "", &initial_state(), now).await?;
    if let Some(actor) = actor.filter(|a| !a.is_staff())
        && conversation.user_id != Some(actor.id())
    {
        store::set_user(&mut tx, conversation.id, actor.id(), now).await?;
        conversation.user_id = Some(actor.id());
    }
    let messages = store::messages(&mut tx, conversation.id, 50).await?;
    commit(tx).await?;
    Ok(ChatSession {
        visitor,
        conversation_id: conversation.id,
        known: conversation.user_id.is_some(),
        messages,
    })
}

/// What the visitor sends: text, or an option they tapped.
pub enum Sent {
    Text(String),
    Choice { id: String, title: String },
}

/// Takes a visitor's message; the messages stored since (theirs and the bot's answers).
pub async fn send(app: &App, visitor: &str, sent: Sent) -> Result<Vec<Said>> {
    let id = identity(visitor)?;
    let (input, shown) = match sent {
        Sent::Text(text) => {
            if text.chars().count() > 5_000 {
                return Err(atende_domain::ParseError::TooLong {
                    field: "text",
                    max: 5_000,
                }
                .into());
            }
            (Input::Text(text.clone()), text)
        }
        Sent::Choice { id, title } => (Input::Choice(id), title),
    };
    let answered = receive(
        app,
        Inbound {
            channel: Channel::Webchat,
            identity: &id,
            display_name: "",
            input,
            shown: &shown,
            external_id: None,
            user_id: None,
        },
    )
    .await?;
    let mut conn = app.db.read().await?;
    Ok(store::messages_after(&mut conn, answered.conversation_id, answered.inbound_id - 1).await?)
}

/// The visitor's conversation, once it has one; a malformed key is refused.
pub async fn conversation(app: &App, visitor: &str) -> Result<Option<i64>> {
    let id = identity(visitor)?;
    let mut conn = app.db.read().await?;
    Ok(store::by_identity(&mut conn, Channel::Webchat.code(), &id)
        .await?
        .map(|c| c.id))
}

/// What was said after message `after` in a conversation found with [`conversation`]: the
/// live channels ask this every second, so they look the conversation up once.
pub async fn said_after(app: &App, conversation: i64, after: i64) -> Result<Vec<Said>> {
    let mut conn = app.db.read().await?;
    Ok(store::messages_after(&mut conn, conversation, after).await?)
}

/// The visitor has read everything up to message `up_to`.
pub async fn read(app: &App, visitor: &str, up_to: i64) -> Result<()> {
    let id = identity(visitor)?;
    let mut tx = app.db.begin().await?;
    if let Some(c) = store::by_identity(&mut tx, Channel::Webchat.code(), &id).await? {
        store::mark_read(&mut tx, c.id, up_to, app.clock.now()).await?;
    }
    commit(tx).await
}

const CODE_MINUTES: i64 = 15;

/// Mails a one-time code to the address, when it is a customer's; the answer is the same
/// whoever the address belongs to, so nobody learns who has an account.
pub async fn ask_code(app: &App, visitor: &str, email: &str) -> Result<()> {
    let id = identity(visitor)?;
    let email = Email::parse(email)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let Some(user) = directory::find_user_by_email(&mut tx, email.as_str()).await? else {
        return Ok(());
    };
    if user.role.is_staff() {
        return Ok(());
    }
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let code = format!("{:06}", u32::from_le_bytes(bytes) % 1_000_000);
    let expires = now.checked_add(SignedDuration::from_mins(CODE_MINUTES)).unwrap_or(now);
    store::put_code(
        &mut tx,
        &id,
        user.id,
        &sha256_hex(format!("{id}:{code}").as_bytes()),
        expires,
    )
    .await?;
    let lang = user.language.unwrap_or(app.settings.default_language);
    let texts = I18n::shared();
    let args = [
        ("code", Arg::Text(code.clone())),
        ("minutes", Arg::Number(CODE_MINUTES)),
    ];
    let letter = Letter::notice(
        "chat_code",
        format!("chat-code:{id}:{}", now.as_millisecond()),
        user.email.clone(),
        lang,
        texts.text(lang, "mail-chat-code-subject", &args),
        vec![texts.text(lang, "mail-chat-code-body", &args)],
    );
    queue(app, &mut tx, letter).await?;
    commit(tx).await
}

/// The visitor gives the code they received: from now on the bot knows them.
pub async fn check_code(app: &App, visitor: &str, code: &str) -> Result<()> {
    let id = identity(visitor)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let hash = sha256_hex(format!("{id}:{}", code.trim()).as_bytes());
    let Some(user) = store::take_code(&mut tx, &id, &hash, now).await? else {
        commit(tx).await?;
        return Err(AppError::Rejected("chat.code"));
    };
    let conversation = store::open(&mut tx, Channel::Webchat.code(), &id, "", &initial_state(), now).await?;
    store::set_user(&mut tx, conversation.id, user, now).await?;
    commit(tx).await
}

/// Tells a person of a ticket update in their web chat, in the caller's transaction; `false`
/// when they have none (the caller mails them instead).
pub(crate) async fn push_update(
    app: &App,
    tx: &mut atende_store::Conn,
    user_id: i64,
    ticket: i64,
    text: &str,
) -> Result<bool> {
    let Some(conversation) = store::latest_of_user(tx, user_id, Channel::Webchat.code()).await? else {
        return Ok(false);
    };
    let words = super::Rendered {
        text: text.to_owned(),
        options: Vec::new(),
    };
    // A web chat shows no list button, so the language of its label does not matter here.
    let lang = app.settings.default_language;
    super::queue_words(app, tx, &conversation, &words, lang, Some(ticket)).await?;
    Ok(true)
}
