//! Forms sent by the pages: URL-encoded or multipart (with files), always checked against the
//! CSRF token of the session before a handler sees them.

use std::str::FromStr;

use atende_app::{
    AppError,
    attachments::{MAX_BYTES, MAX_PER_MESSAGE, Upload},
};
use axum::{
    body::Bytes,
    extract::{FromRequest, Multipart, Request},
    http::{StatusCode, header},
};

use super::{PageError, session::PageCtx};

/// The longest text field of a multipart form: far above any description or reply.
const MAX_TEXT_FIELD: usize = 256 * 1024;

/// The fields of a submitted form, in order, and its files.
#[derive(Debug, Default)]
pub struct Fields {
    pairs: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl Fields {
    /// The field's value, or "" when it was not sent.
    pub fn text(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// The field's value when it was sent and is not blank.
    pub fn opt(&self, name: &str) -> Option<&str> {
        Some(self.text(name).trim()).filter(|v| !v.is_empty())
    }

    /// Every value of a repeated field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A value that must be present and parse, else a 422 naming the field.
    pub fn parse<T: FromStr>(&self, name: &'static str) -> Result<T, PageError> {
        self.opt(name)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| PageError::invalid_field(name))
    }

    /// A value that may be blank, but must parse when given.
    pub fn parse_opt<T: FromStr>(&self, name: &'static str) -> Result<Option<T>, PageError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| PageError::invalid_field(name)),
        }
    }

    pub fn checked(&self, name: &str) -> bool {
        self.opt(name).is_some()
    }
}

fn unreadable(status: StatusCode) -> PageError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        PageError::status(StatusCode::PAYLOAD_TOO_LARGE, "form-too_large")
    } else {
        PageError::status(StatusCode::BAD_REQUEST, "form-unreadable")
    }
}

/// A form that passed the CSRF check.
pub struct Submitted(pub Fields);

impl<S: Send + Sync> FromRequest<S> for Submitted {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = req
            .extensions()
            .get::<PageCtx>()
            .map(|c| c.csrf.clone())
            .ok_or_else(|| PageError::status(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        let fields = read_fields(req, state).await?;
        if fields.text("_csrf") != expected || expected.is_empty() {
            return Err(PageError::status(StatusCode::FORBIDDEN, "form-csrf"));
        }
        Ok(Submitted(fields))
    }
}

/// Reads a URL-encoded or multipart body into fields and files, refusing a part as soon as it
/// outgrows its kind's limit. The pages and the API's uploads share it.
pub(crate) async fn read_fields<S: Send + Sync>(req: Request, state: &S) -> Result<Fields, PageError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut fields = Fields::default();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|_| PageError::status(StatusCode::BAD_REQUEST, "form-unreadable"))?;
        while let Some(mut field) = multipart.next_field().await.map_err(|e| unreadable(e.status()))? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            // Each part is read in chunks and refused as soon as it outgrows its kind's limit,
            // so a huge text field or an eleventh file never sits whole in memory.
            let (limit, too_big) = match file_name {
                Some(_) if fields.files.len() >= MAX_PER_MESSAGE => {
                    return Err(AppError::Rejected("attachment.too_many").into());
                }
                Some(_) => (MAX_BYTES, "attachment.too_large"),
                None => (MAX_TEXT_FIELD, "form.field_too_long"),
            };
            let mut data = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(e.status()))? {
                if data.len() + chunk.len() > limit {
                    return Err(AppError::Rejected(too_big).into());
                }
                data.extend_from_slice(&chunk);
            }
            match file_name {
                // A file input left empty still sends a part, with no name and no bytes.
                Some(file_name) if !file_name.is_empty() || !data.is_empty() => {
                    fields.files.push(Upload { file_name, data })
                }
                Some(_) => {}
                None => fields.pairs.push((name, String::from_utf8_lossy(&data).into_owned())),
            }
        }
    } else {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| unreadable(e.status()))?;
        fields.pairs = form_urlencoded::parse(&body).into_owned().collect();
    }
    Ok(fields)
}
