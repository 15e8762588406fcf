// The journeys the web issue names, in a real browser against the real server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, newPage, signIn, shot, api, deliverMail } from "../lib.mjs";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  // The demo's own tickets are solved first, so the queue holds what this test opens.
  const agent = await api(server.base, "agent@atende.example");
  const open = await agent("GET", "/tickets?limit=100");
  for (const t of open.items) await agent("PATCH", `/tickets/${t.id}`, { status: "solved" });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a customer chooses Spanish, opens an incident and reads the agent's reply", async () => {
  const diego = await newPage(browser, "en-US");
  await signIn(diego, server.base, "diego@acme.example");
  // The manual's fourth rule: no language yet, so the preferences come first.
  assert.match(diego.url(), /\/preferences$/);
  await shot(diego, "preferences-language-first");
  await diego.getByLabel("Español").check();
  await diego.locator("form[action='/preferences'] button[type=submit]").click();
  await diego.waitForURL(/\/portal$/);
  assert.equal(await diego.locator("html").getAttribute("lang"), "es");
  await diego.getByRole("heading", { name: "Tus contratos" }).waitFor();
  await shot(diego, "portal-home-es");

  await diego.getByRole("link", { name: "Nuevo ticket" }).first().click();
  await diego.getByLabel(/Incidente/).check();
  await diego.getByLabel("Estamos detenidos").check();
  await diego.getByLabel("A todos nuestros clientes").check();
  await diego.getByLabel("Asunto").fill("El bot dejó de responder en WhatsApp");
  await diego.getByLabel("Cuenta qué pasó").fill("Desde las 10:00 ningún mensaje recibe respuesta.");
  await shot(diego, "portal-new-ticket-es");
  await diego.getByRole("button", { name: "Abrir el ticket" }).click();
  await diego.waitForURL(/\/portal\/tickets\/\d+$/);
  const id = diego.url().split("/").pop();
  await diego.getByText("Tu ticket está abierto").waitFor();
  const due = diego.locator(".facts [data-due]");
  assert.match(await due.textContent(), /vence en|vencido hace/);
  await shot(diego, "portal-ticket-es");

  const agent = await newPage(browser, "en-US");
  await signIn(agent, server.base, "agent@atende.example");
  await agent.goto(`${server.base}/agent?view=breaching`);
  const first = agent.locator("table.queue tbody tr").first().locator("a.ticket-link");
  assert.equal(await first.getAttribute("href"), `/agent/tickets/${id}`, "the new incident leads the view");
  await shot(agent, "agent-queue-breaching");
  await first.click();
  await agent.getByRole("heading", { name: "Service level" }).waitFor();
  await shot(agent, "agent-ticket");
  // The keyboard: r focuses the reply box.
  await agent.locator("body").press("r");
  await agent.keyboard.type("Ya estamos revisando el canal de WhatsApp.");
  await agent.getByRole("button", { name: "Send to the customer" }).click();
  await agent.getByText("Reply sent.").waitFor();

  await diego.reload();
  await diego.getByText("Ya estamos revisando el canal de WhatsApp.").waitFor();
  await shot(diego, "portal-ticket-answered-es");
  assert.deepEqual(diego.errors, []);
  assert.deepEqual(agent.errors, []);
});

test("a Trial customer sees why a ticket cannot be opened, and where help is", async () => {
  const carla = await newPage(browser, "en-US");
  await signIn(carla, server.base, "carla@acme.example");
  await carla.goto(`${server.base}/portal/tickets/new`);
  await carla.getByRole("heading", { name: "Why you cannot open a ticket now" }).waitFor();
  await carla.getByText(/support tickets start with the Startup plan/).waitFor();
  assert.equal(await carla.getByRole("link", { name: "Documentation" }).first().getAttribute("href"), "/help");
  assert.equal(await carla.getByRole("link", { name: "Community forum" }).first().getAttribute("href"), "/forum");
  assert.equal(await carla.locator("input[name=subject]").count(), 0);
  await shot(carla, "portal-trial-refusal-en");
});

test("a script in a ticket never runs, for the customer or the agent", async () => {
  const ana = await newPage(browser, "es-ES");
  await signIn(ana, server.base, "ana@acme.example");
  await ana.goto(`${server.base}/portal/tickets/new`);
  await ana.getByLabel("Asunto").fill("<script>window.__pwned = 1</script> asunto");
  await ana.getByLabel("Cuenta qué pasó").fill('<img src=x onerror="window.__pwned = 2"><script>window.__pwned = 3</script>');
  await ana.getByRole("button", { name: "Abrir el ticket" }).click();
  await ana.waitForURL(/\/portal\/tickets\/\d+$/);
  const url = ana.url();
  assert.equal(await ana.evaluate(() => window.__pwned), undefined);
  await ana.getByText("<script>window.__pwned = 1</script> asunto", { exact: false }).first().waitFor();

  const agent = await newPage(browser, "en-US");
  await signIn(agent, server.base, "agent@atende.example");
  await agent.goto(url.replace("/portal/", "/agent/"));
  await agent.getByRole("heading", { name: "Service level" }).waitFor();
  assert.equal(await agent.evaluate(() => window.__pwned), undefined);
});

