//! Opening a ticket in the conversation, step by step: the contract (when the person may use
//! several), the bot, the type with the manual's definitions, the priority, the subject, the
//! description, files, and a confirmation that ends in one action.

use super::{
    Action, Choice, ContractOption, Draft, Facts, Input, Label, MAX_LINE, MAX_TEXT, Say, State, Turn, Value,
    flow::{bounded, go, not_understood, picked, prompt, too_long_or_empty, turn},
    intent::{self, Intent},
};
use crate::{Priority, TicketType};

pub(super) fn eligible(facts: &Facts) -> Vec<&ContractOption> {
    facts.contracts.iter().filter(|c| c.refusal.is_none()).collect()
}

pub(super) fn draft_prompt(draft: &Draft, facts: &Facts) -> Vec<Say> {
    let contract = draft
        .contract_id
        .and_then(|id| facts.contracts.iter().find(|c| c.id == id));
    if contract.is_none() {
        return vec![Say::Ask {
            key: "bot-pick-contract",
            args: Vec::new(),
            choices: eligible(facts)
                .iter()
                .map(|c| Choice {
                    id: format!("contract:{}", c.id),
                    label: Label::Text(c.name.clone()),
                    detail: None,
                })
                .collect(),
        }];
    }
    if let Some(c) = contract
        && !draft.bot_asked
        && !c.bots.is_empty()
    {
        let mut choices: Vec<Choice> = c
            .bots
            .iter()
            .map(|(id, name)| Choice {
                id: format!("bot:{id}"),
                label: Label::Text(name.clone()),
                detail: None,
            })
            .collect();
        choices.push(Choice::key("bot:none", "bot-no-bot"));
        return vec![Say::Ask {
            key: "bot-pick-bot",
            args: Vec::new(),
            choices,
        }];
    }
    if draft.ticket_type.is_none() {
        return vec![Say::Ask {
            key: "bot-pick-type",
            args: Vec::new(),
            choices: TicketType::ALL
                .iter()
                .map(|t| Choice {
                    id: format!("type:{}", t.code()),
                    label: Label::Key(type_key(*t)),
                    detail: Some(Label::Key(type_help_key(*t))),
                })
                .collect(),
        }];
    }
    if draft.priority.is_none() {
        return vec![Say::Ask {
            key: "bot-pick-priority",
            args: Vec::new(),
            choices: Priority::ALL
                .iter()
                .map(|p| Choice {
                    id: format!("priority:{}", p.code()),
                    label: Label::Key(priority_key(*p)),
                    detail: Some(Label::Key(priority_help_key(*p))),
                })
                .collect(),
        }];
    }
    if draft.subject.is_none() {
        return vec![Say::text("bot-write-subject")];
    }
    if draft.description.is_none() {
        return vec![Say::text("bot-write-description")];
    }
    if !draft.files_done {
        return vec![Say::Ask {
            key: "bot-send-files",
            args: vec![("count", Value::Number(draft.files.len() as i64))],
            choices: vec![Choice::key("done", "bot-files-done")],
        }];
    }
    vec![Say::Ask {
        key: "bot-confirm-ticket",
        args: vec![
            ("subject", Value::Text(draft.subject.clone().unwrap_or_default())),
            (
                "type",
                Value::Term(draft.ticket_type.map(type_key).unwrap_or_default().to_owned()),
            ),
            (
                "priority",
                Value::Term(draft.priority.map(priority_key).unwrap_or_default().to_owned()),
            ),
            ("files", Value::Number(draft.files.len() as i64)),
        ],
        choices: vec![
            Choice::key("confirm", "bot-confirm"),
            Choice::key("cancel", "bot-cancel"),
        ],
    }]
}

pub(super) fn type_key(t: TicketType) -> &'static str {
    match t {
        TicketType::Question => "bot-type-question",
        TicketType::Task => "bot-type-task",
        TicketType::Incident => "bot-type-incident",
    }
}

fn type_help_key(t: TicketType) -> &'static str {
    match t {
        TicketType::Question => "bot-type-question-help",
        TicketType::Task => "bot-type-task-help",
        TicketType::Incident => "bot-type-incident-help",
    }
}

pub(super) fn priority_key(p: Priority) -> &'static str {
    match p {
        Priority::Low => "bot-priority-low",
        Priority::Normal => "bot-priority-normal",
        Priority::High => "bot-priority-high",
        Priority::Urgent => "bot-priority-urgent",
    }
}

fn priority_help_key(p: Priority) -> &'static str {
    match p {
        Priority::Low => "bot-priority-low-help",
        Priority::Normal => "bot-priority-normal-help",
        Priority::High => "bot-priority-high-help",
        Priority::Urgent => "bot-priority-urgent-help",
    }
}

/// Starts a ticket where the rules allow one: on the only contract in view, or asking which.
pub(super) fn start_ticket(mut draft: Draft, facts: &Facts, mut say: Vec<Say>) -> Turn {
    let open = eligible(facts);
    match open.as_slice() {
        [] => {
            // The refusal of a contract the person is in view of says more than "not a member".
            let refusals = || facts.contracts.iter().filter_map(|c| c.refusal.clone());
            let telling = refusals()
                .find(|r| *r != crate::Refusal::NotInView)
                .or_else(|| refusals().next());
            match telling {
                Some(refusal) => say.push(Say::Refusal(refusal)),
                None => say.push(Say::text("bot-no-contracts")),
            }
            say.extend(prompt(&State::Menu, facts));
            turn(State::Menu, say, None)
        }
        [only] => {
            draft.contract_id = Some(only.id);
            let state = State::NewTicket(draft);
            say.extend(prompt(&state, facts));
            turn(state, say, None)
        }
        _ => {
            let state = State::NewTicket(draft);
            say.extend(prompt(&state, facts));
            turn(state, say, None)
        }
    }
}

