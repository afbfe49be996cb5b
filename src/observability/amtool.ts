import { execa } from 'execa';

export interface AmtoolOptions {
  /** Debian installs it as `amtool` with prometheus-alertmanager. */
  binary?: string;
}

/** `amtool check-config`: the Alertmanager configuration loads. */
export async function checkAlertmanagerConfig(file: string, options: AmtoolOptions = {}): Promise<{ ok: boolean; output: string }> {
  const result = await execa(options.binary ?? 'amtool', ['check-config', file], { all: true, reject: false, timeout: 30_000 });
  if (result.exitCode === undefined) throw new Error(`cannot run ${options.binary ?? 'amtool'}: ${result.shortMessage}`);
  return { ok: result.exitCode === 0, output: result.all ?? '' };
}

/** The receivers Alertmanager's routing tree picks for an alert with these labels (`amtool config routes test`). */
export async function receiversFor(file: string, labels: Readonly<Record<string, string>>, options: AmtoolOptions = {}): Promise<string[]> {
  const args = ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([name, value]) => `${name}=${value}`)];
  const result = await execa(options.binary ?? 'amtool', args, { reject: false, timeout: 30_000 });
  if (result.exitCode !== 0) throw new Error(`amtool config routes test failed: ${result.stderr || result.stdout || result.shortMessage}`);
  return result.stdout
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
