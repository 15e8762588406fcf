//! Holes found in review, each closed: no account takeover through invitations, no access that
//! outlives a change of organization or role, no 500 on control characters, and a sign-in limit
//! that holds under a burst, pages that cannot be framed or run injected scripts.

use atende_app::Clock;
use serde_json::json;

use crate::{
    browser::Browser,
    helpers::{Backend, TestApp},
};

#[tokio::test]
async fn an_invitation_cannot_take_over_a_staff_account() {
    let app = TestApp::spawn().await;
    let admin = app.client("admin@atende.example").await;
    let bruno = app.client("bruno@acme.example").await;
    // A service account: staff, no password (it will get an API token).
    admin
        .post(
            "/api/v1/users",
            json!({"email": "ops@atende.example", "name": "Ops", "role": "admin"}),
        )
        .await
        .assert_status(201);
    let startup = app.contract_id("Acme Startup").await;
    bruno
        .post(
            "/api/v1/invitations",
            json!({"email": "ops@atende.example", "contract_id": startup}),
        )
        .await
        .assert_error(422, "invitation.user_in_other_organization");
    let agent = app.client("agent@atende.example").await;
    let acme = bruno.get("/api/v1/organizations").await.body[0]["id"].as_i64().unwrap();
    agent
        .post(
            "/api/v1/invitations",
            json!({"email": "ops@atende.example", "organization_id": acme}),
        )
        .await
        .assert_error(422, "invitation.user_in_other_organization");
}

#[tokio::test]
async fn moving_a_customer_to_another_organization_ends_their_old_access() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    let agent = app.client("agent@atende.example").await;
    let carla = app.client("carla@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    agent
        .post(
            &format!("/api/v1/contracts/{startup}/members"),
            json!({"user_id": carla.user_id}),
        )
        .await
        .assert_status(204);
    let ticket = ana.open_ticket(startup).await.id();
    carla.get(&format!("/api/v1/tickets/{ticket}")).await.assert_status(200);
    let globex = app
        .client("gabriel@globex.example")
        .await
        .get("/api/v1/organizations")
        .await
        .body[0]["id"]
        .as_i64()
        .unwrap();
    agent
        .patch(
            &format!("/api/v1/users/{}", carla.user_id),
            json!({"organization_id": globex}),
        )
        .await
        .assert_status(200);
    carla
        .get(&format!("/api/v1/tickets/{ticket}"))
        .await
        .assert_error(404, "ticket.not_found");
    let members = agent.get(&format!("/api/v1/contracts/{startup}/members")).await;
    assert!(
        members
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != carla.user_id),
        "membership removed"
    );
}

#[tokio::test]
async fn a_demoted_agent_leaves_groups_and_assignments() {
    let app = TestApp::spawn().await;
    let admin = app.client("admin@atende.example").await;
    let agent = app.client("agent@atende.example").await;
    let ana = app.client("ana@acme.example").await;
    let group = admin.post("/api/v1/groups", json!({"name": "Night shift"})).await.id();
    admin
        .post(
            &format!("/api/v1/groups/{group}/members"),
            json!({"user_id": agent.user_id}),
        )
        .await
        .assert_status(204);
    let ticket = ana.open_ticket(app.contract_id("Acme Startup").await).await.id();
    agent
        .patch(
            &format!("/api/v1/tickets/{ticket}"),
            json!({"assignee_id": agent.user_id}),
        )
        .await
        .assert_status(200);
    admin
        .patch(&format!("/api/v1/users/{}", agent.user_id), json!({"role": "customer"}))
        .await
        .assert_status(200);
    assert_eq!(
        admin.get(&format!("/api/v1/groups/{group}/members")).await.body,
        json!([])
    );
    assert!(admin.get(&format!("/api/v1/tickets/{ticket}")).await.body["assignee_id"].is_null());
}

#[tokio::test]
async fn control_characters_get_a_422_not_a_500() {
    let app = TestApp::spawn().await;
    let ana = app.client("ana@acme.example").await;
    ana.patch("/api/v1/me", json!({"name": "Ana\u{0}"}))
        .await
        .assert_error(422, "validation.invalid");
    let startup = app.contract_id("Acme Startup").await;
    let res = ana
        .post(
            "/api/v1/tickets",
            json!({"type": "task", "subject": "Logs\u{0}", "description": "d", "contract_id": startup}),
        )
        .await;
    res.assert_error(422, "validation.invalid");
    assert!(res.body["error"]["message"].as_str().unwrap().contains("NUL"));
    let multi_line = ana.post("/api/v1/tickets", json!({"type": "task", "subject": "Logs", "description": "line one\nline two\ttabbed", "contract_id": startup})).await;
    multi_line.assert_status(201);
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_is_still_limited_to_five() {
    let app = TestApp::spawn().await;
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let client = app.anonymous();
            tokio::spawn(async move {
                client
                    .post(
                        "/api/v1/auth/login",
                        json!({"email": "ana@acme.example", "password": "guess guess guess"}),
                    )
                    .await
                    .status
                    .as_u16()
            })
        })
        .collect();
    let mut checked = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            401 => checked += 1,
            429 => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= 5, "{checked} passwords were checked");
}

