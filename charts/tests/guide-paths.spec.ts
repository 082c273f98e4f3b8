import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type ChartName, charts, fixturePath, guideNamespace, helm, renderText } from './support/helm';
import { repoRoot } from './support/tools';

/** Where the guide's Steps 5, 6 and 10 find the charts, from the repository root. */
const guidePath = (chart: ChartName) => `${chart}/helm/${chart}-chart`;

describe.each(charts)("%s at the guide's path", (chart) => {
  it(`is ${guidePath(chart)}, a relative link to charts/${chart} (so it works in any clone)`, () => {
    const link = join(repoRoot, guidePath(chart));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(`../../charts/${chart}`);
  });

  it('renders what charts/ renders, for the install and for the image upgrade', () => {
    const install = { valuesFiles: [`${chart}-values.yaml`] };
    const upgrade = { ...install, set: { 'image.tag': '1.1.0' } };
    for (const options of [install, upgrade]) {
      const throughGuidePath = renderText(chart, { ...options, chartDir: guidePath(chart) });
      expect(throughGuidePath).toContain(`kind: Deployment`);
      expect(throughGuidePath).toBe(renderText(chart, options));
    }
  });

  it('passes helm lint --strict with the guide values', () => {
    const args = ['lint', '--strict', guidePath(chart), '--namespace', guideNamespace];
    const output = helm([...args, '--values', fixturePath(`${chart}-values.yaml`)]);
    expect(output).toContain('1 chart(s) linted, 0 chart(s) failed');
  });
});
