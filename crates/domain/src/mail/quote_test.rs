use proptest::prelude::*;

use super::*;

#[test]
fn our_marker_cuts_the_history() {
    let text = format!(
        "Thanks, it works now.\n\n{}\n\nAgent wrote: try again",
        reply_marker("Write above this line")
    );
    assert_eq!(new_text(&text), "Thanks, it works now.");
    let quoted = format!("Gracias!\n> {}\n> old", reply_marker("Escriba arriba"));
    assert_eq!(new_text(&quoted), "Gracias!");
}

#[test]
fn attributions_in_three_languages() {
    for text in [
        "Yes, please.\n\nOn Tue, 3 Nov 2026 at 10:00, Support <help@x.example> wrote:\n> Shall we close it?",
        "Sí, por favor.\n\nEl mar, 3 nov 2026 a las 10:00, Soporte <help@x.example> escribió:\n> ¿Lo cerramos?",
        "Sim, por favor.\n\nEm ter., 3 de nov. de 2026 às 10:00, Suporte <help@x.example>\nescreveu:\n> Fechamos?",
    ] {
        let first = text.lines().next().unwrap();
        assert_eq!(new_text(text), first, "{text}");
    }
}

#[test]
fn outlook_headers_signatures_and_bare_quotes() {
    assert_eq!(
        new_text("Done.\n\n-----Original Message-----\nFrom: help@x.example\nSent: today"),
        "Done."
    );
    assert_eq!(
        new_text("Done.\n\nFrom: Support <help@x.example>\nSent: today"),
        "Done."
    );
    assert_eq!(new_text("See you.\n-- \nAna\nAcme Ltd."), "See you.");
    assert_eq!(new_text("Ok\n\n> earlier\n> more"), "Ok");
    assert_eq!(new_text("> only a quote"), "> only a quote");
}

#[test]
fn the_line_a_phone_adds_goes_but_a_sentence_mentioning_it_stays() {
    assert_eq!(
        new_text("Recebi, obrigada.\n\nEnviado do meu iPhone\n\n> Em 3 de nov., Suporte escreveu:"),
        "Recebi, obrigada."
    );
    assert_eq!(new_text("Listo.\nEnviado desde mi Android"), "Listo.");
    assert_eq!(new_text("Ok\n\nGet Outlook for iOS"), "Ok");
    assert_eq!(
        new_text("Sent from my iPhone the app crashes every time."),
        "Sent from my iPhone the app crashes every time."
    );
}

#[test]
fn inline_answers_between_quotes_are_kept() {
    let text = "> Does it fail every time?\nOnly on Mondays.\n> Which version?\n3.2";
    assert_eq!(
        new_text(text),
        "> Does it fail every time?\nOnly on Mondays.\n> Which version?\n3.2"
    );
}

proptest! {
    #[test]
    fn the_new_text_is_never_empty_for_nonblank_input(text in ".{0,200}") {
        let kept = new_text(&text);
        prop_assert_eq!(kept.is_empty(), text.trim().is_empty());
    }
}
