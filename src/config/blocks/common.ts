/** Schema pieces shared by the config blocks. */
import { Type } from 'typebox';
import { DURATION_PATTERN } from '../duration.ts';

/** A duration: seconds as a number or a string such as `10s`, `500ms`, `1m30s`. */
export const Duration = (description: string, defaultValue?: string) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: DURATION_PATTERN })], {
    description,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  });

/** `host:port` to listen on; IPv6 hosts in brackets. */
export const ListenAddress = (description: string, defaultValue: string) =>
  Type.String({ pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):\\d{1,5}$', description, default: defaultValue });

/** An object schema that rejects unknown keys (every config block is strict). */
export const Strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, description });

/** A strict block that may be left out: the validator inserts `{}` and then its members' defaults. */
export const Block = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, description, default: {} });
