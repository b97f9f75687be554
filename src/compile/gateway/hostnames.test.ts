import { describe, expect, it } from 'vitest';
import { hostnameCovers, hostnameProblem, intersectHostnames } from './hostnames.ts';

describe('intersectHostnames (listener × route)', () => {
  it('serves any host when neither names one', () => {
    expect(intersectHostnames(undefined, [])).toEqual(['']);
  });

  it("takes the listener's hostname when the route names none, and the route's when the listener names none", () => {
    expect(intersectHostnames('*.example.com', [])).toEqual(['*.example.com']);
    expect(intersectHostnames(undefined, ['a.example.com', 'a.example.com'])).toEqual(['a.example.com']);
  });

  it('keeps the route hostnames a listener wildcard covers, one or more labels deep, and drops the others', () => {
    expect(intersectHostnames('*.example.com', ['test.example.com', 'foo.test.example.com', 'example.com', 'test.example.net'])).toEqual([
      'test.example.com',
      'foo.test.example.com',
    ]);
  });

  it("narrows a route wildcard to the listener's exact hostname", () => {
    expect(intersectHostnames('test.example.com', ['*.example.com'])).toEqual(['test.example.com']);
    expect(intersectHostnames('test.example.com', ['*.example.net'])).toEqual([]);
  });

  it('keeps the narrower of two wildcards', () => {
    expect(intersectHostnames('*.example.com', ['*.foo.example.com'])).toEqual(['*.foo.example.com']);
    expect(intersectHostnames('*.foo.example.com', ['*.example.com'])).toEqual(['*.foo.example.com']);
    expect(intersectHostnames('*.example.com', ['*.example.com'])).toEqual(['*.example.com']);
  });

  it('finds no intersection for an exact mismatch', () => {
    expect(intersectHostnames('a.example.com', ['b.example.com'])).toEqual([]);
  });
});

describe('hostnameCovers', () => {
  it('never lets a wildcard cover its own suffix', () => {
    expect(hostnameCovers('*.example.com', 'example.com')).toBe(false);
    expect(hostnameCovers('*.example.com', 'xexample.com')).toBe(false);
    expect(hostnameCovers('*.example.com', 'a.b.example.com')).toBe(true);
  });
});

describe('hostnameProblem', () => {
  it('refuses what the API server refuses', () => {
    expect(hostnameProblem('*')).toMatch(/bare \*/);
    expect(hostnameProblem('Foo.example.com')).toMatch(/lower-case/);
    expect(hostnameProblem('10.0.0.1')).toMatch(/IP/);
    expect(hostnameProblem('a.*.example.com')).toMatch(/wildcard/);
    expect(hostnameProblem('*.example.com')).toBeUndefined();
  });
});
