//! Meta's own example payloads (crates/channels/whatsapp/) read as the bot needs them.

use super::*;

fn read(name: &str) -> Notification {
    let path = format!("{}/whatsapp/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn messages_are_read_with_their_sender_name_and_id() {
    let text = events(&read("inbound_text.json"));
    assert_eq!(
        text,
        [Event::Message {
            from: "16505551234".into(),
            name: "Sheena Nelson".into(),
            wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=".into(),
            incoming: Incoming::Text("Does it come in another color?".into()),
        }]
    );
    let Event::Message { incoming, .. } = &events(&read("inbound_button_reply.json"))[0] else {
        panic!()
    };
    assert_eq!(
        *incoming,
        Incoming::Choice {
            id: "cancel-button".into(),
            title: "Cancel".into()
        }
    );
    let Event::Message { incoming, .. } = &events(&read("inbound_list_reply.json"))[0] else {
        panic!()
    };
    assert!(matches!(incoming, Incoming::Choice { .. }));
    let Event::Message { incoming, .. } = &events(&read("inbound_image.json"))[0] else {
        panic!()
    };
    assert_eq!(
        *incoming,
        Incoming::Media {
            media_id: "1003383421387256".into(),
            mime_type: "image/jpeg".into(),
            file_name: "image.jpeg".into(),
            caption: "Taj Mahal".into()
        }
    );
    let Event::Message { incoming, .. } = &events(&read("inbound_document.json"))[0] else {
        panic!()
    };
    assert!(matches!(incoming, Incoming::Media { file_name, .. } if !file_name.is_empty()));
}

#[test]
fn statuses_are_read_with_their_failure() {
    for (file, want) in [
        ("status_sent.json", "sent"),
        ("status_delivered.json", "delivered"),
        ("status_read.json", "read"),
    ] {
        let Event::Status { status, error, .. } = &events(&read(file))[0] else {
            panic!()
        };
        assert_eq!(status, want);
        assert_eq!(error, &None);
    }
    let Event::Status { status, error, .. } = &events(&read("status_failed.json"))[0] else {
        panic!()
    };
    assert_eq!(status, "failed");
    assert_eq!(error.as_ref().map(|e| e.0), Some(131049));
}

#[test]
fn interactive_messages_keep_to_whatsapps_limits() {
    let options: Vec<(String, String)> = (0..5)
        .map(|i| (format!("o{i}"), "A very long button title indeed".into()))
        .collect();
    let b = buttons("1", "Pick", &options);
    let sent = b["interactive"]["action"]["buttons"].as_array().unwrap();
    assert_eq!(sent.len(), MAX_BUTTONS);
    assert!(
        sent.iter()
            .all(|x| x["reply"]["title"].as_str().unwrap().chars().count() <= MAX_BUTTON_TITLE)
    );
    let rows: Vec<(String, String, String)> = (0..12)
        .map(|i| (format!("r{i}"), "t".repeat(40), "d".repeat(100)))
        .collect();
    let l = list("1", "Pick", "Options", &rows);
    let sent = l["interactive"]["action"]["sections"][0]["rows"].as_array().unwrap();
    assert_eq!(sent.len(), MAX_ROWS);
    assert!(
        sent.iter()
            .all(|r| r["title"].as_str().unwrap().chars().count() <= MAX_ROW_TITLE)
    );
    assert!(
        sent.iter()
            .all(|r| r["description"].as_str().unwrap().chars().count() <= MAX_ROW_DESCRIPTION)
    );
    let t = template("1", "ticket_update", "es", &["12".into()]);
    assert_eq!(t["template"]["components"][0]["parameters"][0]["text"], "12");
}
