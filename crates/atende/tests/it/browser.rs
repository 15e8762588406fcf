//! A minimal browser for the server-rendered pages: it keeps cookies, reads the CSRF token from
//! the last page's forms, sends forms (with files) and does not follow redirects by itself.

use std::{collections::BTreeMap, sync::Mutex};

use reqwest::{StatusCode, header, multipart};

use crate::helpers::TestApp;

pub struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: Mutex<BTreeMap<String, String>>,
    csrf: Mutex<String>,
    accept_language: Option<String>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub html: String,
}

impl Page {
    /// Where a redirect leads.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    #[track_caller]
    pub fn assert_redirect(&self, to: &str) -> &Self {
        assert_eq!(
            self.status,
            StatusCode::SEE_OTHER,
            "expected a redirect; page: {}",
            self.html
        );
        assert_eq!(self.location(), to);
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(self.html.contains(text), "{text:?} not in the page:\n{}", self.html);
        self
    }
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Mutex::new(BTreeMap::new()),
            csrf: Mutex::new(String::new()),
            accept_language: None,
        }
    }

    pub fn speaking(mut self, lang: &str) -> Browser {
        self.accept_language = Some(lang.to_owned());
        self
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies.lock().unwrap().insert(name.into(), value.into());
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    /// Pretends the page's token was tampered with.
    pub fn forget_csrf(&self) {
        *self.csrf.lock().unwrap() = "forged".into();
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let cookies: Vec<String> = self
            .cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies.join("; "));
        }
        if let Some(lang) = &self.accept_language {
            req = req.header(header::ACCEPT_LANGUAGE, lang);
        }
        req
    }

    async fn finish(&self, req: reqwest::RequestBuilder) -> Page {
        let response = req.send().await.expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let text = set.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let removed = value.is_empty() || text.contains("Max-Age=0");
            let mut jar = self.cookies.lock().unwrap();
            if removed {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value.to_owned());
            }
        }
        let html = response.text().await.unwrap();
        if let Some(rest) = html.split("name=\"_csrf\" value=\"").nth(1) {
            *self.csrf.lock().unwrap() = rest.split('"').next().unwrap().to_owned();
        }
        Page { status, headers, html }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.finish(self.request(reqwest::Method::GET, path)).await
    }

    /// Follows a redirect answer with a GET.
    pub async fn follow(&self, page: &Page) -> Page {
        assert!(page.status.is_redirection(), "not a redirect: {}", page.status);
        self.get(page.location()).await
    }

    /// Sends a URL-encoded form with the CSRF token of the last page.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.lock().unwrap().clone();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.finish(self.request(reqwest::Method::POST, path).form(&all)).await
    }

    /// Sends a multipart form with files `(field, file name, bytes)`.
    pub async fn post_files(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Page {
        let csrf = self.csrf.lock().unwrap().clone();
        let mut form = multipart::Form::new().text("_csrf", csrf);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (field, name, bytes) in files {
            form = form.part(
                field.to_string(),
                multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            );
        }
        self.finish(self.request(reqwest::Method::POST, path).multipart(form))
            .await
    }

    /// Signs in through the sign-in form, as a person would.
    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.sign_in_to(email, password, "/").await
    }

    /// Signs in asking to be taken to `next` afterwards.
    pub async fn sign_in_to(&self, email: &str, password: &str, next: &str) -> Page {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password), ("next", next)])
            .await
    }
}

impl TestApp {
    /// A browser already signed in as this user (a session token, to skip password hashing).
    pub async fn browser(&self, email: &str) -> Browser {
        let client = self.client(email).await;
        let browser = Browser::new(&self.base);
        browser.set_cookie("atende_session", client.token());
        browser.get("/preferences").await;
        browser
    }

    pub fn visitor(&self) -> Browser {
        Browser::new(&self.base)
    }
}
