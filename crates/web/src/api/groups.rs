use atende_app::groups;
use atende_domain::entities::Group;
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{UserOut, rfc3339};
use crate::{
    AppState,
    context::Caller,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(rename_group))
        .routes(routes!(group_members, add_group_member))
        .routes(routes!(remove_group_member))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupOut {
    id: i64,
    name: String,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Group> for GroupOut {
    fn from(g: Group) -> Self {
        GroupOut {
            id: g.id,
            name: g.name,
            created_at: rfc3339(g.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupIn {
    name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupMemberIn {
    user_id: i64,
}

/// Groups (queues) of support staff (staff).
#[utoipa::path(get, path = "/groups", tag = "groups", security(("bearer" = [])),
    responses((status = 200, body = Vec<GroupOut>), (status = 403, body = ErrorBody)))]
async fn list_groups(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<GroupOut>>, ApiError> {
    Ok(Json(
        groups::list(&state.app, &caller)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create a group (admins).
#[utoipa::path(post, path = "/groups", tag = "groups", request_body = GroupIn, security(("bearer" = [])),
    responses((status = 201, body = GroupOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<GroupIn>,
) -> Result<(StatusCode, Json<GroupOut>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(groups::create(&state.app, &caller, &body.name).await?.into()),
    ))
}

/// Rename a group (admins).
#[utoipa::path(patch, path = "/groups/{id}", tag = "groups", params(("id" = i64, Path)), request_body = GroupIn, security(("bearer" = [])),
    responses((status = 200, body = GroupOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn rename_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GroupIn>,
) -> Result<Json<GroupOut>, ApiError> {
    Ok(Json(groups::rename(&state.app, &caller, id, &body.name).await?.into()))
}

/// The group's members (staff).
#[utoipa::path(get, path = "/groups/{id}/members", tag = "groups", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<UserOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn group_members(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    Ok(Json(
        groups::members(&state.app, &caller, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Add a member of the support staff to the group (admins).
#[utoipa::path(post, path = "/groups/{id}/members", tag = "groups", params(("id" = i64, Path)), request_body = GroupMemberIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_group_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GroupMemberIn>,
) -> Result<StatusCode, ApiError> {
    groups::add_member(&state.app, &caller, id, body.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/groups/{id}/members/{user_id}", tag = "groups", params(("id" = i64, Path), ("user_id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_group_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    groups::remove_member(&state.app, &caller, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
