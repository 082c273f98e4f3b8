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
  it('changes the image line and the version labels, and nothing else', () => {
    const guide = { valuesFiles: [`${chart}-values.yaml`] };
    const before = renderText(chart, guide);
    const after = renderText(chart, { ...guide, set: { 'image.tag': '1.1.0' } });
    const changes = changedLines(before, after);
    const versionLabel = (version: string) => new RegExp(`^ +app\\.kubernetes\\.io/version: "?${version}"?$`);
    const image = (tag: string) => `          image: "contosomcp.azurecr.io/${chart}:${tag}"`;

    // The Deployment's container and the helm test pod's, which runs the app's image.
    const imageChanges = changes.filter((change) => change.before.includes('image: '));
    expect(imageChanges).toEqual([
      { before: image('1.0.0'), after: image('1.1.0') },
      { before: image('1.0.0').slice(4), after: image('1.1.0').slice(4) },
    ]);
    const labelChanges = changes.filter((change) => !change.before.includes('image: '));
    // Every object's version label and the pod template's.
    expect(labelChanges).toHaveLength(before.split('\n').filter((line) => versionLabel('1.0.0').test(line)).length);
    for (const { before: old, after: changed } of labelChanges) {
      expect(old).toMatch(versionLabel('1.0.0'));
      expect(changed).toMatch(versionLabel('1.1.0'));
      expect(changed.replace('1.1.0', '1.0.0')).toBe(old);
    }
    expect(labelChanges.length).toBeGreaterThanOrEqual(8);
  });

  it('defaults the tag to the chart appVersion', () => {
    expect(renderText(chart)).toContain(`image: "${chart}:1.0.0"`);
  });
});
