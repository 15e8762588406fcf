//! The server-rendered pages, over HTTP as a browser sends them: sign-in and sessions, language
//! first, CSRF, scoping, the portal's ticket life and the agent's answer, files, phone support.

use atende::demo::PASSWORD;
use jiff::Timestamp;
use reqwest::StatusCode;

use crate::helpers::TestApp;

/// The number in a redirect to `/portal/tickets/<id>`.
fn ticket_id_of(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn signing_in_asks_for_a_language_first_then_speaks_it() {
    let app = TestApp::spawn().await;
    let browser = app.visitor().speaking("en");
    let signed = browser.sign_in("diego@acme.example", PASSWORD).await;
    signed.assert_redirect("/");
    let session = browser.cookie("atende_session").expect("a session cookie");
    assert!(session.starts_with("atd_"));
    let set_cookie: Vec<_> = signed
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let cookie = set_cookie.iter().find(|c| c.starts_with("atende_session=")).unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    // Every page but the preferences leads to the preferences until a language is chosen.
    browser.follow(&signed).await.assert_redirect("/preferences");
    browser.get("/portal").await.assert_redirect("/preferences");
    browser.get("/portal/tickets/new").await.assert_redirect("/preferences");
    let prefs = browser.get("/preferences").await;
    prefs
        .assert_contains("Elige tu idioma")
        .assert_contains("Choose your language");

    let saved = browser
        .post(
            "/preferences",
            &[
                ("language", "es"),
                ("name", "Diego"),
                ("time_zone", "America/Sao_Paulo"),
            ],
        )
        .await;
    saved.assert_redirect("/portal");
    let portal = browser.follow(&saved).await;
    assert_eq!(portal.status, StatusCode::OK);
    portal
        .assert_contains("<html lang=\"es\">")
        .assert_contains("Guardamos tus preferencias.")
        .assert_contains("Tus contratos");
}

#[tokio::test]
async fn a_wrong_password_stays_on_the_form_with_the_reason() {
    let app = TestApp::spawn().await;
    let browser = app.visitor().speaking("pt-BR");
    let refused = browser.sign_in("ana@acme.example", "not the password").await;
    refused.assert_redirect("/login?next=%2F");
    browser
        .follow(&refused)
        .await
        .assert_contains("O e-mail ou a senha")
        .assert_contains("flash-error");
    assert!(browser.cookie("atende_session").is_none());
}

#[tokio::test]
async fn forms_without_the_session_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let ana = app.browser("ana@acme.example").await;
    let startup = app.contract_id("Acme Startup").await;
    ana.get("/portal/tickets/new").await;
    ana.forget_csrf();
    let refused = ana
        .post_files(
            "/portal/tickets/new",
            &[
                ("target", &format!("c{startup}")),
                ("type", "question"),
                ("urgency", "low"),
                ("impact", "low"),
                ("subject", "Forged"),
                ("description", "From another site"),
            ],
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    refused.assert_contains("no vino de este sitio");
    let tickets = app
        .client("ana@acme.example")
        .await
        .get("/api/v1/tickets?limit=100")
        .await;
    let subjects: Vec<_> = tickets.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["subject"].clone())
        .collect();
    assert!(!subjects.contains(&serde_json::json!("Forged")));

    // The sign-in form is protected too, by a token tied to the visitor's cookie.
    let visitor = app.visitor();
    visitor.get("/login").await;
    visitor.forget_csrf();
    let forged = visitor
        .post("/login", &[("email", "ana@acme.example"), ("password", PASSWORD)])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_session_ends_when_it_expires() {
    let app = TestApp::spawn_at("2026-03-02T12:00:00Z".parse::<Timestamp>().unwrap()).await;
    let browser = app.visitor();
    browser.sign_in("ana@acme.example", PASSWORD).await.assert_redirect("/");
    assert_eq!(browser.get("/portal").await.status, StatusCode::OK);
    app.advance(29 * 24 * 60);
    assert_eq!(
        browser.get("/portal").await.status,
        StatusCode::OK,
        "still within 30 days"
    );
    app.advance(2 * 24 * 60);
    let expired = browser.get("/portal/tickets").await;
    expired.assert_redirect("/login?next=%2Fportal%2Ftickets");
    assert!(browser.cookie("atende_session").is_none(), "the dead cookie is removed");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let browser = app.visitor();
    browser.sign_in("ana@acme.example", PASSWORD).await;
    let token = browser.cookie("atende_session").unwrap();
    browser.get("/portal").await;
    browser.post("/logout", &[]).await.assert_redirect("/login");
    // The old cookie no longer opens anything, even if it was copied elsewhere.
    let thief = app.visitor();
    thief.set_cookie("atende_session", &token);
    thief.get("/portal").await.assert_redirect("/login?next=%2Fportal");
}

#[tokio::test]
async fn pages_enforce_the_same_scoping_as_the_api() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let acme_ticket = app.client("ana@acme.example").await.open_ticket(startup).await.id();

    let gabriel = app.browser("gabriel@globex.example").await;
    let other = gabriel.get(&format!("/portal/tickets/{acme_ticket}")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.html.contains("The bot stopped answering"));
    let queue = gabriel.get("/agent").await;
    assert_eq!(
        queue.status,
        StatusCode::FORBIDDEN,
        "customers never see the agent workspace"
    );
    assert_eq!(
        gabriel.get(&format!("/agent/tickets/{acme_ticket}")).await.status,
        StatusCode::FORBIDDEN
    );

    let visitor = app.visitor();
    visitor.get("/portal").await.assert_redirect("/login?next=%2Fportal");
    visitor
        .get("/agent?view=mine")
        .await
        .assert_redirect("/login?next=%2Fagent%3Fview%3Dmine");

    // A customer admin sees the organization's tickets; a colleague not on the contract does not.
    let bruno = app.browser("bruno@acme.example").await;
    assert_eq!(
        bruno.get(&format!("/portal/tickets/{acme_ticket}")).await.status,
        StatusCode::OK
    );
    let carla = app.browser("carla@acme.example").await;
    assert_eq!(
        carla.get(&format!("/portal/tickets/{acme_ticket}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_customer_opens_an_incident_with_a_file_and_reads_the_agents_reply() {
    let app = TestApp::spawn().await;
    let enterprise = app.contract_id("Acme Enterprise").await;
    let ana = app.browser("ana@acme.example").await;
    let form = ana.get("/portal/tickets/new").await;
    form.assert_contains("Incidente").assert_contains("Estamos detenidos");
    let created = ana
        .post_files(
            "/portal/tickets/new",
            &[
                ("target", &format!("c{enterprise}")),
                ("type", "incident"),
                ("urgency", "high"),
                ("impact", "high"),
                ("subject", "El bot no responde <script>alert('x')</script>"),
                ("description", "Desde las 9:00 <img src=x onerror=alert(1)> nada."),
            ],
            &[("files", "registro.log", b"09:00 timeout\n09:01 timeout\n")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let id = ticket_id_of(created.location());
    let page = ana.follow(&created).await;
    page.assert_contains("Tu ticket está abierto")
        .assert_contains("Urgente")
        .assert_contains("data-due=")
        .assert_contains("registro.log");
    assert!(!page.html.contains("<script>alert"), "user text is escaped");
    assert!(!page.html.contains("<img src=x"), "user text is escaped");
    page.assert_contains("&#60;script&#62;");

    // The agent finds it at the top of the breaching-soon view and answers.
    let agent = app.browser("agent@atende.example").await;
    let queue = agent.get("/agent?view=breaching").await;
    let first_row = queue.html.split("<tbody>").nth(1).unwrap();
    let first_link = first_row.split("href=\"/agent/tickets/").nth(1).unwrap();
    assert!(
        first_link.starts_with(&format!("{id}\"")),
        "the new urgent incident leads the view"
    );
    let ticket = agent.get(&format!("/agent/tickets/{id}")).await;
    ticket
        .assert_contains("Acme Enterprise")
        .assert_contains("First response");
    agent
        .post_files(
            &format!("/agent/tickets/{id}/reply"),
            &[
                ("body", "Estamos revisando el canal."),
                ("visibility", "public"),
                ("then_status", ""),
            ],
            &[],
        )
        .await
        .assert_redirect(&format!("/agent/tickets/{id}"));
    agent
        .post_files(
            &format!("/agent/tickets/{id}/reply"),
            &[("body", "Nota: revisar el webhook"), ("visibility", "internal")],
            &[],
        )
        .await;

    let seen = ana.get(&format!("/portal/tickets/{id}")).await;
    seen.assert_contains("Estamos revisando el canal.");
    assert!(
        !seen.html.contains("revisar el webhook"),
        "internal notes stay internal"
    );

    // The file is served as a download, never rendered, and only to those who see the ticket.
    let file_id: i64 = seen
        .html
        .split("/attachments/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let download = ana.get(&format!("/attachments/{file_id}")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.html, "09:00 timeout\n09:01 timeout\n");
    let disposition = download.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.headers["x-content-type-options"], "nosniff");
    let gabriel = app.browser("gabriel@globex.example").await;
    assert_eq!(
        gabriel.get(&format!("/attachments/{file_id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_customer_solves_reopens_and_rates_their_ticket() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let id = app.client("ana@acme.example").await.open_ticket(startup).await.id();
    let ana = app.browser("ana@acme.example").await;
    let page = ana.get(&format!("/portal/tickets/{id}")).await;
    assert!(!page.html.contains("rating-question") && !page.html.contains("¿Te sirvió"));
    ana.post(&format!("/portal/tickets/{id}/status"), &[("status", "solved")])
        .await;
    let solved = ana.get(&format!("/portal/tickets/{id}")).await;
    solved.assert_contains("¿Te sirvió la solución?");
    ana.get("/portal/tickets?status=mine")
        .await
        .assert_contains(&format!("/portal/tickets/{id}\""));
    let bruno = app.browser("bruno@acme.example").await;
    let theirs = bruno.get("/portal/tickets?status=mine").await;
    assert!(
        !theirs.html.contains(&format!("/portal/tickets/{id}\"")),
        "opened by Ana, not by Bruno"
    );
    bruno
        .get("/portal/tickets?status=all")
        .await
        .assert_contains(&format!("/portal/tickets/{id}\""));
    ana.post(
        &format!("/portal/tickets/{id}/rating"),
        &[("rating", "good"), ("comment", "Rápido")],
    )
    .await;
    ana.get(&format!("/portal/tickets/{id}"))
        .await
        .assert_contains("Valorado como bueno");
    let agent = app.browser("agent@atende.example").await;
    agent
        .get(&format!("/agent/tickets/{id}"))
        .await
        .assert_contains("Rated good");
    ana.post(&format!("/portal/tickets/{id}/status"), &[("status", "open")])
        .await;
    ana.get(&format!("/portal/tickets/{id}"))
        .await
        .assert_contains("status-open");
}

#[tokio::test]
async fn a_trial_customer_is_told_why_and_where_help_is() {
    let app = TestApp::spawn().await;
    let carla = app.browser("carla@acme.example").await;
    let page = carla.get("/portal/tickets/new").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Why you cannot open a ticket now")
        .assert_contains("support tickets start with the Startup plan")
        .assert_contains("href=\"/help\"")
        .assert_contains("href=\"/forum\"")
        .assert_contains("help@atende.test");
    assert!(!page.html.contains("name=\"subject\""), "no form is offered");
}

#[tokio::test]
async fn agents_tag_assign_and_bulk_solve() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let ana = app.client("ana@acme.example").await;
    let first = ana.open_ticket(startup).await.id();
    let second = ana.open_ticket(startup).await.id();
    let agent = app.browser("agent@atende.example").await;
    agent.get(&format!("/agent/tickets/{first}")).await;
    agent
        .post(
            &format!("/agent/tickets/{first}/tags"),
            &[("tags", "Billing, WhatsApp Templates")],
        )
        .await;
    agent.post(&format!("/agent/tickets/{first}/take"), &[]).await;
    let page = agent.get(&format!("/agent/tickets/{first}")).await;
    page.assert_contains("value=\"billing, whatsapp-templates\"");
    page.assert_contains("changed the assignee: Unassigned → Sam Agent")
        .assert_contains("changed the tags: billing, whatsapp-templates");
    agent
        .get("/agent?view=mine")
        .await
        .assert_contains(&format!("/agent/tickets/{first}\""));

    let first_s = first.to_string();
    let second_s = second.to_string();
    agent.get("/agent?view=open").await;
    let done = agent
        .post(
            "/agent/bulk",
            &[
                ("ticket", &first_s),
                ("ticket", &second_s),
                ("action", "solve"),
                ("back", "/agent?view=open"),
            ],
        )
        .await;
    done.assert_redirect("/agent?view=open");
    for id in [first, second] {
        let t = ana.get(&format!("/api/v1/tickets/{id}")).await;
        assert_eq!(t.body["status"], "solved");
    }
    let events = app
        .client("agent@atende.example")
        .await
        .get(&format!("/api/v1/tickets/{first}/events"))
        .await;
    let kinds: Vec<_> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        kinds.contains(&"tags_changed".to_owned()) && kinds.contains(&"assignee_changed".to_owned()),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_through_its_link() {
    let app = TestApp::spawn().await;
    let old_session = app.browser("ana@acme.example").await;
    let visitor = app.visitor();
    visitor.get("/password/forgot").await;
    visitor
        .post("/password/forgot", &[("email", "nobody@acme.example")])
        .await
        .assert_redirect("/login");
    let link = atende_app::passwords::request_reset(app.app(), "ana@acme.example")
        .await
        .unwrap()
        .unwrap();
    let path = link.url.trim_start_matches("http://127.0.0.1:8080");
    visitor.get(path).await.assert_contains("name=\"password_again\"");
    visitor
        .post(
            path,
            &[
                ("password", "a brand new secret"),
                ("password_again", "a brand new secret"),
            ],
        )
        .await
        .assert_redirect("/login");
    visitor.get(path).await.assert_contains("expired or was already used");
    old_session
        .get("/portal")
        .await
        .assert_redirect("/login?next=%2Fportal");
    visitor
        .sign_in("ana@acme.example", "a brand new secret")
        .await
        .assert_redirect("/");
    let old = app.visitor();
    old.sign_in("ana@acme.example", PASSWORD)
        .await
        .assert_redirect("/login?next=%2F");
}

#[tokio::test]
async fn phone_support_is_offered_only_where_the_plan_and_contract_include_it() {
    let app = TestApp::spawn().await;
    // Ana is on Enterprise (phone by contract, and this one has it): she may ask for a call.
    let ana = app.browser("ana@acme.example").await;
    let form = ana.get("/portal/callbacks").await;
    form.assert_contains("Acme Enterprise");
    assert!(!form.html.contains(">Acme Startup ("), "Startup has no phone");
    let enterprise = app.contract_id("Acme Enterprise").await.to_string();
    // A time three days ahead, typed as a local date and time (any zone keeps it in range).
    let when = (Timestamp::now() + jiff::SignedDuration::from_hours(72))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let booked = ana
        .post(
            "/portal/callbacks",
            &[
                ("contract", &enterprise),
                ("phone_number", "+55 11 4000-1234"),
                ("preferred_at", &when),
                ("subject", "Dudas sobre el plan"),
            ],
        )
        .await;
    booked.assert_redirect("/portal/callbacks");
    ana.follow(&booked).await.assert_contains("Agendamos tu llamada");
    let too_late = ana
        .post(
            "/portal/callbacks",
            &[
                ("contract", &enterprise),
                ("phone_number", "+55 11 4000-1234"),
                ("preferred_at", "2099-01-05T10:30"),
                ("subject", "x"),
            ],
        )
        .await;
    ana.follow(&too_late).await.assert_contains("30 días");
    let startup = app.contract_id("Acme Startup").await.to_string();
    let refused = ana
        .post(
            "/portal/callbacks",
            &[
                ("contract", &startup),
                ("phone_number", "+55 11 4000-1234"),
                ("preferred_at", &when),
                ("subject", "x"),
            ],
        )
        .await;
    refused.assert_redirect("/portal/callbacks");
    ana.follow(&refused).await.assert_contains("no incluye");

    // Gabriel's Lite plan has no phone at all: no offer.
    let gabriel = app.browser("gabriel@globex.example").await;
    gabriel
        .get("/portal/callbacks")
        .await
        .assert_contains("None of your contracts");

    // The agent works the queue: logs the call as a phone ticket, which closes the request.
    let agent = app.browser("agent@atende.example").await;
    let queue = agent.get("/agent/calls").await;
    queue
        .assert_contains("+551140001234")
        .assert_contains("Dudas sobre el plan");
    let callback: String = queue
        .html
        .split("/agent/calls?callback=")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .into();
    agent
        .get(&format!("/agent/calls?callback={callback}&email=ana@acme.example"))
        .await
        .assert_contains("Acme Enterprise");
    let logged = agent
        .post(
            "/agent/calls",
            &[
                ("callback", &callback),
                ("requester", &app.client("ana@acme.example").await.user_id.to_string()),
                ("contract", &enterprise),
                ("type", "question"),
                ("subject", "Dudas sobre el plan"),
                ("direction", "outbound"),
                ("phone_number", "+55 11 4000-1234"),
                ("duration_minutes", "7"),
                ("notes", "Explicamos los límites del plan."),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.html);
    let id: i64 = logged.location().rsplit('/').next().unwrap().parse().unwrap();
    let ticket = app
        .client("agent@atende.example")
        .await
        .get(&format!("/api/v1/tickets/{id}"))
        .await;
    assert_eq!(ticket.body["channel"], "phone");
    agent.get("/agent/calls").await.assert_contains("Nobody is waiting");
}

#[tokio::test]
async fn a_customer_admin_approves_requests_and_invites_people_who_register_by_the_link() {
    let app = TestApp::spawn().await;
    let enterprise = app.contract_id("Acme Enterprise").await;
    // Eva, on a bot's team only, asks to join the Enterprise contract's team from her portal.
    let eva = app.browser("eva@acme.example").await;
    eva.get("/portal").await;
    eva.post(
        "/portal/join",
        &[
            ("target", &format!("c{enterprise}")),
            ("message", "Cubro o turno da noite"),
        ],
    )
    .await
    .assert_redirect("/portal");

    let bruno = app.browser("bruno@acme.example").await;
    let page = bruno.get("/portal/organization").await;
    page.assert_contains("Cubro o turno da noite");
    let request: String = page
        .html
        .split("/portal/join-requests/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .into();
    bruno
        .post(&format!("/portal/join-requests/{request}"), &[("decision", "approve")])
        .await
        .assert_redirect("/portal/organization");
    let eva_api = app.client("eva@acme.example").await;
    eva_api.open_ticket(enterprise).await.assert_status(201);

    // An invitation to the Enterprise team; the invitee registers through its link.
    let invited = bruno
        .post(
            "/portal/organization/invite",
            &[
                ("email", "hugo@acme.example"),
                ("team", &format!("c{enterprise}")),
                ("role", "customer"),
            ],
        )
        .await;
    let flash = bruno.follow(&invited).await;
    assert!(
        flash.html.contains("/invitations/"),
        "{}",
        flash.html.split("<main").nth(1).unwrap_or_default()
    );
    let link = flash
        .html
        .split("/invitations/")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .next()
        .unwrap()
        .to_owned();
    let hugo = app.visitor().speaking("pt-BR");
    hugo.get(&format!("/invitations/{link}")).await.assert_contains("Acme");
    let registered = hugo
        .post(
            &format!("/invitations/{link}"),
            &[
                ("name", "Hugo Prado"),
                ("password", "uma senha bem longa"),
                ("password_again", "uma senha bem longa"),
                ("language", "pt-BR"),
                ("time_zone", "America/Sao_Paulo"),
            ],
        )
        .await;
    registered.assert_redirect("/portal");
    let portal = hugo.follow(&registered).await;
    portal
        .assert_contains("Olá, Hugo Prado")
        .assert_contains("Abrir um ticket em Acme Enterprise");

    // Colleagues without the role cannot reach the page.
    let ana = app.browser("ana@acme.example").await;
    assert_eq!(ana.get("/portal/organization").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_admin_configures_plans_contracts_teams_groups_and_service_levels_from_the_pages() {
    let app = TestApp::spawn().await;
    let admin = app.browser("admin@atende.example").await;
    admin.get("/admin").await.assert_contains("/admin/sla");

    // The matrix: Startup gains phone support by contract.
    let plans = admin.get("/admin/plans").await;
    plans.assert_contains("name=\"channel_phone\"");
    admin
        .post(
            "/admin/plans",
            &[
                ("code", "startup"),
                ("name", "Startup"),
                ("paid", "1"),
                ("tier", "standard"),
                ("position", "2"),
                ("channel_documentation", "included"),
                ("channel_forum", "included"),
                ("channel_portal", "included"),
                ("channel_email", "included"),
                ("channel_whatsapp", "included"),
                ("channel_phone", "conditional"),
            ],
        )
        .await
        .assert_redirect("/admin/plans");
    let public = app.visitor().get("/plans").await;
    let startup_row = public
        .html
        .split("<th scope=\"row\">Startup</th>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(startup_row.contains("avail-conditional"), "{startup_row}");

    // Agents work tickets; the plans are the admins'.
    let agent = app.browser("agent@atende.example").await;
    agent.get("/admin/plans").await;
    let refused = agent
        .post("/admin/plans", &[("code", "startup"), ("name", "Free for all")])
        .await;
    agent.follow(&refused).await.assert_contains("Only an administrator");

    // A contract for Globex, with a member and a bot.
    let contracts = admin.get("/admin/contracts").await;
    let globex: String = contracts
        .html
        .split("<option value=\"")
        .find_map(|piece| {
            let (id, rest) = piece.split_once('"')?;
            rest.starts_with(">Globex").then(|| id.to_owned())
        })
        .unwrap();
    let created = admin
        .post(
            "/admin/contracts",
            &[
                ("organization", &globex),
                ("name", "Globex Super"),
                ("plan", "super"),
                ("starts_on", "2026-01-01"),
                ("phone_addon", "1"),
            ],
        )
        .await;
    let contract_page = created.location().to_owned();
    assert!(
        contract_page.starts_with("/admin/contracts/"),
        "{}",
        admin.follow(&created).await.html
    );
    let contract_id = contract_page.rsplit('/').next().unwrap().to_owned();
    admin.get(&contract_page).await;
    admin
        .post(&format!("{contract_page}/bots"), &[("name", "Globex Bot")])
        .await;
    let gabriel_id = app.client("gabriel@globex.example").await.user_id.to_string();
    admin
        .post(
            "/admin/teams",
            &[
                ("contract", &contract_id),
                ("team", &format!("c{contract_id}")),
                ("user", &gabriel_id),
                ("action", "add"),
            ],
        )
        .await
        .assert_redirect(&contract_page);
    admin
        .get(&contract_page)
        .await
        .assert_contains("Globex Bot")
        .assert_contains("gabriel@globex.example");
    let gabriel = app.client("gabriel@globex.example").await;
    gabriel
        .open_ticket(contract_id.parse().unwrap())
        .await
        .assert_status(201);

    // A group with the agent in it.
    admin.get("/admin/groups").await;
    admin
        .post("/admin/groups", &[("name", "Billing")])
        .await
        .assert_redirect("/admin/groups");
    let groups = admin.get("/admin/groups").await;
    let group: String = groups
        .html
        .split("/admin/groups/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .into();
    let agent_id = app.client("agent@atende.example").await.user_id.to_string();
    admin
        .post(
            &format!("/admin/groups/{group}"),
            &[("action", "add"), ("user", &agent_id)],
        )
        .await;
    admin.get("/admin/groups").await.assert_contains("Sam Agent");

    // Calendars: bad hours are refused with the reason; good ones and a holiday are kept.
    let sla = admin.get("/admin/sla").await;
    let code: String = sla
        .html
        .split("/admin/sla/calendars/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .into();
    let mut week: Vec<(String, String)> = (1..=7).map(|d| (format!("day{d}"), String::new())).collect();
    week[0].1 = "18:00-09:00".into();
    let mut fields: Vec<(&str, &str)> = week.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.extend([
        ("name", "Business hours"),
        ("time_zone", "America/Sao_Paulo"),
        ("holiday_rules", "brazil"),
    ]);
    let bad = admin.post(&format!("/admin/sla/calendars/{code}"), &fields).await;
    admin.follow(&bad).await.assert_contains("09:00-18:00, in order");
    week[0].1 = "08:00-12:00, 13:00-17:00".into();
    let fields: Vec<(&str, &str)> = week
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([
            ("name", "Business hours"),
            ("time_zone", "America/Sao_Paulo"),
            ("holiday_rules", "brazil"),
        ])
        .collect();
    admin
        .post(&format!("/admin/sla/calendars/{code}"), &fields)
        .await
        .assert_redirect("/admin/sla");
    admin
        .post(
            &format!("/admin/sla/calendars/{code}/holidays"),
            &[("day", "2027-03-19"), ("name", "São José"), ("action", "add")],
        )
        .await;
    admin
        .get("/admin/sla")
        .await
        .assert_contains("value=\"08:00-12:00, 13:00-17:00\"")
        .assert_contains("2027-03-19 São José");

    // A token, shown once.
    admin.get("/admin/tokens").await;
    let made = admin.post("/admin/tokens", &[("name", "CI export")]).await;
    let shown = admin.follow(&made).await;
    let token: String = shown.html.split("atd_").nth(1).unwrap().chars().take(64).collect();
    let res = app
        .http
        .get(format!("{}/api/v1/me", app.base))
        .bearer_auth(format!("atd_{token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let listed = admin.get("/admin/tokens").await;
    assert!(!listed.html.contains(&token), "the token is not shown again");
}

#[tokio::test]
async fn redirects_after_sign_in_or_a_language_choice_stay_on_this_site() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor();
    for evil in [
        "//evil.example",
        "/%09/evil.example",
        "/%5Cevil.example",
        "https://evil.example",
        "/\\evil",
    ] {
        let page = visitor.get(&format!("/lang/es?next={evil}")).await;
        assert_eq!(page.location(), "/", "{evil}");
    }
    visitor.get("/lang/pt-BR?next=/plans").await.assert_redirect("/plans");
    let signed = visitor
        .sign_in_to("ana@acme.example", PASSWORD, "/\t/evil.example")
        .await;
    signed.assert_redirect("/");
}

#[tokio::test]
async fn a_stale_properties_form_changes_only_what_the_agent_touched() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let id = app.client("ana@acme.example").await.open_ticket(startup).await.id();
    let agent = app.browser("agent@atende.example").await;
    let page = agent.get(&format!("/agent/tickets/{id}")).await;
    page.assert_contains("name=\"was_assignee\" value=\"\"");
    // Meanwhile the supervisor takes the ticket.
    let supervisor = app.client("supervisor@atende.example").await;
    supervisor
        .patch(
            &format!("/api/v1/tickets/{id}"),
            serde_json::json!({"assignee_id": supervisor.user_id}),
        )
        .await
        .assert_status(200);
    // The agent's page still shows it unassigned; they change only the priority.
    agent
        .post(
            &format!("/agent/tickets/{id}/update"),
            &[
                ("status", "new"),
                ("was_status", "new"),
                ("priority", "urgent"),
                ("was_priority", "high"),
                ("type", "incident"),
                ("was_type", "incident"),
                ("assignee", ""),
                ("was_assignee", ""),
                ("group", ""),
                ("was_group", ""),
            ],
        )
        .await
        .assert_redirect(&format!("/agent/tickets/{id}"));
    let ticket = supervisor.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(ticket.body["priority"], "urgent");
    assert_eq!(
        ticket.body["assignee_id"], supervisor.user_id,
        "the supervisor keeps the ticket"
    );
}

#[tokio::test]
async fn signing_out_of_an_expired_session_just_shows_the_sign_in_page() {
    let app = TestApp::spawn_at("2026-03-02T12:00:00Z".parse::<Timestamp>().unwrap()).await;
    let browser = app.visitor();
    browser.sign_in("ana@acme.example", PASSWORD).await;
    browser.get("/portal").await;
    app.advance(31 * 24 * 60);
    browser.post("/logout", &[]).await.assert_redirect("/login");
}

#[tokio::test]
async fn oversized_form_parts_and_unsafe_files_are_refused_before_anything_is_stored() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let id = app.client("ana@acme.example").await.open_ticket(startup).await.id();
    let ana = app.browser("ana@acme.example").await;
    ana.get(&format!("/portal/tickets/{id}")).await;
    let path = format!("/portal/tickets/{id}/reply");
    let huge = "a".repeat(300 * 1024);
    let refused = ana.post_files(&path, &[("body", &huge)], &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("demasiado largo");
    let eleven: Vec<(&str, &str, &[u8])> = (0..11).map(|_| ("files", "a.txt", b"a".as_slice())).collect();
    let refused = ana.post_files(&path, &[("body", "Varios archivos")], &eleven).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let elf: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0";
    let refused = ana
        .post_files(&path, &[("body", "Un programa")], &[("files", "tool", elf)])
        .await;
    refused.assert_redirect(&format!("/portal/tickets/{id}"));
    ana.follow(&refused).await.assert_contains("no se puede adjuntar");
    let messages = app
        .client("ana@acme.example")
        .await
        .get(&format!("/api/v1/tickets/{id}/messages"))
        .await;
    assert_eq!(messages.body, serde_json::json!([]), "nothing was stored");
}

#[tokio::test]
async fn a_long_queue_pages_through_every_ticket_once_in_due_order() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let ana = app.client("ana@acme.example").await;
    for _ in 0..104 {
        ana.open_ticket(startup).await.assert_status(201);
    }
    let agent = app.browser("agent@atende.example").await;
    let mut seen = Vec::new();
    let mut path = "/agent?view=open".to_owned();
    loop {
        let page = agent.get(&path).await;
        let rows = page
            .html
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .split("</tbody>")
            .next()
            .unwrap();
        seen.extend(
            rows.split("href=\"/agent/tickets/")
                .skip(1)
                .map(|piece| piece.split('"').next().unwrap().parse::<i64>().unwrap()),
        );
        match page.html.split("&amp;after=").nth(1) {
            Some(rest) => path = format!("/agent?view=open&after={}", rest.split('"').next().unwrap()),
            None => break,
        }
    }
    let all = app
        .client("agent@atende.example")
        .await
        .get("/api/v1/tickets?limit=100&status=new")
        .await;
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no ticket twice");
    assert!(
        seen.len() > 104,
        "every open ticket (and the demo's): {} seen",
        seen.len()
    );
    assert!(
        all.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| seen.contains(&t["id"].as_i64().unwrap()))
    );
}
