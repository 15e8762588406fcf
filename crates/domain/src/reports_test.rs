use jiff::{Timestamp, tz::TimeZone};
use proptest::prelude::*;

use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ticket(id: i64, at: &str, channel: &str) -> TicketRow {
    TicketRow {
        id,
        created_at: ts(at),
        channel: channel.into(),
        ticket_type: "question".into(),
    }
}

fn status(ticket_id: i64, at: &str, from: &str, to: &str, by: Option<i64>) -> EventRow {
    EventRow {
        ticket_id,
        actor_id: by,
        at: ts(at),
        what: Happening::Status {
            from: from.into(),
            to: to.into(),
        },
    }
}

#[test]
fn a_hand_counted_week() {
    let tz = TimeZone::get("America/Sao_Paulo").unwrap();
    let (from, to) = (ts("2026-11-16T03:00:00Z"), ts("2026-11-23T03:00:00Z"));
    let created = [
        ticket(1, "2026-11-16T12:00:00Z", "portal"),
        ticket(2, "2026-11-16T13:00:00Z", "email"),
        ticket(3, "2026-11-18T12:00:00Z", "whatsapp"),
        // Created before the week: not counted as created.
        ticket(4, "2026-11-10T12:00:00Z", "portal"),
    ];
    let events = [
        EventRow {
            ticket_id: 1,
            actor_id: Some(9),
            at: ts("2026-11-16T12:30:00Z"),
            what: Happening::StaffReply,
        },
        EventRow {
            ticket_id: 1,
            actor_id: Some(1),
            at: ts("2026-11-16T12:40:00Z"),
            what: Happening::CustomerReply,
        },
        status(1, "2026-11-16T13:00:00Z", "open", "solved", Some(9)),
        // Reopened by the customer, solved again by another agent.
        status(1, "2026-11-17T13:00:00Z", "solved", "open", Some(1)),
        status(1, "2026-11-18T13:00:00Z", "open", "solved", Some(8)),
        status(4, "2026-11-19T13:00:00Z", "pending", "solved", Some(9)),
        // Solved to closed is no new solve.
        status(4, "2026-11-20T13:00:00Z", "solved", "closed", None),
        // After the week.
        status(2, "2026-11-24T13:00:00Z", "open", "solved", Some(9)),
    ];
    let clocks = [
        ClockRow {
            ticket_id: 1,
            target: "first_response".into(),
            elapsed_secs: 30 * 60,
            breached: false,
        },
        ClockRow {
            ticket_id: 3,
            target: "first_response".into(),
            elapsed_secs: 90 * 60,
            breached: true,
        },
        ClockRow {
            ticket_id: 4,
            target: "first_response".into(),
            elapsed_secs: 60 * 60,
            breached: false,
        },
        ClockRow {
            ticket_id: 1,
            target: "resolution".into(),
            elapsed_secs: 240 * 60,
            breached: false,
        },
    ];
    let now = ts("2026-11-23T03:00:00Z");
    let open = [
        ts("2026-11-22T12:00:00Z"),
        ts("2026-11-18T12:00:00Z"),
        ts("2026-10-01T12:00:00Z"),
    ];
    let rows = Rows {
        created: &created,
        events: &events,
        clocks: &clocks,
        open: &open,
    };
    let f = figures(&rows, &Window { from, to, now, tz });
    assert_eq!((f.created, f.solved, f.reopened), (3, 3, 1));
    assert_eq!(f.backlog, 3);
    assert_eq!(f.backlog_age, [1, 1, 0, 1]);
    assert_eq!(f.first_response.count, 3);
    assert_eq!(f.first_response.median, Some(60.0));
    assert_eq!(f.first_response.p90, Some(84.0), "30, 60, 90: 60 + 0.8 * 30");
    assert_eq!(f.resolution.median, Some(240.0));
    assert_eq!((f.sla_achieved, f.sla_breached), (3, 1));
    assert_eq!(f.channels.get("portal"), Some(&1));
    assert_eq!(f.channels.get("whatsapp"), Some(&1));
    assert_eq!(f.agents.get(&9), Some(&AgentActivity { replies: 1, solves: 2 }));
    assert_eq!(f.agents.get(&8), Some(&AgentActivity { replies: 0, solves: 1 }));
    assert_eq!(f.days.len(), 7, "Monday to Sunday on São Paulo's calendar");
    assert_eq!((f.days[0].created, f.days[0].solved), (2, 1));
    assert_eq!((f.days[2].created, f.days[2].solved), (1, 1));
    assert_eq!(trend(4, 6), Some(50));
    assert_eq!(trend(0, 6), None);
}

proptest! {
    /// Whatever the events, the day series adds up to the period's totals.
    #[test]
    fn the_days_add_up(offsets in proptest::collection::vec(0i64..7 * 24 * 60, 0..60)) {
        let tz = TimeZone::get("America/Sao_Paulo").unwrap();
        let from = ts("2026-11-16T03:00:00Z");
        let to = ts("2026-11-23T03:00:00Z");
        let at = |m: i64| from.checked_add(jiff::SignedDuration::from_mins(m)).unwrap();
        let created: Vec<TicketRow> = offsets.iter().enumerate().map(|(i, m)| TicketRow {
            id: i as i64, created_at: at(*m), channel: "portal".into(), ticket_type: "task".into() }).collect();
        let events: Vec<EventRow> = offsets.iter().enumerate().map(|(i, m)| status(i as i64, &at(*m).to_string(), "open", "solved", None)).collect();
        let rows = Rows { created: &created, events: &events, clocks: &[], open: &[] };
        let f = figures(&rows, &Window { from, to, now: to, tz });
        prop_assert_eq!(f.days.iter().map(|d| d.created).sum::<i64>(), f.created);
        prop_assert_eq!(f.days.iter().map(|d| d.solved).sum::<i64>(), f.solved);
        prop_assert_eq!(f.created, offsets.len() as i64);
    }
}
