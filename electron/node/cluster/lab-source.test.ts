/** The election hints a lab's manager logs give the watcher. */
import { describe, expect, it } from 'vitest';
import { LEADER_ELECTED, lineSplitter } from './lab-source.js';

describe('election hints from a node daemon log', () => {
  it('finds the raft lines of a new leader, and no others', () => {
    const lines = [
      'time="2026-11-23T23:26:37.571955620Z" level=info msg="raft.node: 46b0192bdafdb240 lost leader 6b89fa269ace626e at term 3" module=raft',
      'time="2026-11-23T23:26:37.576257989Z" level=info msg="raft.node: 46b0192bdafdb240 elected leader 2e40b35b10f79c14 at term 3" module=raft',
      'time="2026-11-23T23:26:37.575Z" level=info msg="2e40b35b10f79c14 became leader at term 3" module=raft',
      'time="2026-11-23T23:26:30Z" level=info msg="2e40b35b10f79c14 is starting a new election at term 2" module=raft',
      'time="2026-11-23T23:26:31Z" level=error msg="error creating cluster object" error="name conflicts with an existing object"',
    ];
    expect(lines.map((l) => LEADER_ELECTED.test(l))).toEqual([false, true, true, false, false]);
  });

  it('splits a log stream into whole lines however it is cut, UTF-8 included', () => {
    const stream = Buffer.from('first line – with a dash\nmsg="x elected leader y at term 4"\npartial ');
    for (let cut = 1; cut < stream.length; cut++) {
      const got: string[] = [];
      const push = lineSplitter((l) => got.push(l));
      push(stream.subarray(0, cut));
      push(stream.subarray(cut));
      expect(got).toEqual(['first line – with a dash', 'msg="x elected leader y at term 4"']);
    }
  });
});
