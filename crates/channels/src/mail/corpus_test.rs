//! Real-world-shaped messages (`corpus/*.eml`): each is parsed and taken through the rules the
//! inbound path applies, without a panic, with what a reader would expect of it.

use std::path::PathBuf;

use atende_domain::mail::{
    Noise, classify, new_text, sender_authenticated, threading::SubjectTag, threading::referenced_ids,
};

use super::parse::{InboundMail, parse};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Everything the inbound path asks of a message, as `app::mail::inbound` does.
struct Taken {
    mail: InboundMail,
    noise: Noise,
    shown: String,
    vouched: bool,
    refs: Vec<String>,
    tag: Option<i64>,
}

fn take(raw: &[u8]) -> Option<Taken> {
    let mail = parse(raw)?;
    let headers = mail.header_pairs();
    let noise = classify(&headers, &mail.from, "atende.test");
    let shown = new_text(&mail.text);
    let vouched = sender_authenticated(&headers, &["mx.atende.test".to_owned()], &mail.from);
    let refs = referenced_ids(&mail.in_reply_to, &mail.references);
    let tag = SubjectTag::default().find(&mail.subject);
    drop(headers);
    Some(Taken {
        mail,
        noise,
        shown,
        vouched,
        refs,
        tag,
    })
}

struct Expect {
    file: &'static str,
    from: &'static str,
    subject: &'static str,
    /// What the ticket shows: the new text, quotes and signatures cut.
    shown: &'static str,
    files: &'static [&'static str],
    noise: Noise,
    tag: Option<i64>,
}

const fn person(
    file: &'static str,
    from: &'static str,
    subject: &'static str,
    shown: &'static str,
    files: &'static [&'static str],
) -> Expect {
    Expect {
        file,
        from,
        subject,
        shown,
        files,
        noise: Noise::Person,
        tag: None,
    }
}

