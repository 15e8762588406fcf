//! A history of many tickets spread over the 90 days before `now`, written straight into the
//! database with set-based statements (a million tickets in seconds): each with its `created`
//! event; most solved, with a `status_changed` event and a finished resolution clock from minutes
//! to about three weeks of business time; half with a finished first-response clock; three
//! types, four priorities, four channels; a third of the last week's tickets and one in fifty
//! older ones still open, due a day after they were opened. The reports and the pages scenarios
//! run on it.

use sqlx::Connection;

/// The history's length: 90 days.
pub const SPAN_MS: i64 = 90 * 86_400_000;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Adds `tickets` tickets to `database_url` (which holds the demo data), on Acme's Startup
/// contract, requested by Ana and assigned to the demo's agent.
pub async fn seed(database_url: &str, tickets: i64, now: i64) -> Result<(), String> {
    let mut conn = sqlx::AnyConnection::connect(database_url).await.map_err(err)?;
    let span = SPAN_MS;
    let (contract, requester, agent): (i64, i64, i64) = {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT c.id AS contract_id, u.id AS user_id, a.id AS agent_id FROM contracts c, users u, users a \
             WHERE c.name = 'Acme Startup' AND u.email = 'ana@acme.example' AND a.email = 'agent@atende.example'",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(err)?;
        (row.get("contract_id"), row.get("user_id"), row.get("agent_id"))
    };
    let chunk = 100_000i64;
    let mut from = 1_000_000i64;
    let end = from + tickets;
    let channels = "CASE i % 4 WHEN 0 THEN 'portal' WHEN 1 THEN 'email' WHEN 2 THEN 'whatsapp' ELSE 'api' END";
    let at = format!("{now} - (i * 7919) % {span}");
    // A realistic backlog: a third of the last week's tickets still open, one in fifty of the older ones.
    let open = format!(
        "((i % 3 = 0 AND (i * 7919) % {span} < {}) OR i % 50 = 0)",
        7 * 86_400_000i64
    );
    while from < end {
        let to = (from + chunk).min(end);
        let series = format!(
            "WITH RECURSIVE n(i) AS (SELECT CAST({from} AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {to})"
        );
        let statements = [
            format!(
                "INSERT INTO tickets (id, type, subject, description, priority, status, channel, contract_id, requester_id, \
                 assignee_id, created_at, updated_at) {series} SELECT i, \
                 CASE i % 5 WHEN 0 THEN 'incident' WHEN 1 THEN 'task' ELSE 'question' END, 'Generated ticket', \
                 'For the reports benchmark.', CASE i % 7 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'low' ELSE 'normal' END, \
                 CASE WHEN {open} THEN 'open' ELSE 'solved' END, {channels}, {contract}, {requester}, {agent}, {at}, {at} FROM n"
            ),
            // The open tickets are due a day after they were opened: the agents' queue by due time.
            format!(
                "UPDATE tickets SET sla_due_at = created_at + 86400000 WHERE id >= {from} AND id < {to} AND status = 'open'"
            ),
            format!(
                "INSERT INTO ticket_events (ticket_id, actor_id, channel, kind, data, created_at) {series} \
                 SELECT i, {requester}, 'api', 'created', '{{}}', {at} FROM n"
            ),
            format!(
                "INSERT INTO ticket_events (ticket_id, actor_id, channel, kind, data, created_at) {series} \
                 SELECT i, {agent}, 'portal', 'status_changed', '{{\"from\":\"open\",\"to\":\"solved\"}}', {at} + 3600000 FROM n WHERE NOT {open}"
            ),
            format!(
                "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, due_at, \
                 warn_at, elapsed_secs, paused_secs) {series} SELECT i, 'first_response', 1, 1, \
                 CASE WHEN i % 10 = 0 THEN 'breached' ELSE 'achieved' END, 45, {at}, {at} + 600000 + (i % 50) * 60000, {at} + 2700000, \
                 {at} + 2000000, 600 + (i % 50) * 60, 0 FROM n WHERE i % 2 = 0"
            ),
            // Resolutions from minutes to about three weeks of business time.
            format!(
                "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, due_at, \
                 warn_at, elapsed_secs, paused_secs) {series} SELECT i, 'resolution', 1, 1, \
                 CASE WHEN i % 7 = 0 THEN 'breached' ELSE 'achieved' END, 2400, {at}, {at} + 3600000, {at} + 144000000, \
                 {at} + 100000000, (i * 7) % 10000 * 60 + i % 60, 0 FROM n WHERE NOT {open}"
            ),
        ];
        let mut tx = conn.begin().await.map_err(err)?;
        for sql in &statements {
            sqlx::query(sql).execute(&mut *tx).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        from = to;
    }
    // As autovacuum would have by then on PostgreSQL: statistics, and the visibility map that
    // lets the backlog be counted from the open tickets' index alone.
    let settle = if database_url.starts_with("postgres") {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sqlx::query(settle).execute(&mut conn).await.map_err(err)?;
    Ok(())
}
