//! The help center and search: default articles in three languages, accent- and
//! inflection-tolerant search per language, internal articles and other organizations' tickets
//! never found by those who may not see them, the same top results on SQLite and PostgreSQL.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp};

fn article(section: i64, lang: &str, title: &str, body: &str, internal: bool) -> Value {
    json!({"section_id": section, "published": true, "internal": internal,
           "translations": [{"lang": lang, "title": title, "body": body}]})
}

async fn first_section(agent: &Client) -> i64 {
    let articles = agent.get("/api/v1/articles").await;
    articles.body[0]["section_id"].as_i64().unwrap()
}

fn ids(res: &Value) -> Vec<i64> {
    res.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_fresh_install_has_the_help_center_in_three_languages() {
    let app = TestApp::spawn().await;
    let articles = app.anonymous().get("/api/v1/articles").await;
    articles.assert_status(200);
    let list = articles.body.as_array().unwrap();
    assert_eq!(list.len(), 8, "{}", articles.body);
    for a in list {
        let langs: Vec<&str> = a["translations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["lang"].as_str().unwrap())
            .collect();
        assert_eq!(langs.len(), 3, "{a}");
        assert!(a["faq"].as_bool().unwrap());
    }
    // The default articles are searchable in each language.
    let es = app.anonymous().get("/api/v1/search?q=idioma&lang=es").await;
    assert!(es.body[0]["title"].as_str().unwrap().contains("idioma"), "{}", es.body);
    let pt = app.anonymous().get("/api/v1/search?q=cadastrar&lang=pt-BR").await;
    assert_eq!(pt.body[0]["title"], "Como se cadastrar", "{}", pt.body);
    let en = app.anonymous().get("/api/v1/search?q=service%20levels&lang=en").await;
    assert_eq!(en.body[0]["title"], "Service levels: how fast we answer", "{}", en.body);
    let marked = en
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["snippet_html"].as_str().unwrap().contains("<mark>service</mark>"));
    assert!(marked, "{}", en.body);
}

#[tokio::test]
async fn spanish_and_portuguese_queries_find_their_articles_whatever_the_accents_and_endings() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    let section = first_section(&agent).await;
    let es = agent
        .post(
            "/api/v1/articles",
            article(
                section,
                "es",
                "Configuración del canal de WhatsApp",
                "Para **configurar** el número, abra Canales.",
                false,
            ),
        )
        .await;
    es.assert_status(201);
    let pt = agent
        .post(
            "/api/v1/articles",
            article(
                section,
                "pt-BR",
                "Configuração das notificações",
                "Você pode configurar os avisos por e-mail.",
                false,
            ),
        )
        .await;
    pt.assert_status(201);
    let visitor = app.anonymous();
    for q in [
        "configuración",
        "configuracion",
        "CONFIGURAR",
        "configuraciones",
        "configurado%20whatsapp",
    ] {
        let found = visitor.get(&format!("/api/v1/search?q={q}&lang=es")).await;
        assert_eq!(ids(&found.body).first(), Some(&es.id()), "{q}: {}", found.body);
    }
    for q in ["configuracao", "notificacao", "configurar%20avisos"] {
        let found = visitor.get(&format!("/api/v1/search?q={q}&lang=pt-BR")).await;
        assert_eq!(ids(&found.body).first(), Some(&pt.id()), "{q}: {}", found.body);
        assert!(
            !ids(&found.body).contains(&es.id()),
            "the Spanish article stays in Spanish"
        );
    }
}

