import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LANGUAGES, PUBLIC_STATUS_CODES } from '@case-status/case-domain';

/**
 * The GraphQL types every feature of the API uses. Resolvers return the read models' views as
 * they are; the model classes only describe them to the schema, so there is no mapping layer
 * to keep in step. Timestamps are ISO 8601 strings with offset, calendar dates `YYYY-MM-DD`.
 */

/** GraphQL enum values are upper case by convention; the read models use the domain's spelling. */
export function enumOf<T extends string>(values: readonly T[]): Record<string, T> {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), value]));
}

/** The GraphQL `Language` enum (`EN`, `ES`) over the domain's language codes. */
export const LanguageEnum = enumOf(LANGUAGES);
export const CaseStatusCode = enumOf(PUBLIC_STATUS_CODES);

// Nest identifies an enum by the object registered, so each is made once, here.
registerEnumType(LanguageEnum, { name: 'Language', description: 'Languages every public text is available in.' });
registerEnumType(CaseStatusCode, { name: 'CaseStatusCode', description: 'The public status, the same set for every agency.' });

@ObjectType({ description: 'A text in English and Spanish.' })
export class BilingualText {
  @Field() en!: string;
  @Field() es!: string;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
