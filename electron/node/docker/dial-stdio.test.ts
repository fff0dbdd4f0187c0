/** The ping a dial-stdio connection must answer before it is handed over. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPingAnswer } from './dial-stdio.js';

const ANSWER = 'HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nServer: Docker/20.10.24+dfsg1 (linux)\r\nContent-Length: 2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOK';
const failure = () => new Error('ended');

describe('readPingAnswer', () => {
  it('waits for the whole answer however it is cut, and keeps what follows it', async () => {
    const bytes = Buffer.from(`${ANSWER}HTTP/1.1 200 OK\r\n`);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const stdout = new PassThrough();
      let settled = false;
      const answer = readPingAnswer(stdout, failure).finally(() => (settled = true));
      stdout.write(bytes.subarray(0, Math.min(cut, ANSWER.length - 1)));
      await new Promise((r) => setImmediate(r));
      expect(settled).toBe(false);
      stdout.write(bytes.subarray(Math.min(cut, ANSWER.length - 1)));
      expect((await answer).toString()).toBe('HTTP/1.1 200 OK\r\n');
    }
  });

  it('fails when the connection ends or breaks first, or the daemon does not say 200', async () => {
    const ended = new PassThrough();
    const a = readPingAnswer(ended, failure);
    ended.end('HTTP/1.1 200 OK\r\n');
    await expect(a).rejects.toThrow('ended');
    const refused = new PassThrough();
    const b = readPingAnswer(refused, failure);
    refused.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops!');
    await expect(b).rejects.toThrow('its daemon answered a ping with HTTP/1.1 500 Internal Server Error');
    const reset = new PassThrough();
    const c = readPingAnswer(reset, failure);
    reset.destroy(new Error('read ECONNRESET'));
    await expect(c).rejects.toThrow('read ECONNRESET');
  });
});