#[tokio::test]
async fn internal_articles_are_never_found_by_visitors_or_customers() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    let section = first_section(&agent).await;
    let internal = agent
        .post(
            "/api/v1/articles",
            article(
                section,
                "en",
                "Escalation runbook for outages",
                "Page the on-call engineer, then update the status page.",
                true,
            ),
        )
        .await;
    internal.assert_status(201);
    let id = internal.id();
    for reader in [app.anonymous(), app.client("ana@acme.example").await] {
        let found = reader.get("/api/v1/search?q=escalation%20runbook&lang=en").await;
        assert!(!ids(&found.body).contains(&id), "{}", found.body);
        reader
            .get(&format!("/api/v1/articles/{id}"))
            .await
            .assert_error(404, "article.not_found");
        let listed = reader.get("/api/v1/articles").await;
        assert!(!ids(&listed.body).contains(&id));
    }
    let staff = agent.get("/api/v1/search?q=escalation%20runbook&lang=en").await;
    assert_eq!(ids(&staff.body).first(), Some(&id));
    let visitor_page = app
        .visitor()
        .get(&format!("/help/en/articles/{id}-escalation-runbook-for-outages"))
        .await;
    assert_eq!(visitor_page.status, reqwest::StatusCode::NOT_FOUND);
    // Drafts are not searchable either.
    let draft = agent
        .post(
            "/api/v1/articles",
            json!({"section_id": section, "published": false, "translations": [{"lang": "en", "title": "Unreleased pricing", "body": "Secret numbers."}]}),
        )
        .await;
    let found = app.anonymous().get("/api/v1/search?q=pricing&lang=en").await;
    assert!(!ids(&found.body).contains(&draft.id()));
}

#[tokio::test]
async fn ticket_search_finds_only_what_the_reader_may_see() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let ana = app.client("ana@acme.example").await;
    let ticket = ana
        .post(
            "/api/v1/tickets",
            json!({"type": "question", "subject": "Plantilla de zanahorias", "description": "La plantilla no envía imágenes.", "contract_id": startup}),
        )
        .await;
    ticket.assert_status(201);
    let id = ticket.id();
    let agent = app.client("agent@atende.example").await;
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "Nota: el proveedor de berenjenas falla", "visibility": "internal"}),
        )
        .await
        .assert_status(201);
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "Revisamos el formato de las imágenes"}),
        )
        .await
        .assert_status(201);

    let found = ana.get("/api/v1/search?scope=tickets&q=zanahoria&lang=es").await;
    assert_eq!(ids(&found.body), [id], "{}", found.body);
    let by_reply = ana.get("/api/v1/search?scope=tickets&q=formato%20imagen&lang=es").await;
    assert_eq!(ids(&by_reply.body), [id]);
    assert!(
        by_reply.body[0]["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<mark>formato</mark>")
    );
    // The internal note is the staff's.
    assert_eq!(
        ids(&ana.get("/api/v1/search?scope=tickets&q=berenjenas&lang=es").await.body),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(&agent
            .get("/api/v1/search?scope=tickets&q=berenjenas&lang=es")
            .await
            .body),
        [id]
    );
    // Another organization never finds it; neither does a colleague off the contract.
    let gabriel = app.client("gabriel@globex.example").await;
    assert_eq!(
        ids(&gabriel
            .get("/api/v1/search?scope=tickets&q=zanahoria&lang=es")
            .await
            .body),
        Vec::<i64>::new()
    );
    let carla = app.client("carla@acme.example").await;
    assert_eq!(
        ids(&carla.get("/api/v1/search?scope=tickets&q=zanahoria&lang=es").await.body),
        Vec::<i64>::new()
    );
    // Filters narrow; visitors must sign in for tickets.
    assert_eq!(
        ids(&agent
            .get("/api/v1/search?scope=tickets&q=zanahoria&lang=es&status=solved")
            .await
            .body),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(&agent
            .get("/api/v1/search?scope=tickets&q=zanahoria&lang=es&type=question")
            .await
            .body),
        [id]
    );
    app.anonymous()
        .get("/api/v1/search?scope=tickets&q=zanahoria")
        .await
        .assert_error(401, "auth.required");
    agent
        .get("/api/v1/search?scope=everything&q=x")
        .await
        .assert_error(422, "validation.not_one_of");
}

