import type { Socket } from 'node:net';

interface Marks {
  read: number;
  written: number;
}

/**
 * Bytes a request moved on its client connection, head included. A keep-alive connection
 * carries requests one after another, so each request counts from where the last ended.
 */
export class WireBytes {
  #marks = new WeakMap<Socket, Marks>();

  /** Sets where the next request on the socket starts counting (bytes handled elsewhere). */
  mark(socket: Socket, read: number, written: number): void {
    this.#marks.set(socket, { read, written });
  }

  /** Bytes read and written on the socket since the previous call for it. */
  take(socket: Socket): Marks {
    const read = socket.bytesRead;
    const written = socket.bytesWritten;
    const marks = this.#marks.get(socket);
    if (marks === undefined) {
      this.#marks.set(socket, { read, written });
      return { read, written };
    }
    const delta = { read: read - marks.read, written: written - marks.written };
    marks.read = read;
    marks.written = written;
    return delta;
  }
}
