/** Teams typed as "shop, web , shop": trimmed, de-duplicated, in order. */
export function parseTeams(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}
