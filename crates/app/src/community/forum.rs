//! The forum: everyone reads what is published; registered users (any plan, Trial included) ask,
//! answer, vote and follow topics. A newcomer's first post waits for a moderator, banned users
//! and fast posters are stopped, and followers hear of new replies by mail.

use atende_domain::{
    Lang,
    community::{POSTS_PER_HOUR, PostState, TOPICS_PER_HOUR, initial_state, may_accept, may_see},
    text::bounded,
};
use atende_store::{
    Conn,
    community::forum::{self as store, Reader},
    search::{self, IndexDoc},
};
use jiff::{SignedDuration, Timestamp};

pub use atende_store::community::forum::{Ban, Category, Post, Topic, TopicOrder, TopicQuery};

use super::{Notice, tell};
use crate::{Actor, App, AppError, Result, auth::commit, i18n::Arg};

pub(crate) const MAX_TITLE: usize = 200;
pub(crate) const MAX_BODY: usize = 20_000;

pub(crate) fn reader(actor: Option<&Actor>) -> Reader {
    match actor {
        Some(a) if a.is_staff() => Reader::Staff,
        Some(a) => Reader::User(a.id()),
        None => Reader::Visitor,
    }
}

fn sees(actor: Option<&Actor>, state: PostState, author: Option<i64>) -> bool {
    may_see(state, author, actor.map(Actor::id), actor.is_some_and(Actor::is_staff))
}

/// The topic, if the reader may see it; else "not found", as if it did not exist.
pub(crate) async fn visible_topic(conn: &mut Conn, actor: Option<&Actor>, id: i64) -> Result<Topic> {
    match store::topic(conn, id).await? {
        Some(t) if sees(actor, t.state, t.author_id) => Ok(t),
        _ => Err(AppError::NotFound("topic")),
    }
}

pub(crate) async fn visible_post(conn: &mut Conn, actor: Option<&Actor>, id: i64) -> Result<(Post, Topic)> {
    let post = match store::post(conn, id).await? {
        Some(p) if sees(actor, p.state, p.author_id) => p,
        _ => return Err(AppError::NotFound("post")),
    };
    let topic = visible_topic(conn, actor, post.topic_id).await?;
    Ok((post, topic))
}

pub(crate) fn topic_lang(app: &App, topic: &Topic) -> Lang {
    topic.lang.parse().unwrap_or(app.settings.default_language)
}

/// Puts a post in the search index (the query keeps what is not published out of results).
pub(crate) async fn index_post(
    app: &App,
    tx: &mut Conn,
    topic: &Topic,
    post_id: i64,
    body: &str,
    created_at: Timestamp,
) -> Result<()> {
    let title = if topic.first_post_id == Some(post_id) {
        topic.title.as_str()
    } else {
        ""
    };
    search::index(
        tx,
        &IndexDoc {
            kind: "forum_post",
            ref_id: post_id,
            lang: topic_lang(app, topic),
            ticket_id: None,
            internal: false,
            title,
            body: &crate::kb::plain_text(body),
            created_at,
        },
    )
    .await?;
    Ok(())
}

/// Stops banned users, and anyone posting faster than a person converses. Staff are not limited.
async fn check_may_post(conn: &mut Conn, actor: &Actor, now: Timestamp, topic: bool) -> Result<()> {
    if actor.is_staff() {
        return Ok(());
    }
    if store::active_ban(conn, actor.id(), now).await?.is_some() {
        return Err(AppError::Forbidden("forum.banned"));
    }
    let hour = SignedDuration::from_hours(1);
    let since = now.checked_sub(hour).unwrap_or(now);
    let (count, oldest) = store::posts_since(conn, actor.id(), since, topic).await?;
    let max = if topic { TOPICS_PER_HOUR } else { POSTS_PER_HOUR };
    if count >= max {
        let free_at = oldest.and_then(|t| t.checked_add(hour).ok()).unwrap_or(now);
        let wait = free_at.duration_since(now).as_secs().max(1);
        return Err(AppError::RateLimited {
            retry_after_secs: wait.unsigned_abs(),
        });
    }
    Ok(())
}

async fn new_post_state(conn: &mut Conn, actor: &Actor) -> Result<PostState> {
    let published = if actor.is_staff() {
        0
    } else {
        store::published_posts(conn, actor.id()).await?
    };
    Ok(initial_state(actor.is_staff(), published))
}

