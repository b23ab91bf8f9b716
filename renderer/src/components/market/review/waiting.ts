/** How long a review item has waited, in words ("3 minutes", "2 hours", "5 days"): pure, for the queue and its tests. */
export function waitingFor(since: string, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000));
  const say = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return say(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return say(hours, 'hour');
  return say(Math.floor(hours / 24), 'day');
}
