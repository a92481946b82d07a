/** "2026-11-22T18:30" in local time, as <input type="datetime-local"> wants it. */
export function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export type LaterPreset = { label: string; at: number };

const at = (base: Date, days: number, hour: number) =>
  new Date(base.getFullYear(), base.getMonth(), base.getDate() + days, hour, 0, 0, 0).getTime();

/**
 * One-click times for "Send later", in local time: later today (three hours on, on the hour,
 * while that is before 21:00), tomorrow morning at 8, and Monday morning at 8 (from Friday to
 * Sunday, when that is not already tomorrow).
 */
export function laterPresets(now: number): LaterPreset[] {
  const today = new Date(now);
  const presets: LaterPreset[] = [];
  const inThreeHours = new Date(now + 3 * 3_600_000);
  if (inThreeHours.getDate() === today.getDate() && inThreeHours.getHours() < 21)
    presets.push({ label: 'Later today', at: at(today, 0, inThreeHours.getHours() + 1) });
  presets.push({ label: 'Tomorrow morning', at: at(today, 1, 8) });
  const day = today.getDay(); // 0 Sunday … 6 Saturday
  if (day === 5 || day === 6) presets.push({ label: 'Monday morning', at: at(today, (8 - day) % 7, 8) });
  return presets;
}
