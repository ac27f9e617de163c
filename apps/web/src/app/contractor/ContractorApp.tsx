import { useRoute } from '../router';
import { AppHeader } from '../shell/AppHeader';
import { AgendaScreen } from './AgendaScreen';
import { JobDetailScreen } from './JobDetailScreen';
import { useAgenda, useMyContractorId } from './use-contractor-data';
import './contractor.css';

/** The contractor's phone app: My day and job detail, all from the local copy. */
export function ContractorApp() {
  const route = useRoute();
  const contractorId = useMyContractorId();
  const agenda = useAgenda(contractorId);
  return (
    <div className="ct-app">
      <AppHeader />
      <main className="ct-main">
        {route.name === 'job' ? (
          <JobDetailScreen jobId={route.jobId} contractorId={contractorId} />
        ) : (
          <AgendaScreen day={route.day} agenda={agenda} />
        )}
      </main>
    </div>
  );
}
