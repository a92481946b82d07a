/** A clock the test moves by hand, for backoff and schedules; it starts at a fixed instant. */
export function fakeClock(start = Date.UTC(2026, 10, 22, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
