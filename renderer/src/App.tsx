/** The app frame: top bar, side panel, graph area, terminal dock, status bar. */
import { useEffect, useState } from 'react';
import { DoctorPanel } from './components/DoctorPanel.js';
import { StatusBar } from './components/StatusBar.js';
import { TopBar, targetsFrom } from './components/TopBar.js';
import { GraphArea } from './components/Workspace.js';
import { TerminalDock } from './terminal/TerminalDock.js';
import { toggleDock, useDockOpen } from './terminal/store.js';
import { useAppInfo, useConnection, useDoctor, useLatency, useTheme } from './hooks.js';

export function App() {
  const connection = useConnection();
  const latency = useLatency();
  const info = useAppInfo();
  const doctor = useDoctor();
  const [theme, setTheme] = useTheme();
  const dockOpen = useDockOpen();
  const [panel, setPanel] = useState<'doctor' | null>('doctor');
  const targets = targetsFrom(doctor.report);
  const [selected, setSelected] = useState<string>();
  const current = selected ?? targets[0]?.id;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey && e.key === '`') {
        e.preventDefault();
        toggleDock();
      } else if (e.ctrlKey && e.shiftKey && (e.key === 'D' || e.key === 'd')) {
        e.preventDefault();
        setPanel('doctor');
        doctor.rerun();
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

  return (
    <div className={`frame ${panel ? 'with-panel' : ''}`}>
      <TopBar targets={targets} selected={current} onSelect={setSelected} theme={theme} onTheme={setTheme} />
      <nav className="side-tabs" aria-label="Panels">
        <button type="button" aria-pressed={panel === 'doctor'} onClick={() => setPanel(panel === 'doctor' ? null : 'doctor')}>
          Doctor
        </button>
      </nav>
      {panel === 'doctor' && (
        <aside className="side-panel">
          <DoctorPanel doctor={doctor} />
        </aside>
      )}
      <main className="workspace">
        <GraphArea report={doctor.report} />
        <TerminalDock open={dockOpen} onToggle={toggleDock} />
      </main>
      <StatusBar connection={connection} latency={latency} doctor={doctor} info={info} onOpenDoctor={() => setPanel('doctor')} />
    </div>
  );
}
