import { badSlackDesks } from '../../../adapters/slack/desk';
import { parseDirectory } from '../../../src/cases/directory';

function directory(desks: Record<string, string>) {
  const parsed = parseDirectory({
    triage: { id: 'triage', name: { id: 'Tim Verifikasi', en: 'Verification desk' }, desks },
    agencies: [
      {
        id: 'pdam',
        name: { id: 'PDAM', en: 'Water utility' },
        categories: ['water_utility'],
        desks: { slack: '#pdam', teams: 'whatever-teams-uses' },
      },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.value;
}

describe('Slack desks in the agency directory', () => {
  test('a Slack desk that is not a channel id is refused with one line naming it', () => {
    expect(badSlackDesks(directory({ slack: 'C0TRIAGE' }))).toEqual([
      'SUARA_AGENCIES: pdam.desks.slack: "#pdam" is not a Slack channel id such as C0PUPR',
    ]);
  });

  test('desks of other staff channels are not Slack’s to judge', () => {
    const dir = directory({ slack: 'G0PRIVATE' });
    dir.agencies[0]?.desks.splice(0, 1); // drop the bad Slack desk, keep the other channel's
    expect(badSlackDesks(dir)).toEqual([]);
  });
});