const EXPECTED: &[Expect] = &[
    person(
        "01-plain-ascii.eml",
        "ana@acme.example",
        "The bot stopped answering",
        "Since this morning our bot does not answer on WhatsApp.\nCan you check it?\n\nAna",
        &[],
    ),
    person(
        "02-utf8-8bit.eml",
        "bruno@acme.example",
        "Configuración del menú",
        "¿Cómo cambio la opción del menú principal? Ya probé todo.",
        &[],
    ),
    person(
        "03-qp-utf8.eml",
        "carla@acme.example",
        "Integração com CRM",
        "Olá equipe, a integração com o CRM está falhando desde a atualização de ontem às 18h. Segue o log em anexo quando possível.",
        &[],
    ),
    person(
        "04-base64-utf8.eml",
        "diego@acme.example",
        "Reporte mensual",
        "Necesito el reporte de conversaciones de octubre, por favor. Gracias — Diego",
        &[],
    ),
    person(
        "05-latin1-qp.eml",
        "eva@acme.example",
        "Sessão expirada",
        "Bom dia, a sessão expirou e não consigo entrar. Atenção: é urgente.",
        &[],
    ),
    person(
        "06-windows1252-8bit.eml",
        "gabriel@globex.example",
        "Invoice question",
        "The invoice says “Enterprise” but we pay € 1.200 – why?",
        &[],
    ),
    person(
        "07-encoded-words-b.eml",
        "jose@acme.example",
        "¿Por qué no llegan los mensajes?",
        "Hola.",
        &[],
    ),
    person(
        "08-encoded-words-q-latin1.eml",
        "eva@acme.example",
        "Relatório de atendimento - outubro",
        "Preciso do relatorio.",
        &[],
    ),
    person(
        "09-multipart-alternative.eml",
        "ana@acme.example",
        "Template rejected",
        "Our WhatsApp template was rejected again.",
        &[],
    ),
    person(
        "10-html-only-with-script.eml",
        "ana@acme.example",
        "HTML only",
        "The dashboard is blank.\nclick",
        &[],
    ),
    person(
        "11-nested-mixed-alternative-attachment.eml",
        "bruno@acme.example",
        "Contrato firmado",
        "Adjunto el contrato firmado.",
        &["contrato.pdf"],
    ),
    person(
        "12-related-inline-image.eml",
        "carla@acme.example",
        "Screenshot of the error",
        "See the error:",
        &["image001.png"],
    ),
    Expect {
        tag: Some(42),
        ..person(
            "13-outlook-reply.eml",
            "gabriel@globex.example",
            "RE: [#42] Webhook timeouts",
            "It still times out after the change.\n\nGabriel Lima\nGlobex",
            &[],
        )
    },
    Expect {
        tag: Some(7),
        ..person(
            "14-gmail-reply-es.eml",
            "ana@acme.example",
            "Re: [#7] El bot no responde",
            "Sí, ya funciona. Gracias.",
            &[],
        )
    },
    Expect {
        tag: Some(9),
        ..person(
            "15-apple-mail-reply-pt.eml",
            "carla@acme.example",
            "Re: [#9] Relatório",
            "Obrigada, recebi o relatório.",
            &[],
        )
    },
    person(
        "16-winmail-dat.eml",
        "gabriel@globex.example",
        "Meeting notes",
        "Notes attached.",
        &["winmail.dat"],
    ),
    person(
        "17-forwarded-rfc822.eml",
        "bruno@acme.example",
        "Fwd: Payment failed",
        "See the message below from our bank.",
        &["Payment failed.eml"],
    ),
    Expect {
        noise: Noise::AutoReply,
        tag: Some(7),
        ..person(
            "18-out-of-office.eml",
            "ana@acme.example",
            "Automatic reply: [#7] El bot no responde",
            "Estoy de vacaciones hasta el lunes.",
            &[],
        )
    },
    Expect {
        noise: Noise::Bounce,
        ..person(
            "19-bounce-dsn.eml",
            "mailer-daemon@mx.acme.example",
            "Undelivered Mail Returned to Sender",
            "I'm sorry to have to inform you that your message could not be delivered.",
            &["attachment-1"],
        )
    },
    Expect {
        noise: Noise::List,
        ..person(
            "20-mailing-list.eml",
            "news@vendor.example",
            "Our November newsletter",
            "News of the month.",
            &[],
        )
    },
    person(
        "21-authenticated-dkim.eml",
        "lia@newcustomer.example",
        "Quiero contratar",
        "¿Qué plan incluye soporte por correo?",
        &[],
    ),
    person("22-malformed-no-from.eml", "", "No sender here", "Who sent this?", &[]),
    person(
        "23-malformed-headers.eml",
        "ana@acme.example",
        "Broken headers",
        "Body after broken headers.",
        &[],
    ),
    person(
        "24-malformed-unterminated-multipart.eml",
        "ana@acme.example",
        "Cut off",
        "The first part arrived.",
        &["data.bin"],
    ),
    // Undecodable base64 is shown as it came rather than lost.
    person(
        "25-malformed-bad-base64.eml",
        "ana@acme.example",
        "Bad base64",
        "SGVsbG8g!!!not base64***d29ybGQ=",
        &[],
    ),
    person(
        "26-unknown-charset.eml",
        "ana@acme.example",
        "Strange charset",
        "Plain words in an unknown charset.",
        &[],
    ),
    person(
        "27-lf-only.eml",
        "ana@acme.example",
        "Bare line feeds",
        "Written by a script with bare LF endings.",
        &[],
    ),
    person(
        "28-folded-subject.eml",
        "ana@acme.example",
        "A very long subject line that a mail program folded over two lines and then a third one",
        "Folded.",
        &[],
    ),
    Expect {
        tag: Some(42),
        ..person(
            "29-references-many.eml",
            "ana@acme.example",
            "Re: Re: Fwd: [#42] Webhook timeouts",
            "Adding Bruno and Carla.",
            &[],
        )
    },
    person(
        "30-rfc2231-filename.eml",
        "diego@acme.example",
        "Informe",
        "Va el informe.",
        &["informe año 2026.pdf"],
    ),
    person("31-headers-only.eml", "ana@acme.example", "Only a subject", "", &[]),
    person(
        "32-calendar-invite.eml",
        "bruno@acme.example",
        "Invitation: onboarding call",
        "Onboarding call on Friday.",
        &["invite.ics"],
    ),
];

