// The community pages in a real browser: a forum question held for review, published, answered,
// accepted and found by search; an idea suggested, voted for and decided.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, newPage, signIn, shot } from "../lib.mjs";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a forum question is held, published, answered, accepted and found", async () => {
  const gabriel = await newPage(browser, "en-US");
  await signIn(gabriel, server.base, "gabriel@globex.example");
  await gabriel.goto(`${server.base}/forum`);
  await gabriel.getByRole("heading", { name: "Forum", exact: true }).waitFor();
  await gabriel.getByLabel("Category").selectOption({ label: "Channels" });
  await gabriel.getByLabel("Your question, in one line").fill("WhatsApp templates rejected");
  await gabriel
    .getByLabel(/^Details/)
    .fill("Meta rejects my **template** every time. Which words should I avoid?");
  await gabriel.getByRole("button", { name: "Post the question" }).click();
  await gabriel.waitForURL(/\/forum\/t\/\d+$/);
  const topicUrl = gabriel.url();
  await gabriel.getByText(/read by a moderator before it is published/).waitFor();
  await gabriel.locator("#posts .badge", { hasText: "Waiting for review" }).waitFor();

  // A visitor does not see it while it waits.
  const visitor = await newPage(browser, "en-US");
  const hidden = await visitor.goto(topicUrl);
  assert.equal(hidden.status(), 404);

  const agent = await newPage(browser, "en-US");
  await signIn(agent, server.base, "agent@atende.example");
  await agent.goto(`${server.base}/agent/moderation`);
  await agent.getByRole("heading", { name: "1 post waiting for review" }).waitFor();
  await shot(agent, "forum-moderation-queue");
  await agent.getByRole("button", { name: "Publish" }).click();
  await agent.getByText("Nothing waits for review.").waitFor();

  await agent.goto(topicUrl);
  await agent.getByLabel("Write your answer").fill("Avoid promotional words in **utility** templates, such as *free* or *offer*.");
  await agent.getByRole("button", { name: "Post the answer" }).click();
  await agent.getByText("Your post is published.").waitFor();

  await gabriel.goto(topicUrl);
  assert.equal(await gabriel.locator("#posts > li").count(), 2);
  assert.equal(await gabriel.locator("#posts strong", { hasText: "utility" }).count(), 1, "Markdown is rendered");
  await gabriel.getByRole("button", { name: "Mark as the answer" }).click();
  await gabriel.locator("#posts li.accepted .badge", { hasText: "Accepted answer" }).waitFor();
  await shot(gabriel, "forum-topic-answered");

  await visitor.goto(`${server.base}/forum?q=promotional+words`);
  const hit = visitor.locator("ol.results li a").first();
  assert.equal(await hit.textContent(), "WhatsApp templates rejected");
  assert.ok((await visitor.locator("ol.results mark").count()) > 0, "the matched words are marked");
  await visitor.locator("#topics .badge", { hasText: "Solved" }).waitFor();
  await shot(visitor, "forum-search");
  assert.deepEqual([...gabriel.errors, ...agent.errors, ...visitor.errors], []);
});

test("an idea is suggested, voted for once per person and decided", async () => {
  const ana = await newPage(browser, "es-ES");
  await signIn(ana, server.base, "ana@acme.example");
  await ana.goto(`${server.base}/ideas`);
  await ana.getByLabel("¿Qué te gustaría?").fill("Exportar conversaciones a PDF");
  await ana.getByLabel(/Por qué importa/).fill("Para auditorías mensuales.");
  await ana.getByRole("button", { name: "Enviar la idea" }).click();
  await ana.waitForURL(/\/ideas\/\d+$/);
  const ideaUrl = ana.url();
  assert.match(await ana.locator("#idea-votes").textContent(), /1 voto/);

  const gabriel = await newPage(browser, "en-US");
  await signIn(gabriel, server.base, "gabriel@globex.example");
  await gabriel.goto(`${server.base}/ideas`);
  await gabriel.getByRole("button", { name: "Vote", exact: true }).first().click();
  await gabriel.getByText("Your vote is counted.").waitFor();
  // Voted: the button now withdraws, so a second vote cannot be cast from the page.
  await gabriel.getByRole("button", { name: "Remove my vote" }).first().waitFor();
  await shot(gabriel, "ideas-board");

  const agent = await newPage(browser, "en-US");
  await signIn(agent, server.base, "agent@atende.example");
  await agent.goto(ideaUrl);
  await agent.getByLabel("Status").selectOption("planned");
  await agent.getByLabel(/A word to the followers/).fill("Planned for the first quarter.");
  await agent.getByRole("button", { name: "Save" }).click();
  await agent.locator("#idea-status", { hasText: "Planned" }).waitFor();
  assert.match(await agent.locator("#idea-votes").textContent(), /2 votes/);
  await shot(agent, "idea-planned");
  assert.deepEqual([...ana.errors, ...gabriel.errors, ...agent.errors], []);
});

test("the weekly AMA, the templates gallery and the useful links", async () => {
  const visitor = await newPage(browser, "pt-BR");
  await visitor.goto(`${server.base}/events?tz=Europe/Lisbon`);
  await visitor.getByRole("heading", { name: "AMA semanal ao vivo" }).waitFor();
  // São Paulo's 15:00 is 18:00 in Lisbon in winter.
  assert.match(await visitor.locator("ul.sessions li").first().textContent(), /quinta-feira · .* 18:00/);
  await shot(visitor, "events-pt-BR");

  const agent = await newPage(browser, "en-US");
  await signIn(agent, server.base, "agent@atende.example");
  await agent.goto(`${server.base}/templates`);
  await agent.getByLabel("Name").fill("Order tracking");
  await agent.getByLabel("Category", { exact: true }).fill("E-commerce");
  await agent.getByLabel("What it does and how to use it").fill("Answers **where is my order** with the order number.");
  await agent.getByLabel("The template's file").setInputFiles({
    name: "order-tracking.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ flow: "order", steps: 3 })),
  });
  await agent.getByRole("button", { name: "Send for review" }).click();
  await agent.getByText("The template is published.").waitFor();
  await agent.goto(`${server.base}/templates`);
  await agent.locator("#templates h2", { hasText: "Order tracking" }).waitFor();
  await shot(agent, "templates-gallery");

  await visitor.goto(`${server.base}/links`);
  assert.equal(await visitor.locator("#links li").count(), 10);
  await shot(visitor, "links-pt-BR");
  assert.deepEqual([...visitor.errors, ...agent.errors], []);
});
