import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How long a connection answered before its request body was read stays open, discarding what
 * the client still sends, before it is cut.
 */
export const LINGER_MS = 2_000;
/** Most bytes thrown away meanwhile: a client that goes on sending regardless is cut. */
export const LINGER_BYTES = 4 * 1024 * 1024;

/**
 * Answers on this connection close it, gracefully: the answer is followed by the end of our side
 * (FIN), and what the client still sends of its body is read and thrown away until it closes its
 * side, {@link LINGER_MS} pass or {@link LINGER_BYTES} came. Closing a socket at once with unread
 * data in it makes the kernel reset the connection, and a reset can destroy the answer before the
 * client reads it — the client sees "EPIPE" or "connection reset" instead of our 413 or 401 (the
 * lingering close of nginx and Apache, for the same reason).
 *
 * Call it before the answer is written, for a request whose body is not (all) read.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  const socket = req.socket;
  // Node's server calls destroySoon once an answer with `Connection: close` is written.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // The client's FIN after the rest of its body: nothing more to wait for.
    socket.once('end', () => socket.destroy());
    let discarded = 0;
    req.removeAllListeners('data');
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > LINGER_BYTES) socket.destroy();
    });
    req.resume();
    socket.resume();
  };
}
