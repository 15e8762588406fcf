//! The web chat's HTTP side: the widget opens a session (signed-in visitors are known from their
//! session cookie), then talks over a WebSocket (`/api/v1/chat/ws`) or, where WebSockets do not
//! pass, by posting messages and asking for new ones (long polling). Every message has an id:
//! after a reconnection the widget asks for what came after the last one it has.

use std::time::Duration;

use atende_app::bot::{
    Said,
    webchat::{self, Sent},
};
use axum::{
    Json,
    extract::{
        State,
        ws::{Message as Frame, WebSocket, WebSocketUpgrade},
    },
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_session))
        .routes(routes!(send, poll))
        .routes(routes!(read))
        .routes(routes!(ask_code))
        .routes(routes!(check_code))
        .routes(routes!(socket))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionOut {
    id: String,
    title: String,
    detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChatMessageOut {
    id: i64,
    /// `in` (the visitor) or `out` (the bot or an agent).
    direction: String,
    text: String,
    /// What the visitor may tap.
    options: Vec<OptionOut>,
    /// For the bot's messages: `sent`, or `read` once the visitor saw them.
    status: String,
    #[schema(format = DateTime)]
    created_at: String,
}

fn message_out(m: Said) -> ChatMessageOut {
    let words: serde_json::Value = serde_json::from_str(&m.payload).unwrap_or(serde_json::Value::Null);
    let options = words["options"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|o| OptionOut {
                    id: o["id"].as_str().unwrap_or_default().to_owned(),
                    title: o["title"].as_str().unwrap_or_default().to_owned(),
                    detail: o["detail"].as_str().unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    ChatMessageOut {
        id: m.id,
        text: words["text"].as_str().map(str::to_owned).unwrap_or(m.body),
        direction: m.direction,
        options,
        status: m.status,
        created_at: m.created_at.to_string(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionIn {
    /// The key the widget kept from an earlier session; absent for a new visitor.
    visitor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChatSessionOut {
    /// Keep it: it is the visitor's conversation.
    visitor: String,
    /// Whether the chat knows who the visitor is (signed in, or by an e-mail code).
    known: bool,
    messages: Vec<ChatMessageOut>,
}

/// The session cookie of a visitor signed in to atende on this site, if any.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<atende_app::Actor> {
    let token = crate::pages::session_token(headers)?;
    atende_app::auth::authenticate(&state.app, &token).await.ok()
}

/// Open (or reopen) the visitor's conversation.
#[utoipa::path(post, path = "/chat/sessions", tag = "chat", request_body = SessionIn,
    responses((status = 200, body = ChatSessionOut), (status = 401, body = ErrorBody)))]
async fn open_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SessionIn>,
) -> Result<Json<ChatSessionOut>, ApiError> {
    let actor = signed_in(&state, &headers).await;
    let session = webchat::session(&state.app, body.visitor.as_deref(), actor.as_ref()).await?;
    Ok(Json(ChatSessionOut {
        visitor: session.visitor,
        known: session.known,
        messages: session.messages.into_iter().map(message_out).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendIn {
    visitor: String,
    /// What the visitor wrote...
    text: Option<String>,
    /// ...or the id of the option they tapped, with its title.
    choice: Option<String>,
    title: Option<String>,
}

fn sent(
    text: Option<String>,
    choice: Option<String>,
    title: Option<String>,
) -> Result<Sent, atende_domain::ParseError> {
    match (text, choice) {
        (_, Some(id)) => Ok(Sent::Choice {
            title: title.unwrap_or_else(|| id.clone()),
            id,
        }),
        (Some(text), None) => Ok(Sent::Text(text)),
        (None, None) => Err(atende_domain::ParseError::Empty { field: "text" }),
    }
}

/// Send a message; the answer holds it and the bot's reply.
#[utoipa::path(post, path = "/chat/messages", tag = "chat", request_body = SendIn,
    responses((status = 200, body = Vec<ChatMessageOut>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SendIn>,
) -> Result<Json<Vec<ChatMessageOut>>, ApiError> {
    let said = webchat::send(&state.app, &body.visitor, sent(body.text, body.choice, body.title)?).await?;
    Ok(Json(said.into_iter().map(message_out).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PollParams {
    visitor: String,
    /// The id of the last message the widget has.
    #[serde(default)]
    after: i64,
    /// Seconds to wait for something new (at most 25).
    #[serde(default)]
    wait: u64,
}

/// What was said after message `after`, waiting up to `wait` seconds for something new.
#[utoipa::path(get, path = "/chat/messages", tag = "chat", params(PollParams),
    responses((status = 200, body = Vec<ChatMessageOut>), (status = 401, body = ErrorBody)))]
async fn poll(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<PollParams>,
) -> Result<Json<Vec<ChatMessageOut>>, ApiError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(p.wait.min(25));
    let mut conversation = None;
    loop {
        let said = new_messages(&state, &p.visitor, &mut conversation, p.after).await?;
        if !said.is_empty() || tokio::time::Instant::now() >= deadline {
            return Ok(Json(said.into_iter().map(message_out).collect()));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadIn {
    visitor: String,
    /// Everything up to this message was seen.
    up_to: i64,
}

/// The visitor saw the messages up to `up_to`.
#[utoipa::path(post, path = "/chat/read", tag = "chat", request_body = ReadIn,
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn read(State(state): State<AppState>, ApiJson(body): ApiJson<ReadIn>) -> Result<StatusCode, ApiError> {
    webchat::read(&state.app, &body.visitor, body.up_to).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskCodeIn {
    visitor: String,
    email: String,
}

/// Mail a one-time code to the visitor's address (when it has an account; the answer is the
/// same either way).
#[utoipa::path(post, path = "/chat/code", tag = "chat", request_body = AskCodeIn,
    responses((status = 202), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ask_code(State(state): State<AppState>, ApiJson(body): ApiJson<AskCodeIn>) -> Result<StatusCode, ApiError> {
    webchat::ask_code(&state.app, &body.visitor, &body.email).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckCodeIn {
    visitor: String,
    code: String,
}

/// The code the visitor received: the chat knows them from now on.
#[utoipa::path(post, path = "/chat/code/check", tag = "chat", request_body = CheckCodeIn,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn check_code(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<CheckCodeIn>,
) -> Result<StatusCode, ApiError> {
    webchat::check_code(&state.app, &body.visitor, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SocketParams {
    visitor: String,
    /// The id of the last message the widget has.
    #[serde(default)]
    after: i64,
}

/// The live conversation: the server sends `{"type":"message",...}` and `{"type":"typing"}`;
/// the widget sends `{"type":"text","text":...}`, `{"type":"choice","id":...,"title":...}` and
/// `{"type":"read","id":...}`.
#[utoipa::path(get, path = "/chat/ws", tag = "chat", params(SocketParams),
    responses((status = 101, description = "Switching to the WebSocket protocol"), (status = 401, body = ErrorBody)))]
async fn socket(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SocketParams>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    // The key is checked before the upgrade: a wrong one is a plain 401.
    let conversation = webchat::conversation(&state.app, &p.visitor).await?;
    Ok(upgrade.on_upgrade(move |ws| live(state, p.visitor, conversation, p.after, ws)))
}

/// What was said after `after`, looking the visitor's conversation up only until it exists.
async fn new_messages(
    state: &AppState,
    visitor: &str,
    conversation: &mut Option<i64>,
    after: i64,
) -> atende_app::Result<Vec<Said>> {
    if conversation.is_none() {
        *conversation = webchat::conversation(&state.app, visitor).await?;
    }
    match *conversation {
        Some(id) => webchat::said_after(&state.app, id, after).await,
        None => Ok(Vec::new()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum FromWidget {
    Text { text: String },
    Choice { id: String, title: Option<String> },
    Read { id: i64 },
    Ping,
}

async fn push(ws: &mut WebSocket, said: Vec<Said>, last: &mut i64) -> bool {
    for m in said {
        *last = (*last).max(m.id);
        let mut frame = serde_json::to_value(message_out(m)).unwrap_or_default();
        frame["type"] = serde_json::Value::String("message".into());
        if ws.send(Frame::Text(frame.to_string().into())).await.is_err() {
            return false;
        }
    }
    true
}

async fn live(state: AppState, visitor: String, mut conversation: Option<i64>, after: i64, mut ws: WebSocket) {
    let mut last = after;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            frame = ws.recv() => {
                let Some(Ok(frame)) = frame else { return };
                let Frame::Text(text) = frame else { continue };
                let sent = match serde_json::from_str::<FromWidget>(&text) {
                    Ok(FromWidget::Text { text }) => Sent::Text(text),
                    Ok(FromWidget::Choice { id, title }) => Sent::Choice { title: title.unwrap_or_else(|| id.clone()), id },
                    Ok(FromWidget::Read { id }) => {
                        let _ = webchat::read(&state.app, &visitor, id).await;
                        continue;
                    }
                    Ok(FromWidget::Ping) | Err(_) => continue,
                };
                if ws.send(Frame::Text("{\"type\":\"typing\"}".into())).await.is_err() {
                    return;
                }
                match webchat::send(&state.app, &visitor, sent).await {
                    Ok(said) => {
                        if !push(&mut ws, said, &mut last).await {
                            return;
                        }
                    }
                    Err(err) => {
                        let error = ApiError::from(err);
                        let message = error.message(&state.i18n, state.app.settings.default_language);
                        let frame = serde_json::json!({"type": "error", "message": message});
                        if ws.send(Frame::Text(frame.to_string().into())).await.is_err() {
                            return;
                        }
                    }
                }
            }
            _ = tick.tick() => {
                // What agents said meanwhile (from any server process).
                if let Ok(said) = new_messages(&state, &visitor, &mut conversation, last).await
                    && !said.is_empty()
                    && !push(&mut ws, said, &mut last).await
                {
                    return;
                }
            }
        }
    }
}

/// The chat's endpoints answer any site (the widget is embedded on other sites' pages), without
/// credentials: cross-site requests carry no session, only the visitor's key.
pub async fn cors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::{
        http::{HeaderValue, Method, header},
        response::IntoResponse,
    };
    if !request.uri().path().starts_with("/api/v1/chat/") {
        return next.run(request).await;
    }
    let preflight = request.method() == Method::OPTIONS;
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    if preflight {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    }
    response
}
