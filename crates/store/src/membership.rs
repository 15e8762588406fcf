//! Contracts, bots, their teams, invitations and requests to join.

use atende_domain::{
    Role,
    entities::{Bot, Contract, Invitation, JoinRequest, JoinStatus},
};
use jiff::{Timestamp, civil::Date};
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result, StoreError,
    rows::{get_bool, get_date, get_i64, get_opt_date, get_opt_i64, get_opt_ts, get_parsed, get_str, get_ts, ms},
};

// ---- contracts

const CONTRACT_COLUMNS: &str = "id, organization_id, plan_code, name, starts_on, ends_on, phone_addon, created_at";

pub struct ContractFields<'a> {
    pub organization_id: i64,
    pub plan_code: &'a str,
    pub name: &'a str,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub phone_addon: bool,
}

pub async fn insert_contract(conn: &mut Conn, c: &ContractFields<'_>, now: Timestamp) -> Result<Contract> {
    let row = sqlx::query(
        "INSERT INTO contracts (organization_id, plan_code, name, starts_on, ends_on, phone_addon, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.organization_id)
    .bind(c.plan_code)
    .bind(c.name)
    .bind(c.starts_on.to_string())
    .bind(c.ends_on.map(|d| d.to_string()))
    .bind(c.phone_addon)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(Contract {
        id: get_i64(&row, "id")?,
        organization_id: c.organization_id,
        plan_code: c.plan_code.to_owned(),
        name: c.name.to_owned(),
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        phone_addon: c.phone_addon,
        created_at: now,
    })
}

pub async fn update_contract(conn: &mut Conn, c: &Contract) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET plan_code = $2, name = $3, starts_on = $4, ends_on = $5, phone_addon = $6 WHERE id = $1",
    )
    .bind(c.id)
    .bind(&c.plan_code)
    .bind(&c.name)
    .bind(c.starts_on.to_string())
    .bind(c.ends_on.map(|d| d.to_string()))
    .bind(c.phone_addon)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_contract(conn: &mut Conn, id: i64) -> Result<Option<Contract>> {
    let sql = format!("SELECT {CONTRACT_COLUMNS} FROM contracts WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(contract_from_row).transpose()
}

pub async fn list_contracts(conn: &mut Conn, organization_id: Option<i64>) -> Result<Vec<Contract>> {
    let filter = organization_id.map_or_else(Filter::new, |id| Filter::new().int_eq("organization_id", id));
    let sql = format!(
        "SELECT {CONTRACT_COLUMNS} FROM contracts {} ORDER BY id",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(contract_from_row).collect()
}

fn contract_from_row(row: &AnyRow) -> Result<Contract> {
    Ok(Contract {
        id: get_i64(row, "id")?,
        organization_id: get_i64(row, "organization_id")?,
        plan_code: get_str(row, "plan_code")?,
        name: get_str(row, "name")?,
        starts_on: get_date(row, "starts_on")?,
        ends_on: get_opt_date(row, "ends_on")?,
        phone_addon: get_bool(row, "phone_addon")?,
        created_at: get_ts(row, "created_at")?,
    })
}

// ---- bots

pub async fn insert_bot(conn: &mut Conn, contract_id: i64, name: &str, now: Timestamp) -> Result<Bot> {
    let row = sqlx::query("INSERT INTO bots (contract_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(contract_id)
        .bind(name)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    Ok(Bot {
        id: get_i64(&row, "id")?,
        contract_id,
        name: name.to_owned(),
        created_at: now,
    })
}

pub async fn get_bot(conn: &mut Conn, id: i64) -> Result<Option<Bot>> {
    let row = sqlx::query("SELECT id, contract_id, name, created_at FROM bots WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(bot_from_row).transpose()
}

pub async fn rename_bot(conn: &mut Conn, id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE bots SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Bots, optionally only those of one organization's contracts.
pub async fn list_bots(conn: &mut Conn, organization_id: Option<i64>) -> Result<Vec<Bot>> {
    let filter = organization_id.map_or_else(Filter::new, |id| {
        Filter::new().int(
            "contract_id IN (SELECT id FROM contracts WHERE organization_id = ?)",
            &[id],
        )
    });
    let sql = format!(
        "SELECT id, contract_id, name, created_at FROM bots {} ORDER BY id",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(bot_from_row).collect()
}

fn bot_from_row(row: &AnyRow) -> Result<Bot> {
    Ok(Bot {
        id: get_i64(row, "id")?,
        contract_id: get_i64(row, "contract_id")?,
        name: get_str(row, "name")?,
        created_at: get_ts(row, "created_at")?,
    })
}

// ---- teams

/// A team is the set of users of a contract or of a bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Team {
    Contract(i64),
    Bot(i64),
    /// A group (queue) of support staff.
    Group(i64),
}

impl Team {
    fn table(self) -> (&'static str, &'static str, i64) {
        match self {
            Team::Contract(id) => ("contract_members", "contract_id", id),
            Team::Bot(id) => ("bot_members", "bot_id", id),
            Team::Group(id) => ("group_members", "group_id", id),
        }
    }
}

/// Adds the user to the team; adding someone already there is not an error.
pub async fn add_member(conn: &mut Conn, team: Team, user_id: i64, now: Timestamp) -> Result<()> {
    let (table, column, id) = team.table();
    let sql = format!("INSERT INTO {table} ({column}, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
    sqlx::query(&sql)
        .bind(id)
        .bind(user_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn remove_member(conn: &mut Conn, team: Team, user_id: i64) -> Result<bool> {
    let (table, column, id) = team.table();
    let sql = format!("DELETE FROM {table} WHERE {column} = $1 AND user_id = $2");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        > 0)
}

/// The users on a team, in id order.
pub async fn members(conn: &mut Conn, team: Team) -> Result<Vec<atende_domain::entities::User>> {
    let (table, column, id) = team.table();
    let sql = format!(
        "SELECT {} FROM {table} m JOIN users u ON u.id = m.user_id WHERE m.{column} = $1 ORDER BY u.id",
        crate::directory::user_columns_of("u")
    );
    let rows = sqlx::query(&sql).bind(id).fetch_all(&mut *conn).await?;
    rows.iter().map(crate::directory::user_from_row).collect()
}

pub async fn member_ids(conn: &mut Conn, team: Team) -> Result<Vec<i64>> {
    let (table, column, id) = team.table();
    let sql = format!("SELECT user_id FROM {table} WHERE {column} = $1 ORDER BY user_id");
    let rows = sqlx::query(&sql).bind(id).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| get_i64(r, "user_id")).collect()
}

/// How a user relates to a contract: on its team, and on the team of one of its bots
/// (or of `bot_id` only, when given).
pub async fn membership(conn: &mut Conn, user_id: i64, contract_id: i64, bot_id: Option<i64>) -> Result<(bool, bool)> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM contract_members WHERE contract_id = $1 AND user_id = $2) AS in_contract, \
           (SELECT COUNT(*) FROM bot_members m JOIN bots b ON b.id = m.bot_id \
              WHERE b.contract_id = $1 AND m.user_id = $2 AND ($3 = 0 OR b.id = $3)) AS in_bot",
    )
    .bind(contract_id)
    .bind(user_id)
    .bind(bot_id.unwrap_or(0))
    .fetch_one(&mut *conn)
    .await?;
    Ok((get_i64(&row, "in_contract")? > 0, get_i64(&row, "in_bot")? > 0))
}

/// What checking a new ticket needs, in one read: the contract, whether the user is on its team
/// or on one of its bots' teams, and the profile version (for the profile cache).
pub struct OpeningFacts {
    pub contract: Contract,
    pub member_of_contract: bool,
    pub member_of_bot_team: bool,
    pub profile_version: i64,
}

pub async fn opening_facts(conn: &mut Conn, contract_id: i64, user_id: i64) -> Result<Option<OpeningFacts>> {
    let sql = format!(
        "SELECT {CONTRACT_COLUMNS}, \
           (SELECT COUNT(*) FROM contract_members WHERE contract_id = $1 AND user_id = $2) AS in_contract, \
           (SELECT COUNT(*) FROM bot_members m JOIN bots b ON b.id = m.bot_id WHERE b.contract_id = $1 AND m.user_id = $2) AS in_bot, \
           (SELECT version FROM profile_version WHERE id = 1) AS profile_version \
         FROM contracts WHERE id = $1"
    );
    let row = sqlx::query(&sql)
        .bind(contract_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref()
        .map(|row| {
            Ok(OpeningFacts {
                contract: contract_from_row(row)?,
                member_of_contract: get_i64(row, "in_contract")? > 0,
                member_of_bot_team: get_i64(row, "in_bot")? > 0,
                profile_version: get_i64(row, "profile_version")?,
            })
        })
        .transpose()
}

/// The contracts of an organization, each with how the user relates to it `(on its team, on one
/// of its bots' teams)`: the access rules' facts for all of them in one read.
pub async fn contracts_with_membership(
    conn: &mut Conn,
    organization_id: i64,
    user_id: i64,
) -> Result<Vec<(Contract, (bool, bool))>> {
    let sql = format!(
        "SELECT {CONTRACT_COLUMNS}, \
           (SELECT COUNT(*) FROM contract_members m WHERE m.contract_id = contracts.id AND m.user_id = $2) AS in_contract, \
           (SELECT COUNT(*) FROM bot_members m JOIN bots b ON b.id = m.bot_id \
              WHERE b.contract_id = contracts.id AND m.user_id = $2) AS in_bot \
         FROM contracts WHERE organization_id = $1 ORDER BY id"
    );
    let rows = sqlx::query(&sql)
        .bind(organization_id)
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            let membership = (get_i64(row, "in_contract")? > 0, get_i64(row, "in_bot")? > 0);
            Ok((contract_from_row(row)?, membership))
        })
        .collect()
}

/// The ids of the contracts a user is in view of: on the contract's team or on one of its bots'.
pub async fn contracts_in_view(conn: &mut Conn, user_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT contract_id FROM contract_members WHERE user_id = $1 \
         UNION SELECT b.contract_id FROM bot_members m JOIN bots b ON b.id = m.bot_id WHERE m.user_id = $1 \
         ORDER BY contract_id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| get_i64(r, "contract_id")).collect()
}

// ---- invitations

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub organization_id: i64,
    pub contract_id: Option<i64>,
    pub bot_id: Option<i64>,
    pub role: Role,
    pub invited_by: i64,
    pub expires_at: Timestamp,
}