test("the portal speaks Spanish, Portuguese and English", async () => {
  for (const [email, lang, heading] of [
    ["ana@acme.example", "es", "Tus contratos"],
    ["bruno@acme.example", "pt-BR", "Seus contratos"],
    ["gabriel@globex.example", "en", "Your contracts"],
  ]) {
    const page = await newPage(browser, "en-US");
    await signIn(page, server.base, email);
    await page.goto(`${server.base}/portal`);
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    await page.getByRole("heading", { name: heading }).waitFor();
    await shot(page, `portal-home-${lang}`);
  }
  const visitor = await newPage(browser, "pt-BR");
  await visitor.goto(`${server.base}/plans`);
  await visitor.getByRole("heading", { name: "Os planos e seus canais" }).waitFor();
  await shot(visitor, "plans-pt-BR");
});

test("a visitor finds a help article without typing its accents, in their language", async () => {
  const visitor = await newPage(browser, "es-ES");
  await visitor.goto(`${server.base}/help`);
  assert.match(visitor.url(), /\/help\/es$/);
  await visitor.getByRole("heading", { name: "Centro de ayuda" }).first().waitFor();
  await shot(visitor, "help-home-es");
  await visitor.getByLabel("Buscar en el centro de ayuda").fill("como abrir un ticket");
  await visitor.getByRole("button", { name: "Buscar" }).click();
  await visitor.waitForURL(/\/help\/es\/search/);
  const first = visitor.locator("ol.results li a").first();
  assert.equal(await first.textContent(), "Cómo abrir un ticket");
  assert.ok((await visitor.locator("ol.results mark").count()) > 0, "matches are highlighted");
  await shot(visitor, "help-search-es");
  await first.click();
  await visitor.getByRole("heading", { name: "Cómo abrir un ticket" }).waitFor();
  // Another language keeps the article.
  await visitor.locator("a[hreflang='pt-BR']").first().click();
  await visitor.getByRole("heading", { name: "Como abrir um ticket" }).waitFor();
  await shot(visitor, "help-article-pt-BR");
  assert.deepEqual(visitor.errors, []);
});

test("while a customer types a subject, help articles are suggested", async () => {
  const ana = await newPage(browser, "es-ES");
  await signIn(ana, server.base, "ana@acme.example");
  await ana.goto(`${server.base}/portal/tickets/new`);
  await ana.getByLabel("Asunto").pressSequentially("cambiar mi idioma", { delay: 20 });
  const suggestion = ana.locator("#suggestions a").first();
  await suggestion.waitFor();
  assert.match(await suggestion.textContent(), /idioma/i);
  await shot(ana, "portal-ticket-suggestions-es");
});

test("an agent makes a ticket of an e-mail from someone who could not open one", async () => {
  const receipt = await deliverMail(
    server.base,
    "From: Zoe <zoe@unknown.example>\nTo: help@atende.test\nSubject: El panel no carga\n" +
      "Message-ID: <e2e-queue@unknown.example>\nContent-Type: text/plain; charset=utf-8\n\nDesde ayer el panel queda en blanco.\n",
  );
  assert.equal(receipt.outcome, "queued");
  const agent = await newPage(browser, "en-US");
  await signIn(agent, server.base, "agent@atende.example");
  await agent.getByRole("link", { name: "E-mail" }).click();
  await agent.getByRole("heading", { name: "E-mail" }).waitFor();
  await agent.getByRole("cell", { name: "unknown sender" }).first().waitFor();
  await shot(agent, "agent-mail-queue");
  await agent.getByRole("link", { name: "El panel no carga" }).click();
  await agent.getByText("Desde ayer el panel queda en blanco.").waitFor();
  const make = agent.getByRole("region", { name: "Make a ticket" });
  await make.getByLabel("The customer's e-mail address").fill("ana@acme.example");
  await make.getByLabel("Contract").selectOption({ label: "Acme Startup" });
  await shot(agent, "agent-mail-message");
  await agent.getByRole("button", { name: "Make a ticket" }).click();
  await agent.waitForURL(/\/agent\/tickets\/\d+$/);
  await agent.getByText("The ticket was opened from the message.").waitFor();
  await agent.getByRole("heading", { name: "El panel no carga" }).waitFor();
  assert.deepEqual(agent.errors, []);
});

test("during an incident the status page shows it, in the visitor's language", async () => {
  const agent = await api(server.base, "agent@atende.example");
  const components = await agent("GET", "/status/components");
  const whatsapp = components.find((c) => c.code === "whatsapp");
  await agent("POST", "/status/incidents", {
    name: "Mensajes de WhatsApp con demora",
    impact: "minor",
    body: "Los mensajes llegan con varios minutos de retraso. Estamos investigando.",
    components: [{ id: whatsapp.id, status: "partial_outage" }],
  });
  const visitor = await newPage(browser, "es-ES");
  await visitor.goto(`${server.base}/status`);
  await visitor.getByText("Algunos servicios están degradados").waitFor();
  await visitor.getByRole("link", { name: "Mensajes de WhatsApp con demora" }).waitFor();
  await visitor.getByText("Caída parcial").waitFor();
  await shot(visitor, "status-page-incident-es");
  await visitor.getByRole("link", { name: "Mensajes de WhatsApp con demora" }).click();
  await visitor.getByText("Investigando").first().waitFor();
  assert.deepEqual(visitor.errors, []);
});
