use proptest::prelude::*;

use super::*;
use crate::{Channel, Priority, Refusal, TicketType, bot::ContractOption};

fn facts(contracts: Vec<ContractOption>) -> Facts {
    Facts {
        lang: Some(Lang::Es),
        contracts,
    }
}

fn contract(id: i64, bots: &[(i64, &str)]) -> ContractOption {
    ContractOption {
        id,
        name: format!("Contract {id}"),
        bots: bots.iter().map(|(i, n)| (*i, n.to_string())).collect(),
        refusal: None,
    }
}

fn text(t: &str) -> Input {
    Input::Text(t.to_owned())
}

fn choice(id: &str) -> Input {
    Input::Choice(id.to_owned())
}

fn keys(turn: &Turn) -> Vec<&'static str> {
    turn.say
        .iter()
        .map(|s| match s {
            Say::Text { key, .. } | Say::Ask { key, .. } => *key,
            Say::Refusal(_) => "refusal",
        })
        .collect()
}

fn choice_ids(turn: &Turn) -> Vec<String> {
    turn.say
        .iter()
        .flat_map(|s| match s {
            Say::Ask { choices, .. } => choices.iter().map(|c| c.id.clone()).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// Runs `inputs` from `state`, as the app would, returning the last turn.
fn run(mut state: State, inputs: &[Input], facts: &Facts) -> Turn {
    let mut last = None;
    for input in inputs {
        let t = step(state, input, facts);
        state = t.state.clone();
        last = Some(t);
    }
    last.unwrap()
}

#[test]
fn a_person_without_a_language_is_asked_in_all_three_first() {
    let no_lang = Facts::default();
    let t = step(State::Start, &text("hola, abrir ticket"), &no_lang);
    assert_eq!(keys(&t), ["bot-choose-language"]);
    assert_eq!(choice_ids(&t), ["lang:es", "lang:pt-BR", "lang:en"]);
    assert_eq!(t.action, None, "nothing happens before a language is chosen");
    assert_eq!(
        step(State::ChooseLanguage, &text("portugués"), &no_lang).action,
        Some(Action::SetLanguage(Lang::PtBr))
    );
    assert_eq!(
        step(State::ChooseLanguage, &choice("lang:en"), &no_lang).action,
        Some(Action::SetLanguage(Lang::En))
    );
    assert_eq!(
        step(State::ChooseLanguage, &text("3"), &no_lang).action,
        Some(Action::SetLanguage(Lang::En))
    );
    let after = outcome(
        State::Menu,
        &Action::SetLanguage(Lang::En),
        Outcome::Done,
        &facts(vec![]),
    );
    assert_eq!(keys(&after), ["bot-menu"]);
}

#[test]
fn opening_a_ticket_goes_step_by_step_and_ends_in_one_action() {
    let f = facts(vec![contract(1, &[]), contract(2, &[(7, "Sales bot")])]);
    let t = step(State::Menu, &choice("open"), &f);
    assert_eq!(keys(&t), ["bot-pick-contract"]);
    assert_eq!(choice_ids(&t), ["contract:1", "contract:2"]);
    let t = step(t.state, &text("2"), &f);
    assert_eq!(keys(&t), ["bot-pick-bot"]);
    assert_eq!(choice_ids(&t), ["bot:7", "bot:none"]);
    let t = step(t.state, &choice("bot:7"), &f);
    assert_eq!(keys(&t), ["bot-pick-type"]);
    let t = step(t.state, &text("incidente"), &f);
    assert_eq!(keys(&t), ["bot-pick-priority"]);
    let t = step(t.state, &choice("priority:high"), &f);
    assert_eq!(keys(&t), ["bot-write-subject"]);
    let t = step(t.state, &text("El bot no responde"), &f);
    assert_eq!(keys(&t), ["bot-write-description"]);
    let t = step(t.state, &text("Desde las 9:00 ningún cliente recibe respuesta."), &f);
    assert_eq!(keys(&t), ["bot-send-files"]);
    let t = step(
        t.state,
        &Input::File {
            id: 55,
            name: "captura.png".into(),
        },
        &f,
    );
    assert_eq!(keys(&t), ["bot-file-received", "bot-send-files"]);
    let t = step(t.state, &text("listo"), &f);
    assert_eq!(keys(&t), ["bot-confirm-ticket"]);
    let t = step(t.state, &choice("confirm"), &f);
    let Some(Action::OpenTicket(draft)) = &t.action else {
        panic!("{t:?}")
    };
    assert_eq!(
        draft,
        &Draft {
            contract_id: Some(2),
            bot_id: Some(7),
            bot_asked: true,
            ticket_type: Some(TicketType::Incident),
            priority: Some(Priority::High),
            subject: Some("El bot no responde".into()),
            description: Some("Desde las 9:00 ningún cliente recibe respuesta.".into()),
            files: vec![55],
            files_done: true,
        }
    );
    let done = outcome(
        t.state,
        t.action.as_ref().unwrap(),
        Outcome::Opened {
            id: 41,
            due: Some("10:45".into()),
        },
        &f,
    );
    assert_eq!(keys(&done), ["bot-ticket-opened-due", "bot-menu"]);
    assert_eq!(done.state, State::Menu);
}

#[test]
fn bad_input_at_each_step_repeats_the_question() {
    let f = facts(vec![contract(1, &[])]);
    // The only contract is taken without asking.
    let t = step(State::Menu, &text("abrir un ticket"), &f);
    assert_eq!(keys(&t), ["bot-pick-type"]);
    for wrong in [
        text("banana"),
        choice("type:fruit"),
        text("9"),
        Input::File {
            id: 1,
            name: "x".into(),
        },
    ] {
        let again = step(t.state.clone(), &wrong, &f);
        assert_eq!(keys(&again), ["bot-not-understood", "bot-pick-type"], "{wrong:?}");
        assert_eq!(again.state, t.state, "nothing changes");
    }
    let t = run(t.state, &[text("pregunta"), text("normal")], &f);
    assert_eq!(keys(&t), ["bot-write-subject"]);
    let long = "x".repeat(MAX_LINE + 1);
    let again = step(t.state.clone(), &text(&long), &f);
    assert_eq!(keys(&again), ["bot-too-long", "bot-write-subject"]);
    let again = step(t.state.clone(), &text("   "), &f);
    assert_eq!(keys(&again), ["bot-empty", "bot-write-subject"]);
    let too_long = "y".repeat(MAX_TEXT + 1);
    let t = step(t.state, &text("Subject"), &f);
    assert_eq!(keys(&step(t.state, &text(&too_long), &f))[0], "bot-too-long");
}

#[test]
fn a_contract_the_person_may_not_see_cannot_be_picked() {
    let f = facts(vec![contract(1, &[]), contract(2, &[])]);
    let t = step(State::Menu, &choice("open"), &f);
    let again = step(t.state, &choice("contract:99"), &f);
    assert_eq!(keys(&again), ["bot-not-understood", "bot-pick-contract"]);
}

#[test]
fn a_refused_person_is_told_why_with_the_remedy_and_no_ticket_is_tried() {
    let trial = ContractOption {
        refusal: Some(Refusal::PlanNotPaid { plan: "Trial".into() }),
        ..contract(3, &[])
    };
    let no_whatsapp = ContractOption {
        refusal: Some(Refusal::ChannelNotInPlan {
            channel: Channel::Whatsapp,
            plan: "Lite".into(),
        }),
        ..contract(4, &[])
    };
    for contracts in [vec![trial], vec![no_whatsapp]] {
        let f = facts(contracts.clone());
        let t = step(State::Menu, &text("quiero abrir un ticket"), &f);
        assert_eq!(keys(&t), ["refusal", "bot-menu"]);
        assert_eq!(t.action, None);
        assert!(matches!(&t.say[0], Say::Refusal(r) if Some(r) == contracts[0].refusal.as_ref()));
    }
    let nothing = step(State::Menu, &choice("open"), &facts(vec![]));
    assert_eq!(keys(&nothing), ["bot-no-contracts", "bot-menu"]);
}

#[test]
fn menu_and_cancel_work_at_every_step() {
    let f = facts(vec![contract(1, &[])]);
    let states = [
        State::NewTicket(Draft::default()),
        State::Tickets,
        State::Ticket { id: 3 },
        State::Replying { id: 3 },
        State::FaqQuestion,
        State::FaqFeedback { question: "q".into() },
        State::Human { ticket: 3 },
    ];
    for state in states {
        let t = step(state.clone(), &text("Cancelar"), &f);
        assert_eq!(keys(&t), ["bot-cancelled", "bot-menu"], "{state:?}");
        assert_eq!(t.state, State::Menu);
        let t = step(state.clone(), &text("menú"), &f);
        assert_eq!(t.state, State::Menu, "{state:?}");
        assert_eq!(t.action, None);
    }
}

#[test]
fn open_tickets_are_listed_shown_and_answered() {
    let f = facts(vec![contract(1, &[])]);
    let t = step(State::Menu, &text("mis tickets"), &f);
    assert_eq!(t.action, Some(Action::ListTickets));
    let none = outcome(t.state.clone(), &Action::ListTickets, Outcome::Tickets(vec![]), &f);
    assert_eq!(keys(&none), ["bot-no-open-tickets", "bot-menu"]);
    let listed = outcome(
        t.state,
        &Action::ListTickets,
        Outcome::Tickets(vec![
            (12, "Abierto · vence 10:00 · El bot".into()),
            (15, "Pendiente · Logs".into()),
        ]),
        &f,
    );
    assert_eq!(choice_ids(&listed), ["t:12", "t:15", "menu"]);
    let t = step(listed.state, &text("#15"), &f);
    assert_eq!(t.action, Some(Action::ShowTicket(15)));
    let shown = outcome(
        t.state,
        &Action::ShowTicket(15),
        Outcome::Ticket {
            id: 15,
            lines: vec!["Pendiente".into()],
        },
        &f,
    );
    assert_eq!(shown.state, State::Ticket { id: 15 });
    let t = run(shown.state, &[choice("reply"), text("Aquí van los logs")], &f);
    assert_eq!(
        t.action,
        Some(Action::Reply {
            ticket: 15,
            text: "Aquí van los logs".into()
        })
    );
    let after = outcome(t.state, t.action.as_ref().unwrap(), Outcome::Done, &f);
    assert_eq!(keys(&after), ["bot-reply-added", "bot-ticket-next"]);
    let gone = outcome(State::Tickets, &Action::ShowTicket(99), Outcome::Gone, &f);
    assert_eq!(keys(&gone), ["bot-ticket-gone", "bot-menu"]);
}

#[test]
fn a_question_is_answered_from_the_help_center_and_can_become_a_ticket() {
    let f = facts(vec![contract(1, &[])]);
    let t = run(
        State::Menu,
        &[text("tengo una duda"), text("¿Cómo cambio el horario de atención?")],
        &f,
    );
    assert_eq!(
        t.action,
        Some(Action::SearchHelp("¿Cómo cambio el horario de atención?".into()))
    );
    let found = outcome(
        t.state,
        t.action.as_ref().unwrap(),
        Outcome::Articles(vec![(
            "Horarios".into(),
            "https://x/help/es/articles/3".into(),
            "En Ajustes.".into(),
        )]),
        &f,
    );
    assert_eq!(keys(&found), ["bot-faq-found", "bot-did-it-help"]);
    let glad = step(found.state.clone(), &text("sí, gracias"), &f);
    assert_eq!(keys(&glad), ["bot-glad", "bot-menu"]);
    let ticket = step(found.state, &text("no"), &f);
    assert_eq!(
        keys(&ticket),
        ["bot-faq-to-ticket", "bot-pick-type"],
        "the question is the subject"
    );
    let State::NewTicket(draft) = &ticket.state else {
        panic!()
    };
    assert_eq!(draft.subject.as_deref(), Some("¿Cómo cambio el horario de atención?"));
    // A question typed right at the menu goes to the help center too.
    let direct = step(State::Menu, &text("como configuro el webhook del bot"), &f);
    assert!(matches!(direct.action, Some(Action::SearchHelp(_))));
    let nothing = outcome(
        direct.state,
        direct.action.as_ref().unwrap(),
        Outcome::Articles(vec![]),
        &f,
    );
    assert_eq!(keys(&nothing), ["bot-faq-nothing"]);
}

#[test]
fn a_person_takes_over_and_every_message_goes_to_their_ticket() {
    let f = facts(vec![contract(1, &[])]);
    let t = step(State::Menu, &text("hablar con una persona"), &f);
    assert_eq!(t.action, Some(Action::Handoff));
    let human = outcome(t.state, &Action::Handoff, Outcome::Handed { ticket: 30 }, &f);
    assert_eq!(keys(&human), ["bot-human-joined"]);
    let t = step(human.state.clone(), &text("mis tickets"), &f);
    assert_eq!(
        t.action,
        Some(Action::Relay {
            ticket: 30,
            text: "mis tickets".into(),
            files: vec![]
        }),
        "with a person, words are not commands"
    );
    let t = step(
        human.state,
        &Input::File {
            id: 8,
            name: "a.pdf".into(),
        },
        &f,
    );
    assert!(matches!(t.action, Some(Action::Relay { ticket: 30, ref files, .. }) if files == &[8]));
}

#[test]
fn reports_are_shown_and_the_menu_follows() {
    let f = facts(vec![contract(1, &[])]);
    let t = step(State::Menu, &choice("reports"), &f);
    assert_eq!(t.action, Some(Action::ShowReports));
    let shown = outcome(
        t.state,
        &Action::ShowReports,
        Outcome::Reports(vec!["Tickets abiertos: 2".into()]),
        &f,
    );
    assert_eq!(keys(&shown), ["bot-reports", "bot-menu"]);
}

#[test]
fn the_state_survives_storage() {
    let f = facts(vec![contract(1, &[(2, "b")])]);
    let t = run(State::Menu, &[choice("open"), choice("bot:2"), text("tarea")], &f);
    let stored = serde_json::to_string(&t.state).unwrap();
    let back: State = serde_json::from_str(&stored).unwrap();
    assert_eq!(back, t.state);
}

fn any_input() -> impl Strategy<Value = Input> {
    prop_oneof![
        "\\PC{0,80}".prop_map(Input::Text),
        prop_oneof![
            Just("open".to_owned()),
            Just("menu".to_owned()),
            Just("confirm".to_owned()),
            Just("done".to_owned()),
            Just("reply".to_owned()),
            Just("contract:1".to_owned()),
            Just("bot:none".to_owned()),
            Just("type:task".to_owned()),
            Just("priority:low".to_owned()),
            Just("t:5".to_owned()),
            "[a-z:0-9]{0,12}",
        ]
        .prop_map(Input::Choice),
        (0i64..100).prop_map(|id| Input::File { id, name: "f".into() }),
    ]
}

proptest! {
    /// Any sequence of messages keeps the conversation in a state that asks something or
    /// waits for an action: the person is never left without an answer.
    #[test]
    fn any_conversation_always_answers(inputs in proptest::collection::vec(any_input(), 1..25)) {
        let f = facts(vec![contract(1, &[(2, "b")]), contract(3, &[])]);
        let mut state = State::Start;
        for input in &inputs {
            let t = step(state, input, &f);
            prop_assert!(!t.say.is_empty() || t.action.is_some() || matches!(t.state, State::Human { .. }), "{:?} after {:?}", t, input);
            state = match &t.action {
                // The app carries the action out; here it always succeeds plainly.
                Some(action) => outcome(t.state.clone(), action, Outcome::Done, &f).state,
                None => t.state,
            };
        }
    }
}
