//! The SLA sweep scenario: a database with many open tickets whose clocks run, a share of them
//! past due, and one sweep that finds them, records each breach and notifies.

use std::time::{Duration, Instant};

use sqlx::Connection;

pub struct SweepFigures {
    pub tickets: i64,
    pub due: i64,
    pub seed_time: Duration,
    pub first_sweep: Duration,
    pub breached: usize,
    /// The first sweep's transactions, and the longest of them (the writer held that long).
    pub batches: usize,
    pub longest_batch: Duration,
    pub idle_sweep: Duration,
}

/// Fills `database_url` (fresh) with the demo data plus `tickets` open urgent incidents whose
/// resolution clock runs; every `1/due_every` of them is already past due. Then sweeps twice.
pub async fn run(database_url: &str, tickets: i64, due_every: i64) -> Result<SweepFigures, String> {
    let app = crate::open_with_demo(database_url).await?;
    let started = Instant::now();
    let mut conn = sqlx::AnyConnection::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let now = jiff::Timestamp::now().as_millisecond();
    let (contract, requester): (i64, i64) = {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT c.id AS contract_id, u.id AS user_id FROM contracts c, users u \
             WHERE c.name = 'Acme Startup' AND u.email = 'ana@acme.example'",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
        (row.get("contract_id"), row.get("user_id"))
    };
    // Generated in the database: one recursive query per table, chunked so each stays one transaction.
    let chunk = 100_000i64;
    let mut from = 1_000_000i64;
    let end = from + tickets;
    while from < end {
        let to = (from + chunk).min(end);
        let series = format!("WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {to})");
        let tickets_sql = format!(
            "INSERT INTO tickets (id, type, subject, description, priority, status, channel, contract_id, requester_id, \
             created_at, updated_at, sla_policy_id, sla_due_at) {series} \
             SELECT i, 'incident', 'Generated incident', 'Generated for the sweep benchmark.', 'urgent', 'open', 'api', \
             {contract}, {requester}, {now}, {now}, 1, \
             CASE WHEN i % {due_every} = 0 THEN {now} - 60000 ELSE {now} + 86400000 + i END FROM n"
        );
        let clocks_sql = format!(
            "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, due_at, warn_at, \
             elapsed_secs, paused_secs) {series} \
             SELECT i, 'resolution', 1, 1, 'running', 600, {now}, \
             CASE WHEN i % {due_every} = 0 THEN {now} - 60000 ELSE {now} + 86400000 + i END, \
             CASE WHEN i % {due_every} = 0 THEN {now} - 120000 ELSE {now} + 86000000 + i END, 0, 0 FROM n"
        );
        let mut tx = conn.begin().await.map_err(|e| e.to_string())?;
        sqlx::query(&tickets_sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(&clocks_sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        from = to;
    }
    // Statistics for the planner, and the seed flushed to the main files, so that the sweep's
    // timing holds only the sweep's own work.
    sqlx::query("ANALYZE")
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let flush = if database_url.starts_with("postgres") {
        "CHECKPOINT"
    } else {
        "PRAGMA wal_checkpoint(TRUNCATE)"
    };
    sqlx::query(flush).execute(&mut conn).await.map_err(|e| e.to_string())?;
    let seed_time = started.elapsed();

    let t = Instant::now();
    let run = atende::scheduler::run_timed(&app).await.map_err(|e| e.to_string())?;
    let first_sweep = t.elapsed();
    let t = Instant::now();
    atende::scheduler::run_once(&app).await.map_err(|e| e.to_string())?;
    let idle_sweep = t.elapsed();
    app.db.close().await;
    Ok(SweepFigures {
        tickets,
        due: tickets / due_every,
        seed_time,
        first_sweep,
        breached: run.report.breached,
        batches: run.batches,
        longest_batch: run.longest,
        idle_sweep,
    })
}