/// The fixed corpus and queries of the cross-backend check.
async fn top_results(backend: Backend) -> Vec<Vec<i64>> {
    let app = TestApp::spawn_on(backend).await;
    let agent = app.client("agent@atende.example").await;
    let section = first_section(&agent).await;
    let corpus = [
        (
            "es",
            "Facturación y pagos",
            "Cómo descargar la factura del mes y cambiar la tarjeta de pago.",
        ),
        (
            "es",
            "Pagos rechazados",
            "Si el pago con tarjeta es rechazado, revise los datos de facturación.",
        ),
        (
            "es",
            "Canales de atención",
            "WhatsApp, correo y portal: los canales de cada plan.",
        ),
        (
            "en",
            "Exporting reports",
            "Export the monthly report as CSV from the reports page.",
        ),
        (
            "en",
            "Report scheduling",
            "Schedule a weekly report to be e-mailed to supervisors.",
        ),
        (
            "en",
            "Billing contacts",
            "Change who receives the invoices and billing notices.",
        ),
        (
            "pt-BR",
            "Relatórios mensais",
            "Exporte o relatório mensal em CSV na página de relatórios.",
        ),
        (
            "pt-BR",
            "Faturamento",
            "Como baixar a fatura e trocar o cartão de pagamento.",
        ),
    ];
    for (lang, title, body) in corpus {
        agent
            .post("/api/v1/articles", article(section, lang, title, body, false))
            .await
            .assert_status(201);
    }
    let queries = [
        ("es", "factura"),
        ("es", "pago tarjeta"),
        ("es", "canales whatsapp"),
        ("en", "report"),
        ("en", "weekly report"),
        ("en", "billing"),
        ("pt-BR", "relatorio"),
        ("pt-BR", "fatura pagamento"),
    ];
    let mut out = Vec::new();
    for (lang, q) in queries {
        let res = app
            .anonymous()
            .get(&format!("/api/v1/search?q={q}&lang={lang}&limit=3"))
            .await;
        out.push(ids(&res.body));
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgres_return_the_same_top_results() {
    let sqlite = top_results(Backend::Sqlite).await;
    let postgres = top_results(Backend::Postgres).await;
    assert!(
        sqlite.iter().all(|r| !r.is_empty()),
        "every query finds something: {sqlite:?}"
    );
    for (i, (s, p)) in sqlite.iter().zip(&postgres).enumerate() {
        assert_eq!(s.first(), p.first(), "query {i}: SQLite {s:?}, PostgreSQL {p:?}");
        let (mut s, mut p) = (s.clone(), p.clone());
        s.sort_unstable();
        p.sort_unstable();
        assert_eq!(s, p, "query {i}: the same documents");
    }
}

#[tokio::test]
async fn the_help_center_pages_link_translations_count_votes_and_suggest_articles() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor();
    visitor.get("/help").await;
    let home = visitor.get("/help/pt-BR").await;
    home.assert_contains("<html lang=\"pt-BR\">")
        .assert_contains("Como abrir um ticket")
        .assert_contains("/api/docs");
    let link: String = home
        .html
        .split("href=\"/help/pt-BR/articles/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .into();
    let page = visitor.get(&format!("/help/pt-BR/articles/{link}")).await;
    page.assert_contains("rel=\"canonical\"")
        .assert_contains("hreflang=\"es\"")
        .assert_contains("hreflang=\"en\"");
    let id: String = link.split('-').next().unwrap().into();
    // A wrong slug leads to the canonical address.
    let moved = visitor.get(&format!("/help/pt-BR/articles/{id}-old-title")).await;
    assert_eq!(moved.status, reqwest::StatusCode::PERMANENT_REDIRECT);
    visitor
        .post(&format!("/help/pt-BR/articles/{id}/vote"), &[("helpful", "yes")])
        .await;
    visitor
        .post(&format!("/help/pt-BR/articles/{id}/vote"), &[("helpful", "yes")])
        .await;
    let after = app.anonymous().get(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(after.body["helpful_yes"], 1, "one vote per visitor");
    assert!(after.body["views"].as_i64().unwrap() >= 1);

    let results = visitor.get("/help/es/search?q=idiomas").await;
    results.assert_contains("<mark>idioma</mark>");
    let sitemap = visitor.get("/help/sitemap.xml").await;
    sitemap.assert_contains("<urlset").assert_contains("hreflang=\"pt-BR\"");
    assert_eq!(sitemap.html.matches("<url>").count(), 3 + 8 * 3);

    // Deflection: suggestions while typing a subject, and the opening is recorded.
    let ana = app.browser("ana@acme.example").await;
    let suggest = app
        .http
        .get(format!("{}/help/suggest?q=abrir%20ticket", app.base))
        .header(
            "cookie",
            format!("atende_session={}", ana.cookie("atende_session").unwrap()),
        )
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let url = suggest[0]["url"].as_str().unwrap().to_owned();
    assert!(url.ends_with("?from=ticket-form"), "{suggest}");
    let title = suggest[0]["title"].as_str().unwrap();
    assert!(title.contains("abrir un ticket"), "{suggest}");
    ana.get(&url).await.assert_contains(&format!("<h1>{title}</h1>"));
    let mut conn = app.app().db.read().await.unwrap();
    let opened: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM kb_suggestion_opens")
            .fetch_one(&mut *conn)
            .await
            .unwrap(),
        "n",
    );
    assert_eq!(opened, 1);
}

#[tokio::test]
async fn agents_write_articles_in_the_editor_and_visitors_read_what_is_published() {
    let app = TestApp::spawn().await;
    let agent = app.browser("agent@atende.example").await;
    let form = agent.get("/agent/articles/new").await;
    let section: String = form
        .html
        .split("<option value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .into();
    let created = agent
        .post(
            "/agent/articles",
            &[
                ("section", &section),
                ("published", "1"),
                ("faq", "1"),
                ("tags", "Webhooks, API"),
                ("title_es", "Reintentos de webhooks"),
                (
                    "body_es",
                    "Los **webhooks** se reintentan cinco veces. <script>alert(1)</script>",
                ),
                ("faq_es", "Cinco reintentos."),
                ("title_pt-BR", ""),
                ("title_en", "Webhook retries"),
                ("body_en", "Webhooks are retried five times."),
            ],
        )
        .await;
    let edit_path = created.location().to_owned();
    assert!(
        edit_path.starts_with("/agent/articles/"),
        "{}",
        agent.follow(&created).await.html
    );
    let id = edit_path.rsplit('/').next().unwrap().to_owned();
    let page = app
        .visitor()
        .get(&format!("/help/es/articles/{id}-reintentos-de-webhooks"))
        .await;
    page.assert_contains("<strong>webhooks</strong>")
        .assert_contains("hreflang=\"en\"");
    assert!(!page.html.contains("<script>alert"), "Markdown is sanitized");
    let found = app.anonymous().get("/api/v1/search?q=reintento&lang=es").await;
    assert_eq!(ids(&found.body).first().map(|i| i.to_string()), Some(id.clone()));

    // Made internal: visitors lose it, agents keep it.
    agent.get(&edit_path).await.assert_contains("Reintentos de webhooks");
    agent
        .post(
            &edit_path,
            &[
                ("section", &section),
                ("published", "1"),
                ("internal", "1"),
                ("title_es", "Reintentos de webhooks"),
                ("body_es", "Los webhooks se reintentan cinco veces."),
            ],
        )
        .await
        .assert_redirect(&edit_path);
    let found = app.anonymous().get("/api/v1/search?q=reintento&lang=es").await;
    assert!(ids(&found.body).is_empty(), "{}", found.body);
    let english = app.anonymous().get(&format!("/api/v1/articles/{id}")).await;
    english.assert_error(404, "article.not_found");
    agent
        .get("/agent/articles")
        .await
        .assert_contains("Reintentos de webhooks");
    // Customers cannot reach the editor.
    let ana = app.browser("ana@acme.example").await;
    assert_eq!(ana.get("/agent/articles").await.status, reqwest::StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn tickets_from_before_the_index_are_indexed_once_at_start() {
    let app = TestApp::spawn().await;
    let startup = app.contract_id("Acme Startup").await;
    let ana = app.client("ana@acme.example").await;
    let id = ana
        .post(
            "/api/v1/tickets",
            json!({"type": "question", "subject": "Pregunta sobre mandarinas", "description": "Detalle.", "contract_id": startup}),
        )
        .await
        .id();
    // As an older installation would be: tickets, and nothing of them in the index.
    let mut conn = app.app().db.begin().await.unwrap();
    if !app.database_url.starts_with("postgres") {
        sqlx::query("DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE kind <> 'article')")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    sqlx::query("DELETE FROM search_docs WHERE kind <> 'article'")
        .execute(&mut *conn)
        .await
        .unwrap();
    conn.commit().await.unwrap();
    assert!(atende_app::search::needs_rebuild(app.app()).await.unwrap());
    let mut seen = Vec::new();
    let indexed = atende_app::search::rebuild_tickets(app.app(), |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!(Some(&indexed), seen.last());
    assert!(!atende_app::search::needs_rebuild(app.app()).await.unwrap());
    let found = ana.get("/api/v1/search?scope=tickets&q=mandarinas&lang=es").await;
    assert_eq!(ids(&found.body), [id]);
}
