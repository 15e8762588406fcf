//! The changelog: staff publish entries in several languages; everyone reads the published ones
//! in their language, as pages, JSON and an Atom feed.

use std::io::Write;

use serde_json::json;

use crate::helpers::TestApp;

/// Parses XML with an independent parser (Python's), returning the Atom elements found.
fn atom_elements(xml: &str) -> String {
    let script = r#"
import sys, xml.etree.ElementTree as ET
ns = {'a': 'http://www.w3.org/2005/Atom'}
root = ET.fromstring(sys.stdin.read())
print('feed', root.find('a:id', ns).text, root.find('a:title', ns).text, root.find('a:updated', ns).text)
for e in root.findall('a:entry', ns):
    print('entry', e.find('a:id', ns).text, e.find('a:title', ns).text, e.find('a:updated', ns).text, e.find('a:content', ns).get('type'))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(xml.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "not valid Atom XML:\n{xml}");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn entries_are_read_in_the_readers_language_and_drafts_stay_inside() {
    let app = TestApp::spawn().await;
    let agent = app.client("agent@atende.example").await;
    let customer = app.client("ana@acme.example").await;
    let entry = json!({
        "published_on": "2026-11-20",
        "tags": ["fixed", "new"],
        "published": true,
        "translations": [
            {"lang": "es", "title": "Respuestas por correo", "body": "Ahora puedes **responder** por correo."},
            {"lang": "en", "title": "Replies by e-mail", "body": "You can now **reply** by e-mail. <script>alert(1)</script>"},
        ],
    });
    customer
        .post("/api/v1/changelog", entry.clone())
        .await
        .assert_status(403);
    agent.post("/api/v1/changelog", entry).await.assert_status(201);
    agent
        .post(
            "/api/v1/changelog",
            json!({"published_on": "2026-11-24", "translations": [{"lang": "en", "title": "Secret plan", "body": "Not yet."}]}),
        )
        .await
        .assert_status(201);
    agent
        .post(
            "/api/v1/changelog",
            json!({"published_on": "2026-11-24", "translations": [
                {"lang": "en", "title": "A", "body": "a"}, {"lang": "en", "title": "B", "body": "b"}]}),
        )
        .await
        .assert_status(422);

    let public = app.anonymous().get("/api/v1/changelog").await.body.clone();
    let titles: Vec<String> = public
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["translations"][0]["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles, ["Replies by e-mail"], "drafts are staff-only");
    assert_eq!(public[0]["tags"], json!(["new", "fixed"]));
    assert_eq!(agent.get("/api/v1/changelog").await.body.as_array().unwrap().len(), 2);

    let visitor = app.visitor();
    let spanish = visitor.get("/changelog/es").await;
    spanish
        .assert_contains("Respuestas por correo")
        .assert_contains("<strong>responder</strong>")
        .assert_contains("Corregido");
    assert!(!spanish.html.contains("Secret plan"));
    // No Portuguese text: another language is shown, and says which.
    visitor
        .get("/changelog/pt-BR")
        .await
        .assert_contains("Replies by e-mail")
        .assert_contains("lang=\"en\"");

    let feed = app.anonymous().get("/changelog/en.atom").await;
    assert_eq!(feed.headers["content-type"], "application/atom+xml; charset=utf-8");
    let elements = atom_elements(feed.body.as_str().unwrap());
    assert!(elements.starts_with("feed "), "{elements}");
    let entries: Vec<&str> = elements.lines().filter(|l| l.starts_with("entry ")).collect();
    assert_eq!(entries.len(), 1, "{elements}");
    assert!(
        entries[0].contains("Replies by e-mail") && entries[0].ends_with(" html"),
        "{elements}"
    );
    assert!(
        !feed.body.as_str().unwrap().contains("<script>"),
        "sanitized, then escaped"
    );
}

#[tokio::test]
async fn agents_write_and_publish_entries_from_their_page() {
    let app = TestApp::spawn().await;
    let agent = app.browser("agent@atende.example").await;
    agent.get("/agent/changelog").await.assert_contains("New entry");
    agent
        .post(
            "/agent/changelog",
            &[
                ("published_on", "2026-11-25"),
                ("tag", "improved"),
                ("title-pt-BR", "Página de status"),
                ("body-pt-BR", "Acompanhe os incidentes em /status."),
                ("title-es", "Página de estado"),
                ("body-es", "Sigue los incidentes en /status."),
                ("title-en", ""),
            ],
        )
        .await
        .assert_redirect("/agent/changelog");
    // A draft until published.
    assert!(
        !app.visitor()
            .get("/changelog/pt-BR")
            .await
            .html
            .contains("Página de status")
    );
    let id = app
        .client("agent@atende.example")
        .await
        .get("/api/v1/changelog")
        .await
        .body[0]["id"]
        .as_i64()
        .unwrap();
    agent
        .post(
            &format!("/agent/changelog/{id}"),
            &[
                ("published_on", "2026-11-25"),
                ("tag", "improved"),
                ("title-pt-BR", "Página de status"),
                ("body-pt-BR", "Acompanhe os incidentes em /status."),
                ("published", "on"),
            ],
        )
        .await
        .assert_redirect("/agent/changelog");
    app.visitor()
        .get("/changelog/pt-BR")
        .await
        .assert_contains("Página de status")
        .assert_contains("Melhorado");
}
