/**
 * Fans "something committed" notices out to the event streams open on this
 * instance. One LISTEN per instance (not per stream); Postgres delivers each
 * push's single NOTIFY to every instance, PGlite to its own process. When
 * the database connection drops, the LISTEN is renewed once it can be, and
 * every open stream is poked then to pull what it missed.
 */
import type { Role } from '@fieldsync/domain';
import type { Database } from '../db/database';
import { CHANGES_CHANNEL } from '../db/database';
import type { ChangeNotice } from './push-service';

export interface Subscriber {
  orgId: string;
  userId: string;
  role: Role;
  poke(): void;
}

export interface ChangeHub {
  subscribe(subscriber: Subscriber): () => void;
  /** Open streams on this instance (for health and leak tests). */
  size(): number;
  close(): Promise<void>;
}

export async function createChangeHub(database: Database): Promise<ChangeHub> {
  const subscribers = new Set<Subscriber>();
  const unlisten = await database.listen(
    CHANGES_CHANNEL,
    (payload) => {
      let notice: ChangeNotice;
      try {
        notice = JSON.parse(payload) as ChangeNotice;
      } catch {
        return;
      }
      const everyone = notice.userIds.includes('*');
      for (const subscriber of subscribers) {
        if (subscriber.orgId !== notice.orgId) continue;
        if (subscriber.role !== 'contractor' || everyone || notice.userIds.includes(subscriber.userId))
          subscriber.poke();
      }
    },
    // The LISTEN connection dropped and is back: notices in between were lost, so every stream pulls.
    () => {
      for (const subscriber of subscribers) subscriber.poke();
    },
  );
  return {
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },
    size: () => subscribers.size,
    close: () => unlisten(),
  };
}
