use jiff::{Timestamp, civil::date, tz::TimeZone};
use proptest::prelude::*;

use super::*;

fn sp() -> TimeZone {
    TimeZone::get("America/Sao_Paulo").unwrap()
}

fn at(d: i8, h: i8, m: i8) -> Timestamp {
    date(2026, 11, d).at(h, m, 0, 0).to_zoned(sp()).unwrap().timestamp()
}

fn change(at: Timestamp, status: ComponentStatus) -> StatusChange {
    StatusChange { at, status }
}

#[test]
fn a_day_with_a_72_minute_partial_outage() {
    let changes = [
        change(at(10, 14, 0), ComponentStatus::PartialOutage),
        change(at(10, 15, 12), ComponentStatus::Operational),
    ];
    let days = daily_uptime(
        &changes,
        at(1, 0, 0),
        date(2026, 11, 9),
        date(2026, 11, 11),
        &sp(),
        at(20, 0, 0),
    );
    assert_eq!(days.len(), 3);
    let day = days[1];
    assert_eq!(day.date, date(2026, 11, 10));
    assert_eq!(day.worst, ComponentStatus::PartialOutage);
    assert!((day.partial_minutes - 72.0).abs() < 1e-9);
    // 72 minutes at 30 % weigh 21.6 of 1,440.
    assert!((day.uptime_percent - 98.5).abs() < 1e-9, "{}", day.uptime_percent);
    assert_eq!(days[0].uptime_percent, 100.0);
    assert_eq!(days[2].worst, ComponentStatus::Operational);
}

#[test]
fn an_outage_across_midnight_counts_on_both_days_and_today_only_until_now() {
    let changes = [change(at(10, 23, 0), ComponentStatus::MajorOutage)];
    let now = at(11, 6, 0);
    let days = daily_uptime(
        &changes,
        at(1, 0, 0),
        date(2026, 11, 10),
        date(2026, 11, 12),
        &sp(),
        now,
    );
    assert_eq!(days.len(), 2, "no day after now");
    assert!((days[0].major_minutes - 60.0).abs() < 1e-9);
    assert!((days[1].major_minutes - 360.0).abs() < 1e-9);
    assert!((days[1].observed_minutes - 360.0).abs() < 1e-9);
    assert_eq!(days[1].uptime_percent, 0.0, "down all of today so far");
    assert_eq!(days[1].worst, ComponentStatus::MajorOutage);
}

#[test]
fn maintenance_and_slowness_colour_the_day_but_are_not_downtime() {
    let changes = [
        change(at(10, 2, 0), ComponentStatus::UnderMaintenance),
        change(at(10, 3, 0), ComponentStatus::DegradedPerformance),
        change(at(10, 4, 0), ComponentStatus::Operational),
    ];
    let days = daily_uptime(
        &changes,
        at(1, 0, 0),
        date(2026, 11, 10),
        date(2026, 11, 10),
        &sp(),
        at(20, 0, 0),
    );
    assert_eq!(days[0].worst, ComponentStatus::DegradedPerformance);
    assert_eq!(days[0].uptime_percent, 100.0);
}

#[test]
fn days_before_the_component_existed_are_not_observed() {
    let days = daily_uptime(
        &[],
        at(10, 12, 0),
        date(2026, 11, 9),
        date(2026, 11, 10),
        &sp(),
        at(20, 0, 0),
    );
    assert_eq!(days[0].observed_minutes, 0.0);
    assert_eq!(days[0].uptime_percent, 100.0);
    assert!((days[1].observed_minutes - 720.0).abs() < 1e-9);
}

#[test]
fn a_daylight_saving_day_has_its_own_length() {
    let lisbon = TimeZone::get("Europe/Lisbon").unwrap();
    let start = date(2026, 3, 28).to_zoned(lisbon.clone()).unwrap().timestamp();
    let days = daily_uptime(
        &[],
        start,
        date(2026, 3, 29),
        date(2026, 3, 29),
        &lisbon,
        Timestamp::MAX,
    );
    assert!((days[0].observed_minutes - 23.0 * 60.0).abs() < 1e-9);
}

#[test]
fn the_indicator_is_the_worst_of_components_and_open_incidents() {
    use ComponentStatus::*;
    assert_eq!(indicator(&[Operational, UnderMaintenance], &[]), Impact::None);
    assert_eq!(indicator(&[Operational, DegradedPerformance], &[]), Impact::Minor);
    assert_eq!(indicator(&[MajorOutage], &[Impact::Minor]), Impact::Major);
    assert_eq!(indicator(&[Operational], &[Impact::Critical]), Impact::Critical);
}

#[test]
fn maintenance_notice_is_48_hours() {
    let now = at(10, 12, 0);
    assert!(notice_is_enough(now, at(12, 12, 0)));
    assert!(!notice_is_enough(now, at(12, 11, 59)));
}

fn any_status() -> impl Strategy<Value = ComponentStatus> {
    prop::sample::select(ComponentStatus::ALL.to_vec())
}

proptest! {
    #[test]
    fn uptime_stays_between_0_and_100_and_minutes_add_up(
        steps in prop::collection::vec((1i64..3_000, any_status()), 0..40),
    ) {
        let since = at(1, 0, 0);
        let mut t = since;
        let mut changes = Vec::new();
        for (minutes, status) in steps {
            t += jiff::SignedDuration::from_mins(minutes);
            changes.push(change(t, status));
        }
        let now = at(30, 0, 0);
        let days = daily_uptime(&changes, since, date(2026, 11, 1), date(2026, 11, 29), &sp(), now);
        let observed: f64 = days.iter().map(|d| d.observed_minutes).sum();
        prop_assert!((observed - 29.0 * 1440.0).abs() < 1e-6);
        for d in &days {
            prop_assert!((0.0..=100.0).contains(&d.uptime_percent), "{d:?}");
            prop_assert!(d.major_minutes + d.partial_minutes <= d.observed_minutes + 1e-6);
        }
        let overall = overall_uptime(&days);
        prop_assert!((0.0..=100.0).contains(&overall));
    }
}
