//! Tests of `search.rs`: what users type finds what was written, whatever the accents and endings.

use proptest::prelude::*;

use super::*;

fn matches(document: &str, query: &str, lang: Lang) -> bool {
    matches_query(document, &Query::typing(query, lang), lang)
}

fn matches_query(document: &str, q: &Query, lang: Lang) -> bool {
    let index = index_terms(document, lang);
    let found = |(i, group): (usize, &Vec<String>)| {
        let prefix = q.last_is_prefix && i + 1 == q.groups.len();
        group
            .iter()
            .any(|t| index.iter().any(|x| x == t || (prefix && x.starts_with(t.as_str()))))
    };
    !q.is_empty()
        && if q.any {
            q.groups.iter().enumerate().any(found)
        } else {
            q.groups.iter().enumerate().all(found)
        }
}

#[test]
fn spanish_finds_configuration_with_or_without_accents_and_in_other_forms() {
    let article = "Configuración del canal de WhatsApp";
    for query in [
        "configuración",
        "configuracion",
        "CONFIGURACIÓN",
        "configurar",
        "configuraciones",
        "configurado",
    ] {
        assert!(matches(article, query, Lang::Es), "{query:?} misses the article");
    }
    assert!(matches("Cómo configurar el menú", "configuracion menu", Lang::Es));
    assert!(
        matches("El formato de las imágenes", "imagen", Lang::Es),
        "where Snowball splits a word's forms"
    );
    assert!(!matches(article, "facturación", Lang::Es));
}

#[test]
fn portuguese_finds_its_inflections_without_accents() {
    let article = "Como abrir um chamado de atendimento por telefone";
    for query in ["atendimentos", "telefone", "telefones", "abrir atendimento"] {
        assert!(matches(article, query, Lang::PtBr), "{query:?}");
    }
    assert!(matches("Configuração da ligação", "configuracao ligacao", Lang::PtBr));
}

#[test]
fn a_search_needs_every_word_and_a_suggestion_any() {
    let doc = "Elegir tu idioma";
    assert!(!matches_query(doc, &Query::parse("cambiar idioma", Lang::Es), Lang::Es));
    assert!(matches_query(doc, &Query::parse("elegir idioma", Lang::Es), Lang::Es));
    assert!(matches_query(
        doc,
        &Query::typing("cambiar mi idioma", Lang::Es),
        Lang::Es
    ));
}

#[test]
fn stop_words_alone_find_nothing_and_do_not_block_a_query() {
    assert!(Query::parse("de la el", Lang::Es).is_empty());
    assert!(matches("El ticket del cliente", "el ticket de", Lang::Es));
}

#[test]
fn the_word_being_typed_matches_as_a_prefix_only_while_typing() {
    assert!(!matches_query(
        "Configuración del canal",
        &Query::parse("configu", Lang::Es),
        Lang::Es
    ));
    assert!(matches("Configuración del canal", "configu", Lang::Es));
    assert!(
        !matches("Configuración del canal", "configu ", Lang::Es),
        "a finished word is whole"
    );
    assert!(!matches("Canal", "xyz", Lang::Es));
}

#[test]
fn a_match_in_the_title_outranks_one_in_the_body_and_more_matches_rank_higher() {
    let q = Query::parse("pago tarjeta", Lang::Es);
    let titled = score(&q, "Pagos con tarjeta", "Cómo se cobra.", Lang::Es);
    let body_only = score(&q, "Cobros", "El pago con tarjeta se cobra.", Lang::Es);
    let once = score(&q, "Cobros", "El pago se cobra.", Lang::Es);
    assert!(titled > body_only && body_only > once, "{titled} {body_only} {once}");
    assert_eq!(score(&q, "Otra cosa", "Nada que ver.", Lang::Es), 0.0);
}

#[test]
fn snippets_mark_the_words_that_matched() {
    let text = "Para empezar, abra el menú. Luego elija Configuración y después Canales para ver el estado.";
    let q = Query::parse("configurar canales", Lang::Es);
    let pieces = snippet(text, &q, Lang::Es, 200);
    let hits: Vec<&str> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Hit(w) => Some(w.as_str()),
            Piece::Text(_) => None,
        })
        .collect();
    assert_eq!(hits, ["Configuración", "Canales"]);
    let joined: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Hit(w) | Piece::Text(w) => w.as_str(),
        })
        .collect();
    assert_eq!(joined, text);
}

#[test]
fn long_texts_are_cut_around_the_first_match_on_character_boundaries() {
    let text = format!("{} teléfono {}", "ñandú ".repeat(200), "ç".repeat(500));
    let q = Query::parse("telefono", Lang::Es);
    let pieces = snippet(&text, &q, Lang::Es, 80);
    assert!(pieces.contains(&Piece::Hit("teléfono".into())));
    assert_eq!(pieces.first(), Some(&Piece::Text("…".into())));
    assert_eq!(pieces.last(), Some(&Piece::Text("…".into())));
}

proptest! {
    /// Folding is idempotent and never leaves an accent or a capital behind.
    #[test]
    fn folding_is_stable(s in "\\PC{0,40}") {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone());
        prop_assert!(once.chars().all(|c| !is_combining_mark(c)));
    }

    /// A document always finds itself through any of its own (non-stop) words, in any case and
    /// with or without accents.
    #[test]
    fn a_document_finds_itself(words in proptest::collection::vec("[a-záéíóúãõçñ]{3,12}", 1..6), pick in 0usize..6) {
        let doc = words.join(" ");
        let word = &words[pick % words.len()];
        for lang in Lang::ALL {
            if !Query::parse(word, lang).is_empty() {
                prop_assert!(matches(&doc, &word.to_uppercase(), lang), "{} in {:?}", word, lang);
                prop_assert!(matches(&doc, &fold(word), lang), "{} folded in {:?}", word, lang);
            }
        }
    }
}
