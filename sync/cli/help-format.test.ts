import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../common/duration.ts';
import { describeFailure, listenFailure } from './exit.ts';
import { formatSections, helpWidth } from './help-format.ts';

describe('help layout', () => {
  it('takes the width from COLUMNS, else a terminal, else 80', () => {
    expect(helpWidth({ COLUMNS: '120' }, { isTTY: true, columns: 60 })).toBe(120);
    expect(helpWidth({}, { isTTY: true, columns: 60 })).toBe(60);
    expect(helpWidth({}, { isTTY: false, columns: 60 })).toBe(80);
    expect(helpWidth({ COLUMNS: 'wide' }, {})).toBe(80);
  });

  it('re-flows paragraphs and hangs item descriptions, within the width', () => {
    const text = formatSections(
      [
        { title: 'About:', paragraphs: ['one two three four five six seven\neight nine ten eleven twelve thirteen', 'second paragraph'] },
        { title: 'Exit status:', items: [['0', 'done and dusted, with every word of this description kept on lines that fit']] },
      ],
      44,
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(44);
    expect(text).toContain('About:\n  one two three four five six seven eight\n  nine ten eleven twelve thirteen\n\n  second paragraph');
    // Too narrow to put descriptions beside their terms: under them, still wrapped.
    expect(text).toContain('Exit status:\n  0\n        done and dusted, with every word of\n        this description');
    const wide = formatSections([{ title: 'Exit status:', items: [['0', 'done and dusted, with every word of this description kept on lines that fit']] }], 60);
    expect(wide).toBe('Exit status:\n  0  done and dusted, with every word of this description\n     kept on lines that fit\n');
  });
});

describe('durations in help', () => {
  it.each([[3_600_000, '1h'], [90_000, '1m30s'], [500, '500ms'], [0, '0s'], [3_723_004, '1h2m3s4ms']])('%i ms is %s, which parses back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('failures in one line', () => {
  const errno = (code: string, extra: object) => Object.assign(new Error(`${code}: something`), { code, ...extra });

  it('names a port in use and the flag that moves it', () => {
    const failure = listenFailure(errno('EADDRINUSE', { syscall: 'listen', port: 8787, address: '127.0.0.1' }), '--port');
    expect(failure?.message).toBe('port 8787 on 127.0.0.1 is already in use: stop the program listening there, or choose another port with --port <n> (0 picks a free one)');
    expect(failure?.status).toBe(1);
    expect(listenFailure(new Error('something else'), '--port')).toBeUndefined();
  });

  it('says what a system error means, without its stack', () => {
    expect(describeFailure(errno('ENOENT', { path: '/x/y' }))).toBe('/x/y: no such file or directory');
    expect(describeFailure(errno('EACCES', { path: '/x' }))).toBe('/x: permission denied');
    expect(describeFailure(new Error('first line\n    at frame'))).toBe('first line');
    expect(describeFailure(new Error('cannot write t.json: its directory does not exist', { cause: errno('ENOENT', { path: 't.json.tmp' }) }))).toBe(
      'cannot write t.json: its directory does not exist',
    );
  });
});