const INVITATION_COLUMNS: &str =
    "id, email, organization_id, contract_id, bot_id, role, invited_by, created_at, expires_at, accepted_at";

pub async fn insert_invitation(conn: &mut Conn, inv: &NewInvitation<'_>, now: Timestamp) -> Result<Invitation> {
    let row = sqlx::query(
        "INSERT INTO invitations (token_hash, email, organization_id, contract_id, bot_id, role, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(inv.token_hash)
    .bind(inv.email)
    .bind(inv.organization_id)
    .bind(inv.contract_id)
    .bind(inv.bot_id)
    .bind(inv.role.code())
    .bind(inv.invited_by)
    .bind(ms(now))
    .bind(ms(inv.expires_at))
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::unique("invitation.duplicate"))?;
    Ok(Invitation {
        id: get_i64(&row, "id")?,
        email: inv.email.to_owned(),
        organization_id: inv.organization_id,
        contract_id: inv.contract_id,
        bot_id: inv.bot_id,
        role: inv.role,
        invited_by: inv.invited_by,
        created_at: now,
        expires_at: inv.expires_at,
        accepted_at: None,
    })
}

pub async fn invitation_by_token(conn: &mut Conn, token_hash: &str) -> Result<Option<Invitation>> {
    let sql = format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_hash = $1");
    let row = sqlx::query(&sql).bind(token_hash).fetch_optional(&mut *conn).await?;
    row.as_ref()
        .map(|row| {
            Ok(Invitation {
                id: get_i64(row, "id")?,
                email: get_str(row, "email")?,
                organization_id: get_i64(row, "organization_id")?,
                contract_id: get_opt_i64(row, "contract_id")?,
                bot_id: get_opt_i64(row, "bot_id")?,
                role: get_parsed(row, "role")?,
                invited_by: get_i64(row, "invited_by")?,
                created_at: get_ts(row, "created_at")?,
                expires_at: get_ts(row, "expires_at")?,
                accepted_at: get_opt_ts(row, "accepted_at")?,
            })
        })
        .transpose()
}

