//! A realistic data set, written straight into a fresh database (after the demo data, so its
//! accounts still sign in): organizations with one contract each across every plan, their
//! people (a customer admin first) speaking Spanish, Portuguese or English, a team of agents,
//! tickets over the past year with the usual mixes of type, priority, channel and status, their
//! conversations (customers and agents in turn, some internal notes), the `created` and
//! `status_changed` events and the finished SLA clocks, and a help center in three languages.
//! Everything comes from a fixed seed; rows are sent as literal multi-row inserts, a transaction
//! per few thousand tickets, with a progress bar. The search index is not filled (the search
//! scenario has its own corpus).

use std::time::{Duration, Instant};

use sqlx::{Connection, Row};

/// How big a data set to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub organizations: usize,
    pub users: usize,
    pub tickets: usize,
    pub messages: usize,
    pub articles: usize,
}

/// What was written and how long each part took.
pub struct Made {
    pub parts: Vec<(&'static str, usize, Duration)>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A SQL string literal.
fn text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Where the generated rows' ids start, above anything the demo made.
const FIRST_ID: i64 = 10_000_000;
const DAY_MS: i64 = 86_400_000;
const AGENTS: usize = 40;
/// Rows per INSERT statement, tickets per transaction.
const ROWS: usize = 500;
const TICKETS_PER_TX: usize = 5_000;

const LANGS: [&str; 3] = ["es", "pt-BR", "en"];
const FIRST_NAMES: [[&str; 8]; 3] = [
    [
        "Lucía",
        "Mateo",
        "Sofía",
        "Diego",
        "Valentina",
        "Javier",
        "Camila",
        "Andrés",
    ],
    [
        "Ana", "João", "Mariana", "Pedro", "Beatriz", "Rafael", "Larissa", "Thiago",
    ],
    ["Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Grace", "Henry"],
];
const LAST_NAMES: [[&str; 8]; 3] = [
    [
        "García",
        "Martínez",
        "López",
        "Sánchez",
        "Romero",
        "Torres",
        "Flores",
        "Navarro",
    ],
    [
        "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira",
    ],
    [
        "Smith", "Johnson", "Brown", "Taylor", "Walker", "Clarke", "Wright", "Hughes",
    ],
];
const COMPANY: [&str; 10] = [
    "Andes",
    "Pampa",
    "Atlântico",
    "Northwind",
    "Cumbre",
    "Serra",
    "Harbor",
    "Ribera",
    "Cerrado",
    "Bluefield",
];
const TRADE: [&str; 8] = [
    "Logística",
    "Seguros",
    "Retail",
    "Foods",
    "Clínicas",
    "Educação",
    "Energy",
    "Viajes",
];
/// Plans with the share of contracts on each (per thousand).
const PLANS: [(&str, u32); 6] = [
    ("trial", 150),
    ("startup", 250),
    ("lite", 200),
    ("plus", 200),
    ("super", 120),
    ("enterprise", 80),
];
const SUBJECTS: [[&str; 8]; 3] = [
    [
        "El bot no responde en WhatsApp",
        "No puedo entrar al panel",
        "Error al publicar una nueva versión del flujo",
        "¿Cómo exporto las conversaciones?",
        "La integración con el CRM falla",
        "Cambiar el número del bot",
        "Mensajes duplicados para algunos clientes",
        "Necesito una factura con otros datos",
    ],
    [
        "O bot parou de responder no WhatsApp",
        "Não consigo acessar o painel",
        "Erro ao publicar o fluxo",
        "Como exporto os atendimentos?",
        "A integração com a API retorna 500",
        "Trocar o número do WhatsApp do bot",
        "Clientes recebem mensagens em dobro",
        "Preciso alterar os dados da nota fiscal",
    ],
    [
        "The bot stopped answering on WhatsApp",
        "I cannot sign in to the dashboard",
        "Publishing the flow fails",
        "How do I export the conversations?",
        "The CRM integration returns errors",
        "Move the bot to a new number",
        "Some customers get every message twice",
        "Please change the details on our invoice",
    ],
];
const CUSTOMER_LINES: [[&str; 6]; 3] = [
    [
        "Desde esta mañana los clientes no reciben respuesta.",
        "Adjunto una captura del error que aparece.",
        "Lo probamos en dos navegadores y pasa lo mismo.",
        "Es urgente porque tenemos una campaña en curso.",
        "Sigue pasando después del cambio que sugirieron.",
        "Gracias, ahora funciona correctamente.",
    ],
    [
        "Desde hoje cedo os clientes ficam sem resposta.",
        "Segue em anexo o print do erro.",
        "Testamos em outro navegador e acontece o mesmo.",
        "É urgente, estamos com uma campanha no ar.",
        "Continua acontecendo depois do ajuste sugerido.",
        "Obrigado, agora está funcionando.",
    ],
    [
        "Since this morning our customers get no answer.",
        "I attached a screenshot of the error.",
        "We tried another browser and it happens there too.",
        "This is urgent: we have a campaign running.",
        "It still happens after the change you suggested.",
        "Thanks, it works now.",
    ],
];
const AGENT_LINES: [[&str; 6]; 3] = [
    [
        "Gracias por avisar, ya lo estamos revisando.",
        "¿Puede indicarnos el número afectado y la hora aproximada?",
        "Encontramos la causa y aplicamos una corrección.",
        "Le recomendamos volver a publicar el flujo.",
        "Cerramos el ticket; si vuelve a pasar, responda aquí.",
        "Nota interna: el problema viene de la cola de envíos.",
    ],
    [
        "Obrigado pelo aviso, já estamos analisando.",
        "Pode nos informar o número afetado e o horário?",
        "Encontramos a causa e aplicamos uma correção.",
        "Recomendamos publicar o fluxo novamente.",
        "Vamos encerrar o ticket; se voltar a ocorrer, responda aqui.",
        "Nota interna: o problema vem da fila de envios.",
    ],
    [
        "Thanks for letting us know, we are looking into it.",
        "Could you tell us the affected number and roughly when?",
        "We found the cause and deployed a fix.",
        "Please publish the flow again.",
        "We are closing the ticket; reply here if it happens again.",
        "Internal note: the problem comes from the sending queue.",
    ],
];
const CHANNELS: [(&str, u32); 5] = [
    ("portal", 350),
    ("email", 300),
    ("whatsapp", 220),
    ("api", 80),
    ("webchat", 50),
];
const TYPES: [(&str, u32); 3] = [("question", 600), ("task", 250), ("incident", 150)];
const PRIORITIES: [(&str, u32); 4] = [("low", 200), ("normal", 550), ("high", 200), ("urgent", 50)];

/// One of `choices`, by their weights per thousand.
fn pick<'a>(rng: &mut fastrand::Rng, choices: &[(&'a str, u32)]) -> &'a str {
    let mut roll = rng.u32(..choices.iter().map(|c| c.1).sum::<u32>());
    for (choice, weight) in choices {
        if roll < *weight {
            return choice;
        }
        roll -= weight;
    }
    choices[0].0
}

