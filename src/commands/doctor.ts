import { Flags } from '@oclif/core';
import { ApexCommand } from '../cli/apex-command.js';
import { PROFILES, type Profile } from '../config/schema.js';
import { runDoctor, type DoctorReport } from '../doctor/doctor.js';
import { colorsFor } from '../ui/colors.js';
import { doctorView } from '../ui/stack-views.js';

export default class Doctor extends ApexCommand<DoctorReport> {
  static override summary = 'Check Docker, memory, disk, ports, config and Node; every problem comes with its fix.';
  static override description = 'Exits 1 when any check fails.';
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --only postgres,redis --json'];

  static override flags = {
    only: Flags.string({ description: 'Check for these services only.', delimiter: ',', multiple: true }),
    profile: Flags.string({ description: "Include this profile's services.", options: PROFILES.filter((profile) => profile !== 'core'), multiple: true }),
  };

  async run(): Promise<DoctorReport> {
    const { flags } = await this.parse(Doctor);
    const report = await runDoctor({ configFile: flags.config }, { only: flags.only, profiles: flags.profile as Profile[] | undefined });
    if (!this.jsonEnabled()) this.log(doctorView(report, colorsFor(process.stdout)));
    if (!report.ok) process.exitCode = 1;
    return report;
  }
}