pub async fn categories(app: &App) -> Result<Vec<Category>> {
    let mut conn = app.db.read().await?;
    Ok(store::categories(&mut conn).await?)
}

/// Staff add (`id` None) or change a category; `names` per language: (name, description).
pub async fn save_category(
    app: &App,
    actor: &Actor,
    id: Option<i64>,
    position: i64,
    names: &[(Lang, String, String)],
) -> Result<i64> {
    actor.require_staff()?;
    if names.is_empty() {
        return Err(atende_domain::ParseError::Empty { field: "names" }.into());
    }
    let mut texts = atende_store::community::Localized::new();
    for (lang, name, description) in names {
        let mut entry = std::collections::BTreeMap::new();
        entry.insert("name".to_owned(), bounded("name", name, 100)?);
        entry.insert("description".to_owned(), description.trim().chars().take(500).collect());
        texts.insert(lang.code().to_owned(), entry);
    }
    let mut tx = app.db.begin().await?;
    let id = match id {
        Some(id) => {
            if !store::update_category(&mut tx, id, position, &texts).await? {
                return Err(AppError::NotFound("category"));
            }
            id
        }
        None => store::insert_category(&mut tx, position, &texts, app.clock.now()).await?,
    };
    commit(tx).await?;
    Ok(id)
}

pub async fn topics(app: &App, actor: Option<&Actor>, query: &TopicQuery) -> Result<Vec<Topic>> {
    let mut conn = app.db.read().await?;
    Ok(store::topics(&mut conn, reader(actor), query).await?)
}

/// A topic as its page shows it.
pub struct TopicDetail {
    pub topic: Topic,
    /// The question first, then the replies the reader may see.
    pub posts: Vec<Post>,
    /// The posts the reader voted for.
    pub voted: Vec<i64>,
    pub subscribed: bool,
}

pub async fn topic(app: &App, actor: Option<&Actor>, id: i64) -> Result<TopicDetail> {
    let mut conn = app.db.read().await?;
    let topic = visible_topic(&mut conn, actor, id).await?;
    let mut posts = store::posts(&mut conn, id, reader(actor)).await?;
    // The question leads even when a merged topic brought older replies.
    if let Some(at) = posts.iter().position(|p| Some(p.id) == topic.first_post_id) {
        let question = posts.remove(at);
        posts.insert(0, question);
    }
    let (voted, subscribed) = match actor {
        Some(a) => {
            let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
            let voted = store::voted_among(&mut conn, a.id(), &ids).await?;
            (voted, store::is_subscribed(&mut conn, id, a.id()).await?)
        }
        None => (Vec::new(), false),
    };
    Ok(TopicDetail {
        topic,
        posts,
        voted,
        subscribed,
    })
}

/// Asks a question in a category. The author follows the topic.
pub async fn create_topic(app: &App, actor: &Actor, category_id: i64, title: &str, body: &str) -> Result<Topic> {
    let title = bounded("title", &title.replace(['\r', '\n', '\t'], " "), MAX_TITLE)?;
    let body = bounded("body", body, MAX_BODY)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    if !store::categories(&mut tx).await?.iter().any(|c| c.id == category_id) {
        return Err(AppError::NotFound("category"));
    }
    check_may_post(&mut tx, actor, now, true).await?;
    let state = new_post_state(&mut tx, actor).await?;
    let lang = actor.user.language.unwrap_or(app.settings.default_language);
    let new = store::NewTopic {
        category_id,
        author: actor.id(),
        title: &title,
        lang: lang.code(),
        body: &body,
        state,
    };
    let (id, post) = store::insert_topic(&mut tx, &new, now).await?;
    store::set_subscribed(&mut tx, id, actor.id(), true).await?;
    let topic = store::topic(&mut tx, id).await?.ok_or(AppError::NotFound("topic"))?;
    index_post(app, &mut tx, &topic, post, &body, now).await?;
    commit(tx).await?;
    Ok(topic)
}