#[tokio::test]
async fn accepting_a_customer_admin_invitation_grants_the_role() {
    let app = TestApp::spawn().await;
    let bruno = app.client("bruno@acme.example").await;
    let acme = bruno.get("/api/v1/organizations").await.body[0]["id"].as_i64().unwrap();
    let invitation = bruno
        .post(
            "/api/v1/invitations",
            json!({"email": "carla@acme.example", "organization_id": acme, "role": "customer_admin"}),
        )
        .await;
    invitation.assert_status(201);
    let carla = app.client("carla@acme.example").await;
    let accepted = carla
        .post(
            &format!(
                "/api/v1/invitations/{}/accept",
                invitation.body["token"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    accepted.assert_status(200);
    assert_eq!(accepted.body["user"]["role"], "customer_admin");
}

#[tokio::test]
async fn pages_refuse_framing_and_inline_scripts_and_keep_to_https_once_served_over_it() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana@acme.example").await;
    for path in [
        "/portal",
        "/portal/tickets/new",
        "/help/es",
        "/status",
        "/forum",
        "/ideas",
        "/portal/reports",
    ] {
        let page = ana.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(page.headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            page.headers["cache-control"], "no-store",
            "{path}: a signed-in page is not cached"
        );
        assert!(
            !page.headers.contains_key("strict-transport-security"),
            "{path}: no HSTS over plain HTTP"
        );
        // The policy would block an inline script; none is there to be blocked.
        for tag in page.html.split("<script").skip(1) {
            let opening = tag.split('>').next().unwrap_or_default();
            assert!(opening.contains("src="), "{path}: an inline script <script{opening}>");
        }
    }

    let behind_tls = TestApp::spawn_configured(Backend::from_env(), Clock::system(), |config| {
        config.public_url = "https://help.example.com".into();
    })
    .await;
    let page = Browser::new(&behind_tls.base).get("/login").await;
    assert_eq!(page.headers["strict-transport-security"], "max-age=31536000");
    let cookies: Vec<&str> = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        !cookies.is_empty() && cookies.iter().all(|c| c.contains("Secure")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn public_forms_and_webhooks_are_limited_per_address() {
    let app = TestApp::spawn_configured(Backend::from_env(), Clock::system(), |config| {
        config.public_forms_per_minute = 5;
        config.webhooks_per_minute = 3;
    })
    .await;
    let visitor = app.anonymous().with_language("pt-BR");
    // Different addresses each time: the per-account limit is not what stops them.
    for n in 0..5 {
        visitor
            .post(
                "/api/v1/auth/login",
                json!({"email": format!("nobody{n}@example.com"), "password": "guess guess"}),
            )
            .await
            .assert_status(401);
    }
    let refused = visitor
        .post(
            "/api/v1/auth/login",
            json!({"email": "nobody9@example.com", "password": "guess guess"}),
        )
        .await;
    let message = refused.assert_error(429, "rate_limited");
    let wait: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(message.contains("segundos"), "in the caller's language: {message}");
    // The sign-in page shares the forms' limit.
    let page = Browser::new(&app.base)
        .post_files(
            "/login",
            &[("email", "x@example.com"), ("password", "guess guess")],
            &[],
        )
        .await;
    assert_eq!(page.status, 429, "{}", page.html);

    // Signed-in work is not counted.
    let ana = app.client("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    for _ in 0..8 {
        ana.open_ticket(startup).await.assert_status(201);
    }

    let pipe = || async {
        app.http
            .post(format!("{}/api/v1/inbound/email", app.base))
            .header("x-inbound-token", "a-guess")
            .body("From: a@example.com\r\n\r\nhi\r\n")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let statuses = [pipe().await, pipe().await, pipe().await, pipe().await];
    assert_eq!(statuses[3], 429, "{statuses:?}");
    assert!(statuses[..3].iter().all(|s| *s != 429), "{statuses:?}");
}

/// Reads from `stream` until the server closes it (or 5 s pass): what arrived, and when it closed.
async fn until_closed(
    mut stream: tokio::net::tcp::OwnedReadHalf,
    started: std::time::Instant,
) -> (String, Option<std::time::Duration>) {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = started + std::time::Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), Some(started.elapsed())),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), None),
        }
    }
}

