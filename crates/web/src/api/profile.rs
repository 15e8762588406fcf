use std::collections::BTreeMap;

use atende_app::profile::{self, PlanChanges};
use atende_domain::{Availability, Channel, Lang, Plan, SlaTier, TicketType};
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{double_option, schemas};
use crate::{
    AppState,
    context::{Caller, RequestContext},
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(update_plan))
        .routes(routes!(list_ticket_types))
        .routes(routes!(update_ticket_type))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOut {
    code: String,
    name: String,
    /// Only paid plans reach the ticket channels.
    paid: bool,
    /// The SLA tier (`standard` or `premium`); `null` for plans without tickets.
    #[schema(schema_with = schemas::tier_nullable)]
    tier: Option<SlaTier>,
    position: i64,
    /// The channel matrix row: `included`, or `conditional` on the contract's terms; absent channels are not included.
    #[schema(schema_with = schemas::channel_matrix)]
    channels: BTreeMap<Channel, Availability>,
}

impl From<Plan> for PlanOut {
    fn from(p: Plan) -> Self {
        PlanOut {
            code: p.code,
            name: p.name,
            paid: p.paid,
            tier: p.tier,
            position: p.position,
            channels: p.channels,
        }
    }
}

/// The plans and their channel matrix. Public: anyone may see what each plan includes.
#[utoipa::path(get, path = "/plans", tag = "profile", responses((status = 200, body = Vec<PlanOut>)))]
async fn list_plans(State(state): State<AppState>) -> Result<Json<Vec<PlanOut>>, ApiError> {
    Ok(Json(
        profile::list_plans(&state.app)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    /// Required when creating; ignored when editing (the code never changes).
    code: Option<String>,
    name: Option<String>,
    paid: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = schemas::tier_nullable)]
    tier: Option<Option<SlaTier>>,
    position: Option<i64>,
    /// Replaces the whole row of the matrix.
    #[schema(schema_with = schemas::channel_matrix)]
    channels: Option<BTreeMap<Channel, Availability>>,
}

impl PlanIn {
    fn changes(self) -> PlanChanges {
        PlanChanges {
            name: self.name,
            paid: self.paid,
            tier: self.tier,
            position: self.position,
            channels: self.channels,
        }
    }
}

/// Add a plan (admins).
#[utoipa::path(post, path = "/plans", tag = "profile", request_body = PlanIn, security(("bearer" = [])),
    responses((status = 201, body = PlanOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_plan(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(mut body): ApiJson<PlanIn>,
) -> Result<(StatusCode, Json<PlanOut>), ApiError> {
    let code = body.code.take().unwrap_or_default();
    let plan = profile::create_plan(&state.app, &caller, &code, body.changes()).await?;
    Ok((StatusCode::CREATED, Json(plan.into())))
}

/// Edit a plan: name, paid flag, tier, order, channel matrix (admins).
#[utoipa::path(patch, path = "/plans/{code}", tag = "profile", params(("code" = String, Path)), request_body = PlanIn,
    security(("bearer" = [])),
    responses((status = 200, body = PlanOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_plan(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<PlanIn>,
) -> Result<Json<PlanOut>, ApiError> {
    Ok(Json(
        profile::update_plan(&state.app, &caller, &code, body.changes())
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketTypeOut {
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::ticket_type)]
    ticket_type: TicketType,
    #[schema(schema_with = schemas::lang)]
    lang: Lang,
    name: String,
    definition: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TypeParams {
    /// Defaults to the caller's language.
    #[param(schema_with = schemas::lang_nullable)]
    lang: Option<Lang>,
}

/// The three ticket types with their definitions, to help choose the right one. Public.
#[utoipa::path(get, path = "/ticket-types", tag = "profile", params(TypeParams), responses((status = 200, body = Vec<TicketTypeOut>)))]
async fn list_ticket_types(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiQuery(params): ApiQuery<TypeParams>,
) -> Result<Json<Vec<TicketTypeOut>>, ApiError> {
    let lang = params.lang.unwrap_or(ctx.lang);
    let texts = profile::type_texts(&state.app, lang).await?;
    Ok(Json(
        texts
            .into_iter()
            .map(|t| TicketTypeOut {
                ticket_type: t.ticket_type,
                lang: t.lang,
                name: t.name,
                definition: t.definition,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketTypeIn {
    #[schema(schema_with = schemas::lang)]
    lang: Lang,
    name: String,
    definition: String,
}

/// Edit a ticket type's name and definition in one language (admins).
#[utoipa::path(patch, path = "/ticket-types/{type}", tag = "profile", params(("type" = String, Path)), request_body = TicketTypeIn,
    security(("bearer" = [])),
    responses((status = 200, body = TicketTypeOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_ticket_type(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(kind): ApiPath<TicketType>,
    ApiJson(body): ApiJson<TicketTypeIn>,
) -> Result<Json<TicketTypeOut>, ApiError> {
    let t = profile::update_type_text(&state.app, &caller, kind, body.lang, &body.name, &body.definition).await?;
    Ok(Json(TicketTypeOut {
        ticket_type: t.ticket_type,
        lang: t.lang,
        name: t.name,
        definition: t.definition,
    }))
}
