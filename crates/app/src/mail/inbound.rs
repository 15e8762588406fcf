//! A received message becomes a reply on its ticket, a new ticket, or an entry of the access
//! queue with one explanation to its sender. Nothing is dropped: every message is kept whole,
//! and its record, its ticket writes and the mailbox position commit together, so a message is
//! taken exactly once even across a crash.

use atende_channels::mail::{InboundMail, parse};
use atende_domain::{
    Body, Lang, Priority, Refusal, Subject, TicketChannel, TicketType, Visibility,
    entities::User,
    mail::{
        Noise, classify, new_text, sender_authenticated,
        threading::{Clues, Placement, place, referenced_ids},
    },
};
use atende_store::{
    Conn, directory, mail,
    tickets::{self, TicketScope},
};
use jiff::SignedDuration;

use super::letters::{Letter, own_domain, queue};
use crate::{
    Actor, App, AppError, Result,
    attachments::{CheckedUpload, Upload, check_all},
    auth::commit,
    i18n::{Arg, I18n, key_of, refusal_args},
    tickets::{OpenTicket, Opening, append_message, check_open, write_opening},
};

/// Where a message came from: a mailbox and its UID (IMAP), or the HTTP endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub mailbox_id: i64,
    pub uid_validity: i64,
    pub uid: i64,
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// `ticket`, `reply`, `queued`, `ignored` or `duplicate`.
    pub outcome: &'static str,
    pub reason: Option<String>,
    pub ticket_id: Option<i64>,
    pub inbound_id: Option<i64>,
    pub answered: bool,
}

/// Who may be asked to open tickets from mail: people, not robots, who are ours.
async fn sender(conn: &mut Conn, address: &str) -> Result<Option<User>> {
    if address.is_empty() {
        return Ok(None);
    }
    Ok(directory::user_by_address(conn, address).await?)
}

pub(super) fn uploads(mail: &InboundMail) -> Vec<CheckedUpload> {
    // Files one by one: a file atende does not take (a program, winmail.dat) does not cost the
    // message its other files; the original keeps them all.
    mail.attachments
        .iter()
        .filter_map(|a| {
            check_all(vec![Upload {
                file_name: a.name.clone(),
                data: a.data.clone(),
            }])
            .ok()
        })
        .flatten()
        .take(crate::attachments::MAX_PER_MESSAGE)
        .collect()
}

/// Text without the control characters that have no place in a ticket (NUL, bells, escapes).
fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

pub(super) fn body_of(mail: &InboundMail, lang: Lang) -> Result<Body> {
    let text = printable(&new_text(&mail.text));
    let text: String = text.chars().take(Body::MAX_LEN).collect();
    let text = if text.trim().is_empty() {
        I18n::shared().text(lang, "mail-empty-body", &[])
    } else {
        text
    };
    Ok(Body::parse("body", &text)?)
}

pub(super) fn subject_of(mail: &InboundMail, lang: Lang) -> Result<Subject> {
    let raw: String = printable(&mail.subject).chars().take(Subject::MAX_LEN).collect();
    match Subject::parse(&raw) {
        Ok(subject) => Ok(subject),
        Err(_) => Ok(Subject::parse(&I18n::shared().text(lang, "mail-no-subject", &[]))?),
    }
}

/// What the rules decided, before anything is written.
enum Decision {
    Reply {
        ticket_id: i64,
        actor: Actor,
    },
    Open {
        linked: Option<i64>,
        /// The ticket as the rules accepted it, the message's files included.
        opening: Box<Opening>,
    },
    Queue {
        reason: String,
        refusal: Option<Refusal>,
    },
    Ignore {
        reason: &'static str,
        ticket_id: Option<i64>,
    },
}

