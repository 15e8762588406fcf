//! What reports read: the rows behind each figure (tickets created, events, finished SLA
//! measurements, the backlog) within what the reader may see and the filters chosen, and the
//! tickets of an export a page at a time, so a million rows never sit in memory.

use atende_domain::reports::{Backlog, ClockRow, EventRow, Happening, RatingRow, TicketRow, backlog_limits};
use jiff::Timestamp;
use serde_json::Value;

use crate::{
    Conn, Filter, Result,
    rows::{get_i64, get_opt_i64, get_opt_ts, get_str, get_ts, ms},
    tickets::TicketScope,
};

/// The filters of a report, on the tickets it counts.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub plan: Option<String>,
    pub organization_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub bot_id: Option<i64>,
    pub ticket_type: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    pub group_id: Option<i64>,
    pub assignee_id: Option<i64>,
}

impl ReportFilter {
    /// Whether it filters nothing: the daily rollups count every ticket, so they answer only
    /// the unfiltered reports (filtered ones count fewer rows).
    pub fn is_empty(&self) -> bool {
        let ReportFilter {
            plan,
            organization_id,
            contract_id,
            bot_id,
            ticket_type,
            priority,
            channel,
            group_id,
            assignee_id,
        } = self;
        plan.is_none()
            && ticket_type.is_none()
            && priority.is_none()
            && channel.is_none()
            && [organization_id, contract_id, bot_id, group_id, assignee_id]
                .iter()
                .all(|v| v.is_none())
    }
}

fn restrict(scope: TicketScope, f: &ReportFilter) -> Filter {
    let mut filter = scope.restrict(Filter::new());
    if let Some(plan) = &f.plan {
        filter = filter.text("t.contract_id IN (SELECT id FROM contracts WHERE plan_code = ?)", plan);
    }
    if let Some(org) = f.organization_id {
        filter = filter.int(
            "t.contract_id IN (SELECT id FROM contracts WHERE organization_id = ?)",
            &[org],
        );
    }
    for (column, value) in [
        ("t.contract_id", f.contract_id),
        ("t.bot_id", f.bot_id),
        ("t.group_id", f.group_id),
        ("t.assignee_id", f.assignee_id),
    ] {
        if let Some(v) = value {
            filter = filter.int_eq(column, v);
        }
    }
    for (column, value) in [
        ("t.type", &f.ticket_type),
        ("t.priority", &f.priority),
        ("t.channel", &f.channel),
    ] {
        if let Some(v) = value {
            filter = filter.text_eq(column, v);
        }
    }
    filter
}

/// The tickets created in `[from, to)`.
pub async fn created(
    conn: &mut Conn,
    scope: TicketScope,
    f: &ReportFilter,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<TicketRow>> {
    let filter = restrict(scope, f).int("t.created_at >= ? AND t.created_at < ?", &[ms(from), ms(to)]);
    let sql = format!(
        "SELECT t.id, t.created_at, t.channel, t.type FROM tickets t {}",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(TicketRow {
                id: get_i64(r, "id")?,
                created_at: get_ts(r, "created_at")?,
                channel: get_str(r, "channel")?,
                ticket_type: get_str(r, "type")?,
            })
        })
        .collect()
}

