/**
 * Personal data planted in tests that check where it ends up (log lines, store files, exports): a user id, an email
 * and a review sentence, each unlike anything else in the code or the data sets, so a byte search for them is exact.
 */
export const PLANTED = {
  userId: 'planted-person-5e1c',
  email: 'planted.person.5e1c@example.org',
  review: 'The lighthouse keeper wept softly over this planted sentence at dawn.',
} as const;

/**
 * The planted strings a text holds (none: an empty list).
 *
 * @example plantedIn('{"msg":"http"}') // []
 */
export function plantedIn(text: string): string[] {
  return Object.values(PLANTED).filter((s) => text.includes(s));
}
