// The reports pages in a real browser: the supervisors' dashboard and a customer's own figures,
// with their server-drawn charts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, newPage, signIn, shot, api } from "../lib.mjs";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  // Some work to count: the agent answers and solves one of the demo's tickets.
  const agent = await api(server.base, "agent@atende.example");
  const open = await agent("GET", "/tickets?limit=5");
  const first = open.items[0].id;
  await agent("POST", `/tickets/${first}/messages`, { body: "On it.", visibility: "public" });
  await agent("PATCH", `/tickets/${first}`, { status: "solved" });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the dashboard and a customer's report show their figures and charts", async () => {
  // Sol, the supervisor, reads Portuguese.
  const supervisor = await newPage(browser, "en-US");
  await signIn(supervisor, server.base, "supervisor@atende.example");
  await supervisor.getByRole("link", { name: "Relatórios" }).click();
  await supervisor.getByRole("heading", { name: "Relatórios", exact: true }).waitFor();
  assert.ok(Number(await supervisor.locator("#fig-created").textContent()) > 0);
  assert.equal(await supervisor.locator("#fig-solved").textContent(), "1");
  assert.ok((await supervisor.locator("svg.chart").count()) >= 3, "charts drawn on the server");
  await supervisor.getByRole("img", { name: "Criados e resolvidos, dia a dia" }).waitFor();
  await shot(supervisor, "reports-dashboard");

  const ana = await newPage(browser, "es-ES");
  await signIn(ana, server.base, "ana@acme.example");
  await ana.getByRole("link", { name: "Mis reportes" }).click();
  await ana.getByRole("heading", { name: "Reportes", exact: true }).waitFor();
  await ana.getByLabel("Bot").selectOption({ label: "Acme Assistant" });
  await ana.getByRole("button", { name: "Mostrar" }).click();
  await ana.waitForURL(/bot_id=\d+/);
  await shot(ana, "reports-customer-es");
  assert.deepEqual([...supervisor.errors, ...ana.errors], []);
});
