//! The reports' daily rollups: stored per day of the operation's calendar and per
//! [`RollupKey`], read back as one [`Tally`] for a run of days, and the bookkeeping of which days
//! are rolled up (`report_rollup_state`) and which must be again (`report_stale`).

use std::collections::BTreeMap;

use atende_domain::reports::{AgentActivity, RollupKey, Tally};
use jiff::{Timestamp, civil::Date};

use crate::{
    Conn, Filter, Result,
    reports::ReportFilter,
    rows::{get_i64, get_opt_str, get_str},
    sql::{ROWS_PER_INSERT, values},
};

const TABLES: [&str; 3] = ["report_days", "report_day_minutes", "report_day_agents"];

/// Which calendar the stored days were cut on, and the last day rolled up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupState {
    pub time_zone: String,
    pub done_through: Option<Date>,
}

pub async fn state(conn: &mut Conn) -> Result<Option<RollupState>> {
    let row = sqlx::query("SELECT time_zone, done_through FROM report_rollup_state WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(RollupState {
        time_zone: get_str(&row, "time_zone")?,
        done_through: get_opt_str(&row, "done_through")?.and_then(|d| d.parse().ok()),
    }))
}

/// Forgets every rollup and starts over on `time_zone`'s calendar.
pub async fn reset(conn: &mut Conn, time_zone: &str) -> Result<()> {
    for table in TABLES.iter().chain(&["report_stale", "report_rollup_state"]) {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *conn).await?;
    }
    sqlx::query("INSERT INTO report_rollup_state (id, time_zone, done_through) VALUES (1, $1, NULL)")
        .bind(time_zone)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves the last rolled-up day from `expected` to `to`; false when another process moved it first.
