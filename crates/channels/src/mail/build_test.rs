use super::*;
use crate::mail::parse;

fn reply() -> Outgoing {
    Outgoing {
        from_name: "Acme Support".into(),
        from: "support@support.example".into(),
        to: vec!["ana@acme.example".into()],
        reply_to: Some("support@support.example".into()),
        subject: "[#12] Re: Sin acceso al panel".into(),
        text: "Hola Ana,\n\nYa puede entrar de nuevo.".into(),
        html: Some("<p>Hola Ana,</p><p>Ya puede entrar de nuevo.</p>".into()),
        message_id: "atende.t12.m40.x1@support.example".into(),
        in_reply_to: Some("CAF-1@mail.acme.example".into()),
        references: vec![
            "CAF-1@mail.acme.example".into(),
            "atende.t12.m39.x0@support.example".into(),
        ],
        auto_submitted: false,
        unsubscribe: None,
        attachments: vec![OutgoingAttachment {
            name: "informe.pdf".into(),
            content_type: "application/pdf".into(),
            data: b"%PDF-1.4 fake".to_vec(),
        }],
    }
}

#[test]
fn what_we_build_parses_back_with_its_threading_headers() {
    let (raw, envelope) = build(&reply()).unwrap();
    assert_eq!(envelope.to().len(), 1);
    let mail = parse(&raw).unwrap();
    assert_eq!(mail.message_id.as_deref(), Some("atende.t12.m40.x1@support.example"));
    assert_eq!(mail.in_reply_to, vec!["CAF-1@mail.acme.example"]);
    assert_eq!(
        mail.references,
        vec!["CAF-1@mail.acme.example", "atende.t12.m39.x0@support.example"]
    );
    assert_eq!(mail.subject, "[#12] Re: Sin acceso al panel");
    assert!(mail.text.contains("Ya puede entrar de nuevo."), "{}", mail.text);
    assert!(mail.html.as_deref().unwrap_or_default().contains("<p>Hola Ana,</p>"));
    assert_eq!(mail.attachments.len(), 1);
    assert_eq!(mail.attachments[0].name, "informe.pdf");
    assert_eq!(mail.attachments[0].data, b"%PDF-1.4 fake");
}

#[test]
fn automated_answers_say_so() {
    let mut out = reply();
    out.auto_submitted = true;
    out.html = None;
    out.attachments.clear();
    let (raw, _) = build(&out).unwrap();
    let mail = parse(&raw).unwrap();
    let headers = mail.header_pairs();
    assert_eq!(
        atende_domain::mail::header(&headers, "auto-submitted"),
        Some("auto-replied")
    );
    assert_eq!(
        atende_domain::mail::classify(&headers, &mail.from, "other.example"),
        atende_domain::mail::Noise::AutoReply
    );
}

#[test]
fn a_bad_address_is_an_error_not_a_panic() {
    let mut out = reply();
    out.to = vec!["not an address".into()];
    assert!(matches!(build(&out), Err(BuildError::Address(_))));
}
