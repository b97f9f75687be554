import { expect, it } from 'vitest';
import { normalizeHost } from '../../src/match/normalize.ts';
it('normalises hosts', () => expect(normalizeHost('A.B:1')).toBe('a.b'));
