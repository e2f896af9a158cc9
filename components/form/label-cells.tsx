'use client';

import { controlA11y, InlineError } from './form-kit';

export interface LabelRowValues {
  key: number;
  name: string;
  value: string;
}

export interface LabelCellsProps {
  /** Control ids are `${idPrefix}-${row.key}-name` and `-value`, where field errors are placed. */
  idPrefix: string;
  label: LabelRowValues;
  /** The row's place, from 0: "Label 1 key". */
  index: number;
  placeholders: { name: string; value: string };
  err: (id: string) => string | undefined;
  onChange: (patch: Partial<Pick<LabelRowValues, 'name' | 'value'>>) => void;
}

/** The key and value cells of one label row in a RowsTable: what the SLO form and the policy editor both edit. */
export function LabelCells({ idPrefix, label, index, placeholders, err, onChange }: LabelCellsProps) {
  const nameId = `${idPrefix}-${label.key}-name`;
  return (
    <>
      <td>
        <input
          {...controlA11y(nameId, err(nameId))}
          aria-label={`Label ${index + 1} key`}
          type="text"
          className="mono"
          value={label.name}
          placeholder={placeholders.name}
          onChange={(e) => onChange({ name: e.target.value })}
        />
        <InlineError id={`${nameId}-error`} message={err(nameId) ? `Key ${err(nameId)}` : undefined} />
      </td>
      <td>
        <input
          id={`${idPrefix}-${label.key}-value`}
          aria-label={`Label ${index + 1} value`}
          type="text"
          value={label.value}
          placeholder={placeholders.value}
          onChange={(e) => onChange({ value: e.target.value })}
        />
      </td>
    </>
  );
}
