import { chartPath, charts, fixturePath, helm } from './support/helm';

describe('helm lint --strict', () => {
  it.each(charts)('%s passes with its default values', (chart) => {
    const output = helm(['lint', '--strict', chartPath(chart)]);
    expect(output).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it.each(charts)('%s passes with the guide values and every optional feature on', (chart) => {
    const output = helm([
      'lint',
      '--strict',
      chartPath(chart),
      '--namespace',
      'mcp-system',
      '--values',
      fixturePath(`${chart}-values.yaml`),
      '--values',
      fixturePath(`${chart}-all-features.yaml`),
    ]);
    expect(output).toContain('1 chart(s) linted, 0 chart(s) failed');
  });
});
