import { Tree, visitNotIgnoredFiles } from '@nx/devkit';
import { parseDocument } from 'yaml';

/**
 * charts/<source> copied to charts/<name> with the source's name replaced everywhere (object
 * names, helper names, the image repository, NOTES.txt, the schema title), and Chart.yaml
 * restarted at 0.1.0. Copied from the tree at generation time, so a new chart starts with
 * every fix the source chart has by then.
 */
export function copyChart(tree: Tree, source: string, name: string): string[] {
  const from = `charts/${source}`;
  const to = `charts/${name}`;
  const written: string[] = [];
  visitNotIgnoredFiles(tree, from, (file) => {
    const target = `${to}${file.slice(from.length)}`;
    const text = tree.read(file, 'utf-8') ?? '';
    tree.write(target, file === `${from}/Chart.yaml` ? chartYaml(text, name) : text.split(source).join(name));
    written.push(target);
  });
  return written;
}

function chartYaml(text: string, name: string): string {
  const document = parseDocument(text);
  document.set('name', name);
  document.set('version', '0.1.0');
  document.set('appVersion', '0.1.0');
  document.set('description', `${name}: an MCP server (NestJS) for Azure Kubernetes Service with Microsoft Entra Workload Identity`);
  return document.toString();
}
