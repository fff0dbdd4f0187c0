/**
 * Practice labs in the side panel: create one (preset or counts, node image, images to load into the
 * nodes, swarm formed or not) with progress per node and a cancel that rolls it back; list labs with
 * their state; open, stop, start and destroy them (destroy asks first, naming the lab), and load more
 * host images into a running one.
 */
import { useState } from 'react';
import type { LabProgress, LabSummary } from '../../../electron/common/lab.js';
import { PRESETS, type PresetName } from '../../../electron/common/lab.js';
import { plural } from '../../../electron/common/plural.js';
import { ConfirmDialog } from '../components/Dialogs.js';
import { rpc } from '../rpc.js';
import type { LabsState } from './hooks.js';
import { chosenImages, ImageChoice, imageChoice, loadedSummary } from './ImageChoice.js';
import './labs.css';

type Busy = { lab: string; what: string; notes: LabProgress[]; controller: AbortController };

function nextName(labs: LabSummary[]): string {
  const taken = new Set(labs.map((l) => l.name));
  if (!taken.has('lab')) return 'lab';
  for (let i = 2; ; i++) if (!taken.has(`lab${i}`)) return `lab${i}`;
}

export function LabsPanel(props: { labs: LabsState; open?: string; onOpen(name: string): void }) {
  const { labs, refresh } = props.labs;
  const [name, setName] = useState('');
  const [preset, setPreset] = useState<PresetName | 'custom'>('1m2w');
  const [managers, setManagers] = useState(1);
  const [workers, setWorkers] = useState(2);
  const [image, setImage] = useState('');
  const [init, setInit] = useState(true);
  const [toLoad, setToLoad] = useState(() => imageChoice(['web']));
  const [loadInto, setLoadInto] = useState<LabSummary>();
  const [moreImages, setMoreImages] = useState(() => imageChoice([]));
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState<Busy>();
  const [error, setError] = useState<string>();
  const [confirm, setConfirm] = useState<LabSummary>();

  const run = async (lab: string, what: string, work: (b: Busy) => Promise<unknown>): Promise<void> => {
    const b: Busy = { lab, what, notes: [], controller: new AbortController() };
    setBusy(b);
    setError(undefined);
    setDone(undefined);
    try {
      await work(b);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
      refresh();
    }
  };
  const onProgress = (b: Busy) => (p: LabProgress) => {
    b.notes = [...b.notes, p];
    setBusy({ ...b });
  };

  const create = (): void => {
    const labName = name.trim() || nextName(labs);
    const counts = preset === 'custom' ? { managers, workers } : PRESETS[preset];
    const images = chosenImages(toLoad);
    void run(labName, 'Creating', (b) =>
      rpc.lab
        .create({ name: labName, ...counts, init, images, ...(image.trim() ? { image: image.trim() } : {}) }, { signal: b.controller.signal, onProgress: onProgress(b) })
        .then(() => {
          setName('');
          props.onOpen(labName);
        }),
    );
  };

  return (
    <section className="panel labs" aria-labelledby="labs-title">
      <header className="panel-header">
        <h2 id="labs-title">Practice labs</h2>
      </header>
      <form
        className="create-lab"
        aria-label="Create a lab"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) create();
        }}
      >
        <label className="field">
          Name
          <input value={name} placeholder={nextName(labs)} onChange={(e) => setName(e.target.value)} pattern="[a-z0-9][a-z0-9-]{0,31}" title="lower-case letters, digits and -" />
        </label>
        <label className="field">
          Nodes
          <select value={preset} onChange={(e) => setPreset(e.target.value as PresetName | 'custom')}>
            <option value="1m2w">1 manager, 2 workers</option>
            <option value="3m2w">3 managers, 2 workers</option>
            <option value="5m">5 managers</option>
            <option value="1m1w">1 manager, 1 worker</option>
            <option value="custom">Custom…</option>
          </select>
        </label>
        {preset === 'custom' && (
          <div className="row">
            <label className="field">
              Managers
              <input type="number" min={1} max={7} value={managers} onChange={(e) => setManagers(Number(e.target.value))} />
            </label>
            <label className="field">
              Workers
              <input type="number" min={0} max={20} value={workers} onChange={(e) => setWorkers(Number(e.target.value))} />
            </label>
          </div>
        )}
        <label className="field">
          Node image <span className="muted small">(empty: Swarm Lab's own)</span>
          <input value={image} onChange={(e) => setImage(e.target.value)} placeholder="swarm-lab/node" />
        </label>
        <ImageChoice legend="Images in every node" value={toLoad} onChange={setToLoad} />
        <label className="check-field">
          <input type="checkbox" checked={init} onChange={(e) => setInit(e.target.checked)} /> Form the swarm (untick to run <code>docker swarm init</code> yourself)
        </label>
        <button type="submit" className="primary" disabled={!!busy}>
          Create lab
        </button>
      </form>

      {busy && (
        <div className="progress" role="status" aria-live="polite">
          <div className="progress-head">
            <strong>
              {busy.what} {busy.lab}…
            </strong>
            {busy.what === 'Creating' && (
              <button type="button" onClick={() => busy.controller.abort()}>
                Cancel
              </button>
            )}
          </div>
          <ol className="progress-notes">
            {busy.notes.slice(-12).map((n, i) => (
              <li key={i}>
                <span className="muted">{(n.elapsedMs / 1000).toFixed(1)} s</span> {n.node && <strong>{n.node}</strong>} {n.message}
              </li>
            ))}
          </ol>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="done small" role="status">
          {done}
        </p>
      )}

      <ul className="lab-list" aria-label="Labs">
        {labs.length === 0 && <li className="muted">No labs yet.</li>}
        {labs.map((l) => {
          const running = l.nodes.filter((n) => n.status === 'running').length;
          return (
            <li key={l.name} className={`lab-item ${props.open === l.name ? 'open' : ''}`} data-lab={l.name}>
              <div className="lab-line">
                <button type="button" className="link" onClick={() => props.onOpen(l.name)} aria-current={props.open === l.name}>
                  {l.name}
                </button>
                <span className={`lab-state state-${l.state}`}>{l.state}</span>
                <span className="muted small">
                  {running}/{l.nodes.length} nodes · {l.subnet ?? 'no network'}
                </span>
              </div>
              <div className="lab-actions">
                {l.state !== 'running' && l.state !== 'incomplete' && (
                  <button type="button" disabled={!!busy} onClick={() => void run(l.name, 'Starting', (b) => rpc.lab.start({ name: l.name }, { onProgress: onProgress(b) }))}>
                    Start
                  </button>
                )}
                {l.state !== 'stopped' && l.state !== 'incomplete' && (
                  <button type="button" disabled={!!busy} onClick={() => void run(l.name, 'Stopping', (b) => rpc.lab.stop({ name: l.name }, { onProgress: onProgress(b) }))}>
                    Stop
                  </button>
                )}
                {l.state === 'running' && (
                  <button type="button" disabled={!!busy} onClick={() => setLoadInto(l)} title="Copy host images into every node of this lab">
                    Load images…
                  </button>
                )}
                <button type="button" className="danger" disabled={!!busy} onClick={() => setConfirm(l)}>
                  Destroy…
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {props.labs.error && <p className="error small">Labs could not be listed: {props.labs.error}</p>}

      {loadInto && (
        <ConfirmDialog
          title={`Load images into ${loadInto.name}`}
          confirmLabel={`Load into ${plural(loadInto.nodes.filter((n) => n.status === 'running').length, 'node')}`}
          onCancel={() => setLoadInto(undefined)}
          onConfirm={() => {
            const l = loadInto;
            const images = chosenImages(moreImages);
            setLoadInto(undefined);
            if (!images.length) return setError(`Nothing was loaded into ${l.name}: no image was chosen. Choose Load images… again and tick a lab image or type a host image's name.`);
            void run(l.name, 'Loading images into', async (b) => {
              const r = await rpc.lab.loadImages({ name: l.name, images }, { onProgress: onProgress(b) });
              setDone(loadedSummary(l.name, r));
            });
          }}
        >
          <ImageChoice legend="Images to copy from the host" value={moreImages} onChange={setMoreImages} />
        </ConfirmDialog>
      )}

      {confirm && (
        <ConfirmDialog
          title={`Destroy lab ${confirm.name}?`}
          confirmLabel={`Destroy ${confirm.name}`}
          danger
          onCancel={() => setConfirm(undefined)}
          onConfirm={() => {
            const l = confirm;
            setConfirm(undefined);
            void run(l.name, 'Destroying', (b) => rpc.lab.destroy({ name: l.name }, { onProgress: onProgress(b) }));
          }}
        >
          <p>
            This removes its {confirm.nodes.length} node containers, its network and its volumes. The swarm and everything deployed on it are lost.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

