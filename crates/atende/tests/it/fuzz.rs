//! The API fuzzed from its own OpenAPI document with schemathesis (PyPI; scripts/test installs
//! it), as a customer, an agent and an admin: no answer may be a 5xx, and every answer must match
//! the schema documented for its status. Bounded (a few examples per operation) to keep the suite
//! short; README's Tests section gives the longer run for a release.

use std::process::Command;

use crate::helpers::TestApp;

/// Examples per operation here; a release runs more (see the README).
const EXAMPLES: &str = "5";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_holds_under_schemathesis_as_three_roles() {
    let app = TestApp::spawn().await;
    let schema = format!("{}/api/openapi.json", app.base);
    for email in ["ana@acme.example", "agent@atende.example", "admin@atende.example"] {
        let token = app.client(email).await.token().to_owned();
        let schema = schema.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new("python3")
                .args(["-m", "schemathesis.cli", "run", &schema])
                .args(["--header", &format!("Authorization: Bearer {token}")])
                // One worker: with two threads, Hypothesis parses its lambdas' source in both at once,
                // and CPython 3.11's `ast` is not thread-safe ("AST constructor recursion depth
                // mismatch", seen on a cold CI run): a crash of the tool, not a finding.
                .args(["--max-examples", EXAMPLES, "--seed", "20261130", "--workers", "1"])
                .args(["--checks", "not_a_server_error,response_schema_conformance"])
                .args(["--phases", "examples,fuzzing"])
                // Signing out or revoking the caller's own token would end the run's session;
                // a raw e-mail (message/rfc822) is no body schemathesis can generate.
                .args(["--exclude-path-regex", "^/api/v1/(auth/logout|tokens|inbound/email)"])
                .env("NO_COLOR", "1")
                // Its cache goes where it runs: not into the source tree.
                .current_dir(std::env::temp_dir())
                .output()
                .expect("python3 -m schemathesis.cli runs (scripts/test installs it)")
        })
        .await
        .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "schemathesis as {email} found failures:\n{report}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let generated = report
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(" generated"))
            .unwrap_or_default()
            .trim();
        assert!(!generated.is_empty(), "{report}");
        println!("schemathesis as {email}: {generated}");
    }
}
