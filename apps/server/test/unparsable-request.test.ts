// Requests Node's HTTP parser refuses (an unknown method, headers past 16 KB), sent by a client
// that keeps uploading and reads the answer only afterwards, get their 400 or 431 from the
// built server instead of a connection reset that destroys the answer.
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { builtServerForSuite } from "./support/server-process.ts";

const PIECES = 16;
const PAUSE_MS = 40;

const server = builtServerForSuite("unparsable-request");

/** Writes `head` and then `bytes` of body in PIECES, reading the answer only after the last. */
function sendThenRead(head: string, bytes: number): Promise<string> {
  const { hostname, port } = new URL(server().url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    socket.pause();
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
    socket.write(head);
    const body = Buffer.alloc(bytes, "[");
    const piece = Math.ceil(bytes / PIECES);
    let offset = 0;
    const writeNext = () => {
      if (offset >= bytes || socket.destroyed) return void socket.resume();
      socket.write(body.subarray(offset, offset + piece));
      offset += piece;
      setTimeout(writeNext, PAUSE_MS);
    };
    writeNext();
  });
}

describe("requests the HTTP parser refuses", () => {
  it("an unknown method with a 256 KB body gets 400, three times in a row", async () => {
    for (let round = 0; round < 3; round++) {
      const answer = await sendThenRead(
        "FOO /trpc/catalog.list HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 262144\r\n\r\n",
        256 * 1024,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n/);
    }
  });

  it("headers past 16 KB get 431", async () => {
    const answer = await sendThenRead(`GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ${"a".repeat(20_000)}`, 64 * 1024);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  });

  it("keeps serving afterwards", async () => {
    const health = await fetch(`${server().url}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});
