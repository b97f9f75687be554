/**
 * The documentation stays whole: every annotation the compiler knows is in
 * the annotations reference, no file cites a document that is not in the
 * repository, relative links in the Markdown pages reach existing files, and
 * every `decisions.md#…` anchor names a heading of the decisions page.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_NAMES, LEGACY_LABELS, LEGACY_STICKY_LABEL } from '../../src/compile/annotations/catalog.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Pages other branches of this step write (the CLI reference, ingress
 * selection, migration guides, edge hosts, dashboard, doctor, Secrets and
 * edge certificates). Links to them may dangle until they land: the lead
 * empties this list when merging them.
 */
const PAGES_OWNED_BY_OTHER_BRANCHES: readonly string[] = [];

/**
 * Files another branch owns whose citations that branch fixes (SECURITY.md
 * still says "decision 1" without a link); the lead empties this list when
 * merging it.
 */
const CITATIONS_FIXED_BY_OTHER_BRANCHES: readonly string[] = [];

const SCANNED_FOLDERS = ['src', 'sync', 'worker', 'test', 'bench', 'bin', 'deploy', 'examples', 'docs', '.ci'];
const SCANNED_ROOT_FILES = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'SECURITY.md', 'package.json', 'wrangler.toml', 'vitest.config.ts', 'tsconfig.json', 'biome.jsonc'];

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return /\.(ts|mts|mjs|js|md|yaml|yml|toml|json)$/.test(entry.name) || entry.name === 'run' ? [path] : [];
  });
}

function scannedFiles(): string[] {
  const files = [...SCANNED_FOLDERS.flatMap((folder) => walk(join(ROOT, folder))), ...SCANNED_ROOT_FILES.map((name) => join(ROOT, name))];
  return files.filter((file) => existsSync(file) && statSync(file).size < 2_000_000).map((file) => relative(ROOT, file));
}

const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/**
 * The research folder that sits beside the repository on a maintainer's
 * machine (not in the repository, so nothing may cite it). Assembled from
 * pieces so that this check does not itself contain the citation it forbids.
 */
const OUTSIDE_FOLDER = ['..', ['sha', 'red'].join(''), ''].join('/');
// Its content (reference pages, the style guide, hooks), not the name alone: `sync/common/` is a folder of the repository.
const OUTSIDE_CITATION = new RegExp(`${OUTSIDE_FOLDER.replace(/[.]/g, '\\.')}(reference|STYLE|hooks)\\b|${OUTSIDE_FOLDER.slice(3)}reference/`, 'i');

