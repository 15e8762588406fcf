use proptest::prelude::*;

use super::*;

/// How customers actually write, in the three languages: typos, missing accents, mixed case,
/// emojis, greetings around the request.
const CORPUS: &[(&str, Intent)] = &[
    // Spanish
    ("Quiero abrir un ticket", Intent::OpenTicket),
    ("abrir ticket", Intent::OpenTicket),
    ("ABRIR UN TIKET", Intent::OpenTicket),
    ("nuevo ticket por favor", Intent::OpenTicket),
    ("tengo un problema con el bot 😡", Intent::OpenTicket),
    ("hola, quiero reportar un problema", Intent::OpenTicket),
    ("crear un tícket", Intent::OpenTicket),
    ("reportar una falla", Intent::OpenTicket),
    ("necesito abrir un tiket urgente", Intent::OpenTicket),
    ("mis tickets", Intent::MyTickets),
    ("Mis tikets abiertos", Intent::MyTickets),
    ("ver mis tickets", Intent::MyTickets),
    ("como va mi ticket?", Intent::MyTickets),
    ("estado de mi tiket", Intent::MyTickets),
    ("quiero ver el estado del ticket", Intent::MyTickets),
    ("seguimiento", Intent::MyTickets),
    ("tengo una duda", Intent::Faq),
    ("preguntas frecuentes", Intent::Faq),
    ("ayuda", Intent::Faq),
    ("Ayudaaa", Intent::Faq),
    ("una pregunta", Intent::Faq),
    ("dudas", Intent::Faq),
    ("reportes", Intent::Reports),
    ("quiero ver mis reportes 📊", Intent::Reports),
    ("estadisticas", Intent::Reports),
    ("métricas del bot", Intent::Reports),
    ("informe", Intent::Reports),
    ("hablar con una persona", Intent::Human),
    ("quiero hablar con un agente", Intent::Human),
    ("HUMANO", Intent::Human),
    ("operador por favor", Intent::Human),
    ("hablar con alguien", Intent::Human),
    ("menu", Intent::Menu),
    ("Menú principal", Intent::Menu),
    ("hola", Intent::Menu),
    ("Hola! 👋", Intent::Menu),
    ("buenos dias", Intent::Menu),
    ("volver", Intent::Menu),
    ("cancelar", Intent::Cancel),
    ("Cancelar!!", Intent::Cancel),
    ("salir", Intent::Cancel),
    ("canselar", Intent::Cancel),
    ("sí", Intent::Yes),
    ("si, gracias", Intent::Yes),
    ("claro", Intent::Yes),
    ("no", Intent::No),
    ("no me ayudó", Intent::No),
    ("listo", Intent::Done),
    ("eso es todo", Intent::Done),
    // Portuguese
    ("quero abrir um chamado", Intent::OpenTicket),
    ("abrir chamado", Intent::OpenTicket),
    ("Novo chamado", Intent::OpenTicket),
    ("criar um ticket", Intent::OpenTicket),
    ("tenho um problema no whatsapp", Intent::OpenTicket),
    ("abrir chmado", Intent::OpenTicket),
    ("relatar problema", Intent::OpenTicket),
    ("meus chamados", Intent::MyTickets),
    ("Meus tickets", Intent::MyTickets),
    ("status do chamado", Intent::MyTickets),
    ("ver chamados abertos", Intent::MyTickets),
    ("acompanhar chamado", Intent::MyTickets),
    ("meus chamdos", Intent::MyTickets),
    ("tenho uma dúvida", Intent::Faq),
    ("duvida", Intent::Faq),
    ("ajuda", Intent::Faq),
    ("perguntas frequentes", Intent::Faq),
    ("preciso de ajuda 🙏", Intent::Faq),
    ("relatórios", Intent::Reports),
    ("relatorio", Intent::Reports),
    ("ver estatísticas", Intent::Reports),
    ("indicadores", Intent::Reports),
    ("falar com atendente", Intent::Human),
    ("quero falar com uma pessoa", Intent::Human),
    ("Atendente!", Intent::Human),
    ("falar com alguém", Intent::Human),
    ("oi", Intent::Menu),
    ("Olá", Intent::Menu),
    ("bom dia!", Intent::Menu),
    ("menu", Intent::Menu),
    ("voltar", Intent::Menu),
    ("cancelar", Intent::Cancel),
    ("sair", Intent::Cancel),
    ("parar", Intent::Cancel),
    ("sim", Intent::Yes),
    ("Sim, obrigado", Intent::Yes),
    ("ajudou", Intent::Yes),
    ("não", Intent::No),
    ("nao ajudou", Intent::No),
    ("pronto", Intent::Done),
    ("terminei", Intent::Done),
    // English
    ("I want to open a ticket", Intent::OpenTicket),
    ("open ticket", Intent::OpenTicket),
    ("New Ticket", Intent::OpenTicket),
    ("report a problem", Intent::OpenTicket),
    ("i have a problem", Intent::OpenTicket),
    ("opne a ticket", Intent::OpenTicket),
    ("create ticket pls", Intent::OpenTicket),
    ("raise a ticket", Intent::OpenTicket),
    ("my tickets", Intent::MyTickets),
    ("My Tickets 🎫", Intent::MyTickets),
    ("check my tickets", Intent::MyTickets),
    ("ticket status", Intent::MyTickets),
    ("what is the status of my ticket", Intent::MyTickets),
    ("my tikcets", Intent::MyTickets),
    ("I have a question", Intent::Faq),
    ("help", Intent::Faq),
    ("FAQ", Intent::Faq),
    ("questions", Intent::Faq),
    ("help me please", Intent::Faq),
    ("reports", Intent::Reports),
    ("show me the metrics", Intent::Reports),
    ("statistics", Intent::Reports),
    ("dashboard", Intent::Reports),
    ("talk to a person", Intent::Human),
    ("human please", Intent::Human),
    ("I want a real person", Intent::Human),
    ("agent", Intent::Human),
    ("talk to support", Intent::Human),
    ("hi", Intent::Menu),
    ("Hello!", Intent::Menu),
    ("main menu", Intent::Menu),
    ("start", Intent::Menu),
    ("cancel", Intent::Cancel),
    ("stop", Intent::Cancel),
    ("quit", Intent::Cancel),
    ("yes", Intent::Yes),
    ("ok thanks", Intent::Yes),
    ("nope", Intent::No),
    ("it did not help", Intent::No),
    ("done", Intent::Done),
    ("that's all", Intent::Done),
];

