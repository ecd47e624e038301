import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '@ciba/ciba';
import { PROBLEM_TYPES, problemTypeUri } from './problem-types.js';

/**
 * Requests Node's HTTP parser refuses (a bare LF or a control character in a header, headers too
 * large) never reach the app; they still get a problem document, then the connection closes.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      type: problemTypeUri(ErrorCode.InvalidRequest),
      title: PROBLEM_TYPES[ErrorCode.InvalidRequest].title,
      status,
      detail: tooLarge ? 'The request headers are too large.' : 'The request is not valid HTTP.',
      code: ErrorCode.InvalidRequest,
    });
    const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