/// Sends `rows` (each a parenthesized tuple) as multi-row inserts.
async fn insert(conn: &mut sqlx::AnyConnection, head: &str, rows: &[String]) -> Result<(), String> {
    for chunk in rows.chunks(ROWS) {
        sqlx::query(&format!("{head} VALUES {}", chunk.join(",")))
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// The people of the data set: (user id, organization index, language index).
struct People {
    customers: Vec<(i64, usize, usize)>,
    first_of_org: Vec<usize>,
    agents: Vec<i64>,
}

pub async fn run(database_url: &str, size: Size, seed: u64) -> Result<Made, String> {
    let app = crate::open_with_demo(database_url).await?;
    app.db.close().await;
    let mut conn = sqlx::AnyConnection::connect(database_url).await.map_err(err)?;
    let postgres = database_url.starts_with("postgres");
    let mut rng = fastrand::Rng::with_seed(seed);
    let now = jiff::Timestamp::now().as_millisecond();
    let mut parts = Vec::new();
    let password: String = sqlx::query("SELECT password_hash FROM users WHERE email = 'ana@acme.example'")
        .fetch_one(&mut conn)
        .await
        .map_err(err)?
        .try_get::<Option<String>, _>("password_hash")
        .map_err(err)?
        .unwrap_or_default();

    // Organizations, each with one contract on a plan.
    let started = Instant::now();
    let orgs = size.organizations.max(1);
    let mut plans = Vec::with_capacity(orgs);
    let (mut org_rows, mut contract_rows) = (Vec::new(), Vec::new());
    for i in 0..orgs {
        let id = FIRST_ID + i as i64;
        let name = format!(
            "{} {} {}",
            COMPANY[rng.usize(..COMPANY.len())],
            TRADE[rng.usize(..TRADE.len())],
            i + 1
        );
        let plan = pick(&mut rng, &PLANS);
        plans.push(plan);
        org_rows.push(format!("({id}, {}, {})", text(&name), now - 400 * DAY_MS));
        // TRUE and FALSE: booleans on PostgreSQL, 1 and 0 on SQLite.
        let phone = if matches!(plan, "super" | "enterprise") && rng.bool() {
            "TRUE"
        } else {
            "FALSE"
        };
        contract_rows.push(format!(
            "({id}, {id}, {}, {}, '2025-11-01', NULL, {phone}, {})",
            text(plan),
            text(&format!("{name} · {plan}")),
            now - 400 * DAY_MS
        ));
    }
    let mut tx = conn.begin().await.map_err(err)?;
    insert(&mut tx, "INSERT INTO organizations (id, name, created_at)", &org_rows).await?;
    insert(
        &mut tx,
        "INSERT INTO contracts (id, organization_id, plan_code, name, starts_on, ends_on, phone_addon, created_at)",
        &contract_rows,
    )
    .await?;
    tx.commit().await.map_err(err)?;
    parts.push(("organizations and contracts", orgs, started.elapsed()));

    // People: agents, then each organization's customers (its admin first), on its contract.
    let started = Instant::now();
    let mut people = People {
        customers: Vec::new(),
        first_of_org: Vec::new(),
        agents: Vec::new(),
    };
    let (mut user_rows, mut member_rows) = (Vec::new(), Vec::new());
    let customers = size.users.saturating_sub(AGENTS).max(orgs);
    let person = |rng: &mut fastrand::Rng, lang: usize| {
        format!(
            "{} {}",
            FIRST_NAMES[lang][rng.usize(..8)],
            LAST_NAMES[lang][rng.usize(..8)]
        )
    };
    for n in 0..AGENTS {
        let id = FIRST_ID + n as i64;
        let lang = n % 3;
        user_rows.push(format!(
            "({id}, {}, {}, 'agent', NULL, {}, {}, 'America/Sao_Paulo', {now}, {now})",
            text(&format!("agent{n}@support.example")),
            text(&person(&mut rng, lang)),
            text(&password),
            text(LANGS[lang])
        ));
        people.agents.push(id);
    }
    for n in 0..customers {
        let org = n % orgs;
        let id = FIRST_ID + (AGENTS + n) as i64;
        // One language per organization, mostly: its country's.
        let lang = if rng.u32(..10) == 0 { rng.usize(..3) } else { org % 3 };
        let role = if n < orgs { "customer_admin" } else { "customer" };
        if n < orgs {
            people.first_of_org.push(people.customers.len());
        }
        user_rows.push(format!(
            "({id}, {}, {}, '{role}', {}, {}, {}, 'America/Sao_Paulo', {now}, {now})",
            text(&format!("person{n}@org{org}.example")),
            text(&person(&mut rng, lang)),
            FIRST_ID + org as i64,
            text(&password),
            text(LANGS[lang])
        ));
        member_rows.push(format!("({}, {id}, {now})", FIRST_ID + org as i64));
        people.customers.push((id, org, lang));
    }
    let mut tx = conn.begin().await.map_err(err)?;
    insert(
        &mut tx,
        "INSERT INTO users (id, email, name, role, organization_id, password_hash, language, time_zone, registered_at, created_at)",
        &user_rows,
    )
    .await?;
    insert(
        &mut tx,
        "INSERT INTO contract_members (contract_id, user_id, created_at)",
        &member_rows,
    )
    .await?;
    tx.commit().await.map_err(err)?;
    parts.push(("users", user_rows.len(), started.elapsed()));

    // Tickets with their conversations, events and clocks, on paid plans only.
    let started = Instant::now();
    let paid: Vec<usize> = (0..orgs).filter(|o| plans[*o] != "trial").collect();
    if paid.is_empty() {
        return Err("no organization on a paid plan: make more organizations".into());
    }
    // Customers by organization, to pick a requester of the ticket's organization.
    let mut by_org: Vec<Vec<usize>> = vec![Vec::new(); orgs];
    for (k, (_, org, _)) in people.customers.iter().enumerate() {
        by_org[*org].push(k);
    }
    let per_ticket = (size.messages as f64 / size.tickets.max(1) as f64).max(0.0);
    let mut bar = atende::progress::ProgressBar::new("tickets");
    let mut messages_made = 0usize;
    let mut ticket = 0usize;
    while ticket < size.tickets {
        let batch_end = (ticket + TICKETS_PER_TX).min(size.tickets);
        let (mut tickets, mut messages, mut events, mut clocks) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for t in ticket..batch_end {
            let id = FIRST_ID + t as i64;
            let org = paid[rng.usize(..paid.len())];
            let (requester, _, lang) = people.customers[by_org[org][rng.usize(..by_org[org].len())]];
            let agent = people.agents[rng.usize(..people.agents.len())];
            let created = now - rng.i64(0..365 * DAY_MS);
            let age_days = (now - created) / DAY_MS;
            let status = if age_days > 14 {
                if rng.u32(..100) < 96 { "closed" } else { "open" }
            } else {
                ["new", "open", "pending", "solved", "solved", "closed"][rng.usize(..6)]
            };
            let (channel, kind, priority) = (
                pick(&mut rng, &CHANNELS),
                pick(&mut rng, &TYPES),
                pick(&mut rng, &PRIORITIES),
            );
            let subject = SUBJECTS[lang][rng.usize(..8)];
            let description = format!(
                "{} {}",
                CUSTOMER_LINES[lang][rng.usize(..4)],
                CUSTOMER_LINES[lang][rng.usize(..4)]
            );
            // Replies, customers and agents in turn, a few minutes to hours apart: a varying number
            // that keeps the running total on course for the size asked.
            let due_so_far = ((t + 1) as f64 * per_ticket).round() as i64;
            let replies = if status == "new" {
                0
            } else {
                (due_so_far - messages_made as i64 + rng.i64(-3..=3)).clamp(0, (per_ticket * 3.0).ceil() as i64)
                    as usize
            };
            let mut at = created;
            let mut first_answer = None;
            for r in 0..replies {
                at += rng.i64(5 * 60_000..6 * 3_600_000);
                let by_agent = r % 2 == 0;
                let (author, visibility, line) = if by_agent {
                    let internal = rng.u32(..10) == 0;
                    let line = if internal { 5 } else { rng.usize(..5) };
                    (
                        agent,
                        if internal { "internal" } else { "public" },
                        AGENT_LINES[lang][line],
                    )
                } else {
                    (requester, "public", CUSTOMER_LINES[lang][rng.usize(..6)])
                };
                if by_agent && visibility == "public" && first_answer.is_none() {
                    first_answer = Some(at);
                }
                messages.push(format!(
                    "({id}, {author}, '{visibility}', '{channel}', {}, {at})",
                    text(line)
                ));
            }
            messages_made += replies;
            let solved = matches!(status, "solved" | "closed");
            let updated = if solved { at + 3_600_000 } else { at };
            let due = if solved {
                "NULL".to_owned()
            } else {
                (created + DAY_MS).to_string()
            };
            tickets.push(format!(
                "({id}, '{kind}', {}, {}, '{priority}', '{status}', '{channel}', {}, {requester}, {agent}, {due}, {created}, {updated})",
                text(subject),
                text(&description),
                FIRST_ID + org as i64
            ));
            events.push(format!(
                "({id}, {requester}, '{channel}', 'created', '{{}}', {created})"
            ));
            if solved {
                events.push(format!(
                    "({id}, {agent}, 'portal', 'status_changed', '{{\"from\":\"open\",\"to\":\"solved\"}}', {updated})"
                ));
                let secs = (updated - created) / 1000;
                let state = if secs > 3 * 86_400 { "breached" } else { "achieved" };
                clocks.push(format!(
                    "({id}, 'resolution', 1, 1, '{state}', 4320, {created}, {updated}, {}, {}, {secs}, 0)",
                    created + 3 * DAY_MS,
                    created + 2 * DAY_MS
                ));
            }
            if let Some(answer) = first_answer {
                let secs = (answer - created) / 1000;
                let state = if secs > 4 * 3_600 { "breached" } else { "achieved" };
                clocks.push(format!(
                    "({id}, 'first_response', 1, 1, '{state}', 240, {created}, {answer}, {}, {}, {secs}, 0)",
                    created + 4 * 3_600_000,
                    created + 3 * 3_600_000
                ));
            }
        }
        let mut tx = conn.begin().await.map_err(err)?;
        insert(
            &mut tx,
            "INSERT INTO tickets (id, type, subject, description, priority, status, channel, contract_id, requester_id, \
             assignee_id, sla_due_at, created_at, updated_at)",
            &tickets,
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO messages (ticket_id, author_id, visibility, channel, body, created_at)",
            &messages,
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO ticket_events (ticket_id, actor_id, channel, kind, data, created_at)",
            &events,
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO sla_clocks (ticket_id, target, cycle, policy_id, state, target_minutes, started_at, stopped_at, \
             due_at, warn_at, elapsed_secs, paused_secs)",
            &clocks,
        )
        .await?;
        tx.commit().await.map_err(err)?;
        ticket = batch_end;
        bar.show(ticket, size.tickets);
    }
    bar.finish();
    parts.push(("tickets", size.tickets, started.elapsed()));
    parts.push(("messages (in the tickets' time)", messages_made, Duration::ZERO));

    // The help center: ten categories of five sections, the articles spread over them, each in
    // the three languages.
    let started = Instant::now();
    let (mut categories, mut category_texts, mut sections, mut section_texts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut articles, mut translations) = (Vec::new(), Vec::new());
    let topics = [
        ("Canales", "Canais", "Channels"),
        ("Flujos", "Fluxos", "Flows"),
        ("Integraciones", "Integrações", "Integrations"),
        ("Facturación", "Faturamento", "Billing"),
        ("Cuenta", "Conta", "Account"),
        ("Informes", "Relatórios", "Reports"),
        ("WhatsApp", "WhatsApp", "WhatsApp"),
        ("Seguridad", "Segurança", "Security"),
        ("API", "API", "API"),
        ("Primeros pasos", "Primeiros passos", "Getting started"),
    ];
    for (c, names) in topics.iter().enumerate() {
        let id = FIRST_ID + c as i64;
        categories.push(format!("({id}, {c}, {now})"));
        for (lang, name) in LANGS.iter().zip([names.0, names.1, names.2]) {
            category_texts.push(format!("({id}, '{lang}', {}, '')", text(name)));
        }
        for s in 0..5 {
            let section = FIRST_ID + (c * 5 + s) as i64;
            sections.push(format!("({section}, {id}, {s}, {now})"));
            for (lang, name) in LANGS.iter().zip([names.0, names.1, names.2]) {
                section_texts.push(format!("({section}, '{lang}', {})", text(&format!("{name} {}", s + 1))));
            }
        }
    }
    for a in 0..size.articles {
        let id = FIRST_ID + a as i64;
        let section = FIRST_ID + (a % 50) as i64;
        let faq = if a % 10 == 0 { "TRUE" } else { "FALSE" };
        articles.push(format!(
            "({id}, {section}, {a}, 'public', 'published', {faq}, '', {}, 0, 0, NULL, {now}, {now})",
            rng.u32(..5_000)
        ));
        let subject = rng.usize(..8);
        for (l, lang) in LANGS.iter().enumerate() {
            let title = format!("{} ({})", SUBJECTS[l][subject], a + 1);
            let body = format!("{} {} {}", AGENT_LINES[l][2], AGENT_LINES[l][3], CUSTOMER_LINES[l][2]);
            translations.push(format!(
                "({id}, '{lang}', {}, {}, {}, '', {now})",
                text(&title),
                text(&format!("article-{}-{lang}", a + 1)),
                text(&body)
            ));
        }
    }
    let mut tx = conn.begin().await.map_err(err)?;
    insert(
        &mut tx,
        "INSERT INTO kb_categories (id, position, created_at)",
        &categories,
    )
    .await?;
    insert(
        &mut tx,
        "INSERT INTO kb_category_texts (category_id, lang, name, description)",
        &category_texts,
    )
    .await?;
    insert(
        &mut tx,
        "INSERT INTO kb_sections (id, category_id, position, created_at)",
        &sections,
    )
    .await?;
    insert(
        &mut tx,
        "INSERT INTO kb_section_texts (section_id, lang, name)",
        &section_texts,
    )
    .await?;
    insert(
        &mut tx,
        "INSERT INTO kb_articles (id, section_id, position, visibility, status, faq, tags, views, helpful_yes, helpful_no, \
         author_id, created_at, updated_at)",
        &articles,
    )
    .await?;
    insert(
        &mut tx,
        "INSERT INTO kb_translations (article_id, lang, title, slug, body, faq_answer, updated_at)",
        &translations,
    )
    .await?;
    tx.commit().await.map_err(err)?;
    parts.push(("help articles (three languages each)", size.articles, started.elapsed()));

    // PostgreSQL: the identity sequences past the ids given here; then statistics.
    let started = Instant::now();
    if postgres {
        for table in [
            "organizations",
            "contracts",
            "users",
            "tickets",
            "kb_categories",
            "kb_sections",
            "kb_articles",
        ] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&mut conn)
            .await
            .map_err(err)?;
        }
    }
    sqlx::query(if postgres { "VACUUM ANALYZE" } else { "ANALYZE" })
        .execute(&mut conn)
        .await
        .map_err(err)?;
    parts.push(("statistics", 0, started.elapsed()));
    Ok(Made { parts })
}
