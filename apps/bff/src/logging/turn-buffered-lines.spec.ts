import { Writable } from 'node:stream';
import { TurnBufferedLines } from './turn-buffered-lines.js';

/** A stream that keeps each write it gets. */
function recorder() {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  return { stream, writes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBufferedLines', () => {
  it('writes the lines of one turn once, in order, after the turn', async () => {
    const out = recorder();
    const lines = new TurnBufferedLines(out.stream);
    lines.write('{"n":1}\n');
    lines.write('{"n":2}\n');
    lines.write('{"n":3}\n');
    expect(out.writes).toEqual([]);
    await nextTurn();
    expect(out.writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);
  });

  it('starts a new write for the next turn', async () => {
    const out = recorder();
    const lines = new TurnBufferedLines(out.stream);
    lines.write('a\n');
    await nextTurn();
    lines.write('b\n');
    await nextTurn();
    expect(out.writes).toEqual(['a\n', 'b\n']);
  });

  it('writes what it holds at once when flushed (as on exit), and nothing twice', async () => {
    const out = recorder();
    const lines = new TurnBufferedLines(out.stream);
    lines.write('last words\n');
    lines.flush();
    expect(out.writes).toEqual(['last words\n']);
    await nextTurn();
    expect(out.writes).toEqual(['last words\n']);
  });
});
