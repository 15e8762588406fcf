//! SLA storage: calendars, policies, the clocks of each ticket, notifications.

use std::collections::BTreeSet;

use atende_domain::{
    Priority, TicketStatus,
    sla::{ClockState, Measurement, Policy, Targets},
};
use jiff::{Timestamp, civil::Date};
use sqlx::any::AnyRow;

use crate::{
    Conn, Result, StoreError,
    rows::{get_i64, get_opt_i64, get_opt_parsed, get_opt_ts, get_parsed, get_str, get_ts, ms},
};

// ---- calendars

/// A calendar as stored: the week as JSON, holidays by rule name plus added dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarRecord {
    pub code: String,
    pub name: String,
    pub time_zone: String,
    pub week: Vec<Vec<(u16, u16)>>,
    pub holiday_rules: String,
    pub extra_holidays: Vec<(Date, String)>,
}

pub async fn upsert_calendar(conn: &mut Conn, c: &CalendarRecord) -> Result<()> {
    let week = serde_json::to_string(&c.week).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO sla_calendars (code, name, time_zone, week, holiday_rules) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, week = excluded.week, \
         holiday_rules = excluded.holiday_rules",
    )
    .bind(&c.code)
    .bind(&c.name)
    .bind(&c.time_zone)
    .bind(week)
    .bind(&c.holiday_rules)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn calendar_exists(conn: &mut Conn, code: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT code FROM sla_calendars WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}

pub async fn list_calendars(conn: &mut Conn) -> Result<Vec<CalendarRecord>> {
    let rows = sqlx::query("SELECT code, name, time_zone, week, holiday_rules FROM sla_calendars ORDER BY code")
        .fetch_all(&mut *conn)
        .await?;
    let holidays = sqlx::query("SELECT calendar_code, day, name FROM sla_holidays ORDER BY day")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            let code = get_str(row, "code")?;
            let week: Vec<Vec<(u16, u16)>> =
                serde_json::from_str(&get_str(row, "week")?).map_err(|e| StoreError::Corrupt(format!("week: {e}")))?;
            let mut extra = Vec::new();
            for h in &holidays {
                if get_str(h, "calendar_code")? == code {
                    extra.push((get_parsed(h, "day")?, get_str(h, "name")?));
                }
            }
            Ok(CalendarRecord {
                code,
                name: get_str(row, "name")?,
                time_zone: get_str(row, "time_zone")?,
                week,
                holiday_rules: get_str(row, "holiday_rules")?,
                extra_holidays: extra,
            })
        })
        .collect()
}

pub async fn add_holiday(conn: &mut Conn, calendar: &str, day: Date, name: &str) -> Result<()> {
    sqlx::query("INSERT INTO sla_holidays (calendar_code, day, name) VALUES ($1, $2, $3) ON CONFLICT (calendar_code, day) DO UPDATE SET name = excluded.name")
        .bind(calendar)
        .bind(day.to_string())
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn remove_holiday(conn: &mut Conn, calendar: &str, day: Date) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sla_holidays WHERE calendar_code = $1 AND day = $2")
        .bind(calendar)
        .bind(day.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

// ---- policies

fn join<T>(items: &[T], code: impl Fn(&T) -> &'static str) -> String {
    items.iter().map(code).collect::<Vec<_>>().join(",")
}

fn split<T: std::str::FromStr>(col: &str, text: &str) -> Result<Vec<T>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| StoreError::Corrupt(format!("{col} holds {s:?}"))))
        .collect()
}

const POLICY_COLUMNS: &str = "id, name, position, tier, ticket_type, priorities, calendar_code, first_response, next_response, \
                              periodic_update, resolution, pause_statuses, warn_percent";

/// Binds a policy's twelve stored fields in column order (after any leading parameters).
fn bind_policy<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    p: &'q Policy,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&p.name)
        .bind(p.position)
        .bind(p.tier.map(|t| t.code()))
        .bind(p.ticket_type.map(|t| t.code()))
        .bind(join(&p.priorities, |x: &Priority| x.code()))
        .bind(&p.calendar)
        .bind(p.targets.first_response)
        .bind(p.targets.next_response)
        .bind(p.targets.periodic_update)
        .bind(p.targets.resolution)
        .bind(join(&p.pause_statuses, |x: &TicketStatus| x.code()))
        .bind(p.warn_percent)
}

