//! Events: the weekly AMA with a cancelled and a moved session, read back from the iCalendar feed
//! by an independent parser (Python's `icalendar`) across New York's change of clocks; one-off
//! sessions; questions asked ahead with one vote a person; the page in the visitor's zone.

use std::io::Write;

use reqwest::Method;
use serde_json::json;

use crate::helpers::TestApp;

/// Expands the feed's events with Python's `icalendar` and `dateutil` between two instants and
/// lists each session's start on New York's clock, with its summary.
fn sessions_in_new_york(ics: &str) -> Vec<String> {
    let script = r#"
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from icalendar import Calendar
from dateutil.rrule import rrulestr

cal = Calendar.from_ical(sys.stdin.read())
ny = ZoneInfo('America/New_York')
lo = datetime(2026, 10, 20, tzinfo=timezone.utc)
hi = datetime(2027, 1, 1, tzinfo=timezone.utc)
events = list(cal.walk('VEVENT'))
moved = {(str(e['uid']), int(e.decoded('recurrence-id').timestamp())): e for e in events if e.get('recurrence-id') is not None}
out = []
for e in events:
    if e.get('recurrence-id') is not None:
        continue
    start = e.decoded('dtstart')
    assert start.tzinfo is not None, 'zoned start'
    if e.get('rrule') is None:
        starts = [start] if lo <= start < hi else []
    else:
        rule = rrulestr(e['rrule'].to_ical().decode(), dtstart=start)
        skipped = set()
        exdate = e.get('exdate')
        for group in (exdate if isinstance(exdate, list) else [exdate] if exdate is not None else []):
            for d in group.dts:
                skipped.add(int(d.dt.timestamp()))
        starts = []
        for occurrence in rule.between(lo, hi, inc=True):
            key = int(occurrence.timestamp())
            if key in skipped:
                continue
            override = moved.get((str(e['uid']), key))
            starts.append(override.decoded('dtstart') if override is not None else occurrence)
    for s in starts:
        out.append(s.astimezone(ny).strftime('%Y-%m-%d %H:%M %Z') + ' ' + str(e['summary']))
print('\n'.join(sorted(out)))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the feed does not parse: {}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_weekly_ama_feed_keeps_cancellations_and_moves_across_a_change_of_clocks() {
    let app = TestApp::spawn_at("2026-10-20T12:00:00Z".parse().unwrap()).await;
    let visitor = app.anonymous().with_language("en");
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;

    let list = visitor.get("/api/v1/events").await;
    let ama = &list.body[0];
    assert_eq!(ama["kind"], "ama");
    assert_eq!(ama["time_zone"], "America/Sao_Paulo");
    assert_eq!(
        ama["sessions"][0]["start"], "2026-10-22T15:00:00-03:00",
        "Thursdays at 15:00 by default"
    );
    let id = ama["id"].as_i64().unwrap();
    let session = |date: &str| format!("/api/v1/events/{id}/sessions/{date}");

    ana.send(Method::PUT, &session("2026-11-26"), Some(json!({"action": "cancel"})))
        .await
        .assert_status(403);
    agent
        .send(Method::PUT, &session("2026-11-27"), Some(json!({"action": "cancel"})))
        .await
        .assert_error(422, "event.no_session_that_day");
    agent
        .send(Method::PUT, &session("2026-11-26"), Some(json!({"action": "cancel"})))
        .await
        .assert_status(204);
    agent
        .send(
            Method::PUT,
            &session("2026-12-10"),
            Some(json!({"action": "move", "moved_to": "2026-12-11T10:00"})),
        )
        .await
        .assert_status(204);
    let one_off = agent
        .post(
            "/api/v1/events",
            json!({"kind": "session", "starts_at": "2026-11-03T09:30", "time_zone": "Europe/Lisbon", "duration_minutes": 45,
                   "published": true, "texts": [{"lang": "en", "title": "Launch webinar", "description": "What is new"}]}),
        )
        .await;
    one_off.assert_status(201);
    assert_eq!(one_off.body["weekly"], false);

    let feed = visitor.get("/events.ics").await;
    feed.assert_status(200);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = feed.body.as_str().unwrap();
    // New York leaves daylight time on November 1: the same 15:00 in São Paulo moves an hour earlier there.
    assert_eq!(
        sessions_in_new_york(ics),
        [
            "2026-10-22 14:00 EDT Weekly live AMA",
            "2026-10-29 14:00 EDT Weekly live AMA",
            "2026-11-03 04:30 EST Launch webinar",
            "2026-11-05 13:00 EST Weekly live AMA",
            "2026-11-12 13:00 EST Weekly live AMA",
            "2026-11-19 13:00 EST Weekly live AMA",
            "2026-12-03 13:00 EST Weekly live AMA",
            "2026-12-11 08:00 EST Weekly live AMA",
            "2026-12-17 13:00 EST Weekly live AMA",
            "2026-12-24 13:00 EST Weekly live AMA",
            "2026-12-31 13:00 EST Weekly live AMA",
        ]
    );
    let one = visitor.get(&format!("/events/{id}.ics")).await;
    assert_eq!(
        sessions_in_new_york(one.body.as_str().unwrap()).len(),
        10,
        "the AMA alone"
    );
    let spanish = app.anonymous().with_language("es").get("/events.ics").await;
    assert!(spanish.body.as_str().unwrap().contains("SUMMARY:AMA semanal en vivo"));

    // The page shows the sessions on the visitor's chosen clock.
    let page = visitor.get("/events?tz=America/New_York").await;
    let html = page.body.as_str().unwrap();
    assert!(html.contains("Thursday · Oct 22, 2026 14:00 EDT"), "{html}");
    assert!(html.contains("Thursday · Nov 5, 2026 13:00 EST"));
    assert!(!html.contains("Nov 26, 2026"), "the cancelled session is gone");
}

#[tokio::test]
async fn questions_are_asked_ahead_and_voted_once_per_person() {
    let app = TestApp::spawn_at("2026-10-20T12:00:00Z".parse().unwrap()).await;
    let ana = app.client("ana@acme.example").await;
    let gabriel = app.client("gabriel@globex.example").await;
    let agent = app.client("agent@atende.example").await;
    let id = app.anonymous().get("/api/v1/events").await.body[0]["id"]
        .as_i64()
        .unwrap();
    let ask = |date: &str| format!("/api/v1/events/{id}/sessions/{date}/questions");

    app.anonymous()
        .post(&ask("2026-10-22"), json!({"body": "Hi?"}))
        .await
        .assert_status(401);
    let question = ana
        .post(
            &ask("2026-10-22"),
            json!({"body": "When does the web chat support files?"}),
        )
        .await;
    question.assert_status(201);
    let q = question.id();
    ana.post(&ask("2026-10-15"), json!({"body": "Too late"}))
        .await
        .assert_error(422, "event.session_not_coming");
    agent
        .send(
            Method::PUT,
            &format!("/api/v1/events/{id}/sessions/2026-10-29"),
            Some(json!({"action": "cancel"})),
        )
        .await
        .assert_status(204);
    ana.post(&ask("2026-10-29"), json!({"body": "Cancelled one"}))
        .await
        .assert_error(422, "event.session_not_coming");

    for _ in 0..3 {
        let v = gabriel
            .send(Method::PUT, &format!("/api/v1/event-questions/{q}/vote"), None)
            .await;
        assert_eq!(v.body["votes"], 1);
    }
    ana.send(Method::PUT, &format!("/api/v1/event-questions/{q}/vote"), None)
        .await
        .assert_error(422, "post.own_vote");
    let detail = gabriel.get(&format!("/api/v1/events/{id}")).await;
    assert_eq!(detail.body["session"], "2026-10-22", "the next session by default");
    assert_eq!(detail.body["questions"][0]["votes"], 1);
    assert_eq!(detail.body["questions"][0]["voted"], true);

    agent
        .send(
            Method::PUT,
            &format!("/api/v1/event-questions/{q}/hidden"),
            Some(json!({"hidden": true})),
        )
        .await
        .assert_status(204);
    assert_eq!(
        gabriel.get(&format!("/api/v1/events/{id}")).await.body["questions"],
        json!([])
    );
    assert_eq!(
        agent.get(&format!("/api/v1/events/{id}")).await.body["questions"][0]["hidden"],
        true
    );
    gabriel
        .send(Method::PUT, &format!("/api/v1/event-questions/{q}/vote"), None)
        .await
        .assert_error(404, "question.not_found");

    // Unpublished events are staff's alone.
    let draft = agent
        .post(
            "/api/v1/events",
            json!({"kind": "session", "starts_at": "2026-11-03T09:30", "time_zone": "Mars/Olympus", "duration_minutes": 45,
                   "texts": [{"lang": "en", "title": "Draft"}]}),
        )
        .await;
    draft.assert_error(422, "validation.invalid");
    let draft = agent
        .post(
            "/api/v1/events",
            json!({"kind": "session", "starts_at": "2026-11-03T09:30", "time_zone": "UTC", "duration_minutes": 45,
                   "texts": [{"lang": "en", "title": "Draft"}]}),
        )
        .await
        .id();
    gabriel.get(&format!("/api/v1/events/{draft}")).await.assert_status(404);
    assert_eq!(gabriel.get("/api/v1/events").await.body.as_array().unwrap().len(), 1);
    assert_eq!(agent.get("/api/v1/events").await.body.as_array().unwrap().len(), 2);
}
