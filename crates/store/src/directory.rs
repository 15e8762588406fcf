//! Organizations, users, their channel identities, API tokens and failed sign-ins.

use atende_domain::{
    Lang, Role,
    entities::{Organization, User},
};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{
    Conn, Filter, Result, StoreError,
    rows::{get_i64, get_opt_i64, get_opt_parsed, get_opt_ts, get_parsed, get_str, get_ts, ms},
};

// ---- organizations

pub async fn insert_organization(conn: &mut Conn, name: &str, now: Timestamp) -> Result<Organization> {
    let row = sqlx::query("INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::unique("organization.name_taken"))?;
    Ok(Organization {
        id: get_i64(&row, "id")?,
        name: name.to_owned(),
        created_at: now,
    })
}

pub async fn rename_organization(conn: &mut Conn, id: i64, name: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE organizations SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::unique("organization.name_taken"))?;
    Ok(done.rows_affected() > 0)
}

pub async fn get_organization(conn: &mut Conn, id: i64) -> Result<Option<Organization>> {
    let row = sqlx::query("SELECT id, name, created_at FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(organization_from_row).transpose()
}

pub async fn list_organizations(conn: &mut Conn, only: Option<i64>) -> Result<Vec<Organization>> {
    let filter = match only {
        Some(id) => Filter::new().int_eq("id", id),
        None => Filter::new(),
    };
    let sql = format!(
        "SELECT id, name, created_at FROM organizations {} ORDER BY name",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(organization_from_row).collect()
}

fn organization_from_row(row: &AnyRow) -> Result<Organization> {
    Ok(Organization {
        id: get_i64(row, "id")?,
        name: get_str(row, "name")?,
        created_at: get_ts(row, "created_at")?,
    })
}

// ---- users

const USER_COLUMNS: &str = "id, email, name, role, organization_id, language, time_zone, registered_at, created_at";

/// The user columns qualified by a table alias, for joins.
pub(crate) fn user_columns_of(alias: &str) -> String {
    USER_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub password_hash: Option<&'a str>,
    pub language: Option<Lang>,
    pub time_zone: &'a str,
    pub registered: bool,
}

/// Inserts the user and their e-mail identity.
pub async fn insert_user(conn: &mut Conn, new: &NewUser<'_>, now: Timestamp) -> Result<User> {
    let registered_at = new.registered.then_some(now);
    let row = sqlx::query(
        "INSERT INTO users (email, name, role, organization_id, password_hash, language, time_zone, registered_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.email)
    .bind(new.name)
    .bind(new.role.code())
    .bind(new.organization_id)
    .bind(new.password_hash)
    .bind(new.language.map(Lang::code))
    .bind(new.time_zone)
    .bind(registered_at.map(ms))
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::unique("user.email_taken"))?;
    let id = get_i64(&row, "id")?;
    sqlx::query("INSERT INTO identities (user_id, kind, value, created_at) VALUES ($1, 'email', $2, $3)")
        .bind(id)
        .bind(new.email)
        .bind(ms(now))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::unique("user.email_taken"))?;
    Ok(User {
        id,
        email: new.email.to_owned(),
        name: new.name.to_owned(),
        role: new.role,
        organization_id: new.organization_id,
        language: new.language,
        time_zone: new.time_zone.to_owned(),
        registered_at,
        created_at: now,
    })
}

pub async fn get_user(conn: &mut Conn, id: i64) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(user_from_row).transpose()
}

/// The user who writes from this address: their account's address first, else one of their
/// e-mail identities; one read either way.
pub async fn user_by_address(conn: &mut Conn, address: &str) -> Result<Option<User>> {
    let columns = user_columns_of("u");
    let sql = format!(
        "SELECT {columns}, 0 AS preference FROM users u WHERE u.email = $1 \
         UNION ALL SELECT {columns}, 1 AS preference FROM identities i JOIN users u ON u.id = i.user_id \
           WHERE i.kind = 'email' AND i.value = $1 \
         ORDER BY preference LIMIT 1"
    );
    let row = sqlx::query(&sql).bind(address).fetch_optional(&mut *conn).await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn find_user_by_email(conn: &mut Conn, email: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    let row = sqlx::query(&sql).bind(email).fetch_optional(&mut *conn).await?;
    row.as_ref().map(user_from_row).transpose()
}

/// The user and their password hash, for signing in.
pub async fn credentials(conn: &mut Conn, email: &str) -> Result<Option<(User, Option<String>)>> {
    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1");
    let row = sqlx::query(&sql).bind(email).fetch_optional(&mut *conn).await?;
    row.map(|r| Ok((user_from_row(&r)?, crate::rows::get_opt_str(&r, "password_hash")?)))
        .transpose()
}

pub async fn list_users(conn: &mut Conn, organization_id: Option<i64>, limit: i64) -> Result<Vec<User>> {
    let filter = match organization_id {
        Some(id) => Filter::new().int_eq("organization_id", id),
        None => Filter::new(),
    };
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users {} ORDER BY id LIMIT {}",
        filter.where_clause(),
        filter.placeholder_after(1)
    );
    let rows = filter.bind(sqlx::query(&sql)).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(user_from_row).collect()
}

