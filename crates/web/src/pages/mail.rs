//! E-mail for staff: the access queue agents work (`/agent/mail`) and the mailboxes admins
//! configure (`/admin/mailboxes`).

use askama::Template;
use atende_app::{
    directory,
    invitations::{self, InviteInput},
    mail::{
        InboundRecord, Mailbox,
        mailboxes::{self, MailboxInput},
        queue::{self, ConvertInput, ReceivedMessage},
    },
    teams,
};
use atende_domain::{Priority, Role, TicketType, entities::Contract};
use axum::{
    Router,
    extract::{Path, Query, State},
    response::Response,
    routing::{get, post},
};
use serde::Deserialize;

use super::{OrBack, PageError, Staff, chrome::Chrome, done, form::Fields, form::Submitted, page};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent/mail", get(queue_page))
        .route("/agent/mail/{id}", get(message_page).post(work_message))
        .route("/admin/mailboxes", get(mailboxes_page).post(create_mailbox))
        .route("/admin/mailboxes/{id}", post(change_mailbox))
}

// ---- the access queue

/// The lists an agent can switch between.
const VIEWS: [&str; 4] = ["queued", "ignored", "dismissed", "converted"];

#[derive(Deserialize)]
struct QueueQuery {
    outcome: Option<String>,
}

#[derive(Template)]
#[template(path = "agent_mail.html")]
struct QueuePage {
    c: Chrome,
    view: String,
    views: [&'static str; 4],
    messages: Vec<InboundRecord>,
}

impl QueuePage {
    fn view_name(&self, view: &str) -> String {
        self.c.t(&format!("mail-view-{view}"))
    }

    fn reason(&self, record: &InboundRecord) -> String {
        match &record.reason {
            Some(reason) => self.c.t(&format!("mail-reason-{}", reason.replace('.', "-"))),
            None => String::new(),
        }
    }
}

async fn queue_page(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(query): Query<QueueQuery>,
) -> Result<Response, PageError> {
    let view = query.outcome.unwrap_or_else(|| "queued".into());
    let messages = queue::list(&state.app, &signed.actor, &view, 0, 500).await?;
    page(&QueuePage {
        c: signed.ctx.chrome(&state, "mail"),
        view,
        views: VIEWS,
        messages,
    })
}

#[derive(Template)]
#[template(path = "agent_mail_message.html")]
struct MessagePage {
    c: Chrome,
    message: ReceivedMessage,
    contracts: Vec<Contract>,
    types: Vec<TicketType>,
    priorities: Vec<Priority>,
    /// The requester's address the convert form starts with.
    requester_email: String,
}

impl MessagePage {
    fn outcome(&self) -> String {
        self.c.t(&format!("mail-view-{}", self.message.record.outcome))
    }
}

async fn message_page(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let message = queue::get(&state.app, &signed.actor, id).await?;
    let contracts = teams::list_contracts(&state.app, &signed.actor, None)
        .await?
        .into_iter()
        .map(|v| v.contract)
        .collect();
    page(&MessagePage {
        c: signed.ctx.chrome(&state, "mail"),
        requester_email: message.record.sender.clone(),
        message,
        contracts,
        types: TicketType::ALL.to_vec(),
        priorities: Priority::ALL.to_vec(),
    })
}

async fn work_message(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/agent/mail/{id}");
    match form.text("action") {
        "dismiss" => {
            queue::dismiss(&state.app, &signed.actor, id).await.or_back(&back)?;
            return Ok(done(&signed.ctx, &state, "/agent/mail", "mail-dismissed"));
        }
        "invite" => {
            // The sender joins the contract's team by the invitation's link (sent by mail); the
            // message stays here to be made a ticket once they can open one.
            let message = queue::get(&state.app, &signed.actor, id).await.or_back(&back)?;
            invitations::invite(
                &state.app,
                &signed.actor,
                InviteInput {
                    email: message.record.sender,
                    organization_id: None,
                    contract_id: Some(form.parse("contract").or_back(&back)?),
                    bot_id: None,
                    role: Role::Customer,
                },
            )
            .await
            .or_back(&back)?;
            return Ok(done(&signed.ctx, &state, &back, "mail-invited"));
        }
        _ => {}
    }
    let requester = directory::find_by_email(&state.app, &signed.actor, form.text("requester"))
        .await
        .or_back(&back)?;
    let ticket = queue::convert(
        &state.app,
        &signed.actor,
        id,
        ConvertInput {
            requester_id: Some(requester.id),
            contract_id: form.parse("contract").or_back(&back)?,
            ticket_type: form.parse("type").or_back(&back)?,
            priority: form.parse("priority").or_back(&back)?,
        },
    )
    .await
    .or_back(&back)?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/agent/tickets/{}", ticket.id),
        "mail-converted",
    ))
}

// ---- mailboxes

#[derive(Template)]
#[template(path = "admin_mailboxes.html")]
struct MailboxesPage {
    c: Chrome,
    mailboxes: Vec<Mailbox>,
}

const MAILBOXES: &str = "/admin/mailboxes";

async fn mailboxes_page(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    page(&MailboxesPage {
        c: signed.ctx.chrome(&state, "admin"),
        mailboxes: mailboxes::list(&state.app, &signed.actor).await?,
    })
}

/// The settings as the form gives them; an empty password keeps the stored one.
fn mailbox_input(form: &Fields) -> Result<MailboxInput, PageError> {
    let tls = form.checked("imap_tls");
    Ok(MailboxInput {
        address: form.text("address").to_owned(),
        imap_host: form.text("imap_host").to_owned(),
        imap_port: form.parse_opt("imap_port")?.unwrap_or(if tls { 993 } else { 143 }),
        imap_tls: tls,
        imap_username: form.text("imap_username").to_owned(),
        // A password is taken as typed, spaces included.
        imap_password: Some(form.text("imap_password"))
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
        folder: form.opt("folder").map(str::to_owned),
        active: form.checked("active"),
    })
}

async fn create_mailbox(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let input = mailbox_input(&form).or_back(MAILBOXES)?;
    mailboxes::create(&state.app, &signed.actor, input)
        .await
        .or_back(MAILBOXES)?;
    Ok(done(&signed.ctx, &state, MAILBOXES, "admin-saved"))
}

async fn change_mailbox(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    if form.text("action") == "delete" {
        mailboxes::delete(&state.app, &signed.actor, id)
            .await
            .or_back(MAILBOXES)?;
        return Ok(done(&signed.ctx, &state, MAILBOXES, "admin-deleted"));
    }
    let input = mailbox_input(&form).or_back(MAILBOXES)?;
    mailboxes::update(&state.app, &signed.actor, id, input)
        .await
        .or_back(MAILBOXES)?;
    Ok(done(&signed.ctx, &state, MAILBOXES, "admin-saved"))
}
