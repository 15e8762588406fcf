use std::collections::BTreeMap;

use atende_app::Team;
use atende_app::{
    profile,
    teams::{self, ContractChanges, ContractInput, ContractView},
};
use atende_domain::{
    Availability, Channel, Plan,
    entities::{Bot, User},
};
use axum::{Json, extract::State, http::StatusCode};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{UserOut, double_option, rfc3339, schemas};
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contracts, create_contract))
        .routes(routes!(get_contract, update_contract))
        .routes(routes!(contract_members, add_contract_member))
        .routes(routes!(remove_contract_member))
        .routes(routes!(list_bots, create_bot))
        .routes(routes!(get_bot, update_bot))
        .routes(routes!(bot_members, add_bot_member))
        .routes(routes!(remove_bot_member))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractOut {
    id: i64,
    organization_id: i64,
    /// The plan's code.
    plan: String,
    plan_name: String,
    name: String,
    #[schema(value_type = String, format = Date)]
    starts_on: Date,
    /// Last day in force; `null` for no end.
    #[schema(value_type = Option<String>, format = Date)]
    ends_on: Option<Date>,
    /// The contract's phone condition (phone support on Super and Enterprise).
    phone_addon: bool,
    /// Whether you are on the contract's team or one of its bots' teams (or manage the organization).
    in_view: bool,
    /// The channels the contract reaches: the plan's matrix, with phone only under its condition.
    #[schema(schema_with = schemas::channel_matrix)]
    channels: BTreeMap<Channel, Availability>,
    #[schema(format = DateTime)]
    created_at: String,
}

