import {
  type ChartName,
  charts,
  findOne,
  helmFailure,
  removeValuesFiles,
  render,
  renderText,
  templateArgs,
  testPods,
  valuesFile,
} from './support/helm';
import type { Deployment, Manifest, Pod } from './support/k8s-types';
import { validateManifests } from './support/validate';

afterAll(removeValuesFiles);

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
/** A valid label value: at most 63 characters, [A-Za-z0-9._-], alphanumeric at both ends. */
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The Deployment's image, the test pod's, and every version label (objects and pod template). */
function imagesAndVersions(manifests: Manifest[]): { images: string[]; versions: string[] } {
  const deployment = findOne<Deployment>(manifests, 'Deployment');
  const images = [
    deployment.spec.template.spec.containers[0].image,
    testPods<Pod>(manifests)[0].spec.containers[0].image,
  ];
  const labels = [...manifests.map((manifest) => manifest.metadata.labels), deployment.spec.template.metadata.labels];
  return { images, versions: [...new Set(labels.map((each) => each?.['app.kubernetes.io/version'] ?? '(none)'))] };
}

describe.each(charts)('%s image tag and version label', (chart: ChartName) => {
  const repository = `contosomcp.azurecr.io/${chart}`;
  const guide = [`${chart}-values.yaml`];

  it('renders an all-digit tag from --set (a CI build ID, int64 to Helm) as its digits', () => {
    const manifests = render(chart, { valuesFiles: guide, set: { 'image.tag': 12345678 } });
    expect(imagesAndVersions(manifests)).toEqual({
      images: [`${repository}:12345678`, `${repository}:12345678`],
      versions: ['12345678'],
    });
  });

  it('renders an all-digit tag from a values file (float64 to Helm) as its digits, not 2.0261207e+07', () => {
    const file = valuesFile(`${chart}-numeric-tag.yaml`, 'image:\n  tag: 20261207\n');
    const text = renderText(chart, { valuesFiles: [...guide, file] });
    expect(text).not.toContain('e+07');
    expect(imagesAndVersions(render(chart, { valuesFiles: [...guide, file] }))).toEqual({
      images: [`${repository}:20261207`, `${repository}:20261207`],
      versions: ['20261207'],
    });
  });

  it('refuses a tag that a values file gives as a fraction (1.10 would be 1.1): quote it', () => {
    const file = valuesFile(`${chart}-float-tag.yaml`, 'image:\n  tag: 1.10\n');
    expect(helmFailure(templateArgs(chart, { valuesFiles: [...guide, file] }))).toContain("at '/image/tag'");
  });

  it.each([
    { tag: '1.1.0', image: `${repository}:1.1.0`, version: '1.1.0' },
    { tag: `1.2.3@${digest}`, image: `${repository}:1.2.3@${digest}`, version: '1.2.3' },
    { tag: digest, image: `${repository}@${digest}`, version: `sha256-${digest.slice(7, 63)}` },
    { tag: `@${digest}`, image: `${repository}@${digest}`, version: `sha256-${digest.slice(7, 62)}` },
    { tag: `_${'a'.repeat(70)}.`, image: `${repository}:_${'a'.repeat(70)}.`, version: 'a'.repeat(62) },
  ])('with image.tag $tag runs $image and labels version $version', ({ tag, image, version }) => {
    const manifests = render(chart, { valuesFiles: guide, setString: { 'image.tag': tag } });
    expect(imagesAndVersions(manifests)).toEqual({ images: [image, image], versions: [version] });
    expect(version).toMatch(labelValue);
    expect(version.length).toBeLessThanOrEqual(63);
  });

  it('labels the chart appVersion when image.tag is empty', () => {
    expect(imagesAndVersions(render(chart)).versions).toEqual(['1.0.0']);
  });

  it('renders labels the API server accepts from a tag that is not a label value', () => {
    const text = renderText(chart, { valuesFiles: guide, setString: { 'image.tag': `_${'a'.repeat(70)}.` } });
    expect(validateManifests(text, 'current')).toEqual([]);
  });
});
