/** The section of each exported name in one entry file's source: `{ name → section title }`. */
export function sectionsOf(sourceText: string): Map<string, string>;
/** The TypeDoc plugin's entry. */
export function load(app: unknown): void;
