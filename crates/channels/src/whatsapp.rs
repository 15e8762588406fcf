//! WhatsApp's Cloud API: the webhook's notifications read into plain events (messages and
//! delivery statuses), the request bodies of the messages atende sends (text, reply buttons,
//! lists, templates), and a Graph API client that sends them and downloads media. The base URL is
//! configurable, which is how tests point it at a local fake.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Notification {
    pub object: String,
    pub entry: Vec<Entry>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Entry {
    pub id: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Change {
    pub field: String,
    pub value: ChangeValue,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ChangeValue {
    pub contacts: Vec<Contact>,
    pub messages: Vec<Message>,
    pub statuses: Vec<Status>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Contact {
    pub wa_id: String,
    pub profile: Profile,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Profile {
    pub name: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Message {
    pub from: String,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub text: Option<Text>,
    pub interactive: Option<Interactive>,
    /// A template's quick-reply button.
    pub button: Option<Button>,
    pub image: Option<Media>,
    pub document: Option<Media>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Text {
    pub body: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Interactive {
    pub button_reply: Option<Reply>,
    pub list_reply: Option<Reply>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Reply {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Button {
    pub payload: String,
    pub text: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Media {
    pub id: String,
    pub mime_type: String,
    pub caption: String,
    pub filename: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Status {
    pub id: String,
    pub status: String,
    pub recipient_id: String,
    pub errors: Vec<StatusError>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatusError {
    pub code: i64,
    pub title: String,
    pub message: String,
}

/// What a person sent, as the bot reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Text(String),
    /// A reply button or list row, by the id atende gave it.
    Choice {
        id: String,
        title: String,
    },
    /// A picture or document to fetch from the Graph API.
    Media {
        media_id: String,
        mime_type: String,
        file_name: String,
        caption: String,
    },
    /// Something the bot does not read (a sticker, a location...).
    Other(String),
}

/// One thing a notification tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Message {
        from: String,
        /// The profile name WhatsApp gave for the number.
        name: String,
        wamid: String,
        incoming: Incoming,
    },
    Status {
        wamid: String,
        /// `sent`, `delivered`, `read` or `failed`.
        status: String,
        /// For a failure: the code and what it means.
        error: Option<(i64, String)>,
    },
}

/// The events of a notification, in order. Fields WhatsApp adds later are ignored.
pub fn events(notification: &Notification) -> Vec<Event> {
    let mut out = Vec::new();
    for change in notification.entry.iter().flat_map(|e| &e.changes) {
        if change.field != "messages" {
            continue;
        }
        let value = &change.value;
        for m in &value.messages {
            let name = value
                .contacts
                .iter()
                .find(|c| c.wa_id == m.from)
                .map(|c| c.profile.name.clone())
                .unwrap_or_default();
            out.push(Event::Message {
                from: m.from.clone(),
                name,
                wamid: m.id.clone(),
                incoming: incoming(m),
            });
        }
        for s in &value.statuses {
            out.push(Event::Status {
                wamid: s.id.clone(),
                status: s.status.clone(),
                error: s.errors.first().map(|e| {
                    let text = if e.message.is_empty() {
                        e.title.clone()
                    } else {
                        e.message.clone()
                    };
                    (e.code, text)
                }),
            });
        }
    }
    out
}

fn incoming(m: &Message) -> Incoming {
    let reply = m
        .interactive
        .as_ref()
        .and_then(|i| i.button_reply.as_ref().or(i.list_reply.as_ref()));
    if let Some(r) = reply {
        return Incoming::Choice {
            id: r.id.clone(),
            title: r.title.clone(),
        };
    }
    if let Some(b) = &m.button {
        return Incoming::Choice {
            id: b.payload.clone(),
            title: b.text.clone(),
        };
    }
    if let Some(t) = &m.text {
        return Incoming::Text(t.body.clone());
    }
    if let Some(media) = m.image.as_ref().or(m.document.as_ref()) {
        let file_name = if media.filename.is_empty() {
            let ext = media.mime_type.rsplit('/').next().unwrap_or("bin");
            format!("{}.{ext}", m.kind)
        } else {
            media.filename.clone()
        };
        return Incoming::Media {
            media_id: media.id.clone(),
            mime_type: media.mime_type.clone(),
            file_name,
            caption: media.caption.clone(),
        };
    }
    Incoming::Other(m.kind.clone())
}

/// The limits WhatsApp puts on interactive messages.
pub const MAX_BUTTONS: usize = 3;
pub const MAX_BUTTON_TITLE: usize = 20;
pub const MAX_ROWS: usize = 10;
pub const MAX_ROW_TITLE: usize = 24;
pub const MAX_ROW_DESCRIPTION: usize = 72;
pub const MAX_BODY: usize = 1024;
pub const MAX_TEXT: usize = 4096;

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A text message.
pub fn text(to: &str, body: &str) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": false, "body": cut(body, MAX_TEXT)}
    })
}

/// Up to three reply buttons under a body: (id, title).
pub fn buttons(to: &str, body: &str, options: &[(String, String)]) -> Value {
    let buttons: Vec<Value> = options
        .iter()
        .take(MAX_BUTTONS)
        .map(|(id, title)| json!({"type": "reply", "reply": {"id": id, "title": cut(title, MAX_BUTTON_TITLE)}}))
        .collect();
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": cut(body, MAX_BODY)},
            "action": {"buttons": buttons}
        }
    })
}

/// A list of up to ten rows behind a button: (id, title, description).
pub fn list(to: &str, body: &str, button: &str, rows: &[(String, String, String)]) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .take(MAX_ROWS)
        .map(|(id, title, description)| {
            let mut row = json!({"id": id, "title": cut(title, MAX_ROW_TITLE)});
            if !description.is_empty() {
                row["description"] = Value::String(cut(description, MAX_ROW_DESCRIPTION));
            }
            row
        })
        .collect();
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": cut(body, MAX_BODY)},
            "action": {"button": cut(button, MAX_BUTTON_TITLE), "sections": [{"title": cut(button, MAX_ROW_TITLE), "rows": rows}]}
        }
    })
}

