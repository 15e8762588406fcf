//! The support profile: plans with their channel matrix, and the ticket types' texts.

use std::collections::BTreeMap;

use atende_domain::{Availability, Channel, Lang, Plan, entities::TicketTypeText};
use sqlx::any::AnyRow;

use crate::{
    Conn, Result,
    rows::{get_bool, get_i64, get_opt_parsed, get_parsed, get_str},
};

pub async fn list_plans(conn: &mut Conn) -> Result<Vec<Plan>> {
    let rows = sqlx::query("SELECT code, name, paid, tier, position FROM plans ORDER BY position, code")
        .fetch_all(&mut *conn)
        .await?;
    let channels = sqlx::query("SELECT plan_code, channel, availability FROM plan_channels")
        .fetch_all(&mut *conn)
        .await?;
    let mut matrix: BTreeMap<String, BTreeMap<Channel, Availability>> = BTreeMap::new();
    for row in &channels {
        matrix
            .entry(get_str(row, "plan_code")?)
            .or_default()
            .insert(get_parsed(row, "channel")?, get_parsed(row, "availability")?);
    }
    rows.iter()
        .map(|row| {
            let mut plan = plan_from_row(row)?;
            plan.channels = matrix.remove(&plan.code).unwrap_or_default();
            Ok(plan)
        })
        .collect()
}

pub async fn get_plan(conn: &mut Conn, code: &str) -> Result<Option<Plan>> {
    Ok(list_plans(conn).await?.into_iter().find(|p| p.code == code))
}

fn plan_from_row(row: &AnyRow) -> Result<Plan> {
    Ok(Plan {
        code: get_str(row, "code")?,
        name: get_str(row, "name")?,
        paid: get_bool(row, "paid")?,
        tier: get_opt_parsed(row, "tier")?,
        position: get_i64(row, "position")?,
        channels: BTreeMap::new(),
    })
}

/// Inserts `plan` if its code is new; returns whether it was inserted.
/// Binds a plan's stored fields as `$1` code, `$2` name, `$3` paid, `$4` tier, `$5` position.
fn bind_plan<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    plan: &'q Plan,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&plan.code)
        .bind(&plan.name)
        .bind(plan.paid)
        .bind(plan.tier.map(|t| t.code()))
        .bind(plan.position)
}

pub async fn insert_plan_if_missing(conn: &mut Conn, plan: &Plan) -> Result<bool> {
    let query = sqlx::query(
        "INSERT INTO plans (code, name, paid, tier, position) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (code) DO NOTHING RETURNING code",
    );
    let inserted = bind_plan(query, plan).fetch_optional(&mut *conn).await?.is_some();
    if inserted {
        replace_channels(conn, plan).await?;
    }
    Ok(inserted)
}

/// Writes `plan` over the stored one with the same code, channel matrix included.
pub async fn update_plan(conn: &mut Conn, plan: &Plan) -> Result<bool> {
    let query = sqlx::query("UPDATE plans SET name = $2, paid = $3, tier = $4, position = $5 WHERE code = $1");
    let updated = bind_plan(query, plan).execute(&mut *conn).await?.rows_affected() > 0;
    if updated {
        replace_channels(conn, plan).await?;
    }
    Ok(updated)
}

async fn replace_channels(conn: &mut Conn, plan: &Plan) -> Result<()> {
    sqlx::query("DELETE FROM plan_channels WHERE plan_code = $1")
        .bind(&plan.code)
        .execute(&mut *conn)
        .await?;
    for (channel, availability) in &plan.channels {
        sqlx::query("INSERT INTO plan_channels (plan_code, channel, availability) VALUES ($1, $2, $3)")
            .bind(&plan.code)
            .bind(channel.code())
            .bind(availability.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert_type_text_if_missing(conn: &mut Conn, text: &TicketTypeText) -> Result<()> {
    sqlx::query(
        "INSERT INTO ticket_type_texts (type_code, lang, name, definition) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (type_code, lang) DO NOTHING",
    )
    .bind(text.ticket_type.code())
    .bind(text.lang.code())
    .bind(&text.name)
    .bind(&text.definition)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn update_type_text(conn: &mut Conn, text: &TicketTypeText) -> Result<()> {
    sqlx::query(
        "INSERT INTO ticket_type_texts (type_code, lang, name, definition) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (type_code, lang) DO UPDATE SET name = excluded.name, definition = excluded.definition",
    )
    .bind(text.ticket_type.code())
    .bind(text.lang.code())
    .bind(&text.name)
    .bind(&text.definition)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn type_texts(conn: &mut Conn, lang: Lang) -> Result<Vec<TicketTypeText>> {
    let rows = sqlx::query(
        "SELECT type_code, lang, name, definition FROM ticket_type_texts WHERE lang = $1 ORDER BY type_code",
    )
    .bind(lang.code())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TicketTypeText {
                ticket_type: get_parsed(row, "type_code")?,
                lang: get_parsed(row, "lang")?,
                name: get_str(row, "name")?,
                definition: get_str(row, "definition")?,
            })
        })
        .collect()
}

/// The profile's version: it changes whenever plans, ticket types, policies or calendars do.
pub async fn version(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT version FROM profile_version WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    get_i64(&row, "version")
}

/// Marks the profile changed; call inside the transaction that changes it.
pub async fn bump_version(conn: &mut Conn) -> Result<()> {
    sqlx::query("UPDATE profile_version SET version = version + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
