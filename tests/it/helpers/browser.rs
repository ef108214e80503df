//! A browser without JavaScript, for the signed-in pages: it keeps cookies, never follows
//! redirects (so a test sees each 303 and its cookies) and reads the forms' CSRF tokens.

use std::collections::HashMap;
use std::time::Duration;

use regex::Regex;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use url::Url;

/// One answer: status, where a redirect points, and the body.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    /// The CSRF token of the page's (first) form.
    pub fn csrf(&self) -> String {
        let re = Regex::new(r#"name="csrf" value="([^"]*)""#).unwrap();
        re.captures(&self.body)
            .unwrap_or_else(|| panic!("no CSRF token in: {}", self.body))[1]
            .to_string()
    }

    /// The first absolute link on the page that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        let re = Regex::new(&format!(r#"{}[A-Za-z0-9_\-/]+"#, regex::escape(prefix))).unwrap();
        re.find(&self.body)
            .unwrap_or_else(|| panic!("no link {prefix}… in: {}", self.body))
            .as_str()
            .to_string()
    }
}

pub struct Browser {
    client: reqwest::Client,
    base: Url,
    pub cookies: HashMap<String, String>,
    /// Headers sent with every request besides the cookies (say `Accept: text/html`).
    headers: Vec<(&'static str, String)>,
}

impl Browser {
    pub fn new(base: &Url) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .redirect(reqwest::redirect::Policy::none())
                // A fresh connection per request: a server that refuses an oversized upload
                // closes that connection, which must not fail the next request.
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
            base: base.clone(),
            cookies: HashMap::new(),
            headers: Vec::new(),
        }
    }

    /// From now on, sends `name: value` with every request (instead of any earlier value).
    pub fn set_header(&mut self, name: &'static str, value: &str) {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_string()));
    }

    /// A request with the cookies and the browser's headers.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header(COOKIE, self.cookie_header());
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        request
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn answer(&mut self, r: reqwest::Response) -> Page {
        for c in r.headers().get_all(SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        Page {
            status: r.status(),
            location: r
                .headers()
                .get(LOCATION)
                .map(|l| l.to_str().unwrap().to_string()),
            body: r.text().await.unwrap(),
        }
    }

    fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap()
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap();
        self.answer(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .request(reqwest::Method::POST, path)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form)
                    .finish(),
            )
            .send()
            .await
            .unwrap();
        self.answer(r).await
    }

    /// Posts a `multipart/form-data` form: text fields, then files as
    /// (field, file name, content type, bytes).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Page {
        let boundary = format!("----mutual{}", uuid::Uuid::new_v4().simple());
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file, kind, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: {kind}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let r = self
            .request(reqwest::Method::POST, path)
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.answer(r).await
    }

    /// Opens a page with a multipart form and posts it with the page's CSRF token.
    pub async fn submit_multipart(
        &mut self,
        page: &str,
        action: &str,
        form: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Page {
        let shown = self.get(page).await;
        assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
        let csrf = shown.csrf();
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        self.post_multipart(action, &fields, files).await
    }

    /// Opens a page with a form and posts it with the page's CSRF token (as multipart
    /// when the page's form is).
    pub async fn submit(&mut self, page: &str, action: &str, form: &[(&str, &str)]) -> Page {
        let shown = self.get(page).await;
        assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
        let csrf = shown.csrf();
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        if shown.body.contains(&format!(
            r#"action="{action}" enctype="multipart/form-data""#
        )) {
            self.post_multipart(action, &fields, &[]).await
        } else {
            self.post(action, &fields).await
        }
    }

    /// The node admin `boss`, signed in through the node's setup link.
    pub async fn node_admin(node: &super::TestNode) -> Browser {
        let link = mutual::accounts::invites::setup_link(&node.node)
            .await
            .unwrap();
        let mut boss = Browser::new(&node.base);
        let page = boss
            .accept(link.as_str(), "boss", "a long enough password")
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(page.location.as_deref(), Some("/account"));
        boss
    }

    /// Follows a one-time link and creates the account.
    pub async fn accept(&mut self, link: &str, username: &str, password: &str) -> Page {
        let path = Url::parse(link).unwrap().path().to_string();
        self.submit(
            &path,
            &path,
            &[
                ("username", username),
                ("password", password),
                ("confirm", password),
            ],
        )
        .await
    }

    /// Logs in through the form.
    pub async fn log_in(&mut self, username: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
    }
}
