/** Top bar: the lab/cluster picker, presenter mode and the theme choice. */
import type { DoctorReport } from '../../../electron/common/doctor.js';
import type { ThemeChoice } from '../hooks.js';

export interface Target {
  id: string;
  label: string;
  detail: string;
}

/** What the picker can open today: the engine the doctor found. Labs and clusters join this list. */
export function targetsFrom(report: DoctorReport | undefined): Target[] {
  if (!report?.engine) return [];
  return [
    {
      id: 'engine',
      label: `Local engine — Docker ${report.engine.version}`,
      detail: `${report.endpoint.host} (${report.endpoint.source === 'default' ? 'default' : report.endpoint.source})`,
    },
  ];
}

export function TopBar(props: {
  targets: Target[];
  selected?: string;
  onSelect(id: string): void;
  theme: ThemeChoice;
  onTheme(t: ThemeChoice): void;
  presenter: boolean;
  onPresenter(): void;
}) {
  const current = props.targets.find((t) => t.id === props.selected);
  return (
    <header className="top-bar">
      <span className="brand">Swarm Lab</span>
      <label className="picker">
        <span className="visually-hidden">Lab or cluster</span>
        <select
          aria-label="Lab or cluster"
          value={props.selected ?? ''}
          onChange={(e) => props.onSelect(e.target.value)}
          disabled={props.targets.length === 0}
        >
          {props.targets.length === 0 && <option value="">No Docker engine reachable</option>}
          {props.targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      {current && <span className="muted small">{current.detail}</span>}
      <span className="spacer" />
      <button type="button" aria-pressed={props.presenter} onClick={props.onPresenter} title="Large type and slow animations for an audience (Ctrl+Shift+P)">
        Presenter
      </button>
      <label className="theme">
        Theme{' '}
        <select aria-label="Theme" value={props.theme} onChange={(e) => props.onTheme(e.target.value as ThemeChoice)}>
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </header>
  );
}
