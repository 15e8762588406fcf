// Starts a real atende server on a fresh SQLite database with the demo data, and a headless
// Debian Chromium driven by playwright-core. Screenshots go to docs/screenshots/.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const shots = join(root, "docs", "screenshots");
export const PASSWORD = "atende-demo-2026";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(base, child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`atende exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("atende did not become ready");
}

/** A server with the demo data in a directory of its own; `await stop()` ends it and removes the data. */
export const INBOUND_TOKEN = "e2e-pipe";

/** Delivers a raw message to the server as an MTA pipe does; resolves to the receipt. */
export async function deliverMail(base, raw) {
  const res = await fetch(`${base}/api/v1/inbound/email`, {
    method: "POST",
    headers: { "x-inbound-token": INBOUND_TOKEN, "content-type": "message/rfc822" },
    body: raw.replaceAll("\n", "\r\n"),
  });
  return res.json();
}

export async function startServer() {
  const bin = process.env.ATENDE_BIN || join(root, "target", "debug", "atende");
  const dataDir = mkdtempSync(join(tmpdir(), "atende-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ATENDE_DATA_DIR: dataDir,
    ATENDE_LISTEN: `127.0.0.1:${port}`,
    ATENDE_PUBLIC_URL: base,
    ATENDE_SUPPORT_EMAIL: "help@atende.test",
    ATENDE_LOG: "warn",
    // The MTA pipe, so that journeys can deliver e-mail as a mail server would.
    ATENDE_MAIL_INBOUND_TOKEN: INBOUND_TOKEN,
    // Ticket updates reach the chat within a second.
    ATENDE_MAIL_SECONDS: "1",
  };
  execFileSync(bin, ["demo"], { env, stdio: "ignore" });
  const child = spawn(bin, ["serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  await waitReady(base, child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    base,
    // Ends the server, then removes its data once it has let go of it.
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, with the flags this network needs (no background connections). */
export async function startBrowser() {
  mkdirSync(shots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh browser context (its own cookies) in a language, at a desktop size. */
export async function newPage(browser, locale = "en-US") {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.errors = errors;
  return page;
}

export async function signIn(page, base, email) {
  await page.goto(`${base}/login`);
  await page.locator("form[action='/login']").getByLabel(/e-mail|correo/i).fill(email);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("form[action='/login'] button[type=submit]").click();
  await page.waitForLoadState("load");
}

export async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** An API session for setup steps that are not what the test is about. */
export async function api(base, email) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const { token } = await r.json();
  return async (method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  };
}
