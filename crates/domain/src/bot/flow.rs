//! The conversation's steps: the menu, opening a ticket (contract, bot, type, priority, subject,
//! description, files, confirmation), the open tickets and one ticket with a reply, questions for
//! the help center, reports, and a person. "menu" and "cancel" work at every step; a person's
//! language is asked first when they have none, as the manual's fourth rule requires.

use super::{
    Action, Choice, Draft, Facts, Input, Label, MAX_LINE, MAX_TEXT, Outcome, Say, State, Turn, Value,
    draft::{draft_prompt, new_ticket, start_ticket},
    intent::{self, Intent},
};
use crate::Lang;

const MENU: [(&str, &str, Intent); 5] = [
    ("open", "bot-menu-open", Intent::OpenTicket),
    ("tickets", "bot-menu-tickets", Intent::MyTickets),
    ("faq", "bot-menu-faq", Intent::Faq),
    ("reports", "bot-menu-reports", Intent::Reports),
    ("human", "bot-menu-human", Intent::Human),
];

fn menu_choices() -> Vec<Choice> {
    MENU.iter().map(|(id, key, _)| Choice::key(id, key)).collect()
}

pub(super) fn turn(state: State, say: Vec<Say>, action: Option<Action>) -> Turn {
    Turn { state, say, action }
}

/// The question a state asks, said again after a change or a misunderstanding.
pub fn prompt(state: &State, facts: &Facts) -> Vec<Say> {
    match state {
        State::Start | State::Menu => vec![Say::Ask {
            key: "bot-menu",
            args: Vec::new(),
            choices: menu_choices(),
        }],
        State::ChooseLanguage => vec![Say::Ask {
            key: "bot-choose-language",
            args: Vec::new(),
            choices: Lang::ALL
                .iter()
                .map(|l| Choice {
                    id: format!("lang:{}", l.code()),
                    label: Label::Text(native_name(*l).to_owned()),
                    detail: None,
                })
                .collect(),
        }],
        State::NewTicket(draft) => draft_prompt(draft, facts),
        State::Tickets | State::Ticket { .. } => vec![Say::Ask {
            key: "bot-ticket-next",
            args: Vec::new(),
            choices: ticket_choices(state),
        }],
        State::Replying { .. } => vec![Say::text("bot-write-reply")],
        State::FaqQuestion => vec![Say::text("bot-ask-question")],
        State::FaqFeedback { .. } => vec![Say::Ask {
            key: "bot-did-it-help",
            args: Vec::new(),
            choices: vec![Choice::key("yes", "bot-yes"), Choice::key("no", "bot-no")],
        }],
        State::Human { .. } => vec![Say::text("bot-human-waiting")],
    }
}

fn ticket_choices(state: &State) -> Vec<Choice> {
    match state {
        State::Ticket { .. } => vec![
            Choice::key("reply", "bot-reply"),
            Choice::key("menu", "bot-back-to-menu"),
        ],
        _ => vec![Choice::key("menu", "bot-back-to-menu")],
    }
}

/// The language's own name: the prompt is read before a language is known.
fn native_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "Español",
        Lang::PtBr => "Português",
        Lang::En => "English",
    }
}

/// The option a message picks among `choices`: the id of a tapped one, a number, or a word
/// that names one (the menu's words, a type's name, yes and no).
pub(super) fn picked(input: &Input, choices: &[Choice]) -> Option<String> {
    match input {
        Input::Choice(id) => choices.iter().find(|c| c.id == *id).map(|c| c.id.clone()),
        Input::Text(text) => {
            if let Some(n) = intent::number(text) {
                return n.checked_sub(1).and_then(|i| choices.get(i)).map(|c| c.id.clone());
            }
            let words = intent::words(text);
            choices
                .iter()
                .find(|c| match &c.label {
                    Label::Text(label) => intent::words(label) == words,
                    Label::Key(_) => false,
                })
                .map(|c| c.id.clone())
        }
        Input::File { .. } => None,
    }
}

pub(super) fn not_understood(state: State, facts: &Facts) -> Turn {
    let mut say = vec![Say::text("bot-not-understood")];
    say.extend(prompt(&state, facts));
    turn(state, say, None)
}

