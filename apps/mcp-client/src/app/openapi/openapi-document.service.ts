import { Inject, Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { CatalogueStore } from '../discovery/catalogue-store';
import { McpConnection } from '../mcp/mcp-connection';
import { buildOpenApiDocument } from './openapi-document';

/** The facade's OpenAPI document for the current catalogue: rebuilt once per catalogue version, served as is in between. */
@Injectable()
export class OpenApiDocumentService {
  private base?: OpenAPIObject;
  private built?: { version: number; document: OpenAPIObject };

  constructor(
    @Inject(CatalogueStore) private readonly store: CatalogueStore,
    private readonly connection: McpConnection,
  ) {}

  /** The document of the static routes, scanned once at start-up. */
  setBase(base: OpenAPIObject): void {
    this.base = base;
    this.built = undefined;
  }

  current(): OpenAPIObject {
    if (!this.base) throw new Error('the OpenAPI base document is not set');
    const snapshot = this.store.current;
    const version = snapshot?.version ?? 0;
    if (this.built?.version !== version) {
      this.built = { version, document: buildOpenApiDocument(this.base, snapshot?.tools ?? [], this.connection.shownUrl) };
    }
    return this.built.document;
  }
}
