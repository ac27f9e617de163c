/**
 * Whether the database can be reached. A query that fails at the connection
 * level marks it down; from then on requests are refused at once (instead of
 * each waiting on a connection attempt) while a background probe asks the
 * database every `intervalMs` until it answers again.
 */
export interface Availability {
  isUp(): boolean;
  /** Marks the database down and starts probing (once, however often it is called). */
  markDown(): void;
  /** Stops probing; for shutdown. */
  stop(): void;
}

export interface AvailabilityOptions {
  /** Resolves when the database answered; any throw or a hang past `timeoutMs` counts as down. */
  probe: () => Promise<unknown>;
  intervalMs: number;
  timeoutMs: number;
  /** Told on every change, to log it. */
  onChange?: (up: boolean) => void;
}

export function trackAvailability(options: AvailabilityOptions): Availability {
  let up = true;
  let probing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function probeUntilUp() {
    probing = true;
    while (!stopped) {
      if (await answers()) {
        up = true;
        options.onChange?.(true);
        break;
      }
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.intervalMs);
        // A probe never keeps the process alive on its own.
        timer.unref();
      });
    }
    probing = false;
  }

  async function answers(): Promise<boolean> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error('probe timed out')), options.timeoutMs);
      });
      await Promise.race([options.probe(), timedOut]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
    }
  }

  return {
    isUp: () => up,
    markDown() {
      if (stopped) return;
      if (up) {
        up = false;
        options.onChange?.(false);
      }
      if (!probing) void probeUntilUp();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
