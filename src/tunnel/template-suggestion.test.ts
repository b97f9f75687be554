import { describe, expect, it } from 'vitest';
import type { ServiceTarget } from '../table/schema.ts';
import { parseHostnameTemplate, tunnelHostname } from './hostname-template.ts';
import { separatesAll, suggestTemplate } from './template-suggestion.ts';

const target = (namespace: string, name: string, port = 80): ServiceTarget => ({ namespace, name, port });

/** The hostnames the suggested template gives, which must all differ. */
function hostnames(template: string, targets: readonly ServiceTarget[]): string[] {
  const parsed = parseHostnameTemplate(template);
  if (!parsed.ok) throw new Error(parsed.error);
  return targets.map((each) => tunnelHostname(parsed.template, each));
}

describe('a template that tells colliding Services apart', () => {
  it.each([
    ['{service}-{namespace}.tunnel.example.com', [target('c', 'a-b'), target('b-c', 'a')]],
    ['{namespace}-{service}.tunnel.example.com', [target('a-b', 'c'), target('a', 'b-c')]],
    ['{service}{namespace}.tunnel.example.com', [target('bc', 'a'), target('c', 'ab')]],
    ['{service}-{namespace}-edge.tunnel.example.com', [target('b-edge', 'a'), target('edge', 'a-b')]],
    ['{service}-{port}-{namespace}.tunnel.example.com', [target('c', 'a-80'), target('80-c', 'a')]],
    ['{service}{port}-{namespace}.t.example.com', [target('x', 'web', 180), target('x', 'web1', 80)]],
    ['{service}--{namespace}.tunnel.example.com', [target('c', 'a--b'), target('b--c', 'a')]],
  ])('%s', (template, targets) => {
    expect(separatesAll(template, targets)).toBe(false);
    const suggestion = suggestTemplate(template, targets);
    expect(suggestion).toBeDefined();
    const names = hostnames(suggestion ?? '', targets);
    expect(new Set(names).size).toBe(targets.length);
  });

  it('adds {port} when two ports of one Service collide', () => {
    const targets = [target('shop', 'web', 80), target('shop', 'web', 8080)];
    expect(suggestTemplate('{service}-{namespace}.tunnel.example.com', targets)).toBe('{service}-{port}-{namespace}.tunnel.example.com');
  });

  it('keeps hostnames clear of hosts that are taken', () => {
    const targets = [target('c', 'a-b'), target('b-c', 'a')];
    const taken = (hostname: string) => hostname === 'a--b-c.tunnel.example.com';
    const suggestion = suggestTemplate('{service}-{namespace}.tunnel.example.com', targets, taken) ?? '';
    expect(hostnames(suggestion, targets).some(taken)).toBe(false);
    expect(new Set(hostnames(suggestion, targets)).size).toBe(2);
  });

  it('falls back to a DNS label per placeholder when separators would make a label too long', () => {
    const long = 'x'.repeat(30);
    const targets = [target(`${long}-b`, long), target('b', `${long}-${long.slice(0, 1)}`)];
    const suggestion = suggestTemplate('{service}-{namespace}.tunnel.example.com', [...targets, target(`${long}-b`, `${long}-${long.slice(0, 1)}`)]);
    expect(suggestion).toBe('{service}.{namespace}.tunnel.example.com');
  });
});
