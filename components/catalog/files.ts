// The files the Import page sends: limits checked in the browser before any upload (the server checks again).

/** The server refuses a file over 4 MiB (lib/openslo/parse.ts MAX_FILE_CHARS); say so before sending it. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The name the pasted text is sent under, so problems in it name a file like any other. */
export const PASTED_FILE = 'pasted.yaml';

/** A size as people read it: 512 B, 1.5 KiB, 4.2 MiB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Why a chosen file cannot be sent, or null when it can. */
export function fileRefusal(file: { name: string; size: number }): string | null {
  if (file.size > MAX_FILE_BYTES) return `${file.name} is ${formatSize(file.size)}: each file may be at most 4 MiB.`;
  return null;
}

/** The file name a team's download is saved under: umpire-<team>.yaml, with anything unsafe in a name replaced. */
export function teamFileName(team: string): string {
  const safe = team.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return `umpire-${safe || 'team'}.yaml`;
}
