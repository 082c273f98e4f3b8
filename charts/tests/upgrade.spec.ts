import { charts, renderText } from './support/helm';

/** Lines of `after` that differ from `before`, position by position (the renders align). */
function changedLines(before: string, after: string): { before: string; after: string }[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, index) => (line === b[index] ? [] : [{ before: line, after: b[index] }]));
}

// The guide's Step 10: helm upgrade ... --set image.tag=1.1.0 --values <guide values>.
describe.each(charts)('%s upgrade to a new image tag', (chart) => {
  it('changes the image line and nothing else', () => {
    const guide = { valuesFiles: [`${chart}-values.yaml`] };
    const before = renderText(chart, guide);
    const after = renderText(chart, { ...guide, set: { 'image.tag': '1.1.0' } });
    expect(changedLines(before, after)).toEqual([
      {
        before: `          image: "contosomcp.azurecr.io/${chart}:1.0.0"`,
        after: `          image: "contosomcp.azurecr.io/${chart}:1.1.0"`,
      },
    ]);
  });

  it('defaults the tag to the chart appVersion', () => {
    expect(renderText(chart)).toContain(`image: "${chart}:1.0.0"`);
  });
});
