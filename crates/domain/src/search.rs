//! The one analysis pipeline of search, the same for every backend: Unicode normalization, case and
//! accent folding, stop words, Snowball stemming per language. The database only matches the terms
//! produced here (FTS5 on SQLite, `tsvector` on PostgreSQL), so both find the same documents.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use crate::Lang;

/// Lower case, compatibility-decomposed, without accents: `Configuración` → `configuracion`.
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text with their byte ranges in it (letters and digits; the rest separates).
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

fn stemmer(lang: Lang) -> Stemmer {
    Stemmer::create(match lang {
        Lang::Es => Algorithm::Spanish,
        Lang::PtBr => Algorithm::Portuguese,
        Lang::En => Algorithm::English,
    })
}

/// Words too common to tell documents apart, folded (Snowball's lists, shortened to the frequent).
fn is_stop_word(folded: &str, lang: Lang) -> bool {
    const ES: &[&str] = &[
        "a", "al", "algo", "como", "con", "de", "del", "el", "ella", "en", "es", "esta", "este", "esto", "hay", "la",
        "las", "le", "lo", "los", "mas", "me", "mi", "muy", "no", "o", "para", "pero", "por", "que", "se", "si", "sin",
        "sobre", "su", "sus", "te", "tu", "un", "una", "uno", "y", "ya", "yo",
    ];
    const PT: &[&str] = &[
        "a", "ao", "aos", "as", "com", "como", "da", "das", "de", "do", "dos", "e", "ela", "ele", "em", "entre", "era",
        "essa", "esse", "esta", "este", "eu", "foi", "ha", "isso", "isto", "ja", "mais", "mas", "me", "meu", "minha",
        "na", "nao", "nas", "no", "nos", "o", "os", "ou", "para", "pela", "pelo", "por", "que", "se", "sem", "seu",
        "sua", "um", "uma", "voce",
    ];
    const EN: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "for", "from", "has", "have", "i", "if", "in",
        "is", "it", "its", "my", "no", "not", "of", "on", "or", "our", "so", "that", "the", "their", "there", "this",
        "to", "was", "we", "with", "you", "your",
    ];
    let list = match lang {
        Lang::Es => ES,
        Lang::PtBr => PT,
        Lang::En => EN,
    };
    list.contains(&folded)
}

/// The terms a word stands for: its stem folded; when the accents changed what the stemmer saw,
/// the stem of the folded word too (so `configuracion` typed without its accent still meets
/// `configuración`); and the folded word itself, because Snowball does not always bring a word's
/// forms to one stem (Spanish `imagen` → `imag` but `imágenes` → `imagen`). Empty for a stop word.
pub fn word_terms(word: &str, lang: Lang, stemmer: &Stemmer) -> Vec<String> {
    let lower = word.to_lowercase();
    let folded = fold(&lower);
    if is_stop_word(&folded, lang) {
        return Vec::new();
    }
    let mut terms = vec![fold(&stemmer.stem(&lower))];
    let mut add = |term: String| {
        if !terms.contains(&term) {
            terms.push(term);
        }
    };
    add(stemmer.stem(&folded).into_owned());
    add(folded.clone());
    // People often type "configuracion" for "configuración": put the usual accented ending back
    // and stem that too, so the word meets "configurar" as the accented one does.
    if let Some(restored) = restore_accented_ending(&folded, lang) {
        add(fold(&stemmer.stem(&restored)));
    }
    terms
}

/// The word with the accent of a common ending restored (`-cion` → `-ción`, `-cao` → `-ção`).
fn restore_accented_ending(folded: &str, lang: Lang) -> Option<String> {
    let endings: &[(&str, &str)] = match lang {
        Lang::Es => &[("cion", "ción"), ("sion", "sión")],
        Lang::PtBr => &[("coes", "ções"), ("cao", "ção"), ("sao", "são")],
        Lang::En => &[],
    };
    endings
        .iter()
        .find_map(|(plain, accented)| folded.strip_suffix(plain).map(|stem| format!("{stem}{accented}")))
}

/// Every term of a text, for the index, in order (repeats kept: they weigh in the ranking).
pub fn index_terms(text: &str, lang: Lang) -> Vec<String> {
    let stemmer = stemmer(lang);
    words(text).flat_map(|(_, w)| word_terms(w, lang, &stemmer)).collect()
}

/// A query: every group must match (AND); within a group, any of its terms (OR). For suggestions
/// while typing, the last group may match as a prefix too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub groups: Vec<Vec<String>>,
    pub last_is_prefix: bool,
    /// Any group may match instead of every one: suggestions for a subject being written should
    /// come from some of its words, and the score puts those matching more of them first.
    pub any: bool,
}

impl Query {
    /// A query of whole words (a search someone submitted).
    pub fn parse(text: &str, lang: Lang) -> Query {
        Self::build(text, lang, false)
    }

