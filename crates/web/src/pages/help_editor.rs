//! The article editor for agents: every article (drafts and internal ones too), and one form with
//! the three translations side by side. A language left without a title has no translation.

use askama::Template;
use atende_app::kb::{self, ArticleInput};
use atende_domain::{
    Lang, Tag,
    kb::{Article, Section},
};
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::get,
};

use super::{OrBack, PageError, Staff, chrome::Chrome, done, form::Submitted, page};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent/articles", get(list).post(create))
        .route("/agent/articles/{id}", get(edit).post(update))
        .route("/agent/tickets/{id}/article", axum::routing::post(from_ticket))
}

/// A solved ticket becomes a draft article; on to the editor to finish it.
async fn from_ticket(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(_form): Submitted,
) -> Result<Response, PageError> {
    let article = kb::draft_from_ticket(&state.app, &signed.actor, id, None)
        .await
        .or_back(&format!("/agent/tickets/{id}"))?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/agent/articles/{}", article.id),
        "article-drafted",
    ))
}

#[derive(Template)]
#[template(path = "articles_list.html")]
struct ListPage {
    c: Chrome,
    articles: Vec<Article>,
}

impl ListPage {
    fn title(&self, a: &Article) -> String {
        a.translation(self.c.lang)
            .or(a.translations.first())
            .map(|t| t.title.clone())
            .unwrap_or_default()
    }

    fn langs(&self, a: &Article) -> String {
        a.translations
            .iter()
            .map(|t| t.lang.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn list(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    page(&ListPage {
        c: signed.ctx.chrome(&state, "articles"),
        articles: kb::articles(&state.app, Some(&signed.actor), None, false, 500).await?,
    })
}

/// One language's fields on the form.
struct LangFields {
    code: &'static str,
    name: &'static str,
    title: String,
    body: String,
    faq_answer: String,
}

#[derive(Template)]
#[template(path = "article_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    sections: Vec<(i64, String)>,
    section_id: i64,
    position: i64,
    internal: bool,
    published: bool,
    faq: bool,
    tags: String,
    langs: Vec<LangFields>,
}

impl EditPage {
    fn is_section(&self, id: impl super::chrome::By<i64>) -> bool {
        self.section_id == id.get()
    }
}

fn section_labels(sections: &[Section], lang: Lang) -> Vec<(i64, String)> {
    sections
        .iter()
        .map(|s| {
            let name = s
                .names
                .iter()
                .find(|n| n.0 == lang)
                .or(s.names.first())
                .map(|n| n.1.clone());
            (s.id, name.unwrap_or_default())
        })
        .collect()
}

fn edit_page(state: &AppState, signed: &super::Signed, article: Option<&Article>, sections: &[Section]) -> EditPage {
    let names = [
        ("es", "Español", Lang::Es),
        ("pt-BR", "Português", Lang::PtBr),
        ("en", "English", Lang::En),
    ];
    EditPage {
        c: signed.ctx.chrome(state, "articles"),
        id: article.map_or(0, |a| a.id),
        sections: section_labels(sections, signed.ctx.lang),
        section_id: article.map_or(0, |a| a.section_id),
        position: article.map_or(0, |a| a.position),
        internal: article.is_some_and(|a| a.internal),
        published: article.is_some_and(|a| a.published),
        faq: article.is_some_and(|a| a.faq),
        tags: article.map(|a| a.tags.join(", ")).unwrap_or_default(),
        langs: names
            .iter()
            .map(|(code, name, lang)| {
                let t = article.and_then(|a| a.translation(*lang));
                LangFields {
                    code,
                    name,
                    title: t.map(|t| t.title.clone()).unwrap_or_default(),
                    body: t.map(|t| t.body.clone()).unwrap_or_default(),
                    faq_answer: t.map(|t| t.faq_answer.clone()).unwrap_or_default(),
                }
            })
            .collect(),
    }
}

async fn edit(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (_, sections) = kb::categories(&state.app).await?;
    if id == "new" {
        return page(&edit_page(&state, &signed, None, &sections));
    }
    let id: i64 = id.parse().map_err(|_| PageError::invalid_field("id"))?;
    let article = kb::article(&state.app, Some(&signed.actor), id).await?;
    page(&edit_page(&state, &signed, Some(&article), &sections))
}

fn input_of(form: &super::form::Fields) -> Result<ArticleInput, PageError> {
    let mut translations = Vec::new();
    for lang in Lang::ALL {
        let code = lang.code();
        let title = form.text(&format!("title_{code}")).trim().to_owned();
        if title.is_empty() {
            continue;
        }
        translations.push((
            lang,
            title,
            form.text(&format!("body_{code}")).to_owned(),
            form.text(&format!("faq_{code}")).to_owned(),
        ));
    }
    Ok(ArticleInput {
        section_id: form.parse("section")?,
        position: form.parse_opt("position")?.unwrap_or(0),
        internal: form.checked("internal"),
        published: form.checked("published"),
        faq: form.checked("faq"),
        tags: Tag::parse_list(form.text("tags"))?
            .into_iter()
            .map(|t| t.as_str().to_owned())
            .collect(),
        translations,
        related: Vec::new(),
    })
}

async fn create(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = "/agent/articles/new";
    let input = input_of(&form).or_back(back)?;
    let article = kb::save_article(&state.app, &signed.actor, 0, input)
        .await
        .or_back(back)?;
    Ok(done(
        &signed.ctx,
        &state,
        &format!("/agent/articles/{}", article.id),
        "admin-saved",
    ))
}

async fn update(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let back = format!("/agent/articles/{id}");
    let mut input = input_of(&form).or_back(&back)?;
    // The form does not edit related articles; keep those the article has.
    input.related = kb::article(&state.app, Some(&signed.actor), id).await?.related;
    kb::save_article(&state.app, &signed.actor, id, input)
        .await
        .or_back(&back)?;
    Ok(done(&signed.ctx, &state, &back, "admin-saved"))
}
