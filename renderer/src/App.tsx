/** The app frame: top bar, side panel (labs, doctor), the open lab or engine overview, terminal dock, status bar. */
import { useEffect, useRef, useState } from 'react';
import { DoctorPanel } from './components/DoctorPanel.js';
import { StatusBar } from './components/StatusBar.js';
import { TopBar, targetsFrom } from './components/TopBar.js';
import { GraphArea } from './components/Workspace.js';
import { useLabs } from './labs/hooks.js';
import { LabsPanel } from './labs/LabsPanel.js';
import { LabView } from './labs/LabView.js';
import { TerminalDock } from './terminal/TerminalDock.js';
import { toggleDock, useDockOpen } from './terminal/store.js';
import { useAppInfo, useConnection, useDoctor, useLatency, useTheme } from './hooks.js';

type Panel = 'labs' | 'doctor' | null;

/** The open lab lives in the address (#lab=NAME), so a reload or a shared link reopens it. */
function labFromHash(): string | undefined {
  const m = location.hash.match(/^#lab=([a-z0-9-]+)$/);
  return m?.[1];
}

export function App() {
  const connection = useConnection();
  const latency = useLatency();
  const info = useAppInfo();
  const doctor = useDoctor();
  const labs = useLabs();
  const [theme, setTheme] = useTheme();
  const dockOpen = useDockOpen();
  const [panel, setPanel] = useState<Panel>('labs');
  const [openLab, setOpenLab] = useState<string | undefined>(labFromHash);
  const [presenter, setPresenter] = useState(false);
  const targets = [
    ...targetsFrom(doctor.report),
    ...labs.labs.map((l) => ({ id: `lab:${l.name}`, label: `Lab ${l.name} — ${l.state}`, detail: `${l.nodes.length} nodes on ${l.subnet ?? '?'}` })),
  ];
  const lab = labs.labs.find((l) => l.name === openLab);
  // Presenter mode gives the room to the graph: the side panel closes, and opens again after
  const panelBeforePresenter = useRef<Panel | undefined>(undefined);
  useEffect(() => {
    if (presenter) {
      panelBeforePresenter.current = panel;
      setPanel(null);
    } else if (panelBeforePresenter.current !== undefined) {
      const before = panelBeforePresenter.current;
      panelBeforePresenter.current = undefined;
      setPanel((now) => now ?? before);
    }
    // (only on entering and leaving presenter mode: a panel opened meanwhile stays open)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [presenter]);

  const open = (name: string | undefined): void => {
    setOpenLab(name);
    history.replaceState(null, '', name ? `#lab=${name}` : location.pathname);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey && e.key === '`') {
        e.preventDefault();
        toggleDock();
      } else if (e.ctrlKey && e.shiftKey && (e.key === 'D' || e.key === 'd')) {
        e.preventDefault();
        setPanel('doctor');
        doctor.rerun();
      } else if (e.ctrlKey && e.shiftKey && (e.key === 'L' || e.key === 'l')) {
        e.preventDefault();
        setPanel('labs');
      } else if (e.ctrlKey && e.shiftKey && (e.key === 'P' || e.key === 'p')) {
        e.preventDefault();
        setPresenter((p) => !p);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doctor]);

  if (connection.status === 'unauthorised') {
    return (
      <div className="unauthorised" role="alert">
        <h1>Not authorised</h1>
        <p>This page has no valid access token. Open the link that <code>swarm-lab serve</code> printed; a restarted server prints a new one.</p>
      </div>
    );
  }

  const tab = (id: Exclude<Panel, null>, label: string, key: string) => (
    <button type="button" aria-pressed={panel === id} title={`${label} (Ctrl+Shift+${key})`} onClick={() => setPanel(panel === id ? null : id)}>
      {label}
    </button>
  );

  return (
    <div className={`frame ${panel ? 'with-panel' : ''} ${presenter ? 'presenter-mode' : ''}`}>
      <TopBar
        targets={targets}
        selected={lab ? `lab:${lab.name}` : targets[0]?.id}
        onSelect={(id) => open(id.startsWith('lab:') ? id.slice(4) : undefined)}
        theme={theme}
        onTheme={setTheme}
        presenter={presenter}
        onPresenter={() => setPresenter((p) => !p)}
      />
      <nav className="side-tabs" aria-label="Panels">
        {tab('labs', 'Labs', 'L')}
        {tab('doctor', 'Doctor', 'D')}
      </nav>
      {panel && (
        <aside className="side-panel">
          {panel === 'labs' ? <LabsPanel labs={labs} open={openLab} onOpen={open} /> : <DoctorPanel doctor={doctor} />}
        </aside>
      )}
      <main className="workspace">
        {lab ? <LabView key={lab.name} lab={lab} presenter={presenter} /> : <GraphArea report={doctor.report} />}
        <TerminalDock open={dockOpen} onToggle={toggleDock} />
      </main>
      <StatusBar connection={connection} latency={latency} doctor={doctor} info={info} onOpenDoctor={() => setPanel('doctor')} />
    </div>
  );
}
