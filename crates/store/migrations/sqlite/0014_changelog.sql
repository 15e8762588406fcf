-- The changelog: entries (a date, tags, published or not) whose title and Markdown body are
-- written in up to three languages, like the help center's articles.
CREATE TABLE changelog_entries (
    id              INTEGER PRIMARY KEY,
    published_on    TEXT NOT NULL,
    -- Space-separated: new, improved, fixed.
    tags            TEXT NOT NULL,
    published       INTEGER NOT NULL,
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX changelog_entries_date ON changelog_entries (published_on, id);

CREATE TABLE changelog_translations (
    entry_id        BIGINT NOT NULL REFERENCES changelog_entries (id) ON DELETE CASCADE,
    lang            TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    PRIMARY KEY (entry_id, lang)
);