pub async fn insert_policy(conn: &mut Conn, p: &Policy) -> Result<i64> {
    let query = sqlx::query(
        "INSERT INTO sla_policies (name, position, tier, ticket_type, priorities, calendar_code, first_response, next_response, \
         periodic_update, resolution, pause_statuses, warn_percent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    );
    let row = bind_policy(query, p).fetch_one(&mut *conn).await?;
    get_i64(&row, "id")
}

pub async fn update_policy(conn: &mut Conn, p: &Policy) -> Result<bool> {
    let query = sqlx::query(
        "UPDATE sla_policies SET name = $2, position = $3, tier = $4, ticket_type = $5, priorities = $6, calendar_code = $7, \
         first_response = $8, next_response = $9, periodic_update = $10, resolution = $11, pause_statuses = $12, warn_percent = $13 WHERE id = $1",
    )
    .bind(p.id);
    let done = bind_policy(query, p).execute(&mut *conn).await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_policy(conn: &mut Conn, id: i64) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM sla_policies WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        > 0)
}

pub async fn list_policies(conn: &mut Conn) -> Result<Vec<Policy>> {
    let sql = format!("SELECT {POLICY_COLUMNS} FROM sla_policies ORDER BY position, id");
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter().map(policy_from_row).collect()
}

fn policy_from_row(row: &AnyRow) -> Result<Policy> {
    Ok(Policy {
        id: get_i64(row, "id")?,
        name: get_str(row, "name")?,
        position: get_i64(row, "position")?,
        tier: get_opt_parsed(row, "tier")?,
        ticket_type: get_opt_parsed(row, "ticket_type")?,
        priorities: split("priorities", &get_str(row, "priorities")?)?,
        calendar: get_str(row, "calendar_code")?,
        targets: Targets {
            first_response: get_opt_i64(row, "first_response")?,
            next_response: get_opt_i64(row, "next_response")?,
            periodic_update: get_opt_i64(row, "periodic_update")?,
            resolution: get_opt_i64(row, "resolution")?,
        },
        pause_statuses: split("pause_statuses", &get_str(row, "pause_statuses")?)?,
        warn_percent: get_i64(row, "warn_percent")?,
    })
}

// ---- clocks

/// A stored clock: a measurement plus what the sweep has already done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockRecord {
    pub ticket_id: i64,
    pub policy_id: i64,
    pub measurement: Measurement,
    pub warned_at: Option<Timestamp>,
    pub breach_recorded_at: Option<Timestamp>,
}

fn state_from(code: &str) -> Result<ClockState> {
    [
        ClockState::Running,
        ClockState::Paused,
        ClockState::Achieved,
        ClockState::Breached,
    ]
    .into_iter()
    .find(|s| s.code() == code)
    .ok_or_else(|| StoreError::Corrupt(format!("clock state {code:?}")))
}

fn clock_from_row(row: &AnyRow) -> Result<ClockRecord> {
    Ok(ClockRecord {
        ticket_id: get_i64(row, "ticket_id")?,
        policy_id: get_i64(row, "policy_id")?,
        measurement: Measurement {
            target: get_parsed(row, "target")?,
            cycle: get_i64(row, "cycle")?,
            target_minutes: get_i64(row, "target_minutes")?,
            started_at: get_ts(row, "started_at")?,
            stopped_at: get_opt_ts(row, "stopped_at")?,
            due_at: get_opt_ts(row, "due_at")?,
            warn_at: get_opt_ts(row, "warn_at")?,
            state: state_from(&get_str(row, "state")?)?,
            elapsed_secs: get_i64(row, "elapsed_secs")?,
            paused_secs: get_i64(row, "paused_secs")?,
        },
        warned_at: get_opt_ts(row, "warned_at")?,
        breach_recorded_at: get_opt_ts(row, "breach_recorded_at")?,
    })
}

const CLOCK_COLUMNS: &str = "ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, due_at, warn_at, \
                             elapsed_secs, paused_secs, warned_at, breach_recorded_at";

pub async fn clocks_of(conn: &mut Conn, ticket_id: i64) -> Result<Vec<ClockRecord>> {
    let sql = format!("SELECT {CLOCK_COLUMNS} FROM sla_clocks WHERE ticket_id = $1 ORDER BY target, cycle");
    let rows = sqlx::query(&sql).bind(ticket_id).fetch_all(&mut *conn).await?;
    rows.iter().map(clock_from_row).collect()
}

