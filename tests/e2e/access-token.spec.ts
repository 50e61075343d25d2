import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { io } from "socket.io-client";

// A second server on its own port and database, with an access token set: every page, API
// route and socket must refuse a client without it. (The build made for the first server
// is reused, so this starts in seconds.)
const port = 3101;
const base = `http://127.0.0.1:${port}`;
const token = "e2e-access-token-0123456789";
let server: ChildProcess;

test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dss-token-"));
  server = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(port), DSTREAM_STUDIO_TOKEN: token, DATABASE_URL: `file:${dir}/studio.db` },
    stdio: "ignore",
  });
  for (let i = 0; i < 240; i++) {
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (up === 401) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the token-protected server did not come up on port ${port}`);
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("without the token, pages, API routes and sockets are refused", async () => {
  for (const route of ["/", "/api/pipelines", "/api/health", "/pipelines/anything"]) {
    const res = await fetch(base + route, { redirect: "manual" });
    expect(res.status, route).toBe(401);
  }
  const wrong = await fetch(`${base}/api/pipelines`, { headers: { authorization: "Bearer not-the-token-at-all" } });
  expect(wrong.status).toBe(401);

  const error = await new Promise<string>((resolve) => {
    const socket = io(base, { path: "/socket.io", transports: ["websocket"], reconnection: false });
    socket.on("connect", () => {
      socket.close();
      resolve("connected");
    });
    socket.on("connect_error", (err) => {
      socket.close();
      resolve(err.message);
    });
  });
  expect(error).toMatch(/unauthorized/);
});

test("with the token, API clients, browsers and sockets get in", async ({ browser }) => {
  const api = await fetch(`${base}/api/pipelines`, { headers: { authorization: `Bearer ${token}` } });
  expect(api.status).toBe(200);
  expect((await api.json()).pipelines).toHaveLength(1);

  const connected = await new Promise<string>((resolve) => {
    const socket = io(base, { path: "/socket.io", transports: ["websocket"], reconnection: false, auth: { token } });
    socket.on("server:info", (info) => {
      socket.close();
      resolve(info.name);
    });
    socket.on("connect_error", (err) => resolve(err.message));
  });
  expect(connected).toBe("DStream Studio");

  // A browser opens the app once with ?token=, which is traded for a cookie.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/?token=${token}`);
  expect(new URL(page.url()).search).toBe("");
  await expect(page.getByTestId("pipeline-list")).toContainText("Transactions per account");
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await context.close();
});