#[test]
fn the_corpus_reaches_the_right_intent() {
    assert!(CORPUS.len() >= 100, "{} phrasings", CORPUS.len());
    let wrong: Vec<String> = CORPUS
        .iter()
        .filter(|(text, want)| understand(text) != Some(*want))
        .map(|(text, want)| format!("{text:?}: wanted {want:?}, got {:?}", understand(text)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        CORPUS.len(),
        wrong.join("\n")
    );
}

#[test]
fn a_description_that_mentions_a_command_word_is_not_a_command() {
    for text in [
        "Since yesterday the bot does not answer in WhatsApp and our customers cannot open a ticket with us",
        "El webhook responde error 500 cuando el cliente escribe hola en el canal de WhatsApp del bot",
        "Depois da atualização o menu do bot sumiu e os clientes não conseguem escolher nenhuma opção",
    ] {
        assert_eq!(understand(text), None, "{text}");
    }
}

#[test]
fn languages_are_named_in_any_of_the_three() {
    assert_eq!(language("Español"), Some(Lang::Es));
    assert_eq!(language("portugues"), Some(Lang::PtBr));
    assert_eq!(language("English please"), Some(Lang::En));
    assert_eq!(language("klingon"), None);
}

#[test]
fn options_are_picked_by_number() {
    assert_eq!(number("2"), Some(2));
    assert_eq!(number("2."), Some(2));
    assert_eq!(number("opción 3"), Some(3));
    assert_eq!(number("#1"), Some(1));
    assert_eq!(number("ticket 12 and 13"), None);
    assert_eq!(number("hola"), None);
}

#[test]
fn one_typo_is_forgiven_in_long_words_only() {
    assert!(alike("chmado", "chamado"));
    assert!(alike("tikcets", "tickets"));
    assert!(alike("ticket", "tickets"));
    assert!(!alike("si", "oi"), "short words must be exact");
    assert!(!alike("ticketzz", "tickets"));
}

proptest! {
    /// Whatever arrives, understanding never panics and reads no more than it is given.
    #[test]
    fn any_text_is_read_without_panicking(text in "\\PC{0,300}") {
        let _ = understand(&text);
        let _ = language(&text);
        let _ = number(&text);
    }
}