/// Takes one raw RFC 5322 message.
pub async fn receive(app: &App, raw: &[u8], source: Option<Source>) -> Result<Receipt> {
    let now = app.clock.now();
    let Some(mail) = parse(raw) else {
        return record(
            app,
            raw,
            None,
            source,
            Decision::Ignore {
                reason: "unreadable",
                ticket_id: None,
            },
            None,
        )
        .await;
    };
    let mut conn = app.db.read().await?;
    if let Some(id) = &mail.message_id
        && mail::is_known_id(&mut conn, id).await?
    {
        {
            drop(conn);
            if let Some(source) = source {
                let mut tx = app.db.begin().await?;
                mail::set_position(&mut tx, source.mailbox_id, source.uid_validity, source.uid, now).await?;
                commit(tx).await?;
            }
            return Ok(Receipt {
                outcome: "duplicate",
                reason: None,
                ticket_id: None,
                inbound_id: None,
                answered: false,
            });
        }
    }
    let user = sender(&mut conn, &mail.from).await?;
    let headers = mail.header_pairs();
    let noise = classify(&headers, &mail.from, &own_domain(app));

    let referenced = mail::ticket_of_ids(&mut conn, &referenced_ids(&mail.in_reply_to, &mail.references)).await?;
    let tagged = match app.settings.mail.subject_tag.find(&mail.subject) {
        Some(id) => tickets::get_ticket(&mut conn, id, TicketScope::All)
            .await?
            .map(|t| t.id),
        None => None,
    };
    let sender_takes_part = match (&user, tagged) {
        (Some(user), Some(ticket)) => {
            let actor = Actor { user: user.clone() };
            tickets::get_ticket(&mut conn, ticket, actor.ticket_scope())
                .await?
                .is_some()
                || mail::followers(&mut conn, ticket).await?.contains(&user.id)
        }
        _ => false,
    };
    let placement = place(Clues {
        referenced,
        tagged,
        sender_takes_part,
    });
    let joined = match placement {
        Placement::Join(t) => Some(t),
        _ => None,
    };

    let decision = if !noise.may_answer() {
        Decision::Ignore {
            reason: match noise {
                Noise::AutoReply => "auto_reply",
                Noise::Bounce => "bounce",
                Noise::List => "list",
                Noise::OurOwn => "our_own",
                Noise::Person => "person",
            },
            ticket_id: joined.or(tagged),
        }
    } else if mail::received_from_since(
        &mut conn,
        &mail.from,
        now - SignedDuration::from_hours(1),
        app.settings.mail.messages_per_sender_per_hour,
    )
    .await?
        >= app.settings.mail.messages_per_sender_per_hour
    {
        Decision::Queue {
            reason: "rate_limited".into(),
            refusal: None,
        }
    } else {
        match user.clone() {
            None => Decision::Queue {
                reason: "unknown_sender".into(),
                refusal: Some(Refusal::NotRegistered),
            },
            Some(user) => {
                let actor = Actor { user };
                let may_reply = match joined {
                    Some(ticket) => tickets::get_ticket(&mut conn, ticket, actor.ticket_scope())
                        .await?
                        .is_some_and(|t| t.status != atende_domain::TicketStatus::Closed),
                    None => false,
                };
                match (joined, may_reply) {
                    (Some(ticket_id), true) => Decision::Reply { ticket_id, actor },
                    _ => {
                        let linked = match placement {
                            Placement::NewLinked(t) | Placement::Join(t) => Some(t),
                            Placement::New => None,
                        };
                        open_decision(app, &mut conn, actor, &mail, linked).await?
                    }
                }
            }
        }
    };
    drop(conn);
    match record(app, raw, Some(&mail), source, decision, user.clone()).await {
        // A message the rules cannot take (whatever is wrong with it) must not stop the mailbox
        // behind it: it is kept as unprocessable for agents to read. Storage errors still fail,
        // so the message is offered again.
        Err(err) if !matches!(err, AppError::Internal(_)) => {
            tracing::warn!(%err, sender = %mail.from, "a received message could not be taken; kept as unprocessable");
            let kept = Decision::Ignore {
                reason: "unprocessable",
                ticket_id: None,
            };
            record(app, raw, Some(&mail), source, kept, user).await
        }
        other => other,
    }
}

