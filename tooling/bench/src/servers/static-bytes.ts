// Peer (d): bare node:http answering every request with the very same bytes the full
// server sent, from memory. The physical limit for this response on this machine.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { exitOnSigterm, listenPort } from "./shared-http.ts";

const body = readFileSync(process.env.BENCH_BODY_FILE ?? "");
const health = Buffer.from('{"status":"ok"}');
const server = createServer((request, response) => {
  const payload = request.url === "/health" ? health : body;
  response.writeHead(200, { "Content-Type": "application/json", "Content-Length": payload.length });
  response.end(payload);
});
server.listen(listenPort(), "127.0.0.1");
exitOnSigterm(() => new Promise((resolve) => server.close(resolve)));
