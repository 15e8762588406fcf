//! `atende serve` as its own process, as an operator runs it: its whole output collected, its
//! address read from what it prints, killed (SIGKILL) when dropped or when a test says so.

use std::{
    io::Read,
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

pub struct Served {
    child: Child,
    log: Arc<Mutex<String>>,
    /// `http://127.0.0.1:port`
    pub base: String,
}

impl Served {
    /// What the process has written so far, stdout and stderr.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Kills the process at once, as a power cut or the OOM killer would (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `atende` run in `dir` with the given environment (on top of a test-friendly one).
pub fn command(dir: &Path, env: &[(&str, String)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atende"));
    cmd.current_dir(dir)
        .env_remove("ATENDE_DATABASE_URL")
        .env("ATENDE_LISTEN", "127.0.0.1:0");
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd
}

/// Collects what a stream of the child writes, as it writes it.
fn collect(mut stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stream.read(&mut chunk) {
            if n == 0 {
                break;
            }
            into.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
}

/// Starts `atende serve` and waits until it says where it listens.
pub async fn serve(dir: &Path, env: &[(&str, String)]) -> Served {
    let mut child = command(dir, env)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    collect(child.stdout.take().unwrap(), log.clone());
    collect(child.stderr.take().unwrap(), log.clone());
    let mut served = Served {
        child,
        log,
        base: String::new(),
    };
    for _ in 0..600 {
        let text = served.log();
        if let Some(rest) = text.split("atende is serving on ").nth(1) {
            served.base = rest.split_whitespace().next().unwrap().to_owned();
            return served;
        }
        assert!(served.child.try_wait().unwrap().is_none(), "the server stopped: {text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start: {}", served.log());
}

/// A port nothing listens on: a service that is down.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A GET answered with JSON, with the bearer token when given.
pub async fn get_json(url: &str, token: Option<&str>) -> serde_json::Value {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// Signs in through the API with the demo password; returns the session token.
pub async fn sign_in(base: &str, email: &str) -> String {
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": atende::demo::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// The id of the contract named `name`, among those the token's user sees.
pub async fn contract_id(base: &str, token: &str, name: &str) -> i64 {
    let contracts = get_json(&format!("{base}/api/v1/contracts"), Some(token)).await;
    contracts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}
