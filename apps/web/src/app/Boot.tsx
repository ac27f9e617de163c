import { useCallback, useEffect, useState } from 'react';
import { useAccountRoute } from './shell/account-route';
import { fetchSignupOpen, SignInForm } from './shell/SignInForm';
import { Splash } from './shell/Splash';

type Engine = typeof import('../engine');

/**
 * The first screen, before the app proper (`engine.tsx`) has loaded. A device
 * that holds no Fieldsync data at all (a first visit) gets the sign-in form at
 * once; pressing "Sign in" waits for the engine if it is still on its way.
 * Anyone else — signed in, or with changes kept from an ended session — waits
 * on the splash for the engine, which knows what to show.
 */
export function Boot({ engine, firstVisit }: { engine: Promise<Engine>; firstVisit: Promise<boolean> }) {
  const [loaded, setLoaded] = useState<Engine>();
  const [failed, setFailed] = useState(false);
  // True until a first visit's sign-in succeeds; then the engine's own screens take over.
  const [signingInFirst, setSigningInFirst] = useState<boolean>();
  const accountRoute = useAccountRoute();

  useEffect(() => {
    engine.then(setLoaded, () => setFailed(true));
    firstVisit.then(setSigningInFirst, () => setSigningInFirst(false));
  }, [engine, firstVisit]);

  // A first visit that opens sign-up or an invite link goes on in the engine's screens for good.
  useEffect(() => {
    if (signingInFirst && accountRoute !== null) setSigningInFirst(false);
  }, [signingInFirst, accountRoute]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const { client } = await engine;
      await client.signIn(email, password);
      setSigningInFirst(false);
    },
    [engine],
  );

  if (signingInFirst && accountRoute === null) {
    return <SignInForm signIn={signIn} loadSignupOpen={fetchSignupOpen} />;
  }
  if (loaded && signingInFirst !== undefined) return <loaded.EngineRoot />;
  if (failed) {
    return (
      <Splash text="Fieldsync could not load. Check your connection and try again.">
        <button type="button" className="fs-button fs-button--primary" onClick={() => window.location.reload()}>
          Try again
        </button>
      </Splash>
    );
  }
  return <Splash text="Opening Fieldsync…" />;
}

/**
 * True when this browser certainly holds no Fieldsync database (nobody ever
 * signed in here). Unsure (no `indexedDB.databases`, an error) is false: the
 * engine then decides, as it always can.
 */
export async function isFirstVisit(dbName: string): Promise<boolean> {
  try {
    if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return false;
    const databases = await indexedDB.databases();
    return !databases.some((database) => database.name === dbName);
  } catch {
    return false;
  }
}
