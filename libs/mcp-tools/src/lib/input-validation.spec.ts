import 'reflect-metadata';
import { Type as TransformType } from 'class-transformer';
import * as classValidator from 'class-validator';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import fc from 'fast-check';
import { buildObjectSchema } from './input-schema';
import { ToolInputValidator } from './input-validation';

// Flat DTOs of the constraints the published schema states exactly: the schema path is used.
class ProfileLookup {
  @IsString()
  @IsNotEmpty()
  @MaxLength(8)
  @Matches(/^[A-Za-z0-9_-]+$/)
  user_id!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @IsOptional()
  @IsBoolean()
  verbose?: boolean;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: string;

  @IsOptional()
  @IsString()
  @MaxLength(3)
  note?: string;
}

class Echo {
  @IsString()
  text!: string;
}

// Where the schema would be looser than class-validator: a u-flag pattern (ajv matches without
// it), a minimum length (class-validator counts a surrogate pair or a variation selector as one
// character or none), a nested DTO. These must keep class-validator's verdict for every input.
class ShortNote {
  @IsString()
  @MinLength(2)
  note!: string;
}

class AstralPattern {
  @IsString()
  @Matches(/^..$/u)
  pair!: string;
}

class Inner {
  @IsString()
  @IsNotEmpty()
  city!: string;
}

class Nested {
  @ValidateNested()
  @TransformType(() => Inner)
  near!: Inner;
}

const DTOS = [ProfileLookup, Echo, ShortNote, AstralPattern, Nested] as const;
type Dto = (typeof DTOS)[number];

/** The same DTO validated with the published schema's fast accept and with class-validator alone. */
async function bothVerdicts(dto: Dto, args: unknown) {
  const withSchema = await new ToolInputValidator<object>(dto, buildObjectSchema(dto)).validate(args);
  const classValidatorOnly = await new ToolInputValidator<object>(dto).validate(args);
  const view = (result: typeof withSchema) => (result.ok ? { ok: true, value: { ...result.value }, type: result.value.constructor.name } : result);
  return { withSchema: view(withSchema), classValidatorOnly: view(classValidatorOnly) };
}

const anyValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,10}$/),
  fc.constantFrom('asc', 'desc', 'ASC', '', ' ', '😀', 'a😀', '😀😀', 'a\uFE0F', 'ab\uFE0F\uFE0F'),
  fc.integer({ min: -5, max: 60 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.record({ city: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()) }),
);
const keys = ['user_id', 'limit', 'verbose', 'order', 'note', 'text', 'pair', 'near', 'extra', 'constructor', 'toString', 'hasOwnProperty'];
const anyArguments = fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 6 });

describe('ToolInputValidator: the published schema as a fast accept', () => {
  it.each(DTOS.map((dto) => [dto.name, dto] as const))('%s: every input gets the same verdict, value and messages as with class-validator alone', async (_name, dto) => {
    await fc.assert(
      fc.asyncProperty(anyArguments, async (args) => {
        const { withSchema, classValidatorOnly } = await bothVerdicts(dto, args);
        expect(withSchema).toEqual(classValidatorOnly);
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['a valid lookup', ProfileLookup, { user_id: 'ada_1', limit: 50, verbose: false, order: 'desc', note: 'hi' }, true],
    ['a lookup with a null optional', ProfileLookup, { user_id: 'ada', limit: null }, true],
    ['a user_id of 9 characters', ProfileLookup, { user_id: 'abcdefghi' }, false],
    ['a note of 3 characters, one astral (4 UTF-16 code units)', ProfileLookup, { user_id: 'a', note: 'ab😀' }, true],
    ['a note of 3 characters and a variation selector (the schema refuses, class-validator accepts)', ProfileLookup, { user_id: 'a', note: 'abc\uFE0F' }, true],
    ['a note of one letter and a variation selector', ShortNote, { note: 'a\uFE0F' }, false],
    ['a "constructor" argument', Echo, { text: 'x', constructor: null }, false],
    ['a path trick', ProfileLookup, { user_id: '../admin' }, false],
    ['an unknown property', Echo, { text: 'x', extra: 1 }, false],
    ['one astral character (two code units, one code point)', AstralPattern, { pair: '😀' }, false],
    ['a nested DTO', Nested, { near: { city: 'Leeds' } }, true],
    ['a nested DTO with an empty city', Nested, { near: { city: '' } }, false],
  ] as const)('%s: same verdict on both paths (%#)', async (_label, dto, args, accepted) => {
    const { withSchema, classValidatorOnly } = await bothVerdicts(dto, args);
    expect(withSchema).toEqual(classValidatorOnly);
    expect(withSchema.ok).toBe(accepted);
  });

  it('skips class-validator for arguments the schema accepts, and only for DTOs it states exactly', async () => {
    const classValidatorRuns = jest.spyOn(classValidator, 'validate');
    try {
      await new ToolInputValidator(ProfileLookup, buildObjectSchema(ProfileLookup)).validate({ user_id: 'ada', limit: 3 });
      expect(classValidatorRuns).not.toHaveBeenCalled();
      await new ToolInputValidator(ProfileLookup, buildObjectSchema(ProfileLookup)).validate({ user_id: 'a/b' });
      expect(classValidatorRuns).toHaveBeenCalledTimes(1);
      await new ToolInputValidator(ShortNote, buildObjectSchema(ShortNote)).validate({ note: 'ab' });
      expect(classValidatorRuns).toHaveBeenCalledTimes(2);
    } finally {
      classValidatorRuns.mockRestore();
    }
  });

  it('hands the tool an instance of its DTO on the fast path too', async () => {
    const result = await new ToolInputValidator<ProfileLookup>(ProfileLookup, buildObjectSchema(ProfileLookup)).validate({ user_id: 'ada' });
    expect(result.ok && result.value).toBeInstanceOf(ProfileLookup);
    expect(result.ok && result.value.user_id).toBe('ada');
  });
});