/// The replies and status changes of `[from, to)` on the tickets counted.
pub async fn events(
    conn: &mut Conn,
    scope: TicketScope,
    f: &ReportFilter,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<EventRow>> {
    let filter = restrict(scope, f)
        .int("e.created_at >= ? AND e.created_at < ?", &[ms(from), ms(to)])
        .int("e.kind IN ('message_added', 'status_changed')", &[]);
    let sql = format!(
        "SELECT e.ticket_id, e.actor_id, e.kind, e.data, e.created_at FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id {}",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let data: Value = serde_json::from_str(&get_str(r, "data")?).unwrap_or(Value::Null);
        let what = match get_str(r, "kind")?.as_str() {
            "message_added" if data["visibility"] == "public" => {
                if data["by_staff"].as_bool().unwrap_or(false) {
                    Happening::StaffReply
                } else {
                    Happening::CustomerReply
                }
            }
            "status_changed" => Happening::Status {
                from: data["from"].as_str().unwrap_or_default().to_owned(),
                to: data["to"].as_str().unwrap_or_default().to_owned(),
            },
            _ => continue,
        };
        out.push(EventRow {
            ticket_id: get_i64(r, "ticket_id")?,
            actor_id: get_opt_i64(r, "actor_id")?,
            at: get_ts(r, "created_at")?,
            what,
        });
    }
    Ok(out)
}

/// The SLA measurements that finished in `[from, to)`.
pub async fn clocks(
    conn: &mut Conn,
    scope: TicketScope,
    f: &ReportFilter,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<ClockRow>> {
    let filter = restrict(scope, f)
        .int("c.stopped_at >= ? AND c.stopped_at < ?", &[ms(from), ms(to)])
        .int("c.state IN ('achieved', 'breached')", &[]);
    let sql = format!(
        "SELECT c.ticket_id, c.target, c.elapsed_secs, c.state FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id {}",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(ClockRow {
                ticket_id: get_i64(r, "ticket_id")?,
                target: get_str(r, "target")?,
                elapsed_secs: get_i64(r, "elapsed_secs")?,
                breached: get_str(r, "state")? == "breached",
            })
        })
        .collect()
}

/// The tickets still being worked, counted by age at `now`: one pass over the open tickets'
/// index, however many there are.
pub async fn backlog(conn: &mut Conn, scope: TicketScope, f: &ReportFilter, now: Timestamp) -> Result<Backlog> {
    // The condition is the open-tickets index's own, so that the index is used.
    let filter = restrict(scope, f).int("t.status NOT IN ('solved', 'closed')", &[]);
    let [day, week, month] = backlog_limits(now).map(ms);
    let sql = format!(
        "SELECT COUNT(*) AS total, \
         COALESCE(SUM(CASE WHEN t.created_at > {day} THEN 1 ELSE 0 END), 0) AS under_day, \
         COALESCE(SUM(CASE WHEN t.created_at <= {day} AND t.created_at > {week} THEN 1 ELSE 0 END), 0) AS under_week, \
         COALESCE(SUM(CASE WHEN t.created_at <= {week} AND t.created_at > {month} THEN 1 ELSE 0 END), 0) AS under_month \
         FROM tickets t {}",
        filter.where_clause()
    );
    let row = filter.bind(sqlx::query(&sql)).fetch_one(&mut *conn).await?;
    let total = get_i64(&row, "total")?;
    let (a, b, c) = (
        get_i64(&row, "under_day")?,
        get_i64(&row, "under_week")?,
        get_i64(&row, "under_month")?,
    );
    Ok(Backlog {
        total,
        age: [a, b, c, total - a - b - c],
    })
}

/// A ticket of an export.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub id: i64,
    pub created_at: Timestamp,
    pub subject: String,
    pub ticket_type: String,
    pub priority: String,
    pub status: String,
    pub channel: String,
    pub contract: String,
    pub bot: Option<String>,
    pub requester: String,
    pub assignee: Option<String>,
    pub sla_due_at: Option<Timestamp>,
}

/// The tickets created in `[from, to)` after id `after`, at most `limit`, in id order.
pub async fn export_page(
    conn: &mut Conn,
    scope: TicketScope,
    f: &ReportFilter,
    (from, to): (Timestamp, Timestamp),
    after: i64,
    limit: i64,
) -> Result<Vec<ExportRow>> {
    let filter = restrict(scope, f).int(
        "t.created_at >= ? AND t.created_at < ? AND t.id > ?",
        &[ms(from), ms(to), after],
    );
    let sql = format!(
        "SELECT t.id, t.created_at, t.subject, t.type, t.priority, t.status, t.channel, k.name AS contract, b.name AS bot, \
         r.name AS requester, a.name AS assignee, t.sla_due_at FROM tickets t JOIN contracts k ON k.id = t.contract_id \
         LEFT JOIN bots b ON b.id = t.bot_id JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = t.assignee_id \
         {} ORDER BY t.id LIMIT {}",
        filter.where_clause(),
        limit.clamp(1, 5_000)
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(ExportRow {
                id: get_i64(r, "id")?,
                created_at: get_ts(r, "created_at")?,
                subject: get_str(r, "subject")?,
                ticket_type: get_str(r, "type")?,
                priority: get_str(r, "priority")?,
                status: get_str(r, "status")?,
                channel: get_str(r, "channel")?,
                contract: get_str(r, "contract")?,
                bot: crate::rows::get_opt_str(r, "bot")?,
                requester: get_str(r, "requester")?,
                assignee: crate::rows::get_opt_str(r, "assignee")?,
                sla_due_at: get_opt_ts(r, "sla_due_at")?,
            })
        })
        .collect()
}

