use super::*;

#[test]
fn a_plain_message_gives_its_parts() {
    let raw = b"From: Ana Souza <Ana@Acme.example>\r\nTo: support@support.example\r\nCc: Bia <bia@acme.example>\r\nSubject: =?UTF-8?Q?Sin_acceso_=E2=80=94_urgente?=\r\nMessage-ID: <CAF-1@mail.acme.example>\r\nIn-Reply-To: <atende.t3.m1.a@support.example>\r\nReferences: <x@y> <atende.t3.m1.a@support.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHola, no puedo entrar.\r\n";
    let mail = parse(raw).unwrap();
    assert_eq!(mail.from, "ana@acme.example");
    assert_eq!(mail.from_name.as_deref(), Some("Ana Souza"));
    assert_eq!(mail.cc, vec!["bia@acme.example"]);
    assert_eq!(mail.subject, "Sin acceso — urgente");
    assert_eq!(mail.message_id.as_deref(), Some("CAF-1@mail.acme.example"));
    assert_eq!(mail.in_reply_to, vec!["atende.t3.m1.a@support.example"]);
    assert_eq!(mail.references, vec!["x@y", "atende.t3.m1.a@support.example"]);
    assert_eq!(mail.text.trim(), "Hola, no puedo entrar.");
    assert!(mail.html.is_none());
}

#[test]
fn garbage_is_not_a_message() {
    assert!(parse(b"").is_none());
}

#[test]
fn control_characters_hidden_in_encoded_words_are_dropped() {
    let raw = b"From: =?utf-8?q?Ana=00=07?= <ana@acme.example>\r\nSubject: =?utf-8?q?Hola=00=1Bmundo=09fin?=\r\nMessage-ID: <a=00b@x>\r\n\r\nhi";
    let mail = parse(raw).unwrap();
    assert_eq!(mail.subject, "Holamundo fin");
    assert_eq!(mail.from_name.as_deref(), Some("Ana"));
}
