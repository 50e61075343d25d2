import net from "node:net";

/**
 * Sends `request` as raw bytes and resolves with the status line's code and the whole answer
 * once the server closes the connection; rejects when no answer comes within `limitMs` (a hung
 * request holds a socket, which is the failure these tests look for).
 */
export function rawRequest(port: number, request: string | Buffer, limitMs = 5000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${limitMs} ms to ${JSON.stringify(String(request).slice(0, 80))}`));
    }, limitMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => undefined); // a reset after the answer is fine; a missing answer fails below
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) reject(new Error(`the connection closed without an HTTP answer (got ${JSON.stringify(text.slice(0, 80))})`));
      else resolve({ status: Number(m[1]), text });
    });
    socket.write(request);
  });
}
