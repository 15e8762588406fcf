//! What a person means by a free-text message, in Spanish, Portuguese or English: the menu
//! words and the few commands that work at any step. People type fast on a phone, so accents,
//! case, emojis and punctuation are ignored, a word may be one typo away, and a phrase may have
//! one small word in between ("abrir *un* ticket").

use crate::{Lang, search::fold};

/// A command the bot understands anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    OpenTicket,
    MyTickets,
    Faq,
    Reports,
    Human,
    Menu,
    Cancel,
    Yes,
    No,
    Done,
    Language(Lang),
}

/// The phrases of each intent, folded (lower case, no accents), most specific first. A longer
/// match wins over a shorter one, so "mis tickets abiertos" is about tickets, not about opening.
const PHRASES: &[(Intent, &[&str])] = &[
    (
        Intent::Cancel,
        &[
            "cancelar",
            "cancel",
            "cancela",
            "salir",
            "sair",
            "exit",
            "quit",
            "stop",
            "parar",
            "desistir",
            "deixa pra la",
        ],
    ),
    (
        Intent::Menu,
        &[
            "menu",
            "menu principal",
            "main menu",
            "inicio",
            "start",
            "comecar",
            "empezar",
            "voltar",
            "volver",
            "back",
            "hola",
            "ola",
            "oi",
            "hello",
            "hi",
            "hey",
            "buenas",
            "buenos dias",
            "bom dia",
            "boa tarde",
            "good morning",
            "opciones",
            "opcoes",
            "options",
        ],
    ),
    (
        Intent::Human,
        &[
            "hablar con una persona",
            "hablar con alguien",
            "hablar con un agente",
            "hablar con soporte",
            "agente",
            "humano",
            "persona",
            "operador",
            "asesor",
            "atendente",
            "falar com alguem",
            "falar com uma pessoa",
            "falar com atendente",
            "falar com o suporte",
            "pessoa",
            "human",
            "person",
            "agent",
            "operator",
            "representative",
            "talk to someone",
            "talk to a person",
            "talk to support",
            "real person",
        ],
    ),
    (
        Intent::MyTickets,
        &[
            "mis tickets",
            "mis casos",
            "mis solicitudes",
            "tickets abiertos",
            "ver tickets",
            "ver mis tickets",
            "estado de mi ticket",
            "estado del ticket",
            "como va mi ticket",
            "meus tickets",
            "meus chamados",
            "chamados abertos",
            "ver chamados",
            "status do chamado",
            "status do ticket",
            "acompanhar chamado",
            "my tickets",
            "open tickets",
            "my cases",
            "ticket status",
            "status of my ticket",
            "check my tickets",
            "seguimiento",
            "acompanhar",
        ],
    ),
    (
        Intent::OpenTicket,
        &[
            "abrir ticket",
            "abrir un ticket",
            "nuevo ticket",
            "crear ticket",
            "crear un ticket",
            "reportar un problema",
            "reportar problema",
            "tengo un problema",
            "reportar una falla",
            "abrir chamado",
            "abrir ticket novo",
            "novo chamado",
            "novo ticket",
            "criar chamado",
            "criar ticket",
            "tenho um problema",
            "relatar problema",
            "open ticket",
            "open a ticket",
            "new ticket",
            "create ticket",
            "raise a ticket",
            "report a problem",
            "report an issue",
            "i have a problem",
            "something is broken",
            "incidente",
            "incident",
            "soporte",
            "suporte",
        ],
    ),
    (
        Intent::Reports,
        &[
            "reportes",
            "reporte",
            "informe",
            "informes",
            "estadisticas",
            "metricas",
            "relatorio",
            "relatorios",
            "estatisticas",
            "reports",
            "report",
            "statistics",
            "metrics",
            "dashboard",
            "indicadores",
        ],
    ),
    (
        Intent::Faq,
        &[
            "preguntas frecuentes",
            "pregunta",
            "tengo una duda",
            "duda",
            "dudas",
            "ayuda",
            "faq",
            "faqs",
            "perguntas frequentes",
            "pergunta",
            "duvida",
            "duvidas",
            "ajuda",
            "tenho uma duvida",
            "question",
            "questions",
            "help",
            "i have a question",
            "how do i",
            "como hago",
            "como faco",
        ],
    ),
    (
        Intent::Done,
        &[
            "listo",
            "ya esta",
            "eso es todo",
            "pronto",
            "terminei",
            "so isso",
            "done",
            "finished",
            "that is all",
            "thats all",
            "no more",
            "skip",
            "omitir",
            "pular",
        ],
    ),
    (
        Intent::Yes,
        &[
            "si",
            "sim",
            "yes",
            "yep",
            "yeah",
            "ok",
            "okay",
            "claro",
            "dale",
            "vale",
            "correcto",
            "correto",
            "isso",
            "exacto",
            "exato",
            "sure",
            "me ayudo",
            "ajudou",
            "it helped",
            "thanks",
            "gracias",
            "obrigado",
            "obrigada",
            "perfecto",
            "perfeito",
        ],
    ),
    (
        Intent::No,
        &[
            "no",
            "nao",
            "nope",
            "nada",
            "para nada",
            "no me ayudo",
            "nao ajudou",
            "not really",
            "did not help",
            "didnt help",
            "negativo",
        ],
    ),
];

