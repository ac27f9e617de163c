import type { AlertDeliveryChannel, AlertDeliveryStatus } from '@fieldsync/domain';

/**
 * The alerts raised for one job, as its timeline lists them. A rule sends one
 * delivery per channel and recipient, all written in the same transaction;
 * grouped by rule and creation time they read as the one alert they are.
 */
export interface TimelineDelivery {
  id: string;
  ruleId: string;
  title: string;
  channel: AlertDeliveryChannel;
  status: AlertDeliveryStatus;
  createdAt: string;
}

export interface TimelineAlert {
  /** `ruleId@createdAt`: stable per raised alert. */
  key: string;
  ruleId: string;
  title: string;
  createdAt: string;
  /** Channels used, in the order first seen. */
  channels: AlertDeliveryChannel[];
  /** How many deliveries are in each status. */
  statusCounts: Partial<Record<AlertDeliveryStatus, number>>;
  recipients: number;
}

/** Groups a job's deliveries into raised alerts, newest first. */
export function groupAlertDeliveries(deliveries: readonly TimelineDelivery[]): TimelineAlert[] {
  const groups = new Map<string, TimelineAlert>();
  for (const delivery of deliveries) {
    const key = `${delivery.ruleId}@${delivery.createdAt}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        ruleId: delivery.ruleId,
        title: delivery.title,
        createdAt: delivery.createdAt,
        channels: [],
        statusCounts: {},
        recipients: 0,
      };
      groups.set(key, group);
    }
    if (!group.channels.includes(delivery.channel)) group.channels.push(delivery.channel);
    group.statusCounts[delivery.status] = (group.statusCounts[delivery.status] ?? 0) + 1;
    group.recipients++;
  }
  return [...groups.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.key.localeCompare(b.key));
}

const STATUS_WORDS: Record<AlertDeliveryStatus, string> = {
  sent: 'sent',
  pending: 'waiting to send',
  failed: 'failed',
  throttled: 'held back (throttled)',
};

/** The statuses of one alert in words, e.g. "2 sent, 1 failed"; just "sent" when all agree. */
export function alertStatusText(counts: TimelineAlert['statusCounts']): string {
  const entries = (Object.keys(STATUS_WORDS) as AlertDeliveryStatus[])
    .filter((status) => (counts[status] ?? 0) > 0)
    .map((status) => [status, counts[status] ?? 0] as const);
  if (entries.length === 1) return STATUS_WORDS[entries[0]![0]];
  return entries.map(([status, count]) => `${count} ${STATUS_WORDS[status]}`).join(', ');
}
