import type { Scenario } from '../api/types';
import { decimal } from '../format';

/** Care settings a request may set (?diversity= etc.); undefined = the server's configured value. */
export interface CareChoice {
  diversity?: number;
  novelty?: number;
  calibration?: number;
  scenario?: string;
}

const SLIDERS = [
  { key: 'diversity', label: 'Diversity', help: 'More variety between neighbouring items (care.diversity)' },
  { key: 'novelty', label: 'Novelty', help: 'A fairer share for less-known items (care.novelty)' },
  { key: 'calibration', label: 'Calibration', help: "Match the list's category mix to the user's history (care.calibration)" },
] as const;

/** Sliders for diversity, novelty and calibration (0–1) and a scenario picker; each change re-runs the request. */
export function CareControls({ value, onChange, scenarios }: { value: CareChoice; onChange: (v: CareChoice) => void; scenarios: Scenario[] }) {
  return (
    <fieldset class="care">
      <legend>Care settings for this request</legend>
      {SLIDERS.map((s) => {
        const v = value[s.key];
        const id = `care-${s.key}`;
        return (
          <div class="slider" key={s.key}>
            <label for={id}>{s.label}</label>
            <input
              id={id}
              type="range"
              min="0"
              max="1"
              step="0.05"
              value={v ?? 0}
              aria-describedby={`${id}-help`}
              aria-valuetext={v === undefined ? 'server default' : decimal(v, 2)}
              onInput={(e) => onChange({ ...value, [s.key]: Number(e.currentTarget.value) })}
            />
            <output for={id} data-value={v ?? ''}>
              {v === undefined ? 'server default' : decimal(v, 2)}
            </output>
            <small id={`${id}-help`}>{s.help}</small>
          </div>
        );
      })}
      <div class="slider">
        <label for="care-scenario">Scenario</label>
        <select id="care-scenario" value={value.scenario ?? ''} onChange={(e) => onChange({ ...value, scenario: e.currentTarget.value || undefined })}>
          <option value="">none</option>
          {scenarios.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
        <small>{scenarios.length === 0 ? 'No scenarios stored (PUT /v1/scenarios/{name}).' : 'A stored scenario: its filter, count and care.'}</small>
      </div>
      <button type="button" onClick={() => onChange({})}>
        Reset to server defaults
      </button>
    </fieldset>
  );
}
