// Answers given before the body was read (405, 401 before tRPC reads the input, 413 from
// Content-Length) reach a client that sends `Connection: close` and uploads slowly: the
// server reads the rest of the body first instead of resetting the connection under it.
import { type AddressInfo, connect } from "node:net";
import { appRouter } from "@cartwheel/api";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app.ts";

const KB = 1024;
const PIECES = 16;
const PAUSE_MS = 60;
let t: TestApp;
let server: ReturnType<typeof serve>;
let url = "";

beforeAll(async () => {
  t = await createTestApp({ router: appRouter, authenticate: undefined });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/**
 * One request on its own `Connection: close` connection, its body written in PIECES over about
 * a second, the answer read only once the upload is done, as a busy client would. If the server closes the socket
 * while body bytes are still unread, the kernel resets the connection, and the reset discards
 * the answer waiting in the client's receive buffer.
 */
function uploadThenRead(method: string, path: string, bytes: number): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    socket.pause();
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${bytes}\r\n\r\n`,
    );
    const body = Buffer.alloc(bytes, "x");
    const piece = Math.ceil(bytes / PIECES);
    let offset = 0;
    const writeNext = () => {
      if (offset >= bytes) return void socket.resume();
      socket.write(body.subarray(offset, offset + piece));
      offset += piece;
      setTimeout(writeNext, PAUSE_MS);
    };
    writeNext();
  });
}

describe("answers that need no body, to a Connection: close client that reads late", () => {
  it.each([
    ["DELETE", "/trpc/catalog.list", 1024 * KB, 405, "DELETE is not allowed here"],
    ["POST", "/trpc/orders.place", 48 * KB, 401, "Sign in"],
    ["POST", "/trpc/auth.login", 1024 * KB, 413, "larger than this call accepts"],
  ])("%s %s with a %i-byte body gets its %i", async (method, path, bytes, status, message) => {
    for (let round = 0; round < 3; round++) {
      const answer = await uploadThenRead(method, path, bytes);
      expect(answer.status).toBe(status);
      expect(answer.body).toContain(message);
    }
  });
});

it("does not wait for a body declared past the bulk cap: the 413 says Connection: close", async () => {
  const { port } = new URL(url);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("error", reject);
    socket.on("end", () => resolve(text));
    socket.write(
      "POST /trpc/auth.login HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        `Content-Type: application/json\r\nContent-Length: ${100 * 1024 * KB}\r\n\r\n`,
    );
  });
  expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  expect(answer.toLowerCase()).toContain("\r\nconnection: close\r\n");
});
