import { useEffect, useState } from 'react';
import { useSyncState } from '../../sync/react';
import { dayHref, useRoute } from '../router';
import { AppHeader } from '../shell/AppHeader';
import { NotificationFeed } from '../shell/NotificationFeed';
import { AgendaScreen } from './AgendaScreen';
import { JobDetailScreen } from './JobDetailScreen';
import { useAgenda, useMyContractorId } from './use-contractor-data';
import './contractor.css';

/** The contractor's phone app: My day, job detail and notifications, all from the local copy. */
export function ContractorApp() {
  const route = useRoute();
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
      <main className="ct-main">
        {route.name === 'notifications' ? (
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
