import { afterEach } from 'vitest';
import { reloadEnv } from '../lib/env';

/**
 * For a test file that changes Umpire's settings: the setter changes one (and reloads env()); after each test every
 * setting changed is put back as it was.
 */
export function settingsForEachTest(): (name: string, value: string) => void {
  const saved = new Map<string, string | undefined>();
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    saved.clear();
    reloadEnv();
  });
  return (name, value) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    process.env[name] = value;
    reloadEnv();
  };
}
