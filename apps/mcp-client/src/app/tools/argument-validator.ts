import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CatalogueSnapshot } from '../discovery/catalogue-store';
import { SchemaCompiler } from '../schemas/schema-compiler';
import { CatalogueChecks, FieldProblem } from './argument-validation';

/**
 * Checks call arguments against the tool's published input schema before the call leaves the
 * client. A tool's schema is compiled on its first call within a catalogue version, never per
 * request; a new version starts afresh.
 */
@Injectable()
export class ArgumentValidator {
  private current?: { version: number; checks: CatalogueChecks };

  constructor(
    private readonly compiler: SchemaCompiler,
    @InjectPinoLogger(ArgumentValidator.name) private readonly logger: PinoLogger,
  ) {}

  /** The problems with `args` for `tool` in `snapshot`; none when valid, or when the tool's schema could not be compiled. */
  validate(snapshot: CatalogueSnapshot, tool: string, args: unknown): FieldProblem[] {
    const check = this.checksFor(snapshot).checkFor(tool);
    return check ? check(args) : [];
  }

  private checksFor(snapshot: CatalogueSnapshot): CatalogueChecks {
    if (this.current?.version === snapshot.version) return this.current.checks;
    const checks = new CatalogueChecks(snapshot.byName, this.compiler, (tool, reason) =>
      this.logger.warn({ tool, reason }, `the input schema of ${tool} does not compile; its calls go to the server unchecked`),
    );
    // A call holding an older snapshot than the newest one is rare (a change mid-request) and just compiles for itself.
    if (!this.current || snapshot.version > this.current.version) this.current = { version: snapshot.version, checks };
    return checks;
  }
}