    /// A query whose last word may be unfinished (suggestions as someone types). Prefixes cost the
    /// index a scan of every term they start, so only this path uses them.
    pub fn typing(text: &str, lang: Lang) -> Query {
        Self::build(text, lang, true)
    }

    fn build(text: &str, lang: Lang, typing: bool) -> Query {
        let stemmer = stemmer(lang);
        let mut groups: Vec<Vec<String>> = words(text)
            .map(|(_, w)| word_terms(w, lang, &stemmer))
            .filter(|g| !g.is_empty())
            .collect();
        groups.dedup();
        // Typing "configura" should already find "configuración": the last word, unfinished,
        // matches as a prefix of its folded form too.
        let ends_in_word = typing && text.chars().last().is_some_and(char::is_alphanumeric);
        let mut last_is_prefix = false;
        if ends_in_word && let Some((_, last)) = words(text).last() {
            let folded = fold(last);
            if folded.chars().count() >= 3
                && !is_stop_word(&folded, lang)
                && let Some(group) = groups.last_mut()
            {
                if !group.contains(&folded) {
                    group.push(folded);
                }
                last_is_prefix = true;
            }
        }
        Query {
            groups,
            last_is_prefix,
            any: typing,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Whether a word of a document answers some group of the query (for highlighting).
    pub fn hits(&self, word: &str, lang: Lang, stemmer: &Stemmer) -> bool {
        let terms = word_terms(word, lang, stemmer);
        let folded = fold(word);
        self.groups.iter().enumerate().any(|(i, group)| {
            let prefix = self.last_is_prefix && i + 1 == self.groups.len();
            group.iter().any(|q| {
                terms.iter().any(|t| t == q || (prefix && t.starts_with(q.as_str())))
                    || (prefix && folded.starts_with(q.as_str()))
            })
        })
    }
}

/// How well a document answers the query, the same on every backend: per query word, its
/// occurrences in the title (four times the weight) and in the body, saturating as in BM25 and
/// normalized by length, summed. The database finds the candidates; this orders them.
pub fn score(query: &Query, title: &str, body: &str, lang: Lang) -> f64 {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    const AVERAGE_TERMS: f64 = 120.0;
    let (title, body) = (index_terms(title, lang), index_terms(body, lang));
    let last = query.groups.len().saturating_sub(1);
    let count = |terms: &[String], group: &[String], prefix: bool| -> f64 {
        terms
            .iter()
            .filter(|t| group.iter().any(|q| *t == q || (prefix && t.starts_with(q.as_str()))))
            .count() as f64
    };
    let saturate = |tf: f64, len: usize| {
        let norm = 1.0 - B + B * (len as f64 / AVERAGE_TERMS);
        tf * (K1 + 1.0) / (tf + K1 * norm)
    };
    query
        .groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let prefix = query.last_is_prefix && i == last;
            4.0 * saturate(count(&title, group, prefix), title.len().max(1))
                + saturate(count(&body, group, prefix), body.len().max(1))
        })
        .sum()
}

/// A piece of a snippet: plain text, or a word that matched the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Hit(String),
}

/// Up to `max_chars` of `text` around its first match, with the matching words marked.
pub fn snippet(text: &str, query: &Query, lang: Lang, max_chars: usize) -> Vec<Piece> {
    let stemmer = stemmer(lang);
    let hits: Vec<(usize, usize)> = words(text)
        .filter(|(_, w)| query.hits(w, lang, &stemmer))
        .map(|(at, w)| (at, at + w.len()))
        .collect();
    // Start a little before the first hit, on a character boundary.
    let first = hits.first().map(|h| h.0).unwrap_or(0);
    let mut start = text[..first]
        .char_indices()
        .rev()
        .nth(max_chars / 4)
        .map(|(i, _)| i)
        .unwrap_or(0);
    if let Some(space) = text[start..first].find(char::is_whitespace)
        && start > 0
    {
        start += space + 1;
    }
    let end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map(|(i, _)| start + i)
        .unwrap_or(text.len());
    let mut pieces = Vec::new();
    let mut at = start;
    if start > 0 {
        pieces.push(Piece::Text("…".into()));
    }
    for &(from, to) in hits.iter().filter(|(from, to)| *from >= start && *to <= end) {
        if from > at {
            pieces.push(Piece::Text(text[at..from].to_owned()));
        }
        pieces.push(Piece::Hit(text[from..to].to_owned()));
        at = to;
    }
    if at < end {
        pieces.push(Piece::Text(text[at..end].to_owned()));
    }
    if end < text.len() {
        pieces.push(Piece::Text("…".into()));
    }
    pieces
}

#[cfg(test)]
#[path = "search_test.rs"]
mod tests;
