/**
 * The fuzzer synthesizes tens of thousands of versions: each writes its cloud assembly into the process's scratch
 * directory, which is removed at exit, not into a new directory of the system's temp, which nothing removes.
 */
import { Decl } from './history';
import { synthVersion } from './run-history';

const version = (name: string): Decl[] => [{ kind: 'ConfigurationSet', id: 'Set0', retain: false, props: { name, tags: {} } }];

test('versions synthesized one after another make no temp directory after the first', () => {
  synthVersion(version('set-first')); // makes the process's scratch directory
  // The module object that aws-cdk-lib calls (a namespace import's properties cannot be spied on).
  const made = jest.spyOn(jest.requireActual<typeof import('fs')>('fs'), 'mkdtempSync');
  try {
    const names = ['set-a', 'set-b', 'set-c'].map((name) => {
      const resources = Object.values<any>(synthVersion(version(name)).Resources);
      return resources.find((r) => r.Type === 'Custom::PinpointEmailConfigurationSet')?.Properties.ConfigurationSetName;
    });
    expect(names).toEqual(['set-a', 'set-b', 'set-c']);
    expect(made).not.toHaveBeenCalled();
  } finally {
    made.mockRestore();
  }
});