#[test]
fn every_message_of_the_corpus_reads_as_a_person_would_read_it() {
    let corpus = corpus();
    assert!(corpus.len() >= 30, "the corpus has {} messages", corpus.len());
    let names: Vec<&str> = EXPECTED.iter().map(|e| e.file).collect();
    for (name, _) in &corpus {
        assert!(names.contains(&name.as_str()), "{name} has no expectation");
    }
    for expect in EXPECTED {
        let raw = &corpus
            .iter()
            .find(|(name, _)| name == expect.file)
            .unwrap_or_else(|| panic!("{} is missing", expect.file))
            .1;
        let Taken {
            mail,
            noise,
            shown,
            tag,
            ..
        } = take(raw).unwrap_or_else(|| panic!("{} unreadable", expect.file));
        let file = expect.file;
        assert_eq!(mail.from, expect.from, "{file}");
        assert_eq!(mail.subject, expect.subject, "{file}");
        assert_eq!(shown, expect.shown, "{file}");
        let files: Vec<&str> = mail.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(files, expect.files, "{file}");
        assert_eq!(noise, expect.noise, "{file}");
        assert_eq!(tag, expect.tag, "{file}");
        if let Some(html) = &mail.html {
            let lower = html.to_lowercase();
            assert!(
                !lower.contains("<script") && !lower.contains("javascript:") && !lower.contains("onclick"),
                "{file}: {html}"
            );
        }
    }
}

#[test]
fn references_and_copies_are_read_in_every_form() {
    let corpus = corpus();
    let read = |file: &str| take(&corpus.iter().find(|(n, _)| n == file).unwrap().1).unwrap();
    let Taken { mail, refs, .. } = read("29-references-many.eml");
    assert_eq!(mail.cc, ["bruno@acme.example", "carla@acme.example"]);
    assert_eq!(
        refs,
        [
            "third@acme.example",
            "atende.t42.0011223344556677@atende.test",
            "first@acme.example"
        ],
        "the nearest first, folded lines unfolded"
    );
    assert!(
        read("21-authenticated-dkim.eml").vouched,
        "a DKIM pass for the From domain by our receiving server vouches for the sender"
    );
    let mail = read("23-malformed-headers.eml").mail;
    assert_eq!(mail.message_id.as_deref(), Some("not-in-angle-brackets@acme.example"));
    let mail = read("10-html-only-with-script.eml").mail;
    assert!(mail.html.unwrap().contains("<i>blank</i>"), "harmless markup stays");
}

/// What holds of any message the inbound path takes, however broken.
fn assert_sane(raw: &[u8]) {
    let Some(Taken { mail, shown, refs, .. }) = take(raw) else {
        return;
    };
    assert_eq!(mail.from, mail.from.trim().to_lowercase());
    let controls = |s: &str| s.chars().any(char::is_control);
    assert!(
        !controls(&mail.from) && !controls(&mail.subject),
        "{:?} {:?}",
        mail.from,
        mail.subject
    );
    assert!(mail.message_id.as_deref().is_none_or(|id| !controls(id)));
    assert!(mail.to.iter().chain(&mail.cc).all(|a| !controls(a)));
    assert!(mail.subject.chars().count() <= 500);
    assert!(mail.text.chars().count() <= super::parse::MAX_TEXT);
    if !mail.text.trim().is_empty() {
        assert!(!shown.trim().is_empty(), "a message with words shows words");
    }
    assert!(refs.iter().all(|id| !id.is_empty() && !id.contains(['<', '>'])));
    if let Some(html) = &mail.html {
        assert!(!html.to_lowercase().contains("<script"));
    }
}

mod properties {
    use proptest::prelude::*;

    use super::{assert_sane, corpus};

    const HEADERS: &[&str] = &[
        "From",
        "To",
        "Cc",
        "Subject",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Auto-Submitted",
        "Precedence",
        "Authentication-Results",
        "List-Id",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
            assert_sane(&raw);
        }

        #[test]
        fn broken_copies_of_real_messages_never_panic(
            index in 0usize..64,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..24),
            keep in any::<prop::sample::Index>(),
        ) {
            let corpus = corpus();
            let mut raw = corpus[index % corpus.len()].1.clone();
            for (at, byte) in edits {
                if !raw.is_empty() {
                    let i = at.index(raw.len());
                    raw[i] = byte;
                }
            }
            let len = raw.len();
            raw.truncate(keep.index(len + 1));
            assert_sane(&raw);
        }

        #[test]
        fn any_mix_of_headers_never_panics(
            lines in proptest::collection::vec((0usize..13, "[ -~\u{a0}-\u{17f}\t\u{0}\u{7}\u{1b}]{0,120}"), 0..20),
            body in "(?s).{0,400}",
        ) {
            let mut raw = String::new();
            for (name, value) in lines {
                raw.push_str(HEADERS[name]);
                raw.push_str(": ");
                raw.push_str(&value);
                raw.push_str("\r\n");
            }
            raw.push_str("\r\n");
            raw.push_str(&body);
            assert_sane(raw.as_bytes());
        }
    }
}