pub(super) fn go(state: State, facts: &Facts, action: Option<Action>) -> Turn {
    let say = if action.is_some() {
        Vec::new()
    } else {
        prompt(&state, facts)
    };
    turn(state, say, action)
}

/// Answers one message.
pub fn step(state: State, input: &Input, facts: &Facts) -> Turn {
    // The fourth rule: nothing happens in a conversation without a language.
    if facts.lang.is_none() {
        return choose_language(input, facts);
    }
    let said = match input {
        Input::Text(text) => intent::understand(text),
        Input::Choice(id) if id == "menu" => Some(Intent::Menu),
        Input::Choice(id) if id == "cancel" => Some(Intent::Cancel),
        _ => None,
    };
    // Free text for "menu" or "cancel" works at every step, a person's conversation included.
    match said {
        Some(Intent::Cancel) if !matches!(state, State::Start | State::Menu) => {
            let mut say = vec![Say::text("bot-cancelled")];
            say.extend(prompt(&State::Menu, facts));
            return turn(State::Menu, say, None);
        }
        Some(Intent::Menu | Intent::Cancel) => return go(State::Menu, facts, None),
        _ => {}
    }
    match state {
        State::Start | State::ChooseLanguage | State::Menu => menu(input, said, facts),
        State::NewTicket(draft) => new_ticket(draft, input, said, facts),
        State::Tickets => match input {
            Input::Choice(id) => match id.strip_prefix("t:").and_then(|n| n.parse().ok()) {
                Some(id) => turn(State::Tickets, Vec::new(), Some(Action::ShowTicket(id))),
                None => not_understood(State::Tickets, facts),
            },
            Input::Text(text) => match intent::number(text).or_else(|| ticket_number(text)) {
                Some(n) => turn(State::Tickets, Vec::new(), Some(Action::ShowTicket(n as i64))),
                None => menu(input, said, facts),
            },
            Input::File { .. } => not_understood(State::Tickets, facts),
        },
        State::Ticket { id } => match picked(input, &ticket_choices(&State::Ticket { id })).as_deref() {
            Some("reply") => go(State::Replying { id }, facts, None),
            _ => menu(input, said, facts),
        },
        State::Replying { id } => match input {
            Input::Text(text) => match bounded(text, MAX_TEXT) {
                Some(text) => turn(
                    State::Ticket { id },
                    Vec::new(),
                    Some(Action::Reply { ticket: id, text }),
                ),
                None => too_long_or_empty(State::Replying { id }, text, facts),
            },
            Input::File { id: file, .. } => turn(
                State::Ticket { id },
                Vec::new(),
                Some(Action::Relay {
                    ticket: id,
                    text: String::new(),
                    files: vec![*file],
                }),
            ),
            Input::Choice(_) => not_understood(State::Replying { id }, facts),
        },
        State::FaqQuestion => match input {
            Input::Text(text) => match bounded(text, MAX_LINE) {
                Some(question) => turn(
                    State::FaqFeedback {
                        question: question.clone(),
                    },
                    Vec::new(),
                    Some(Action::SearchHelp(question)),
                ),
                None => too_long_or_empty(State::FaqQuestion, text, facts),
            },
            _ => not_understood(State::FaqQuestion, facts),
        },
        State::FaqFeedback { question } => {
            let choice = picked(input, &[Choice::key("yes", "bot-yes"), Choice::key("no", "bot-no")]);
            match (choice.as_deref(), said) {
                (Some("yes"), _) | (_, Some(Intent::Yes)) => {
                    let mut say = vec![Say::text("bot-glad")];
                    say.extend(prompt(&State::Menu, facts));
                    turn(State::Menu, say, None)
                }
                (Some("no"), _) | (_, Some(Intent::No)) => {
                    // The question becomes the start of a ticket.
                    let draft = Draft {
                        subject: Some(question.chars().take(MAX_LINE).collect()),
                        description: Some(question),
                        ..Draft::default()
                    };
                    start_ticket(draft, facts, vec![Say::text("bot-faq-to-ticket")])
                }
                _ => match input {
                    // Another question instead of an answer: search again.
                    Input::Text(text) if said.is_none() => step(State::FaqQuestion, &Input::Text(text.clone()), facts),
                    _ => menu(input, said, facts),
                },
            }
        }
        State::Human { ticket } => match input {
            Input::Text(text) => match bounded(text, MAX_TEXT) {
                Some(text) => turn(
                    State::Human { ticket },
                    Vec::new(),
                    Some(Action::Relay {
                        ticket,
                        text,
                        files: Vec::new(),
                    }),
                ),
                None => too_long_or_empty(State::Human { ticket }, text, facts),
            },
            Input::File { id, .. } => turn(
                State::Human { ticket },
                Vec::new(),
                Some(Action::Relay {
                    ticket,
                    text: String::new(),
                    files: vec![*id],
                }),
            ),
            Input::Choice(_) => turn(State::Human { ticket }, prompt(&State::Human { ticket }, facts), None),
        },
    }
}

