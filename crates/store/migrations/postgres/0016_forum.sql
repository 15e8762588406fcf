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

-- The policies page starts with the public security information, in the three languages.
INSERT INTO site_pages (kind, slug, position, published, created_at, updated_at) VALUES ('policy', 'security', 1, TRUE, 0, 0);
INSERT INTO site_page_translations (page_id, lang, title, summary, body) VALUES ((SELECT id FROM site_pages WHERE kind = 'policy' AND slug = 'security'), 'es', 'Seguridad y privacidad', 'Cómo protegemos los datos de tus conversaciones y de tu equipo.', '## Tus datos
Las conversaciones, los tickets y los archivos de cada organización se guardan separados: cada consulta se limita a lo que la persona que pregunta puede ver, y las pruebas automáticas lo comprueban en cada cambio.

## Acceso
- Las contraseñas se guardan con Argon2id, nunca en texto plano.
- Las sesiones usan cookies HttpOnly; los formularios llevan una protección contra falsificación (CSRF).
- Los tokens de la API se guardan solo como huella (hash) y se pueden revocar en cualquier momento.
- Los intentos de inicio de sesión se limitan por cuenta y por dirección.

## Canales
El correo que entrega tu servidor de correo necesita un token secreto, y los avisos que enviamos a otros sistemas (webhooks) van firmados con HMAC-SHA256.

## Mantenimientos
Los mantenimientos previstos se anuncian con al menos 48 horas de anticipación en la página de estado y por correo.

## Reportar un problema de seguridad
Si encuentras una vulnerabilidad, escríbenos a la dirección de soporte. Respondemos cada reporte y no tomamos acciones contra quien investiga de buena fe.');
INSERT INTO site_page_translations (page_id, lang, title, summary, body) VALUES ((SELECT id FROM site_pages WHERE kind = 'policy' AND slug = 'security'), 'pt-BR', 'Segurança e privacidade', 'Como protegemos os dados das suas conversas e da sua equipe.', '## Seus dados
As conversas, os tickets e os arquivos de cada organização ficam separados: cada consulta se limita ao que a pessoa que pergunta pode ver, e os testes automáticos verificam isso a cada mudança.

## Acesso
- As senhas são guardadas com Argon2id, nunca em texto puro.
- As sessões usam cookies HttpOnly; os formulários têm proteção contra falsificação (CSRF).
- Os tokens da API são guardados apenas como resumo (hash) e podem ser revogados a qualquer momento.
- As tentativas de login são limitadas por conta e por endereço.

## Canais
O e-mail entregue pelo seu servidor de e-mail precisa de um token secreto, e os avisos que enviamos a outros sistemas (webhooks) vão assinados com HMAC-SHA256.

## Manutenções
As manutenções previstas são anunciadas com pelo menos 48 horas de antecedência na página de status e por e-mail.

## Reportar um problema de segurança
Se encontrar uma vulnerabilidade, escreva para o endereço de suporte. Respondemos a cada relato e não tomamos medidas contra quem pesquisa de boa-fé.');
INSERT INTO site_page_translations (page_id, lang, title, summary, body) VALUES ((SELECT id FROM site_pages WHERE kind = 'policy' AND slug = 'security'), 'en', 'Security and privacy', 'How we protect the data of your conversations and your team.', '## Your data
Each organization''s conversations, tickets and files are kept apart: every query is limited to what the person asking may see, and automated tests check it on every change.

## Access
- Passwords are stored with Argon2id, never in plain text.
- Sessions use HttpOnly cookies; forms carry a protection against forgery (CSRF).
- API tokens are stored only as a hash and can be revoked at any moment.
- Sign-in attempts are limited per account and per address.

## Channels
Mail handed over by your mail server needs a secret token, and the notices we send to other systems (webhooks) are signed with HMAC-SHA256.

## Maintenance
Planned maintenance is announced at least 48 hours ahead on the status page and by e-mail.

## Reporting a security problem
If you find a vulnerability, write to the support address. We answer every report and take no action against those who research in good faith.');