/// An approved template, with its body's parameters in order: the only message WhatsApp lets a
/// business start outside the 24 hours after the person last wrote.
pub fn template(to: &str, name: &str, language: &str, parameters: &[String]) -> Value {
    let params: Vec<Value> = parameters.iter().map(|p| json!({"type": "text", "text": p})).collect();
    let mut template = json!({"name": name, "language": {"code": language}});
    if !params.is_empty() {
        template["components"] = json!([{"type": "body", "parameters": params}]);
    }
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": template
    })
}

/// Why a send failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// The Graph API's error code, when it gave one (131047: outside the 24-hour window).
    pub code: Option<i64>,
    pub message: String,
    /// Whether trying again later may work (a network error, a 5xx, a rate limit).
    pub retryable: bool,
}

/// Outside the customer-service window: only a template may be sent.
pub const OUTSIDE_WINDOW: i64 = 131047;

/// Codes that say "later" rather than "never": rate limits and temporary errors.
const RETRYABLE_CODES: &[i64] = &[4, 80007, 130429, 131000, 131016, 131048, 131056, 133004];

#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    base: String,
    version: String,
    phone_number_id: String,
    token: String,
}

impl std::fmt::Debug for GraphClient {
    // The token stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("base", &self.base)
            .field("version", &self.version)
            .field("phone_number_id", &self.phone_number_id)
            .finish_non_exhaustive()
    }
}

impl GraphClient {
    pub fn new(base: &str, version: &str, phone_number_id: &str, token: &str) -> Result<GraphClient, SendError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .user_agent(concat!("atende/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SendError {
                code: None,
                message: format!("cannot build the HTTP client: {e}"),
                retryable: false,
            })?;
        Ok(GraphClient {
            http,
            base: base.trim_end_matches('/').to_owned(),
            version: version.to_owned(),
            phone_number_id: phone_number_id.to_owned(),
            token: token.to_owned(),
        })
    }

    /// Sends a message body; WhatsApp's id for it (`wamid...`).
    pub async fn send(&self, body: &Value) -> Result<String, SendError> {
        let url = format!("{}/{}/{}/messages", self.base, self.version, self.phone_number_id);
        let response = self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .map_err(|e| SendError {
                code: None,
                message: format!("cannot reach the Graph API: {e}"),
                retryable: true,
            })?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            return answer["messages"][0]["id"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| SendError {
                    code: None,
                    message: "the Graph API answered without a message id".into(),
                    retryable: false,
                });
        }
        let code = answer["error"]["code"].as_i64();
        let message = answer["error"]["error_data"]["details"]
            .as_str()
            .or(answer["error"]["message"].as_str())
            .unwrap_or("no reason given")
            .to_owned();
        Err(SendError {
            retryable: status.is_server_error()
                || status.as_u16() == 429
                || code.is_some_and(|c| RETRYABLE_CODES.contains(&c)),
            message: format!("{status}: {message}"),
            code,
        })
    }

    /// Downloads a media file a person sent: its bytes and type.
    pub async fn media(&self, media_id: &str) -> Result<(Vec<u8>, String), SendError> {
        let fail = |message: String, retryable: bool| SendError {
            code: None,
            message,
            retryable,
        };
        let url = format!("{}/{}/{media_id}", self.base, self.version);
        let meta: Value = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| fail(format!("cannot reach the Graph API: {e}"), true))?
            .error_for_status()
            .map_err(|e| fail(format!("the media is not available: {e}"), false))?
            .json()
            .await
            .map_err(|e| fail(format!("the media answer is not JSON: {e}"), false))?;
        let (Some(file_url), mime) = (
            meta["url"].as_str(),
            meta["mime_type"].as_str().unwrap_or_default().to_owned(),
        ) else {
            return Err(fail("the media answer has no address".into(), false));
        };
        let bytes = self
            .http
            .get(file_url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| fail(format!("cannot download the media: {e}"), true))?
            .error_for_status()
            .map_err(|e| fail(format!("the media is not available: {e}"), false))?
            .bytes()
            .await
            .map_err(|e| fail(format!("the media download broke off: {e}"), true))?;
        Ok((bytes.to_vec(), mime))
    }
}

#[cfg(test)]
#[path = "whatsapp_test.rs"]
mod tests;