const LANGUAGES: &[(Lang, &[&str])] = &[
    (Lang::Es, &["espanol", "castellano", "spanish", "es"]),
    (Lang::PtBr, &["portugues", "portuguese", "pt", "brasileiro", "pt br"]),
    (Lang::En, &["english", "ingles", "en"]),
];

/// The words of a message, folded: lower case, accents gone, apostrophes, emojis and
/// punctuation dropped, a letter held down ("ayudaaa") counted once.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(collapse_held)
        .collect()
}

/// "ayudaaa" is "ayuda": a run of three or more of one letter counts once.
fn collapse_held(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let mut run = 1;
        while i + run < chars.len() && chars[i + run] == chars[i] {
            run += 1;
        }
        let keep = if run >= 3 { 1 } else { run };
        out.extend(std::iter::repeat_n(chars[i], keep));
        i += run;
    }
    out
}

/// Whether two words are the same but for at most one typo (for words of five letters or more).
fn alike(typed: &str, known: &str) -> bool {
    if typed == known {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (typed.chars().collect(), known.chars().collect());
    if b.len() == 4 && a.len() == 4 {
        // Four letters: only two neighbours swapped ("opne").
        let differ: Vec<usize> = (0..4).filter(|i| a[*i] != b[*i]).collect();
        return matches!(differ.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i]);
    }
    if b.len() < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    within_one_edit(&a, &b)
}

/// One insertion, deletion, substitution or swap of neighbours at most.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        if a.len() > b.len() {
            i += 1;
        } else if a.len() < b.len() {
            j += 1;
        } else if i + 1 < a.len() && a[i] == b[j + 1] && a[i + 1] == b[j] {
            // Two neighbours swapped.
            i += 2;
            j += 2;
        } else {
            i += 1;
            j += 1;
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// Whether the message holds every word of `phrase` in order, allowing one word between each
/// two: (how many words, how many of them exactly as written), the best place it stands.
fn matches(message: &[String], phrase: &[&str]) -> Option<(usize, usize)> {
    if phrase.is_empty() || phrase.len() > message.len() {
        return None;
    }
    let mut best = None;
    'start: for start in 0..message.len() {
        if !alike(&message[start], phrase[0]) {
            continue;
        }
        let mut at = start;
        let mut exact = usize::from(message[start] == phrase[0]);
        for word in &phrase[1..] {
            let next = (at + 1..message.len().min(at + 3)).find(|k| alike(&message[*k], word));
            match next {
                Some(k) => {
                    exact += usize::from(message[k] == *word);
                    at = k;
                }
                None => continue 'start,
            }
        }
        best = best.max(Some((phrase.len(), exact)));
    }
    best
}

/// The intent of a message, if it is one of the commands. A long message that merely contains a
/// command word is not taken for the command: what a person writes as a question or a
/// description must reach its step.
pub fn understand(text: &str) -> Option<Intent> {
    let message = words(text);
    if message.is_empty() {
        return None;
    }
    // The longest phrase wins; between equals, the one written more exactly.
    let mut best: Option<((usize, usize), Intent)> = None;
    for (intent, phrases) in PHRASES {
        for phrase in *phrases {
            let phrase: Vec<&str> = phrase.split(' ').collect();
            if let Some(score) = matches(&message, &phrase)
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, *intent));
            }
        }
    }
    let ((len, _), intent) = best?;
    // A command is most of its message: "hi, I need help with my tickets" is, "the webhook
    // fails with error 500 when I open a ticket" is not.
    let extra = message.len() - len;
    (extra <= 4 || extra <= 2 * len).then_some(intent)
}

/// The language a person chose by name, in any of the three.
pub fn language(text: &str) -> Option<Lang> {
    let message = words(text);
    LANGUAGES.iter().find_map(|(lang, names)| {
        names
            .iter()
            .any(|name| matches(&message, &name.split(' ').collect::<Vec<_>>()).is_some())
            .then_some(*lang)
    })
}

/// A menu option picked by its number ("2", "2.", "opción 2", "#2").
pub fn number(text: &str) -> Option<usize> {
    let message = words(text);
    let digits: Vec<&String> = message
        .iter()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    match (digits.as_slice(), message.len()) {
        ([n], 1 | 2) => n.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
#[path = "intent_test.rs"]
mod tests;
