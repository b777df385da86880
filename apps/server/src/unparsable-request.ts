import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

/** Node's own answers to requests its parser refuses; anything else is a 400. */
const STATUS_BY_PARSER_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Answers a request that Node's HTTP parser refused (an unknown method, a malformed header,
 * headers past the size limit) as Node does, with 400, 431 or 408 and `Connection: close`,
 * then keeps reading and discarding for up to `lingerMs` before closing.
 *
 * Node's default closes at once. With the rest of the request still arriving, the kernel then
 * resets the connection, and the reset often destroys the answer before the client reads it.
 * Reading on until the client closes its side (it does after reading the answer) lets the
 * answer arrive. A `clientError` listener for `http.Server`.
 */
export function answerUnparsableRequest(lingerMs = 2000) {
  const answered = new WeakSet<Socket>();
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (answered.has(socket)) return; // The parser reports every later chunk too.
    answered.add(socket);
    // As Node does: no answer on a reset socket, or after bytes of an earlier answer.
    if (error.code === "ECONNRESET" || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const status = STATUS_BY_PARSER_CODE[error.code ?? ""] ?? 400;
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    socket.on("end", () => socket.destroy());
    socket.resume();
  };
}
