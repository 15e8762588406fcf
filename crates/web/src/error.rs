//! One error type at the HTTP edge. Handlers return `ApiError`; the response carries it in an
//! extension and the context middleware renders it in the caller's language, so every error body is
//! `{"error": {"code", "message", ...}}` with a stable code.

use atende_app::AppError;
use atende_domain::{ParseError, Refusal, Remedy};
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{Arg, I18n, key_of};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    key: String,
    args: Vec<(&'static str, Arg)>,
    field: Option<&'static str>,
    remedy: Option<RemedyOut>,
    /// Refusals also name the support e-mail address, the manual's fallback.
    with_support_email: bool,
    retry_after: Option<u64>,
}

/// The error body, as documented in the OpenAPI document.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `ticket.not_found` or `not_entitled.plan_not_paid`.
    pub code: String,
    /// What went wrong and what to do, in the caller's language.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<RemedyOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
}

/// The request that removes the cause of a refusal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RemedyOut {
    /// `upgrade_plan`, `register`, `renew_contract`, `request_to_join`, `use_another_channel`, `choose_language`.
    pub action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

/// Rejections that are about the ticket's or request's current state rather than the input.
const STATE_CONFLICTS: &[&str] = &[
    "ticket.closed",
    "invitation.used",
    "join_request.already_decided",
    "inbound.not_queued",
];

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<String>, key: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            key: key.into(),
            args: Vec::new(),
            field: None,
            remedy: None,
            with_support_email: false,
            retry_after: None,
        }
    }

    pub fn arg(mut self, name: &'static str, value: Arg) -> Self {
        self.args.push((name, value));
        self
    }

    /// The request's own form was wrong (bad JSON, query or path): `code` doubles as the key.
    pub fn request(status: StatusCode, code: &str, detail: Option<String>) -> Self {
        let err = ApiError::new(status, code, code.replace('.', "-"));
        match detail {
            Some(d) => err.arg("detail", Arg::Text(d)),
            None => err,
        }
    }

    pub fn not_found(entity: &str) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, format!("{entity}.not_found"), "not-found")
            .arg("entity", Arg::Term(format!("entity-{entity}")))
    }

    /// The action that removes the cause of a refusal (`upgrade_plan`, `request_to_join`...).
    pub fn remedy_action(&self) -> Option<&'static str> {
        self.remedy.as_ref().map(|r| r.action)
    }

    /// The message alone, for places without HTTP such as the command line.
    pub fn message(&self, i18n: &I18n, lang: atende_domain::Lang) -> String {
        i18n.text(lang, &self.key, &self.args)
    }

    /// Renders the body in the caller's language.
    pub fn render(&self, i18n: &I18n, lang: atende_domain::Lang, support_email: &str) -> Response {
        let mut message = i18n.text(lang, &self.key, &self.args);
        if self.with_support_email {
            message.push(' ');
            message.push_str(&i18n.text(
                lang,
                "refusal-fallback",
                &[("email", Arg::Text(support_email.to_owned()))],
            ));
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.clone(),
                message,
                field: self.field.map(str::to_owned),
                remedy: self.remedy.clone(),
                support_email: self.with_support_email.then(|| support_email.to_owned()),
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl IntoResponse for ApiError {
    /// The body is filled in by the context middleware, which knows the caller's language.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<ParseError> for ApiError {
    fn from(err: ParseError) -> Self {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let (kind, field) = match &err {
            ParseError::Empty { field } => ("empty", *field),
            ParseError::TooLong { field, .. } => ("too_long", *field),
            ParseError::Invalid { field, .. } => ("invalid", *field),
            ParseError::NotOneOf { field, .. } => ("not_one_of", *field),
        };
        let mut api = ApiError::new(status, format!("validation.{kind}"), format!("validation-{kind}"))
            .arg("field", Arg::Text(field.to_owned()));
        api.field = Some(field);
        match err {
            ParseError::TooLong { max, .. } => api.arg("max", Arg::Number(max as i64)),
            ParseError::Invalid { reason, .. } => api.arg("reason", Arg::Term(format!("reason-{reason}"))),
            ParseError::NotOneOf { allowed, .. } => api.arg("allowed", Arg::Text(allowed.to_owned())),
            ParseError::Empty { .. } => api,
        }
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound(entity) => ApiError::not_found(entity),
            AppError::Forbidden(code) => {
                let api_code = if code.contains('.') {
                    code.to_owned()
                } else {
                    format!("forbidden.{code}")
                };
                ApiError::new(StatusCode::FORBIDDEN, api_code, key_of("forbidden-", code))
            }
            AppError::Unauthenticated(code) => ApiError::new(StatusCode::UNAUTHORIZED, code, key_of("", code)),
            AppError::Refused { refusal, contract_id } => refused(&refusal, contract_id),
            AppError::Invalid(parse) => parse.into(),
            AppError::Rejected(code) => {
                let status = if STATE_CONFLICTS.contains(&code) {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                ApiError::new(status, code, key_of("rejected-", code))
            }
            AppError::Conflict(code) => ApiError::new(StatusCode::CONFLICT, code, key_of("conflict-", code)),
            AppError::RateLimited { retry_after_secs } => {
                let mut api = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "rate-limited")
                    .arg("seconds", Arg::Number(retry_after_secs as i64));
                api.retry_after = Some(retry_after_secs);
                api
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal")
            }
        }
    }
}

fn refused(refusal: &Refusal, contract_id: Option<i64>) -> ApiError {
    let code = refusal.code();
    let mut api = ApiError::new(StatusCode::FORBIDDEN, code, key_of("", code));
    for (name, value) in crate::i18n::refusal_args(refusal) {
        api = api.arg(name, value);
    }
    let remedy = refusal.remedy();
    api.remedy = Some(match remedy {
        Remedy::UpgradePlan => RemedyOut {
            action: "upgrade_plan",
            method: Some("GET"),
            href: Some("/api/v1/plans".into()),
            body: None,
        },
        Remedy::Register => RemedyOut {
            action: "register",
            method: None,
            href: None,
            body: None,
        },
        Remedy::RenewContract => RemedyOut {
            action: "renew_contract",
            method: Some("GET"),
            href: contract_id.map(|id| format!("/api/v1/contracts/{id}")),
            body: None,
        },
        Remedy::RequestToJoin => RemedyOut {
            action: "request_to_join",
            method: Some("POST"),
            href: Some("/api/v1/join-requests".into()),
            body: contract_id.map(|id| serde_json::json!({ "contract_id": id })),
        },
        Remedy::UseAnotherChannel => RemedyOut {
            action: "use_another_channel",
            method: Some("GET"),
            href: contract_id.map(|id| format!("/api/v1/contracts/{id}")),
            body: None,
        },
        Remedy::ChooseLanguage => RemedyOut {
            action: "choose_language",
            method: Some("PATCH"),
            href: Some("/api/v1/me".into()),
            body: Some(serde_json::json!({ "language": "es | pt-BR | en" })),
        },
    });
    api.with_support_email = true;
    api
}
