//! The reports' daily rollups: stored per day of the operation's calendar, read back as one
//! [`Tally`] for a run of days, and the bookkeeping of which days are rolled up
//! (`report_rollup_state`) and which must be again (`report_stale`).

use std::collections::BTreeMap;

use atende_domain::reports::{AgentActivity, Tally};
use jiff::{Timestamp, civil::Date};

use crate::{
    Conn, Result,
    rows::{get_i64, get_opt_str, get_str},
    sql::{ROWS_PER_INSERT, values},
};

const TABLES: [&str; 4] = ["report_days", "report_day_mix", "report_day_agents", "report_durations"];

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

/// The running totals of durations through the latest day at or before `day` that has them
/// (`inclusive`), or strictly before it.
async fn durations_through(conn: &mut Conn, day: &str, inclusive: bool) -> Result<BTreeMap<(String, i64), i64>> {
    let op = if inclusive { "<=" } else { "<" };
    let rows = sqlx::query(&format!(
        "SELECT target, minutes, total FROM report_durations \
         WHERE day = (SELECT MAX(day) FROM report_durations WHERE day {op} $1)"
    ))
    .bind(day)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok(((get_str(r, "target")?, get_i64(r, "minutes")?), get_i64(r, "total")?)))
        .collect()
}

/// Replaces the rollups of `day` with `t` (the day's tally).
pub async fn write_day(conn: &mut Conn, day: Date, t: &Tally) -> Result<()> {
    let day = day.to_string();
    for table in TABLES {
        sqlx::query(&format!("DELETE FROM {table} WHERE day = $1"))
            .bind(&day)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO report_days (day, created, solved, reopened, sla_achieved, sla_breached, csat_good, csat_bad) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&day)
    .bind(t.created)
    .bind(t.solved)
    .bind(t.reopened)
    .bind(t.sla_achieved)
    .bind(t.sla_breached)
    .bind(t.csat_good)
    .bind(t.csat_bad)
    .execute(&mut *conn)
    .await?;
    let mix: Vec<(&str, &String, i64)> = [("channel", &t.channels), ("type", &t.types)]
        .into_iter()
        .flat_map(|(dimension, counts)| counts.iter().map(move |(value, n)| (dimension, value, *n)))
        .collect();
    for chunk in mix.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO report_day_mix (day, dimension, value, created) VALUES {}",
            values(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (dimension, value, n) in chunk {
            query = query.bind(&day).bind(*dimension).bind(value.as_str()).bind(*n);
        }
        query.execute(&mut *conn).await?;
    }
    let agents: Vec<(&i64, &AgentActivity)> = t.agents.iter().collect();
    for chunk in agents.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO report_day_agents (day, agent_id, replies, solves) VALUES {}",
            values(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (agent, a) in chunk {
            query = query.bind(&day).bind(**agent).bind(a.replies).bind(a.solves);
        }
        query.execute(&mut *conn).await?;
    }
    if t.first_response.is_empty() && t.resolution.is_empty() {
        return Ok(());
    }
    // The running totals: the last ones before this day, plus this day's.
    let mut totals = durations_through(conn, &day, false).await?;
    for (target, histogram) in [("first_response", &t.first_response), ("resolution", &t.resolution)] {
        for (minutes, n) in histogram {
            *totals.entry((target.to_owned(), *minutes)).or_default() += n;
        }
    }
    let totals: Vec<_> = totals.into_iter().collect();
    for chunk in totals.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO report_durations (day, target, minutes, total) VALUES {}",
            values(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for ((target, minutes), total) in chunk {
            query = query.bind(&day).bind(target.as_str()).bind(*minutes).bind(*total);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// What the rollups of the days `first..=last` count.
pub async fn read(conn: &mut Conn, first: Date, last: Date) -> Result<Tally> {
    let (first, last) = (first.to_string(), last.to_string());
    let mut t = Tally::default();
    let rows = sqlx::query(
        "SELECT day, created, solved, reopened, sla_achieved, sla_breached, csat_good, csat_bad \
         FROM report_days WHERE day >= $1 AND day <= $2",
    )
    .bind(&first)
    .bind(&last)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let n = |column: &str| get_i64(row, column);
        let (created, solved) = (n("created")?, n("solved")?);
        t.created += created;
        t.solved += solved;
        t.reopened += n("reopened")?;
        t.sla_achieved += n("sla_achieved")?;
        t.sla_breached += n("sla_breached")?;
        t.csat_good += n("csat_good")?;
        t.csat_bad += n("csat_bad")?;
        if created + solved > 0
            && let Ok(day) = get_str(row, "day")?.parse::<Date>()
        {
            t.days.insert(day, (created, solved));
        }
    }
    let rows = sqlx::query(
        "SELECT dimension, value, CAST(SUM(created) AS BIGINT) AS created FROM report_day_mix \
         WHERE day >= $1 AND day <= $2 GROUP BY dimension, value",
    )
    .bind(&first)
    .bind(&last)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let counts = if get_str(row, "dimension")? == "channel" {
            &mut t.channels
        } else {
            &mut t.types
        };
        counts.insert(get_str(row, "value")?, get_i64(row, "created")?);
    }
    let rows = sqlx::query(
        "SELECT agent_id, CAST(SUM(replies) AS BIGINT) AS replies, CAST(SUM(solves) AS BIGINT) AS solves \
         FROM report_day_agents WHERE day >= $1 AND day <= $2 GROUP BY agent_id",
    )
    .bind(&first)
    .bind(&last)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        t.agents.insert(
            get_i64(row, "agent_id")?,
            AgentActivity {
                replies: get_i64(row, "replies")?,
                solves: get_i64(row, "solves")?,
            },
        );
    }
    // The period's durations: the running totals at its end less those before it.
    let before = durations_through(conn, &first, false).await?;
    for ((target, minutes), total) in durations_through(conn, &last, true).await? {
        let n = total - before.get(&(target.clone(), minutes)).copied().unwrap_or(0);
        if n > 0 {
            let histogram = if target == "first_response" {
                &mut t.first_response
            } else {
                &mut t.resolution
            };
            histogram.insert(minutes, n);
        }
    }
    Ok(t)
}
