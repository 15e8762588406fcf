//! Tests of `kb.rs`.

use super::*;

#[test]
fn markdown_is_rendered_and_scripts_are_removed() {
    let html = render(
        "# Hola\n\n**Abra** el [portal](https://example.com) <script>alert(1)</script><img src=x onerror=alert(2)>",
    );
    assert!(
        html.contains("<h1>Hola</h1>") && html.contains("<strong>Abra</strong>"),
        "{html}"
    );
    assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
    let js = render("[clic](javascript:alert(1))");
    assert!(!js.contains("javascript:"), "{js}");
}

#[test]
fn the_default_help_has_every_article_in_every_language() {
    let keys = |source: &str| -> Vec<String> { parse_default_help(source).iter().map(|a| a.0.to_owned()).collect() };
    let english = keys(DEFAULT_HELP[2].1);
    assert_eq!(english.len(), 8, "{english:?}");
    for (lang, source) in DEFAULT_HELP {
        assert_eq!(keys(source), english, "{lang} has the same articles in the same order");
        for (_, _, _, title, answer, body) in parse_default_help(source) {
            assert!(
                !title.is_empty() && !answer.is_empty() && body.len() > 200,
                "{lang}: {title}"
            );
        }
    }
}

#[test]
fn plain_text_keeps_the_words_only() {
    let md = "# Título\n\nAbra el **portal** y vea [la guía](https://example.com/g).\n\n- uno\n- dos";
    assert_eq!(plain_text(md), "Título\nAbra el portal y vea la guía.\nuno\ndos");
}
