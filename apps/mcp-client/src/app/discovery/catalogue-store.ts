import { Injectable } from '@nestjs/common';
import { CatalogueTool } from './catalogue';

/** One version of the discovered catalogue. Immutable: a change makes a new snapshot. */
export interface CatalogueSnapshot {
  /** Increases by one per change; what derived views (validators, OpenAPI) are keyed by. */
  readonly version: number;
  readonly tools: readonly CatalogueTool[];
  readonly byName: ReadonlyMap<string, CatalogueTool>;
  /** When this version was listed first. */
  readonly discoveredAt: Date;
}

type CatalogueListener = (snapshot: CatalogueSnapshot) => void;

/** The last catalogue discovered from the server, kept while the server is away (then marked stale by discovery). */
@Injectable()
export class CatalogueStore {
  private snapshot?: CatalogueSnapshot;
  private readonly listeners = new Set<CatalogueListener>();

  get current(): CatalogueSnapshot | undefined {
    return this.snapshot;
  }

  replace(tools: readonly CatalogueTool[], discoveredAt = new Date()): CatalogueSnapshot {
    const snapshot: CatalogueSnapshot = {
      version: (this.snapshot?.version ?? 0) + 1,
      tools,
      byName: new Map(tools.map((tool) => [tool.name, tool])),
      discoveredAt,
    };
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }

  /** Calls `listener` on every new version; returns the function that stops it. */
  onChange(listener: CatalogueListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
