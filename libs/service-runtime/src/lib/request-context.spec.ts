import { Writable } from 'node:stream';
import { createLoggers } from './loggers';
import { currentRequestId, enterRequestContext, outsideRequest, withRequestId } from './request-context';

function capturedLoggers() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
  return { ...createLoggers('info', destination), lines };
}

describe('the request context', () => {
  it('puts the request id on the lines the root logger writes while the request is served, across awaits', async () => {
    const { root, lines } = capturedLoggers();
    root.info('before');
    await withRequestId('req-7', async () => {
      root.info('at the start');
      await new Promise((resolve) => setImmediate(resolve));
      root.child({ context: 'Nest' }).info({ tool: 'echo' }, 'after an await, from a child');
    });
    root.info('after');
    expect(lines.map(({ msg, reqId }) => ({ msg, reqId }))).toEqual([
      { msg: 'before', reqId: undefined },
      { msg: 'at the start', reqId: 'req-7' },
      { msg: 'after an await, from a child', reqId: 'req-7' },
      { msg: 'after', reqId: undefined },
    ]);
    expect(lines[2]).toMatchObject({ context: 'Nest', tool: 'echo' });
  });

  it('keeps each line to its own fields, in a request or not', () => {
    const { root, lines } = capturedLoggers();
    const nest = root.child({ context: 'Nest' });
    nest.info({ first: 1 }, 'one');
    nest.info('two');
    withRequestId('req-11', () => {
      nest.info({ third: 3 }, 'three');
      nest.info('four');
    });
    const ownFields = (line: Record<string, unknown>) => Object.keys(line).filter((key) => !['level', 'time', 'pid', 'hostname'].includes(key));
    expect(lines.map(ownFields)).toEqual([
      ['context', 'first', 'msg'],
      ['context', 'msg'],
      ['context', 'reqId', 'third', 'msg'],
      ['context', 'reqId', 'msg'],
    ]);
  });

  it('keeps concurrent requests apart', async () => {
    const { root, lines } = capturedLoggers();
    const serve = (id: string) =>
      withRequestId(id, async () => {
        await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 20 : 1));
        root.info(`served ${id}`);
        return currentRequestId();
      });
    expect(await Promise.all([serve('a'), serve('b')])).toEqual(['a', 'b']);
    expect(lines.map(({ msg, reqId }) => `${msg}:${reqId}`).sort()).toEqual(['served a:a', 'served b:b']);
  });

  it('leaves work started outside any request without an id', () => {
    const { root, lines } = capturedLoggers();
    withRequestId('req-8', () => outsideRequest(() => root.info('a connection of its own')));
    expect(lines[0]).not.toHaveProperty('reqId');
    expect(withRequestId('req-8', () => outsideRequest(currentRequestId))).toBeUndefined();
  });

  it('as a Fastify hook, runs what follows the hook as part of the request', async () => {
    const { root, lines } = capturedLoggers();
    await new Promise<void>((resolve) =>
      enterRequestContext({ id: 'req-9' }, undefined, () => {
        void Promise.resolve().then(() => {
          root.warn('from the handler');
          resolve();
        });
      }),
    );
    expect(lines).toEqual([expect.objectContaining({ msg: 'from the handler', reqId: 'req-9', level: 40 })]);
  });

  it('never lets the context override what a line says itself, and still redacts', () => {
    const { root, lines } = capturedLoggers();
    withRequestId('req-10', () => root.info({ reqId: 'explicit', authorization: 'Bearer a', call: { token: 'b' } }, 'explicit id'));
    expect(lines[0]).toMatchObject({ reqId: 'explicit', authorization: '[redacted]', call: { token: '[redacted]' } });
    expect(JSON.stringify(lines)).not.toMatch(/Bearer a|"b"/);
  });
});
