// The web chat in a real browser: the widget answers a question from the help center, opens a
// ticket step by step, and shows the agent's reply live.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, newPage, signIn, shot, api } from "../lib.mjs";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the chat answers a question, opens a ticket and shows the agent's reply live", async () => {
  const ana = await newPage(browser, "es-ES");
  await signIn(ana, server.base, "ana@acme.example");
  await ana.goto(`${server.base}/portal`);
  await ana.getByRole("button", { name: "Chatear con soporte" }).click();
  const chat = ana.locator("#atende-chat .panel");
  await chat.getByText("¿En qué puedo ayudarte?").first().waitFor();

  await chat.getByRole("button", { name: "Hacer una pregunta" }).last().click();
  await chat.getByText("¿Cuál es tu pregunta?").waitFor();
  await chat.getByPlaceholder("Escribe un mensaje").fill("¿Qué tipos de ticket existen?");
  await chat.getByRole("button", { name: "Enviar", exact: true }).click();
  await chat.getByText(/Los tres tipos de ticket/).waitFor();
  await shot(ana, "chat-faq-es");

  // Not quite it: the question becomes a ticket.
  await chat.getByRole("button", { name: "No", exact: true }).last().click();
  await chat.getByRole("button", { name: "Acme Startup" }).last().click();
  await chat.getByRole("button", { name: "Ninguno en particular" }).last().click();
  await chat.getByRole("button", { name: /^Pregunta/ }).last().click();
  await chat.getByRole("button", { name: /^Normal/ }).last().click();
  await chat.getByRole("button", { name: "Listo" }).last().click();
  await chat.getByRole("button", { name: "Abrirlo" }).last().click();
  const opened = chat.getByText(/El ticket #\d+ está abierto/);
  await opened.waitFor();
  const id = (await opened.textContent()).match(/#(\d+)/)[1];

  const agent = await api(server.base, "agent@atende.example");
  const ticket = await agent("GET", `/tickets/${id}`);
  assert.equal(ticket.channel, "webchat");
  assert.equal(ticket.subject, "¿Qué tipos de ticket existen?");
  await agent("POST", `/tickets/${id}/messages`, { body: "Son tres: pregunta, tarea e incidente.", visibility: "public" });
  await chat.getByText(/Son tres: pregunta, tarea e incidente/).waitFor({ timeout: 15000 });
  await shot(ana, "chat-ticket-es");

  // A phone screen: the chat takes the whole screen.
  await ana.setViewportSize({ width: 390, height: 780 });
  const box = await chat.boundingBox();
  assert.ok(box.width >= 380 && box.height >= 760, JSON.stringify(box));
  await shot(ana, "chat-phone-es");
  assert.deepEqual(ana.errors, []);
});
