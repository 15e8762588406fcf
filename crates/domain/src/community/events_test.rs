use jiff::{Timestamp, civil::date, tz::TimeZone};
use proptest::prelude::*;

use super::*;

fn ama() -> Schedule {
    Schedule {
        first_start: date(2026, 1, 1).at(15, 0, 0, 0),
        tz: TimeZone::get("America/Sao_Paulo").unwrap_or(TimeZone::UTC),
        duration_minutes: 60,
        weekly: true,
        until: None,
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn the_weekly_ama_is_on_thursdays_at_three_in_sao_paulo_whatever_the_viewers_clock_does() {
    // 2026-11-01: New York leaves daylight time; São Paulo keeps UTC-3 all year.
    let sessions = ama().sessions(&[], ts("2026-10-20T00:00:00Z"), ts("2026-11-20T00:00:00Z"), 10);
    let dates: Vec<String> = sessions.iter().map(|s| s.occurs_on.to_string()).collect();
    assert_eq!(
        dates,
        ["2026-10-22", "2026-10-29", "2026-11-05", "2026-11-12", "2026-11-19"]
    );
    let new_york = TimeZone::get("America/New_York").unwrap();
    let hours: Vec<i8> = sessions
        .iter()
        .map(|s| s.start.with_time_zone(new_york.clone()).hour())
        .collect();
    assert_eq!(hours, [14, 14, 13, 13, 13]);
    assert!(
        sessions
            .iter()
            .all(|s| s.start.timestamp().as_second() % 86_400 == 18 * 3600)
    );
}

#[test]
fn cancelled_sessions_vanish_and_moved_ones_keep_their_planned_date() {
    let exceptions = [
        Exception {
            occurs_on: date(2026, 11, 26),
            cancelled: true,
            moved_to: None,
        },
        Exception {
            occurs_on: date(2026, 12, 3),
            cancelled: false,
            moved_to: Some(date(2026, 12, 4).at(10, 0, 0, 0)),
        },
    ];
    let sessions = ama().sessions(&exceptions, ts("2026-11-25T00:00:00Z"), ts("2026-12-12T00:00:00Z"), 10);
    let shown: Vec<(String, String, bool)> = sessions
        .iter()
        .map(|s| (s.occurs_on.to_string(), s.start.datetime().to_string(), s.moved))
        .collect();
    assert_eq!(
        shown,
        [
            ("2026-12-03".into(), "2026-12-04T10:00:00".into(), true),
            ("2026-12-10".into(), "2026-12-10T15:00:00".into(), false),
        ]
    );
    assert_eq!(sessions[0].planned_start.datetime().to_string(), "2026-12-03T15:00:00");
}

#[test]
fn a_session_under_way_is_still_listed_and_one_off_events_happen_once() {
    let now = ts("2026-11-26T18:30:00Z");
    let sessions = ama().sessions(&[], now, ts("2026-12-01T00:00:00Z"), 10);
    assert_eq!(sessions[0].occurs_on, date(2026, 11, 26), "it ends at 19:00 UTC");
    let once = Schedule { weekly: false, ..ama() };
    assert!(once.sessions(&[], now, ts("2027-01-01T00:00:00Z"), 10).is_empty());
    assert_eq!(once.sessions(&[], ts("2025-12-31T00:00:00Z"), now, 10).len(), 1);
}

#[test]
fn until_ends_the_series_and_bad_schedules_are_refused() {
    let ending = Schedule {
        until: Some(date(2026, 1, 15)),
        ..ama()
    };
    let all = ending.sessions(&[], ts("2025-12-01T00:00:00Z"), ts("2026-12-01T00:00:00Z"), 100);
    assert_eq!(all.len(), 3);
    assert!(
        Schedule {
            duration_minutes: 0,
            ..ama()
        }
        .check()
        .is_err()
    );
    assert!(
        Schedule {
            until: Some(date(2025, 1, 1)),
            ..ama()
        }
        .check()
        .is_err()
    );
    assert!(ama().check().is_ok());
}

#[test]
fn a_start_in_a_spring_forward_gap_still_happens() {
    // 02:30 does not exist in New York on 2027-03-14.
    let early = Schedule {
        first_start: date(2027, 3, 7).at(2, 30, 0, 0),
        tz: TimeZone::get("America/New_York").unwrap(),
        ..ama()
    };
    let sessions = early.sessions(&[], ts("2027-03-13T00:00:00Z"), ts("2027-03-16T00:00:00Z"), 10);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].start.datetime().to_string(), "2027-03-14T03:30:00");
}

proptest! {
    #[test]
    fn weekly_sessions_are_a_week_apart_on_the_local_clock_and_in_order(
        start_day in 0i64..700, hour in 0i8..24, from_day in 0i64..900, zone in prop::sample::select(vec![
            "America/Sao_Paulo", "America/New_York", "Europe/Lisbon", "Australia/Sydney", "UTC"]),
    ) {
        let first = date(2025, 1, 1).checked_add(start_day.days()).unwrap().at(hour, 0, 0, 0);
        let schedule = Schedule { first_start: first, tz: TimeZone::get(zone).unwrap(), ..ama() };
        let from = ts("2025-01-01T00:00:00Z").checked_add(jiff::SignedDuration::from_hours(24 * from_day)).unwrap();
        let to = from.checked_add(jiff::SignedDuration::from_hours(24 * 60)).unwrap();
        let sessions = schedule.sessions(&[], from, to, 100);
        for pair in sessions.windows(2) {
            prop_assert_eq!((pair[1].occurs_on - pair[0].occurs_on).get_days(), 7);
            prop_assert!(pair[0].start < pair[1].start);
        }
        for s in &sessions {
            prop_assert!(s.end.timestamp() > from && s.start.timestamp() < to);
            prop_assert!(s.occurs_on >= first.date());
            prop_assert_eq!(s.start.date(), s.occurs_on);
        }
        // Eight or nine Thursdays (or whatever day) fit in sixty days once the series has begun.
        if first.date() < from.to_zoned(TimeZone::UTC).date().checked_sub(7.days()).unwrap() {
            prop_assert!((8..=9).contains(&sessions.len()), "{} sessions", sessions.len());
        }
    }
}
