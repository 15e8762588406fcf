//! What the bot does for a person: the engine asks, these use cases act, under the same rules
//! as the portal and the API (the access rules for tickets, each reader's scope for what they
//! see).

use atende_domain::{
    Body, Lang, Priority, Subject, TicketStatus, TicketType, Visibility,
    bot::{Action, Draft, Outcome},
};
use atende_store::{attachments as blobs, conversations as store, directory, tickets::TicketQuery};
use jiff::SignedDuration;

use super::Channel;
use crate::{Actor, App, AppError, Result, attachments::Upload, search, tickets};

/// Carries out one action for `actor` in conversation `conversation`.
pub(super) async fn perform(
    app: &App,
    actor: &Actor,
    channel: Channel,
    conversation: i64,
    lang: Lang,
    action: &Action,
) -> Result<Outcome> {
    match action {
        Action::SetLanguage(chosen) => {
            let mut conn = app.db.begin().await?;
            let mut user = actor.user.clone();
            user.language = Some(*chosen);
            directory::update_user(&mut conn, &user).await?;
            crate::auth::commit(conn).await?;
            Ok(Outcome::Done)
        }
        Action::OpenTicket(draft) => open(app, actor, channel, conversation, draft).await,
        Action::ListTickets => list(app, actor, lang).await,
        Action::ShowTicket(id) => show(app, actor, *id, lang).await,
        Action::Reply { ticket, text } => relay(app, actor, channel, conversation, *ticket, text, &[]).await,
        Action::Relay { ticket, text, files } => relay(app, actor, channel, conversation, *ticket, text, files).await,
        Action::SearchHelp(question) => help(app, actor, question, lang).await,
        Action::ShowReports => reports(app, actor, lang).await,
        Action::Handoff => handoff(app, actor, channel, conversation).await,
    }
}

/// The access rules' refusal, or any other failure, as the outcome the engine words.
fn refused_or(err: AppError) -> Result<Outcome> {
    match err {
        AppError::Refused { refusal, .. } => Ok(Outcome::Refused(refusal)),
        AppError::NotFound(_) | AppError::Forbidden(_) => Ok(Outcome::Gone),
        other => Err(other),
    }
}

async fn uploads(app: &App, conversation: i64, ids: &[i64]) -> Result<Vec<Upload>> {
    let mut conn = app.db.read().await?;
    let mut out = Vec::new();
    for f in store::files(&mut conn, conversation, ids).await? {
        out.push(Upload {
            file_name: f.file_name,
            data: blobs::data(&mut conn, &f.sha256).await?,
        });
    }
    Ok(out)
}

async fn open(app: &App, actor: &Actor, channel: Channel, conversation: i64, draft: &Draft) -> Result<Outcome> {
    let (Some(contract_id), Some(subject), Some(description)) = (draft.contract_id, &draft.subject, &draft.description)
    else {
        return Err(AppError::Internal("a bot draft reached confirmation incomplete".into()));
    };
    let input = tickets::OpenTicket {
        ticket_type: draft.ticket_type.unwrap_or(TicketType::Question),
        subject: Subject::parse(subject)?,
        description: Body::parse("description", description)?,
        priority: draft.priority.unwrap_or(Priority::Normal),
        contract_id,
        bot_id: draft.bot_id,
        requester_id: None,
        channel: None,
        attachments: uploads(app, conversation, &draft.files).await?,
        call: None,
    };
    match tickets::open(app, actor, input, channel.ticket_channel()).await {
        Ok(ticket) => {
            let due = ticket.sla_due_at.map(|at| due_text(actor, at));
            Ok(Outcome::Opened { id: ticket.id, due })
        }
        Err(err) => refused_or(err),
    }
}