/// The first contract of the sender's organization on which the rules let them open a ticket
/// by e-mail; else the refusal of the contract they are closest to.
async fn open_decision(
    app: &App,
    conn: &mut Conn,
    actor: Actor,
    mail: &InboundMail,
    linked: Option<i64>,
) -> Result<Decision> {
    if actor.is_staff() {
        return Ok(Decision::Queue {
            reason: "staff_sender".into(),
            refusal: None,
        });
    }
    let Some(organization_id) = actor.user.organization_id else {
        return Ok(Decision::Queue {
            reason: "not_entitled.not_registered".into(),
            refusal: Some(Refusal::NotRegistered),
        });
    };
    let mut contracts = atende_store::membership::contracts_with_membership(conn, organization_id, actor.id()).await?;
    // The contracts the person is in view of first.
    contracts.sort_by_key(|(c, (on_team, on_bot_team))| (!(*on_team || *on_bot_team), c.id));
    let lang = actor.user.language.unwrap_or(app.settings.default_language);
    let mut first_refusal = None;
    for (contract, _) in contracts {
        let input = OpenTicket {
            ticket_type: TicketType::Question,
            subject: subject_of(mail, lang)?,
            description: body_of(mail, lang)?,
            priority: Priority::Normal,
            contract_id: contract.id,
            bot_id: None,
            requester_id: None,
            channel: None,
            attachments: Vec::new(),
            call: None,
        };
        match check_open(app, conn, &actor, input, TicketChannel::Email).await {
            Ok(checked) => {
                return Ok(Decision::Open {
                    linked,
                    opening: Box::new(Opening {
                        actor_id: actor.id(),
                        checked: checked.with_files(uploads(mail)),
                        via: TicketChannel::Email,
                    }),
                });
            }
            Err(AppError::Refused { refusal, .. }) => {
                first_refusal.get_or_insert(refusal);
            }
            Err(other) => return Err(other),
        }
    }
    let refusal = first_refusal.unwrap_or(Refusal::NotInView);
    Ok(Decision::Queue {
        reason: refusal.code().to_owned(),
        refusal: Some(refusal),
    })
}

/// Writes what was decided, with the message, its id and the mailbox position, in one transaction.
async fn record(
    app: &App,
    raw: &[u8],
    mail: Option<&InboundMail>,
    source: Option<Source>,
    decision: Decision,
    user: Option<User>,
) -> Result<Receipt> {
    let now = app.clock.now();
    let mut conn = app.db.read().await?;
    // An answer goes only to people the receiving server vouched for, or whom we know, and at
    // most so many a day: no backscatter to forged senders, no ping-pong.
    let answer = match (&decision, mail) {
        (Decision::Queue { reason, .. }, Some(mail)) if reason != "rate_limited" => {
            let vouched = user.is_some()
                || sender_authenticated(&mail.header_pairs(), &app.settings.mail.trusted_auth_hosts, &mail.from);
            vouched
                && mail::answers_to_since(&mut conn, &mail.from, now - SignedDuration::from_hours(24)).await?
                    < app.settings.mail.answers_per_sender_per_day
        }
        _ => false,
    };
    let lang = user
        .as_ref()
        .and_then(|u| u.language)
        .unwrap_or(app.settings.default_language);
    let refusal = match &decision {
        Decision::Queue { refusal, .. } => refusal.clone(),
        _ => None,
    };
    drop(conn);
    // Written with the other messages received at the same moment, in one transaction.
    app.mail_intake
        .write(
            app,
            Recording {
                raw: raw.to_vec(),
                mail: mail.cloned(),
                source,
                decision,
                user,
                lang,
                answer,
                refusal,
            },
        )
        .await
}

/// A received message and what was decided for it, to be written.
pub(crate) struct Recording {
    raw: Vec<u8>,
    mail: Option<InboundMail>,
    source: Option<Source>,
    decision: Decision,
    user: Option<User>,
    lang: Lang,
    /// Whether the sender gets an answer explaining why the message did not become a ticket.
    answer: bool,
    refusal: Option<Refusal>,
}

impl crate::group_commit::Batch for Recording {
    type Written = Receipt;
    const WHAT: &'static str = "received message";

    async fn write_all(app: &App, tx: &mut Conn, batch: &[Self]) -> Result<Vec<Receipt>> {
        let mut receipts = Vec::with_capacity(batch.len());
        for recording in batch {
            receipts.push(write_recording(app, tx, recording).await?);
        }
        Ok(receipts)
    }
}

