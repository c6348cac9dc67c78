import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * Unicode control (Cc) and format (Cf) characters: line breaks, NUL, bidirectional overrides
 * (U+202E shows "A\u202eB" reversed in every report), zero-width joiners, the BOM. None belongs in
 * an identifier or a name a person reads back.
 */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

/** The first control or format character of `text` as "U+XXXX", or undefined when there is none. */
export function firstControlOrFormat(text: string): string | undefined {
  const m = CONTROL_OR_FORMAT.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** Refuses strings holding control or format characters, naming the field and the character. */
export function IsPlainText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPlainText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || firstControlOrFormat(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must not contain control or invisible format characters (found ${firstControlOrFormat(String(args?.value ?? ''))}: line breaks, bidirectional overrides, zero-width characters, byte order marks)`,
      },
    },
    options,
  );
}