/// A due time on the person's clock ("2026-11-30 15:45").
fn due_text(actor: &Actor, at: jiff::Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get(&actor.user.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    at.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string()
}

fn status_name(lang: Lang, status: TicketStatus) -> String {
    crate::i18n::I18n::shared().text(lang, &format!("status-{}", status.code()), &[])
}

async fn list(app: &App, actor: &Actor, lang: Lang) -> Result<Outcome> {
    let query = TicketQuery {
        requester_id: (!actor.is_staff()).then_some(actor.id()),
        unsolved: true,
        limit: 10,
        ..TicketQuery::default()
    };
    let (tickets, _) = tickets::list(app, actor, query).await?;
    let texts = crate::i18n::I18n::shared();
    Ok(Outcome::Tickets(
        tickets
            .into_iter()
            .map(|t| {
                let mut line = status_name(lang, t.status);
                if let Some(due) = t.sla_due_at {
                    let when = due_text(actor, due);
                    line.push_str(&format!(
                        " · {}",
                        texts.text(lang, "bot-due", &[("due", crate::i18n::Arg::Text(when))])
                    ));
                }
                line.push_str(&format!(" · {}", t.subject));
                (t.id, line)
            })
            .collect(),
    ))
}

async fn show(app: &App, actor: &Actor, id: i64, lang: Lang) -> Result<Outcome> {
    let ticket = match tickets::get(app, actor, id).await {
        Ok(t) => t,
        Err(err) => return refused_or(err),
    };
    let messages = tickets::messages(app, actor, id).await?;
    let texts = crate::i18n::I18n::shared();
    let mut lines = vec![ticket.subject.clone(), status_name(lang, ticket.status)];
    if let Some(due) = ticket.sla_due_at {
        lines.push(texts.text(
            lang,
            "bot-due",
            &[("due", crate::i18n::Arg::Text(due_text(actor, due)))],
        ));
    }
    let public: Vec<_> = messages.iter().filter(|m| m.visibility == Visibility::Public).collect();
    for m in public.iter().rev().take(3).rev() {
        let who = if m.author_id == ticket.requester_id {
            "bot-you"
        } else {
            "bot-support"
        };
        let body: String = m.body.chars().take(300).collect();
        lines.push(format!("{}: {body}", texts.text(lang, who, &[])));
    }
    Ok(Outcome::Ticket { id, lines })
}

async fn relay(
    app: &App,
    actor: &Actor,
    channel: Channel,
    conversation: i64,
    ticket: i64,
    text: &str,
    files: &[i64],
) -> Result<Outcome> {
    let attachments = uploads(app, conversation, files).await?;
    // A file sent alone still needs words on the ticket.
    let body = if text.trim().is_empty() {
        crate::i18n::I18n::shared().text(
            actor.user.language.unwrap_or(app.settings.default_language),
            "bot-file-on-ticket",
            &[],
        )
    } else {
        text.to_owned()
    };
    let body = Body::parse("body", &body)?;
    match tickets::add_message(
        app,
        actor,
        ticket,
        body,
        Visibility::Public,
        channel.ticket_channel(),
        attachments,
    )
    .await
    {
        Ok(_) => Ok(Outcome::Done),
        Err(err) => refused_or(err),
    }
}

async fn help(app: &App, actor: &Actor, question: &str, lang: Lang) -> Result<Outcome> {
    // A question in plain words: articles that answer some of them, the best first.
    let hits = search::articles(app, Some(actor), question, lang, true, 3).await?;
    // Shown instead of a ticket: what the deflection figure counts.
    if let Some(first) = hits.first() {
        let mut tx = app.db.begin().await?;
        atende_store::kb::record_suggestion_open(&mut tx, actor.id(), first.article.id, app.clock.now()).await?;
        crate::auth::commit(tx).await?;
    }
    let base = app.settings.public_url.trim_end_matches('/');
    Ok(Outcome::Articles(
        hits.into_iter()
            .filter_map(|h| {
                let t = h.article.translation(h.lang)?;
                Some((
                    t.title.clone(),
                    format!("{base}/help/{}/articles/{}-{}", h.lang.code(), h.article.id, t.slug),
                    t.faq_answer.clone(),
                ))
            })
            .collect(),
    ))
}

/// The person's figures: open tickets, solved in the last 30 days, and the same per bot of theirs.
async fn reports(app: &App, actor: &Actor, lang: Lang) -> Result<Outcome> {
    let texts = crate::i18n::I18n::shared();
    let query = TicketQuery {
        limit: 500,
        ..TicketQuery::default()
    };
    let (all, _) = tickets::list(app, actor, query).await?;
    let since = app
        .clock
        .now()
        .checked_sub(SignedDuration::from_hours(24 * 30))
        .unwrap_or(app.clock.now());
    let open = |t: &&atende_domain::entities::Ticket| !matches!(t.status, TicketStatus::Solved | TicketStatus::Closed);
    let solved = |t: &&atende_domain::entities::Ticket| {
        matches!(t.status, TicketStatus::Solved | TicketStatus::Closed) && t.updated_at >= since
    };
    let count = |n: usize| crate::i18n::Arg::Number(n as i64);
    let mut lines = vec![texts.text(
        lang,
        "bot-report-overall",
        &[
            ("open", count(all.iter().filter(open).count())),
            ("solved", count(all.iter().filter(solved).count())),
        ],
    )];
    lines.extend(service_levels(app, actor, &all, lang).await?);
    let bots = {
        let mut conn = app.db.read().await?;
        atende_store::membership::list_bots(&mut conn, actor.user.organization_id).await?
    };
    for bot in bots {
        let mine: Vec<_> = all.iter().filter(|t| t.bot_id == Some(bot.id)).collect();
        if mine.is_empty() {
            continue;
        }
        lines.push(texts.text(
            lang,
            "bot-report-bot",
            &[
                ("bot", crate::i18n::Arg::Text(bot.name.clone())),
                ("open", count(mine.iter().filter(|t| open(t)).count())),
                ("solved", count(mine.iter().filter(|t| solved(t)).count())),
            ],
        ));
    }
    Ok(Outcome::Reports(lines))
}

/// This month's service levels over the person's tickets opened this month (the latest 50): how
/// many met every target that finished, and the average first response in business minutes.
async fn service_levels(
    app: &App,
    actor: &Actor,
    all: &[atende_domain::entities::Ticket],
    lang: Lang,
) -> Result<Vec<String>> {
    use atende_domain::sla::{ClockState, Target};
    let month = app
        .today()
        .first_of_month()
        .to_zoned(app.settings.time_zone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let (mut measured, mut met, mut firsts, mut first_secs) = (0i64, 0i64, 0i64, 0i64);
    for ticket in all.iter().filter(|t| t.created_at >= month).take(50) {
        let view = crate::sla::explain(app, actor, ticket.id).await?;
        let finished: Vec<_> = view
            .targets
            .iter()
            .filter(|v| matches!(v.measurement.state, ClockState::Achieved | ClockState::Breached))
            .collect();
        if !finished.is_empty() {
            measured += 1;
            met += i64::from(finished.iter().all(|v| v.measurement.state == ClockState::Achieved));
        }
        if let Some(first) = view
            .targets
            .iter()
            .find(|v| v.measurement.target == Target::FirstResponse && v.measurement.stopped_at.is_some())
        {
            firsts += 1;
            first_secs += first.measurement.elapsed_secs;
        }
    }
    let texts = crate::i18n::I18n::shared();
    let number = crate::i18n::Arg::Number;
    let mut lines = vec![texts.text(
        lang,
        "bot-report-sla",
        &[("met", number(met)), ("measured", number(measured))],
    )];
    if firsts > 0 {
        let minutes = (first_secs / firsts + 30) / 60;
        lines.push(texts.text(lang, "bot-report-first-response", &[("minutes", number(minutes))]));
    }
    Ok(lines)
}

/// The person's open ticket from this conversation, or a new one that asks for a person.
async fn handoff(app: &App, actor: &Actor, channel: Channel, conversation: i64) -> Result<Outcome> {
    let recent = {
        let mut conn = app.db.read().await?;
        store::messages(&mut conn, conversation, 200).await?
    };
    let linked: Vec<i64> = recent.iter().rev().filter_map(|m| m.ticket_id).collect();
    for id in linked {
        if let Ok(t) = tickets::get(app, actor, id).await
            && !matches!(t.status, TicketStatus::Solved | TicketStatus::Closed)
        {
            return Ok(Outcome::Handed { ticket: t.id });
        }
    }
    let Some(contract) = super::facts::first_open_contract(app, actor, channel).await? else {
        // Nobody may be reached through tickets: the engine words the refusal.
        return match super::facts::first_refusal(app, actor, channel).await? {
            Some(refusal) => Ok(Outcome::Refused(refusal)),
            None => Ok(Outcome::Gone),
        };
    };
    let lang = actor.user.language.unwrap_or(app.settings.default_language);
    let texts = crate::i18n::I18n::shared();
    let transcript: Vec<String> = recent
        .iter()
        .rev()
        .take(20)
        .rev()
        .map(|m| format!("{}: {}", m.direction, m.body))
        .collect();
    let input = tickets::OpenTicket {
        ticket_type: TicketType::Question,
        subject: Subject::parse(&texts.text(lang, "bot-handoff-subject", &[]))?,
        description: Body::parse(
            "description",
            &format!(
                "{}\n\n{}",
                texts.text(lang, "bot-handoff-description", &[]),
                transcript.join("\n")
            ),
        )?,
        priority: Priority::Normal,
        contract_id: contract,
        bot_id: None,
        requester_id: None,
        channel: None,
        attachments: Vec::new(),
        call: None,
    };
    match tickets::open(app, actor, input, channel.ticket_channel()).await {
        Ok(ticket) => Ok(Outcome::Handed { ticket: ticket.id }),
        Err(err) => refused_or(err),
    }
}
