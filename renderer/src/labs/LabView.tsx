/**
 * An open lab: the topology graph and the outline side by side, the quorum meter and the latest
 * timeline events always visible, and the actions of the context menu carried out (destructive ones
 * after a confirmation that names the object).
 */
import { useCallback, useMemo, useState } from 'react';
import type { ClusterState } from '../../../electron/common/cluster.js';
import type { FaultAction, LabSummary } from '../../../electron/common/lab.js';
import { ConfirmDialog, PromptDialog, TextDialog } from '../components/Dialogs.js';
import { rpc } from '../rpc.js';
import { openTerminal } from '../terminal/store.js';
import { actionsFor, type ActionDescriptor, type NodeRuntime } from '../topology/actions.js';
import { ContextMenu } from '../topology/ContextMenu.js';
import type { MenuTarget } from '../topology/ids.js';
import { Outline } from '../topology/Outline.js';
import { QuorumMeter } from '../topology/QuorumMeter.js';
import { TimelineStrip } from '../topology/TimelineStrip.js';
import { TopologyGraph } from '../topology/TopologyGraph.js';
import { useCluster } from './hooks.js';

const FAULTS: Record<string, FaultAction> = {
  'node.drain': 'drain',
  'node.activate': 'activate',
  'node.promote': 'promote',
  'node.demote': 'demote',
  'node.pause': 'pause',
  'node.unpause': 'unpause',
  'node.kill': 'kill',
  'node.start': 'start',
  'node.disconnect': 'disconnect',
  'node.reconnect': 'reconnect',
};

type Dialog =
  | { kind: 'confirm'; action: ActionDescriptor; target: MenuTarget }
  | { kind: 'scale'; service: string; current: number }
  | { kind: 'text'; title: string; text: string };

