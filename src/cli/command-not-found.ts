import { Errors, toConfiguredId, type Hook } from '@oclif/core';
import { closest, distance } from 'fastest-levenshtein';
import { ApexError } from '../errors.js';
import { argvAsksForJson, writeError } from './error-output.js';

/** A command apex does not have (apex stauts): a usage error like any other (exit 2, --json honoured), with the command it resembles. */
const commandNotFound: Hook<'command_not_found'> = async function ({ id, argv, config }) {
  const typed = toConfiguredId(id, config);
  const nearest = closest(
    typed,
    config.commandIDs.map((command) => toConfiguredId(command, config)),
  );
  const suggestion = distance(typed, nearest) <= Math.max(2, typed.length / 3) ? `Did you mean \`${config.bin} ${nearest}\`? ` : '';
  const list = `\`${config.bin} --help\` lists every command.`;
  writeError(new ApexError('USAGE', `${config.bin} has no command "${typed}".`, `${suggestion}${list}`, 2), argvAsksForJson(argv ?? []));
  Errors.exit(2);
};

export default commandNotFound;
