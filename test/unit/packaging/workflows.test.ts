import { readFileSync } from 'node:fs';
import { validateWorkflow } from '@action-validator/core';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

type Step = {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
};
type Job = {
  'runs-on': string;
  strategy?: { matrix: { os: string[] } };
  env?: Record<string, string>;
  steps: Step[];
  needs?: string;
  permissions?: Record<string, string>;
};
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job>; permissions?: Record<string, string> };

const source = (name: string) => readFileSync(`.github/workflows/${name}`, 'utf8');
const workflow = (name: string) => load(source(name)) as Workflow;
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/**
 * The GitHub workflows, checked here because they only run on GitHub: against the workflow
 * schema (action-validator), and for what this project needs of them.
 */
describe('GitHub workflows', () => {
  it.each(['ci.yml', 'release.yml'])('%s is a valid workflow', (name) => {
    expect(validateWorkflow(source(name)).errors).toEqual([]);
  });

  it('a broken workflow is caught by the same check', () => {
    const broken = source('ci.yml').replace('runs-on: ${{ matrix.os }}', 'runs_on: ${{ matrix.os }}');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it('CI runs npm test on push and pull request, on Linux, Windows and macOS', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    const job = ci.jobs.test!;
    expect(job.strategy?.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    const runs = job.steps.map((step) => step.run ?? '');
    expect(runs).toContain('xvfb-run --auto-servernum npm test');
    expect(job.steps.find((step) => step.run === 'xvfb-run --auto-servernum npm test')?.if).toBe(
      "runner.os == 'Linux'",
    );
    expect(job.steps.find((step) => step.run === 'npm test')?.if).toBe("runner.os != 'Linux'");
    // The Electron end-to-end tests fail there if the binary is missing, rather than skip.
    expect(job.env?.POSTHORN_REQUIRE_ELECTRON).toBe('1');
    expect(runs).toContain('node node_modules/electron/install.js');
    // The Playwright report is kept when a run fails.
    const report = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(report?.if).toBe('failure()');
    expect(String(report?.with?.path)).toContain('playwright-report/');
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('a version tag builds the installers on each system with npm run dist and drafts a release', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    const build = release.jobs.installers!;
    expect(build.strategy?.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    const dist = build.steps.find((step) => step.run === 'npm run dist');
    // Signing and notarisation only from repository secrets, never from the repository itself.
    for (const name of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'])
      expect(dist?.env?.[name]).toBe(`\${{ secrets.${name} }}`);
    const draft = release.jobs['draft-release']!;
    expect(draft.needs).toBe('installers');
    expect(draft.permissions).toEqual({ contents: 'write' });
    expect(draft.steps.map((step) => step.run ?? '').join('\n')).toMatch(/gh release create "\$TAG" --draft/);
  });

  it('every npm script the workflows run exists', () => {
    for (const name of ['ci.yml', 'release.yml']) {
      for (const [, script] of source(name).matchAll(/npm run ([\w:-]+)/g))
        expect(scripts, `npm run ${script} in ${name}`).toHaveProperty(script!);
    }
    expect(scripts).toHaveProperty('test');
  });
});
