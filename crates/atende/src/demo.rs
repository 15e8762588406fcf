//! `atende demo`: a small organization with users, contracts, a bot and tickets, on top of the
//! manual's default profile, so that every access rule can be tried by hand.

use atende_app::{
    Actor, App, AppError, Team,
    directory::{self, CreateUser},
    teams::{self, ContractInput},
    tickets::{self, OpenTicket},
};
use atende_domain::{Body, Lang, Priority, Role, Subject, TicketChannel, TicketType, entities::User};
use jiff::civil::date;

pub const PASSWORD: &str = "atende-demo-2026";

/// One line per demo account: e-mail, role, and what it shows.
pub const ACCOUNTS: &[(&str, &str, &str)] = &[
    ("admin@atende.example", "admin", "configures plans, users and contracts"),
    ("agent@atende.example", "agent", "works the tickets"),
    (
        "supervisor@atende.example",
        "supervisor",
        "gets SLA breach notifications and escalations",
    ),
    (
        "ana@acme.example",
        "customer",
        "Spanish; on the Startup and Enterprise contracts' teams: may open tickets",
    ),
    (
        "bruno@acme.example",
        "customer_admin",
        "Portuguese; manages Acme's members and approves join requests",
    ),
    (
        "carla@acme.example",
        "customer",
        "English; only on the Trial contract: refused, told about the plans",
    ),
    (
        "diego@acme.example",
        "customer",
        "on the Startup team but has not chosen a language: refused until he does",
    ),
    (
        "eva@acme.example",
        "customer",
        "on the team of the bot 'Acme Assistant' only: may open tickets",
    ),
    (
        "gabriel@globex.example",
        "customer",
        "another organization (Globex, Lite plan): never sees Acme's tickets",
    ),
];

/// Loads the demo data unless it is already there. Returns false when it was.
pub async fn load(app: &App) -> Result<bool, AppError> {
    let mut conn = app.db.read().await?;
    if atende_store::directory::find_user_by_email(&mut conn, "admin@atende.example")
        .await?
        .is_some()
    {
        return Ok(false);
    }
    drop(conn);

    let admin = Actor {
        user: user(
            app,
            None,
            "admin@atende.example",
            "Alex Admin",
            Role::Admin,
            Some(Lang::En),
            None,
        )
        .await?,
    };
    user(
        app,
        None,
        "agent@atende.example",
        "Sam Agent",
        Role::Agent,
        Some(Lang::En),
        None,
    )
    .await?;
    user(
        app,
        None,
        "supervisor@atende.example",
        "Sol Supervisor",
        Role::Supervisor,
        Some(Lang::PtBr),
        None,
    )
    .await?;

    let acme = directory::create_organization(app, &admin, "Acme Comércio Ltda").await?;
    let globex = directory::create_organization(app, &admin, "Globex S.A.").await?;
    let contract = |org: i64, plan: &str, name: &str, phone: bool| ContractInput {
        organization_id: org,
        plan_code: plan.into(),
        name: name.into(),
        starts_on: date(2025, 1, 1),
        ends_on: None,
        phone_addon: phone,
    };
    let startup = teams::create_contract(app, &admin, contract(acme.id, "startup", "Acme Startup", false)).await?;
    let enterprise =
        teams::create_contract(app, &admin, contract(acme.id, "enterprise", "Acme Enterprise", true)).await?;
    let trial = teams::create_contract(app, &admin, contract(acme.id, "trial", "Acme Trial", false)).await?;
    let lite = teams::create_contract(app, &admin, contract(globex.id, "lite", "Globex Lite", false)).await?;
    let bot = teams::create_bot(app, &admin, startup.id, "Acme Assistant").await?;

    let ana = user(
        app,
        Some(acme.id),
        "ana@acme.example",
        "Ana Souza",
        Role::Customer,
        Some(Lang::Es),
        None,
    )
    .await?;
    user(
        app,
        Some(acme.id),
        "bruno@acme.example",
        "Bruno Lima",
        Role::CustomerAdmin,
        Some(Lang::PtBr),
        None,
    )
    .await?;
    let carla = user(
        app,
        Some(acme.id),
        "carla@acme.example",
        "Carla Reis",
        Role::Customer,
        Some(Lang::En),
        None,
    )
    .await?;
    let diego = user(
        app,
        Some(acme.id),
        "diego@acme.example",
        "Diego Alves",
        Role::Customer,
        None,
        None,
    )
    .await?;
    let eva = user(
        app,
        Some(acme.id),
        "eva@acme.example",
        "Eva Martins",
        Role::Customer,
        Some(Lang::PtBr),
        None,
    )
    .await?;
    let gabriel = user(
        app,
        Some(globex.id),
        "gabriel@globex.example",
        "Gabriel Costa",
        Role::Customer,
        Some(Lang::En),
        None,
    )
    .await?;

    for (team, member) in [
        (Team::Contract(startup.id), ana.id),
        (Team::Contract(enterprise.id), ana.id),
        (Team::Contract(trial.id), carla.id),
        (Team::Contract(startup.id), diego.id),
        (Team::Bot(bot.id), eva.id),
        (Team::Contract(lite.id), gabriel.id),
    ] {
        teams::add_member(app, &admin, team, member).await?;
    }

    let ana = Actor { user: ana };
    let open = |kind, subject: &str, body: &str, priority, contract_id| -> Result<OpenTicket, AppError> {
        Ok(OpenTicket {
            ticket_type: kind,
            subject: Subject::parse(subject)?,
            description: Body::parse("description", body)?,
            priority,
            contract_id,
            bot_id: None,
            requester_id: None,
            channel: None,
            attachments: Vec::new(),
            call: None,
        })
    };
    tickets::open(
        app,
        &ana,
        open(
            TicketType::Incident,
            "El bot no responde en WhatsApp",
            "Desde las 9:00 los mensajes quedan sin respuesta.",
            Priority::Urgent,
            startup.id,
        )?,
        TicketChannel::Portal,
    )
    .await?;
    tickets::open(
        app,
        &ana,
        open(
            TicketType::Task,
            "Exportar los logs de enero",
            "Necesitamos los logs del bot para una auditoría.",
            Priority::Normal,
            enterprise.id,
        )?,
        TicketChannel::Portal,
    )
    .await?;
    tickets::open(
        app,
        &ana,
        open(
            TicketType::Question,
            "¿Cómo cambio el menú inicial?",
            "Quiero agregar una opción al menú.",
            Priority::Low,
            startup.id,
        )?,
        TicketChannel::Portal,
    )
    .await?;
    Ok(true)
}

async fn user(
    app: &App,
    organization_id: Option<i64>,
    email: &str,
    name: &str,
    role: Role,
    language: Option<Lang>,
    time_zone: Option<&str>,
) -> Result<User, AppError> {
    let input = CreateUser {
        email: email.into(),
        name: name.into(),
        role,
        organization_id,
        password: Some(PASSWORD.into()),
        language,
        time_zone: time_zone.map(str::to_owned),
    };
    directory::create_user(app, None, input).await
}
