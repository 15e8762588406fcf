//! The durable queues (the mail outbox, the status page's webhook deliveries): rows claimed for a
//! while by one process, then marked done, retried later, or given up. One set of statements
//! serves both; they differ only in their table and the column that says "done".

use jiff::Timestamp;

use crate::{Conn, Result, rows::ms};

pub(crate) struct Queue {
    pub table: &'static str,
    /// `sent_at`, `delivered_at`...
    pub done: &'static str,
}

pub(crate) const OUTBOX: Queue = Queue {
    table: "mail_outbox",
    done: "sent_at",
};

pub(crate) const WHATSAPP: Queue = Queue {
    table: "whatsapp_outbox",
    done: "sent_at",
};

pub(crate) const DELIVERIES: Queue = Queue {
    table: "status_deliveries",
    done: "delivered_at",
};

impl Queue {
    /// Claims up to `$3` rows due at `$1` until `$2`, counting the attempt; returns `returning`.
    pub fn claim_sql(&self, returning: &str) -> String {
        let (table, done) = (self.table, self.done);
        let pending = format!("{done} IS NULL AND failed_at IS NULL AND next_attempt_at <= $1");
        format!(
            "UPDATE {table} SET next_attempt_at = $2, attempts = attempts + 1 WHERE {pending} AND id IN \
             (SELECT id FROM {table} WHERE {pending} ORDER BY next_attempt_at, id LIMIT $3) RETURNING {returning}"
        )
    }

    /// Rows still to go (a first try or a retry) and rows given up.
    pub async fn backlog(&self, conn: &mut Conn) -> Result<(i64, i64)> {
        let (table, done) = (self.table, self.done);
        let row = sqlx::query(&format!(
            "SELECT (SELECT COUNT(*) FROM {table} WHERE {done} IS NULL AND failed_at IS NULL) AS waiting, \
             (SELECT COUNT(*) FROM {table} WHERE failed_at IS NOT NULL) AS failed"
        ))
        .fetch_one(&mut *conn)
        .await?;
        Ok((
            crate::rows::get_i64(&row, "waiting")?,
            crate::rows::get_i64(&row, "failed")?,
        ))
    }

    pub async fn mark_done(&self, conn: &mut Conn, id: i64, now: Timestamp) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET {} = $1, last_error = NULL WHERE id = $2",
            self.table, self.done
        );
        sqlx::query(&sql).bind(ms(now)).bind(id).execute(&mut *conn).await?;
        Ok(())
    }

    pub async fn mark_retry(&self, conn: &mut Conn, id: i64, next_attempt_at: Timestamp, error: &str) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET next_attempt_at = $1, last_error = $2 WHERE id = $3",
            self.table
        );
        sqlx::query(&sql)
            .bind(ms(next_attempt_at))
            .bind(error)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    pub async fn mark_failed(&self, conn: &mut Conn, id: i64, now: Timestamp, error: &str) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET failed_at = $1, last_error = $2 WHERE id = $3",
            self.table
        );
        sqlx::query(&sql)
            .bind(ms(now))
            .bind(error)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
