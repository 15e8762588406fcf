//! Password reset links: stored as the hash of their token, used once, valid for a short time.

use jiff::Timestamp;

use crate::{
    Conn, Result,
    rows::{get_i64, ms},
};

pub async fn insert_reset(
    conn: &mut Conn,
    user_id: i64,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(token_hash)
        .bind(ms(now))
        .bind(ms(expires_at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How many reset links were asked for the user since `since` (a limit against mail floods).
pub async fn resets_since(conn: &mut Conn, user_id: i64, since: Timestamp) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM password_resets WHERE user_id = $1 AND created_at >= $2")
        .bind(user_id)
        .bind(ms(since))
        .fetch_one(&mut *conn)
        .await?;
    get_i64(&row, "n")
}

/// Marks the link used and returns its user, if the link exists, is unused and has not expired.
pub async fn use_reset(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<Option<i64>> {
    let row = sqlx::query(
        "UPDATE password_resets SET used_at = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
    )
    .bind(token_hash)
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| get_i64(&r, "user_id")).transpose()
}

/// Uses up every other open link of the user (the password they would reset is already new).
pub async fn expire_resets(conn: &mut Conn, user_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether the link would still work (for showing the form before the new password is sent).
pub async fn reset_is_valid(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(get_i64(&row, "n")? > 0)
}

/// Ends every session and API token of the user: after a password change, nothing a thief may
/// have minted with a stolen session survives.
pub async fn end_sessions(conn: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
