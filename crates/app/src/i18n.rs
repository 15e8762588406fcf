//! Every text atende shows or sends, in Spanish, Brazilian Portuguese and English (Fluent): the
//! web's pages and errors, and the messages the channels send.

use std::collections::HashMap;

use atende_domain::{Lang, Refusal};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};

/// Each language's messages: the API's (errors) and the pages' (`locales/ui`).
pub const SOURCES: [(Lang, &str); 3] = [
    (
        Lang::Es,
        concat!(
            include_str!("../locales/es.ftl"),
            "\n",
            include_str!("../locales/ui/es.ftl")
        ),
    ),
    (
        Lang::PtBr,
        concat!(
            include_str!("../locales/pt-BR.ftl"),
            "\n",
            include_str!("../locales/ui/pt-BR.ftl")
        ),
    ),
    (
        Lang::En,
        concat!(
            include_str!("../locales/en.ftl"),
            "\n",
            include_str!("../locales/ui/en.ftl")
        ),
    ),
];

pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

/// A message argument: plain text, a number, or the key of another message to localize first.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
    Term(String),
}

impl I18n {
    /// Parses the embedded message files; an error here is a bug caught by the tests.
    pub fn load() -> Result<I18n, String> {
        let mut bundles = HashMap::new();
        for (lang, source) in SOURCES {
            let resource = FluentResource::try_new(source.to_owned())
                .map_err(|(_, errors)| format!("{lang}.ftl does not parse: {errors:?}"))?;
            let id = lang.code().parse().map_err(|e| format!("{lang}: {e}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Messages go into JSON and plain text; no bidi isolation marks around arguments.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errors| format!("{lang}.ftl has duplicates: {errors:?}"))?;
            bundles.insert(lang, bundle);
        }
        Ok(I18n { bundles })
    }

    /// The texts loaded once for the process (the use cases that send mail read them here).
    pub fn shared() -> &'static I18n {
        static SHARED: std::sync::OnceLock<I18n> = std::sync::OnceLock::new();
        SHARED.get_or_init(|| {
            I18n::load().unwrap_or_else(|err| {
                tracing::error!(%err, "the message files do not load; texts show as keys");
                I18n {
                    bundles: HashMap::new(),
                }
            })
        })
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(key))
    }

    /// The message `key` in `lang`. A missing key is a bug (a test checks every key in every
    /// language); it shows as the key itself rather than as another language.
    pub fn text(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
        let Some(bundle) = self.bundles.get(&lang) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, lang = lang.code(), "missing message");
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Term(k) => FluentValue::from(self.text(lang, k, &[])),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(key, lang = lang.code(), ?errors, "message formatting failed");
        }
        text.into_owned()
    }
}

/// The key of a stable code's message (`not_entitled.not_registered` → `not_entitled-not_registered`).
pub fn key_of(prefix: &str, code: &str) -> String {
    format!("{prefix}{}", code.replace('.', "-"))
}

/// The arguments a refusal's message takes.
pub fn refusal_args(refusal: &Refusal) -> Vec<(&'static str, Arg)> {
    match refusal {
        Refusal::PlanNotPaid { plan } => vec![("plan", Arg::Text(plan.clone()))],
        Refusal::ContractNotStarted { starts_on } => vec![("date", Arg::Text(starts_on.to_string()))],
        Refusal::ContractEnded { ended_on } => vec![("date", Arg::Text(ended_on.to_string()))],
        Refusal::ChannelNotInPlan { channel, plan } | Refusal::ChannelNotContracted { channel, plan } => vec![
            ("plan", Arg::Text(plan.clone())),
            ("channel", Arg::Term(format!("channel-{}", channel.code()))),
        ],
        Refusal::NotRegistered | Refusal::NotInView | Refusal::LanguageNotChosen => Vec::new(),
    }
}
