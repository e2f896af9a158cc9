'use client';

import { RANGE_KEYS, TIME_RANGES, type TimeRange } from '@/lib/queries/slo';

export interface RangePickerProps {
  value: TimeRange;
  onChange: (range: TimeRange) => void;
}

/** A segmented control of toggle buttons; the pressed one is announced as such. */
export function RangePicker({ value, onChange }: RangePickerProps) {
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGE_KEYS.map((key) => (
        <button key={key} type="button" aria-pressed={key === value} title={`Last ${TIME_RANGES[key].label}`} onClick={() => onChange(key)}>
          {key}
        </button>
      ))}
    </div>
  );
}
