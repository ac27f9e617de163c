import { type Ref, useId, useMemo } from 'react';
import { TextField } from './FormField';
import { listTimeZones, resolveTimeZone, timeZoneLabel } from './time-zones';

/**
 * The company's time zone: a text input with the browser's list of zones as
 * suggestions (a native `<datalist>`: searchable by typing, keyboard and
 * screen-reader friendly everywhere). The parent keeps the typed text and
 * resolves it with `resolveTimeZone` on submit; on leaving the field a
 * recognisable entry ("berlin") is written out in full ("Europe/Berlin").
 */
export function TimeZonePicker(props: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  label?: string;
}) {
  const listId = useId();
  const zones = listTimeZones();
  const now = useMemo(() => new Date(), []);
  const resolved = resolveTimeZone(props.value, zones);
  return (
    <TextField
      label={props.label ?? 'Time zone'}
      name="timeZone"
      type="text"
      autoComplete="off"
      autoCapitalize="none"
      spellCheck={false}
      list={listId}
      required
      value={props.value}
      error={props.error}
      inputRef={props.inputRef}
      onChange={(event) => props.onChange(event.target.value)}
      onBlur={() => {
        if (resolved && resolved !== props.value) props.onChange(resolved);
      }}
      hint={
        resolved
          ? `${timeZoneLabel(resolved, now)}. Days and times are shown in this zone.`
          : 'Type a city or a zone such as America/Denver, then pick it from the list.'
      }
      after={<ZoneOptions id={listId} zones={zones} now={now} />}
    />
  );
}

function ZoneOptions(props: { id: string; zones: readonly string[]; now: Date }) {
  // Several hundred labels, each asking Intl for an offset: made once per picker.
  const options = useMemo(
    () => props.zones.map((zone) => <option key={zone} value={zone} label={timeZoneLabel(zone, props.now)} />),
    [props.zones, props.now],
  );
  return <datalist id={props.id}>{options}</datalist>;
}
