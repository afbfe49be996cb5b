import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { TEMPLATES_DIR } from '../config/stack-context.js';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import { SERVICES } from '../services/catalog.js';
import { renderCompose, type ComposeExportResult } from './compose-file.js';

export type { ComposeExportResult };

/** Renders the compose file from the loaded config (image and port overrides included); "-" writes nothing. */
export function exportCompose(loadOptions: LoadOptions, output: string): ComposeExportResult {
  const { config, projectDir } = loadConfig(loadOptions);
  const path = output === '-' ? '-' : resolve(projectDir, output);
  const content = renderCompose(config, relative(path === '-' ? process.cwd() : dirname(path), TEMPLATES_DIR));
  if (path !== '-') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { apiVersion: 1, output: path, services: SERVICES.map((service) => service.name), content };
}
