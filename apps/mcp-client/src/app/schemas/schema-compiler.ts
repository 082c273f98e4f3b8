import { Injectable } from '@nestjs/common';
import { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type AjvCore from 'ajv/dist/core';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { linearRegExp } from './linear-regexp';

const AJV_OPTIONS: Options = {
  allErrors: true,
  // Published schemas carry keywords ajv does not know (titles in other vocabularies, x-*): accept them.
  strict: false,
  // Two tools may publish schemas with the same $id; none is registered, so they cannot collide.
  addUsedSchema: false,
  validateFormats: true,
  // `{}` has a `constructor` and a `toString`: a schema requiring properties of those names must see only the caller's own.
  ownProperties: true,
  code: { regExp: linearRegExp },
};

type Dialect = 'draft-07' | '2019-09' | '2020-12';

// ajv keeps state that grows with each distinct schema it compiles (its code scope holds every
// pattern and referenced validator; schemas with an $id stay in its cache, see compile), so a
// server that keeps publishing new schemas would grow one instance without end. After this many
// compiles the engines are replaced; functions compiled before keep their old engine alive only as
// long as they are held.
const COMPILES_PER_ENGINE = 1_000;

/**
 * Compiles the JSON Schemas an MCP server publishes, for the argument checks, the output-schema
 * check of the direct path and the SDK client alike: one ajv per dialect for the whole process,
 * made on first use, patterns run by a linear-time engine. The dialect is the schema's `$schema`:
 * JSON Schema 2020-12 when it names none (MCP's default since 2025-11-25), draft-07 (and -06) and
 * 2019-09 when named. Each schema leaves ajv's cache as soon as it is compiled: the caller keeps
 * the function, so ajv need not hold anything per tool.
 */
@Injectable()
export class SchemaCompiler {
  private engines = new Map<Dialect, AjvCore>();
  private compiles = 0;

  /** The schema's validator; throws ajv's error when the schema does not compile. */
  compile(schema: Record<string, unknown>): ValidateFunction {
    if (++this.compiles > COMPILES_PER_ENGINE) {
      this.engines = new Map();
      this.compiles = 1;
    }
    const engine = this.engineFor(dialectOf(schema));
    try {
      return engine.compile(schema);
    } finally {
      // removeSchema also drops whatever ajv holds under the schema's $id (a meta-schema, when a
      // server publishes its id): only schemas without one leave the cache this way.
      if (typeof schema['$id'] !== 'string') engine.removeSchema(schema);
    }
  }

  /** ajv's one-line text for `errors` (what the SDK's validator reports). */
  errorsText(errors: ErrorObject[] | null | undefined): string {
    return this.engineFor('2020-12').errorsText(errors);
  }

  private engineFor(dialect: Dialect): AjvCore {
    let engine = this.engines.get(dialect);
    if (!engine) {
      engine = dialect === 'draft-07' ? new Ajv(AJV_OPTIONS) : dialect === '2019-09' ? new Ajv2019(AJV_OPTIONS) : new Ajv2020(AJV_OPTIONS);
      addFormats(engine as Ajv);
      this.engines.set(dialect, engine);
    }
    return engine;
  }
}

function dialectOf(schema: Record<string, unknown>): Dialect {
  const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  return /draft-0[67]/.test(declared) ? 'draft-07' : /2019-09/.test(declared) ? '2019-09' : '2020-12';
}
