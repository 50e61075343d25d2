import net from "node:net";
import { expect, test } from "@playwright/test";
import { inp, out, place, wire } from "./helpers/editor";

test.use({ viewport: { width: 1600, height: 1000 } });

/** A free loopback port: bind to port 0, read the port, release it. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

// Spark's first example, `nc -lk 9999` and a word count, built by drag and drop. The test owns
// the TCP server (as nc would be): first absent, so the run waits; then listening and sending lines.
test("socket word count: built in the designer, fed over a real TCP socket, counts on the console", async ({ page }) => {
  const port = await freePort();
  const peers: net.Socket[] = [];
  const server = net.createServer((socket) => {
    peers.push(socket);
    socket.write("to be or not to be\nthat is the question\n");
  });
  try {
    await page.goto("/pipelines/new");
    await page.getByRole("button", { name: "Blank" }).click();
    await expect(page.getByTestId("editor")).toBeVisible();

    // Each node stays where it is dropped: a zigzag from left to right, so that every wire is
    // drawn forwards and no node covers another's handles.
    await place(page, "socketText", 20, 60);
    await place(page, "flatMap", 260, 220);
    await place(page, "mapToPair", 500, 60);
    await place(page, "reduceByKey", 670, 220);
    await place(page, "print", 860, 60);
    for (const id of ["socketText1", "flatMap1", "mapToPair1", "reduceByKey1", "print1"]) await expect(page.getByTestId(`node-${id}`)).toBeVisible();

    await page.getByTestId("node-socketText1").click();
    await page.getByTestId("field-host").locator("input").fill("127.0.0.1");
    await page.getByTestId("field-port").locator("input").fill(String(port));
    await page.getByTestId("node-mapToPair1").click();
    await page.getByTestId("code-fn").locator(".cm-content").fill("(word) => [word, 1]");

    await wire(page, out(page, "socketText1"), inp(page, "flatMap1"));
    await wire(page, out(page, "flatMap1"), inp(page, "mapToPair1"));
    await wire(page, out(page, "mapToPair1"), inp(page, "reduceByKey1"));
    await wire(page, out(page, "reduceByKey1"), inp(page, "print1"));
    await expect(page.locator(".react-flow__edge")).toHaveCount(4);
    await expect(page.getByTestId("problems")).toContainText("0 errors");

    // Nothing listens yet: the run says it waits for the socket.
    await page.getByTestId("run").click();
    await expect(page.getByTestId("run-status")).toHaveText("waiting", { timeout: 30_000 });
    await expect(page.getByTestId("notice")).toContainText(`waiting for 127.0.0.1:${port}`);

    // The server comes up: the receiver connects again by itself and the counts appear.
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    const console = page.getByTestId("run-console");
    await expect(console).toContainText("(to,2)", { timeout: 30_000 });
    await expect(console).toContainText("(be,2)");
    await expect(console).toContainText("(question,1)");
    await expect(page.getByTestId("run-status")).toHaveText("running");

    // More lines on the same connection land in a later batch.
    peers[0].write("be quick\n");
    await expect(console).toContainText("(quick,1)", { timeout: 30_000 });

    await page.getByTestId("stop").click();
    await expect(page.getByTestId("run-status")).toHaveText(/stopp/, { timeout: 15_000 });
  } finally {
    for (const p of peers) p.destroy();
    await new Promise((r) => server.close(r));
  }
});
