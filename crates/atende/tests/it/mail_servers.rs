//! The mail servers the e-mail tests talk to, run from Debian's and PyPI's packages (scripts/test
//! installs them): aiosmtpd receives what atende sends, Dovecot holds the mailbox atende reads.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command},
    time::Duration,
};

use atende_channels::mail::{
    InboundMail, parse,
    smtp::{Security, Smtp, SmtpSettings},
};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on port {port}");
}

/// aiosmtpd on a free port, killed when dropped.
pub struct MailServer {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl MailServer {
    pub fn start() -> MailServer {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("atende-smtp-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&dir)
            .spawn()
            .expect("python3 -m aiosmtpd runs (scripts/test installs it)");
        wait_for_port(port);
        MailServer { child, dir, port }
    }

    pub fn smtp(&self) -> Smtp {
        Smtp::new(&SmtpSettings {
            host: "127.0.0.1".into(),
            port: self.port,
            security: Security::None,
            username: None,
            password: None,
        })
        .unwrap()
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<(Vec<u8>, InboundMail)> {
        let mut files: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .flat_map(|d| std::fs::read_dir(self.dir.join(d)).into_iter().flatten())
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|p| {
                let raw = std::fs::read(p).unwrap();
                let mail = parse(&raw).unwrap();
                (raw, mail)
            })
            .collect()
    }

    pub fn to(&self, address: &str) -> Vec<InboundMail> {
        self.received()
            .into_iter()
            .map(|(_, m)| m)
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}

/// The account atende reads in the tests' Dovecot.
pub const IMAP_USER: &str = "help@atende.test";
pub const IMAP_PASSWORD: &str = "imap-secret";

/// A private Dovecot (IMAP only, no TLS) on a free port, its mail in a Maildir that the tests
/// deliver into as a mail server would; stopped when dropped.
pub struct Dovecot {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

/// The account Dovecot's processes and mail run as: as root, the accounts Debian's package made
/// (Dovecot refuses to run its mail processes as root); otherwise whoever runs the tests.
fn dovecot_accounts() -> (String, String, String) {
    let me = |flag: &str| {
        let out = Command::new("id").arg(flag).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    if me("-u") == "0" {
        ("dovecot".into(), "dovenull".into(), "dovecot".into())
    } else {
        (me("-un"), me("-un"), me("-gn"))
    }
}

impl Dovecot {
    pub fn start() -> Dovecot {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("atende-imap-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["run", "state", "home"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(dir.join("mail").join(IMAP_USER).join(sub)).unwrap();
        }
        let (internal, login, group) = dovecot_accounts();
        std::fs::write(dir.join("passwd"), format!("{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n")).unwrap();
        let d = dir.display();
        let config = format!(
            "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
             protocols = imap\nlisten = 127.0.0.1\nssl = no\ndisable_plaintext_auth = no\n\
             auth_mechanisms = plain login\nfirst_valid_uid = 1\nfirst_valid_gid = 1\n\
             default_internal_user = {internal}\ndefault_internal_group = {group}\ndefault_login_user = {login}\n\
             mail_location = maildir:{d}/mail/%u\n\
             passdb {{\n  driver = passwd-file\n  args = {d}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={internal} gid={group} home={d}/home/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n"
        );
        std::fs::write(dir.join("dovecot.conf"), config).unwrap();
        let status = Command::new("chown")
            .args(["-R", &format!("{internal}:{group}")])
            .arg(dir.join("mail"))
            .arg(dir.join("home"))
            .status()
            .unwrap();
        assert!(status.success(), "chown of the Maildir");
        let binary = if Path::new("/usr/sbin/dovecot").exists() {
            "/usr/sbin/dovecot"
        } else {
            "dovecot"
        };
        let child = Command::new(binary)
            .arg("-F")
            .arg("-c")
            .arg(dir.join("dovecot.conf"))
            .spawn()
            .expect("dovecot runs (scripts/test installs dovecot-imapd)");
        wait_for_port(port);
        Dovecot { child, dir, port }
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("mail").join(IMAP_USER)
    }

    /// Puts a message in the mailbox the way a delivery agent does (written in tmp/, renamed
    /// into new/).
    pub fn deliver(&self, raw: &str) {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let name = format!(
            "{}.atende{}.test",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let tmp = self.maildir().join("tmp").join(&name);
        std::fs::write(&tmp, raw.replace('\n', "\r\n")).unwrap();
        std::fs::rename(&tmp, self.maildir().join("new").join(&name)).unwrap();
    }

    /// Makes Dovecot forget its UIDs, as a rebuilt mailbox does: the folder gets a new
    /// UIDVALIDITY and every message a new UID.
    pub fn forget_uids(&self) {
        std::fs::remove_file(self.maildir().join("dovecot-uidlist")).unwrap();
        for index in std::fs::read_dir(self.maildir()).unwrap().flatten() {
            if index.file_name().to_string_lossy().starts_with("dovecot.index") {
                let _ = std::fs::remove_file(index.path());
            }
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // TERM, so that the master stops its children too.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
        if std::env::var_os("ATENDE_KEEP_IMAP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
