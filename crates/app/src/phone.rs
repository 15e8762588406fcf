//! Phone support (Super and Enterprise, under the contract's phone condition): agents log calls,
//! and entitled customers ask to be called back.

use atende_domain::{Body, PhoneNumber, TicketChannel, Visibility, text::bounded};
use atende_store::{
    Conn, membership,
    phone::{self, Call, Callback},
};
use jiff::{SignedDuration, Timestamp};

use crate::{Actor, App, AppError, Result, auth::commit, entitlements::refusal_for};

/// What an agent notes about a call.
#[derive(Debug, Clone)]
pub struct CallFacts {
    pub inbound: bool,
    pub phone_number: PhoneNumber,
    pub duration_seconds: i64,
}

impl CallFacts {
    pub fn new(inbound: bool, phone_number: PhoneNumber, duration_seconds: i64) -> Result<Self> {
        if !(0..=24 * 3600).contains(&duration_seconds) {
            return Err(atende_domain::ParseError::Invalid {
                field: "duration",
                reason: "call_duration",
            }
            .into());
        }
        Ok(CallFacts {
            inbound,
            phone_number,
            duration_seconds,
        })
    }
}

/// Records the call row in the caller's transaction.
pub(crate) async fn record_call(
    tx: &mut Conn,
    ticket_id: i64,
    message_id: Option<i64>,
    agent_id: i64,
    call: &CallFacts,
    now: Timestamp,
) -> Result<()> {
    phone::insert_call(
        tx,
        &Call {
            id: 0,
            ticket_id,
            message_id,
            inbound: call.inbound,
            phone_number: call.phone_number.as_str().to_owned(),
            duration_seconds: call.duration_seconds,
            agent_id,
            created_at: now,
        },
    )
    .await?;
    Ok(())
}

/// Logs a call on an existing ticket: the notes become a message of channel `phone`.
pub async fn log_call(
    app: &App,
    actor: &Actor,
    ticket_id: i64,
    call: CallFacts,
    notes: Body,
    visibility: Visibility,
) -> Result<i64> {
    actor.require_staff()?;
    let mut tx = app.db.begin().await?;
    let message = crate::tickets::append_message(
        app,
        &mut tx,
        actor,
        ticket_id,
        notes,
        visibility,
        TicketChannel::Phone,
        &[],
    )
    .await?;
    record_call(&mut tx, ticket_id, Some(message.id), actor.id(), &call, app.clock.now()).await?;
    commit(tx).await?;
    Ok(message.id)
}

/// The calls of a ticket; customers see only those whose notes were shared with them.
pub async fn calls(app: &App, actor: &Actor, ticket_id: i64) -> Result<Vec<Call>> {
    let mut conn = app.db.read().await?;
    crate::tickets::visible(&mut conn, actor, ticket_id).await?;
    let calls = phone::calls_of_ticket(&mut conn, ticket_id).await?;
    if actor.is_staff() {
        return Ok(calls);
    }
    let public: Vec<i64> = atende_store::tickets::list_messages(&mut conn, ticket_id, false)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    Ok(calls
        .into_iter()
        .filter(|c| c.message_id.is_some_and(|m| public.contains(&m)))
        .collect())
}

/// How far ahead a call back may be asked for.
const CALLBACK_HORIZON: SignedDuration = SignedDuration::from_hours(24 * 30);
pub const MAX_CALLBACK_SUBJECT: usize = 200;

/// A customer asks to be called back about a contract whose plan and terms include phone support.
pub async fn request_callback(
    app: &App,
    actor: &Actor,
    contract_id: i64,
    phone_number: PhoneNumber,
    preferred_at: Timestamp,
    subject: &str,
) -> Result<Callback> {
    let subject = bounded("subject", subject, MAX_CALLBACK_SUBJECT)?;
    if subject.trim().is_empty() {
        return Err(atende_domain::ParseError::Empty { field: "subject" }.into());
    }
    let now = app.clock.now();
    if preferred_at < now - SignedDuration::from_mins(5) || preferred_at > now + CALLBACK_HORIZON {
        return Err(AppError::Rejected("callback.time_out_of_range"));
    }
    let mut conn = app.db.read().await?;
    let contract = crate::teams::visible_contract(&mut conn, actor, contract_id).await?;
    let profile = app.profile.get(&mut conn).await?;
    let plan = profile
        .plan(&contract.plan_code)
        .ok_or_else(|| AppError::Internal(format!("contract {contract_id} without plan")))?;
    if let Some(refusal) = refusal_for(
        &mut conn,
        &actor.user,
        &contract,
        plan,
        TicketChannel::Phone,
        app.today(),
    )
    .await?
    {
        return Err(AppError::Refused {
            refusal,
            contract_id: Some(contract_id),
        });
    }
    drop(conn);
    let mut tx = app.db.begin().await?;
    let id = phone::insert_callback(
        &mut tx,
        actor.id(),
        contract_id,
        phone_number.as_str(),
        preferred_at,
        &subject,
        now,
    )
    .await?;
    let callback = phone::get_callback(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("callback"))?;
    commit(tx).await?;
    Ok(callback)
}

/// Staff see the waiting queue; a customer sees their own requests.
pub async fn callbacks(app: &App, actor: &Actor) -> Result<Vec<Callback>> {
    let mut conn = app.db.read().await?;
    if actor.is_staff() {
        Ok(phone::waiting_callbacks(&mut conn, 200).await?)
    } else {
        Ok(phone::callbacks_of(&mut conn, actor.id(), 50).await?)
    }
}

/// Marks a waiting request done (optionally naming the ticket the call was logged on) or cancelled.
pub async fn close_callback(app: &App, actor: &Actor, id: i64, done: bool, ticket_id: Option<i64>) -> Result<()> {
    actor.require_staff()?;
    let mut tx = app.db.begin().await?;
    let callback = phone::get_callback(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("callback"))?;
    if let Some(ticket_id) = ticket_id {
        crate::tickets::visible(&mut tx, actor, ticket_id).await?;
    }
    let status = if done { "done" } else { "cancelled" };
    if !phone::close_callback(&mut tx, callback.id, status, ticket_id, actor.id(), app.clock.now()).await? {
        return Err(AppError::Rejected("callback.already_closed"));
    }
    commit(tx).await
}

/// The contract of a callback, for showing the queue with its customer.
pub async fn contract_name(app: &App, contract_id: i64) -> Result<String> {
    let mut conn = app.db.read().await?;
    Ok(membership::get_contract(&mut conn, contract_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default())
}