fn contract_out(view: ContractView, plans: &[Plan]) -> ContractOut {
    let c = view.contract;
    let plan = plans.iter().find(|p| p.code == c.plan_code);
    ContractOut {
        id: c.id,
        organization_id: c.organization_id,
        plan_name: plan.map(|p| p.name.clone()).unwrap_or_else(|| c.plan_code.clone()),
        channels: plan.map(|p| p.channels.clone()).unwrap_or_default(),
        plan: c.plan_code,
        name: c.name,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        phone_addon: c.phone_addon,
        in_view: view.in_view,
        created_at: rfc3339(c.created_at),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContractListParams {
    organization_id: Option<i64>,
}

/// Contracts: all for staff, your organization's for customers (with `in_view` telling which
/// ones you can open tickets on).
#[utoipa::path(get, path = "/contracts", tag = "contracts", params(ContractListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<ContractOut>), (status = 401, body = ErrorBody)))]
async fn list_contracts(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ContractListParams>,
) -> Result<Json<Vec<ContractOut>>, ApiError> {
    let plans = profile::list_plans(&state.app).await?;
    let views = teams::list_contracts(&state.app, &caller, params.organization_id).await?;
    Ok(Json(views.into_iter().map(|v| contract_out(v, &plans)).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContractIn {
    organization_id: i64,
    /// A plan code from `GET /plans`.
    plan: String,
    name: String,
    #[schema(value_type = String, format = Date)]
    starts_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    ends_on: Option<Date>,
    #[serde(default)]
    phone_addon: bool,
}

/// Create a contract (staff).
#[utoipa::path(post, path = "/contracts", tag = "contracts", request_body = NewContractIn, security(("bearer" = [])),
    responses((status = 201, body = ContractOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_contract(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewContractIn>,
) -> Result<(StatusCode, Json<ContractOut>), ApiError> {
    let input = ContractInput {
        organization_id: body.organization_id,
        plan_code: body.plan,
        name: body.name,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        phone_addon: body.phone_addon,
    };
    let contract = teams::create_contract(&state.app, &caller, input).await?;
    let plans = profile::list_plans(&state.app).await?;
    Ok((
        StatusCode::CREATED,
        Json(contract_out(
            ContractView {
                contract,
                in_view: true,
            },
            &plans,
        )),
    ))
}

#[utoipa::path(get, path = "/contracts/{id}", tag = "contracts", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ContractOut), (status = 404, body = ErrorBody)))]
async fn get_contract(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ContractOut>, ApiError> {
    let plans = profile::list_plans(&state.app).await?;
    Ok(Json(contract_out(
        teams::get_contract(&state.app, &caller, id).await?,
        &plans,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractPatch {
    plan: Option<String>,
    name: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    starts_on: Option<Date>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    ends_on: Option<Option<Date>>,
    phone_addon: Option<bool>,
}

/// Change a contract's plan, name, dates or phone condition (staff).
#[utoipa::path(patch, path = "/contracts/{id}", tag = "contracts", params(("id" = i64, Path)), request_body = ContractPatch,
    security(("bearer" = [])),
    responses((status = 200, body = ContractOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_contract(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContractPatch>,
) -> Result<Json<ContractOut>, ApiError> {
    let changes = ContractChanges {
        plan_code: body.plan,
        name: body.name,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        phone_addon: body.phone_addon,
    };
    let contract = teams::update_contract(&state.app, &caller, id, changes).await?;
    let plans = profile::list_plans(&state.app).await?;
    Ok(Json(contract_out(
        ContractView {
            contract,
            in_view: true,
        },
        &plans,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberIn {
    user_id: i64,
}

fn users_out(users: Vec<User>) -> Json<Vec<UserOut>> {
    Json(users.into_iter().map(Into::into).collect())
}

/// The contract's team.
#[utoipa::path(get, path = "/contracts/{id}/members", tag = "contracts", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<UserOut>), (status = 404, body = ErrorBody)))]
async fn contract_members(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    Ok(users_out(
        teams::members(&state.app, &caller, Team::Contract(id)).await?,
    ))
}

/// Add a user of the organization to the contract's team (staff or the organization's admin).
#[utoipa::path(post, path = "/contracts/{id}/members", tag = "contracts", params(("id" = i64, Path)), request_body = MemberIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_contract_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MemberIn>,
) -> Result<StatusCode, ApiError> {
    teams::add_member(&state.app, &caller, Team::Contract(id), body.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/contracts/{id}/members/{user_id}", tag = "contracts",
    params(("id" = i64, Path), ("user_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_contract_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    teams::remove_member(&state.app, &caller, Team::Contract(id), user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BotOut {
    id: i64,
    contract_id: i64,
    name: String,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Bot> for BotOut {
    fn from(b: Bot) -> Self {
        BotOut {
            id: b.id,
            contract_id: b.contract_id,
            name: b.name,
            created_at: rfc3339(b.created_at),
        }
    }
}

/// Bots: all for staff, your organization's for customers.
#[utoipa::path(get, path = "/bots", tag = "contracts", security(("bearer" = [])),
    responses((status = 200, body = Vec<BotOut>), (status = 401, body = ErrorBody)))]
async fn list_bots(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<BotOut>>, ApiError> {
    Ok(Json(
        teams::list_bots(&state.app, &caller)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBotIn {
    contract_id: i64,
    name: String,
}

/// Register a bot under a contract (staff or the organization's admin).
#[utoipa::path(post, path = "/bots", tag = "contracts", request_body = NewBotIn, security(("bearer" = [])),
    responses((status = 201, body = BotOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_bot(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewBotIn>,
) -> Result<(StatusCode, Json<BotOut>), ApiError> {
    let bot = teams::create_bot(&state.app, &caller, body.contract_id, &body.name).await?;
    Ok((StatusCode::CREATED, Json(bot.into())))
}

#[utoipa::path(get, path = "/bots/{id}", tag = "contracts", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = BotOut), (status = 404, body = ErrorBody)))]
async fn get_bot(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BotOut>, ApiError> {
    Ok(Json(teams::get_bot(&state.app, &caller, id).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BotPatch {
    name: String,
}

#[utoipa::path(patch, path = "/bots/{id}", tag = "contracts", params(("id" = i64, Path)), request_body = BotPatch, security(("bearer" = [])),
    responses((status = 200, body = BotOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_bot(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<BotPatch>,
) -> Result<Json<BotOut>, ApiError> {
    Ok(Json(
        teams::rename_bot(&state.app, &caller, id, &body.name).await?.into(),
    ))
}

/// The bot's team.
#[utoipa::path(get, path = "/bots/{id}/members", tag = "contracts", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<UserOut>), (status = 404, body = ErrorBody)))]
async fn bot_members(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    Ok(users_out(teams::members(&state.app, &caller, Team::Bot(id)).await?))
}

/// Add a user of the organization to the bot's team.
#[utoipa::path(post, path = "/bots/{id}/members", tag = "contracts", params(("id" = i64, Path)), request_body = MemberIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_bot_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MemberIn>,
) -> Result<StatusCode, ApiError> {
    teams::add_member(&state.app, &caller, Team::Bot(id), body.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/bots/{id}/members/{user_id}", tag = "contracts",
    params(("id" = i64, Path), ("user_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_bot_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    teams::remove_member(&state.app, &caller, Team::Bot(id), user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