/** Citations of documents that are not in the repository, and what each line should say instead. */
const FOREIGN_CITATIONS: readonly { readonly pattern: RegExp; readonly unless?: RegExp }[] = [
  // "decision 5" means nothing without the page: a line citing one links it.
  { pattern: /\bdecisions? \d+/i, unless: /decisions\.md/ },
  { pattern: /\bbehaviou?r reference\b/i },
  { pattern: OUTSIDE_CITATION },
  { pattern: /\bedgress-decisions\.md\b|\bperformance anchors\b|\bcloudflare-constraints\.md\b/i },
  { pattern: /\bSTYLE(\.md)? §/ },
  { pattern: /\breference §\d/i },
  // Our issue tracker is not in the repository; other projects' issues name their project.
  { pattern: /\bissues? #?\d+/i, unless: /\b(Traefik|ingress-nginx|nginx|Kubernetes|workerd|Miniflare|wrangler|hono)\b[^.]*\bissues? #?\d+/i },
];

describe('docs/reference/annotations.md', () => {
  const page = text('docs/reference/annotations.md');

  it('names every annotation the compiler knows', () => {
    const missing = [...ANNOTATION_NAMES.keys()].filter((name) => !page.includes(`\`${name}\``));
    expect(ANNOTATION_NAMES.size).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('names every legacy Traefik label', () => {
    const labels = [...Object.values(LEGACY_LABELS), LEGACY_STICKY_LABEL];
    expect(labels.filter((label) => !page.includes(`\`${label}\``))).toEqual([]);
  });
});

describe('citations', () => {
  it('cite only documents in the repository', () => {
    const found: string[] = [];
    for (const file of scannedFiles()) {
      if (file === relative(ROOT, fileURLToPath(import.meta.url)) || CITATIONS_FIXED_BY_OTHER_BRANCHES.includes(file)) continue;
      // The decisions page is where "decision N" is defined.
      const isDecisionsPage = file === 'docs/design/decisions.md';
      text(file).split('\n').forEach((line, index) => {
        for (const { pattern, unless } of FOREIGN_CITATIONS) {
          if (isDecisionsPage && line.startsWith('#')) continue;
          if (pattern.test(line) && !unless?.test(line)) found.push(`${file}:${index + 1}: ${line.trim().slice(0, 120)}`);
        }
      });
    }
    expect(found).toEqual([]);
  });

  it('of a design decision name a heading of docs/design/decisions.md', () => {
    const anchors = new Set(
      text('docs/design/decisions.md').split('\n').filter((line) => line.startsWith('#')).map((line) => headingAnchor(line.replace(/^#+/, ''))),
    );
    expect(anchors).toContain('decision-8-redirects-see-the-client-url');
    const broken: string[] = [];
    for (const file of scannedFiles()) {
      for (const match of text(file).matchAll(/#(decision-\d+(?:-[a-z0-9]+)*)/g)) {
        if (!anchors.has(match[1] ?? '')) broken.push(`${file}: #${match[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    const flagged = (line: string) => FOREIGN_CITATIONS.some(({ pattern, unless }) => pattern.test(line) && !unless?.test(line));
    expect(flagged(' * fails closed (decision 5).')).toBe(true);
    expect(flagged(' * fails closed (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe).')).toBe(false);
    expect(flagged('(behaviour reference §3.2)')).toBe(true);
    expect(flagged(`see ${OUTSIDE_FOLDER}reference/x.md`)).toBe(true);
    expect(flagged(`see ${OUTSIDE_FOLDER.slice(3)}reference/x.md`)).toBe(true);
    expect(flagged(`see ${OUTSIDE_FOLDER}STYLE.md`)).toBe(true);
    expect(flagged(`import { silentLogger } from '../${OUTSIDE_FOLDER}log.ts';`)).toBe(false);
    expect(flagged('HTTP shaping (issue 4)')).toBe(true);
    expect(flagged('fixes Traefik issues #1957 and #4085')).toBe(false);
    expect(headingAnchor('Decision 13: the client is CF-Connecting-IP')).toBe('decision-13-the-client-is-cf-connecting-ip');
  });
});

describe('relative links in Markdown', () => {
  it('reach files of the repository', () => {
    const pages = scannedFiles().filter((file) => file.endsWith('.md'));
    expect(pages).toContain('README.md');
    const broken: string[] = [];
    for (const page of pages) {
      for (const match of text(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = match[1] ?? '';
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
        const target = relative(ROOT, resolve(ROOT, dirname(page), decodeURIComponent(href.split('#')[0] ?? '')));
        if (!existsSync(join(ROOT, target)) && !PAGES_OWNED_BY_OTHER_BRANCHES.includes(target)) broken.push(`${page}: ${href}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('README.md stays a front door that reaches every page of docs/', () => {
    const readme = text('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    const index = text('docs/README.md');
    const linked = (page: string) => readme.includes(`](${page}`) || index.includes(`](${relative('docs', page)}`);
    const pages = walk(join(ROOT, 'docs')).map((file) => relative(ROOT, file)).filter((file) => file !== 'docs/README.md');
    expect(pages.filter((page) => !linked(page))).toEqual([]);
    expect(readme).toContain('](docs/README.md)');
  });
});
