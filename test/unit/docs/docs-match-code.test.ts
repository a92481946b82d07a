import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { channels, eventNames, shellChannels } from '../../../src-main/shared/contract.ts';

const docs = readdirSync('docs')
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name, text: readFileSync(path.join('docs', name), 'utf8') }));
const all = docs.map((doc) => doc.text).join('\n');
const architecture = readFileSync('docs/ARCHITECTURE.md', 'utf8');

/** Everything written `like/this` in a document that looks like a path of this repository. */
function pathsIn(text: string): string[] {
  return [...text.matchAll(/`((?:src-main|src-renderer|test|scripts|bench|docs|\.github)\/[^`*\s]*)`/g)].map(
    ([, found]) => found!.replace(/\/$/, ''),
  );
}

/** The documents are checked against the code, so they cannot quietly go stale. */
describe('docs match the code', () => {
  it.each([...channels, ...shellChannels])('the call %s is described', (channel) => {
    expect(all).toContain(`\`${channel}\``);
  });

  it.each([...eventNames])('the event %s is described', (event) => {
    expect(all).toContain(`\`${event}\``);
  });

  it.each(docs.map((doc) => [doc.name, doc.text] as const))('every path %s names exists', (_name, text) => {
    const missing = pathsIn(text).filter((file) => !existsSync(file));
    expect(missing).toEqual([]);
  });

  it('ARCHITECTURE.md is a one-screen map that links every topic document', () => {
    expect(architecture.split('\n').length).toBeLessThanOrEqual(90);
    for (const doc of docs.filter((d) => d.name !== 'ARCHITECTURE.md'))
      expect(architecture, doc.name).toContain(`(${doc.name})`);
  });
});
