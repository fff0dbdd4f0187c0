/**
 * The `swarm-lab` command line. Subcommands report state with `--json` where it makes sense.
 * Exit codes: 0 success, 1 the operation failed (or the doctor found a problem), 2 bad usage.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { appVersion } from '../version.js';
import { doctorCommand } from './doctor-command.js';
import { registerLabCommands } from './lab-commands.js';
import { serveCommand } from './serve-command.js';
import { registerStatusCommand } from './status-command.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks any free port)');
  }
  return n;
}

export function buildCli(): Command {
  const program = new Command('swarm-lab')
    .description('Swarm Lab: practice Docker Swarm clusters on your machine, or connect to real ones.')
    .version(appVersion, '-v, --version', 'print the version')
    .showHelpAfterError('(run "swarm-lab --help" for usage)')
    .enablePositionalOptions()
    .exitOverride();

  program
    .command('serve')
    .description('serve the Swarm Lab UI to a browser (web mode)')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', parsePort, 4780)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding a non-loopback address (anyone with the link can drive your Docker engine)')
    .option('--open', 'open the system browser at the printed URL')
    .action(serveCommand);

  program
    .command('doctor')
    .description('check the Docker engine Swarm Lab will use, and what practice swarms can do on it')
    .option('--json', 'print the report as JSON')
    .option('--fresh', 'ignore cached probe results')
    .action(doctorCommand);

  registerLabCommands(program);
  registerStatusCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    process.stderr.write(`swarm-lab: ${(e as Error).message}\n`);
    return (e as { code?: string }).code === 'USAGE' ? EXIT.usage : EXIT.failed;
  }
}
