//! The support profile: plans and channel matrix, ticket types and their texts. A fresh install
//! starts with the manual's profile; admins edit it afterwards, and restarts keep their edits.

use std::collections::BTreeMap;

use atende_domain::{
    Availability, Channel, Lang, ParseError, Plan, SlaTier, TicketType, default_plans, entities::TicketTypeText,
    text::bounded,
};
use atende_store::profile;

use crate::{Actor, App, AppError, Result, auth::commit};

/// The three ticket types, named and defined in atende's own words in each language.
fn default_type_texts() -> Vec<TicketTypeText> {
    use Lang::{En, Es, PtBr};
    use TicketType::{Incident, Question, Task};
    let rows: [(TicketType, Lang, &str, &str); 9] = [
        (
            Question,
            En,
            "Question",
            "You need guidance on using the platform, or something behaves unexpectedly because of how your own account or bot is set up.",
        ),
        (
            Question,
            Es,
            "Duda",
            "Necesita orientación para usar la plataforma, o algo no se comporta como espera por la forma en que configuró su cuenta o su bot.",
        ),
        (
            Question,
            PtBr,
            "Dúvida",
            "Você precisa de orientação para usar a plataforma, ou algo não funciona como esperado por causa da configuração feita na sua conta ou no seu bot.",
        ),
        (
            Task,
            En,
            "Task",
            "A formal request for something only our team can do for you: a change or configuration, logs, report data, data deletion, WhatsApp account details. It never takes your service down.",
        ),
        (
            Task,
            Es,
            "Tarea",
            "Un pedido formal de algo que solo nuestro equipo puede hacer por usted: un cambio o configuración, logs, datos de informes, borrado de datos, datos de la cuenta de WhatsApp. Nunca deja su servicio sin funcionar.",
        ),
        (
            Task,
            PtBr,
            "Tarefa",
            "Um pedido formal de algo que só a nossa equipe pode fazer por você: uma mudança ou configuração, logs, dados de relatórios, exclusão de dados, informações da conta de WhatsApp. Nunca deixa o seu serviço fora do ar.",
        ),
        (
            Incident,
            En,
            "Incident",
            "Something unexpected is interrupting, destabilizing or slowing down the service you contracted, for everyone or for some components or customers.",
        ),
        (
            Incident,
            Es,
            "Incidente",
            "Algo inesperado interrumpe, desestabiliza o vuelve lento el servicio que contrató, para todos o solo para algunos componentes o clientes.",
        ),
        (
            Incident,
            PtBr,
            "Incidente",
            "Algo inesperado está interrompendo, desestabilizando ou deixando lento o serviço contratado, para todos ou apenas para alguns componentes ou clientes.",
        ),
    ];
    rows.into_iter()
        .map(|(ticket_type, lang, name, definition)| TicketTypeText {
            ticket_type,
            lang,
            name: name.to_owned(),
            definition: definition.to_owned(),
        })
        .collect()
}

/// Loads the manual's profile where it is missing; never overwrites an admin's edits.
pub async fn ensure_default_profile(app: &App) -> Result<()> {
    let mut tx = app.db.begin().await?;
    for plan in default_plans() {
        profile::insert_plan_if_missing(&mut tx, &plan).await?;
    }
    for text in default_type_texts() {
        profile::insert_type_text_if_missing(&mut tx, &text).await?;
    }
    crate::sla::ensure_defaults(&mut tx).await?;
    profile::bump_version(&mut tx).await?;
    commit(tx).await
}

pub async fn list_plans(app: &App) -> Result<Vec<Plan>> {
    let mut conn = app.db.read().await?;
    Ok(profile::list_plans(&mut conn).await?)
}

/// What an admin may change on a plan; absent fields stay as they are.
#[derive(Debug, Default)]
pub struct PlanChanges {
    pub name: Option<String>,
    pub paid: Option<bool>,
    pub tier: Option<Option<SlaTier>>,
    pub position: Option<i64>,
    pub channels: Option<BTreeMap<Channel, Availability>>,
}

pub async fn update_plan(app: &App, actor: &Actor, code: &str, changes: PlanChanges) -> Result<Plan> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    let mut plan = profile::get_plan(&mut tx, code)
        .await?
        .ok_or(AppError::NotFound("plan"))?;
    apply_plan_changes(&mut plan, changes)?;
    profile::update_plan(&mut tx, &plan).await?;
    profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    Ok(plan)
}

pub async fn create_plan(app: &App, actor: &Actor, code: &str, changes: PlanChanges) -> Result<Plan> {
    actor.require_admin()?;
    let code = bounded("code", code, 40)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(ParseError::Invalid {
            field: "code",
            reason: "code_chars",
        }
        .into());
    }
    let mut plan = Plan {
        code: code.clone(),
        name: code,
        paid: false,
        tier: None,
        position: 100,
        channels: BTreeMap::new(),
    };
    apply_plan_changes(&mut plan, changes)?;
    let mut tx = app.db.begin().await?;
    if !profile::insert_plan_if_missing(&mut tx, &plan).await? {
        return Err(AppError::Conflict("plan.code_taken"));
    }
    profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    Ok(plan)
}

fn apply_plan_changes(plan: &mut Plan, changes: PlanChanges) -> Result<()> {
    if let Some(name) = changes.name {
        plan.name = bounded("name", &name, 100)?;
    }
    if let Some(paid) = changes.paid {
        plan.paid = paid;
    }
    if let Some(tier) = changes.tier {
        plan.tier = tier;
    }
    if let Some(position) = changes.position {
        plan.position = position;
    }
    if let Some(channels) = changes.channels {
        plan.channels = channels;
    }
    if plan.paid && plan.tier.is_none() {
        return Err(AppError::Rejected("plan.paid_needs_tier"));
    }
    Ok(())
}

pub async fn type_texts(app: &App, lang: Lang) -> Result<Vec<TicketTypeText>> {
    let mut conn = app.db.read().await?;
    Ok(profile::type_texts(&mut conn, lang).await?)
}

pub async fn update_type_text(
    app: &App,
    actor: &Actor,
    ticket_type: TicketType,
    lang: Lang,
    name: &str,
    definition: &str,
) -> Result<TicketTypeText> {
    actor.require_admin()?;
    let text = TicketTypeText {
        ticket_type,
        lang,
        name: bounded("name", name, 60)?,
        definition: bounded("definition", definition, 2000)?,
    };
    let mut tx = app.db.begin().await?;
    profile::update_type_text(&mut tx, &text).await?;
    profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_text_in_every_language() {
        let texts = default_type_texts();
        for t in TicketType::ALL {
            for lang in Lang::ALL {
                assert!(
                    texts.iter().any(|x| x.ticket_type == *t && x.lang == lang),
                    "{t} {lang}"
                );
            }
        }
    }
}