/// Every member of the support staff (agents, supervisors, admins), by name.
pub async fn list_staff(conn: &mut Conn) -> Result<Vec<User>> {
    let sql =
        format!("SELECT {USER_COLUMNS} FROM users WHERE role IN ('agent', 'supervisor', 'admin') ORDER BY name, id");
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter().map(user_from_row).collect()
}

/// Writes the editable fields of `user` (not e-mail, password or timestamps).
pub async fn update_user(conn: &mut Conn, user: &User) -> Result<()> {
    sqlx::query(
        "UPDATE users SET name = $2, role = $3, organization_id = $4, language = $5, time_zone = $6 WHERE id = $1",
    )
    .bind(user.id)
    .bind(&user.name)
    .bind(user.role.code())
    .bind(user.organization_id)
    .bind(user.language.map(Lang::code))
    .bind(&user.time_zone)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets the password and marks the account registered (an invited contact completing sign-up).
pub async fn set_password(conn: &mut Conn, user_id: i64, password_hash: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2, registered_at = COALESCE(registered_at, $3) WHERE id = $1")
        .bind(user_id)
        .bind(password_hash)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: get_i64(row, "id")?,
        email: get_str(row, "email")?,
        name: get_str(row, "name")?,
        role: get_parsed(row, "role")?,
        organization_id: get_opt_i64(row, "organization_id")?,
        language: get_opt_parsed(row, "language")?,
        time_zone: get_str(row, "time_zone")?,
        registered_at: get_opt_ts(row, "registered_at")?,
        created_at: get_ts(row, "created_at")?,
    })
}

// ---- API tokens (stored as SHA-256 hashes; the token itself is shown once)

pub struct TokenRecord {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

pub async fn insert_token(
    conn: &mut Conn,
    user_id: i64,
    name: &str,
    token_hash: &str,
    kind: &str,
    now: Timestamp,
    expires_at: Option<Timestamp>,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, kind, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(kind)
    .bind(ms(now))
    .bind(expires_at.map(ms))
    .fetch_one(&mut *conn)
    .await?;
    get_i64(&row, "id")
}

/// The user a token belongs to, if the token exists and has not expired at `now`.
pub async fn user_by_token(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)",
        user_columns_of("u")
    );
    let row = sqlx::query(&sql)
        .bind(token_hash)
        .bind(ms(now))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn list_tokens(conn: &mut Conn, user_id: i64) -> Result<Vec<TokenRecord>> {
    let rows =
        sqlx::query("SELECT id, name, kind, created_at, expires_at FROM api_tokens WHERE user_id = $1 ORDER BY id")
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|row| {
            Ok(TokenRecord {
                id: get_i64(row, "id")?,
                name: get_str(row, "name")?,
                kind: get_str(row, "kind")?,
                created_at: get_ts(row, "created_at")?,
                expires_at: get_opt_ts(row, "expires_at")?,
            })
        })
        .collect()
}

pub async fn delete_token(conn: &mut Conn, user_id: i64, token_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
        .bind(token_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_token_by_hash(conn: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM api_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- sign-in failures, for rate limiting across processes

/// Makes sign-in attempts for one address count one at a time until the transaction ends, so a
/// burst of parallel attempts cannot all read the same count. SQLite's single writer already does.
pub async fn serialize_login_attempts(conn: &mut Conn, email: &str) -> Result<()> {
    crate::db::one_at_a_time(conn, email).await?;
    Ok(())
}

pub async fn record_login_failure(conn: &mut Conn, email: &str, ip: &str, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(ip)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Failures since `since` for this e-mail address and for this IP address, and the oldest of them
/// (so the caller can say when the limit lifts).
pub async fn login_failures_since(
    conn: &mut Conn,
    email: &str,
    ip: &str,
    since: Timestamp,
) -> Result<(i64, i64, Option<Timestamp>)> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at >= $3) AS by_email, \
           (SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at >= $3) AS by_ip, \
           (SELECT MIN(at) FROM login_failures WHERE (email = $1 OR ip = $2) AND at >= $3) AS oldest",
    )
    .bind(email)
    .bind(ip)
    .bind(ms(since))
    .fetch_one(&mut *conn)
    .await?;
    Ok((
        get_i64(&row, "by_email")?,
        get_i64(&row, "by_ip")?,
        get_opt_ts(&row, "oldest")?,
    ))
}

pub async fn clear_login_failures(conn: &mut Conn, email: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The users with these ids.
pub async fn users_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<User>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let filter = crate::Filter::new().int_in("id", &ids);
    let sql = format!("SELECT {USER_COLUMNS} FROM users {}", filter.where_clause());
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(user_from_row).collect()
}
