-- The community around the product: ideas (votes, statuses, merges, the changelog entries that
-- shipped them), the forum (categories, topics, posts, votes, subscriptions, moderation), events
-- (the weekly AMA and one-off sessions, with questions asked ahead), the templates gallery, and the
-- editable pages for cases and policies.

CREATE TABLE ideas (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- open, under_review, planned, in_progress, completed, declined
    status          TEXT NOT NULL,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- A duplicate points at the idea that took its votes and subscribers.
    merged_into     BIGINT REFERENCES ideas (id),
    votes           BIGINT NOT NULL DEFAULT 0,
    comments        BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX ideas_by_votes ON ideas (votes, id);
CREATE INDEX ideas_by_status ON ideas (status, votes);

CREATE TABLE idea_votes (
    idea_id         BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);

CREATE TABLE idea_subscribers (
    idea_id         BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (idea_id, user_id)
);

CREATE TABLE idea_comments (
    id              INTEGER PRIMARY KEY,
    idea_id         BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body            TEXT NOT NULL,
    hidden          INTEGER NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX idea_comments_idea ON idea_comments (idea_id, id);

CREATE TABLE changelog_ideas (
    entry_id        BIGINT NOT NULL REFERENCES changelog_entries (id) ON DELETE CASCADE,
    idea_id         BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, idea_id)
);
CREATE INDEX changelog_ideas_idea ON changelog_ideas (idea_id);

CREATE TABLE forum_categories (
    id              INTEGER PRIMARY KEY,
    position        BIGINT NOT NULL,
    -- JSON: {"es": {"name": ..., "description": ...}, ...}
    names           TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE forum_topics (
    id              INTEGER PRIMARY KEY,
    category_id     BIGINT NOT NULL REFERENCES forum_categories (id),
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title           TEXT NOT NULL,
    lang            TEXT NOT NULL,
    -- visible, held (waiting for review), hidden
    state           TEXT NOT NULL,
    locked          INTEGER NOT NULL,
    merged_into     BIGINT REFERENCES forum_topics (id),
    accepted_post_id BIGINT,
    votes           BIGINT NOT NULL DEFAULT 0,
    replies         BIGINT NOT NULL DEFAULT 0,
    last_post_at    BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX forum_topics_category ON forum_topics (category_id, last_post_at);
CREATE INDEX forum_topics_recent ON forum_topics (last_post_at);

CREATE TABLE forum_posts (
    id              INTEGER PRIMARY KEY,
    topic_id        BIGINT NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- Markdown; the first post of a topic is its question.
    body            TEXT NOT NULL,
    state           TEXT NOT NULL,
    votes           BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX forum_posts_topic ON forum_posts (topic_id, id);
CREATE INDEX forum_posts_author ON forum_posts (author_id, created_at);

CREATE TABLE forum_votes (
    post_id         BIGINT NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

CREATE TABLE forum_subscriptions (
    topic_id        BIGINT NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (topic_id, user_id)
);

CREATE TABLE forum_bans (
    user_id         BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    banned_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    until_at        BIGINT,
    created_at      BIGINT NOT NULL
);

-- What moderators did, and to what: the audit trail of the community.
CREATE TABLE moderation_log (
    id              INTEGER PRIMARY KEY,
    subject         TEXT NOT NULL,
    subject_id      BIGINT NOT NULL,
    action          TEXT NOT NULL,
    actor_id        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    detail          TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX moderation_log_recent ON moderation_log (created_at);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    -- ama (the weekly live session) or session (a one-off)
    kind            TEXT NOT NULL,
    -- JSON: {"es": {"title": ..., "description": ...}, ...}
    texts           TEXT NOT NULL,
    -- The first session's local start, in the event's own zone.
    starts_at       TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    weekly          INTEGER NOT NULL,
    -- The last day a weekly event may happen, if it ends.
    until_on        TEXT,
    location        TEXT NOT NULL,
    published       INTEGER NOT NULL,
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- A weekly session that is cancelled or moved, named by the local date it would have had.
CREATE TABLE event_exceptions (
    event_id        BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurs_on       TEXT NOT NULL,
    cancelled       INTEGER NOT NULL,
    moved_to        TEXT,
    PRIMARY KEY (event_id, occurs_on)
);

CREATE TABLE event_questions (
    id              INTEGER PRIMARY KEY,
    event_id        BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurs_on       TEXT NOT NULL,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body            TEXT NOT NULL,
    hidden          INTEGER NOT NULL,
    votes           BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE INDEX event_questions_session ON event_questions (event_id, occurs_on, votes);

CREATE TABLE event_question_votes (
    question_id     BIGINT NOT NULL REFERENCES event_questions (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (question_id, user_id)
);

CREATE TABLE bot_templates (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    category        TEXT NOT NULL,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            BIGINT NOT NULL,
    -- The file's bytes are in attachment_blobs.
    sha256          TEXT NOT NULL,
    -- review, published, rejected
    state           TEXT NOT NULL,
    review_note     TEXT NOT NULL,
    downloads       BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX bot_templates_state ON bot_templates (state, downloads);

-- Cases (success stories) and policies (public security information), written by staff.
CREATE TABLE site_pages (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    slug            TEXT NOT NULL,
    position        BIGINT NOT NULL,
    published       INTEGER NOT NULL,
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (kind, slug)
);

CREATE TABLE site_page_translations (
    page_id         BIGINT NOT NULL REFERENCES site_pages (id) ON DELETE CASCADE,
    lang            TEXT NOT NULL,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    body            TEXT NOT NULL,
    PRIMARY KEY (page_id, lang)
);