/// Replaces the ticket's clocks with `measurements`, keeping what was already warned or recorded
/// for the cycles that remain, and stores the ticket's policy and next due time.
pub async fn replace_clocks(
    conn: &mut Conn,
    ticket_id: i64,
    policy_id: Option<i64>,
    measurements: &[Measurement],
) -> Result<()> {
    let before = clocks_of(conn, ticket_id).await?;
    if let Some(since) = first_finished_change(before.iter().map(|c| &c.measurement), measurements) {
        crate::report_rollups::mark_stale(conn, since).await?;
    }
    // Upsert rather than delete-and-insert: a sweep in another process may have just claimed a
    // warning or a breach of one of these rows, and that claim must survive (never re-sent).
    write_clocks(conn, ticket_id, policy_id, measurements).await?;
    let kept: BTreeSet<(&str, i64)> = measurements.iter().map(|m| (m.target.code(), m.cycle)).collect();
    for old in before {
        let key = (old.measurement.target.code(), old.measurement.cycle);
        if !kept.contains(&key) {
            sqlx::query("DELETE FROM sla_clocks WHERE ticket_id = $1 AND target = $2 AND cycle = $3")
                .bind(ticket_id)
                .bind(key.0)
                .bind(key.1)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// The earliest moment a finished measurement was taken that is not in both `before` and
/// `after` alike: the reports counted it on that day (a solved ticket reopened, a policy changed).
fn first_finished_change<'a>(
    before: impl Iterator<Item = &'a Measurement>,
    after: &[Measurement],
) -> Option<Timestamp> {
    type Finished = (&'static str, i64, Timestamp, i64, &'static str);
    let finished = |m: &Measurement| -> Option<Finished> {
        let stopped = m.stopped_at?;
        matches!(m.state, ClockState::Achieved | ClockState::Breached)
            .then(|| (m.target.code(), m.cycle, stopped, m.elapsed_secs, m.state.code()))
    };
    let old: BTreeSet<Finished> = before.filter_map(finished).collect();
    let new: BTreeSet<Finished> = after.iter().filter_map(finished).collect();
    old.symmetric_difference(&new).map(|f| f.2).min()
}

/// Stores the clocks of a ticket that has none yet (a new ticket).
/// The clocks of new tickets (a group commit's), written with few statements: `(ticket id, policy
/// id, clock)` each.
pub async fn insert_new_clocks(conn: &mut Conn, clocks: &[(i64, i64, &Measurement)]) -> Result<()> {
    for chunk in clocks.chunks(crate::sql::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, due_at, \
             warn_at, elapsed_secs, paused_secs) VALUES {}",
            crate::sql::values(chunk.len(), 12)
        );
        let mut query = sqlx::query(&sql);
        for (ticket_id, policy_id, m) in chunk {
            query = bind_clock(query, *ticket_id, *policy_id, m);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Binds a clock's twelve columns, in the order of the inserts above and below.
fn bind_clock<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ticket_id: i64,
    policy_id: i64,
    m: &Measurement,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(ticket_id)
        .bind(m.target.code())
        .bind(m.cycle)
        .bind(policy_id)
        .bind(m.state.code())
        .bind(m.target_minutes)
        .bind(ms(m.started_at))
        .bind(m.stopped_at.map(ms))
        .bind(m.due_at.map(ms))
        .bind(m.warn_at.map(ms))
        .bind(m.elapsed_secs)
        .bind(m.paused_secs)
}

/// The earliest due time among clocks still counting: running ones, and open ones already past
/// due (so an overdue ticket stays at the top of the queue).
pub fn next_due(measurements: &[Measurement]) -> Option<Timestamp> {
    measurements
        .iter()
        .filter(|m| m.stopped_at.is_none() && matches!(m.state, ClockState::Running | ClockState::Breached))
        .filter_map(|m| m.due_at)
        .min()
}

async fn write_clocks(
    conn: &mut Conn,
    ticket_id: i64,
    policy_id: Option<i64>,
    measurements: &[Measurement],
) -> Result<()> {
    for m in measurements {
        let query = sqlx::query(
            "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, due_at, warn_at, \
             elapsed_secs, paused_secs) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (ticket_id, target, cycle) DO UPDATE SET policy_id = excluded.policy_id, state = excluded.state, \
             target_minutes = excluded.target_minutes, started_at = excluded.started_at, stopped_at = excluded.stopped_at, \
             due_at = excluded.due_at, warn_at = excluded.warn_at, elapsed_secs = excluded.elapsed_secs, paused_secs = excluded.paused_secs",
        );
        bind_clock(query, ticket_id, policy_id.unwrap_or(0), m)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE tickets SET sla_policy_id = $2, sla_due_at = $3 WHERE id = $1")
        .bind(ticket_id)
        .bind(policy_id)
        .bind(next_due(measurements).map(ms))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A page of active (not solved or closed) ticket ids after `after_id`, to re-apply the SLA after
/// an admin changes policies or calendars.
pub async fn active_ticket_ids(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<i64>> {
    let rows =
        sqlx::query("SELECT id FROM tickets WHERE id > $1 AND status NOT IN ('solved', 'closed') ORDER BY id LIMIT $2")
            .bind(after_id)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(|r| get_i64(r, "id")).collect()
}

/// Claims up to `limit` clocks whose warning time has come (and that are not yet past due), marking
/// them warned. Each clock is returned to exactly one caller however many processes race: the
/// update re-checks `warned_at IS NULL` on the row it changes.
pub async fn claim_warnings(conn: &mut Conn, now: Timestamp, limit: i64) -> Result<Vec<ClockRecord>> {
    let pending = "warned_at IS NULL AND state = 'running' AND warn_at <= $1 AND due_at > $1";
    let sql = format!(
        "UPDATE sla_clocks SET warned_at = $1 WHERE {pending} AND (ticket_id, target, cycle) IN \
         (SELECT ticket_id, target, cycle FROM sla_clocks WHERE {pending} ORDER BY warn_at LIMIT $2) RETURNING {CLOCK_COLUMNS}"
    );
    let rows = sqlx::query(&sql)
        .bind(ms(now))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(clock_from_row).collect()
}

/// Claims up to `limit` clocks past their due time whose breach nobody has recorded, marking them
/// breached (and warned, so no late warning follows). Exactly once per clock, as above.
pub async fn claim_breaches(conn: &mut Conn, now: Timestamp, limit: i64) -> Result<Vec<ClockRecord>> {
    let pending = "breach_recorded_at IS NULL AND state IN ('running', 'breached') AND due_at < $1";
    let sql = format!(
        "UPDATE sla_clocks SET breach_recorded_at = $1, state = 'breached', warned_at = COALESCE(warned_at, $1) \
         WHERE {pending} AND (ticket_id, target, cycle) IN \
         (SELECT ticket_id, target, cycle FROM sla_clocks WHERE {pending} ORDER BY due_at LIMIT $2) RETURNING {CLOCK_COLUMNS}"
    );
    let rows = sqlx::query(&sql)
        .bind(ms(now))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(clock_from_row).collect()
}

/// Finished or breached measurements of tickets created in `[from, to)`, with the ticket's tier,
/// type and priority, for the SLA report.
pub async fn report_rows(
    conn: &mut Conn,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<(String, String, String, ClockRecord)>> {
    let sql = format!(
        "SELECT p.tier AS tier, t.type AS ticket_type, t.priority AS priority, {} FROM sla_clocks c \
         JOIN tickets t ON t.id = c.ticket_id JOIN contracts k ON k.id = t.contract_id JOIN plans p ON p.code = k.plan_code \
         WHERE t.created_at >= $1 AND t.created_at < $2 ORDER BY c.ticket_id",
        CLOCK_COLUMNS
            .split(", ")
            .map(|c| format!("c.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = sqlx::query(&sql)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                crate::rows::get_opt_str(row, "tier")?.unwrap_or_default(),
                get_str(row, "ticket_type")?,
                get_str(row, "priority")?,
                clock_from_row(row)?,
            ))
        })
        .collect()
}

// ---- notifications

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub ticket_id: Option<i64>,
    pub kind: String,
    pub data: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// One notification to write.
pub struct NewNotification {
    pub user_id: i64,
    pub ticket_id: Option<i64>,
    pub kind: &'static str,
    pub data: String,
}

/// Writes many notifications with few statements.
pub async fn notify_many(conn: &mut Conn, notes: &[NewNotification], now: Timestamp) -> Result<()> {
    for chunk in notes.chunks(crate::sql::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO notifications (user_id, ticket_id, kind, data, created_at) VALUES {}",
            crate::sql::values(chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for n in chunk {
            query = query
                .bind(n.user_id)
                .bind(n.ticket_id)
                .bind(n.kind)
                .bind(n.data.clone())
                .bind(ms(now));
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn notifications_of(
    conn: &mut Conn,
    user_id: i64,
    unread_only: bool,
    limit: i64,
) -> Result<Vec<Notification>> {
    let sql = if unread_only {
        "SELECT id, user_id, ticket_id, kind, data, created_at, read_at FROM notifications WHERE user_id = $1 AND read_at IS NULL ORDER BY id DESC LIMIT $2"
    } else {
        "SELECT id, user_id, ticket_id, kind, data, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2"
    };
    let rows = sqlx::query(sql).bind(user_id).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok(Notification {
                id: get_i64(row, "id")?,
                user_id: get_i64(row, "user_id")?,
                ticket_id: get_opt_i64(row, "ticket_id")?,
                kind: get_str(row, "kind")?,
                data: get_str(row, "data")?,
                created_at: get_ts(row, "created_at")?,
                read_at: get_opt_ts(row, "read_at")?,
            })
        })
        .collect()
}

pub async fn mark_read(conn: &mut Conn, user_id: i64, id: i64, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Users with one of these roles (the agents to notify about an unassigned ticket, the supervisors).
pub async fn users_with_roles(conn: &mut Conn, roles: &[&str]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for role in roles {
        let rows = sqlx::query("SELECT id FROM users WHERE role = $1")
            .bind(*role)
            .fetch_all(&mut *conn)
            .await?;
        for r in rows {
            ids.push(get_i64(&r, "id")?);
        }
    }
    Ok(ids)
}