pub(super) fn new_ticket(mut draft: Draft, input: &Input, said: Option<Intent>, facts: &Facts) -> Turn {
    let asked = draft_prompt(&draft, facts);
    let choices: Vec<Choice> = match asked.first() {
        Some(Say::Ask { choices, .. }) => choices.clone(),
        _ => Vec::new(),
    };
    if draft.contract_id.is_none() {
        let Some(id) = picked(input, &choices).and_then(|c| c.strip_prefix("contract:").and_then(|n| n.parse().ok()))
        else {
            return not_understood(State::NewTicket(draft), facts);
        };
        draft.contract_id = Some(id);
    } else if !draft.bot_asked
        && facts
            .contracts
            .iter()
            .any(|c| Some(c.id) == draft.contract_id && !c.bots.is_empty())
    {
        let Some(choice) =
            picked(input, &choices).or_else(|| (said == Some(Intent::No)).then(|| "bot:none".to_owned()))
        else {
            return not_understood(State::NewTicket(draft), facts);
        };
        draft.bot_id = choice.strip_prefix("bot:").and_then(|n| n.parse().ok());
        draft.bot_asked = true;
    } else if draft.ticket_type.is_none() {
        let typed = match input {
            Input::Text(text) => text.trim().parse::<TicketType>().ok().or_else(|| type_by_word(text)),
            _ => None,
        };
        let Some(t) = picked(input, &choices)
            .and_then(|c| c.strip_prefix("type:").and_then(|code| code.parse().ok()))
            .or(typed)
        else {
            return not_understood(State::NewTicket(draft), facts);
        };
        draft.ticket_type = Some(t);
    } else if draft.priority.is_none() {
        let typed = match input {
            Input::Text(text) => priority_by_word(text),
            _ => None,
        };
        let Some(p) = picked(input, &choices)
            .and_then(|c| c.strip_prefix("priority:").and_then(|code| code.parse().ok()))
            .or(typed)
        else {
            return not_understood(State::NewTicket(draft), facts);
        };
        draft.priority = Some(p);
    } else if draft.subject.is_none() {
        let Input::Text(text) = input else {
            return not_understood(State::NewTicket(draft), facts);
        };
        match bounded(&text.replace(['\r', '\n', '\t'], " "), MAX_LINE) {
            Some(subject) => draft.subject = Some(subject),
            None => return too_long_or_empty(State::NewTicket(draft), text, facts),
        }
    } else if draft.description.is_none() {
        let Input::Text(text) = input else {
            return not_understood(State::NewTicket(draft), facts);
        };
        match bounded(text, MAX_TEXT) {
            Some(description) => draft.description = Some(description),
            None => return too_long_or_empty(State::NewTicket(draft), text, facts),
        }
    } else if !draft.files_done {
        match (input, picked(input, &choices).as_deref(), said) {
            (Input::File { id, .. }, _, _) if draft.files.len() < 10 => {
                draft.files.push(*id);
                let state = State::NewTicket(draft);
                let mut say = vec![Say::text("bot-file-received")];
                say.extend(prompt(&state, facts));
                return turn(state, say, None);
            }
            (Input::File { .. }, _, _) => {
                let state = State::NewTicket(draft);
                let mut say = vec![Say::text("bot-too-many-files")];
                say.extend(prompt(&state, facts));
                return turn(state, say, None);
            }
            (_, Some("done"), _) | (_, _, Some(Intent::Done | Intent::No)) => draft.files_done = true,
            _ => return not_understood(State::NewTicket(draft), facts),
        }
    } else {
        match (picked(input, &choices).as_deref(), said) {
            (Some("confirm"), _) | (_, Some(Intent::Yes)) => {
                return turn(State::Menu, Vec::new(), Some(Action::OpenTicket(draft)));
            }
            (Some("cancel"), _) | (_, Some(Intent::No)) => {
                let mut say = vec![Say::text("bot-cancelled")];
                say.extend(prompt(&State::Menu, facts));
                return turn(State::Menu, say, None);
            }
            _ => return not_understood(State::NewTicket(draft), facts),
        }
    }
    go(State::NewTicket(draft), facts, None)
}

/// A type named in plain words, in any of the three languages.
fn type_by_word(text: &str) -> Option<TicketType> {
    let words = intent::words(text);
    let has = |names: &[&str]| words.iter().any(|w| names.contains(&w.as_str()));
    if has(&["pregunta", "duda", "pergunta", "duvida", "question"]) {
        Some(TicketType::Question)
    } else if has(&[
        "tarea",
        "solicitud",
        "pedido",
        "tarefa",
        "solicitacao",
        "task",
        "request",
    ]) {
        Some(TicketType::Task)
    } else if has(&["incidente", "incident", "falla", "falha", "caida", "outage"]) {
        Some(TicketType::Incident)
    } else {
        None
    }
}

fn priority_by_word(text: &str) -> Option<Priority> {
    let words = intent::words(text);
    let has = |names: &[&str]| words.iter().any(|w| names.contains(&w.as_str()));
    if has(&["urgente", "urgent", "critica", "critical"]) {
        Some(Priority::Urgent)
    } else if has(&["alta", "high"]) {
        Some(Priority::High)
    } else if has(&["normal", "media", "medium"]) {
        Some(Priority::Normal)
    } else if has(&["baja", "baixa", "low"]) {
        Some(Priority::Low)
    } else {
        None
    }
}