/// Marks the invitation used; false when it was already accepted (by a concurrent request).
pub async fn accept_invitation(conn: &mut Conn, id: i64, user_id: i64, now: Timestamp) -> Result<bool> {
    let done =
        sqlx::query("UPDATE invitations SET accepted_at = $2, accepted_by = $3 WHERE id = $1 AND accepted_at IS NULL")
            .bind(id)
            .bind(ms(now))
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

// ---- join requests

const JOIN_COLUMNS: &str = "id, user_id, contract_id, bot_id, message, status, decided_by, created_at, decided_at";

pub async fn insert_join_request(
    conn: &mut Conn,
    user_id: i64,
    contract_id: i64,
    bot_id: Option<i64>,
    message: &str,
    now: Timestamp,
) -> Result<JoinRequest> {
    let row = sqlx::query(
        "INSERT INTO join_requests (user_id, contract_id, bot_id, message, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(user_id)
    .bind(contract_id)
    .bind(bot_id)
    .bind(message)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(JoinRequest {
        id: get_i64(&row, "id")?,
        user_id,
        contract_id,
        bot_id,
        message: message.to_owned(),
        status: JoinStatus::Pending,
        decided_by: None,
        created_at: now,
        decided_at: None,
    })
}

pub async fn get_join_request(conn: &mut Conn, id: i64) -> Result<Option<JoinRequest>> {
    let sql = format!("SELECT {JOIN_COLUMNS} FROM join_requests WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(join_request_from_row).transpose()
}

/// A pending request of this user for the same team, if any (to avoid duplicates).
pub async fn pending_join_request(
    conn: &mut Conn,
    user_id: i64,
    contract_id: i64,
    bot_id: Option<i64>,
) -> Result<Option<JoinRequest>> {
    let sql = format!(
        "SELECT {JOIN_COLUMNS} FROM join_requests WHERE user_id = $1 AND contract_id = $2 \
         AND COALESCE(bot_id, 0) = $3 AND status = 'pending'"
    );
    let row = sqlx::query(&sql)
        .bind(user_id)
        .bind(contract_id)
        .bind(bot_id.unwrap_or(0))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(join_request_from_row).transpose()
}

/// Join requests visible under `filter` (built by the caller from what the viewer may see).
pub async fn list_join_requests(conn: &mut Conn, filter: Filter) -> Result<Vec<JoinRequest>> {
    let sql = format!(
        "SELECT {JOIN_COLUMNS} FROM join_requests {} ORDER BY id DESC",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(join_request_from_row).collect()
}

/// Records the decision; false when the request was no longer pending.
pub async fn decide_join_request(
    conn: &mut Conn,
    id: i64,
    status: JoinStatus,
    by: i64,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE join_requests SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status.code())
    .bind(by)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

fn join_request_from_row(row: &AnyRow) -> Result<JoinRequest> {
    let status = get_str(row, "status")?;
    Ok(JoinRequest {
        id: get_i64(row, "id")?,
        user_id: get_i64(row, "user_id")?,
        contract_id: get_i64(row, "contract_id")?,
        bot_id: get_opt_i64(row, "bot_id")?,
        message: get_str(row, "message")?,
        status: JoinStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("join request status {status:?}")))?,
        decided_by: get_opt_i64(row, "decided_by")?,
        created_at: get_ts(row, "created_at")?,
        decided_at: get_opt_ts(row, "decided_at")?,
    })
}

// ---- groups of support staff

pub async fn insert_group(conn: &mut Conn, name: &str, now: Timestamp) -> Result<atende_domain::entities::Group> {
    let row = sqlx::query("INSERT INTO groups (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::unique("group.name_taken"))?;
    Ok(atende_domain::entities::Group {
        id: get_i64(&row, "id")?,
        name: name.to_owned(),
        created_at: now,
    })
}

pub async fn rename_group(conn: &mut Conn, id: i64, name: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE groups SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::unique("group.name_taken"))?;
    Ok(done.rows_affected() > 0)
}

pub async fn list_groups(conn: &mut Conn) -> Result<Vec<atende_domain::entities::Group>> {
    let rows = sqlx::query("SELECT id, name, created_at FROM groups ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(atende_domain::entities::Group {
                id: get_i64(r, "id")?,
                name: get_str(r, "name")?,
                created_at: get_ts(r, "created_at")?,
            })
        })
        .collect()
}