pub async fn move_done_through(conn: &mut Conn, expected: Option<Date>, to: Option<Date>) -> Result<bool> {
    let expected = expected.map(|d| d.to_string());
    let done = sqlx::query(
        "UPDATE report_rollup_state SET done_through = $1 WHERE id = 1 AND \
         (done_through = $2 OR (done_through IS NULL AND $3 = 1))",
    )
    .bind(to.map(|d| d.to_string()))
    .bind(expected.clone().unwrap_or_default())
    .bind(i64::from(expected.is_none()))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks what was counted from `since` on as changed (called in the transaction that changes it).
pub async fn mark_stale(conn: &mut Conn, since: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO report_stale (since) VALUES ($1)")
        .bind(crate::rows::ms(since))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The earliest change marked, forgetting the marks read.
pub async fn take_stale(conn: &mut Conn) -> Result<Option<Timestamp>> {
    let row = sqlx::query("SELECT MAX(id) AS last, MIN(since) AS since FROM report_stale")
        .fetch_one(&mut *conn)
        .await?;
    let (Some(last), Some(since)) = (
        crate::rows::get_opt_i64(&row, "last")?,
        crate::rows::get_opt_i64(&row, "since")?,
    ) else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM report_stale WHERE id <= $1")
        .bind(last)
        .execute(&mut *conn)
        .await?;
    Ok(Timestamp::from_millisecond(since).ok())
}

/// When the first ticket was opened: the first day there is anything to roll up.
pub async fn first_activity(conn: &mut Conn) -> Result<Option<Timestamp>> {
    let row = sqlx::query("SELECT MIN(created_at) AS first FROM tickets")
        .fetch_one(&mut *conn)
        .await?;
    Ok(crate::rows::get_opt_i64(&row, "first")?.and_then(|ms| Timestamp::from_millisecond(ms).ok()))
}

enum Cell<'a> {
    Int(i64),
    Text(&'a str),
}

/// Inserts `rows` of `columns` into `table`, a few dozen rows a statement.
async fn insert(conn: &mut Conn, table: &str, columns: &[&str], rows: &[Vec<Cell<'_>>]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            values(chunk.len(), columns.len())
        );
        let mut query = sqlx::query(&sql);
        for cell in chunk.iter().flatten() {
            query = match cell {
                Cell::Int(v) => query.bind(*v),
                Cell::Text(v) => query.bind(v.to_string()),
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

const KEY: [&str; 6] = ["day", "contract_id", "bot_id", "channel", "ticket_type", "priority"];

fn key_cells<'a>(day: &'a str, key: &'a RollupKey) -> Vec<Cell<'a>> {
    vec![
        Cell::Text(day),
        Cell::Int(key.contract_id),
        Cell::Int(key.bot_id.unwrap_or(0)),
        Cell::Text(&key.channel),
        Cell::Text(&key.ticket_type),
        Cell::Text(&key.priority),
    ]
}

/// Replaces the rollups of `day` with `parts`.
pub async fn write_day(conn: &mut Conn, day: Date, parts: &BTreeMap<RollupKey, Tally>) -> Result<()> {
    let day = day.to_string();
    for table in TABLES {
        sqlx::query(&format!("DELETE FROM {table} WHERE day = $1"))
            .bind(&day)
            .execute(&mut *conn)
            .await?;
    }
    let (mut counts, mut minutes, mut agents) = (Vec::new(), Vec::new(), Vec::new());
    for (key, t) in parts {
        let mut row = key_cells(&day, key);
        row.extend(
            [
                t.created,
                t.solved,
                t.reopened,
                t.sla_achieved,
                t.sla_breached,
                t.csat_good,
                t.csat_bad,
            ]
            .map(Cell::Int),
        );
        counts.push(row);
        for (target, histogram) in [("first_response", &t.first_response), ("resolution", &t.resolution)] {
            for (m, count) in histogram {
                let mut row = key_cells(&day, key);
                row.extend([Cell::Text(target), Cell::Int(*m), Cell::Int(*count)]);
                minutes.push(row);
            }
        }
        for (agent, a) in &t.agents {
            let mut row = key_cells(&day, key);
            row.extend([Cell::Int(*agent), Cell::Int(a.replies), Cell::Int(a.solves)]);
            agents.push(row);
        }
    }
    let with = |extra: &[&'static str]| -> Vec<&'static str> { KEY.iter().chain(extra).copied().collect() };
    let count_columns = with(&[
        "created",
        "solved",
        "reopened",
        "sla_achieved",
        "sla_breached",
        "csat_good",
        "csat_bad",
    ]);
    insert(conn, "report_days", &count_columns, &counts).await?;
    insert(
        conn,
        "report_day_minutes",
        &with(&["target", "minutes", "count"]),
        &minutes,
    )
    .await?;
    insert(
        conn,
        "report_day_agents",
        &with(&["agent_id", "replies", "solves"]),
        &agents,
    )
    .await?;
    Ok(())
}

/// What the rollups of the days `first..=last` count, within the filter.
pub async fn read(conn: &mut Conn, f: &ReportFilter, first: Date, last: Date) -> Result<Tally> {
    let days = |filter: Filter| {
        filter
            .text("r.day >= ?", &first.to_string())
            .text("r.day <= ?", &last.to_string())
    };
    let filter = days(f.on_key(Filter::new(), "r", "ticket_type"));
    let mut t = Tally::default();
    let sql = format!(
        "SELECT r.day, r.channel, r.ticket_type, CAST(SUM(r.created) AS BIGINT) AS created, CAST(SUM(r.solved) AS BIGINT) AS solved, \
         CAST(SUM(r.reopened) AS BIGINT) AS reopened, CAST(SUM(r.sla_achieved) AS BIGINT) AS sla_achieved, CAST(SUM(r.sla_breached) AS BIGINT) AS sla_breached, \
         CAST(SUM(r.csat_good) AS BIGINT) AS csat_good, CAST(SUM(r.csat_bad) AS BIGINT) AS csat_bad FROM report_days r {} \
         GROUP BY r.day, r.channel, r.ticket_type",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        let n = |column: &str| get_i64(&row, column);
        let (created, solved) = (n("created")?, n("solved")?);
        t.created += created;
        t.solved += solved;
        t.reopened += n("reopened")?;
        t.sla_achieved += n("sla_achieved")?;
        t.sla_breached += n("sla_breached")?;
        t.csat_good += n("csat_good")?;
        t.csat_bad += n("csat_bad")?;
        if created > 0 {
            *t.channels.entry(get_str(&row, "channel")?).or_default() += created;
            *t.types.entry(get_str(&row, "ticket_type")?).or_default() += created;
        }
        if created + solved > 0
            && let Ok(day) = get_str(&row, "day")?.parse::<Date>()
        {
            let d = t.days.entry(day).or_default();
            d.0 += created;
            d.1 += solved;
        }
    }
    let sql = format!(
        "SELECT r.target, r.minutes, CAST(SUM(r.count) AS BIGINT) AS count FROM report_day_minutes r {} GROUP BY r.target, r.minutes",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        let histogram = match get_str(&row, "target")?.as_str() {
            "first_response" => &mut t.first_response,
            _ => &mut t.resolution,
        };
        *histogram.entry(get_i64(&row, "minutes")?).or_default() += get_i64(&row, "count")?;
    }
    let sql = format!(
        "SELECT r.agent_id, CAST(SUM(r.replies) AS BIGINT) AS replies, CAST(SUM(r.solves) AS BIGINT) AS solves FROM report_day_agents r {} GROUP BY r.agent_id",
        filter.where_clause()
    );
    for row in filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await? {
        t.agents.insert(
            get_i64(&row, "agent_id")?,
            AgentActivity {
                replies: get_i64(&row, "replies")?,
                solves: get_i64(&row, "solves")?,
            },
        );
    }
    Ok(t)
}