/// "#12", "ticket 12": a ticket named by its number.
fn ticket_number(text: &str) -> Option<usize> {
    let words = intent::words(text);
    match words.as_slice() {
        [n] | [_, n] => n.parse().ok(),
        _ => None,
    }
}

pub(super) fn bounded(text: &str, max: usize) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty() && trimmed.chars().count() <= max).then(|| trimmed.to_owned())
}

pub(super) fn too_long_or_empty(state: State, text: &str, facts: &Facts) -> Turn {
    let key = if text.trim().is_empty() {
        "bot-empty"
    } else {
        "bot-too-long"
    };
    let max = match &state {
        State::NewTicket(d) if d.subject.is_none() => MAX_LINE,
        State::FaqQuestion => MAX_LINE,
        _ => MAX_TEXT,
    };
    let mut say = vec![Say::Text {
        key,
        args: vec![("max", Value::Number(max as i64))],
    }];
    say.extend(prompt(&state, facts));
    turn(state, say, None)
}

fn choose_language(input: &Input, facts: &Facts) -> Turn {
    let lang = match input {
        Input::Choice(id) => id.strip_prefix("lang:").and_then(|c| c.parse::<Lang>().ok()),
        Input::Text(text) => intent::language(text).or_else(|| {
            intent::number(text)
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| Lang::ALL.get(i).copied())
        }),
        Input::File { .. } => None,
    };
    match (lang, input) {
        (Some(lang), _) => turn(State::Menu, Vec::new(), Some(Action::SetLanguage(lang))),
        // The first words of a conversation get the question, not a reproach.
        _ => turn(State::ChooseLanguage, prompt(&State::ChooseLanguage, facts), None),
    }
}

fn menu(input: &Input, said: Option<Intent>, facts: &Facts) -> Turn {
    let by_choice = picked(input, &menu_choices())
        .and_then(|id| MENU.iter().find(|(m, _, _)| *m == id).map(|(_, _, intent)| *intent));
    match by_choice.or(said) {
        Some(Intent::OpenTicket) => start_ticket(Draft::default(), facts, Vec::new()),
        Some(Intent::MyTickets) => turn(State::Tickets, Vec::new(), Some(Action::ListTickets)),
        Some(Intent::Faq) => go(State::FaqQuestion, facts, None),
        Some(Intent::Reports) => turn(State::Menu, Vec::new(), Some(Action::ShowReports)),
        Some(Intent::Human) => turn(State::Menu, Vec::new(), Some(Action::Handoff)),
        Some(Intent::Menu) => go(State::Menu, facts, None),
        _ => match input {
            // A question typed at the menu goes straight to the help center.
            Input::Text(text) if intent::words(text).len() >= 3 => match bounded(text, MAX_LINE) {
                Some(q) => turn(
                    State::FaqFeedback { question: q.clone() },
                    Vec::new(),
                    Some(Action::SearchHelp(q)),
                ),
                None => not_understood(State::Menu, facts),
            },
            _ => not_understood(State::Menu, facts),
        },
    }
}