/// Answers in a topic. Followers are told once the reply is published.
pub async fn reply(app: &App, actor: &Actor, topic_id: i64, body: &str) -> Result<Post> {
    let body = bounded("body", body, MAX_BODY)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let topic = visible_topic(&mut tx, Some(actor), topic_id).await?;
    if topic.merged_into.is_some() {
        return Err(AppError::Rejected("topic.merged"));
    }
    if topic.locked && !actor.is_staff() {
        return Err(AppError::Rejected("topic.locked"));
    }
    check_may_post(&mut tx, actor, now, false).await?;
    let state = new_post_state(&mut tx, actor).await?;
    let id = store::insert_post(&mut tx, topic_id, actor.id(), &body, state, now).await?;
    store::set_subscribed(&mut tx, topic_id, actor.id(), true).await?;
    index_post(app, &mut tx, &topic, id, &body, now).await?;
    let post = store::post(&mut tx, id).await?.ok_or(AppError::NotFound("post"))?;
    if state == PostState::Visible {
        tell_followers(app, &mut tx, &topic, &post).await?;
    }
    commit(tx).await?;
    Ok(post)
}

/// Mails a published reply's news to the topic's followers but its author.
pub(crate) async fn tell_followers(app: &App, tx: &mut Conn, topic: &Topic, post: &Post) -> Result<usize> {
    let followers = store::subscribers(tx, topic.id).await?;
    let notice = Notice {
        kind: "forum_reply",
        dedupe_prefix: format!("forum-reply:{}", post.id),
        subject_key: "mail-forum-reply-subject",
        body_keys: &["mail-forum-reply-body"],
        args: vec![
            ("title", Arg::Text(topic.title.clone())),
            ("name", Arg::Text(post.author_name.clone().unwrap_or_default())),
        ],
        path: format!("/forum/t/{}#post-{}", topic.id, post.id),
    };
    tell(app, tx, &followers, post.author_id, &notice).await
}

/// The author or staff rewrite a post.
pub async fn edit_post(app: &App, actor: &Actor, post_id: i64, body: &str) -> Result<Post> {
    let body = bounded("body", body, MAX_BODY)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let (post, topic) = visible_post(&mut tx, Some(actor), post_id).await?;
    if !actor.is_staff() && post.author_id != Some(actor.id()) {
        return Err(AppError::Forbidden("post.not_author"));
    }
    if topic.locked && !actor.is_staff() {
        return Err(AppError::Rejected("topic.locked"));
    }
    store::set_post_body(&mut tx, post_id, &body, now).await?;
    index_post(app, &mut tx, &topic, post_id, &body, post.created_at).await?;
    let post = store::post(&mut tx, post_id).await?.ok_or(AppError::NotFound("post"))?;
    commit(tx).await?;
    Ok(post)
}

/// Votes for a post, once per person (or withdraws the vote); the post's count.
pub async fn vote(app: &App, actor: &Actor, post_id: i64, up: bool) -> Result<i64> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let (post, topic) = visible_post(&mut tx, Some(actor), post_id).await?;
    if up && post.author_id == Some(actor.id()) {
        return Err(AppError::Rejected("post.own_vote"));
    }
    if up && !actor.is_staff() && store::active_ban(&mut tx, actor.id(), now).await?.is_some() {
        return Err(AppError::Forbidden("forum.banned"));
    }
    let votes = store::set_vote(&mut tx, post_id, topic.id, actor.id(), up, now).await?;
    commit(tx).await?;
    Ok(votes)
}

/// The asker or staff mark the reply that answered the question (`None` takes the mark back).
pub async fn accept(app: &App, actor: &Actor, topic_id: i64, post_id: Option<i64>) -> Result<Topic> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let topic = visible_topic(&mut tx, Some(actor), topic_id).await?;
    if !may_accept(actor.id(), actor.is_staff(), topic.author_id) {
        return Err(AppError::Forbidden("topic.not_asker"));
    }
    if let Some(post_id) = post_id {
        let post = store::post(&mut tx, post_id).await?;
        match post {
            Some(p) if p.topic_id == topic_id && p.state == PostState::Visible => {
                if topic.first_post_id == Some(p.id) {
                    return Err(AppError::Rejected("topic.accept_question"));
                }
            }
            _ => return Err(AppError::NotFound("post")),
        }
    }
    store::set_accepted(&mut tx, topic_id, post_id, now).await?;
    let topic = store::topic(&mut tx, topic_id)
        .await?
        .ok_or(AppError::NotFound("topic"))?;
    commit(tx).await?;
    Ok(topic)
}

pub async fn set_subscribed(app: &App, actor: &Actor, topic_id: i64, on: bool) -> Result<()> {
    let mut tx = app.db.begin().await?;
    visible_topic(&mut tx, Some(actor), topic_id).await?;
    store::set_subscribed(&mut tx, topic_id, actor.id(), on).await?;
    commit(tx).await
}