/// Writes what was decided, with the message, its id and the mailbox position, in the caller's
/// transaction.
async fn write_recording(app: &App, tx: &mut Conn, recording: &Recording) -> Result<Receipt> {
    let Recording {
        raw,
        mail,
        source,
        decision,
        user,
        lang,
        answer,
        refusal,
    } = recording;
    let (mail, source, lang, answer) = (mail.as_ref(), *source, *lang, *answer);
    let now = app.clock.now();
    let (outcome, reason, ticket_id): (&'static str, Option<String>, Option<i64>) = match (decision, mail) {
        (Decision::Reply { ticket_id, actor }, Some(mail)) => {
            append_message(
                app,
                tx,
                actor,
                *ticket_id,
                body_of(mail, lang)?,
                Visibility::Public,
                TicketChannel::Email,
                &uploads(mail),
            )
            .await?;
            ("reply", None, Some(*ticket_id))
        }
        (Decision::Open { linked, opening }, Some(_)) => {
            let ticket = write_opening(app, tx, opening).await?;
            if let Some(linked) = linked {
                mail::link_tickets(tx, ticket.id, *linked, now).await?;
            }
            ("ticket", None, Some(ticket.id))
        }
        (Decision::Queue { reason, .. }, _) => ("queued", Some(reason.clone()), None),
        (Decision::Ignore { reason, ticket_id }, _) => ("ignored", Some((*reason).to_owned()), *ticket_id),
        (_, None) => ("ignored", Some("unreadable".into()), None),
    };
    if let (Some(mail), Some(ticket), Some(user)) = (mail, ticket_id, user)
        && matches!(outcome, "ticket" | "reply")
    {
        add_copied_followers(tx, mail, ticket, user, app).await?;
    }
    let record = mail::insert_inbound(
        tx,
        &mail::NewInbound {
            mailbox_id: source.map(|s| s.mailbox_id),
            message_id: mail.and_then(|m| m.message_id.as_deref()),
            sender: mail.map(|m| m.from.as_str()).unwrap_or_default(),
            subject: mail.map(|m| m.subject.as_str()).unwrap_or_default(),
            raw,
            outcome,
            reason: reason.as_deref(),
            ticket_id,
            answered: answer,
        },
        now,
    )
    .await?;
    if let Some(id) = mail.and_then(|m| m.message_id.as_deref()) {
        mail::remember_id(tx, id, ticket_id, "in", now).await?;
    }
    if let Some(source) = source {
        mail::set_position(tx, source.mailbox_id, source.uid_validity, source.uid, now).await?;
    }
    if let (true, Some(mail)) = (answer, mail) {
        queue(
            app,
            tx,
            access_answer(app, mail, user.as_ref(), refusal.as_ref(), record.id),
        )
        .await?;
    }
    Ok(Receipt {
        outcome,
        reason,
        ticket_id,
        inbound_id: Some(record.id),
        answered: answer,
    })
}

/// People copied on the message who may see the ticket follow it from now on.
async fn add_copied_followers(
    tx: &mut Conn,
    mail: &InboundMail,
    ticket_id: i64,
    sender: &User,
    app: &App,
) -> Result<()> {
    let support = app.settings.support_email.to_lowercase();
    for address in mail.cc.iter().chain(mail.to.iter()) {
        if *address == support || *address == sender.email {
            continue;
        }
        let Some(user) = self::sender(tx, address).await? else {
            continue;
        };
        let actor = Actor { user };
        if tickets::get_ticket(tx, ticket_id, actor.ticket_scope())
            .await?
            .is_some()
        {
            mail::add_follower(tx, ticket_id, actor.id(), app.clock.now()).await?;
        }
    }
    Ok(())
}

/// The one answer to a message that could not become a ticket: why, and what to do.
fn access_answer(
    app: &App,
    mail: &InboundMail,
    user: Option<&User>,
    refusal: Option<&Refusal>,
    inbound_id: i64,
) -> Letter {
    let texts = I18n::shared();
    // Someone we do not know gets the answer in the three languages.
    let langs: Vec<Lang> = match user.and_then(|u| u.language) {
        Some(lang) => vec![lang],
        None => match user {
            Some(_) => vec![app.settings.default_language],
            None => vec![Lang::Es, Lang::PtBr, Lang::En],
        },
    };
    let mut paragraphs = Vec::new();
    for lang in &langs {
        let lang = *lang;
        paragraphs.push(texts.text(
            lang,
            "mail-access-intro",
            &[("subject", Arg::Text(mail.subject.clone()))],
        ));
        if let Some(refusal) = refusal {
            let args = refusal_args(refusal);
            paragraphs.push(texts.text(lang, &key_of("", refusal.code()), &args));
        }
        paragraphs.push(texts.text(
            lang,
            "mail-access-help",
            &[(
                "help",
                Arg::Text(format!(
                    "{}{}",
                    app.settings.public_url.trim_end_matches('/'),
                    app.settings.documentation_url
                )),
            )],
        ));
        paragraphs.push(texts.text(lang, "mail-access-kept", &[]));
    }
    let first = langs.first().copied().unwrap_or(app.settings.default_language);
    Letter {
        in_reply_to: mail.message_id.clone(),
        ..Letter::notice(
            "access",
            format!("inbound:{inbound_id}"),
            mail.from.clone(),
            first,
            texts.text(
                first,
                "mail-access-subject",
                &[("subject", Arg::Text(mail.subject.clone()))],
            ),
            paragraphs,
        )
    }
}