/// What the bot says once the app carried out an action.
pub fn outcome(state: State, action: &Action, result: Outcome, facts: &Facts) -> Turn {
    match (action, result) {
        (Action::SetLanguage(_), _) => go(State::Menu, facts, None),
        (Action::OpenTicket(_), Outcome::Opened { id, due }) => {
            let mut say = vec![Say::Text {
                key: if due.is_some() {
                    "bot-ticket-opened-due"
                } else {
                    "bot-ticket-opened"
                },
                args: vec![("id", Value::Number(id)), ("due", Value::Text(due.unwrap_or_default()))],
            }];
            say.extend(prompt(&State::Menu, facts));
            turn(State::Menu, say, None)
        }
        (_, Outcome::Refused(refusal)) => {
            let mut say = vec![Say::Refusal(refusal)];
            say.extend(prompt(&State::Menu, facts));
            turn(State::Menu, say, None)
        }
        (Action::ListTickets, Outcome::Tickets(tickets)) if tickets.is_empty() => {
            let mut say = vec![Say::text("bot-no-open-tickets")];
            say.extend(prompt(&State::Menu, facts));
            turn(State::Menu, say, None)
        }
        (Action::ListTickets, Outcome::Tickets(tickets)) => {
            let mut choices: Vec<Choice> = tickets
                .into_iter()
                .take(9)
                .map(|(id, line)| Choice {
                    id: format!("t:{id}"),
                    label: Label::Text(format!("#{id}")),
                    detail: Some(Label::Text(line)),
                })
                .collect();
            choices.push(Choice::key("menu", "bot-back-to-menu"));
            turn(
                State::Tickets,
                vec![Say::Ask {
                    key: "bot-your-tickets",
                    args: Vec::new(),
                    choices,
                }],
                None,
            )
        }
        (Action::ShowTicket(_), Outcome::Ticket { id, lines }) => {
            let state = State::Ticket { id };
            let say = vec![
                Say::Text {
                    key: "bot-ticket-detail",
                    args: vec![("id", Value::Number(id)), ("lines", Value::Text(lines.join("\n")))],
                },
                Say::Ask {
                    key: "bot-ticket-next",
                    args: Vec::new(),
                    choices: ticket_choices(&state),
                },
            ];
            turn(state, say, None)
        }
        (Action::ShowTicket(_) | Action::Reply { .. } | Action::Relay { .. }, Outcome::Gone) => {
            let mut say = vec![Say::text("bot-ticket-gone")];
            say.extend(prompt(&State::Menu, facts));
            turn(State::Menu, say, None)
        }
        (Action::Reply { ticket, .. }, Outcome::Done) => {
            let state = State::Ticket { id: *ticket };
            let mut say = vec![Say::Text {
                key: "bot-reply-added",
                args: vec![("id", Value::Number(*ticket))],
            }];
            say.extend(prompt(&state, facts));
            turn(state, say, None)
        }
        (Action::SearchHelp(question), Outcome::Articles(articles)) if articles.is_empty() => {
            let say = vec![Say::Ask {
                key: "bot-faq-nothing",
                args: Vec::new(),
                choices: vec![
                    Choice::key("no", "bot-open-ticket-instead"),
                    Choice::key("menu", "bot-back-to-menu"),
                ],
            }];
            turn(
                State::FaqFeedback {
                    question: question.clone(),
                },
                say,
                None,
            )
        }
        (Action::SearchHelp(question), Outcome::Articles(articles)) => {
            let lines: Vec<String> = articles
                .iter()
                .take(3)
                .map(|(title, url, answer)| {
                    if answer.is_empty() {
                        format!("• {title}\n{url}")
                    } else {
                        format!("• {title}\n{answer}\n{url}")
                    }
                })
                .collect();
            let state = State::FaqFeedback {
                question: question.clone(),
            };
            let mut say = vec![Say::Text {
                key: "bot-faq-found",
                args: vec![("articles", Value::Text(lines.join("\n\n")))],
            }];
            say.extend(prompt(&state, facts));
            turn(state, say, None)
        }
        (Action::ShowReports, Outcome::Reports(lines)) => {
            let mut say = vec![Say::Text {
                key: "bot-reports",
                args: vec![("lines", Value::Text(lines.join("\n")))],
            }];
            say.extend(prompt(&State::Menu, facts));
            turn(State::Menu, say, None)
        }
        (Action::Handoff, Outcome::Handed { ticket }) => turn(
            State::Human { ticket },
            vec![Say::Text {
                key: "bot-human-joined",
                args: vec![("id", Value::Number(ticket))],
            }],
            None,
        ),
        // Relayed to a person: nothing to add.
        (Action::Relay { .. }, Outcome::Done) => turn(state, Vec::new(), None),
        (_, _) => go(state, facts, None),
    }
}

#[cfg(test)]
#[path = "flow_test.rs"]
mod tests;
