//! The three languages atende speaks. The manual makes choosing one a condition for support.

use std::{fmt, str::FromStr};

use crate::text::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Es,
    PtBr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Es, Lang::PtBr, Lang::En];

    /// The BCP 47 tag, as stored and as sent in `Content-Language`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::PtBr => "pt-BR",
            Lang::En => "en",
        }
    }

    /// The first supported language of an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let Ok(lang) = tag.parse::<Lang>() else {
                continue;
            };
            if quality <= 0.0 {
                continue;
            }
            // Higher quality wins; on a tie the earlier entry wins.
            let better = best.is_none_or(|(q, p, _)| quality > q || (quality == q && position < p));
            if better {
                best = Some((quality, position, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }
}

impl FromStr for Lang {
    type Err = ParseError;

    /// Accepts the tag in any case and any regional variant of Spanish and English; Portuguese
    /// maps to Brazilian Portuguese, the variant atende is written in.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "es" => Ok(Lang::Es),
            "pt" => Ok(Lang::PtBr),
            "en" => Ok(Lang::En),
            _ => Err(ParseError::NotOneOf {
                field: "language",
                allowed: "es, pt-BR, en",
            }),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_and_variants() {
        assert_eq!("pt-BR".parse(), Ok(Lang::PtBr));
        assert_eq!("pt_pt".parse(), Ok(Lang::PtBr));
        assert_eq!("ES-mx".parse(), Ok(Lang::Es));
        assert_eq!("en".parse(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
    }

    #[test]
    fn accept_language_honours_quality_and_order() {
        assert_eq!(
            Lang::from_accept_language("fr-FR,fr;q=0.9,pt;q=0.8,en;q=0.7"),
            Some(Lang::PtBr)
        );
        assert_eq!(Lang::from_accept_language("en;q=0.5, es"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("es, en"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("es;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