#[tokio::test]
async fn slow_and_idle_connections_are_closed_and_prompt_ones_served() {
    use std::time::{Duration, Instant};
    use tokio::{io::AsyncWriteExt, net::TcpStream};
    let app = TestApp::spawn_configured(Backend::from_env(), Clock::system(), |c| {
        c.idle_timeout_seconds = 1;
    })
    .await;
    let addr = app.base().trim_start_matches("http://").to_owned();
    let request = "GET /healthz HTTP/1.1\r\nHost: atende\r\nX-Padding: slow-loris-slow-loris-slow-loris\r\n\r\n";

    // A slow-loris client: a byte every 100 ms (8 s for the whole request) is cut off after a second.
    let (reader, mut writer) = TcpStream::connect(&addr).await.unwrap().into_split();
    let started = Instant::now();
    let closed = tokio::spawn(until_closed(reader, started));
    for byte in request.bytes() {
        if writer.write_all(&[byte]).await.is_err() || closed.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (answer, at) = closed.await.unwrap();
    let at = at.expect("the server closes a connection that trickles its headers");
    assert!(
        at >= Duration::from_millis(900) && at < Duration::from_secs(3),
        "closed after {at:?}"
    );
    assert!(!answer.contains("200 OK"), "never served: {answer}");

    // A prompt client is served, and its kept-alive connection may ask again soon after...
    let (reader, mut writer) = TcpStream::connect(&addr).await.unwrap().into_split();
    let started = Instant::now();
    let closed = tokio::spawn(until_closed(reader, started));
    writer.write_all(request.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    writer.write_all(request.as_bytes()).await.unwrap();
    // ...but left idle, it is closed a second after its last answer.
    let (answer, at) = closed.await.unwrap();
    assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 2, "{answer}");
    let at = at.expect("the server closes an idle kept-alive connection");
    assert!(
        at >= Duration::from_millis(1400) && at < Duration::from_secs(4),
        "closed after {at:?}"
    );

    // The server goes on serving.
    app.anonymous().get("/healthz").await.assert_status(200);
}

#[tokio::test]
async fn password_reset_links_are_limited_per_account_without_saying_so() {
    let app = TestApp::spawn_at("2026-11-25T12:00:00Z".parse().unwrap()).await;
    let visitor = app.visitor();
    visitor.get("/password/forgot").await;
    // Five asks for one account in an hour: the same answer each time, three links sent.
    for _ in 0..5 {
        visitor
            .post("/password/forgot", &[("email", "ana@acme.example")])
            .await
            .assert_redirect("/login");
    }
    assert_eq!(app.outbox_to("password_reset").await.len(), 3);
    // Another account is not held back by hers; an hour later hers may ask again.
    visitor
        .post("/password/forgot", &[("email", "bruno@acme.example")])
        .await
        .assert_redirect("/login");
    app.advance(61);
    visitor
        .post("/password/forgot", &[("email", "ana@acme.example")])
        .await
        .assert_redirect("/login");
    let sent = app.outbox_to("password_reset").await;
    assert_eq!(sent.iter().filter(|to| to.as_str() == "ana@acme.example").count(), 4);
    assert_eq!(sent.iter().filter(|to| to.as_str() == "bruno@acme.example").count(), 1);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let app = TestApp::spawn_configured(Backend::from_env(), Clock::system(), |config| {
        config.public_forms_per_minute = 3;
        config.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let sign_in = |from: &'static str, n: usize| {
        let http = app.http.clone();
        let url = format!("{}/api/v1/auth/login", app.base);
        async move {
            http.post(url)
                .header("x-forwarded-for", from)
                .json(&json!({"email": format!("nobody{n}@example.com"), "password": "guess guess"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for n in 0..3 {
        assert_eq!(sign_in("203.0.113.7", n).await, 401);
    }
    assert_eq!(
        sign_in("203.0.113.7", 3).await,
        429,
        "the first client's limit is used up"
    );
    assert_eq!(
        sign_in("198.51.100.20", 4).await,
        401,
        "another client behind the same proxy is not"
    );
    // A client cannot dodge its limit by writing its own header: the proxy's last hop counts.
    assert_eq!(sign_in("198.51.100.99, 203.0.113.7", 5).await, 429);
}