export function LabView(props: { lab: LabSummary; presenter: boolean }) {
  const { lab } = props;
  const { state, timeline, error } = useCluster(lab.name);
  const [selected, setSelected] = useState<string>();
  const [menu, setMenu] = useState<{ target: MenuTarget; x: number; y: number }>();
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [showNetworks, setShowNetworks] = useState(false);

  const runtime = useCallback(
    (n: { name: string }): NodeRuntime | undefined => {
      const ln = lab.nodes.find((x) => x.name === n.name);
      if (!ln) return undefined;
      if (ln.disconnected) return 'disconnected';
      return ln.status === 'running' ? 'running' : ln.status === 'paused' ? 'paused' : 'stopped';
    },
    [lab],
  );

  const perform = async (action: ActionDescriptor, target: MenuTarget, s: ClusterState): Promise<void> => {
    const node = s.nodes.find((n) => n.id === target.id);
    const service = s.services.find((x) => x.id === target.id);
    const task = s.tasks.find((t) => t.id === target.id);
    const say = (text: string): void => setNotice({ text });
    try {
      if (FAULTS[action.id] && node) {
        say(`${node.name}: ${action.label.toLowerCase()}…`);
        say((await rpc.lab.fault({ name: lab.name, node: node.name, action: FAULTS[action.id]! })).message);
      } else if (action.id === 'node.terminal' && node) {
        openTerminal({ kind: 'node', lab: lab.name, node: node.name }, `${node.name} (${lab.name})`);
      } else if (action.id === 'task.shell' && task) {
        openTerminal({ kind: 'task', lab: lab.name, taskId: task.id }, `${task.service}.${task.slot ?? task.id.slice(0, 6)} on ${task.node ?? '?'}`);
      } else if (action.id === 'service.scale' && service) {
        setDialog({ kind: 'scale', service: service.name, current: service.replicas.desired });
      } else if (action.id === 'service.forceUpdate' && service) {
        say((await rpc.cluster.forceUpdateService({ name: lab.name, service: service.name })).message);
      } else if (action.id === 'service.remove' && service) {
        say((await rpc.cluster.removeService({ name: lab.name, service: service.name })).message);
      } else if (action.id === 'service.logs' && service) {
        const { text } = await rpc.cluster.logs({ name: lab.name, service: service.name, tail: 300 });
        setDialog({ kind: 'text', title: `Logs of ${service.name}`, text });
      } else if (action.id === 'task.logs' && task) {
        const { text } = await rpc.cluster.logs({ name: lab.name, task: task.id, tail: 300 });
        setDialog({ kind: 'text', title: `Logs of ${task.service}.${task.slot ?? ''}`, text });
      }
    } catch (e) {
      setNotice({ text: (e as Error).message, error: true });
    }
  };

  const menuItems = useMemo(() => {
    if (!menu || !state) return [];
    return actionsFor(menu.target, state, { practice: true, runtime }).map((a) => ({
      label: a.destructive ? `${a.label}…` : a.label,
      danger: a.destructive,
      disabled: a.disabled,
      title: a.reason,
      onSelect: () => {
        setMenu(undefined);
        if (a.destructive) setDialog({ kind: 'confirm', action: a, target: menu.target });
        else void perform(a, menu.target, state);
      },
    }));
    // perform reads the latest lab and state through this closure; both are dependencies.
  }, [menu, state, runtime]);

  if (!state) {
    return (
      <section className="graph-area empty" aria-label="Topology">
        <p className="muted">{error ?? `Reading the swarm of ${lab.name}…`}</p>
      </section>
    );
  }

  const shared = {
    lab: lab.name,
    state,
    selected,
    onSelect: setSelected,
    onContextMenu: (target: MenuTarget, x: number, y: number) => setMenu({ target, x, y }),
    presenter: props.presenter,
  };
  const targetName = (t: MenuTarget): string =>
    state.nodes.find((n) => n.id === t.id)?.name ?? state.services.find((x) => x.id === t.id)?.name ?? t.id.slice(0, 12);

  return (
    <section className={`lab-view ${props.presenter ? 'presenter' : ''}`} aria-label={`Lab ${lab.name}`}>
      <div className="lab-view-bar">
        <QuorumMeter quorum={state.quorum} health={state.health} large={props.presenter} />
        <label className="check-field">
          <input type="checkbox" checked={showNetworks} onChange={(e) => setShowNetworks(e.target.checked)} /> Networks
        </label>
        {state.health !== 'ok' && (
          <span className="error small" role="alert">
            {state.message} (shown: the last good read)
          </span>
        )}
        {notice && (
          <span className={notice.error ? 'error small' : 'muted small'} role="status">
            {notice.text}
          </span>
        )}
      </div>
      <div className="lab-view-main">
        <Outline {...shared} />
        <TopologyGraph {...shared} showNetworks={showNetworks} />
      </div>
      <TimelineStrip entries={timeline} large={props.presenter} limit={props.presenter ? 3 : 5} />
      {menu && menuItems.length > 0 && <ContextMenu x={menu.x} y={menu.y} items={menuItems} label={`Actions for ${targetName(menu.target)}`} onClose={() => setMenu(undefined)} />}
      {dialog?.kind === 'confirm' && (
        <ConfirmDialog
          title={`${dialog.action.label}: ${targetName(dialog.target)}?`}
          confirmLabel={`${dialog.action.label} ${targetName(dialog.target)}`}
          danger
          onCancel={() => setDialog(undefined)}
          onConfirm={() => {
            const d = dialog;
            setDialog(undefined);
            void perform(d.action, d.target, state);
          }}
        >
          <p>{dialog.action.confirm}</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'scale' && (
        <PromptDialog
          title={`Scale ${dialog.service}`}
          label="Replicas"
          initial={String(dialog.current)}
          confirmLabel="Scale"
          validate={(v) => (/^\d+$/.test(v.trim()) && Number(v) <= 1000 ? undefined : 'A whole number from 0 to 1000.')}
          onCancel={() => setDialog(undefined)}
          onSubmit={(v) => {
            const service = dialog.service;
            setDialog(undefined);
            rpc.cluster.scaleService({ name: lab.name, service, replicas: Number(v) }).then(
              (r) => setNotice({ text: r.message }),
              (e: Error) => setNotice({ text: e.message, error: true }),
            );
          }}
        />
      )}
      {dialog?.kind === 'text' && <TextDialog title={dialog.title} text={dialog.text} onClose={() => setDialog(undefined)} />}
    </section>
  );
}
