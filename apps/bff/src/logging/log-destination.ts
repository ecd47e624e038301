import pinoPretty from 'pino-pretty';
import { TurnBufferedLines } from './turn-buffered-lines.js';

/** Every JSON escape, in order (an escaped backslash is consumed whole, never read as the start of another). */
const JSON_ESCAPE = /\\(?:u[0-9a-fA-F]{4}|.)/g;
/** The escape of a control character (C0, DEL), as pino writes them: `\n`, `\u001b`, ... */
const CONTROL_ESCAPE = /^\\(?:[bfnrt]|u00[01][0-9a-fA-F]|u007[fF])$/;
/** C1 controls and bidirectional overrides: valid in JSON as they are, but a terminal obeys them. */
const RAW_TERMINAL_CONTROL = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Keeps a JSON line's control characters visible once pino-pretty has parsed it: their escapes
 * are escaped once more, so a value cannot start a line of its own or send the terminal an
 * escape sequence (in JSON mode the encoding itself does this).
 */
export function terminalSafe(line: string): string {
  return line
    .replace(JSON_ESCAPE, (escape) => (CONTROL_ESCAPE.test(escape) ? `\\${escape}` : escape))
    .replace(RAW_TERMINAL_CONTROL, (char) => `\\\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Where log lines go. API.md §6: JSON lines on stdout, which is what a container runtime, a log
 * shipper and the tests read (none of them is a terminal). A person at a terminal (`npm start`)
 * gets the same records formatted for reading instead. pino-pretty runs as a stream in this
 * process, not as a transport worker thread: the lines are masked before they are serialised
 * (`logger.ts`), so the formatter only ever sees masked JSON, and a line is written before
 * `process.exit()` can drop it. JSON lines to the process's stdout are written once per
 * event-loop turn (`batchTurns`, see turn-buffered-lines.ts); a stream given by a caller (tests)
 * gets each line as it is logged.
 */
export function logDestination(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  options: { batchTurns?: boolean } = {},
): NodeJS.WritableStream {
  if (!stream.isTTY) return options.batchTurns ? (new TurnBufferedLines(stream) as unknown as NodeJS.WritableStream) : stream;
  const pretty = pinoPretty({
    destination: stream,
    sync: true,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    // The same on every line of this one process: noise at a terminal.
    ignore: 'pid,hostname,service',
  });
  return { write: (line: string) => pretty.write(terminalSafe(line)) } as unknown as NodeJS.WritableStream;
}
