import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CatalogueSnapshot, CatalogueStore } from '../discovery/catalogue-store';
import { compileCatalogue, CompiledCatalogue, FieldProblem } from './argument-validation';

/**
 * Checks call arguments against the tool's published input schema before the call leaves the
 * client. Schemas are compiled once per catalogue version, when it arrives, never per request.
 */
@Injectable()
export class ArgumentValidator {
  private compiled?: { version: number; catalogue: CompiledCatalogue };

  constructor(
    store: CatalogueStore,
    @InjectPinoLogger(ArgumentValidator.name) private readonly logger: PinoLogger,
  ) {
    store.onChange((snapshot) => this.compiledFor(snapshot));
  }

  /** The problems with `args` for `tool` in `snapshot`; none when valid, or when the tool's schema could not be compiled. */
  validate(snapshot: CatalogueSnapshot, tool: string, args: unknown): FieldProblem[] {
    const check = this.compiledFor(snapshot).checks.get(tool);
    return check ? check(args) : [];
  }

  private compiledFor(snapshot: CatalogueSnapshot): CompiledCatalogue {
    if (this.compiled?.version === snapshot.version) return this.compiled.catalogue;
    const catalogue = compileCatalogue(snapshot.tools);
    for (const { tool, reason } of catalogue.uncompiled) {
      this.logger.warn({ tool, reason }, `the input schema of ${tool} does not compile; its calls go to the server unchecked`);
    }
    // A call holding an older snapshot than the newest compiled one is rare (a change mid-request) and just recompiles.
    if (!this.compiled || snapshot.version > this.compiled.version) this.compiled = { version: snapshot.version, catalogue };
    return catalogue;
  }
}
