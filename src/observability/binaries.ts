import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Prometheus tools, under the names Debian and upstream install them. */
export const TOOL_NAMES = {
  prometheus: ['prometheus'],
  promtool: ['promtool'],
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
  amtool: ['amtool'],
} as const;
export type ToolName = keyof typeof TOOL_NAMES;

/** The first executable of these names on PATH, or undefined. */
export function findExecutable(names: readonly string[], path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export type ToolPaths = Partial<Record<ToolName, string>>;

export function findTools(path?: string): ToolPaths {
  const found: ToolPaths = {};
  for (const tool of Object.keys(TOOL_NAMES) as ToolName[]) found[tool] = findExecutable(TOOL_NAMES[tool], path);
  return found;
}

/** What to install when a tool is missing. */
export const INSTALL_HINT = 'apt-get install prometheus prometheus-alertmanager (Debian/Ubuntu), or put the upstream binaries on PATH';
