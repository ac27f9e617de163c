import { lazy, Suspense, useEffect, useState } from 'react';
import { useSyncState } from '../../sync/react';
import { dayHref, shoppingHref, useRoute } from '../router';
import { AppHeader } from '../shell/AppHeader';
import { NotificationFeed } from '../shell/NotificationFeed';
import { AgendaScreen } from './AgendaScreen';
import { JobDetailScreen } from './JobDetailScreen';
import { useAgenda, useMyContractorId } from './use-contractor-data';
import './contractor.css';
import './shopping-list.css';

// A chunk of its own, fetched when first opened (the service worker precaches it for offline use).
const ShoppingListScreen = lazy(() =>
  import('./ShoppingListScreen').then((module) => ({ default: module.ShoppingListScreen })),
);
// The estimate screens (editor, accept and sign, print view) share one chunk, fetched like the shopping list.
const estimateScreens = () => import('../estimates/PhoneEstimateScreens');
const NewEstimateScreen = lazy(() => estimateScreens().then((module) => ({ default: module.NewEstimateScreen })));
const EstimateScreen = lazy(() => estimateScreens().then((module) => ({ default: module.EstimateScreen })));
const EstimatePrintScreen = lazy(() => estimateScreens().then((module) => ({ default: module.EstimatePrintScreen })));

/** My day and the shopping list, a thumb's reach apart. */
function ContractorTabs({ current }: { current: 'agenda' | 'shopping' | null }) {
  return (
    <nav className="ct-tabs" aria-label="Sections">
      <a href={dayHref(undefined)} aria-current={current === 'agenda' ? 'page' : undefined}>
        My day
      </a>
      <a href={shoppingHref} aria-current={current === 'shopping' ? 'page' : undefined}>
        Shopping list
      </a>
    </nav>
  );
}

/** The contractor's phone app: My day, the shopping list, job detail and notifications, all from the local copy. */
export function ContractorApp() {
  const route = useRoute();
  const shopping = route.name === 'shopping';
  const contractorId = useMyContractorId();
  const agenda = useAgenda(contractorId);
  const { online } = useSyncState();
  // What the person just did, said once on the agenda they land on ("You declined …").
  const [confirmation, setConfirmation] = useState<string | null>(null);
  useEffect(() => {
    if (route.name === 'job') setConfirmation(null);
  }, [route.name]);

  return (
    <div className="ct-app">
      <AppHeader />
      <ContractorTabs current={shopping ? 'shopping' : route.name === 'agenda' ? 'agenda' : null} />
      <main className="ct-main">
        {shopping ? (
          <Suspense
            fallback={
              <p className="ct-empty" aria-busy="true">
                Opening the shopping list…
              </p>
            }
          >
            <ShoppingListScreen contractorId={contractorId} />
          </Suspense>
        ) : route.name === 'estimate-new' || route.name === 'estimate' || route.name === 'estimate-print' ? (
          <Suspense
            fallback={
              <p className="ct-empty" aria-busy="true">
                Opening the estimate…
              </p>
            }
          >
            {route.name === 'estimate-new' ? (
              <NewEstimateScreen jobId={route.jobId} />
            ) : route.name === 'estimate' ? (
              <EstimateScreen estimateId={route.estimateId} contractorId={contractorId} />
            ) : (
              <EstimatePrintScreen estimateId={route.estimateId} />
            )}
          </Suspense>
        ) : route.name === 'notifications' ? (
          <NotificationFeed device="phone" />
        ) : route.name === 'job' ? (
          <JobDetailScreen
            jobId={route.jobId}
            contractorId={contractorId}
            onDeclined={({ jobTitle, day }) => {
              setConfirmation(
                online
                  ? `You declined ${jobTitle}. The office has been told.`
                  : `You declined ${jobTitle}. The office will be told as soon as this phone is back online.`,
              );
              window.location.hash = dayHref(day);
            }}
          />
        ) : (
          <AgendaScreen
            day={route.day}
            agenda={agenda}
            confirmation={confirmation}
            onDismissConfirmation={() => setConfirmation(null)}
          />
        )}
      </main>
    </div>
  );
}
