use jiff::tz::TimeZone;

use super::*;

#[test]
fn text_is_escaped_and_long_lines_fold_without_splitting_characters() {
    assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    let mut w = Writer::default();
    w.line("SUMMARY", &"ç".repeat(60));
    let out = w.finish();
    for line in out.split("\r\n") {
        assert!(line.len() <= 75, "{} octets", line.len());
    }
    let unfolded = out.replace("\r\n ", "");
    assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "ç".repeat(60)));
}

#[test]
fn the_time_zone_lists_the_rule_in_force_and_each_change() {
    let tz = TimeZone::get("America/New_York").unwrap();
    let mut w = Writer::default();
    w.time_zone(
        &tz,
        "2026-10-01T00:00:00Z".parse().unwrap(),
        "2027-04-01T00:00:00Z".parse().unwrap(),
    );
    let out = w.finish();
    assert!(out.contains("TZID:America/New_York\r\n"));
    // In force on Oct 1 (since March 8), then November 1 and March 14.
    assert!(out.contains(
        "BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"
    ));
    assert!(out.contains(
        "BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n"
    ));
    assert!(out.contains("DTSTART:20270314T020000"));
}

#[test]
fn a_zone_without_changes_still_has_its_rule() {
    let mut w = Writer::default();
    let sao_paulo = TimeZone::get("America/Sao_Paulo").unwrap();
    w.time_zone(
        &sao_paulo,
        "2026-10-01T00:00:00Z".parse().unwrap(),
        "2027-04-01T00:00:00Z".parse().unwrap(),
    );
    let out = w.finish();
    assert!(
        out.contains("BEGIN:STANDARD\r\nDTSTART:20190217T000000\r\nTZOFFSETFROM:-0200\r\nTZOFFSETTO:-0300\r\n"),
        "{out}"
    );
    let mut w = Writer::default();
    w.time_zone(
        &TimeZone::get("UTC").unwrap(),
        "2026-10-01T00:00:00Z".parse().unwrap(),
        "2027-04-01T00:00:00Z".parse().unwrap(),
    );
    assert!(w.finish().contains("TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n"));
}
