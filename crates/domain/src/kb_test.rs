//! Tests of `kb.rs`.

use super::*;

#[test]
fn slugs_are_readable_and_ascii() {
    assert_eq!(slug("¿Cómo abro un ticket?"), "como-abro-un-ticket");
    assert_eq!(slug("Configuração do WhatsApp"), "configuracao-do-whatsapp");
    assert_eq!(slug("¡¡!!"), "article");
    assert!(slug(&"palabra ".repeat(40)).len() <= 80);
}
