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

fn clock(ticket_id: i64, target: &str, minutes: i64, breached: bool) -> ClockRow {
    ClockRow {
        ticket_id,
        target: target.into(),
        elapsed_secs: minutes * 60,
        breached,
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
        clock(1, "first_response", 30, false),
        clock(3, "first_response", 90, true),
        clock(4, "first_response", 60, false),
        clock(1, "resolution", 240, false),
    ];
    let ratings = [
        RatingRow {
            at: ts("2026-11-16T14:00:00Z"),
            good: true,
        },
        RatingRow {
            at: ts("2026-11-19T14:00:00Z"),
            good: false,
        },
        // Before the week.
        RatingRow {
            at: ts("2026-11-11T14:00:00Z"),
            good: false,
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
        ratings: &ratings,
    };
    let window = Window { from, to, now, tz };
    let f = figures(&tally(&rows, &window), backlog_of(&open, now), &window);
    assert_eq!((f.created, f.solved, f.reopened), (3, 3, 1));
    assert_eq!(f.backlog, 3);
    assert_eq!(f.backlog_age, [1, 1, 0, 1]);
    assert_eq!(f.first_response.count, 3);
    assert_eq!(f.first_response.median, Some(60.0));
    assert_eq!(f.first_response.p90, Some(84.0), "30, 60, 90: 60 + 0.8 * 30");
    assert_eq!(f.resolution.median, Some(240.0));
    assert_eq!((f.sla_achieved, f.sla_breached), (3, 1));
    assert_eq!((f.csat_good, f.csat_bad), (1, 1));
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

/// The rows of a week: tickets created, solved or reopened, clocks and ratings at minute offsets.
fn week_rows() -> impl Strategy<Value = (Vec<TicketRow>, Vec<EventRow>, Vec<ClockRow>, Vec<RatingRow>)> {
    let minute = 0i64..7 * 24 * 60;
    let channel = || (0usize..3).prop_map(|c| ["portal", "email", "whatsapp"][c].to_owned());
    (
        proptest::collection::vec((minute.clone(), channel()), 0..40),
        proptest::collection::vec((minute.clone(), any::<bool>(), prop::option::of(1i64..4)), 0..40),
        proptest::collection::vec((0i64..20_000 * 60, any::<bool>(), any::<bool>()), 0..40),
        proptest::collection::vec((minute, any::<bool>()), 0..20),
    )
        .prop_map(|(tickets, events, clocks, ratings)| {
            let at = |m: i64| {
                ts("2026-11-16T03:00:00Z")
                    .checked_add(jiff::SignedDuration::from_mins(m))
                    .unwrap()
            };
            let tickets = tickets
                .into_iter()
                .enumerate()
                .map(|(i, (m, channel))| TicketRow {
                    id: i as i64,
                    created_at: at(m),
                    channel,
                    ticket_type: "task".into(),
                })
                .collect();
            let events = events
                .into_iter()
                .enumerate()
                .map(|(i, (m, reopen, actor_id))| EventRow {
                    ticket_id: i as i64,
                    actor_id,
                    at: at(m),
                    what: if reopen {
                        Happening::Status {
                            from: "solved".into(),
                            to: "open".into(),
                        }
                    } else {
                        Happening::Status {
                            from: "open".into(),
                            to: "solved".into(),
                        }
                    },
                })
                .collect();
            let clocks = clocks
                .into_iter()
                .enumerate()
                .map(|(i, (secs, first, breached))| ClockRow {
                    ticket_id: i as i64,
                    target: if first { "first_response" } else { "resolution" }.into(),
                    elapsed_secs: secs,
                    breached,
                })
                .collect();
            let ratings = ratings
                .into_iter()
                .map(|(m, good)| RatingRow { at: at(m), good })
                .collect();
            (tickets, events, clocks, ratings)
        })
}

proptest! {
    /// Whatever the events, the day series adds up to the period's totals.
    #[test]
    fn the_days_add_up((created, events, clocks, ratings) in week_rows()) {
        let tz = TimeZone::get("America/Sao_Paulo").unwrap();
        let (from, to) = (ts("2026-11-16T03:00:00Z"), ts("2026-11-23T03:00:00Z"));
        let rows = Rows { created: &created, events: &events, clocks: &clocks, ratings: &ratings };
        let window = Window { from, to, now: to, tz };
        let f = figures(&tally(&rows, &window), Backlog::default(), &window);
        prop_assert_eq!(f.days.iter().map(|d| d.created).sum::<i64>(), f.created);
        prop_assert_eq!(f.days.iter().map(|d| d.solved).sum::<i64>(), f.solved);
        prop_assert_eq!(f.created, created.len() as i64);
    }

    /// Counting day by day, then adding up, gives the figures of counting the week at once:
    /// what lets stored daily rollups stand in for the rows.
    #[test]
    fn daily_tallies_add_up_to_the_whole((created, events, clocks, ratings) in week_rows()) {
        let tz = TimeZone::get("America/Sao_Paulo").unwrap();
        let from = ts("2026-11-16T03:00:00Z");
        let day = |d: i64| from.checked_add(jiff::SignedDuration::from_hours(24 * d)).unwrap();
        let rows = Rows { created: &created, events: &events, clocks: &[], ratings: &ratings };
        let clocks_only = Rows { clocks: &clocks, ..Rows::default() };
        let whole_window = Window { from, to: day(7), now: day(7), tz: tz.clone() };
        let mut whole = tally(&rows, &whole_window);
        whole.add(&tally(&clocks_only, &whole_window));
        let mut summed = tally(&clocks_only, &whole_window);
        for d in 0..7 {
            let window = Window { from: day(d), to: day(d + 1), now: day(7), tz: tz.clone() };
            summed.add(&tally(&rows, &window));
        }
        prop_assert_eq!(&summed, &whole);
        let a = figures(&summed, Backlog::default(), &whole_window);
        let b = figures(&whole, Backlog::default(), &whole_window);
        prop_assert_eq!(a, b);
    }

    /// The median and 90th percentile from a histogram are those of the sorted durations.
    #[test]
    fn histogram_quantiles_are_the_sorted_lists(secs in proptest::collection::vec(0i64..30_000 * 60, 1..200)) {
        let mut minutes: Vec<f64> = secs.iter().map(|s| minutes_of(*s) as f64).collect();
        minutes.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let pos = q * (minutes.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            minutes[lo] * (1.0 - (pos - lo as f64)) + minutes[hi] * (pos - lo as f64)
        };
        let mut histogram = Histogram::new();
        for s in &secs {
            *histogram.entry(minutes_of(*s)).or_default() += 1;
        }
        let st = stats(&histogram);
        prop_assert_eq!(st.count, secs.len());
        prop_assert_eq!(st.median, Some(at(0.5)));
        prop_assert_eq!(st.p90, Some(at(0.9)));
        // Exact to the minute under EXACT_MINUTES, within 1.6 % beyond.
        for s in &secs {
            let (m, exact) = (minutes_of(*s), s / 60);
            prop_assert!(m <= exact, "{} s counted as {} min", s, m);
            if exact < EXACT_MINUTES {
                prop_assert_eq!(m, exact);
            } else {
                prop_assert!((exact - m) as f64 <= exact as f64 * 0.016, "{} s counted as {} min", s, m);
            }
        }
    }
}

#[test]
fn a_year_of_durations_falls_in_few_distinct_values() {
    let distinct: std::collections::BTreeSet<i64> = (0..=365 * 24 * 60).map(|m| minutes_of(m * 60)).collect();
    assert!(distinct.len() < 1_200, "{}", distinct.len());
    assert_eq!(minutes_of(511 * 60 + 59), 511);
    assert_eq!(minutes_of(1_003 * 60), 1_000, "seven leading binary digits of 1,003");
}