pub async fn get_group(conn: &mut Conn, id: i64) -> Result<Option<atende_domain::entities::Group>> {
    let row = sqlx::query("SELECT id, name, created_at FROM groups WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(atende_domain::entities::Group {
            id: get_i64(&r, "id")?,
            name: get_str(&r, "name")?,
            created_at: get_ts(&r, "created_at")?,
        })
    })
    .transpose()
}

/// Removes the user from every contract and bot team outside `organization_id` (all of them for
/// `None`): called when a user changes organization, so no access outlives the move.
pub async fn drop_memberships_outside(conn: &mut Conn, user_id: i64, organization_id: Option<i64>) -> Result<()> {
    let org = organization_id.unwrap_or(-1);
    sqlx::query("DELETE FROM contract_members WHERE user_id = $1 AND contract_id NOT IN (SELECT id FROM contracts WHERE organization_id = $2)")
        .bind(user_id)
        .bind(org)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM bot_members WHERE user_id = $1 AND bot_id NOT IN \
         (SELECT b.id FROM bots b JOIN contracts c ON c.id = b.contract_id WHERE c.organization_id = $2)",
    )
    .bind(user_id)
    .bind(org)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes a former staff member out of every group and unassigns their active tickets.
pub async fn drop_staff_duties(conn: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM group_members WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE tickets SET assignee_id = NULL WHERE assignee_id = $1 AND status NOT IN ('solved', 'closed')")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
