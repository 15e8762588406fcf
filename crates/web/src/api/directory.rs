use atende_app::directory::{self, CreateUser, UserChanges};
use atende_domain::{Lang, Role, entities::Organization};
use axum::{Json, extract::State, http::StatusCode};
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
        .routes(routes!(list_organizations, create_organization))
        .routes(routes!(get_organization, update_organization))
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationOut {
    id: i64,
    name: String,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Organization> for OrganizationOut {
    fn from(o: Organization) -> Self {
        OrganizationOut {
            id: o.id,
            name: o.name,
            created_at: rfc3339(o.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationIn {
    name: String,
}

/// Organizations: all of them for staff, your own for customers.
#[utoipa::path(get, path = "/organizations", tag = "organizations", security(("bearer" = [])),
    responses((status = 200, body = Vec<OrganizationOut>), (status = 401, body = ErrorBody)))]
async fn list_organizations(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<OrganizationOut>>, ApiError> {
    Ok(Json(
        directory::list_organizations(&state.app, &caller)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create a customer organization (staff).
#[utoipa::path(post, path = "/organizations", tag = "organizations", request_body = OrganizationIn, security(("bearer" = [])),
    responses((status = 201, body = OrganizationOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<OrganizationIn>,
) -> Result<(StatusCode, Json<OrganizationOut>), ApiError> {
    let org = directory::create_organization(&state.app, &caller, &body.name).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

#[utoipa::path(get, path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = OrganizationOut), (status = 404, body = ErrorBody)))]
async fn get_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OrganizationOut>, ApiError> {
    Ok(Json(directory::get_organization(&state.app, &caller, id).await?.into()))
}

/// Rename an organization (staff).
#[utoipa::path(patch, path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path)), request_body = OrganizationIn,
    security(("bearer" = [])),
    responses((status = 200, body = OrganizationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OrganizationIn>,
) -> Result<Json<OrganizationOut>, ApiError> {
    Ok(Json(
        directory::rename_organization(&state.app, &caller, id, &body.name)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    organization_id: Option<i64>,
}

/// Users: all for staff, your organization's for a customer admin.
#[utoipa::path(get, path = "/users", tag = "organizations", params(UserListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<UserOut>), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<UserListParams>,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    Ok(Json(
        directory::list_users(&state.app, &caller, params.organization_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserIn {
    email: String,
    name: String,
    #[schema(schema_with = schemas::role)]
    role: Role,
    organization_id: Option<i64>,
    /// Without a password the user is a contact, not a registered user, until they accept an invitation.
    password: Option<String>,
    #[schema(schema_with = schemas::lang_nullable)]
    language: Option<Lang>,
    time_zone: Option<String>,
}

/// Create a user: agents create customers, admins anyone.
#[utoipa::path(post, path = "/users", tag = "organizations", request_body = NewUserIn, security(("bearer" = [])),
    responses((status = 201, body = UserOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewUserIn>,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    let input = CreateUser {
        email: body.email,
        name: body.name,
        role: body.role,
        organization_id: body.organization_id,
        password: body.password,
        language: body.language,
        time_zone: body.time_zone,
    };
    let user = directory::create_user(&state.app, Some(&caller), input).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[utoipa::path(get, path = "/users/{id}", tag = "organizations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = UserOut), (status = 404, body = ErrorBody)))]
async fn get_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UserOut>, ApiError> {
    Ok(Json(directory::get_user(&state.app, &caller, id).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = schemas::lang_nullable)]
    language: Option<Option<Lang>>,
    time_zone: Option<String>,
    /// Admins only.
    #[schema(schema_with = schemas::role_nullable)]
    role: Option<Role>,
    /// Staff only; `null` detaches the user from any organization.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    organization_id: Option<Option<i64>>,
}

/// Change a user (yourself, or anyone for staff; roles by admins).
#[utoipa::path(patch, path = "/users/{id}", tag = "organizations", params(("id" = i64, Path)), request_body = UserPatch,
    security(("bearer" = [])),
    responses((status = 200, body = UserOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UserPatch>,
) -> Result<Json<UserOut>, ApiError> {
    let changes = UserChanges {
        name: body.name,
        language: body.language,
        time_zone: body.time_zone,
        role: body.role,
        organization_id: body.organization_id,
    };
    Ok(Json(
        directory::update_user(&state.app, &caller, id, changes).await?.into(),
    ))
}
