//! What the bot says, in the person's language: the engine's message keys made into text and
//! options, and then into each channel's form (WhatsApp buttons or lists, numbered text).

use atende_channels::whatsapp;
use atende_domain::{
    Lang,
    bot::{Choice, Label, Say, Value},
};
use serde::Serialize;
use serde_json::Value as Json;

use crate::i18n::{Arg, I18n, refusal_args};

/// One option, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offered {
    pub id: String,
    pub title: String,
    pub detail: String,
}

/// One message of the bot, worded: its text and the options it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    pub text: String,
    pub options: Vec<Offered>,
}

impl Rendered {
    /// The message as plain text, options numbered (for a channel without buttons, and for the
    /// transcript agents read).
    pub fn plain(&self) -> String {
        let mut out = self.text.clone();
        for (i, o) in self.options.iter().enumerate() {
            out.push_str(&format!("\n{}. {}", i + 1, o.title));
            if !o.detail.is_empty() {
                out.push_str(&format!(" ({})", o.detail));
            }
        }
        out
    }

    /// The WhatsApp request body: reply buttons for up to three short options, a list for more,
    /// plain text otherwise.
    pub fn whatsapp(&self, to: &str, list_button: &str) -> Json {
        let fits_buttons = self.options.len() <= whatsapp::MAX_BUTTONS
            && self
                .options
                .iter()
                .all(|o| o.title.chars().count() <= whatsapp::MAX_BUTTON_TITLE && o.detail.is_empty());
        if self.options.is_empty() {
            whatsapp::text(to, &self.text)
        } else if fits_buttons {
            let options: Vec<(String, String)> = self.options.iter().map(|o| (o.id.clone(), o.title.clone())).collect();
            whatsapp::buttons(to, &self.text, &options)
        } else if self.options.len() <= whatsapp::MAX_ROWS {
            let rows: Vec<(String, String, String)> = self
                .options
                .iter()
                .map(|o| (o.id.clone(), o.title.clone(), o.detail.clone()))
                .collect();
            whatsapp::list(to, &self.text, list_button, &rows)
        } else {
            whatsapp::text(to, &self.plain())
        }
    }
}

fn arg(value: &Value) -> Arg {
    match value {
        Value::Text(t) => Arg::Text(t.clone()),
        Value::Number(n) => Arg::Number(*n),
        Value::Term(key) => Arg::Term(key.clone()),
    }
}

fn label(texts: &I18n, lang: Lang, label: &Label) -> String {
    match label {
        Label::Key(key) => texts.text(lang, key, &[]),
        Label::Text(text) => text.clone(),
    }
}

fn option(texts: &I18n, lang: Lang, c: &Choice) -> Offered {
    Offered {
        id: c.id.clone(),
        title: label(texts, lang, &c.label),
        detail: c.detail.as_ref().map(|d| label(texts, lang, d)).unwrap_or_default(),
    }
}

/// Words what the engine says. A refusal says why, the remedy and the support address, as the
/// portal and the API do.
pub fn render(say: &[Say], lang: Lang, support_email: &str) -> Vec<Rendered> {
    let texts = I18n::shared();
    say.iter()
        .map(|s| match s {
            Say::Text { key, args } => {
                let args: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (*k, arg(v))).collect();
                Rendered {
                    text: texts.text(lang, key, &args),
                    options: Vec::new(),
                }
            }
            Say::Ask { key, args, choices } => {
                let args: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (*k, arg(v))).collect();
                Rendered {
                    text: texts.text(lang, key, &args),
                    options: choices.iter().map(|c| option(texts, lang, c)).collect(),
                }
            }
            Say::Refusal(refusal) => {
                let key = refusal.code().replace('.', "-");
                let why = texts.text(lang, &key, &refusal_args(refusal));
                let fallback = texts.text(
                    lang,
                    "bot-refusal-fallback",
                    &[("email", Arg::Text(support_email.to_owned()))],
                );
                Rendered {
                    text: format!("{why}\n\n{fallback}"),
                    options: Vec::new(),
                }
            }
        })
        .collect()
}

/// The words for a number nobody linked yet: the person's language is unknown, so all three.
pub fn unknown_person(channel_key: &str, support_email: &str, public_url: &str) -> Rendered {
    let texts = I18n::shared();
    let args = [
        ("email", Arg::Text(support_email.to_owned())),
        ("url", Arg::Text(public_url.trim_end_matches('/').to_owned())),
    ];
    let text = Lang::ALL
        .iter()
        .map(|lang| texts.text(*lang, channel_key, &args))
        .collect::<Vec<_>>()
        .join("\n\n");
    Rendered {
        text,
        options: Vec::new(),
    }
}
