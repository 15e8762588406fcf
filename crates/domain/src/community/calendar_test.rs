use jiff::{civil::date, tz::TimeZone};

use super::*;

fn unfolded(text: &str) -> String {
    text.replace("\r\n ", "")
}

#[test]
fn a_weekly_event_has_one_rule_its_cancellations_and_its_moved_sessions() {
    let schedule = Schedule {
        first_start: date(2026, 1, 1).at(15, 0, 0, 0),
        tz: TimeZone::get("America/Sao_Paulo").unwrap(),
        duration_minutes: 60,
        weekly: true,
        until: Some(date(2026, 12, 31)),
    };
    let exceptions = [
        Exception {
            occurs_on: date(2026, 12, 24),
            cancelled: true,
            moved_to: None,
        },
        Exception {
            occurs_on: date(2026, 12, 10),
            cancelled: false,
            moved_to: Some(date(2026, 12, 11).at(10, 0, 0, 0)),
        },
    ];
    let event = CalendarEvent {
        uid: "event-1@atende.test".into(),
        summary: "AMA; live, weekly",
        description: "Ask us anything",
        location: "",
        url: "https://atende.test/events/1".into(),
        schedule: &schedule,
        exceptions: &exceptions,
        stamp: "2026-11-01T00:00:00Z".parse().unwrap(),
    };
    let text = unfolded(&calendar("Events", &[event], "2026-11-30T00:00:00Z".parse().unwrap()));
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.contains("TZID:America/Sao_Paulo\r\n"));
    assert!(text.contains("DTSTART;TZID=America/Sao_Paulo:20260101T150000\r\n"));
    assert!(text.contains("DTEND;TZID=America/Sao_Paulo:20260101T160000\r\n"));
    assert!(
        text.contains("RRULE:FREQ=WEEKLY;UNTIL=20261231T180000Z\r\n"),
        "UNTIL in UTC"
    );
    assert!(text.contains("EXDATE;TZID=America/Sao_Paulo:20261224T150000\r\n"));
    assert!(text.contains(
        "RECURRENCE-ID;TZID=America/Sao_Paulo:20261210T150000\r\nDTSTART;TZID=America/Sao_Paulo:20261211T100000\r\n"
    ));
    assert!(text.contains("SUMMARY:AMA\\; live\\, weekly\r\n"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
    assert!(text.ends_with("END:VCALENDAR\r\n"));
}
