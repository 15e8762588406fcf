//! Writing the changelog (`/agent/changelog`): an entry's date, tags, state, and its title and
//! body in each language, side by side.

use askama::Template;
use atende_app::changelog::{self, EntryInput, EntryView};
use atende_domain::{Lang, changelog::ChangeTag};
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};

use super::{OrBack, PageError, Staff, chrome::Chrome, done, form::Fields, form::Submitted, page};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent/changelog", get(show).post(create))
        .route("/agent/changelog/{id}", post(change))
}

const BACK: &str = "/agent/changelog";

#[derive(Template)]
#[template(path = "changelog_editor.html")]
struct EditorPage {
    c: Chrome,
    entries: Vec<EntryView>,
    tags: Vec<ChangeTag>,
    langs: Vec<Lang>,
    today: String,
}

impl EditorPage {
    fn title(&self, entry: &EntryView, lang: &Lang) -> String {
        entry
            .translations
            .iter()
            .find(|t| t.lang == lang.code())
            .map(|t| t.title.clone())
            .unwrap_or_default()
    }

    fn body(&self, entry: &EntryView, lang: &Lang) -> String {
        entry
            .translations
            .iter()
            .find(|t| t.lang == lang.code())
            .map(|t| t.body.clone())
            .unwrap_or_default()
    }

    fn has_tag(&self, entry: &EntryView, tag: &ChangeTag) -> bool {
        entry.entry.tags.iter().any(|t| t == tag.code())
    }

    fn ideas(&self, entry: &EntryView) -> String {
        entry.ideas.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
    }

    fn tag_name(&self, tag: &ChangeTag) -> String {
        self.c.t(&format!("ctag-{}", tag.code()))
    }
}

async fn show(State(state): State<AppState>, Staff(signed): Staff) -> Result<Response, PageError> {
    let today = state
        .app
        .clock
        .now()
        .to_zoned(state.app.settings.time_zone.clone())
        .date()
        .to_string();
    page(&EditorPage {
        entries: changelog::list(&state.app, Some(&signed.actor), 100).await?,
        c: signed.ctx.chrome(&state, "changelog-editor"),
        tags: ChangeTag::ALL.to_vec(),
        langs: Lang::ALL.to_vec(),
        today,
    })
}

/// The entry as the form gives it; a language whose title is empty is left out.
fn input(form: &Fields) -> Result<EntryInput, PageError> {
    let mut translations = Vec::new();
    for lang in Lang::ALL {
        let code = lang.code();
        if let Some(title) = form.opt(&format!("title-{code}")) {
            translations.push((lang, title.to_owned(), form.text(&format!("body-{code}")).to_owned()));
        }
    }
    Ok(EntryInput {
        published_on: form.parse("published_on")?,
        tags: form.all("tag").into_iter().map(str::to_owned).collect(),
        published: form.checked("published"),
        translations,
        ideas: form
            .opt("ideas")
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.trim_start_matches('#')
                    .parse()
                    .map_err(|_| PageError::invalid_field("ideas"))
            })
            .collect::<Result<_, _>>()?,
    })
}

async fn create(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let input = input(&form).or_back(BACK)?;
    changelog::create(&state.app, &signed.actor, input)
        .await
        .or_back(BACK)?;
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}

async fn change(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<i64>,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let input = input(&form).or_back(BACK)?;
    changelog::update(&state.app, &signed.actor, id, input)
        .await
        .or_back(BACK)?;
    Ok(done(&signed.ctx, &state, BACK, "admin-saved"))
}
