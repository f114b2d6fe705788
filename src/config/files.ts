import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { WorkingCalendar } from '../cases/calendar';
import { parseDeadlineRules, parseHolidays } from '../cases/deadline-rules';
import type { DeadlinePlanner } from '../cases/deadlines';
import { type AgencyDirectory, parseDirectory } from '../cases/directory';
import { CodedError, type Validated } from '../errors';
import type { Config } from './env';

/** Thrown when a configuration file is missing or invalid; `lines` has one problem per line. */
export class ConfigFileError extends CodedError<'config_file'> {
  constructor(readonly lines: string[]) {
    super('config_file', lines.join('\n'));
  }
}

/** Reads and parses one YAML file, naming the variable that points at it in every error. */
export function readYamlFile(path: string, variable: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(err);
    throw new ConfigFileError([`${variable}=${JSON.stringify(path)}: ${reason}`]);
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigFileError(
      doc.errors.map(
        (e) => `${variable}=${JSON.stringify(path)}: invalid YAML: ${e.message.split('\n')[0]}`,
      ),
    );
  }
  return doc.toJS();
}

function check<T>(path: string, variable: string, r: Validated<T>): T {
  if (!r.ok)
    throw new ConfigFileError(r.errors.map((e) => `${variable}=${JSON.stringify(path)}: ${e}`));
  return r.value;
}

/** The domain settings read from the files the configuration points at. */
export interface DomainFiles {
  directory: AgencyDirectory;
  planner: DeadlinePlanner;
}

/** Loads the agency directory, deadline rules and holidays; throws ConfigFileError listing every problem. */
export function loadDomainFiles(config: Config): DomainFiles {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (err instanceof ConfigFileError) problems.push(...err.lines);
      else throw err;
      return undefined;
    }
  };
  const directory = attempt(() =>
    check(
      config.agenciesFile,
      'SUARA_AGENCIES',
      parseDirectory(legacyDesks(readYamlFile(config.agenciesFile, 'SUARA_AGENCIES'))),
    ),
  );
  const deadlines = attempt(() =>
    check(
      config.deadlinesFile,
      'SUARA_DEADLINES',
      parseDeadlineRules(readYamlFile(config.deadlinesFile, 'SUARA_DEADLINES')),
    ),
  );
  const holidays = attempt(() =>
    check(
      config.holidaysFile,
      'SUARA_HOLIDAYS',
      parseHolidays(readYamlFile(config.holidaysFile, 'SUARA_HOLIDAYS')),
    ),
  );
  if (!directory || !deadlines || !holidays) throw new ConfigFileError(problems);
  const calendar: WorkingCalendar = { timeZone: deadlines.timeZone, holidays };
  return { directory, planner: { calendar, rules: deadlines.rules } };
}

/**
 * Directory files written before desks were per channel name their Slack channel with
 * `slack_channel: C0PUPR`: read that as `desks: { slack: C0PUPR }`, so such files keep working.
 */
export function legacyDesks(raw: unknown): unknown {
  const convert = (a: unknown): unknown => {
    if (typeof a !== 'object' || a === null || !('slack_channel' in a)) return a;
    const { slack_channel, ...rest } = a as Record<string, unknown>;
    const desks = (rest.desks ?? {}) as Record<string, unknown>;
    return { ...rest, desks: { slack: slack_channel, ...desks } };
  };
  if (typeof raw !== 'object' || raw === null) return raw;
  const file = raw as Record<string, unknown>;
  return {
    ...file,
    ...('triage' in file ? { triage: convert(file.triage) } : {}),
    ...(Array.isArray(file.agencies) ? { agencies: file.agencies.map(convert) } : {}),
  };
}
