//! The help center's content: categories, sections and articles whose translations (es, pt-BR,
//! en) share one id. Articles are Markdown, draft or published, public or for agents only.

use jiff::Timestamp;

use crate::{Lang, search::fold};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub position: i64,
    /// `(language, name, description)`.
    pub texts: Vec<(Lang, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: i64,
    pub category_id: i64,
    pub position: i64,
    pub names: Vec<(Lang, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub lang: Lang,
    pub title: String,
    pub slug: String,
    /// Markdown.
    pub body: String,
    /// The short answer the smart contact gives for an FAQ.
    pub faq_answer: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: i64,
    pub section_id: i64,
    pub position: i64,
    /// Public, or internal (agents only).
    pub internal: bool,
    pub published: bool,
    pub faq: bool,
    pub tags: Vec<String>,
    pub views: i64,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub author_id: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub translations: Vec<Translation>,
    pub related: Vec<i64>,
}

impl Article {
    pub fn translation(&self, lang: Lang) -> Option<&Translation> {
        self.translations.iter().find(|t| t.lang == lang)
    }

    /// Readable by visitors and customers.
    pub fn is_public(&self) -> bool {
        self.published && !self.internal
    }
}

/// A URL slug: folded, words joined by `-`, at most 80 characters: "¿Cómo abro un ticket?" →
/// "como-abro-un-ticket".
pub fn slug(title: &str) -> String {
    let folded = fold(title);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 80 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() { "article".into() } else { slug }
}

#[cfg(test)]
#[path = "kb_test.rs"]
mod tests;
