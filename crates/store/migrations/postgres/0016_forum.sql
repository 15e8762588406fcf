-- The forum's topics remember their question, so that a merge cannot change which post asks, and
-- the ticket a topic was followed up in. A fresh install starts with a few categories.
ALTER TABLE forum_topics ADD COLUMN first_post_id BIGINT;
ALTER TABLE forum_topics ADD COLUMN ticket_id BIGINT;
CREATE INDEX forum_posts_state ON forum_posts (state, id);

INSERT INTO forum_categories (position, names, created_at) VALUES
(1, '{"es":{"name":"General","description":"Preguntas y conversaciones sobre el uso de la plataforma."},"pt-BR":{"name":"Geral","description":"Perguntas e conversas sobre o uso da plataforma."},"en":{"name":"General","description":"Questions and conversations about using the platform."}}', 0),
(2, '{"es":{"name":"Bots y flujos","description":"Diseño de conversaciones, flujos y buenas prácticas."},"pt-BR":{"name":"Bots e fluxos","description":"Desenho de conversas, fluxos e boas práticas."},"en":{"name":"Bots and flows","description":"Conversation design, flows and good practice."}}', 0),
(3, '{"es":{"name":"Canales","description":"WhatsApp, web chat y los demás canales."},"pt-BR":{"name":"Canais","description":"WhatsApp, web chat e os demais canais."},"en":{"name":"Channels","description":"WhatsApp, web chat and the other channels."}}', 0),
(4, '{"es":{"name":"API e integraciones","description":"La API, webhooks e integraciones con otros sistemas."},"pt-BR":{"name":"API e integrações","description":"A API, webhooks e integrações com outros sistemas."},"en":{"name":"API and integrations","description":"The API, webhooks and integrations with other systems."}}', 0);

-- Forum posts join the search index.
ALTER TABLE search_docs DROP CONSTRAINT search_docs_kind_check;
ALTER TABLE search_docs ADD CONSTRAINT search_docs_kind_check
    CHECK (kind IN ('article', 'ticket', 'message', 'forum_post'));

-- A page's address is unique per kind: a named index, alike on both databases.
ALTER TABLE site_pages DROP CONSTRAINT site_pages_kind_slug_key;
CREATE UNIQUE INDEX site_pages_kind_slug ON site_pages (kind, slug);

-- The weekly live AMA the manual lists: Thursdays at 15:00 in São Paulo, an hour long.
INSERT INTO events (kind, texts, starts_at, time_zone, duration_minutes, weekly, until_on, location, published, created_at, updated_at)
VALUES ('ama', '{"es":{"title":"AMA semanal en vivo","description":"Una hora en vivo con el equipo: pregunta lo que quieras sobre la plataforma. Deja tus preguntas antes y vota las de los demás."},"pt-BR":{"title":"AMA semanal ao vivo","description":"Uma hora ao vivo com a equipe: pergunte o que quiser sobre a plataforma. Deixe suas perguntas antes e vote nas dos outros."},"en":{"title":"Weekly live AMA","description":"One live hour with the team: ask anything about the platform. Leave your questions ahead and vote for the others''."}}',
        '2026-01-01T15:00:00', 'America/Sao_Paulo', 60, TRUE, NULL, '', TRUE, 0, 0);