/// The ratings given in `[from, to)` on the tickets counted.
pub async fn ratings(
    conn: &mut Conn,
    scope: TicketScope,
    f: &ReportFilter,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<RatingRow>> {
    let filter = restrict(scope, f).int("r.rated_at >= ? AND r.rated_at < ?", &[ms(from), ms(to)]);
    let sql = format!(
        "SELECT r.rating, r.rated_at FROM ticket_ratings r JOIN tickets t ON t.id = r.ticket_id {}",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(RatingRow {
                at: get_ts(r, "rated_at")?,
                good: get_str(r, "rating")? == "good",
            })
        })
        .collect()
}

/// The latest ten comments left with ratings in `[from, to)` on the tickets counted: ticket,
/// comment, good or not.
pub async fn rating_comments(
    conn: &mut Conn,
    scope: TicketScope,
    f: &ReportFilter,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<(i64, String, bool)>> {
    let filter = restrict(scope, f)
        .int("r.rated_at >= ? AND r.rated_at < ?", &[ms(from), ms(to)])
        .text("r.comment <> ?", "");
    let sql = format!(
        "SELECT r.ticket_id, r.rating, r.comment FROM ticket_ratings r JOIN tickets t ON t.id = r.ticket_id {} \
         ORDER BY r.rated_at DESC LIMIT 10",
        filter.where_clause()
    );
    let rows = filter.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok((
                get_i64(r, "ticket_id")?,
                get_str(r, "comment")?,
                get_str(r, "rating")? == "good",
            ))
        })
        .collect()
}

/// Deflection: the times in `[from, to)` a signed-in customer, about to write a ticket (in the
/// portal's form or the bot's flow), opened a suggested article or an incident under way; and
/// how many of those were followed by no ticket of theirs within a day. Only the people the
/// reader may count: staff everyone, a customer admin their organization, a customer themselves.
pub async fn deflection(conn: &mut Conn, scope: TicketScope, from: Timestamp, to: Timestamp) -> Result<(i64, i64)> {
    let people = match scope {
        TicketScope::All => Filter::new(),
        TicketScope::Organization { organization_id, .. } => Filter::new().int(
            "o.user_id IN (SELECT id FROM users WHERE organization_id = ?)",
            &[organization_id],
        ),
        TicketScope::Viewer { user_id, .. } => Filter::new().int_eq("o.user_id", user_id),
    }
    .int("o.at >= ? AND o.at < ?", &[ms(from), ms(to)]);
    let day = 24 * 60 * 60 * 1000;
    let sql = format!(
        "SELECT COUNT(*) AS opened, COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM tickets t WHERE t.requester_id = o.user_id \
         AND t.created_at >= o.at AND t.created_at < o.at + {day}) THEN 1 ELSE 0 END), 0) AS deflected \
         FROM (SELECT user_id, created_at AS at FROM kb_suggestion_opens UNION ALL SELECT user_id, at FROM status_deflections) o {}",
        people.where_clause()
    );
    let row = people.bind(sqlx::query(&sql)).fetch_one(&mut *conn).await?;
    Ok((get_i64(&row, "opened")?, get_i64(&row, "deflected")?))
}

/// Turns the weekly report on (the first one for the week after `this_monday`) or off.
pub async fn set_subscribed(conn: &mut Conn, user_id: i64, on: bool, this_monday: &str, now: Timestamp) -> Result<()> {
    if on {
        sqlx::query(
            "INSERT INTO report_subscriptions (user_id, last_sent_on, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(this_monday)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("DELETE FROM report_subscriptions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn is_subscribed(conn: &mut Conn, user_id: i64) -> Result<bool> {
    let row = sqlx::query("SELECT 1 AS one FROM report_subscriptions WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Subscribers whose report for the week starting `monday` has not gone yet.
pub async fn due_subscribers(conn: &mut Conn, monday: &str) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT user_id FROM report_subscriptions WHERE last_sent_on IS NULL OR last_sent_on <> $1 ORDER BY user_id",
    )
    .bind(monday)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| get_i64(r, "user_id")).collect()
}

/// Claims a subscriber's report for the week (once, whichever process gets there first).
pub async fn claim_week(conn: &mut Conn, user_id: i64, monday: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE report_subscriptions SET last_sent_on = $1 WHERE user_id = $2 AND (last_sent_on IS NULL OR last_sent_on <> $1)",
    )
    .bind(monday)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
