-- The help center (categories, sections, articles in three languages) and the search index.

CREATE TABLE kb_categories (
    id          INTEGER PRIMARY KEY,
    position    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE kb_category_texts (
    category_id BIGINT NOT NULL REFERENCES kb_categories (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL CHECK (lang IN ('es', 'pt-BR', 'en')),
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (category_id, lang)
);

CREATE TABLE kb_sections (
    id          INTEGER PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES kb_categories (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX kb_sections_category ON kb_sections (category_id, position);

CREATE TABLE kb_section_texts (
    section_id  BIGINT NOT NULL REFERENCES kb_sections (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL CHECK (lang IN ('es', 'pt-BR', 'en')),
    name        TEXT NOT NULL,
    PRIMARY KEY (section_id, lang)
);

CREATE TABLE kb_articles (
    id           INTEGER PRIMARY KEY,
    section_id   BIGINT NOT NULL REFERENCES kb_sections (id),
    position     BIGINT NOT NULL,
    visibility   TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    faq          INTEGER NOT NULL,
    tags         TEXT NOT NULL,
    views        BIGINT NOT NULL,
    helpful_yes  BIGINT NOT NULL,
    helpful_no   BIGINT NOT NULL,
    author_id    BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX kb_articles_section ON kb_articles (section_id, position);

-- One translation per language; they share the article's id.
CREATE TABLE kb_translations (
    article_id  BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL CHECK (lang IN ('es', 'pt-BR', 'en')),
    title       TEXT NOT NULL,
    slug        TEXT NOT NULL,
    body        TEXT NOT NULL,
    faq_answer  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (article_id, lang)
);

CREATE TABLE kb_related (
    article_id  BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    related_id  BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, related_id)
);

-- "Was this helpful?": one vote per person (a user, or a visitor's cookie), changeable.
CREATE TABLE kb_votes (
    article_id  BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    voter       TEXT NOT NULL,
    helpful     INTEGER NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (article_id, voter)
);

-- A signed-in customer opened an article suggested while writing a ticket: the raw material of
-- the deflection figure (no ticket filed within a day afterwards).
CREATE TABLE kb_suggestion_opens (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id  BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL
);
CREATE INDEX kb_suggestion_opens_user ON kb_suggestion_opens (user_id, created_at);

-- What search can find. The text is indexed as the terms the Rust analysis made of it.
CREATE TABLE search_docs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('article', 'ticket', 'message')),
    ref_id      BIGINT NOT NULL,
    lang        TEXT NOT NULL,
    ticket_id   BIGINT,
    internal    INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX search_docs_ref ON search_docs (kind, ref_id, lang);
CREATE INDEX search_docs_ticket ON search_docs (ticket_id);

CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);
